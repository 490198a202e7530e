"""Phrase matching as set operations on (section, position) keys, and positions of few sections.

A phrase's sections are those holding every word (a set intersection, rarest word first); the
words' positions are then read only from posting blocks holding one of those sections (a
block's highest document number is in its header: other blocks are skipped unread). Checking
the order section by section in Python was most of a cold phrase search ("side effects": about
25,000 sections holding both words at 50,000 articles). Instead each occurrence becomes one
integer key, section << SHIFT | position, built a whole block at a time with C-level maps over
the block's joined positions (whoosh_ext.codec.LeafMatcher.read_block_joined): the phrase
"a b c" holds where key k of "a" has k + 1 among the keys of "b" and k + 2 among those of "c",
set operations in C whatever the number of sections.

Formats without joined positions, and phrases with slop (never typed: the query reader makes
none), are checked section by section (`in_sequence`).
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from functools import partial
from itertools import accumulate, chain, repeat

from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from viewer.search.chunks import STRIDE

# A section's positions stay far below 2**32 (a position per word).
SHIFT = 32


def phrase_sections(
    searcher, fmt, field: str, words: list, candidates: set[int], sizes: list[int]
) -> set | None:
    """The candidates (sections holding every word) where the words stand one right after the
    other; None when the positions cannot be read joined (the caller checks one by one).
    `sizes`: each word's posting count. An occurrence of the i-th word at key k says "the phrase
    may start at k - i": the rarest word's starts are collected, and each other word's keep
    only the starts it agrees with, so no set is built of a common word's occurrences."""
    if getattr(fmt, "single_positions", None) is None or not candidates:
        return None if candidates else set()
    wanted = sorted(candidates)
    starts: set[int] | None = None
    for i in sorted(range(len(words)), key=sizes.__getitem__):
        kept: set[int] = set()
        collect = kept.update if starts is None else partial(_keep_agreeing, kept, starts)
        if not _keys(searcher, fmt, field, words[i], wanted, -i, collect):
            return None
        starts = kept
        if not starts:
            return set()
    sections: set[int] = set()
    members = list(starts or ())
    for start in range(0, len(members), STRIDE):
        sections.update(map(operator.rshift, members[start : start + STRIDE], repeat(SHIFT)))
    sections.intersection_update(candidates)  # deleted sections' postings are still on disk
    return sections


def _keep_agreeing(kept: set[int], starts: set[int], keys) -> None:
    kept.update(filter(starts.__contains__, keys))


def _keys(searcher, fmt, field: str, word, wanted: list[int], shift: int, collect) -> bool:
    """Hands `collect` (section << SHIFT | position) + shift for every occurrence of the word in
    posting blocks holding one of `wanted` (sorted global document numbers), a block at a time;
    False when a block is not in the joined layout."""
    size = fmt.single_position_size
    for sub, offset in searcher.leaf_searchers():
        lo = bisect_left(wanted, offset)
        hi = bisect_left(wanted, offset + sub.doc_count_all(), lo)
        if lo == hi:
            continue
        try:
            matcher = sub.reader().postings(field, word)
        except TermNotFound:
            continue
        if isinstance(matcher, FilterMatcher):  # deletions: the candidates leave them out
            matcher = matcher.child
        if not hasattr(matcher, "read_block_joined"):
            return False
        at = lo
        while matcher.is_active() and at < hi:
            # wanted[at:upto] lie between the previous block's last document and this one's
            upto = bisect_right(wanted, matcher.block_max_id() + offset, at, hi)
            if upto > at:
                block = matcher.read_block_joined()
                if block is None:
                    return False
                ids, lengths, joined = block
                keys = _block_keys(ids, lengths, fmt.single_positions(joined), size, offset)
                collect(map(shift.__add__, keys) if shift else keys)
                at = upto
            matcher.next_block()
    return True


def _block_keys(ids, lengths, deltas, size: int, offset: int):
    """The keys of one block: each posting's value is its positions as deltas, the first from
    0, so a running sum over the block less the sum before the posting gives its positions."""
    shifted = map(operator.lshift, map(offset.__add__, ids), repeat(SHIFT))
    if lengths.count(size) == len(lengths):  # each word once in each section (the usual case)
        return map(operator.add, shifted, deltas)
    counts = list(map(operator.floordiv, lengths, repeat(size)))
    sums = list(accumulate(deltas))
    before = [0, *sums]  # the running sum before each position
    bases = map(before.__getitem__, accumulate(counts, initial=0))
    adjust = map(operator.sub, shifted, bases)
    return map(operator.add, sums, chain.from_iterable(map(repeat, adjust, counts)))


def positions(searcher, fmt, field: str, word, docs: set[int]) -> dict[int, list[int]]:
    """The word's positions in each of `docs` that holds it, from the posting blocks that may
    hold one of them only (block headers tell which; the others are not read)."""
    found: dict[int, list[int]] = {}
    wanted = sorted(docs)
    for sub, offset in searcher.leaf_searchers():
        lo = bisect_left(wanted, offset)
        hi = bisect_left(wanted, offset + sub.doc_count_all(), lo)
        if lo == hi:
            continue
        try:
            matcher = sub.reader().postings(field, word)
        except TermNotFound:
            continue
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        local = {d - offset for d in wanted[lo:hi]}
        if not hasattr(matcher, "read_block"):
            while matcher.is_active():  # any other matcher: one posting at a time
                if matcher.id() in local:
                    found[matcher.id() + offset] = fmt.decode_positions(matcher.value())
                matcher.next()
            continue
        at = lo
        while matcher.is_active() and at < hi:
            upto = bisect_right(wanted, matcher.block_max_id() + offset, at, hi)
            if upto > at:
                ids, _, values = matcher.read_block(local)  # (moves to the next block)
                if values is not None:
                    for doc, value in zip(ids, values):
                        if doc in local:
                            found[doc + offset] = fmt.decode_positions(value)
                at = upto
            else:
                matcher.next_block()
    return found


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
