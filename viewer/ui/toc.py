"""The Contents dock: the open article's sections, following the reading position.

The reading pane reports which section is on screen; the matching entry is selected and set in
bold. Clicking an entry (or Enter on it) asks the window to scroll there. Safety sections carry
the safety marker and say their categories in the tooltip and to screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from viewer.core.model import Article
from viewer.ui.icons import blank_icon
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_passages import safety_tooltip

ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


class ContentsView(QTreeWidget):
    """Table of contents of one article, nested by heading level."""

    section_requested = Signal(str)  # anchor

    def __init__(self, marker: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contents")
        self.setAccessibleName("Contents")
        self.setAccessibleDescription("Sections of the open article; press Enter to go there")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setRootIsDecorated(False)
        self.setIndentation(14)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._marker = marker
        self._blank = blank_icon(marker)
        self._items: list[QTreeWidgetItem] = []
        self._current = -1
        self.itemClicked.connect(self._request)
        self.itemActivated.connect(self._request)

    def show_article(self, article: Article | None) -> None:
        self.clear()
        self._items = []
        self._current = -1
        if article is None:
            return
        stack: list[tuple[int, QTreeWidgetItem]] = []
        for section in article.sections:
            while stack and stack[-1][0] >= section.level:
                stack.pop()
            parent = stack[-1][1] if stack else self.invisibleRootItem()
            item = QTreeWidgetItem(parent, [section.heading])
            item.setData(0, ANCHOR_ROLE, section.anchor)
            if section.safety:
                item.setIcon(0, self._marker)
                tip = safety_tooltip(section.categories)
                item.setToolTip(0, tooltip_text(f"{section.heading}\n{tip}"))
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{section.heading}, {tip}")
            else:
                # A blank icon of the marker's size: every heading starts at the same indent and
                # every row has the same height, with or without the marker.
                item.setIcon(0, self._blank)
                item.setToolTip(0, tooltip_text(section.heading))
            stack.append((section.level, item))
            self._items.append(item)
        self.expandAll()

    def anchors(self) -> list[str]:
        return [item.data(0, ANCHOR_ROLE) for item in self._items]

    def current_position(self) -> int:
        return self._current

    def current_anchor(self) -> str:
        return (
            self._items[self._current].data(0, ANCHOR_ROLE)
            if 0 <= self._current < len(self._items)
            else ""
        )

    def set_current_position(self, position: int) -> None:
        """Mark the section being read (bold and selected), without navigating anywhere."""
        if position == self._current or not -1 <= position < len(self._items):
            return
        if 0 <= self._current < len(self._items):
            self._set_bold(self._items[self._current], False)
        self._current = position
        if position < 0:
            self.clearSelection()
            return
        item = self._items[position]
        self._set_bold(item, True)
        blocked = self.blockSignals(True)
        self.setCurrentItem(item)
        self.blockSignals(blocked)
        self.scrollToItem(item)

    @staticmethod
    def _set_bold(item: QTreeWidgetItem, bold: bool) -> None:
        font = item.font(0)
        font.setBold(bold)
        item.setFont(0, font)

    def _request(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        anchor = item.data(0, ANCHOR_ROLE)
        if anchor:
            self.section_requested.emit(anchor)
