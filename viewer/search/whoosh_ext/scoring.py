"""Whoosh's own searcher ranking with the fast evaluator's BM25, for queries evaluate.py leaves to it.

A query with a part the evaluator does not handle is searched by Whoosh (engine.py). Whoosh's
BM25F differs from ours (its idf, its average length, no coordination), so such a query would
rank by other rules than the query next to it. Here the same numbers are given to Whoosh:

- `SameBM25`, a weighting model whose term scores are the evaluator's: the same idf (live
  documents only), the same length norms (GenerationStats, by global document number), K1 and B;
- `CoordinatedMatcher`, the matcher of reading.Coordinated: the sum of the parts that match a
  document, scaled by the share of parts matched, as evaluate.py scales it.

tests/test_search_whoosh_ext.py checks that Whoosh with these returns the evaluator's scores and
order over the relevance and malformed-query lists.
"""

from __future__ import annotations

from whoosh.matching import Matcher, NullMatcher
from whoosh.scoring import BaseScorer, WeightingModel, WeightScorer


class SameBM25(WeightingModel):
    """BM25 exactly as evaluate.Evaluator computes it, for one index generation."""

    def __init__(self, evaluator) -> None:
        self.evaluator = evaluator  # its idf, norms and posting counts are the ones used here
        reader = evaluator.searcher.reader()
        leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
        # Whoosh scores each segment with its own sub-searcher and local document numbers.
        self._offsets = {id(leaf): offset for leaf, offset in leaves}

    def supports_block_quality(self) -> bool:
        return False  # no skipping by block maxima: every matching document is scored

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        evaluator = self.evaluator
        live = len(evaluator.postings(fieldname, text)[0])
        offset = self._offsets.get(id(searcher.reader()), 0)
        return _Scorer(
            evaluator.term_factor(fieldname, text, live),
            evaluator.stats.norms(evaluator.searcher, fieldname),
            offset,
        )


class _Scorer(BaseScorer):
    def __init__(self, factor: float, norms: list[float], offset: int) -> None:
        self.factor = factor
        self.norms = norms
        self.offset = offset

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self.factor  # w / (w + norm) stays below 1

    def score(self, matcher) -> float:
        weight = matcher.weight()
        return self.factor * (weight / (weight + self.norms[self.offset + matcher.id()]))


class CoordinatedMatcher(Matcher):
    """Documents any child matches; score: the matching children's sum * factors[how many]."""

    def __init__(self, children: list, factors: list[float]) -> None:
        self.children = [child for child in children if child.is_active()]
        self.factors = factors

    def is_active(self) -> bool:
        return any(child.is_active() for child in self.children)

    def _current(self) -> list:
        active = [child for child in self.children if child.is_active()]
        first = min(child.id() for child in active)
        return [child for child in active if child.id() == first]

    def id(self) -> int:
        return min(child.id() for child in self.children if child.is_active())

    def next(self) -> None:
        for child in self._current():
            child.next()

    def skip_to(self, id) -> None:  # noqa: A002 - Whoosh's Matcher.skip_to signature
        for child in self.children:
            if child.is_active() and child.id() < id:
                child.skip_to(id)

    def score(self) -> float:
        current = self._current()
        return sum(child.score() for child in current) * self.factors[len(current)]

    def weight(self) -> float:
        return sum(child.weight() for child in self._current())

    def reset(self) -> None:
        for child in self.children:
            child.reset()

    def copy(self):
        return CoordinatedMatcher([child.copy() for child in self.children], self.factors)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return sum(child.max_quality() for child in self.children) * max(self.factors)

    def children_matchers(self) -> list:
        return list(self.children)


def coordinated_matcher(query, searcher, context) -> Matcher:
    """The Whoosh matcher of a reading.Coordinated query (see CoordinatedMatcher)."""
    parts = query.subqueries
    if not parts:
        return NullMatcher()
    if len(parts) == 1:
        return parts[0].matcher(searcher, context)
    factors = [query.coordination(matched) for matched in range(len(parts) + 1)]
    return CoordinatedMatcher([part.matcher(searcher, context) for part in parts], factors)
