"""The window's verdict pass: the safety verdicts of a collection first read without them.

A folder never read is read without the safety classifier (viewer/ui/startup.py), so that its
articles and its search index come sooner; its entries are pending. `VerdictRunner` then runs
viewer/core/verdict_pass.py in a thread (its work in worker processes at a low priority), with
"Checking safety: N of M" in the status bar. The verdicts are shown as they come, batch by
batch: the library of the window's records, its entries in the same order (only those
classified placed again), in the Topics tree (a patch: only their rows are redrawn) and the
search results' marks, and the Safety panel (which makes only the rows of the articles that
changed, safety_rows.py). The Safety panel, while on screen, also takes every batch as it comes
(its rows of those articles: a few ms per hundred, their counts worked out in the pass's
thread); off screen it takes the library when it comes forward. The window's showing is not
every batch (about one a second): a showing costs the UI thread 13 ms of
CPU at 10,000 articles and the tree's thread more, and every second it made the pass (whose
workers run at a lower priority) 7 times slower and the UI stall over 50 ms a hundred times
as often; so at most once every SHOW_EVERY_S seconds per 1,000 articles (10 s at 10,000, at
least once a second below 1,000). The article opened before its verdicts is classified as it opens
(article_verdicts.py): its verdicts are given here at once (`give`), not when the pass reaches
it. Once the pass is done the search index is brought up to date in a process of its own
(index_feed.IndexRefresh): the index made by the first pass stays searchable meanwhile, and
until its safety marks are the library's (`search_behind`) the search panel filters "Safety
passages only" by the library's verdicts itself.

Until then an article opened is classified when it is opened (Library.get: a pending entry
gives no verdicts; the window shows it at once with "Checking safety…" and classifies it in a
thread, viewer/ui/article_verdicts.py), so the reader never shows one as free of warnings for
want of a verdict.

The window's records can change while the pass runs (a file edited: the folder watcher's pass
reads it again, classified). So the pass's records go into the window's CURRENT records, as
they come, and only where a record is still the one classified (verdict_pass.patch_in); a
pass over the folder that began before some of them came gets them too (`patch`), and the
library shown at the end is made from the current records, never from those the pass began
with. The window writes the catalogue (after any pass writing its own): the file ends with
every verdict given and every edit read. Closing the window cancels the pass; what it
classified is written, and the next start resumes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.core.catalogue import ArticleEntry
from viewer.core.catalogue_builder import _library
from viewer.core.catalogue_store import CatalogueFile, FileRecord
from viewer.core.library_order import patched_order
from viewer.core.parse_worker import shared_annotators
from viewer.core.topics import Taxonomy
from viewer.core.verdict_pass import VerdictBatch, VerdictPass, patch_in, pending_count
from viewer.ui.worker_errors import report_current_exception

if TYPE_CHECKING:
    from viewer.core.library import Library
    from viewer.core.model import Article
    from viewer.index_feed import IndexRefresh
    from viewer.ui.job_threads import Job
    from viewer.ui.safety_passages import PassageCounts
    from viewer.ui.startup import LibraryStartup

log = logging.getLogger(__name__)
SHOW_EVERY_S = 1.0  # seconds between two showings of the pass's verdicts, per 1,000 articles


class _Relay(QObject):
    """Signals emitted from the pass's thread; they arrive in the UI thread."""

    batch = Signal(object)  # (the VerdictPass, a VerdictBatch of it)
    finished = Signal(object)  # the VerdictPass, done or cancelled
    refreshed = Signal(str)  # the index update's error ("" when current)
    written = Signal()  # the catalogue with the verdicts is written


