"""Building the index: bounded memory (several segments) with the same hits as one segment, the
cycle collector off during a build in any thread and back on after, however the build ends."""

from __future__ import annotations

import gc
import re
import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from tests import search_support
from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.index import POINTER

# Plain words, several words, a phrase, OR, NOT, fields, a misspelling, a prefix (typing).
QUERIES = [
    "kratom",
    "dopamine",
    "withdrawal symptoms",
    '"side effects"',
    "anxiety OR insomnia",
    "pain NOT opioid",
    "title:dosage",
    "topic:hyperpigmentation",
    "withdrawl",
    "dop",
    "kratom dop",
    "hair loss",
    "7-hydroxymitragynine",
]


def segment_count(cache: Path) -> int:
    folder = cache / "search" / (cache / "search" / POINTER).read_text().strip()
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        return len(reader.leaf_readers())


def answers(index: SearchIndex) -> list:
    return search_support.answers(index, QUERIES)


@pytest.fixture
def library(corpus_copy) -> Library:
    return Library.load(corpus_copy)


def test_a_small_memory_limit_writes_several_segments_with_the_same_hits(library, tmp_path):
    whole = SearchIndex.for_library(library, tmp_path / "one")
    whole.rebuild()
    assert segment_count(tmp_path / "one") == 1
    split = SearchIndex.for_library(
        library, tmp_path / "many", writer_memory_mb=0.02, merge_segments=False
    )
    stats = split.rebuild()
    assert segment_count(tmp_path / "many") > 3
    assert stats.articles == 5 and stats.sections == 30
    assert answers(split) == answers(whole)
    assert any(hits for *_, hits in answers(split))
    whole.close()
    split.close()


def test_a_build_keeps_only_the_segment_it_is_writing_in_memory(library, tmp_path):
    """With the collector off during a build, each written segment's writers (and the postings
    they reach) must still be let go, or memory grows with the collection."""
    writers_alive: list[int] = []

    def progress(done: int, total: int) -> None:
        writers_alive.append(sum(type(o).__name__ == "W3PerDocWriter" for o in gc.get_objects()))

    index = SearchIndex.for_library(
        library, tmp_path / "cache", writer_memory_mb=0.02, merge_segments=False
    )
    index.rebuild(progress=progress)
    assert segment_count(tmp_path / "cache") > 3
    assert writers_alive and max(writers_alive) <= 1  # the segment being filled, no other
    index.close()


def test_an_index_of_several_segments_updates_and_reopens_cleanly(corpus_copy, tmp_path):
    cache = tmp_path / "cache"
    index = SearchIndex.for_library(
        Library.load(corpus_copy, cache_dir=cache),
        cache,
        writer_memory_mb=0.02,
        merge_segments=False,
    )
    index.ensure_current()
    (corpus_copy / "quokka.txt").write_text(
        "Quokkas of Rottnest.\nThe quokka is a small marsupial.\n", encoding="utf-8"
    )
    stats = index.ensure_current(Library.load(corpus_copy, cache_dir=cache))
    assert stats.added == 1 and not stats.rebuilt
    assert index.search("quokka").total == 1
    reopened = SearchIndex.for_library(Library.load(corpus_copy, cache_dir=cache), cache)
    assert not reopened.ensure_current().touched  # the manifest and the index agree
    assert reopened.search("dopamine").total == index.search("dopamine").total > 0
    index.close()
    reopened.close()


def _build_recording_gc(index: SearchIndex, states: list, fail: bool = False) -> None:
    def progress(done: int, total: int) -> None:
        states.append(gc.isenabled())
        if fail:
            raise RuntimeError("stop")

    try:
        index.rebuild(progress=progress)
    except RuntimeError:
        pass


@pytest.mark.parametrize("fail", [False, True])
def test_a_build_in_a_worker_thread_pauses_the_collector_and_restores_it(library, tmp_path, fail):
    assert gc.isenabled()
    index = SearchIndex.for_library(library, tmp_path / "cache")
    states: list[bool] = []
    worker = threading.Thread(target=_build_recording_gc, args=(index, states, fail))
    worker.start()
    worker.join()
    assert states and not any(states)  # off throughout the build, in the worker thread too
    assert gc.isenabled()  # and on again once it ended (finished or failed)
    if not fail:
        assert index.search("dopamine").total > 0
    index.close()


