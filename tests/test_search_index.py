"""The index as a cache: built, updated incrementally, rebuilt when damaged or outdated, shared
safely between processes and threads."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from viewer.core.library import Library
from viewer.search import SearchIndex, term_files
from viewer.search.index import MANIFEST, POINTER

ARTICLE = """Zebra crossings slow traffic near schools.
An introduction about zebra crossings and quokka habitats.
- Painted Stripes
- Quokka Sightings
Painted Stripes
White stripes on dark asphalt tell drivers to stop for walkers.
Quokka Sightings
The quokka is a small marsupial that lives on Rottnest Island.
In the end, stripes and quokkas have little in common.
"""


def load(corpus: Path, cache: Path) -> Library:
    return Library.load(corpus, cache_dir=cache)


def open_index(corpus: Path, cache: Path):
    library = load(corpus, cache)
    index = SearchIndex.for_library(library, cache)
    return index, index.ensure_current()


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def index_files(cache: Path) -> list[Path]:
    folder = cache / "search" / (cache / "search" / POINTER).read_text().strip()
    return sorted(p for p in folder.iterdir() if p.name != MANIFEST and "LOCK" not in p.name)


def test_first_use_builds_then_nothing_to_do(corpus_copy, cache):
    index, stats = open_index(corpus_copy, cache)
    assert stats.rebuilt and stats.articles == 5 and stats.sections == 30
    again, stats = open_index(corpus_copy, cache)
    assert not stats.touched and stats.articles == 5
    assert again.search("dopamine").total == index.search("dopamine").total > 0


def test_added_changed_and_removed_files_are_followed(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    assert index.search("quokka").total == 0

    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    stats = index.ensure_current(load(corpus_copy, cache))
    assert (stats.added, stats.changed, stats.removed, stats.rebuilt) == (1, 0, 0, False)
    hit = index.search("quokka").hits[0]
    assert (hit.article, hit.anchor) == ("zebra", "quokka-sightings")

    (corpus_copy / "zebra.txt").write_text(
        ARTICLE.replace("quokka", "wombat").replace("Quokka", "Wombat"), encoding="utf-8"
    )
    stats = index.ensure_current(load(corpus_copy, cache))
    assert (stats.added, stats.changed, stats.removed) == (0, 1, 0)
    assert index.search("quokka").total == 0
    assert index.search("wombat").hits[0].anchor == "wombat-sightings"

    (corpus_copy / "zebra.txt").unlink()
    stats = index.ensure_current(load(corpus_copy, cache))
    assert (stats.added, stats.changed, stats.removed) == (0, 0, 1)
    assert index.search("wombat").total == 0 and index.search("zebra").total == 0
    assert stats.sections == 30


def test_a_touched_but_unchanged_file_is_not_reindexed(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    path = corpus_copy / "kratom-dopamine-withdrawal.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    stats = index.ensure_current(load(corpus_copy, cache))
    assert not stats.touched


def test_a_new_search_index_object_sees_updates_made_by_another(corpus_copy, cache):
    reader, _ = open_index(corpus_copy, cache)
    assert reader.search("quokka").total == 0
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    writer, stats = open_index(corpus_copy, cache)
    assert stats.added == 1
    assert reader.search("quokka").total > 0  # the reader's searcher notices the new generation


@pytest.mark.parametrize(
    "damage", ["truncate", "delete", "garble", "empty-manifest", "pointer", "toc"]
)
def test_a_damaged_index_is_rebuilt_not_fatal(corpus_copy, cache, damage):
    index, _ = open_index(corpus_copy, cache)
    expected = [(h.article, h.anchor) for h in index.search("hyperpigmentation").hits]
    index.close()
    files = index_files(cache)
    segment = max(files, key=lambda p: p.stat().st_size)
    folder = segment.parent
    if damage == "truncate":
        segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 3])
    elif damage == "delete":
        segment.unlink()
    elif damage == "garble":
        data = bytearray(segment.read_bytes())
        for i in range(100, len(data), 97):
            data[i] ^= 0x5A
        segment.write_bytes(bytes(data))
    elif damage == "empty-manifest":
        (folder / MANIFEST).write_text("", encoding="utf-8")
    elif damage == "pointer":
        (cache / "search" / POINTER).write_text("gen-nonexistent\n", encoding="utf-8")
    elif damage == "toc":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(b"\x00garbage")

    repaired, stats = open_index(corpus_copy, cache)
    assert stats.rebuilt and stats.reason
    assert [(h.article, h.anchor) for h in repaired.search("hyperpigmentation").hits] == expected


def test_damage_while_the_app_runs_is_repaired_on_the_next_search(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    expected = index.search("euphoria").hits[0].anchor
    index.close()
    for path in index_files(cache):
        path.unlink()
    # Same object, files gone underneath it (its searchers were closed, as after a swap).
    assert index.search("euphoria").hits[0].anchor == expected


def test_damage_that_keeps_size_and_time_never_crashes_a_search(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    index.close()
    segment = max(index_files(cache), key=lambda p: p.stat().st_size)
    stat = segment.stat()
    data = bytearray(segment.read_bytes())
    for i in range(64, len(data), 61):
        data[i] ^= 0xFF
    segment.write_bytes(bytes(data))
    os.utime(segment, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as if nothing happened
    library = load(corpus_copy, cache)
    fresh = SearchIndex.for_library(library, cache)
    for query in ("kratom", "hyperpigmentation", '"side effects"', "dopamine OR serotonin"):
        # Answers (from a rebuilt index if reading failed); never raises, and every hit it
        # gives leads to a real section of a real article, never to garbage from the damage.
        result = fresh.search(query)
        for hit in result.hits:
            assert (
                hit.article in library and library.get(hit.article).section(hit.anchor) is not None
            )


def test_an_index_of_another_schema_version_is_rebuilt(corpus_copy, cache):
    open_index(corpus_copy, cache)
    folder = index_files(cache)[0].parent
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema"] = -1
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    index, stats = open_index(corpus_copy, cache)
    assert stats.rebuilt and "schema" in stats.reason
    assert index.search("dopamine").total > 0
    assert not open_index(corpus_copy, cache)[1].touched


def test_rebuild_swaps_in_a_new_folder_and_removes_the_old(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    before = (cache / "search" / POINTER).read_text().strip()
    stats = index.rebuild()
    after = (cache / "search" / POINTER).read_text().strip()
    assert stats.rebuilt and before != after
    assert sorted(p.name for p in (cache / "search").glob("gen-*")) == [after]
    assert index.search("dopamine").total > 0


def _index_in_child(corpus: str, cache: str, rebuild: bool, barrier) -> None:
    library = Library.load(corpus, cache_dir=cache)
    index = SearchIndex.for_library(library, cache)
    barrier.wait(timeout=60)
    (index.rebuild if rebuild else index.ensure_current)()
    assert index.search("dopamine").total > 0


@pytest.mark.slow
@pytest.mark.parametrize("rebuild", [False, True])
def test_two_processes_indexing_at_once_both_finish_and_the_index_is_good(
    corpus_copy, cache, rebuild
):
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    Library.load(corpus_copy, cache_dir=cache)  # the catalogue first, so both children share it
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    children = [
        context.Process(
            target=_index_in_child, args=(str(corpus_copy), str(cache), rebuild, barrier)
        )
        for _ in range(2)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0]
    index, stats = open_index(corpus_copy, cache)
    assert not stats.rebuilt and stats.articles == 6
    assert index.search("quokka").hits[0].article == "zebra"
    assert len(list((cache / "search").glob("gen-*"))) == 1


def test_a_process_that_cannot_get_the_lock_searches_the_index_as_it_is(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(cache / "search")).lock("UPDATE_LOCK")
    assert lock.acquire()
    try:
        (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
        waiting = SearchIndex.for_library(load(corpus_copy, cache), cache, lock_timeout=0.2)
        stats = waiting.ensure_current()
        assert not stats.touched and "another process" in stats.reason
        assert waiting.search("dopamine").total > 0
    finally:
        lock.release()
    assert waiting.ensure_current().added == 1


def test_searches_from_many_threads_agree(corpus_copy, cache):
    index, _ = open_index(corpus_copy, cache)
    queries = ["kratom", "hyperpigmentation", "withdrawl", '"side effects"', "kratim", "dopa"]
    expected = {q: index.search(q, prefix_last_word=True).to_json() for q in queries}
    failures: list[str] = []

    def worker() -> None:
        for _ in range(5):
            for q in queries:
                if index.search(q, prefix_last_word=True).to_json() != expected[q]:
                    failures.append(q)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    index.close()


# -- a larger Markdown collection ---------------------------------------------------------------

TOPICS = [
    "installation",
    "configuration",
    "logging",
    "authentication",
    "caching",
    "deployment",
    "testing",
    "migrations",
    "plugins",
    "templates",
    "permissions",
    "scheduling",
]


def write_docs(folder: Path) -> None:
    """60 pages like a project's docs folder: front matter, headings, lists, code, links."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(60):
        topic = TOPICS[n % len(TOPICS)]
        part = n // len(TOPICS) + 1
        (folder / f"{topic}-{part}.md").write_text(
            f"---\ntitle: {topic.capitalize()} guide, part {part}\n---\n\n"
            f"This page explains {topic} for version {part}.0 of the toolkit.\n\n"
            f"## Overview of {topic}\n\nThe {topic} subsystem reads `settings.toml` and reports "
            f"problems through the event bus. See [the index](index.md) for other pages.\n\n"
            f"## {topic.capitalize()} options\n\n- `{topic}_enabled`: turn {topic} on or off\n"
            f"- `{topic}_level`: how much {topic} work to do\n\n"
            f"```python\nimport toolkit\ntoolkit.{topic}.setup(level={part})\n```\n\n"
            f"## Troubleshooting {topic}\n\nIf {topic} fails, run the doctor command and read the "
            f"report. Part {part} adds notes on {'retries' if part % 2 else 'timeouts'}.\n",
            encoding="utf-8",
        )


