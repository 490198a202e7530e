"""The search index of a collection read for the first time, written while it is being read.

The catalogue builder's parse workers make each article's index documents beside its catalogue
entry (`article_index_documents`, run in the worker process), and the builder hands them over as
they arrive. `IndexFeed` writes them into a new index in a process of its own, so the index is
complete moments after the last article is read and no article is parsed twice (before this,
the index was built after the reading, parsing every article again, in a thread of the window's
process). A process, not a thread: Whoosh's writer is pure Python and builds millions of
objects, and in the window's process it would take the interpreter lock and the cyclic
collector's full passes (seconds each at 10,000 articles) from the UI thread.

After the last article (`end()`), the writer commits, then checks the new index against the
catalogue the builder has just written: what the stream did not bring (files the catalogue knew
from an earlier, stopped start) is indexed then, as an ordinary update. `cancel()` stops it: a
half-written index is removed, the previous one (if any) stays, and the process ends. The cancel
is seen between two articles and, while a segment is being written out, every few hundred
terms (whoosh_ext/writer.py); the cancelled process then ends without the interpreter's
teardown (`end_cancelled`), whose collection of the writer's millions of objects took the
window's close 0.8-1.8 s more (scripts/close_during_index_write.py measures it).

Pure Python, no Qt: the window (viewer/ui/startup.py) relays the callbacks to its own thread,
and then opens the index the ordinary way (SearchService), which finds it current. Sits between
viewer.core and viewer.search, so that the core does not import the search.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.core.catalogue import ArticleEntry
from viewer.core.model import Article

if TYPE_CHECKING:
    from viewer.search.documents import FileState

    IndexItem = tuple[str, FileState, list[dict]]

log = logging.getLogger(__name__)
# Articles waiting for the index writer at most (about 7 KB of documents each): when the writer
# falls behind, the reading waits for it instead of holding the whole collection's text. What is
# queued when the reading ends is written after it, on one core: 200 is about a second of the
# writer's work (800 were four, and the parse workers gain nothing by running further ahead).
QUEUE_ARTICLES = 200
PROGRESS_SECONDS = 0.25  # how often progress is reported
STOP_WAIT_SECONDS = 10.0  # a cancelled writer that has not ended by then is terminated
_END = None  # after the last article


def article_index_documents(article: Article, entry: ArticleEntry) -> bytes:
    """Runs in a parse worker: what the index needs of one article, made from the article just
    parsed (its fingerprint from the entry made of it, not computed again). Pickled here, and
    unpickled only by the index writer: the window's process passes the bytes on untouched
    (unpickling and pickling 10,000 articles' text there would be the UI thread's lost time)."""
    # Here, not at the top: the window's process imports this module, but needs no Whoosh for it.
    from viewer.search.documents import article_documents, entry_state

    item: IndexItem = (article.path, entry_state(entry), article_documents(article))
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


class FeedCancelled(Exception):
    """Raised inside the index build to stop it; the build removes what it wrote."""


class _WriterProcess(ABC):
    """An index writer in a process of its own, its replies read by a listening thread: what
    the feed and the refresh share. spawn, not fork: forking a process that runs Qt's threads
    can deadlock the child. A subclass sets `_replies`, `_stop`, calls `_spawn()`, and says what
    its progress and last replies mean."""

    what = "index writer"  # for the messages
    _replies: Any  # the process's replies: ("progress", value) ..., then its last
    _stop: Any  # a multiprocessing Event: set, the process stops

    def _spawn(self, context, target: Callable, name: str, args: tuple) -> None:
        self._process = context.Process(target=target, name=name, daemon=True, args=args)
        self._listener = threading.Thread(target=self._listen, name=f"{name}-replies", daemon=True)

    def start(self) -> None:
        self._process.start()
        self._listener.start()

    def cancel(self) -> None:
        self._stop.set()

    def join(self, timeout: float = STOP_WAIT_SECONDS) -> None:
        """Wait for the process to end (terminated if it does not in time) and for the
        listener; no process is left behind."""
        if self._process.pid is None:
            return  # never started
        self._process.join(timeout)
        if self._process.is_alive():
            log.warning("the %s did not stop in %.0f s; ending it", self.what, timeout)
            self._process.terminate()
            self._process.join(timeout)
            if self._process.is_alive():
                self._process.kill()  # SIGTERM blocked: the close must still end
                self._process.join(timeout)
        self._listener.join(timeout)

    def is_alive(self) -> bool:
        return self._process.is_alive() or self._listener.is_alive()

    def _listen(self) -> None:  # runs in the listening thread
        error: str | None = f"the {self.what} stopped unexpectedly"
        while True:
            try:
                kind, value = self._replies.get(timeout=0.2)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                break
            if kind == "progress":
                self._progress(value)
                continue
            error = self._last_reply(kind, value)
            break
        self._listened(error)

    @abstractmethod
    def _progress(self, value) -> None:
        """A progress reply of the process."""

    def _last_reply(self, kind: str, value) -> str | None:
        """The outcome a last reply means: "" done, None cancelled, else what went wrong."""
        return "" if kind == "built" else None if kind == "cancelled" else value

    @abstractmethod
    def _listened(self, error: str | None) -> None:
        """The process has ended: `error` as _last_reply gives it."""


class IndexFeed(_WriterProcess):
    """A first index build fed article by article (see the module docstring).

    `put()` and `end()` are called by the catalogue builder's thread, `cancel()` and `join()` by
    anyone; `on_progress(indexed)` and `on_built(error)` ("" when the index is ready) are called
    in a listening thread of this process."""

    def __init__(
        self,
        root: Path,
        cache_dir: Path,
        on_progress: Callable[[int], None] | None = None,
        on_built: Callable[[str], None] | None = None,
    ) -> None:
        self.root, self.cache_dir = Path(root), Path(cache_dir)
        self.on_progress = on_progress
        self.on_built = on_built
        self.stats: dict = {}  # the writer's figures once built (articles, added by the check, ...)
        self.written: str | None = None  # once the writer is done: "" or what went wrong
        context = multiprocessing.get_context("spawn")
        self._queue = context.Queue(QUEUE_ARTICLES)
        self._replies = context.Queue()
        self._stop = context.Event()
        self._closed = threading.Event()  # the writer takes no more documents
        self._spawn(
            context,
            write_fed_index,
            "index-feed",
            (str(self.root), str(self.cache_dir), self._queue, self._replies, self._stop),
        )

    def put(self, item: bytes | None) -> None:
        """One article's documents (waits while the writer is behind; dropped once it stopped)."""
        while not (self._stop.is_set() or self._closed.is_set()):
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def end(self) -> None:
        """Every article read has been put, and the catalogue written: the writer commits."""
        self.put(_END)

    def join(self, timeout: float = STOP_WAIT_SECONDS) -> None:
        super().join(timeout)
        if self._process.pid is None:
            return
        # The queues' feeder threads must not wait for a reader that is gone.
        self._queue.cancel_join_thread()
        self._queue.close()

    def _progress(self, value) -> None:
        if self.on_progress is not None:
            self.on_progress(value)

    def _last_reply(self, kind: str, value) -> str | None:
        if kind == "built":
            self.stats = value
        return super()._last_reply(kind, value)

    def _listened(self, error: str | None) -> None:
        self._closed.set()
        if error is not None and not self._stop.is_set():
            self.written = error
            if self.on_built is not None:
                self.on_built(error)


