"""Opening a large collection without making the reader wait: the window first, the rest after.

`LibraryStartup` decides, when the main window is built, how its library arrives:

- a small collection (fewer files than `StartOptions.background_from`) loads as it always did,
  in the window's constructor;
- a large one with a catalogue starts from that catalogue, trusted without a look at the files;
  after the first paint a background pass checks every file's stats and re-reads what changed;
- a large one without a catalogue starts empty: the window paints at once, the catalogue is
  built in the background (viewer/core/catalogue_builder.py) and the window fills as articles
  are read, with progress in the status bar. The first article opens as soon as one is read.
  The parse workers also make each article's search documents, and the index is written from
  them while the reading goes on (viewer/index_feed.py): search is offered moments after the
  last article is read, without a second parse.

The topic tree of a large collection is built in a thread too (its nodes are plain Python) and
only handed to the view, so no step of this holds the UI thread for long.
"""

from __future__ import annotations

import gc
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.core.catalogue_builder import Batch, CatalogueBuilder, FileRecord, read_catalogue
from viewer.core.catalogue_store import CatalogueFile, ReadCatalogue
from viewer.core.errors import ViewerError
from viewer.core.library import Library, Problem, has_at_least
from viewer.core.topics import Taxonomy
from viewer.ui.job_threads import Job, JobThreads
from viewer.ui.library_status import LibraryStatus
from viewer.ui.startup_tree import TreeBuilds
from viewer.ui.verdicts import VerdictRunner, write_after

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.index_feed import IndexFeed  # (and Whoosh comes with it: after the first paint)
    from viewer.ui.main_window import MainWindow

log = logging.getLogger(__name__)
SMALL, CHECK, BUILD = "small", "check", "build"
SHOWN_WAIT_S = 10.0  # a pass writes its catalogue by then even if the window has not taken it


class _Relay(QObject):
    """Signals emitted from worker threads; they arrive in the UI thread as queued calls."""

    batch = Signal(object)  # Batch
    finished = Signal(object, bool, str)  # library (or None), changed, error
    indexed = Signal(int)  # articles in the index being fed
    index_written = Signal(str)  # error ("" when the fed index is written)


