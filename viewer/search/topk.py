"""The best few sections of a plain-word query, without scoring every section holding a word.

A plain query (reading.Coordinated) ranks by BM25 sum * coordination(parts matched): sections
with every word first, then those with most of them. Scoring every section that holds any of
the words was most of a cold three-word search at 50,000 articles ("chronic pain relief": about
199,000 sections scored, where an all-words AND has 17,000). Here the sections are taken in
groups by which parts they hold (MaxScore-style pruning, exact):

- every part's largest score in any section is read off its postings (an upper bound);
- the sections holding exactly the parts of a group score at most coordination(group size) *
  the sum of those parts' largest scores; groups are taken best bound first (all parts first);
- once `limit` sections are scored, a group whose bound is below the limit-th best score so far
  cannot place in the top `limit`, nor can any group after it: they are never scored.

Any of a few words (words_top: a word and its misspelling variants, a prefix's completions)
first tries scoring only the sections holding a word other than the commonest one: a word's score
is below its factor, so when those fill the top `limit` above the commonest word's factor, no
section holding that word alone can place.

The total (sections holding any part) is still exact: a set union, in C a piece at a time
(chunks.py, so the GUI's search thread lets the UI thread in). Each section that
is scored gets the same float operations in the same order as Evaluator._coordinated_scores
(parts added largest posting list first, then scaled), so the top `limit` are the full
ranking's, to the last bit and in the same order (tests/test_search_topk.py).
"""

from __future__ import annotations

import heapq
import operator
from bisect import bisect_left
from collections.abc import Callable
from itertools import chain, combinations, compress, repeat

from whoosh import query as wq

from viewer.search.chunks import (
    STRIDE,
    copy_of,
    intersect,
    saturation,
    set_of,
    sorted_of,
    top,
    union_into,
    without,
)
from viewer.search.reading import Coordinated

# Groups of parts are all subsets of them: 2**n - 1 groups. Beyond this many parts (a sentence,
# where coordination fades out anyway) the full evaluation is used.
MAX_PARTS = 4
# Bounds are sums done in another order than the scores' sums: a relative margin far above float
# rounding keeps a bound from ever falling below a score it stands for.
MARGIN = 1e-9


class _Part:
    """One part of the query: the sections holding it, its largest score, and its scores of
    given sections (as Evaluator scores that part)."""

    def __init__(self, docs: set[int], size: int, bound: float, score: Callable[..., list]) -> None:
        self.docs, self.size, self.bound, self.score = docs, size, bound, score


def pruned_top(
    evaluator,
    q: wq.Query,
    limit: int,
    allowed: set[int] | None = None,
    excluded: set[int] | None = None,
) -> tuple[int, list[tuple[int, float]]] | None:
    """(total, best `limit` (docnum, score)) of a Coordinated query restricted to `allowed` and
    without `excluded`, or None when this query is not one pruning handles."""
    if not isinstance(q, Coordinated) or not 2 <= len(q.subqueries) <= MAX_PARTS:
        return None
    parts = [_part(evaluator, sub) for sub in q.subqueries]
    for part in parts:
        if allowed is not None:
            part.docs = intersect(part.docs, allowed)
        if excluded:
            part.docs = without(part.docs, excluded)
    union: set[int] = set()
    for part in parts:
        union_into(union, part.docs)
    # Added in the full evaluation's order: the largest posting list first (a stable sort).
    order = sorted(range(len(parts)), key=lambda i: parts[i].size, reverse=True)
    groups = []
    for size in range(len(parts), 0, -1):
        factor = q.coordination(size)
        for members in combinations(order, size):
            bound = factor * sum(parts[i].bound for i in members)
            groups.append((bound, factor, members))
    groups.sort(key=lambda group: -group[0])  # all parts first among equal bounds (stable)
    scored: dict[int, float] = {}
    bar = float("-inf")
    for bound, factor, members in groups:
        if bound * (1.0 + MARGIN) < bar:
            break  # this group and every one after it rank below the best `limit`
        docs = _holding_exactly(parts, members, evaluator.stats.doc_count)
        if not docs:
            continue
        if len(members) > 1 and len(docs) > limit * 8:
            docs, bar = _within_group(parts, members, factor, docs, scored, limit, bar)
        scored.update(_scores(parts, members, factor, docs))
        if len(scored) >= limit:
            bar = heapq.nlargest(limit, scored.values())[-1]
    return len(union), top(scored, limit)


