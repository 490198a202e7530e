"""Search and index building off the UI thread (QThreadPool), so typing never stutters.

`SearchService` owns the search index of the open corpus. It builds or updates the index in the
background (progress as signals), runs each query in a worker, and drops stale results: every
request gets a generation number and only the newest one's answer is delivered. viewer.search
(and so Whoosh) is imported only inside the workers, keeping start-up lean.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal

from viewer.core.library import Library
from viewer.ui.worker_errors import ReportingJob

if TYPE_CHECKING:  # imported by the workers when they run (Whoosh), only checked here
    from viewer.search import SearchResult


log = logging.getLogger(__name__)
DEFAULT_LIMIT = 50


class Searcher(Protocol):
    """What the service needs of an index: viewer.search.SearchIndex, or a test's stand-in."""

    def search(
        self, query: str, *, limit: int = ..., safety_only: bool = ..., prefix_last_word: bool = ...
    ) -> SearchResult: ...

    def close(self) -> None: ...


class _Signals(QObject):
    """Signals a worker emits; they arrive in the UI thread as queued calls."""

    searched = Signal(int, object, str)  # generation, result (or None), error ("" if none)
    progress = Signal(int, int, int)  # build generation, done, total
    built = Signal(int, object, str)  # build generation, index (or None), error


class BuildCancelled(Exception):
    """Raised from the progress callback to stop a build nobody waits for any more."""


class _BuildJob(ReportingJob):
    def __init__(
        self,
        signals: _Signals,
        generation: int,
        library: Library,
        cache_dir: Path,
        previous: Searcher | None = None,
    ) -> None:
        super().__init__()
        self.signals, self.generation, self.library, self.cache_dir = (
            signals,
            generation,
            library,
            cache_dir,
        )
        # The index in use: updated in place when it is this folder's, so that what it knows
        # (the checksums of the files it checked) is not computed again for a one-file change.
        self.previous = previous
        self.cancelled = threading.Event()

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled.is_set():
            raise BuildCancelled  # the index writer cancels and leaves the old index in place
        self.signals.progress.emit(self.generation, int(done), int(total))

    def work(self) -> None:  # runs in a pool thread (ReportingJob.run)
        try:
            from viewer.search import SearchIndex

            # Cancelled while Whoosh was imported, or checked: a window closing at start-up
            # does not wait for the rest (the check, the vocabulary) to be thrown away.
            if self.cancelled.is_set():
                return
            index = self.previous
            if isinstance(index, SearchIndex) and index.cache_dir == Path(self.cache_dir):
                index.ensure_current(self.library, progress=self._progress)
            else:
                index = SearchIndex.for_library(self.library, self.cache_dir)
                index.ensure_current(progress=self._progress)
            if self.cancelled.is_set():
                closer = getattr(index, "close", None)
                if index is not self.previous and closer is not None:
                    closer()  # nobody will search it: its files are let go here
                return
            index.prepare()  # vocabulary and norms here, not in the first query
        except BuildCancelled:
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a status line, never a crash
            log.warning("search index in %s: %s", self.cache_dir, exc)
            log.debug("index build failed", exc_info=True)
            self.signals.built.emit(self.generation, None, str(exc) or exc.__class__.__name__)
            return
        self.signals.built.emit(self.generation, index, "")


class _SearchJob(ReportingJob):
    def __init__(
        self,
        signals: _Signals,
        generation: int,
        index: Searcher,
        query: str,
        safety_only: bool,
        limit: int,
    ) -> None:
        super().__init__()
        self.signals, self.generation, self.index = signals, generation, index
        self.query, self.safety_only, self.limit = query, safety_only, limit

    def work(self) -> None:  # runs in a pool thread (ReportingJob.run)
        try:
            result = self.index.search(
                self.query, limit=self.limit, safety_only=self.safety_only, prefix_last_word=True
            )
        except Exception as exc:  # noqa: BLE001 - a bad query is a message, not a crash
            message = str(exc) or exc.__class__.__name__
            self.signals.searched.emit(self.generation, None, message)
            return
        self.signals.searched.emit(self.generation, result, "")


