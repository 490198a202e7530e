"""What a catalogue parse worker runs, in its own process or in the builder's thread: one file
parsed into its catalogue record (and whatever extra the caller makes of the article, such as
its index documents), a chunk of files at a time, entries packed small for the trip back."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from viewer.core.catalogue import ArticleEntry
from viewer.core.catalogue_store import FileRecord
from viewer.core.errors import ArticleError
from viewer.core.library import _parse, default_annotators
from viewer.core.model import Article
from viewer.core.topics import Taxonomy

log = logging.getLogger(__name__)

WORKER_NICENESS = 5
# How long the end of a pool waits for its workers (chunks of a few files each finish in well
# under a second) before it terminates them: a close must never wait on a stuck worker, nor on
# the executor's own shutdown, which CPython 3.11 can deadlock (python/cpython#125451).
POOL_END_SECONDS = 5.0
# What a caller may make of each parsed article beside its entry (run in the worker).
Extra = Callable[[Article, ArticleEntry], Any]


def in_worker_processes(
    call: Callable,
    root: str,
    pending: list,
    more: tuple,
    *,
    workers: int,
    chunk: int,
    stop: threading.Event,
    initializer: Callable[[], None],
    end_wait: float | None = None,
) -> Iterator:
    """What `call(root, some_of_pending, *more)` yields for every chunk of `pending`, run in
    `workers` spawned processes (forking a process that runs Qt's threads can deadlock the
    child). Only a few chunks are queued ahead per worker, so a `stop` drops the rest at once;
    chunks already running finish (a few files each). Raises what a broken pool raises, for
    the caller to go on in one thread. However it ends, the workers are gone within about
    `end_wait` seconds (end_pool; POOL_END_SECONDS by default)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=initializer
    )
    chunks = iter([pending[i : i + chunk] for i in range(0, len(pending), chunk)])
    running: set[Future] = set()
    try:
        for part in chunks:
            running.add(pool.submit(call, root, part, *more))
            if len(running) >= workers * 2:
                break
        while running:
            finished, running = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
            if stop.is_set():
                return
            for future in finished:
                yield from future.result()
                following = next(chunks, None)
                if following is not None:
                    running.add(pool.submit(call, root, following, *more))
    finally:
        end_pool(pool, POOL_END_SECONDS if end_wait is None else end_wait)


def end_pool(pool, wait: float = POOL_END_SECONDS) -> None:
    """Shut `pool` down, waiting at most about `wait` seconds: workers still alive then are
    terminated (what they were parsing is dropped; only the caller writes files, so nothing is
    left half-written). The shutdown runs in a thread of its own, joined with that timeout: in
    CPython 3.11 it can block forever on the executor's lock (python/cpython#125451), and the
    window's close waits for the thread that calls this."""
    # Taken before shutdown(), which forgets them; no public way to reach them before
    # Python 3.14 (ProcessPoolExecutor.terminate_workers).
    workers = list((getattr(pool, "_processes", None) or {}).values())
    shutting = threading.Thread(
        target=pool.shutdown,
        kwargs={"wait": True, "cancel_futures": True},
        name="parse-pool-end",
        daemon=True,  # if the executor deadlocked, it must not keep the program alive
    )
    shutting.start()
    shutting.join(wait)
    if not shutting.is_alive():
        return
    stuck = [worker for worker in workers if worker.is_alive()]
    log.warning("%d parse workers did not stop in %.0f s; ending them", len(stuck), wait)
    for worker in stuck:
        worker.terminate()
    for worker in stuck:
        worker.join(1.0)
        if worker.is_alive():
            worker.kill()  # SIGTERM blocked or ignored
            worker.join(1.0)
    # The executor's manager thread sees its workers gone and ends; not waited for longer.
    shutting.join(1.0)


def yield_to_the_window(niceness: int = WORKER_NICENESS) -> None:
    """Worker processes run at a lower priority: on a busy machine the window's own thread,
    not the background reading, gets the core first."""
    try:
        os.nice(niceness)
    except (AttributeError, OSError):
        pass  # no nice() here (Windows), or not allowed: the worker runs at normal priority


