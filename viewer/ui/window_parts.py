"""Pieces of the main window that are not navigation: docks, focus ring, index status, sizes.

window_ui.py builds the window's parts; from here it takes `Docks` (the side panels by
name, `build_docks`), `ReadingArea` (the reading pane and find bar inside a
focus ring), `set_focus_chain`, and `IndexStatus`, the status-bar corner
that shows the search index being built; `default_size`/`default_dock_sizes` lay out a first run;
`after_first_paint` runs start-up work that must wait until the first article is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.plain_text import plain_label, tooltip_text
from viewer.ui.qt_app import running_app

DEFAULT_SIZE = (1280, 820)
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


def default_size(available: QSize | None) -> tuple[int, int]:
    """The first-run window size: roomy, but never larger than 90% of the screen."""
    if available is None or available.isEmpty():
        return DEFAULT_SIZE
    return (
        min(DEFAULT_SIZE[0], int(available.width() * 0.9)),
        min(DEFAULT_SIZE[1], int(available.height() * 0.9)),
    )


@dataclass
class Docks:
    """The window's docks by name; iterating gives them in View > Panels order (Ctrl+1...)."""

    topics: QDockWidget
    contents: QDockWidget
    search: QDockWidget
    safety: QDockWidget
    annotations: QDockWidget  # its panel is ReadingTools', tabbed behind the safety dock

    def __iter__(self) -> Iterator[QDockWidget]:
        return iter((self.topics, self.contents, self.search, self.safety, self.annotations))

    def __len__(self) -> int:
        return 5


def build_docks(
    window: QMainWindow, tree: QWidget, contents: QWidget, search_panel: QWidget
) -> Docks:
    """The side panels in their docks: Topics over Contents on the left, Search, Safety and
    Annotations tabbed on the right with Search in front. The Safety and Annotations docks come
    empty: their panels are made when first on screen (safety_dock.py, reading_tools.py)."""
    docks = Docks(
        topics=_dock(window, "Topics", "topicsDock", tree, LEFT),
        contents=_dock(window, "Contents", "contentsDock", contents, LEFT),
        search=_dock(window, "Search", "searchDock", search_panel, RIGHT),
        safety=_dock(window, "Safety", "safetyDock", None, RIGHT),
        annotations=_dock(window, "Annotations", "annotationsDock", None, RIGHT),
    )
    window.tabifyDockWidget(docks.search, docks.safety)
    window.tabifyDockWidget(docks.safety, docks.annotations)
    docks.search.raise_()
    return docks


Panel = TypeVar("Panel", bound=QWidget)


class PanelOnDemand(Generic[Panel]):
    """A dock's panel made the first time the dock is on screen (shown, or its tab brought to
    the front), not at start-up: a panel nobody looks at costs the first paint nothing, its
    module not even loaded (Frescobaldi's docks do the same). A layout restored with the panel
    in front shows the dock with the window, so it is made then. `ready` runs once, on the
    new panel, before anything else hears of the dock being shown."""

    def __init__(
        self,
        dock: QDockWidget,
        make: Callable[[], Panel],
        ready: Callable[[Panel], None] | None = None,
    ) -> None:
        self._dock, self._make, self._ready = dock, make, ready
        self.built: Panel | None = None
        dock.visibilityChanged.connect(self._visibility_changed)

    def get(self) -> Panel:
        """The panel, made now if it was not yet."""
        if self.built is None:
            self.built = panel = self._make()
            self._dock.setWidget(panel)
            if self._ready is not None:
                self._ready(panel)
        return self.built

    def _visibility_changed(self, shown: bool) -> None:
        if shown:
            self.get()


def set_focus_chain(window: QWidget, chain: Sequence[QWidget]) -> None:
    """Tab moves through `chain` in this order (panels first, then the page, then search)."""
    for first, second in zip(chain, chain[1:]):
        window.setTabOrder(first, second)