def test_a_docs_folder_of_markdown_pages_indexes_and_searches_sensibly(tmp_path):
    docs = tmp_path / "docs"
    write_docs(docs)
    index, stats = open_index(docs, tmp_path / "cache")
    assert stats.articles == 60 and stats.sections >= 60 * 4
    hit = index.search("authentication options").hits[0]
    assert hit.article.startswith("authentication") and hit.anchor == "authentication-options"
    hit = index.search("troubleshooting caching").hits[0]
    assert hit.article.startswith("caching") and hit.anchor == "troubleshooting-caching"
    result = index.search("title:deployment", limit=50)
    assert result.total == 5 * 4 and {h.article.split("-")[0] for h in result.hits} == {
        "deployment"
    }
    assert index.search('"event bus"', limit=100).total == 60
    assert index.search("schedul", prefix_last_word=True).hits[0].article.startswith("scheduling")
    assert index.search("migratons").corrected == "migrations"
    assert index.search("retries", limit=100).total == 36  # parts 1, 3 and 5 of each topic
    assert index.search("timeouts", limit=100).total == 24
    assert "toolkit" in index.search("toolkit.logging.setup").hits[0].snippet


def test_an_index_updated_in_place_ranks_exactly_as_a_clean_build(corpus_copy, tmp_path):
    # Issue 17: after an incremental update the old versions of changed sections are deleted
    # but still in the files; BM25 must count live documents only, or scores drift.
    updated_cache, clean_cache = tmp_path / "updated", tmp_path / "clean"
    index, _ = open_index(corpus_copy, updated_cache)
    path = corpus_copy / "kratom-dopamine-withdrawal.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("dopamine", "dopamine dopamine kratom"),
        encoding="utf-8",
    )
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    stats = index.ensure_current(load(corpus_copy, updated_cache))
    assert stats.changed == 1 and stats.added == 1 and not stats.rebuilt
    clean, _ = open_index(corpus_copy, clean_cache)
    for query in ("kratom", "dopamine withdrawal", '"side effects"', "zebra crossings", "dose"):
        updated_hits = {(h.article, h.anchor): h.score for h in index.search(query, limit=100).hits}
        clean_hits = {(h.article, h.anchor): h.score for h in clean.search(query, limit=100).hits}
        assert updated_hits.keys() == clean_hits.keys(), query
        for key, score in clean_hits.items():
            assert updated_hits[key] == pytest.approx(score, rel=1e-9), (query, key)


