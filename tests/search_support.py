"""Helpers for the search tests: what a user sees of a list of queries, to compare two indexes
(a one- and a two-process build, an index with and without its vocabulary file)."""

from __future__ import annotations

from collections.abc import Iterable

from viewer.search.index import SearchIndex


def answers(index: SearchIndex, queries: Iterable[str]) -> list:
    """Everything a user sees of each query, typed and as you type (the last word a prefix):
    total, correction, and every hit as shown."""
    seen = []
    for query in queries:
        for prefix in (False, True):
            result = index.search(query, limit=50, prefix_last_word=prefix)
            seen.append(
                (
                    query,
                    prefix,
                    result.total,
                    result.corrected,
                    [(h.article, h.anchor, round(h.score, 9), h.spans) for h in result.hits],
                )
            )
    return seen