def _dock(
    window: QMainWindow, title: str, name: str, widget: QWidget | None, area: Qt.DockWidgetArea
) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setAccessibleName(f"{title} panel")
    if widget is not None:
        dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(area, dock)
    return dock


def side_panel_widths(width: int) -> tuple[int, int]:
    """Widths of the left and right panels for a window `width` wide: roomy on a wide window,
    and shrunk together when the window is narrow (large text scaling), so that the page
    always keeps at least half of the width."""
    left, right = max(200, min(300, width * 22 // 100)), max(220, min(340, width * 26 // 100))
    budget = width // 2 - 32  # minus the splitters and frames between the panels and the page
    if left + right > budget:
        left, right = budget * left // (left + right), budget * right // (left + right)
    return left, right


def default_dock_sizes(window: QMainWindow, docks: Docks) -> None:
    """Side panels share the width with the page, which keeps at least half of it."""
    width, height = window.width(), window.height()
    left, right = side_panel_widths(width)
    window.resizeDocks([docks.topics, docks.search], [left, right], Qt.Orientation.Horizontal)
    window.resizeDocks(
        [docks.topics, docks.contents],
        [height * 55 // 100, height * 45 // 100],
        Qt.Orientation.Vertical,
    )


class ReadingArea(QWidget):
    """The reading pane (and the find bar below it) inside a ring that shows keyboard focus:
    a QTextBrowser draws none itself, so a reader tabbing around could not tell it has focus."""

    RING = 2

    def __init__(self, reader: QWidget, find_bar: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingArea")
        self._reader = reader
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(self.RING, self.RING, self.RING, self.RING)
        layout.setSpacing(0)
        layout.addWidget(reader, 1)
        layout.addWidget(find_bar)
        running_app().focusChanged.connect(self._focus_changed)

    def insert_above(self, widget: QWidget) -> None:
        """Put `widget` above the page, inside the ring (the reader tabs' bar)."""
        self._layout.insertWidget(0, widget)

    def has_focus_ring(self) -> bool:
        return self._reader.hasFocus()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self._reader in (old, new):
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.has_focus_ring():
            return
        painter = QPainter(self)
        # The reader paints over the middle: what stays visible is a ring RING pixels wide.
        ring = self._reader.geometry().adjusted(-self.RING, -self.RING, self.RING, self.RING)
        painter.fillRect(ring, self.palette().color(QPalette.ColorRole.Highlight))


class IndexStatus(QWidget):
    """'Indexing 3 of 5 articles…' with a progress bar, then 'Search ready', in the status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexStatus")
        self.label = plain_label(QLabel(self))
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Indexing progress")
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.bar.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)

    def progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.show()
        self.label.setText(f"Indexing {done} of {total} articles…" if total else "Indexing…")
        self.label.setToolTip("Search works once the index is built; reading works now.")

    def checking(self) -> None:
        """An index that exists is being checked (a large collection opened from its catalogue):
        not "Indexing 0 of 50,000" while nothing is being indexed."""
        self.bar.hide()
        self.label.setText("Checking the search index…")
        self.label.setToolTip("Search works once the index is checked; reading works now.")

    def ready(self, articles: int) -> None:
        self.bar.hide()
        self.label.setText(f"Search ready · {articles} article{'s' if articles != 1 else ''}")
        self.label.setToolTip("")

    def failed(self, message: str) -> None:
        self.bar.hide()
        self.label.setText("Search unavailable")
        self.label.setToolTip(tooltip_text(message))


# If the widget is never painted (a hidden window), the deferred work runs after this anyway.
FIRST_PAINT_FALLBACK_MS = 500


class _PaintWatch(QObject):
    """Calls `then` once, right after `widget` has painted (or after the fallback delay)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # after this paint has finished
        return False

    def _run(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._widget.removeEventFilter(self)
            then()
            self.deleteLater()


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Run `then` once `widget` has first been painted."""
    _PaintWatch(widget, then)
