"""The main window's parts, built in one place (the role Qt Designer's `setupUi` plays).

`setup_widgets(window)` creates the reading pane with its find bar and focus ring, the four docks (declared
as a small table, calibre-style) and the focus order; `IndexStatus` is the status-bar corner
that shows the search index being built; `default_size`/`default_dock_sizes` lay out a first run;
`after_first_paint` runs start-up work that must wait until the first article is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (QApplication, QDockWidget, QHBoxLayout, QLabel, QMainWindow, QProgressBar,
                               QVBoxLayout, QWidget)

from viewer.ui.find_bar import FindBar
from viewer.ui.plain_text import plain_label, tooltip_text
from viewer.ui.icons import unreadable_icon
from viewer.ui.reader import ReaderView
from viewer.ui.safety_overview import SafetyOverview
from viewer.ui.search_panel import SearchPanel
from viewer.ui.toc import ContentsView
from viewer.ui.topic_tree import KIND_ROOT, TopicTreeModel, TopicTreeView, TreeNode

DEFAULT_SIZE = (1280, 820)
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
# (title, object name, window attribute holding the widget, area); order = View > Panels order.
DOCKS = (
    ("Topics", "topicsDock", "tree", LEFT),
    ("Contents", "contentsDock", "contents", LEFT),
    ("Search", "searchDock", "search_panel", RIGHT),
    ("Safety", "safetyDock", "overview", RIGHT),
)


def default_size(available) -> tuple[int, int]:
    """The first-run window size: roomy, but never larger than 90% of the screen."""
    if available is None or available.isEmpty():
        return DEFAULT_SIZE
    return (min(DEFAULT_SIZE[0], int(available.width() * 0.9)),
            min(DEFAULT_SIZE[1], int(available.height() * 0.9)))


def setup_widgets(window: QMainWindow) -> None:
    """Create the window's widgets as attributes: reader, find_bar, tree(_model), contents,
    search_panel, overview and docks. Needs window.marker, .settings and .search_service."""
    window.reader = ReaderView(window)
    window.find_bar = FindBar(window.reader, window)
    window.find_bar.case_box.setChecked(window.settings.find_case)
    central = ReadingArea(window.reader, window)
    central.layout().addWidget(window.find_bar)
    window.setCentralWidget(central)

    # Not the warning triangle: that is the safety marker, and a broken file is not a caution.
    window.tree_model = TopicTreeModel(TreeNode(KIND_ROOT, ""), window.marker, unreadable_icon(), window)
    window.tree = TopicTreeView(window.tree_model)
    window.contents = ContentsView(window.marker)
    window.search_panel = SearchPanel(window.search_service, window.marker)
    window.search_panel.safety_only.setChecked(window.settings.safety_only)
    window.overview = SafetyOverview(window.marker)
    window.docks = [_dock(window, title, name, getattr(window, attribute), area)
                    for title, name, attribute, area in DOCKS]
    window.tabifyDockWidget(window.docks[2], window.docks[3])
    window.docks[2].raise_()
    # The overview builds its rows when its tab is first on screen, not at start-up.
    window.docks[3].visibilityChanged.connect(lambda shown: shown and window.overview.build_pending())

    chain = (window.tree, window.contents, window.reader, window.find_bar.field, window.search_panel.field,
             window.search_panel.safety_only, window.search_panel.results, window.overview.tree)
    for first, second in zip(chain, chain[1:]):
        window.setTabOrder(first, second)


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setAccessibleName(f"{title} panel")
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
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


def default_dock_sizes(window: QMainWindow) -> None:
    """Side panels share the width with the page, which keeps at least half of it."""
    width, height = window.width(), window.height()
    left, right = side_panel_widths(width)
    window.resizeDocks([window.docks[0], window.docks[2]], [left, right], Qt.Orientation.Horizontal)
    window.resizeDocks(window.docks[:2], [height * 55 // 100, height * 45 // 100], Qt.Orientation.Vertical)


class ReadingArea(QWidget):
    """The reading pane (and the find bar below it) inside a ring that shows keyboard focus:
    a QTextBrowser draws none itself, so a reader tabbing around could not tell it has focus."""

    RING = 2

    def __init__(self, reader: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingArea")
        self._reader = reader
        layout = QVBoxLayout(self)
        layout.setContentsMargins(self.RING, self.RING, self.RING, self.RING)
        layout.setSpacing(0)
        layout.addWidget(reader, 1)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def has_focus_ring(self) -> bool:
        return self._reader.hasFocus()

    def _focus_changed(self, old, new) -> None:
        if self._reader in (old, new):
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
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

    def __init__(self, widget: QWidget, then) -> None:
        super().__init__(widget)
        self._widget, self._then = widget, then
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self._run)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # after this paint has finished
        return False

    def _run(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._widget.removeEventFilter(self)
            then()
            self.deleteLater()


def after_first_paint(widget: QWidget, then) -> None:
    """Run `then` once `widget` has first been painted."""
    _PaintWatch(widget, then)