def test_what_a_killed_update_left_behind_is_cleared_without_a_rebuild(corpus_copy, cache):
    # A window closed in the middle of an update: its segment's files were created, and its
    # pool's temporary folder holds sorted runs; the manifest lists neither.
    index, _ = open_index(corpus_copy, cache)
    index.close()
    folder = index_files(cache)[0].parent
    (folder / "MAIN_4vc0niveu30mz0vg.pst").write_bytes(b"")
    (folder / "MAIN_4vc0niveu30mz0vg.trm").write_bytes(b"")
    (folder / "MAIN.tmp").mkdir()
    (folder / "MAIN.tmp" / "0plsmss1vn222zp8.run").write_bytes(b"\x00" * 1000)
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    again, stats = open_index(corpus_copy, cache)
    assert not stats.rebuilt and stats.added == 1  # the update is done again, nothing more
    assert not (folder / "MAIN.tmp").exists()
    assert not (folder / "MAIN_4vc0niveu30mz0vg.pst").exists()
    assert again.search("quokka").total > 0 and again.search("dopamine").total > 0


def test_an_update_reads_only_the_index_files_it_wrote(corpus_copy, cache, monkeypatch):
    import viewer.search.index_files as on_disk

    index, _ = open_index(corpus_copy, cache)
    # Every update rewrites the vocabulary file (term_files): the other files stay as built.
    built = {p.name for p in index_files(cache)} - {term_files.GENERATION_FILE}
    read = []
    real = on_disk._crc32
    monkeypatch.setattr(on_disk, "_crc32", lambda path: read.append(path.name) or real(path))
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    stats = index.ensure_current(load(corpus_copy, cache))
    assert stats.added == 1 and index.search("quokka").total > 0
    assert read and not set(read) & built  # the build's files were checked once, not again
    # Another object (another process) trusts nothing it did not compute itself.
    read.clear()
    fresh = SearchIndex.for_library(load(corpus_copy, cache), cache)
    assert not fresh.ensure_current().touched
    assert set(read) == {p.name for p in index_files(cache)}