class VerdictRunner(QObject):
    """One verdict pass at a time for the window's library (see the module docstring)."""

    def __init__(self, startup: LibraryStartup) -> None:
        super().__init__(startup)
        self.startup = startup
        self._relay = _Relay(self)
        self._relay.batch.connect(self._on_batch)
        self._relay.finished.connect(self._on_finished)
        self._relay.refreshed.connect(self._on_refreshed)
        self._relay.written.connect(self._on_written)
        self._pass: VerdictPass | None = None
        self._thread: threading.Thread | None = None
        self._refresh: IndexRefresh | None = None
        self._closed = False
        # Every record the passes classified, with the one it was classified from (by path):
        # what a record still pending is patched with, whenever the window takes records.
        self._given: dict[str, FileRecord] = {}
        self._from: dict[str, FileRecord] = {}
        self.unsaved = False  # verdicts given that no catalogue write has taken yet
        self._deferred = False  # a pass ended during a pass over the folder: finished after it
        self._writing = False  # its catalogue being written (the index update waits for it)
        # Verdicts the search index's safety marks do not have yet (until its refresh is done).
        self._index_behind = False
        self._unshown: list[str] = []  # paths whose verdicts the library shown lacks
        self._shown_at = 0.0  # when the pass's verdicts were last shown (time.monotonic)

    def is_busy(self) -> bool:
        return self._pass is not None

    def is_settled(self) -> bool:
        """No pass runs and no index refresh with its verdicts either."""
        if self._pass is not None or self._deferred or self._writing:
            return False
        return self._refresh is None or not self._refresh.is_alive()

    def start(self, records: dict[str, FileRecord]) -> None:
        """Classify what is pending in `records` (nothing if none is, or a pass runs)."""
        if self._closed or self._pass is not None or not pending_count(records):
            return
        context = self.startup.window.context
        verdicts = self._pass = VerdictPass(context.corpus, context.corpus_cache_dir(), records)
        self._thread = threading.Thread(
            target=self._run, args=(verdicts,), name="verdicts", daemon=True
        )
        self._thread.start()

    def _run(self, verdicts: VerdictPass) -> None:  # runs in the verdict thread
        try:
            # Here, not in the UI thread: an article opened before its verdicts is classified
            # as it opens, with this process's classifier (half a second to build).
            shared_annotators()
            # The window writes the catalogue (see above).
            verdicts.run(
                lambda batch: self._relay.batch.emit((verdicts, batch, _counted(batch))),
                save=False,
            )
        except Exception:  # noqa: BLE001 - said in the status bar; the next start resumes
            report_current_exception()
        self._relay.finished.emit(verdicts)

    def _take(self, records: dict[str, FileRecord], base: Mapping[str, FileRecord]) -> list[str]:
        """Keep classified `records` (of the pending records `base`), and put them into the
        window's records; the paths put in."""
        if not records:
            return []
        self._given.update(records)
        self._from.update((rel, base[rel]) for rel in records if rel in base)
        self.unsaved = self._index_behind = True
        current = self.startup.records
        if current is None:
            return []
        patched = dict(current)  # a new dict: a pass over the folder may be reading the old
        taken = patch_in(patched, records, base)
        if taken:
            self.startup.records = patched
            self._unshown += taken
        return taken

    def give(self, article: Article) -> None:
        """The verdicts of `article`, classified as it was opened (article_verdicts.py): into
        the window's records and on screen now (its row in the tree, its search results), when
        its file is still as its pending record says (else the pass or the watcher reads it).
        While the folder is still read for the first time (no records yet), from the
        library shown: the first pass's records take them when it ends (`patch`)."""
        startup = self.startup
        records, shown = startup.records, startup.window.library
        if self._closed or shown is None or article.id not in shown:
            return
        entry = shown.entry(article.id)
        stamp = shown.recorded_stamp(article.id)
        current = records.get(entry.path) if records is not None else None
        if current is None and stamp is not None:
            current = FileRecord(stamp[0], stamp[1], entry)
        if current is None or current.entry is None or not current.entry.pending:
            return
        if current.entry.id != article.id or not _as_recorded(shown, entry.path, current):
            return
        record = FileRecord(current.size, current.mtime_ns, ArticleEntry.from_article(article))
        if records is None:
            self._given[entry.path], self._from[entry.path] = record, current
            self.unsaved = self._index_behind = True
            assert record.entry is not None  # noqa: S101 - made just above
            startup.give_while_reading(record.entry, article)
            return
        self._take({entry.path: record}, {entry.path: current})
        self._show_given([article])

    def _show_given(self, parsed: list[Article] | None = None) -> None:
        """The library of the window's records, in which the records not shown yet were
        classified, on screen (see the module docstring); `parsed`: full articles of it."""
        startup = self.startup
        shown, records = startup.window.library, startup.records
        paths = list(dict.fromkeys(self._unshown))
        if not paths or self._closed or shown is None or records is None or startup.is_busy():
            return  # (a pass over the folder under way shows them with its library)
        self._unshown, self._shown_at = [], time.monotonic()
        come = [records[rel].entry for rel in paths if rel in records]
        gone = [shown.entry(e.id) for e in come if e is not None and e.id in shown]
        order = None
        if all(e is not None for e in come):
            order = patched_order(shown.entries, gone, [e for e in come if e is not None])
        library = self.library_of(records, shown, parsed, order)
        library.take_recent(shown)
        startup.show_library(library)  # (the Safety panel makes only the rows that changed)
        startup.window.ui.search_panel.verdicts_changed()

    def search_behind(self) -> bool:
        """Whether the search index's safety marks may differ from the window's verdicts:
        articles not checked yet, or verdicts the index has not taken yet."""
        library = self.startup.window.library
        return self._index_behind or (library is not None and library.unchecked() > 0)

    def patch(self, records: dict[str, FileRecord]) -> bool:
        """Put every verdict given so far into `records` (in place) where a record there is
        still the one classified: records a pass over the folder made from older ones."""
        return bool(patch_in(records, self._given, self._from))

    def _on_batch(self, given: tuple[VerdictPass, VerdictBatch, dict]) -> None:
        verdicts, batch, counted = given
        if verdicts is not self._pass or self._closed:
            return  # (of a pass cancelled meanwhile: its results are taken at close)
        taken = self._take(batch.records, verdicts.base)
        safety = self.startup.window.ui.safety
        if taken and not self.startup.is_busy() and safety.on_screen():
            # Every batch, not only every showing below: the panel's rows of these articles
            # alone are made (a few ms per hundred articles), while they are on screen.
            safety.overview.show_verdicts(
                [e for rel in taken if (e := batch.records[rel].entry) is not None], counted
            )
        library = self.startup.window.library
        every = SHOW_EVERY_S * max(1.0, len(library) / 1000) if library is not None else 0.0
        if time.monotonic() - self._shown_at >= every:
            self._show_given()
        if not self.startup.is_busy():
            status = self.startup.status
            status.setText(batch.progress.describe())
            status.setToolTip(
                "The articles' safety passages are being found; an article opened now is "
                "checked as it opens."
            )
            status.show()

    def _on_finished(self, verdicts: VerdictPass) -> None:
        if verdicts is not self._pass:
            return
        self._pass = None
        if self._closed:
            return
        self._take(verdicts.results, verdicts.base)  # (all came in batches, unless cancelled)
        if not self.startup.is_busy():
            self.startup.status.done()  # (else the status is that pass's)
        if verdicts.cancelled or not verdicts.results:
            return
        if self.startup.is_busy():
            # A pass over the folder is under way (an edit): it takes these verdicts into its
            # records and its library (startup._take_library), and they are written after it.
            self._deferred = True
            return
        self._show_and_save()

    def folder_pass_done(self) -> None:
        """A pass over the folder was taken in (its records, with the verdicts patched in)."""
        self._unshown = []  # its library has them
        if self._deferred:
            self._deferred = False
            # After the library it gave is on screen (its own queued steps run first).
            QTimer.singleShot(0, self._show_and_save)

    def _show_and_save(self) -> None:
        if self._closed or self.startup.records is None:
            return
        if self.startup.is_busy():
            self._deferred = True  # yet another pass began meanwhile: after that one
            return
        self.show_records()
        self.unsaved, self._writing = False, True
        # Every record now holds them, and no pass over the folder began before: not needed
        # again (each later edit would look through 50,000 of them).
        self._given, self._from = {}, {}
        # The index update reads the catalogue: it starts once the catalogue is written.
        self.startup.write_catalogue(self.startup.records, then=self._relay.written.emit)

    def library_of(
        self, records: dict[str, FileRecord], like: Library | None, parsed=None, order=None
    ):
        """The library of `records` (the window's taxonomy, the folder's problems); `order`:
        its entries in title order, if known (library_order.patched_order)."""
        startup = self.startup
        taxonomy = like.taxonomy if like is not None else Taxonomy.load()
        root = startup.window.context.corpus
        return _library(root, records, taxonomy, startup.scan_problems(), parsed, order)

    def show_records(self) -> None:
        """The library of the window's current records: the tree's and the Safety panel's
        marks, and the open article again if the pass read its file as it is now."""
        startup, window = self.startup, self.startup.window
        shown, records = window.library, startup.records
        if records is None or shown is None:
            return
        self._unshown = []  # (the whole library of the records, below)
        library = self.library_of(records, shown)
        library.take_recent(shown)
        article = window.ui.reader.article
        startup.show_library(library)
        if (
            article is not None
            and article.id in library
            and library.recorded_stamp(article.id) != shown.recorded_stamp(article.id)
        ):
            startup.reopen(article.id, library)  # edited before its verdicts: its new text
        else:
            window.ui.search_panel.run_now()  # the results' safety marks, from the verdicts

    def save_at_close(self) -> None:
        """Write what was classified and no write took (a pass cancelled by the close), with
        the records of the last pass over the folder (startup.close, everything joined)."""
        records = self.startup.records
        if self.unsaved and records is not None:
            self.patch(records)
            self.unsaved = False
            cache = self.startup.window.context.corpus_cache_dir()
            CatalogueFile(cache, self.startup.catalogue_version).write(records)
        self._given, self._from = {}, {}  # this folder's: another may open next

    def _on_written(self) -> None:
        self._writing = False
        if not self._closed:
            self._refresh_index()

    def _refresh_index(self) -> None:
        from viewer.index_feed import IndexRefresh

        context = self.startup.window.context
        if self._refresh is not None:
            self._refresh.cancel()
            self._refresh.join()
        self._refresh = IndexRefresh(
            context.corpus,
            context.corpus_cache_dir(),
            on_done=self._relay.refreshed.emit,
        )
        self._refresh.start()

    def _on_refreshed(self, error: str) -> None:
        if self._closed:
            return
        if error:
            log.warning("updating the index with the safety verdicts: %s", error)
        elif not self.unsaved:  # (a verdict given since would be written, and indexed, later)
            self._index_behind = False
        # The ordinary way: it finds the index current (or, if the update failed, does it).
        self.startup.window._build_index()  # noqa: SLF001

    def close(self) -> None:
        """Stop the pass and the index update, and wait for both; what the pass classified is
        kept for save_at_close (startup.close writes it once every pass over the folder ended)."""
        self._closed = True
        verdicts, thread = self._pass, self._thread
        if verdicts is not None:
            verdicts.cancel()
        if thread is not None:
            thread.join()
        if verdicts is not None:
            self._take(verdicts.results, verdicts.base)  # batches not delivered: written at close
        self._pass, self._thread = None, None
        refresh, self._refresh = self._refresh, None
        if refresh is not None:
            refresh.cancel()
            refresh.join()


def _counted(batch: VerdictBatch) -> dict[str, PassageCounts]:
    """The Safety panel's counts of a batch's articles (by id), worked out in the pass's thread
    rather than the window's (safety_rows.SafetyRows.update)."""
    from viewer.ui.safety_passages import passage_counts  # (the panel's: not needed at start)

    return {
        record.entry.id: passage_counts(record.entry)
        for record in batch.records.values()
        if record.entry is not None
    }


def _as_recorded(library: Library, rel: str, record: FileRecord) -> bool:
    """Whether the file `rel` is as `record` (a trusted size) says now."""
    try:
        info = (library.root / rel).stat()
    except OSError:
        return False
    return record.size >= 0 and (info.st_size, info.st_mtime_ns) == (record.size, record.mtime_ns)


def write_after(before: Job | None, catalogue: CatalogueFile, records, then) -> None:
    """Write `records` once the job `before` is done (a pass writing its own), then `then()`."""
    try:
        if before is not None:
            before.join()  # in the order asked: the file ends as the window's records are
        catalogue.write(records)
    finally:
        if then is not None:
            then()
