"""Set and dict operations over posting lists, a bounded piece at a time.

A C-level pass (a `map`, a `zip` into a dict, a set built from a list) holds the GIL until it
returns. The GUI searches in a worker thread: over a word in nearly every section of 50,000
articles, single passes of 300,000 postings held the GIL for tens of milliseconds each while the
UI thread waited (the first query after opening blocked the UI 170 ms). Done STRIDE postings at a
time, each pass returns within a millisecond or two, the interpreter hands the GIL over between
pieces, and the results are the same values (the same float operations, in the same order, per
section).
"""

from __future__ import annotations

import heapq
import operator
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, filterfalse, islice, repeat

# Postings per C-level pass: about a millisecond of the costliest pass (a sum of two scores per
# section into a dict) on this machine, far below the 30 ms a UI may be held up.
STRIDE = 8192


def add_into(combined: dict, part: dict, matched: Counter | None = None) -> None:
    """combined[d] = part[d] + combined.get(d, 0.0) for every d of `part` (copied as it is into
    an empty `combined`), and one more count in `matched[d]` if given."""
    docs, values = list(part), list(part.values())
    copy = not combined
    get = combined.get
    for start in range(0, len(docs), STRIDE):
        chunk, chunk_values = docs[start : start + STRIDE], values[start : start + STRIDE]
        if copy:
            combined.update(zip(chunk, chunk_values))
        else:
            combined.update(
                zip(chunk, map(operator.add, chunk_values, map(get, chunk, repeat(0.0))))
            )
        if matched is not None:
            matched.update(chunk)


def saturation(weights: Sequence[float], docs: Sequence[int], norms) -> Iterator[float]:
    """BM25's w / (w + norm[d]) for each posting (`weights[i]` of section `docs[i]`), as
    C-level maps: no Python step per posting. The one expression every scoring path uses, so
    pruned and full evaluations give the same floats."""
    return map(operator.truediv, weights, map(operator.add, weights, map(norms.__getitem__, docs)))


def set_of(items: Sequence | dict) -> set:
    """set(items) (a dict's keys), built a piece at a time."""
    seq = list(items) if isinstance(items, dict) else items
    result: set = set()
    for start in range(0, len(seq), STRIDE):
        result.update(seq[start : start + STRIDE])
    return result


def pieces(items: Iterable) -> Iterator[list]:
    """`items` as lists of at most STRIDE, taken from its iterator (a set has no slices, and
    `list(a_set)` of 300,000 sections is itself one pass of ~10 ms)."""
    iterator = iter(items)
    while piece := list(islice(iterator, STRIDE)):
        yield piece


def intersect(keep: set, other: dict | set) -> set:
    """The members of `keep` also in `other`: as `keep & other`, walking `keep` (the smaller
    side, in an AND) rather than `other`."""
    kept: set = set()
    for chunk in pieces(keep):
        kept.update(compress(chunk, map(other.__contains__, chunk)))
    return kept


def without(keep: set, other: set) -> set:
    """The members of `keep` not in `other` (`keep - other`, a piece at a time)."""
    kept: set = set()
    for chunk in pieces(keep):
        kept.update(filterfalse(other.__contains__, chunk))
    return kept


def union_into(union: set, items: Iterable) -> None:
    """union |= items, a piece at a time (adding 250,000 sections to a set of 200,000 was one
    pass of ~40 ms)."""
    for chunk in pieces(items):
        union.update(chunk)


def copy_of(items: set) -> set:
    """set(items), a piece at a time."""
    result: set = set()
    union_into(result, items)
    return result


def sorted_of(docs: set[int], size: int) -> list[int]:
    """sorted(docs) for document numbers in range(size), as a counting sort done a piece at a
    time (`sorted` of 250,000 sections holds the interpreter for ~20 ms in one call)."""
    marks = bytearray(size)
    for chunk in pieces(docs):
        deque(map(marks.__setitem__, chunk, repeat(1)), maxlen=0)
    ordered: list[int] = []
    for start in range(0, size, STRIDE):
        end = min(size, start + STRIDE)
        ordered.extend(compress(range(start, end), marks[start:end]))
    return ordered


def top(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score) pairs, best first, ties in document order.

    heapq.nlargest with a key runs a Python call per item; finding the cut-off score among the
    bare floats first and sorting only what reaches it is several times faster on large sets."""
    if len(scores) > limit * 4:
        cutoff = heapq.nlargest(limit, scores.values())[-1]  # a Python loop: it lets go of the GIL
        docs, values = list(scores), list(scores.values())
        reaching: list[int] = []
        for start in range(0, len(docs), STRIDE):
            reaching += compress(
                docs[start : start + STRIDE], map(cutoff.__le__, values[start : start + STRIDE])
            )
        candidates = [(doc, scores[doc]) for doc in reaching]
    else:
        candidates = list(scores.items())
    candidates.sort(key=lambda item: (-item[1], item[0]))
    return candidates[:limit]