def test_a_build_inside_another_pause_leaves_the_collector_off(library, tmp_path):
    index = SearchIndex.for_library(library, tmp_path / "cache")
    gc.disable()
    try:
        index.rebuild()
        assert not gc.isenabled()
    finally:
        gc.enable()
    index.close()


def test_a_build_reads_and_fingerprints_each_article_once(corpus_copy, tmp_path, monkeypatch):
    import viewer.core.catalogue as catalogue
    import viewer.core.library as library_module

    cache = tmp_path / "cache"
    library = Library.load(corpus_copy, cache_dir=cache)
    reads: list[str] = []
    real_read = library_module.read_article
    monkeypatch.setattr(
        library_module,
        "read_article",
        lambda path, *args: reads.append(path.name) or real_read(path, *args),
    )
    fingerprints: list[str] = []
    real_fingerprint = catalogue.content_fingerprint
    counting = lambda article: fingerprints.append(article.id) or real_fingerprint(article)  # noqa: E731
    # documents.article_state imports it from the catalogue when called: this one counts both.
    monkeypatch.setattr(catalogue, "content_fingerprint", counting)
    index = SearchIndex.for_library(library, cache)
    assert index.ensure_current().rebuilt
    assert sorted(reads) == sorted(p.name for p in corpus_copy.iterdir())
    # Once each: the library's check that the catalogue's verdicts fit the file read; the
    # manifest takes the catalogue's fingerprint rather than hashing the article again.
    assert sorted(fingerprints) == sorted(e.id for e in library.entries)
    monkeypatch.undo()
    # What the manifest remembers is what the next load's catalogue says: nothing to redo.
    assert not index.ensure_current(Library.load(corpus_copy, cache_dir=cache)).touched
    index.close()


def test_a_build_from_the_catalogue_keeps_no_outlines_it_only_needed_in_passing(
    corpus_copy, tmp_path
):
    from viewer.core.library import outline_parsed

    cache = tmp_path / "cache"
    Library.load(corpus_copy, cache_dir=cache)  # writes the catalogue
    library = Library.load(corpus_copy, cache_dir=cache)
    kept = library.entries[0]
    assert kept.sections  # asked for by someone (the reader): stays parsed
    index = SearchIndex.for_library(library, cache)
    assert index.ensure_current().rebuilt
    assert outline_parsed(kept)
    assert not any(outline_parsed(e) for e in library.entries[1:])
    assert [s.anchor for s in library.entries[1].sections]  # still there when asked again
    assert index.search("dopamine").total > 0
    index.close()


