"""The Annotations panel: every highlight, note and bookmark of the collection, filterable by
article, colour and words (in the quote or the note); activating one opens it in place.

Rows are plain text (article text never becomes markup here), name their colour in words and
say "orphaned" for a highlight whose passage is gone, with its quote and note kept. The panel
asks its `source` (viewer/ui/reading_tools.py) for rows (annotation_rows.py); it knows nothing
about storage. It is made when its dock is first on screen (window_parts.PanelOnDemand).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.core.annotations.model import BOOKMARKING, COLOURS
from viewer.ui.annotation_marks import SHADES, spoken
from viewer.ui.annotation_rows import ON_SAFETY, READING_LIST, ROW_LIMIT, Filter, Row

QUOTE_CHARS = 140
ID_ROLE = Qt.ItemDataRole.UserRole


def _swatch(colour: str, cache: dict[str, QIcon]) -> QIcon:
    if colour not in cache:  # drawing a pixmap per row would cost more than the query
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(SHADES[colour][2] if colour in SHADES else "#888888"))
        cache[colour] = QIcon(pixmap)
    return cache[colour]


def row_text(row: Row) -> str:
    a = row.annotation
    if a.motivation == READING_LIST:
        return f"{row.title}\n{row.status}"
    if a.is_bookmark:
        first = "Bookmark: " + (row.section or "the whole article")
    else:
        quote = " ".join(a.quote.exact.split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        first = f"{a.colour.capitalize()}: “{quote}”"
        if row.status == "orphaned":
            first = "Orphaned (passage no longer in the article) · " + first
    lines = [first]
    if row.safety:
        lines.append("⚠ On a safety passage: " + ", ".join(row.safety))
    if a.note.strip():
        lines.append("Note: " + " ".join(a.note.split()))
    lines.append(row.title + (f" · {row.section}" if row.section and not a.is_bookmark else ""))
    return "\n".join(lines)


class AnnotationsPanel(QWidget):
    open_requested = Signal(str)  # annotation id

    def __init__(
        self, source: Callable[[Filter], list[Row]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotationsPanel")
        self._source = source
        self._current_article = ""
        self._swatches: dict[str, QIcon] = {}
        self.field = QLineEdit(self)
        self.field.setObjectName("annotationsFilter")
        self.field.setPlaceholderText("Filter quotes and notes")
        self.field.setAccessibleName("Filter annotations")
        self.field.setClearButtonEnabled(True)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Which articles")
        self.scope.addItem("All articles", "")
        self.scope.addItem("This article", "current")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Which colour or kind")
        self.kind.addItem("All colours", ("", ""))
        for colour, style in COLOURS.items():
            self.kind.addItem(
                _swatch(colour, self._swatches), f"{colour.capitalize()} ({style})", (colour, "")
            )
        self.kind.addItem("On safety passages", ("", ON_SAFETY))
        self.kind.addItem("Bookmarks", ("", BOOKMARKING))
        self.kind.addItem("Reading list (read and unread)", ("", READING_LIST))
        for combo in (self.scope, self.kind):
            # Long entries must not widen the whole right-hand dock column.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self.results = QListWidget(self)
        self.results.setObjectName("annotationsList")
        self.results.setAccessibleName("Annotations")
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        # One above the other: side by side they would set the dock column's minimum width (the
        # panel is tabbed with Search and Safety), taking the page's half at large text scaling.
        options = QVBoxLayout()
        options.setContentsMargins(0, 0, 0, 0)
        options.addWidget(self.scope)
        options.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addLayout(options)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        self.field.textChanged.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)

    def set_current_article(self, article_id: str) -> None:
        self._current_article = article_id
        if self.scope.currentData() == "current":
            self.refresh()

    def current_filter(self) -> Filter:
        colour, motivation = self.kind.currentData()
        article = self._current_article if self.scope.currentData() == "current" else ""
        if self.scope.currentData() == "current" and not article:
            article = "\0none"  # "this article" with none open shows nothing
        return Filter(article, colour, motivation, self.field.text().strip())

    def refresh(self, *_args) -> None:
        rows = self._source(self.current_filter())
        self.results.setUpdatesEnabled(False)
        self.results.clear()
        for row in rows[:ROW_LIMIT]:
            item = QListWidgetItem(row_text(row))
            item.setData(ID_ROLE, row.annotation.id)
            plain = row.annotation.is_bookmark or row.annotation.motivation == READING_LIST
            item.setIcon(QIcon() if plain else _swatch(row.annotation.colour, self._swatches))
            if row.annotation.motivation == READING_LIST:
                spoken_text = f"{row.title}, {row.status}"
            else:
                spoken_text = (
                    ("Bookmark" if row.annotation.is_bookmark else spoken(row.annotation))
                    + (", orphaned" if row.status == "orphaned" else "")
                    + (", on a safety passage" if row.safety else "")
                    + f", in {row.title}"
                )
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken_text)
            self.results.addItem(item)
        self.results.setUpdatesEnabled(True)
        shown = min(len(rows), ROW_LIMIT)
        orphans = sum(1 for r in rows if r.status == "orphaned")
        if shown < len(rows):  # the source stops one past the limit: there are more
            text = f"More than {ROW_LIMIT} annotations match; the newest {shown} are shown (filter to narrow)"
        elif self.current_filter().motivation == READING_LIST:
            text = f"{len(rows)} article{'s' if len(rows) != 1 else ''}"
        else:
            text = f"{len(rows)} annotation{'s' if len(rows) != 1 else ''}"
        if orphans:
            text += f"; {orphans} orphaned"
        self.summary.setText(text)

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(item.data(ID_ROLE))

    def row_ids(self) -> list[str]:
        return [self.results.item(i).data(ID_ROLE) for i in range(self.results.count())]