def writer_process_collector_off() -> None:
    """No cyclic collector in a writer process, which ends when its build does. The index build
    turns it off anyway (gc_pause.collector_off), and turned back on when a cancel interrupted
    the build, its first full pass over the writer's millions of objects took up to 9 s
    (sampled at 10,000 articles) before the process could reply and end: the window's close
    waited that long, nearly the terminate limit."""
    gc.disable()


def end_cancelled(replies) -> None:
    """A cancelled writer process's end: its reply sent, then out at once. The build removed its
    folder and released its lock before the cancel got here, and nothing else is open for
    writing; the interpreter's teardown would only collect what the writer held (seconds)."""
    replies.put(("cancelled", None))
    replies.close()
    replies.join_thread()  # the reply is in the pipe
    logging.shutdown()
    os._exit(0)


def write_fed_index(root: str, cache_dir: str, documents, replies, stop) -> None:
    """The writer process: documents from the queue into a new index until the end mark, then
    the check against the catalogue. Replies ("progress", n), then ("built", stats),
    ("cancelled", None) or ("failed", message)."""
    from viewer.core.catalogue_builder import library_from_catalogue
    from viewer.core.parse_worker import yield_to_the_window
    from viewer.search import SearchIndex

    yield_to_the_window()  # like the parse workers
    writer_process_collector_off()
    last = [0.0]

    def incoming() -> Iterator[IndexItem]:
        while True:
            try:
                item = documents.get(timeout=0.1)
            except queue.Empty:
                if stop.is_set():
                    raise FeedCancelled from None
                continue
            if stop.is_set():
                raise FeedCancelled
            if item is _END:
                return
            # Made by article_index_documents in our own parse worker, never read from a file.
            yield pickle.loads(item)  # noqa: S301

    def progress(done: int, _total: int) -> None:
        if stop.is_set():
            raise FeedCancelled
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            replies.put(("progress", done))

    def stopped(_done: int, _total: int) -> None:
        if stop.is_set():
            raise FeedCancelled

    try:
        index = SearchIndex(cache_dir)
        built = index.build_from_documents(incoming(), progress=progress)
        index.close()
        library = library_from_catalogue(Path(root), Path(cache_dir))
        if library is None:
            raise RuntimeError("the catalogue the index is checked against cannot be read")
        # Stoppable too: a close during the check must not wait for it (nor for the terminate).
        checked = SearchIndex.for_library(library, cache_dir).ensure_current(progress=stopped)
        replies.put(
            (
                "built",
                {
                    "streamed": built.articles,
                    "articles": checked.articles,
                    "added": checked.added,
                    "changed": checked.changed,
                    "removed": checked.removed,
                    "rebuilt": checked.rebuilt,
                },
            )
        )
    except FeedCancelled:
        end_cancelled(replies)
    except Exception as exc:  # noqa: BLE001 - reported to the window, which then builds the index itself
        log.warning("index writer: %s", exc, exc_info=True)
        replies.put(("failed", str(exc) or exc.__class__.__name__))