def _part(evaluator, sub: wq.Query) -> _Part:
    if _is_word(evaluator, sub):
        return _term_part(evaluator, sub)
    if type(sub) is wq.Or and sub.subqueries and all(_is_word(evaluator, t) for t in sub):
        return _words_part(evaluator, sub)  # a word and its misspelling variants
    scores = evaluator.scores(sub)  # a phrase, a word and its variants...: scored in full
    values = list(scores.values())
    return _Part(
        set_of(scores),
        len(scores),
        max(values) if values else 0.0,
        lambda docs: list(map(scores.__getitem__, docs)),
    )


def _is_word(evaluator, q: wq.Query) -> bool:
    return isinstance(q, wq.Term) and evaluator.is_scorable(q.fieldname)


def _words_part(evaluator, q: wq.Or) -> _Part:
    """Any of a few words (a word and its variants), scored as Evaluator scores an Or: the
    words' scores added, the largest posting list first. A section lacking a word gets 0.0 for
    it, which adds nothing (x + 0.0 is x), so the sums are the full evaluation's to the bit."""
    words = [_term_part(evaluator, t) for t in q.subqueries]
    words.sort(key=lambda word: word.size, reverse=True)  # stable, as the full evaluation's
    docs: set[int] = set()
    for word in words:
        docs.update(word.docs)

    def score(chunk: list[int]) -> list[float]:
        sums: list[float] | None = None
        for word in words:
            values = word.score(chunk, True)
            sums = values if sums is None else list(map(operator.add, values, sums))
        return sums or [0.0] * len(chunk)

    return _Part(docs, len(docs), sum(word.bound for word in words), score)


def _term_part(evaluator, q: wq.Term) -> _Part:
    """A word: its postings, and its scores computed as Evaluator._term_scores computes them,
    for the sections asked only."""
    ids, weights, _ = evaluator.postings(q.fieldname, q.text)
    if not ids:
        return _Part(set(), 0, 0.0, lambda docs, _absent_ok=False: [0.0] * len(docs))
    factor = evaluator.term_factor(q.fieldname, q.text, len(ids)) * q.boost
    norms = evaluator.stats.norms(evaluator.searcher, q.fieldname)
    best = 0.0  # the largest w / (w + norm) of any posting: times factor, the word's bound
    for start in range(0, len(ids), STRIDE):
        chunk, chunk_weights = ids[start : start + STRIDE], weights[start : start + STRIDE]
        saturated = saturation(chunk_weights, chunk, norms)
        best = max(best, max(saturated))  # noqa: PLW3301 - the inner max runs in C
    weight_of: dict[int, float] = {}

    def score(docs: list[int], absent_ok: bool = False) -> list[float]:
        """The word's scores of `docs`; with `absent_ok`, 0.0 for a section without it."""
        if not weight_of:  # built on first use: a word no group needs is never looked up
            for start in range(0, len(ids), STRIDE):
                weight_of.update(zip(ids[start : start + STRIDE], weights[start : start + STRIDE]))
        if absent_ok:
            chunk_weights = list(map(weight_of.get, docs, repeat(0.0)))
        else:
            chunk_weights = list(map(weight_of.__getitem__, docs))
        saturated = saturation(chunk_weights, docs, norms)
        return list(map(factor.__mul__, saturated))

    return _Part(set_of(ids), len(ids), factor * best, score)


