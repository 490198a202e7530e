"""The window's verdict pass: the safety verdicts of a collection first read without them.

A folder never read is read without the safety classifier (viewer/ui/startup.py), so that its
articles and its search index come sooner; its entries are pending. `VerdictRunner` then runs
viewer/core/verdict_pass.py in a thread (its work in worker processes at a low priority), with
"Checking safety: N of M" in the status bar, and once it is done shows the library with its
verdicts (tree, Safety panel) and brings the search index up to date in a process of its own
(index_feed.IndexRefresh): the index made by the first pass stays searchable meanwhile.

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
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.core.catalogue_builder import _library
from viewer.core.catalogue_store import CatalogueFile
from viewer.core.parse_worker import shared_annotators
from viewer.core.topics import Taxonomy
from viewer.core.verdict_pass import VerdictBatch, VerdictPass, patch_in, pending_count
from viewer.ui.worker_errors import report_current_exception

if TYPE_CHECKING:
    from viewer.core.catalogue_store import FileRecord
    from viewer.core.library import Library
    from viewer.index_feed import IndexRefresh
    from viewer.ui.job_threads import Job
    from viewer.ui.startup import LibraryStartup

log = logging.getLogger(__name__)


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
            verdicts.run(lambda batch: self._relay.batch.emit((verdicts, batch)), save=False)
        except Exception:  # noqa: BLE001 - said in the status bar; the next start resumes
            report_current_exception()
        self._relay.finished.emit(verdicts)

    def _take(self, verdicts: VerdictPass, records: dict[str, FileRecord]) -> None:
        """Keep classified `records` of `verdicts`, and put them into the window's records."""
        if not records:
            return
        base = verdicts.base
        self._given.update(records)
        self._from.update((rel, base[rel]) for rel in records if rel in base)
        self.unsaved = True
        current = self.startup.records
        if current is not None:
            patched = dict(current)  # a new dict: a pass over the folder may be reading the old
            if patch_in(patched, records, base):
                self.startup.records = patched

    def patch(self, records: dict[str, FileRecord]) -> bool:
        """Put every verdict given so far into `records` (in place) where a record there is
        still the one classified: records a pass over the folder made from older ones."""
        return bool(patch_in(records, self._given, self._from))

    def _on_batch(self, given: tuple[VerdictPass, VerdictBatch]) -> None:
        verdicts, batch = given
        if verdicts is not self._pass or self._closed:
            return  # (of a pass cancelled meanwhile: its results are taken at close)
        self._take(verdicts, batch.records)
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
        self._take(verdicts, verdicts.results)  # (all of them came in batches, unless cancelled)
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

    def library_of(self, records: dict[str, FileRecord], like: Library | None, parsed=None):
        """The library of `records` (the window's taxonomy, the folder's problems)."""
        startup = self.startup
        taxonomy = like.taxonomy if like is not None else Taxonomy.load()
        root = startup.window.context.corpus
        return _library(root, records, taxonomy, startup.scan_problems(), parsed)

    def show_records(self) -> None:
        """The library of the window's current records: the tree's and the Safety panel's
        marks, and the open article again if the pass read its file as it is now."""
        startup, window = self.startup, self.startup.window
        shown, records = window.library, startup.records
        if records is None or shown is None:
            return
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
            self._take(verdicts, verdicts.results)  # the batches not delivered: written at close
        self._pass, self._thread = None, None
        refresh, self._refresh = self._refresh, None
        if refresh is not None:
            refresh.cancel()
            refresh.join()


def write_after(before: Job | None, catalogue: CatalogueFile, records, then) -> None:
    """Write `records` once the job `before` is done (a pass writing its own), then `then()`."""
    try:
        if before is not None:
            before.join()  # in the order asked: the file ends as the window's records are
        catalogue.write(records)
    finally:
        if then is not None:
            then()