@lru_cache(maxsize=1)
def _tools() -> tuple[Taxonomy, list]:
    """The taxonomy and classifiers, built once per worker process (building them costs more
    than parsing a chunk of articles)."""
    return _taxonomy(), default_annotators()


def shared_annotators() -> list:
    """This process's classifiers (built on the first call): what an article read from a
    pending entry is classified with. One per process, not one per library: the window makes
    a library per batch of a first launch, and building a classifier takes half a second."""
    return _tools()[1]


@lru_cache(maxsize=1)
def _taxonomy() -> Taxonomy:
    return Taxonomy.load()


def parse_file(root: Path, rel: str, article_id: str, size: int, mtime_ns: int) -> FileRecord:
    """One file's catalogue record: its entry, or why it cannot be read."""
    return parse_with_extra(root, rel, article_id, size, mtime_ns)[0]


def parse_with_extra(
    root: Path,
    rel: str,
    article_id: str,
    size: int,
    mtime_ns: int,
    extra: Extra | None = None,
    classify: bool = True,
) -> tuple[FileRecord, Any]:
    """parse_file(), and what `extra` makes of the article (None if it cannot be read)."""
    record, article = read_record(root, rel, article_id, size, mtime_ns, classify)
    made = (
        make_extra(extra, article, record.entry, rel)
        if article is not None and record.entry
        else None
    )
    return record, made


def read_record(
    root: Path, rel: str, article_id: str, size: int, mtime_ns: int, classify: bool = True
) -> tuple[FileRecord, Any]:
    """The file's record, and its parsed article (None if it cannot be read). Without
    `classify` the safety classifier does not run (about four fifths of a file's reading):
    the entry is pending (catalogue.ArticleEntry.pending) until the verdict pass."""
    try:
        if classify:
            taxonomy, annotators = _tools()
            article = _parse(root / rel, article_id, rel, taxonomy, annotators)
        else:
            article = _parse(root / rel, article_id, rel, _taxonomy(), [])
    except ArticleError as exc:
        return FileRecord(size, mtime_ns, None, str(exc)), None
    except Exception as exc:  # noqa: BLE001 - one bad file must not end the whole build
        log.warning("cannot read %s: %s", rel, exc)
        return FileRecord(size, mtime_ns, None, f"cannot be read ({exc.__class__.__name__})"), None
    return FileRecord(
        size, mtime_ns, ArticleEntry.from_article(article, pending=not classify)
    ), article


def make_extra(extra: Extra | None, article: Article, entry: ArticleEntry, rel: str) -> Any:
    if extra is None:
        return None
    try:
        return extra(article, entry)
    except Exception:  # noqa: BLE001 - the entry stands; whoever wanted the extra does without
        log.warning("cannot prepare %s beyond its entry", rel, exc_info=True)
        return None


def parse_chunk(
    root: str,
    chunk: list[tuple[str, str, int, int]],
    extra: Extra | None = None,
    classify: bool = True,
) -> list[tuple[str, FileRecord, Any]]:
    """Runs in a worker process. Entries travel back as their catalogue form (head and outline
    line), which is smaller to send than the objects."""
    out = []
    for rel, article_id, size, mtime_ns in chunk:
        record, made = parse_with_extra(
            Path(root), rel, article_id, size, mtime_ns, extra, classify
        )
        if record.entry is not None:
            record = FileRecord(size, mtime_ns, pack_entry(record.entry))
        out.append((rel, record, made))
    return out


def pack_entry(entry: ArticleEntry) -> ArticleEntry:
    """An entry made small to send to another process (head + outline bytes): pickled, it is
    rebuilt into an ArticleEntry (its __reduce__), so the receiver holds an entry, as the type
    says. (Pickled as it is, an entry read from the catalogue would carry the whole file.)"""
    return cast(ArticleEntry, _Packed(entry.head(), entry.outline_line()))


class _Packed:
    """An entry as head + outline bytes, rebuilt into an ArticleEntry when unpickled."""

    def __init__(self, head: list, line: bytes) -> None:
        self.head, self.line = head, line

    def __reduce__(self):
        return (_entry_from_packed, (self.head, self.line))


def _entry_from_packed(head: list, line: bytes) -> ArticleEntry:
    return ArticleEntry.from_head(head, (line, 0, len(line)))
