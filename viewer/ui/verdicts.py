"""The window's verdict pass: the safety verdicts of a collection first read without them.

A folder never read is read without the safety classifier (viewer/ui/startup.py), so that its
articles and its search index come sooner; its entries are pending. `VerdictRunner` then runs
viewer/core/verdict_pass.py in a thread (its work in worker processes at a low priority), with
"Checking safety: N of M" in the status bar, and once it is done shows the library with its
verdicts (tree, Safety panel) and brings the search index up to date in a process of its own
(index_feed.IndexRefresh): the index made by the first pass stays searchable meanwhile.

Until then an article opened is classified when it is opened (Library.get: a pending entry
gives no verdicts), so the reader never shows one as free of warnings for want of a verdict.
Closing the window cancels the pass, which writes what it classified: the next start resumes.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from viewer.core.catalogue_builder import _library
from viewer.core.parse_worker import shared_annotators
from viewer.core.verdict_pass import VerdictBatch, VerdictPass, pending_count
from viewer.ui.worker_errors import report_current_exception

if TYPE_CHECKING:
    from viewer.core.catalogue_store import FileRecord
    from viewer.index_feed import IndexRefresh
    from viewer.ui.startup import LibraryStartup

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Signals emitted from the pass's thread; they arrive in the UI thread."""

    batch = Signal(object)  # VerdictBatch
    finished = Signal(object)  # the VerdictPass, done or cancelled
    refreshed = Signal(str)  # the index update's error ("" when current)


class VerdictRunner(QObject):
    """One verdict pass at a time for the window's library (see the module docstring)."""

    def __init__(self, startup: LibraryStartup) -> None:
        super().__init__(startup)
        self.startup = startup
        self._relay = _Relay(self)
        self._relay.batch.connect(self._on_batch)
        self._relay.finished.connect(self._on_finished)
        self._relay.refreshed.connect(self._on_refreshed)
        self._pass: VerdictPass | None = None
        self._thread: threading.Thread | None = None
        self._refresh: IndexRefresh | None = None
        self._closed = False

    def is_busy(self) -> bool:
        return self._pass is not None

    def is_settled(self) -> bool:
        """No pass runs and no index refresh with its verdicts either."""
        return self._pass is None and (self._refresh is None or not self._refresh.is_alive())

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
            verdicts.run(self._relay.batch.emit)
        except Exception:  # noqa: BLE001 - said in the status bar; the next start resumes
            report_current_exception()
        self._relay.finished.emit(verdicts)

    def _on_batch(self, batch: VerdictBatch) -> None:
        if self._pass is not None and not self._closed and not self.startup.is_busy():
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
        if not self.startup.is_busy():
            self.startup.status.done()
        startup, window = self.startup, self.startup.window
        records = startup.patch_records(verdicts)
        if verdicts.cancelled or not verdicts.results or records is None:
            return
        taxonomy = window.library.taxonomy if window.library is not None else None
        if taxonomy is None:
            return
        library = _library(window.context.corpus, records, taxonomy, startup.scan_problems())
        startup.show_verdicts(library)
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
        """Stop the pass (it writes what it classified) and the index update; wait for both."""
        self._closed = True
        verdicts, thread = self._pass, self._thread
        if verdicts is not None:
            verdicts.cancel()
        if thread is not None:
            thread.join()
        self._pass, self._thread = None, None
        refresh, self._refresh = self._refresh, None
        if refresh is not None:
            refresh.cancel()
            refresh.join()
