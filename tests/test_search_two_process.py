"""A new index built in two processes (viewer/search/building.py): the same hits, in the same
order with the same scores, as a one-process build, including for a file changed or broken
since the catalogue was read; a cancelled build leaves no folder, lock or process behind; a
helper that fails leaves the first process to build its part."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from benchmarks.corpus_gen import write_corpus
from tests.test_search_build import QUERIES, answers, segment_count
from viewer.core.library import Library
from viewer.search import SearchIndex, building
from viewer.search.index import POINTER

pytestmark = pytest.mark.slow  # each build starts a Python process that imports Whoosh

QUERIES_GENERATED = [*QUERIES, "sleep", "liver damage", '"blood pressure"', "caffeine OR alcohol"]


@pytest.fixture
def generated(tmp_path) -> Path:
    """60 generated articles (benchmarks/corpus_gen.py), in a folder of their own."""
    corpus = tmp_path / "generated" / "corpus"
    write_corpus(corpus, 60, 7)
    return corpus


def build(corpus: Path, cache: Path, processes: int, **kwargs) -> tuple[SearchIndex, object]:
    library = Library.load(corpus, cache_dir=corpus.parent / "catalogue")
    index = SearchIndex.for_library(library, cache, build_processes=processes, **kwargs)
    return index, index.rebuild()


def seen(index: SearchIndex) -> list:
    found = answers(index)
    for query in QUERIES_GENERATED[len(QUERIES) :]:
        result = index.search(query, limit=50)
        found.append([(h.article, h.anchor, round(h.score, 9)) for h in result.hits])
    return found


def test_two_processes_give_the_hits_order_and_scores_of_one(generated, tmp_path):
    one, one_stats = build(generated, tmp_path / "one", 1)
    two, two_stats = build(generated, tmp_path / "two", 2)
    assert segment_count(tmp_path / "two") == 2  # the helper's segment follows ours
    assert (two_stats.articles, two_stats.sections) == (one_stats.articles, one_stats.sections)
    assert seen(two) == seen(one)
    assert sum(len(hits) for *_, hits in answers(two)) > 50
    # The manifest lists every article of both halves: the next start has nothing to redo.
    library = Library.load(generated, cache_dir=generated.parent / "catalogue")
    assert not SearchIndex.for_library(library, tmp_path / "two").ensure_current().touched
    folder = (
        tmp_path / "two" / "search" / (tmp_path / "two" / "search" / POINTER).read_text().strip()
    )
    assert not (folder / building.PART_FOLDER).exists()
    assert not multiprocessing.active_children()
    one.close()
    two.close()


def test_several_segments_in_each_process_keep_the_same_hits(generated, tmp_path):
    one, _ = build(generated, tmp_path / "one", 1)
    two, _ = build(generated, tmp_path / "two", 2, writer_memory_mb=0.2, merge_segments=False)
    assert segment_count(tmp_path / "two") > 4
    assert seen(two) == seen(one)
    one.close()
    two.close()


def test_files_changed_or_broken_since_the_catalogue_was_read(generated, tmp_path):
    library = Library.load(generated, cache_dir=tmp_path / "catalogue")
    entries = library.entries
    changed, broken = entries[-3], entries[-10]  # both in the helper's half
    path = generated / changed.path
    path.write_text(path.read_text(encoding="utf-8") + "\nA zyzzyva appeared here.\n", "utf-8")
    os.utime(path, ns=(1, 1))  # another size and time than the catalogue's
    (generated / broken.path).write_bytes(b"")
    results = []
    for processes in (1, 2):
        cache = tmp_path / f"cache-{processes}"
        index = SearchIndex.for_library(library, cache, build_processes=processes)
        stats = index.rebuild()
        assert stats.articles == len(entries) - 1  # the emptied file is left out
        assert index.search("zyzzyva").total == 1
        assert not index.has_article(broken.id)
        results.append(seen(index))
        index.close()
    assert results[0] == results[1]


def test_progress_counts_both_processes_to_the_end(generated, tmp_path):
    library = Library.load(generated, cache_dir=tmp_path / "catalogue")
    calls: list[tuple[int, int]] = []
    index = SearchIndex.for_library(library, tmp_path / "cache", build_processes=2)
    index.rebuild(progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(library), len(library))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    index.close()


def test_a_cancelled_build_leaves_no_folder_lock_or_process(generated, tmp_path):
    library = Library.load(generated, cache_dir=tmp_path / "catalogue")
    cache = tmp_path / "cache"
    kept = SearchIndex.for_library(library, cache, build_processes=1)
    kept.rebuild()
    before = kept.search("sleep").total

    class Stop(Exception):
        pass

    def stop_halfway(done: int, total: int) -> None:
        if done >= total // 2:
            raise Stop

    index = SearchIndex.for_library(library, cache, build_processes=2)
    with pytest.raises(Stop):
        index.rebuild(progress=stop_halfway)
    assert not multiprocessing.active_children()
    assert len(list((cache / "search").glob("gen-*"))) == 1  # only the previous index
    assert index.search("sleep").total == before  # which is still the one searched
    again = SearchIndex.for_library(library, cache, build_processes=2, lock_timeout=1)
    assert again.rebuild().rebuilt  # the lock was released
    kept.close()
    index.close()
    again.close()


def test_a_failed_helper_leaves_its_part_to_the_first_process(generated, tmp_path, monkeypatch):
    one, _ = build(generated, tmp_path / "one", 1)
    start = building.Helper.start

    def start_into_a_taken_folder(self) -> bool:
        self.part.mkdir()  # the helper's own mkdir fails: it reports the failure and ends
        return start(self)

    monkeypatch.setattr(building.Helper, "start", start_into_a_taken_folder)
    two, stats = build(generated, tmp_path / "two", 2)
    assert stats.articles == 60
    assert segment_count(tmp_path / "two") == 1
    assert seen(two) == seen(one)
    assert not multiprocessing.active_children()
    one.close()
    two.close()


def test_small_or_in_memory_libraries_build_in_one_process(corpus_copy, generated, tmp_path):
    assert building.build_processes(Library.load(corpus_copy), 2) == 1  # held in memory
    catalogued = Library.load(generated, cache_dir=tmp_path / "catalogue")
    assert building.build_processes(catalogued, None) == 1  # 60 articles: not worth a process
    assert building.build_processes(catalogued, 2) == 2