def resident_kb(file_name: str, under: Path) -> int:
    """Resident kB of this process's mappings of files called `file_name` in the folder `under`
    (Linux's smaps). Only this test's: libraries other tests left alive (frozen, say) may still
    map catalogues of the same name elsewhere."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text(encoding="utf-8").splitlines():
        if re.match(r"[0-9a-f]+-[0-9a-f]+ ", line):
            path = line.rstrip().split(maxsplit=5)[-1] if len(line.split()) > 5 else ""
            inside = path.endswith("/" + file_name) and path.startswith(str(under) + "/")
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.parametrize("processes", [1, 2])
def test_a_build_lets_go_of_the_catalogue_pages_it_read(corpus_copy, tmp_path, processes):
    """The catalogue's outlines are a mapped file; a build reads every article's (verdicts,
    the helper's handover), and those pages counted in its memory until the end: 220 MB at
    50,000 articles. Indexed, they are let go."""
    from viewer.core.catalogue_store import OUTLINES_NAME

    cache = tmp_path / "cache"
    Library.load(corpus_copy, cache_dir=cache)  # writes the catalogue
    library = Library.load(corpus_copy, cache_dir=cache)
    assert all(entry.outline_line() for entry in library.entries)  # every outline page read
    assert resident_kb(OUTLINES_NAME, cache) > 0
    index = SearchIndex.for_library(library, cache, build_processes=processes)
    assert index.rebuild().rebuilt
    assert resident_kb(OUTLINES_NAME, cache) == 0
    assert [s.anchor for s in library.entries[1].sections]  # still readable when asked
    assert index.search("dopamine").total > 0
    index.close()


def test_the_helpers_entries_are_handed_over_one_at_a_time(corpus_copy, tmp_path, monkeypatch):
    """Packed all at once, the helper's half of the entries (their outline bytes) was the main
    process's peak at 50,000 articles; written one at a time, at most one is held."""
    import weakref

    from viewer.core import parse_worker
    from viewer.search import building

    cache = tmp_path / "cache"
    Library.load(corpus_copy, cache_dir=cache)
    library = Library.load(corpus_copy, cache_dir=cache)
    alive: weakref.WeakSet = weakref.WeakSet()
    most = []
    real = parse_worker.pack_entry

    def pack(entry):
        packed = real(entry)
        alive.add(packed)
        most.append(len(alive))
        return packed

    monkeypatch.setattr(parse_worker, "pack_entry", pack)
    path = tmp_path / "handover"
    building.write_handover(path, library, library.entries)
    assert len(most) == len(library.entries) > 2 and max(most) == 1
    stamps, entries = building.read_handover(path)
    assert [(e.id, e.path, e.head(), e.outline_line()) for e in entries] == [
        (e.id, e.path, e.head(), e.outline_line()) for e in library.entries
    ]
    assert stamps == {e.path: library.recorded_stamp(e.id) for e in library.entries}


class Closing(Exception):
    """What a progress callback raises for a window closing during a build."""


def _assert_the_index_in_use_stays(index, cache: Path, before, monkeypatch) -> None:
    """After a cancelled build: only the index in use is left (the new folder removed), it
    answers as before, and a build without the cancel writes the same index again."""
    folders = list((cache / "search").glob("gen-*"))
    assert len(folders) == 1 and (cache / "search" / POINTER).read_text().strip() == (
        folders[0].name
    )
    assert answers(index) == before
    monkeypatch.undo()
    index.rebuild()
    assert answers(index) == before


def test_a_cancel_while_a_segment_is_written_ends_the_build_there_and_keeps_the_index(
    library, tmp_path, monkeypatch
):
    """A cancel (the window closing) raised by the progress callback while a segment is being
    written out ends the build inside that write, not after it; the new folder goes, the index
    in use stays as it was, and the next build is not hindered."""
    from viewer.search.whoosh_ext import writer

    index = SearchIndex.for_library(library, tmp_path / "cache", writer_memory_mb=0.02)
    index.rebuild()
    before = answers(index)
    monkeypatch.setattr(writer, "INTERRUPT_TERMS", 1)  # the tiny segments are checked too

    writing, interrupted = [], []
    real = writer.BulkWriter._flush_segment

    def flush(self) -> None:
        writing.append(self)
        try:
            real(self)
        except Closing:
            interrupted.append(self)
            raise

    monkeypatch.setattr(writer.BulkWriter, "_flush_segment", flush)

    def progress(_done: int, _total: int) -> None:
        if writing:
            raise Closing

    with pytest.raises(Closing):
        index.rebuild(progress=progress)
    assert interrupted == writing[:1]  # inside the first segment's write
    _assert_the_index_in_use_stays(index, tmp_path / "cache", before, monkeypatch)


def test_a_cancel_while_segments_are_merged_ends_the_build_there_and_keeps_the_index(
    library, tmp_path, monkeypatch
):
    """The merge at the end of a build (whoosh_ext/merging.py) is as long as a segment's write:
    a cancel raised while it runs ends the build inside the merge; the new folder goes, the
    index in use stays as it was, and the next build is not hindered."""
    from viewer.search.whoosh_ext import merging

    index = SearchIndex.for_library(library, tmp_path / "cache", writer_memory_mb=0.02)
    index.rebuild()
    before = answers(index)
    monkeypatch.setattr(merging, "INTERRUPT_EVERY", 1)

    merging_now, interrupted = [], []
    real = merging._merge_postings

    def merge(*args) -> None:
        merging_now.append(True)
        try:
            real(*args)
        except Closing:
            interrupted.append(True)
            raise

    monkeypatch.setattr(merging, "_merge_postings", merge)

    def progress(_done: int, _total: int) -> None:
        if merging_now:
            raise Closing

    with pytest.raises(Closing):
        index.rebuild(progress=progress)
    assert interrupted == [True]  # inside the postings' merge, not after it
    _assert_the_index_in_use_stays(index, tmp_path / "cache", before, monkeypatch)
