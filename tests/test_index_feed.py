"""The first search index of a new collection, written from the catalogue builder's parse while
the collection is read (viewer/index_feed.py): complete without parsing any article again, the
same as an index built afterwards, stopped cleanly, and with worker processes that all end."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from tests.test_background_catalogue import TEMPLATE, bump, write_collection
from viewer.core.catalogue_builder import CatalogueBuilder, library_from_catalogue
from viewer.core.library import Library
from viewer.index_feed import IndexFeed, article_index_documents
from viewer.search import SearchIndex

QUERIES = ("kratom", "constipation", "southeast asia", "doctor advises", "article 7")


def feed_build(corpus, cache, workers: int, **builder_options):
    """Read `corpus` with the index fed as it goes, as the window does; (library, index, builder,
    feed). The index is opened as the window opens it once the writer is done."""
    done = threading.Event()
    errors = []
    seen = []

    def on_built(error):
        errors.append(error)
        done.set()

    feed = IndexFeed(corpus, cache, on_progress=seen.append, on_built=on_built)
    feed.start()
    builder = CatalogueBuilder(
        corpus,
        cache,
        workers=workers,
        extra=article_index_documents,
        on_extra=feed.put,
        **builder_options,
    )
    library = builder.run()
    feed.end()
    assert done.wait(120)
    feed.join()
    assert errors == [""]
    assert not feed.is_alive()
    index = SearchIndex.for_library(library, cache)
    stats = index.ensure_current()
    assert not stats.rebuilt and not (
        stats.added or stats.changed or stats.removed
    )  # it was current
    return library, index, builder, feed


def hits(index, query: str) -> list[tuple]:
    result = index.search(query, limit=100)
    return sorted((h.article, h.anchor, round(h.score, 6)) for h in result.hits)


@pytest.mark.parametrize("workers", [0, 2])
def test_the_fed_index_finds_what_an_index_built_afterwards_finds(tmp_path, workers, monkeypatch):
    paths = write_collection(tmp_path / "c", 12)
    paths[5].write_bytes(b"")  # a file that cannot be read, in the middle
    library, fed, _, _ = feed_build(tmp_path / "c", tmp_path / "cache", workers, chunk=2)
    try:
        assert len(library) == 11
        reference = SearchIndex.for_library(Library.load(tmp_path / "c"), tmp_path / "reference")
        reference.ensure_current()
        for query in QUERIES:
            assert hits(fed, query) == hits(reference, query), query
        assert hits(fed, "kratom")  # and it finds something at all
        reference.close()
    finally:
        fed.close()


def test_the_fed_index_needs_no_article_read_again(tmp_path):
    write_collection(tmp_path / "c", 8)
    library, fed, _, feed = feed_build(tmp_path / "c", tmp_path / "cache", 0)
    try:
        # Every article came with the stream: the writer's check against the catalogue added none.
        assert (
            feed.stats["streamed"] == 8 and feed.stats["added"] == 0 and not feed.stats["rebuilt"]
        )
        assert {h.article for h in fed.search("kratom", limit=50).hits} == {
            e.id for e in library.entries
        }
    finally:
        fed.close()


def test_articles_the_catalogue_already_knew_are_indexed_too(tmp_path):
    """A start stopped half-way kept its catalogue: the next one's feed brings only the rest,
    and the check against the library indexes the others."""
    write_collection(tmp_path / "c", 10)
    first = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, batch_seconds=0)
    read = []

    def on_batch(batch):
        read.extend(batch.entries)
        if len(read) >= 4:
            first.cancel()

    assert first.run(on_batch) is None
    known = len(library_from_catalogue(tmp_path / "c", tmp_path / "cache"))
    library, fed, builder, feed = feed_build(tmp_path / "c", tmp_path / "cache", 0)
    try:
        assert builder.reused == known and 0 < known < 10
        assert feed.stats["streamed"] == 10 - known and feed.stats["added"] == known
        assert {h.article for h in fed.search("kratom", limit=50).hits} == {
            e.id for e in library.entries
        }
    finally:
        fed.close()


def test_cancelling_the_feed_leaves_no_half_written_index_and_no_process(tmp_path):
    write_collection(tmp_path / "c", 10)
    outcome = []
    feed = IndexFeed(tmp_path / "c", tmp_path / "cache", on_built=outcome.append)
    feed.start()
    builder = CatalogueBuilder(
        tmp_path / "c",
        tmp_path / "cache",
        workers=0,
        extra=article_index_documents,
        on_extra=feed.put,
    )
    put = []

    def put_then_stop(item):
        put.append(item)
        feed.put(item)
        if len(put) == 3:  # the window closes mid-way
            builder.cancel()
            feed.cancel()

    builder.on_extra = put_then_stop
    assert builder.run() is None
    feed.join()
    assert not feed.is_alive() and outcome == []
    assert multiprocessing.active_children() == []
    search = tmp_path / "cache" / "search"
    assert not list(search.glob("gen-*")) and not (search / "CURRENT").exists()
    # A later build is not hindered by it (no stale lock, no leftovers).
    library = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0).run()
    stats = SearchIndex.for_library(library, tmp_path / "cache").ensure_current()
    assert stats.rebuilt and stats.articles == 10


def test_cancelling_worker_processes_leaves_none_running(tmp_path):
    write_collection(tmp_path / "c", 60)
    builder = CatalogueBuilder(
        tmp_path / "c", tmp_path / "cache", workers=2, chunk=4, batch_seconds=0
    )
    read = []

    def on_batch(batch):
        read.extend(batch.entries)
        if len(read) >= 6:
            builder.cancel()

    assert builder.run(on_batch) is None and builder.cancelled
    assert multiprocessing.active_children() == []  # the pool was shut down, no orphans
    kept = library_from_catalogue(tmp_path / "c", tmp_path / "cache")
    assert 6 <= len(kept) < 60  # what was read is a usable catalogue
    assert (
        CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0)
        .run()
        .get("article-059")
        .title
    )


def test_a_file_changed_while_it_is_read_is_indexed_as_catalogued_then_updated(tmp_path):
    """An article edited after it was read is in the index as it was read, like the catalogue;
    the window's reload (the folder watcher) then updates both."""
    paths = write_collection(tmp_path / "c", 6)
    edited = TEMPLATE.format(n=0).replace("kratom is a plant", "zanthoxylum is a plant")
    count = []
    feed = IndexFeed(tmp_path / "c", tmp_path / "cache", on_built=lambda error: None)
    feed.start()

    def on_extra(item):
        feed.put(item)
        count.append(item)
        if len(count) == 2:  # a file already read and indexed is edited
            bump(paths[0], edited)

    library = CatalogueBuilder(
        tmp_path / "c",
        tmp_path / "cache",
        workers=0,
        extra=article_index_documents,
        on_extra=on_extra,
    ).run()
    feed.end()
    feed.join(120)
    index = SearchIndex.for_library(library, tmp_path / "cache")
    try:
        index.ensure_current()
        assert index.search("zanthoxylum").hits == []
        reloaded = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0).run()
        assert index.ensure_current(reloaded).changed == 1
        assert [h.article for h in index.search("zanthoxylum").hits] == ["article-000"]
    finally:
        index.close()