class IndexRefresh(_WriterProcess):
    """The index brought up to date with the catalogue in a process of its own: after the
    verdict pass (viewer/core/verdict_pass.py) the entries' fingerprints and safety marks
    changed, and the update re-indexes those articles (Whoosh's work, which in the window's
    process would take the interpreter from the UI thread for a minute at 10,000 articles).
    When most of a large collection changed (a whole first launch's verdicts), the index's own
    update builds a new one instead (SearchIndex REBUILD_AT). The index fed by the first pass
    stays searchable meanwhile. `on_done(error)` ("" when current) is called in a listening
    thread; `cancel()` stops it (the update is dropped)."""

    what = "index update"

    def __init__(
        self,
        root: Path,
        cache_dir: Path,
        on_progress: Callable[[int, int], None] | None = None,
        on_done: Callable[[str], None] | None = None,
    ) -> None:
        context = multiprocessing.get_context("spawn")  # as the feed: Qt runs in this process
        self.on_progress, self.on_done = on_progress, on_done
        self._replies = context.Queue()
        self._stop = context.Event()
        self._spawn(
            context,
            refresh_index,
            "index-refresh",
            (str(root), str(cache_dir), self._replies, self._stop),
        )

    def _progress(self, value) -> None:
        if self.on_progress is not None:
            self.on_progress(*value)

    def _listened(self, error: str | None) -> None:
        if error is not None and not self._stop.is_set() and self.on_done is not None:
            self.on_done(error)


def refresh_index(root: str, cache_dir: str, replies, stop) -> None:
    """The refresh process: the index checked against the catalogue, and updated."""
    from viewer.core.catalogue_builder import library_from_catalogue
    from viewer.core.parse_worker import yield_to_the_window
    from viewer.search import SearchIndex

    yield_to_the_window()
    writer_process_collector_off()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if stop.is_set():
            raise FeedCancelled
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            replies.put(("progress", (done, total)))

    try:
        library = library_from_catalogue(Path(root), Path(cache_dir))
        if library is None:
            raise RuntimeError("the catalogue the index is checked against cannot be read")
        SearchIndex.for_library(library, cache_dir).ensure_current(progress=progress)
        replies.put(("built", None))
    except FeedCancelled:
        end_cancelled(replies)
    except Exception as exc:  # noqa: BLE001 - reported to the window, which then updates it itself
        log.warning("index update: %s", exc, exc_info=True)
        replies.put(("failed", str(exc) or exc.__class__.__name__))