def _within_group(parts, members, factor, docs, scored, limit, bar):
    """The sections of a large group that may still place, and the bar: one part (the one
    with the largest bound) is scored for all of them; the sections best by it are scored in
    full, which sets the bar if none is set yet; a section whose part score plus the other
    parts' bounds stays below the bar cannot place (MaxScore within the group)."""
    lead = max(members, key=lambda i: parts[i].bound)
    rest = sum(parts[i].bound for i in members if i != lead)
    partial: list[float] = []
    for start in range(0, len(docs), STRIDE):
        partial += parts[lead].score(docs[start : start + STRIDE])
    cutoff = heapq.nlargest(limit, partial)[-1]
    seeds = list(compress(docs, map(cutoff.__le__, partial)))
    scored.update(_scores(parts, members, factor, seeds))
    if len(scored) >= limit:
        bar = max(bar, heapq.nlargest(limit, scored.values())[-1])
    if bar == float("-inf"):
        return docs, bar
    # factor * (p + rest) * (1 + MARGIN) >= bar, with slack for the rounding of this rewrite
    need = bar / (factor * (1.0 + MARGIN)) - rest
    need -= MARGIN * (abs(need) + rest + 1.0)
    return list(compress(docs, map(need.__le__, partial))), bar


def _holding_exactly(parts: list[_Part], members: tuple[int, ...], doc_count: int) -> list[int]:
    """The sections holding every part of `members` and no other part, in document order."""
    inside = sorted((parts[i].docs for i in members), key=len)
    if not inside[0]:
        return []
    docs = copy_of(inside[0]) if len(inside) == 1 else intersect(inside[0], inside[1])
    for other in inside[2:]:
        docs = intersect(docs, other)
    for i, part in enumerate(parts):
        if i not in members and docs:
            docs = without(docs, part.docs)
    return sorted_of(docs, doc_count)


def _scores(parts: list[_Part], members: tuple[int, ...], factor: float, docs: list[int]):
    """{doc: score} of sections holding exactly `members`: the parts' scores added in the order
    given (each new part's score plus the sum so far, as chunks.add_into adds), then scaled."""
    scores: dict[int, float] = {}
    for start in range(0, len(docs), STRIDE):
        chunk = docs[start : start + STRIDE]
        sums: list[float] | None = None
        for i in members:
            values = parts[i].score(chunk)
            sums = values if sums is None else list(map(operator.add, values, sums))
        scores.update(zip(chunk, map(operator.mul, sums or [], repeat(factor))))
    return scores


def words_top(evaluator, q: wq.Query, limit: int) -> tuple[int, list[tuple[int, float]]] | None:
    """(total, best `limit`) of one word or of an Or of words (a word and its misspelling
    variants, a completed prefix), or None for any other query. The same numbers as
    Evaluator.scores then chunks.top, without a dictionary of every posting's score: the
    largest word's scores stay a list beside its sorted document numbers, and each other word's
    sections are found in it by bisection (in C), added in the same order as the full
    evaluation adds them (Or: the largest posting list first, then each next one added)."""
    terms = [q] if isinstance(q, wq.Term) else list(q.subqueries) if type(q) is wq.Or else []
    if not terms or not all(_is_word(evaluator, t) for t in terms):
        return None
    if len(terms) > 1:
        found = _without_largest(evaluator, terms, limit)
        if found is not None:
            return found
    parts = [_word_scores(evaluator, t) for t in terms]
    parts.sort(key=lambda part: len(part[0]), reverse=True)  # stable, as Evaluator's Or
    docs, scores = parts[0]
    scores = list(scores)
    beyond: dict[int, float] = {}  # sections the largest word lacks
    ends = [*docs, -1]  # a bisection past the end finds -1, never a document
    for part_docs, part_scores in parts[1:]:
        for start in range(0, len(part_docs), STRIDE):
            chunk = part_docs[start : start + STRIDE]
            values = part_scores[start : start + STRIDE]
            at = list(map(bisect_left, repeat(docs), chunk))
            inside = list(map(operator.eq, map(ends.__getitem__, at), chunk))
            for i, value in zip(compress(at, inside), compress(values, inside)):
                scores[i] = value + scores[i]
            outside = list(map(operator.not_, inside))
            for doc, value in zip(compress(chunk, outside), compress(values, outside)):
                beyond[doc] = value + beyond.get(doc, 0.0)
    total = len(docs) + len(beyond)
    if not total:
        return 0, []
    cutoff = heapq.nlargest(limit, chain(scores, beyond.values()))[-1]
    reaching = [(doc, beyond[doc]) for doc in beyond if beyond[doc] >= cutoff]
    for start in range(0, len(docs), STRIDE):
        chunk_scores = scores[start : start + STRIDE]
        keep = list(map(cutoff.__le__, chunk_scores))
        reaching += zip(compress(docs[start : start + STRIDE], keep), compress(chunk_scores, keep))
    reaching.sort(key=lambda item: (-item[1], item[0]))
    return total, reaching[:limit]


