"""Marks the moment a text pane first paints its page, for the start-up benchmark.

Installed on the QApplication of the measured process (ours or the bare baseline window), it
watches paint events of text-browser viewports and, once `ready(browser)` says the page is the
one that matters, records the wall-clock time right after that paint has finished, and which
heavy modules had been imported when it began.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTextBrowser

# Modules that must not be needed for the first paint (issue 8): we report whether they were.
WATCHED_MODULES = ("whoosh", "PySide6.QtPrintSupport", "markdown", "nh3", "pypdf", "viewer.search")


class FirstPaintMarker(QObject):
    def __init__(
        self, ready: Callable[[QTextBrowser], bool], on_marked: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.ready = ready
        self.on_marked = on_marked
        self.at: float | None = None
        self.imported: dict[str, bool] = {}
        self._pending = False

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if not self._pending and event.type() == QEvent.Type.Paint:
            browser = watched.parent()
            if (
                isinstance(browser, QTextBrowser)
                and watched is browser.viewport()
                and self.ready(browser)
            ):
                self._pending = True
                self.imported = {name: name in sys.modules for name in WATCHED_MODULES}
                QTimer.singleShot(0, self._mark)  # runs once this paint (and its flush) is done
        return False

    def _mark(self) -> None:
        self.at = time.time()
        if self.on_marked is not None:
            self.on_marked()
