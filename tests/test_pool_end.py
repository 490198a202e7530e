"""Closing while parse workers cannot end by themselves (viewer/core/parse_worker.py, end_pool):
a worker stuck in its chunk, or the executor's own shutdown blocked (CPython 3.11 can deadlock
there, python/cpython#125451). The window's close waits for the pass that owns the pool, so the
pool must end within its bound all the same: no worker left, nothing half-written, and the next
start reads what is missing."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import viewer.core.catalogue_builder as builder_module
import viewer.core.parse_worker as parse_worker
from tests.test_background_catalogue import write_collection
from viewer.core.catalogue_builder import CatalogueBuilder, library_from_catalogue
from viewer.core.parse_worker import in_worker_processes, parse_chunk, yield_to_the_window

STUCK_FILE = "article-070.txt"  # the chunk holding this file never ends in its worker
MARK_ENV = "ARTICLE_VIEWER_TEST_STUCK_MARK"  # a file the stuck worker creates once it is stuck


def names_or_stuck(root: str, part: list[str]) -> list[tuple[str, str]]:
    """Runs in a worker: the names of `part`, except that a chunk holding "stuck" never ends."""
    if "stuck" in part:
        threading.Event().wait()  # forever: a worker that never returns
    return [(name, root) for name in part]


def parse_or_stuck(root: str, chunk: list, *more) -> list:
    """Runs in a worker: parse_chunk, except for the chunk holding STUCK_FILE, which says it is
    stuck (the mark file) and never returns."""
    if any(Path(item[0]).name == STUCK_FILE for item in chunk):
        Path(os.environ[MARK_ENV]).touch()
        threading.Event().wait()  # forever
    return parse_chunk(root, chunk, *more)


def test_a_stop_while_a_worker_is_stuck_still_ends_every_worker():
    stop = threading.Event()
    got = []
    for name, _root in in_worker_processes(
        names_or_stuck,
        "root",
        ["a", "b", "stuck", "c", "d", "e"],
        (),
        workers=2,
        chunk=1,
        stop=stop,
        initializer=yield_to_the_window,
        end_wait=0.5,
    ):
        got.append(name)
        stop.set()  # the close comes while the stuck chunk is running
    assert got and "stuck" not in got
    assert multiprocessing.active_children() == []


def test_an_executor_whose_shutdown_blocks_still_has_its_workers_ended(monkeypatch):
    released = threading.Event()
    real_shutdown = ProcessPoolExecutor.shutdown

    def deadlocked(pool, *args, **kwargs):  # as CPython 3.11's shutdown can, on its own lock
        released.wait(60)  # (the timeout only keeps a failing test from hanging)
        real_shutdown(pool, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "shutdown", deadlocked)
    try:
        got = list(
            in_worker_processes(
                names_or_stuck,
                "root",
                ["a", "b", "c", "d"],
                (),
                workers=2,
                chunk=1,
                stop=threading.Event(),
                initializer=yield_to_the_window,
                end_wait=0.5,
            )
        )
        assert sorted(name for name, _ in got) == ["a", "b", "c", "d"]
        assert multiprocessing.active_children() == []
    finally:
        released.set()  # the executor's own thread may clean up now


@pytest.mark.slow
def test_closing_a_first_launch_while_a_parse_worker_is_stuck_ends_and_the_next_start_reads_all(
    qtbot, tmp_path, monkeypatch
):
    from tests.ui_support import close_window, open_window

    write_collection(tmp_path / "c", 120)
    mark = tmp_path / "stuck"
    monkeypatch.setenv(MARK_ENV, str(mark))  # the spawned workers inherit it
    monkeypatch.setattr(builder_module, "parse_chunk", parse_or_stuck)
    monkeypatch.setattr(parse_worker, "POOL_END_SECONDS", 0.5)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    qtbot.waitUntil(mark.exists, timeout=60000)
    assert window.startup.is_busy()  # the first pass is waiting on the stuck chunk
    close_window(qtbot, window)  # before the fix: waited for the stuck worker forever
    assert not window.startup.is_busy()
    # No worker or index-writer process outlives the window, and no half-written index stays.
    assert multiprocessing.active_children() == []
    cache = window.context.corpus_cache_dir()
    search = cache / "search"
    generations = sorted(p.name for p in search.glob("gen-*"))
    current = (search / "CURRENT").read_text().strip() if (search / "CURRENT").exists() else None
    assert generations == ([current] if current else [])
    kept = library_from_catalogue(tmp_path / "c", cache)
    assert kept is None or len(kept) < 120  # what was read is kept, the stuck chunk is not
    monkeypatch.undo()
    again = CatalogueBuilder(tmp_path / "c", cache, workers=0).run()
    assert len(again) == 120