def _without_largest(evaluator, terms: list[wq.Term], limit: int):
    """words_top's answer when the sections holding only the word in the most sections cannot
    place, else None. A word's score in a section is factor * w / (w + norm) < factor (w and
    the norm are positive), so once `limit` sections holding another word score above the
    largest word's factor, no section holding that word alone can reach the top `limit`:
    only the sections holding one of the other words are scored, the largest word's score
    added where they hold it too. "withdrawl" is also "withdraw" at 0.6 (in 46,000 sections
    at 10,000 articles, the typo in 2,800): 2,800 sections scored, not 46,000.

    The same floats as words_top: per section the words' scores added largest posting list
    first (each new score plus the sum so far), ties in document order; the total is counted."""
    postings = [evaluator.postings(t.fieldname, t.text) for t in terms]
    order = sorted(range(len(terms)), key=lambda i: len(postings[i][0]), reverse=True)
    largest = order[0]
    candidates: set[int] = set()
    for i in order[1:]:
        union_into(candidates, postings[i][0])
    if len(candidates) < limit or len(candidates) * 4 > len(postings[largest][0]):
        return None  # the other words fill too little, or too much to be worth the try
    docs = sorted_of(candidates, evaluator.stats.doc_count)
    sums: dict[int, float] = {}
    holding_largest, bound = 0, 0.0
    for i in order:
        ids, weights, _ = postings[i]
        if not ids:
            continue
        term = terms[i]
        factor = evaluator.term_factor(term.fieldname, term.text, len(ids)) * term.boost
        if i == largest:
            bound = factor
        norms = evaluator.stats.norms(evaluator.searcher, term.fieldname)
        ends = [*ids, -1]  # a bisection past the end finds -1, never a document
        get = sums.get
        for start in range(0, len(docs), STRIDE):
            chunk = docs[start : start + STRIDE]
            at = list(map(bisect_left, repeat(ids), chunk))
            inside = list(map(operator.eq, map(ends.__getitem__, at), chunk))
            held = list(compress(chunk, inside))
            held_weights = list(map(weights.__getitem__, compress(at, inside)))
            values = map(factor.__mul__, saturation(held_weights, held, norms))
            sums.update(zip(held, map(operator.add, values, map(get, held, repeat(0.0)))))
            if i == largest:
                holding_largest += len(held)
    if not bound > 0.0:
        return None
    if heapq.nlargest(limit, sums.values())[-1] <= bound * (1.0 + MARGIN):
        return None  # a section with the largest word alone might place: score them all
    return len(postings[largest][0]) + len(docs) - holding_largest, top(sums, limit)


def _word_scores(evaluator, q: wq.Term) -> tuple[list[int], list[float]]:
    """A word's sections (ascending) and scores, as Evaluator._term_scores computes them."""
    ids, weights, _ = evaluator.postings(q.fieldname, q.text)
    if not ids:
        return [], []
    factor = evaluator.term_factor(q.fieldname, q.text, len(ids)) * q.boost
    norms = evaluator.stats.norms(evaluator.searcher, q.fieldname)
    scores: list[float] = []
    for start in range(0, len(ids), STRIDE):
        chunk, chunk_weights = ids[start : start + STRIDE], weights[start : start + STRIDE]
        saturated = saturation(chunk_weights, chunk, norms)
        scores += map(factor.__mul__, saturated)
    return ids, scores
