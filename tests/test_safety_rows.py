"""The Safety panel's plain rows (viewer/ui/safety_rows.py): counted without making the
passages, they say what group_passages (the reference) says; patched batch by batch, in any
order, they are the rows a build of the final library makes."""

from __future__ import annotations

import random

import pytest

from tests.safety_panel_support import pending, write_articles
from viewer.ui.safety_passages import group_passages, passage_counts
from viewer.ui.safety_rows import SafetyRows


def reference_counts(entry) -> dict:
    counts: dict = {}
    for group in group_passages([entry]):
        for severity, passages in group.by_severity():
            counts[(group.category, severity)] = len(passages)
    return counts


def shape(rows: SafetyRows) -> list:
    """Every row's text-bearing fields, in order (sentences included, made on demand)."""
    return [
        (
            category.category,
            category.passages,
            category.whole,
            len(category.articles),
            [
                (
                    severity.severity,
                    severity.passages,
                    [
                        (
                            article.article_id,
                            article.count,
                            [p.passage for p in rows.children_of(article)],
                        )
                        for article in severity.children
                    ],
                )
                for severity in category.children
            ],
        )
        for category in rows.categories()
    ]


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    return write_articles(tmp_path_factory.mktemp("c") / "c", 12)


def test_counts_without_passages_equal_the_grouped_passages(library, collection):
    for entry in [*library.entries, *collection.entries]:
        assert passage_counts(entry) == reference_counts(entry), entry.id
    # and the rows made from them list exactly group_passages' passages, in its order
    rows = SafetyRows()
    rows.update(library.entries)
    listed = {
        g.category: [p for _s, passages in g.by_severity() for p in passages]
        for g in group_passages(library.entries)
    }
    assert {
        c.category: [p.passage for s in c.children for a in s.children for p in rows.children_of(a)]
        for c in rows.categories()
    } == listed


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rows_patched_batch_by_batch_are_the_rows_of_a_full_build(collection, seed):
    rng = random.Random(seed)
    entries = list(collection.entries)
    rows = SafetyRows()
    rows.update(pending(e) for e in entries)
    assert rows.categories() == [] and rows.pending == len(entries)
    order = entries[:]
    rng.shuffle(order)
    while order:  # batches of random sizes, in random order
        size = rng.randint(1, 4)
        batch, order = order[:size], order[size:]
        rows.update(batch)
    gone = entries[rng.randrange(len(entries))]
    rows.update([], [gone.id])  # and one article deleted
    rows.update([entries[0]])  # one given again (an edit: the same verdicts)
    full = SafetyRows()
    full.update(e for e in entries if e is not gone)
    assert shape(rows) == shape(full)
    assert rows.pending == 0
    for category in rows.categories():
        for severity in category.children:
            ids = [a.article_id for a in severity.children]
            assert ids == sorted(ids)  # the library's order (titles "Article 00", "Article 01"..)
            assert [a.position() for a in severity.children] == list(range(len(ids)))