def test_an_update_touching_most_articles_is_made_a_build(corpus_copy, cache):
    """A new classifier or parser changes every article's fingerprint: re-adding them one by one
    in one writer is slow and holds far more memory than a build, so it is a build."""
    library = load(corpus_copy, cache)
    index = SearchIndex.for_library(library, cache, rebuild_at=3)
    index.ensure_current()
    for path in sorted(corpus_copy.glob("*.md"))[:3]:
        path.write_text(path.read_text(encoding="utf-8") + "\nA quokka was seen.\n", "utf-8")
    stats = index.ensure_current(load(corpus_copy, cache))
    assert stats.rebuilt and stats.reason == "most articles changed"
    assert index.search("quokka").total == 3

    # One changed article of five stays an update, under any threshold.
    path = sorted(corpus_copy.glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nA wombat too.\n", "utf-8")
    stats = index.ensure_current(load(corpus_copy, cache))
    assert (stats.changed, stats.rebuilt) == (1, False)
    assert index.search("wombat").total == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_a_search_leaves_the_garbage_collector_as_it_found_it(
    corpus_copy, cache, enabled, monkeypatch
):
    # A query runs with the collector off (its millions of short-lived tuples go by reference
    # counting); left off, an app would grow without bound, and one paused on purpose (the
    # window before its first paint) must stay paused.
    import gc

    index = SearchIndex.for_library(Library.load(corpus_copy), cache)
    index.ensure_current()
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert index.search("kratom").hits
        assert gc.isenabled() is enabled
        from viewer.core.errors import ViewerError
        from viewer.search.engine import QueryRunner

        def refuses(self, text):
            raise ViewerError(f"cannot read the query {text!r}")

        monkeypatch.setattr(QueryRunner, "run", refuses)
        with pytest.raises(ViewerError):  # raised while the query ran: the collector comes back
            index.search("kratom")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
        index.close()
