"""The search index of a collection read for the first time, written while it is being read.

The catalogue builder's parse workers make each article's index documents beside its catalogue
entry (`article_index_documents`, run in the worker process), and the builder hands them over as
they arrive. `IndexFeed` writes them into a new index in its own thread, so the index is complete
moments after the last article is read and no article is parsed twice (before this, the index
was built after the reading, parsing every article again, one at a time).

Once the reading is over, `finish(library)` checks the new index against the library, which
indexes what the stream did not bring (files the catalogue already knew from an earlier, stopped
start; a file changed meanwhile) as an ordinary update, and prepares it for the first query.
`cancel()` stops it: a half-written index is removed, the previous one (if any) stays.

Pure Python, no Qt: the window (viewer/ui/startup.py) relays the callbacks to its own thread.
Sits between viewer.core and viewer.search, so that the core does not import the search.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from viewer.core.catalogue import ArticleEntry
from viewer.core.model import Article
from viewer.search.documents import FileState, article_documents, entry_state

log = logging.getLogger(__name__)
# Articles waiting for the index writer at most (about 7 KB of documents each): when the writer
# falls behind, the reading waits for it instead of holding the whole collection's text.
QUEUE_ARTICLES = 800
PROGRESS_SECONDS = 0.25  # how often progress is reported
_END = object()

IndexItem = tuple[str, FileState, list[dict]]


def article_index_documents(article: Article, entry: ArticleEntry) -> IndexItem:
    """Runs in a parse worker: what the index needs of one article, made from the article just
    parsed (its fingerprint from the entry made of it, not computed again)."""
    return article.path, entry_state(entry), article_documents(article)


class FeedCancelled(Exception):
    """Raised inside the index build to stop it; the build removes what it wrote."""


class IndexFeed:
    """A first index build fed article by article (see the module docstring).

    `put()` and `end()` are called by the catalogue builder's thread, `finish()`/`cancel()` by
    anyone; `on_progress(indexed)` and `on_built(index or None, error)` are called in the feed's
    own thread."""

    def __init__(self, cache_dir: Path, on_progress: Callable[[int], None] | None = None,
                 on_built: Callable[[Any, str], None] | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self.on_progress = on_progress
        self.on_built = on_built
        self._queue: queue.Queue = queue.Queue(QUEUE_ARTICLES)
        self._stop = threading.Event()
        self._closed = threading.Event()  # the writer takes no more documents
        self._library = None
        self._library_given = threading.Event()
        self._last_progress = 0.0
        self._thread = threading.Thread(target=self._run, name="index-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, item: IndexItem) -> None:
        """One article's documents (waits while the writer is behind; dropped once it stopped)."""
        while not (self._stop.is_set() or self._closed.is_set()):
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def end(self) -> None:
        """Every article read has been put: the writer commits."""
        self.put(_END)

    def finish(self, library) -> None:
        """The reading is over and this is the library: check the index against it, then ready."""
        self._library = library
        self._library_given.set()

    def cancel(self) -> None:
        self._stop.set()
        self._library_given.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _documents(self) -> Iterator[IndexItem]:
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self._stop.is_set():
                    raise FeedCancelled from None
                continue
            if item is _END:
                return
            if self._stop.is_set():
                raise FeedCancelled
            yield item

    def _progress(self, done: int, _total: int) -> None:
        if self._stop.is_set():
            raise FeedCancelled
        now = time.perf_counter()
        if self.on_progress is not None and now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            self.on_progress(done)

    def _run(self) -> None:  # runs in the feed's thread
        from viewer.search import SearchIndex

        index = SearchIndex(self.cache_dir)
        try:
            try:
                index.build_from_documents(self._documents(), progress=self._progress)
            finally:
                self._closed.set()
            self._library_given.wait()
            if self._stop.is_set():
                raise FeedCancelled
            index.ensure_current(self._library)  # what the stream missed, as an update
            index.prepare()  # vocabulary and norms here, not in the first query
        except FeedCancelled:
            index.close()
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a status line, never a crash
            log.warning("search index in %s: %s", self.cache_dir, exc)
            log.debug("index feed failed", exc_info=True)
            index.close()
            if self.on_built is not None:
                self.on_built(None, str(exc) or exc.__class__.__name__)
            return
        if self.on_built is not None:
            self.on_built(index, "")
