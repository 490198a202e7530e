"""The piecewise set operations of search/chunks.py give exactly what Python's own do (they
exist so that a search in the GUI's worker thread never holds the interpreter for long; which
is not a unit test's business to time): over empty sets, sets smaller and larger than a piece,
and document numbers at both ends of the range."""

from __future__ import annotations

import random

import pytest

from viewer.search import chunks

SIZE = chunks.STRIDE * 3 + 17


def samples() -> list[set[int]]:
    rng = random.Random(3)
    return [
        set(),
        {0},
        {SIZE - 1},
        {0, SIZE - 1},
        set(rng.sample(range(SIZE), 100)),
        set(rng.sample(range(SIZE), chunks.STRIDE + 1)),
        set(rng.sample(range(SIZE), SIZE // 2)),
        set(range(SIZE)),
    ]


@pytest.mark.parametrize("docs", samples(), ids=lambda s: f"{len(s)} docs")
def test_piecewise_operations_equal_the_builtin_ones(docs):
    other = set(random.Random(len(docs)).sample(range(SIZE), SIZE // 3))
    assert chunks.sorted_of(docs, SIZE) == sorted(docs)
    assert chunks.copy_of(docs) == docs and chunks.copy_of(docs) is not docs
    assert chunks.intersect(docs, other) == docs & other
    assert chunks.without(docs, other) == docs - other
    union = set(other)
    chunks.union_into(union, docs)
    assert union == docs | other
    assert [x for piece in chunks.pieces(docs) for x in piece] == list(docs)
    assert all(0 < len(piece) <= chunks.STRIDE for piece in chunks.pieces(docs))
