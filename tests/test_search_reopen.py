"""After an update, the next search reads the new generation through the segment readers it
already had open for the segments the update left alone (viewer/search/reopening.py), and
still sees exactly what the update changed: the new text, and not the old."""

from __future__ import annotations

from pathlib import Path

from tests.test_search_index import ARTICLE
from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.whoosh_ext import writer as writers


def _leaf_readers(index: SearchIndex) -> list:
    searcher, _, _ = index._open_for_search()  # noqa: SLF001 - this thread's searcher
    return [sub for sub, _ in searcher.reader().leaf_readers()]


def _index(corpus: Path, cache: Path, monkeypatch) -> SearchIndex:
    # Segments this small would all be merged by the first update; a large collection's
    # build writes segments no update merges.
    monkeypatch.setattr(writers, "MERGE_FROM", 10_000)
    (corpus / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    # A small writer memory: the build writes several segments, as a large collection's does.
    index = SearchIndex.for_library(
        Library.load(corpus, cache_dir=cache), cache, writer_memory_mb=0.02, merge_segments=False
    )
    index.ensure_current()
    return index


def test_an_edit_reuses_the_readers_of_the_segments_it_left_alone(
    corpus_copy, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    index = _index(corpus_copy, cache, monkeypatch)
    assert index.search("quokka").total > 0
    before = _leaf_readers(index)
    assert len(before) > 3

    (corpus_copy / "zebra.txt").write_text(
        ARTICLE.replace("quokka", "numbat").replace("Quokka", "Numbat"), encoding="utf-8"
    )
    stats = index.ensure_current(Library.load(corpus_copy, cache_dir=cache))
    assert stats.changed == 1 and not stats.rebuilt

    assert index.search("numbat").total > 0
    assert index.search("quokka").total == 0  # the old sections' deletion is seen
    after = _leaf_readers(index)
    kept = [r for r in after if any(r is old for old in before)]
    # Every segment but the one that held the edited article (its deletions are new) and the
    # one the update wrote.
    assert len(kept) == len(after) - 2
    assert all(not r.is_closed for r in after)
    # The same answers as a searcher opened afresh.
    fresh = SearchIndex.for_library(Library.load(corpus_copy, cache_dir=cache), cache)
    for query in ("numbat", "dopamine withdrawal", "stripes"):
        ours, theirs = index.search(query, limit=20), fresh.search(query, limit=20)
        assert [(h.article, h.anchor) for h in ours.hits] == [
            (h.article, h.anchor) for h in theirs.hits
        ]
        assert [h.score for h in ours.hits] == [h.score for h in theirs.hits]
    fresh.close()
    index.close()


def test_a_new_file_keeps_every_reader_and_closing_closes_them_once(
    corpus_copy, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    index = _index(corpus_copy, cache, monkeypatch)
    index.search("stripes")
    before = _leaf_readers(index)
    (corpus_copy / "wombat.txt").write_text("Wombats.\nA wombat digs burrows.\n", encoding="utf-8")
    index.ensure_current(Library.load(corpus_copy, cache_dir=cache))
    assert index.search("wombat").total == 1
    after = _leaf_readers(index)
    assert len(after) == len(before) + 1
    assert sum(1 for r in after if any(r is old for old in before)) == len(before)
    index.close()
    assert all(r.is_closed for r in after)