class SearchService(QObject):
    """The open corpus's index and the queries against it."""

    results_ready = Signal(str, bool, object)  # query, safety_only, result
    search_failed = Signal(str, str)  # query, message
    index_progress = Signal(int, int)  # done, total
    index_ready = Signal()
    index_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.searched.connect(self._on_searched)
        self._signals.progress.connect(self._on_progress)
        self._signals.built.connect(self._on_built)
        self._index: Searcher | None = None
        self._retired: list[Searcher] = []
        self._build_cancel: threading.Event | None = None
        self._deferred: _BuildJob | None = None
        self._building = False
        self._build_generation = 0
        self._search_generation = 0
        self._pending: dict[int, tuple[str, bool]] = {}
        self.error = ""

    @property
    def index(self) -> Searcher | None:
        return self._index

    def is_indexing(self) -> bool:
        return self._building

    def is_ready(self) -> bool:
        return self._index is not None

    def build(self, library: Library, cache_dir: Path, *, deferred: bool = False) -> None:
        """Build or update the index of `library` (in the corpus cache folder) in the background;
        a newer call wins. `deferred`: indexing counts as under way at once, but the worker only
        starts at start_deferred() (the window's first paint must not share the interpreter
        with Whoosh's imports)."""
        self._cancel_build()
        self._build_generation += 1
        self._building = True
        self.error = ""
        job = _BuildJob(self._signals, self._build_generation, library, cache_dir, self._index)
        # Only the job's event is kept: the pool deletes the job itself when it has run.
        self._build_cancel = job.cancelled
        if deferred:
            self._deferred = job
        else:
            self._pool.start(job)

    def start_deferred(self) -> None:
        """Start a build prepared with `deferred=True` (nothing if it was cancelled meanwhile)."""
        job, self._deferred = self._deferred, None
        if job is not None and not job.cancelled.is_set():
            self._pool.start(job)

    def _cancel_build(self) -> None:
        self._deferred = None
        if self._build_cancel is not None:
            self._build_cancel.set()
            self._build_cancel = None

    def set_index(self, index: Searcher) -> None:
        """Use an index opened elsewhere (a SearchIndex, or anything that searches like one)."""
        self._cancel_build()
        self._build_generation += 1  # a build still running must not replace it
        self._building = False
        self._replace_index(index)
        self.index_ready.emit()

    def forget_index(self) -> None:
        """Another corpus is opening: the old index must not answer any more."""
        self._replace_index(None)
        self._search_generation += 1

    def _replace_index(self, index: Searcher | None) -> None:
        # A search may still be running on the old one: it is closed at shutdown, not now.
        if self._index is not None and self._index is not index:
            self._retired.append(self._index)
        self._index = index

    def close(self) -> None:
        """Stop a build in progress, wait for the workers, close every index this service opened."""
        self._cancel_build()
        self._build_generation += 1
        self._search_generation += 1
        self.wait_idle()
        for index in self._retired + ([self._index] if self._index is not None else []):
            closer = getattr(index, "close", None)
            if closer is not None:
                try:
                    closer()
                except Exception:  # noqa: BLE001 - closing at shutdown must not fail the shutdown
                    log.debug("closing a search index failed", exc_info=True)
        self._retired, self._index = [], None

    def search(self, query: str, safety_only: bool = False, limit: int = DEFAULT_LIMIT) -> bool:
        """Start a query; False (and nothing sent) if there is no index yet."""
        self._search_generation += 1
        if self._index is None or not query.strip():
            return False
        self._pending = {self._search_generation: (query, safety_only)}
        self._pool.start(
            _SearchJob(
                self._signals, self._search_generation, self._index, query, safety_only, limit
            )
        )
        return True

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until workers finish (tests and shutdown)."""
        return self._pool.waitForDone(msecs)

    def _on_searched(self, generation: int, result: SearchResult | None, error: str) -> None:
        request = self._pending.pop(generation, None)
        if generation != self._search_generation or request is None:
            return  # a newer query was typed meanwhile
        query, safety_only = request
        if error:
            self.search_failed.emit(query, error)
        else:
            self.results_ready.emit(query, safety_only, result)

    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._build_generation:
            self.index_progress.emit(done, total)

    def _on_built(self, generation: int, index: Searcher | None, error: str) -> None:
        if generation != self._build_generation:
            if index is not None and index is not self._index:
                index.close()  # a newer build superseded this one: release its files
            return
        self._building = False
        if index is None:
            self.error = error
            self.index_failed.emit(error)
            return
        self._replace_index(index)
        self.index_ready.emit()
