"""Phrase matching over whole posting lists: the sections holding a phrase's words in order.

Evaluator._phrase_scores (evaluate.py) hands over each word's postings: document numbers,
weights and position values, in document order. Everything below is C-level passes of at most
STRIDE items (chunks.py), never a step per section in Python where it can be helped:

- the sections holding every word come from the document numbers alone (set lookups), and
  each word's columns are cut to those sections: the same sections in the same order for every
  word, so no per-word dictionary of all its postings is built; positions are decoded for
  those sections only (`values_in`: "effect" is in 37,000 sections at 10,000 articles, "side
  effect" candidates in 8,000);
- where every word occurs once in a section (most sections), the single positions of all such
  sections are compared side by side;
- the others, for an exact phrase (slop 1, every quoted phrase): each occurrence of a word
  becomes one integer key, docnum * 2**32 + position, and the phrase holds where a key of one
  word plus one is a key of the next; set intersections over all the sections at once, where
  deciding a section at a time cost a set per word per section (a common two-word phrase at
  10,000 articles has thousands of such sections);
- a phrase with a wider slop is checked a section at a time.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from itertools import accumulate, chain, compress, repeat

from viewer.search.chunks import STRIDE, set_of

# A section's positions stay far below this, so docnum * SPAN + position + 1 never reaches the
# next section's keys.
SPAN = 1 << 32
# Sections per key pass: a few positions each, so one pass stays near STRIDE items.
SECTIONS_PER_PASS = STRIDE // 4


def matching(
    postings: list[tuple[list, list, list]],
    slop: int,
    fmt,
    values_in: Callable[[int, set[int]], list] | None = None,
) -> tuple[list, list]:
    """(the sections holding the phrase, in document order; each word's weights in them).
    `postings`: per word of the phrase, (docnums ascending, weights, position values); or
    without the values, and `values_in(n, sections)` gives word n's values in those of
    `sections` (the ones holding every word), in document order."""
    common = _common(postings)
    if not common:
        return [], []
    docs, weights, values = _cut(postings, common, values_in)
    found = [False] * len(docs)
    size = getattr(fmt, "single_position_size", None)
    deltas = getattr(fmt, "single_positions", None)
    rest = list(range(len(docs)))
    if size is not None and deltas is not None:
        single = [True] * len(docs)
        for word_values in values:
            single = list(map(operator.and_, single, map(size.__eq__, map(len, word_values))))
        _check_single(values, single, slop, deltas, found)
        rest = list(compress(rest, map(operator.not_, single)))
    if rest and slop == 1 and size is not None and deltas is not None:
        for start in range(0, len(rest), SECTIONS_PER_PASS):
            _check_exact(docs, values, rest[start : start + SECTIONS_PER_PASS], size, deltas, found)
    elif rest:
        decode = getattr(fmt, "position_set", None) or fmt.decode_positions
        for i in rest:
            found[i] = in_sequence([decode(word_values[i]) for word_values in values], slop)
    return list(compress(docs, found)), [list(compress(w, found)) for w in weights]


def _common(postings: list[tuple[list, list, list]]) -> set[int]:
    """The sections holding every word: the rarest word's set, then each other word's
    document numbers looked up in it."""
    ordered = sorted(postings, key=lambda posting: len(posting[0]))
    keep = set_of(ordered[0][0])
    for ids, _, _ in ordered[1:]:
        if not keep:
            break
        kept: set[int] = set()
        for start in range(0, len(ids), STRIDE):
            chunk = ids[start : start + STRIDE]
            kept.update(compress(chunk, map(keep.__contains__, chunk)))
        keep = kept
    return keep


def _cut(
    postings: list[tuple[list, list, list]],
    keep: set[int],
    values_in: Callable[[int, set[int]], list] | None = None,
) -> tuple[list, list, list]:
    """(the kept sections in document order, then per word its weights and values in them)."""
    docs: list[int] = []
    weights: list[list] = []
    values: list[list] = []
    for n, (ids, word_weights, word_values) in enumerate(postings):
        kept_ids: list[int] = []
        kept_weights: list = []
        kept_values: list = []
        for start in range(0, len(ids), STRIDE):
            mask = list(map(keep.__contains__, ids[start : start + STRIDE]))
            kept_ids += compress(ids[start : start + STRIDE], mask)
            kept_weights += compress(word_weights[start : start + STRIDE], mask)
            if values_in is None:
                kept_values += compress(word_values[start : start + STRIDE], mask)
        if values_in is not None:
            kept_values = values_in(n, keep)
        if n == 0:
            docs = kept_ids
        elif kept_ids != docs:  # not in document order (never in this index): line them up
            at = {doc: i for i, doc in enumerate(kept_ids)}
            kept_weights = [kept_weights[at[doc]] for doc in docs]
            kept_values = [kept_values[at[doc]] for doc in docs]
        weights.append(kept_weights)
        values.append(kept_values)
    return docs, weights, values


def _check_single(values: list[list], single: list[bool], slop: int, deltas, found: list) -> None:
    """Marks in `found` the sections of `single` (each word there once) holding the phrase:
    each word's positions in all of them side by side, compared with C-level maps."""
    where = list(compress(range(len(single)), single))
    for start in range(0, len(where), STRIDE):
        chunk = where[start : start + STRIDE]
        columns = [deltas(b"".join(map(word_values.__getitem__, chunk))) for word_values in values]
        ok = [True] * len(chunk)
        for before, after in zip(columns, columns[1:]):
            steps = map(operator.sub, after, before)
            ok = list(
                map(
                    operator.and_,
                    ok,
                    map(slop.__ge__, steps) if slop > 1 else map((1).__eq__, steps),
                )
            )
            if slop > 1:  # and after, not before or on the previous word
                ok = list(map(operator.and_, ok, map(operator.lt, before, after)))
        for i in compress(chunk, ok):
            found[i] = True


def _check_exact(docs: list, values: list[list], rows: list[int], size: int, deltas, found) -> None:
    """Marks in `found` the sections `rows` holding the words one right after another: where,
    for some start, word j stands at start + j for every j. The word with the fewest
    occurrences gives the candidate starts; each other word's keys are made only for the
    sections still holding candidates, and looked up without a set of them."""
    row_docs = list(map(docs.__getitem__, rows))
    order = sorted(
        range(len(values)), key=lambda j: sum(map(len, map(values[j].__getitem__, rows)))
    )
    starts: set[int] | None = None
    for j in order:
        if starts is not None and len(starts) < len(row_docs):
            alive = {key // SPAN for key in starts}  # fewer sections left: only those
            keep = list(map(alive.__contains__, row_docs))
            rows, row_docs = list(compress(rows, keep)), list(compress(row_docs, keep))
        keys = _keys(row_docs, list(map(values[j].__getitem__, rows)), size, deltas, j)
        starts = set(keys) if starts is None else starts.intersection(keys)
        if not starts:
            return
    at = dict(zip(row_docs, rows))
    for doc in {key // SPAN for key in starts or ()}:
        found[at[doc]] = True


def _keys(docs: list[int], values: list[bytes], size: int, deltas, back: int):
    """docnum * SPAN + position - back for every position of a word in each of `docs`. A value
    holds the deltas of its positions (the first from 0): one running sum over all the values
    joined, less the sum before each section's first delta, gives the positions."""
    running = list(accumulate(deltas(b"".join(values)), initial=0))
    counts = [len(value) // size for value in values]
    starts = accumulate(counts, initial=0)  # one more than docs: zip below stops at docs
    bases = map(
        operator.sub,
        map(SPAN.__mul__, docs),
        map((back).__add__, map(running.__getitem__, starts)),
    )
    return map(operator.add, running[1:], chain.from_iterable(map(repeat, bases, counts)))


def in_sequence(positions: list, slop: int) -> bool:
    """Whether the words occur in order, each within `slop` positions after the previous one."""
    current = set(positions[0])
    for following in positions[1:]:
        if slop == 1:
            current = set(map((1).__add__, current)).intersection(following)
        else:
            current = {q for q in following if any(0 < q - p <= slop for p in current)}
        if not current:
            return False
    return True
