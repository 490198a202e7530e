"""--screenshot: show the window, wait until it has something to show, save a PNG, quit.

"Something to show" means the first article at its place, the search index built (so the
status bar does not say "Indexing…"), and, with --search, the results on screen. A large
collection opened from its catalogue (viewer/ui/startup.py) is pictured once its topic tree is
shown instead: its index exists and is only checked in the background, which at 50,000
articles took some 16 s that the picture waited for (and the exit after it). That check starts
once the tree is shown, so the picture is taken before it; closing the window drops it and
cancels the folder's check, neither having written anything that could be left half-written.
A time limit guards against waiting forever: the picture is then taken as it is, with a warning.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from viewer.core.atomic import atomic_path
from viewer.core.errors import ViewerError
from viewer.ui.main_window import MainWindow
from viewer.ui.qt_app import running_app
from viewer.ui.startup import CHECK

TIME_LIMIT_MS = 60_000
# No settle time: shoot() processes the pending events, and grab() paints the window itself.
SETTLE_MS = 0


class ScreenshotTaker(QObject):
    def __init__(self, window: MainWindow, path: Path, wait_for_search: bool) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.exit_code = 1
        self._waiting = {"ready"} | {"index"} | ({"search"} if wait_for_search else set())
        if window.startup.mode == CHECK and not wait_for_search:
            self._waiting.symmetric_difference_update({"index", "tree"})  # see the docstring
        self._done = False
        window.ready.connect(self._window_ready)
        # At once, not after a timer: the index check starts when this signal's emitter returns.
        window.startup.tree_shown.connect(lambda: self._satisfied("tree", at_once=True))
        window.search_service.index_ready.connect(lambda: self._satisfied("index"))
        window.search_service.index_failed.connect(lambda _message: self._satisfied("index"))
        window.ui.search_panel.results_shown.connect(self._results_shown)
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.timeout.connect(self._time_is_up)
        self._limit.start(TIME_LIMIT_MS)

    def _window_ready(self) -> None:
        if not self.window.search_service.is_indexing():  # no collection, so no index to wait for
            self._waiting.discard("index")
        self._satisfied("ready")

    def _results_shown(self) -> None:
        if self.window.is_ready:
            self._satisfied("search")

    def _satisfied(self, what: str, at_once: bool = False) -> None:
        self._waiting.discard(what)
        if not self._waiting and not self._done:
            if at_once:
                self.shoot()
            else:
                QTimer.singleShot(SETTLE_MS, self.shoot)

    def _time_is_up(self) -> None:
        print(
            f"article-viewer: warning: still waiting for {', '.join(sorted(self._waiting))}; "
            "taking the screenshot as it is",
            file=sys.stderr,
        )
        self.shoot()

    def shoot(self) -> None:
        if self._done:
            return
        self._done = True
        self._limit.stop()
        running_app().processEvents()
        image = self.window.grab()
        try:
            with atomic_path(self.path) as temp:  # never a half-written PNG
                # The temporary name has no image extension: name the format from the target's.
                image_format = self.path.suffix.lstrip(".").upper()
                if image_format not in ("PNG", "JPG", "JPEG", "BMP"):
                    image_format = "PNG"
                if not image.save(str(temp), image_format):
                    raise ViewerError(f"cannot encode {self.path}")
            self.exit_code = 0
        except ViewerError as exc:
            print(f"article-viewer: error: cannot write the screenshot ({exc})", file=sys.stderr)
            self.exit_code = 1
        self.window.close()
        running_app().exit(self.exit_code)