class LibraryStartup(QObject):
    """How the window's library arrives (see the module docstring)."""

    tree_shown = Signal()  # a topic tree built in the background is in the Topics panel

    def __init__(self, window: MainWindow, background_from: int | None) -> None:
        super().__init__(window)
        self.window = window
        self.background_from = background_from
        self.mode = SMALL
        self.status = LibraryStatus(window)
        window.statusBar().addPermanentWidget(self.status)
        self._relay = _Relay(self)
        self._relay.batch.connect(self._on_batch)
        self._relay.finished.connect(self._on_finished)
        self._relay.indexed.connect(self._on_indexed)
        self._relay.index_written.connect(self._on_index_written)
        self._builder: CatalogueBuilder | None = None
        self._feed: IndexFeed | None = None  # while a first index is fed by the reading
        self._to_index = 0  # articles the feed will get (files not known to the catalogue)
        self._final_shown = False  # the whole library is shown (the fed index may be opened)
        self._ended_feed: IndexFeed | None = (
            None  # a feed done with, whose process is waited for at close
        )
        # The passes and the tree builds run in threads started once (job_threads.py): two
        # for passes, so that one can read a change while the last one writes its catalogue.
        self._passes = JobThreads("catalogue", size=2)
        self.trees = TreeBuilds(window, self)
        self.trees.shown.connect(self.tree_shown)
        self.trees.ended.connect(self._tree_ended)
        self._thread: Job | None = None
        self._entries: list = []
        self._problems: list[Problem] = []
        self._stamps: dict[str, tuple[int, int]] = {}
        self._taxonomy: Taxonomy | None = None
        self._shown_at = 0  # entries in the tree last built during a build
        self._unread: int | None = None  # files not read yet, as the last batch said
        self._waiting_ready = False
        self._recheck = False  # the folder changed again during a pass
        # The trusted catalogue's records, until the check takes them.
        self._known: dict[str, FileRecord] | None = None
        # The records the last pass ended with: a change the watcher names is checked against
        # them, file by file, instead of walking the folder again.
        self.records: dict[str, FileRecord] | None = None
        self._scan_problems: list[Problem] = []
        self.catalogue_version: str | None = None  # the first pass's, for the next ones
        self._saving: Job | None = None  # a pass writing its catalogue after it
        # Set once the window has taken a pass's library in: the pass writes its catalogue
        # only then (tens of MB at 50,000 articles, whose writing would share the interpreter
        # with the reopening of the changed article).
        self._shown = threading.Event()
        self._closed = False  # close() ran: work deferred before it must not start
        self._index_after_tree = False  # the deferred index check starts when the tree is shown
        # The safety verdicts of entries read without them (a first launch's second pass).
        self.verdicts = VerdictRunner(self)
        self._verdicts_after_index = False
        window.search_service.index_ready.connect(self._index_opened)
        window.search_service.index_failed.connect(self._index_opened)

    # -- before the first paint ----------------------------------------------------------------

    def open(self) -> None:
        """Called by the window's constructor in place of loading the library."""
        window, context = self.window, self.window.context
        threshold = self.background_from
        if threshold is None or not context.corpus.is_dir():
            window._load_library()  # noqa: SLF001 - the window's own path (and its error page)
            return
        cache = context.corpus_cache_dir()
        try:
            trusted, records = read_catalogue(context.corpus, cache)
        except Exception:  # noqa: BLE001 - a damaged cache is a slow start, never a failed one
            log.debug("catalogue unreadable", exc_info=True)
            trusted, records = None, {}
        if trusted is not None and len(trusted) + len(trusted.problems) >= threshold:
            self.mode = CHECK
            self._known = records  # the check starts from these: the catalogue is read once
            self._apply(trusted, final=False)
            gc.freeze()  # the loaded outlines stay: collections need not walk them again
            return
        if trusted is None and has_at_least(context.corpus, threshold):
            self.mode = BUILD
            self._taxonomy = Taxonomy.load()
            self._apply(Library(context.corpus, [], [], self._taxonomy, unread=None), final=False)
            return
        if trusted is not None:
            # A small collection, checked file by file as always, but against the records just
            # read: reading the catalogue again (and hashing the code for its version, and the
            # topics file) was a second read of everything before the first paint.
            try:
                context._library = Library.load(  # noqa: SLF001 - the window's context.library()
                    context.corpus,
                    taxonomy=trusted.taxonomy,
                    catalogue=ReadCatalogue(cache, records),
                )
            except ViewerError:
                pass  # the window's own load says why, on its page
        window._load_library()  # noqa: SLF001

    @property
    def waiting_for_articles(self) -> bool:
        """True while a new collection has no article read yet (nothing to open)."""
        return self.mode == BUILD and not self._entries

    def show_reading(self) -> None:
        """The page shown until the first article is read; `ready` is emitted once it opens."""
        self._waiting_ready = True
        self.window.ui.reader.show_blank(
            "Reading the collection…",
            f"The articles in {self.window.context.corpus} are being read for "
            "the first time. They appear in Topics as they are read.",
        )

    # -- after the first paint -------------------------------------------------------------------

    def after_first_paint(self) -> bool:
        """Start the background work; True if the search index must wait for it."""
        if self.mode == SMALL:
            return False
        context = self.window.context
        extra, on_extra = None, None
        if self.mode == BUILD:
            # Whoosh comes with it: after the first paint, like the index build it replaces.
            from viewer.index_feed import IndexFeed, article_index_documents

            feed = self._feed = IndexFeed(
                context.corpus,
                context.corpus_cache_dir(),
                on_progress=self._relay.indexed.emit,
                on_built=self._relay.index_written.emit,
            )
            self._final_shown = False
            feed.start()
            extra, on_extra = article_index_documents, feed.put
        self._builder = CatalogueBuilder(
            context.corpus,
            context.corpus_cache_dir(),
            remembered=self._known,
            extra=extra,
            on_extra=on_extra,
            # A folder never read: its articles and index first, their verdicts in a second
            # pass (verdicts.py), which costs four times the reading.
            classify=self.mode != BUILD,
        )
        self._known = None
        builder = self._builder
        self._shown = threading.Event()
        self._thread = self._passes.submit(self._run, builder, self._shown, self._feed)
        if self.mode == CHECK and self.window.library is not None:  # the trusted one, shown
            self._build_tree(self.window.library)
            self.window.watcher.refresh(context.corpus)
            # Its index is checked once the tree is shown (_on_tree): the tree's thread does
            # not share the interpreter with Whoosh's import, and a --screenshot taken then
            # exits without waiting for a check it would only cancel.
            self._index_after_tree = True
            return True
        # Not "Indexing…" while nothing is being indexed yet: say when search will come.
        self.window.ui.index_status.bar.hide()
        self.window.ui.index_status.label.setText("Search: as soon as the articles are read")
        return True

    def reload(self) -> bool:
        """The folder changed: check it in the background (a large collection); False when the
        window should reload it itself (a small one). Only the files the watcher names are
        looked at when it names them."""
        if self.mode == SMALL:
            return False
        if self._builder is not None:
            self._recheck = True  # once the pass under way is done (the watcher keeps the names)
            return True
        self.mode = CHECK
        context = self.window.context
        changes = self.window.watcher.take_changes()
        self._builder = CatalogueBuilder(
            context.corpus,
            context.corpus_cache_dir(),
            remembered=self.records,
            only=changes if self.records else None,
            scan_problems=self._scan_problems,
            previous=self.window.library.entries if self.window.library is not None else None,
            version=self.catalogue_version,
        )
        self._shown = threading.Event()
        self._thread = self._passes.submit(
            self._run, self._builder, self._shown, None, self.records is None
        )
        return True

    def _run(  # runs in the catalogue thread
        self,
        builder: CatalogueBuilder,
        shown: threading.Event,
        feed=None,
        reads_catalogue: bool = True,
    ) -> None:
        saving = self._saving
        if saving is not None and reads_catalogue:
            saving.join()  # it reads the catalogue the last pass is writing: written first
            saving = None
        try:
            library = builder.run(
                on_batch=self._relay.batch.emit if self.mode == BUILD else None, save=False
            )
        except Exception as exc:  # noqa: BLE001 - reported in the status bar, never a crash
            log.warning("reading %s: %s", builder.root, exc)
            if feed is not None:
                feed.cancel()
            self._relay.finished.emit(None, False, str(exc) or exc.__class__.__name__)
            return
        if feed is not None and library is not None:
            builder.save()  # the index writer checks its index against the written catalogue
            feed.end()  # the index commits now, while the window takes the library
        self._relay.finished.emit(library, builder.changed, "")
        # Only now: the window shows the change first (a large catalogue takes a while to write).
        shown.wait(SHOWN_WAIT_S)
        if saving is not None:
            # The last pass's catalogue is written before this one's. Not waited for before
            # this pass read the change: at 50,000 articles that write (220 MB of outlines)
            # took seconds, and an edit right after another waited that long to be shown.
            saving.join()
        builder.save()

    def _on_batch(self, batch: Batch) -> None:
        if self._builder is None:
            return  # closed meanwhile
        self.status.show_progress(batch)
        if self._feed is not None and not self._to_index and batch.progress.total:
            self._to_index = batch.progress.total - len(batch.entries)  # the entries: reused ones
        if not batch.entries and not batch.problems:
            return
        self._entries += batch.entries
        self._problems += batch.problems
        self._stamps.update(batch.stamps)
        # Rebuild the shown library (cheap: outlines only) and its tree when the count doubled,
        # so that the total tree work stays about twice that of the final tree.
        progress = batch.progress
        # (Not known until the folder is listed: the first article comes before.)
        self._unread = progress.total - progress.done if progress.total else None
        if len(self._entries) >= max(1, 2 * self._shown_at) or self._waiting_ready:
            self._shown_at = len(self._entries)
            entries = self._show_partial()
            if self._waiting_ready and entries:
                self._waiting_ready = False
                self.window._open_first_article()  # noqa: SLF001
                if self.window.ui.reader.article is None:
                    # The article asked for is not read yet: the first one read, rather than
                    # an error page for a file that will be there in a moment.
                    self.window.open_place(entries[0].id)
                self.window.ready.emit()

    def _show_partial(self, parsed=()) -> list:
        """The library of the entries read so far in the window (cheap: outlines only); its
        entries, in title order. `parsed`: full articles of it."""
        entries = sorted(self._entries, key=lambda e: (e.title.casefold(), e.id))
        if self._taxonomy is None:  # checking a trusted catalogue: the batch brings changed files
            self._taxonomy = Taxonomy.load()
        partial = Library(
            self.window.context.corpus,
            entries,
            list(self._problems),
            self._taxonomy,
            stamps=dict(self._stamps),
            unread=self._unread,
            parsed=parsed,
        )
        self._apply(partial, final=False)
        return entries

    def give_while_reading(self, entry, article) -> None:
        """The verdicts of an article given while the folder is still read for the first time
        (the article opened, checked as it opened: verdicts.give): its entry in place of its
        pending one, in the library shown now (the pass's records take them when it ends)."""
        if self._builder is None or self.records is not None:
            return
        for n, old in enumerate(self._entries):
            if old.id == entry.id:
                self._entries[n] = entry
                self._show_partial([article])
                return

    def _on_finished(self, library: Library | None, changed: bool, error: str) -> None:
        try:
            self._take_library(library, changed, error)
        finally:
            self._shown.set()  # the pass may write its catalogue now
        if library is not None:
            self.verdicts.folder_pass_done()

    def _take_library(self, library: Library | None, changed: bool, error: str) -> None:
        if self._builder is None:
            return
        if library is not None:
            builder = self._builder
            self.records = builder.records
            self._scan_problems = builder.scan_problems
            self.catalogue_version = builder.catalogue.version
            # Verdicts given since this pass began (it read older records): into its records
            # before it writes them (it waits for _shown), and into the library shown.
            if self.verdicts.patch(self.records):
                library = self.verdicts.library_of(self.records, library, builder.parsed)
                changed = True
        self._builder, self._saving, self._thread = None, self._thread, None
        self.status.done()
        if self._recheck:
            self._recheck = False
            QTimer.singleShot(0, self.reload)
        if library is None:
            self._stop_feed()
            if error:
                self.window.statusBar().showMessage(
                    f"Could not read the collection: {error}", 10000
                )
            return
        if self._feed is None and self.records:
            self.verdicts.start(self.records)  # a first launch's: once its index is written
        if self.mode == CHECK and not changed:
            return  # the catalogue was right: the library shown is the library
        article = self.window.ui.reader.article
        shown = self.window.library
        if shown is not None:
            library.take_recent(shown)  # the articles read lately, of files that did not change
        # In any mode: the open article's file may have changed under a first launch too.
        reopen = article is not None and not self._waiting_ready  # and its file changed:
        reopen = reopen and not _same_entry(shown, library, article.id if article else "")
        if self.mode == CHECK and article is not None and not self._waiting_ready:
            # The change on screen first; the tree, the Safety panel and the index update next
            # (their threads would share the interpreter with this reopening).
            self._show(library)
            if reopen:
                self.reopen(article.id, library)
            QTimer.singleShot(0, lambda: self._apply_if_current(library))
        else:
            self._apply(library, final=True)
            if reopen and article is not None:
                self.reopen(article.id, library)
        if self._waiting_ready:  # nothing readable was found
            self._waiting_ready = False
            self.window._open_first_article()  # noqa: SLF001
            self.window.ready.emit()
        gc.freeze()

    def _apply_if_current(self, library: Library) -> None:
        if not self._closed and self.window.library is library:  # nothing else came meanwhile
            self._apply(library, final=True)

    def reopen(self, current: str, library: Library) -> None:
        """Show the open article as it is now, where the reader was (as reload_library does)."""
        window = self.window
        fraction = window.ui.reader.scroll_fraction()
        window.ui.reader.article = None  # the library changed: render its version
        if current in library:
            window.open_place(current, record=False)
            window.ui.reader.set_scroll_fraction(fraction)
        else:
            window.history.forget_article(current)
            window.ui.reader.show_error(
                "This article is no longer in the collection",
                f"The file of “{current}” was removed or renamed.",
            )
            window.ui.contents.show_article(None)
        window.ui.search_panel.run_now()

    # -- showing a library -----------------------------------------------------------------------

    def _show(self, library: Library) -> None:
        """Make `library` the window's (articles open from it), nothing else yet."""
        window = self.window
        window.library = library
        window.context._library = library  # noqa: SLF001 - later context.library() calls get it
        window.ui.reader.corpus_root = window.context.corpus

    def _apply(self, library: Library, *, final: bool) -> None:
        window = self.window
        self._show(library)
        window.ui.safety.show_library(library)
        if final or self.mode == BUILD:
            self._build_tree(library)
        if final:
            window.watcher.refresh(window.context.corpus)
            self._final_shown = True
            if self._feed is None:
                window._build_index()  # noqa: SLF001 - now that every article is known
            elif self._feed.written is not None:
                self._on_index_written(self._feed.written)  # it was done first
            # else: the index written meanwhile is opened once its writer is done
            problems = len(library.problems)
            message = f"{len(library)} articles in {window.context.corpus}"
            if problems:
                message += f"; {problems} file{'s' if problems != 1 else ''} could not be read (see Topics)"
            window.statusBar().showMessage(message, 8000)

    def _build_tree(self, library: Library, patch: bool = False) -> None:
        # A change to a collection shown whole is shown as the rows that changed: not while one
        # is being read (startup_tree.py).
        self.trees.build(library, patch=patch or self.mode == CHECK)

    def _tree_ended(self) -> None:
        if self._index_after_tree:
            self._index_after_tree = False
            self.window.search_service.start_deferred()  # nothing if closed meanwhile

    # -- the index fed by the reading ------------------------------------------------------------

    def _on_indexed(self, done: int) -> None:
        if self._feed is not None:
            self.window.ui.index_status.progress(done, max(done, self._to_index))

    def _on_index_written(self, error: str) -> None:
        feed = self._feed
        if feed is None:
            return  # closed, or another folder, meanwhile
        if error:
            log.warning("the search index fed while reading failed (%s); building it afresh", error)
        if not self._final_shown:
            return  # the library is not all shown yet: _on_finished comes, and opens it then
        self._feed = None
        # Its process ends by itself in a moment (closing its files): waited for at close, not
        # here, where the wait was the longest stall of a first launch.
        self._ended_feed = feed
        # The ordinary way: it finds the written index current (a failed one is built now).
        self.window._build_index()  # noqa: SLF001
        self._verdicts_after_index = True  # search first (its opening), then the verdicts

    # -- the verdict pass (verdicts.py) -----------------------------------------------------------

    def _index_opened(self, *_args) -> None:
        if self._verdicts_after_index and not self._closed:
            self._verdicts_after_index = False
            if self.records:
                self.verdicts.start(self.records)

    def scan_problems(self) -> list[Problem]:
        return list(self._scan_problems)

    def show_library(self, library: Library, *, safety_panel: bool = True) -> None:
        """`library` (the same articles, verdicts given) in the window, its tree (the rows that
        changed) and, unless not `safety_panel`, the Safety panel."""
        self._show(library)
        if safety_panel:
            self.window.ui.safety.show_library(library)
        self._build_tree(library, patch=True)

    def write_catalogue(self, records: dict[str, FileRecord], then=None) -> None:
        """Write `records` as the catalogue in a pass thread, after any pass writing its own
        (`then()` in that thread once written)."""
        cache = self.window.context.corpus_cache_dir()
        catalogue = CatalogueFile(cache, self.catalogue_version)
        self._saving = self._passes.submit(write_after, self._saving, catalogue, records, then)

    def _stop_feed(self) -> None:
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.cancel()
            feed.join()
        ended, self._ended_feed = self._ended_feed, None
        if ended is not None:
            ended.join()

    # -- closing ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the background reading (what was read is saved) and wait for it."""
        self._closed = True
        self.verdicts.close()  # what it classified is written, for the next start
        builder, thread = self._builder, self._thread
        self._builder, self._thread = None, None
        if builder is not None:
            builder.cancel()
        if self._feed is not None:
            self._feed.cancel()  # first: the reading may be waiting for the writer to catch up
        self._shown.set()  # a pass waiting to write its catalogue writes it now
        if thread is not None:
            thread.join()
        saving, self._saving = self._saving, None
        if saving is not None:
            saving.join()  # the catalogue of the last pass is written whole
        self.verdicts.save_at_close()  # what it classified and no write took: for next start
        self._stop_feed()  # a half-written index is removed, its process ended
        self.trees.close()
        self._passes.stop()

    def forget(self) -> None:
        """Another folder is opening (loaded by the window itself): drop this one's work."""
        self.close()
        self.mode = SMALL
        self.trees.forget()  # a tree still being built is for the old folder
        self._entries, self._problems, self._stamps = [], [], {}
        self.records = None
        self._waiting_ready = self._recheck = self._index_after_tree = False
        self.status.done()

    def is_busy(self) -> bool:
        return self._builder is not None


def _same_entry(old: Library | None, new: Library, article_id: str) -> bool:
    """Whether the article's file is unchanged between the two libraries (the same entry)."""
    if old is None or article_id not in old or article_id not in new:
        return False
    return old.entry(article_id) is new.entry(article_id)
