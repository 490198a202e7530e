"""A list row drawn as rich text: a bold heading (with the safety marker) over a snippet.

Used by the search results (snippets with the matched words in bold) and the Safety overview
(passage excerpts). The row's item carries an object with `section` (heading text), `snippet`
(HTML, already escaped) and `safety` under HIT_ROLE; rows without one are drawn normally.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QIcon, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

if TYPE_CHECKING:  # the search types, without importing Whoosh at start-up
    from viewer.search.results import Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
UNCHECKED_ROLE = Qt.ItemDataRole.UserRole + 8  # True: its article is not checked for safety yet
MARKER_SPACE = 22
SIZE_CACHE_ROWS = 5000


class HitDelegate(QStyledItemDelegate):
    """Paints a hit as its section heading (with the safety marker) over a bold-marked snippet."""

    PADDING = 4

    def __init__(self, view: QTreeView, marker: QIcon, marker_column: bool = True) -> None:
        super().__init__(view)
        self._view = view
        self._marker = marker
        # With a marker column every row's text starts at the same x, marked or not.
        self._marker_column = marker_column
        # Row sizes by (hit, width, font): a view asks a row's size several times per layout,
        # and each answer is a rich-text layout (they made a result list stall the typing).
        self._sizes: dict[tuple[int, int, str], tuple[Any, QSize]] = {}

    def _document(
        self, hit: Hit, option: QStyleOptionViewItem, width: float, unchecked: bool = False
    ) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        heading = html.escape(hit.section)
        safety = " &nbsp;<small>Safety</small>" if hit.safety else ""
        if unchecked:  # not "no warnings": not known yet
            safety = " &nbsp;<small>checking safety…</small>"
        snippet = hit.snippet  # HTML-escaped by the search engine, matches in <b>
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setHtml(
            f'<div style="color:{text.name()}"><b>{heading}</b>{safety}</div>'
            f'<div style="color:{muted.name()}">{snippet}</div>'
        )
        doc.setTextWidth(max(40.0, width))
        return doc

    def _text_width(self, option: QStyleOptionViewItem, index: QModelIndex) -> float:
        if option.rect.width() > 0:
            width = option.rect.width()
        else:  # sizeHint is asked without a rectangle: the column minus this row's indentation
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            if self._view.rootIsDecorated():
                depth += 1
            width = self._view.viewport().width() - self._view.indentation() * depth
        return width - 2 * self.PADDING - self._marker_space(index)

    def _marker_space(self, index: QModelIndex) -> int:
        marked = getattr(index.data(HIT_ROLE), "safety", False)
        return MARKER_SPACE if self._marker_column or marked else 0

    def paint(self, painter, option, index) -> None:  # noqa: D401 - Qt override
        hit = index.data(HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        if getattr(hit, "safety", False):
            self._marker.paint(painter, rect.left(), rect.top() + 1, 16, 16)
        unchecked = bool(index.data(UNCHECKED_ROLE))
        doc = self._document(hit, opt, self._text_width(option, index), unchecked)
        painter.save()
        painter.translate(rect.left() + self._marker_space(index), rect.top())
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt override
        hit = index.data(HIT_ROLE)
        if hit is None:
            base = super().sizeHint(option, index)
            return QSize(base.width(), base.height() + 6)
        width = self._text_width(option, index)
        key = (id(hit), int(width), option.font.key())
        cached = self._sizes.get(key)
        if cached is not None and cached[0] is hit:  # the same object, not a new one at its address
            return QSize(cached[1])
        doc = self._document(hit, option, width, bool(index.data(UNCHECKED_ROLE)))
        size = QSize(int(doc.idealWidth()), int(doc.size().height()) + 2 * self.PADDING + 2)
        if len(self._sizes) > SIZE_CACHE_ROWS:
            self._sizes.clear()
        self._sizes[key] = (hit, size)
        return QSize(size)


class RichTreeView(QTreeView):
    """A tree of such rows; rows are measured again when its width changes (the text wraps)."""

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.doItemsLayout()
