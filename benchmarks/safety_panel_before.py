"""The Safety panel as it was before its lazy model (commit fdd1ad0), the baseline of
bench_safetypanel.py: every row a QStandardItem, all made (and their categories' rows opened)
on each build; the panel then followed a library only by building all its rows again.
Kept verbatim but for this docstring and the imports of the shared names, so that the
benchmark measures the old code in the same run as the new.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from viewer.core.library import Library
from viewer.core.safety_categories import SEVERITY_LABELS
from viewer.render.sentence_marks import SEVERITY_GLYPHS, SEVERITY_MEANINGS
from viewer.ui.hit_delegate import HIT_ROLE, HitDelegate, RichTreeView
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_overview import INTRO, NOTHING_FLAGGED, legend_html, still_checking
from viewer.ui.safety_passages import (
    NO_SEVERITY,
    CategoryGroup,
    Passage,
    excerpt,
    group_passages,
    severity_label,
)

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 3
ROW_EXCERPT_CHARS = 110  # about three lines in a side panel
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 4
SAFETY_GLYPH = "\u26a0"
NOTE_ROLE = Qt.ItemDataRole.UserRole + 5  # on a note row: the id of its highlight
NOTE_GLYPH = "\u270e"
# (article id, section anchor, paragraph index, sentence start): where a sentence is
SentencePlace = tuple[str, str, int, int]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class SafetyOverview(QWidget):
    """Category -> article -> passages; emits where a chosen passage lives."""

    # article id, anchor, text to mark ("" for a section), whether it is a passage's start only
    passage_requested = Signal(str, str, str, bool)
    note_requested = Signal(str)  # the id of the highlight a note row belongs to

    def __init__(self, marker: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyOverview")
        self._marker = marker
        self._pending: tuple[Library | None] | None = None  # a library not yet shown (show_library)
        self._notes: dict[SentencePlace, list[tuple[str, str]]] = {}  # -> [(highlight id, note)]
        self._rows: dict[
            SentencePlace, list[QStandardItem]
        ] = {}  # sentence rows (one per category)
        self.intro = QLabel(INTRO, self)
        self.intro.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.tree = RichTreeView(self)
        self.tree.setObjectName("safetyTree")
        self.tree.setAccessibleName("Safety passages by category")
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(HitDelegate(self.tree, marker, marker_column=False))
        self.tree.setIndentation(14)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the counts at the end
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.legend = QLabel(legend_html(), self)
        self.legend.setObjectName("safetyLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Legend of the safety marks")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.legend)
        self.tree.clicked.connect(self._activate)
        self.tree.activated.connect(self._activate)

    def show_library(self, library: Library | None) -> None:
        """Show this library's passages: now if the dock is on screen, else when it first is
        (with 10,000 articles the rows take seconds to build, for a tab most starts never open)."""
        self._pending = (library,)
        # A dock behind another's tab counts as visible, but has nothing on screen.
        if self.isVisible() and not self.visibleRegion().isEmpty():
            self.build_pending()

    def build_pending(self) -> None:
        """Build the rows of a library given to show_library while off screen (the window calls
        this when the dock comes to the front)."""
        if self._pending is not None:
            (library,), self._pending = self._pending, None
            self._build(library)

    def _build(self, library: Library | None) -> None:
        expanded = {
            self.model.item(r).data(CATEGORY_ROLE)
            for r in range(self.model.rowCount())
            if self.tree.isExpanded(self.model.index(r, 0))
        }
        self.model.clear()
        self._rows = {}
        groups = group_passages(library.entries) if library is not None else []
        # Not read yet, or read without their verdicts (a first launch): not the whole story,
        # and never "nothing found".
        pending = library.unchecked() if library is not None else 0
        if pending or not groups:
            counted = library is None or library.unread is not None
            empty = QStandardItem(still_checking(pending, counted) if pending else NOTHING_FLAGGED)
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.model.appendRow(empty)
        if not groups:
            return
        for group in groups:
            position = self.model.rowCount()
            self.model.appendRow(self._category_row(group))
            index = self.model.index(position, 0)
            self.tree.setExpanded(
                index, group.category in expanded or (not expanded and position == 0)
            )
            for row in range(self.model.rowCount(index)):  # severities, and their articles
                severity = self.model.index(row, 0, index)
                self.tree.setExpanded(severity, True)
                for article in range(self.model.rowCount(severity)):
                    self.tree.setExpanded(self.model.index(article, 0, severity), True)
        for place, items in self._rows.items():
            for item in items:
                self._show_notes(item, self._notes.get(place, []))

    def set_notes(
        self, article_id: str, notes: dict[tuple[str, int, int], list[tuple[str, str]]]
    ) -> None:
        """The notes now on the warning sentences of one article: (anchor, paragraph, sentence
        start) -> [(highlight id, note text)]. Replaces what that article had."""
        gone = [place for place in self._notes if place[0] == article_id]
        for place in gone:
            del self._notes[place]
        for (anchor, paragraph, start), listed in notes.items():
            if listed:
                self._notes[(article_id, anchor, paragraph, start)] = list(listed)
        for place in set(gone) | {p for p in self._notes if p[0] == article_id}:
            for item in self._rows.get(place, []):
                self._show_notes(item, self._notes.get(place, []))

    def _show_notes(self, row: QStandardItem, notes: list[tuple[str, str]]) -> None:
        """A sentence row's notes as plain-text rows under it, shown open."""
        row.removeRows(0, row.rowCount())
        for ident, note in notes:
            line = " ".join(note.split())
            child = QStandardItem(f"{NOTE_GLYPH} Note: {line}")
            child.setData(ident, NOTE_ROLE)
            child.setToolTip(tooltip_text(f"Your note on this warning:\n{note}"))
            child.setData(f"Your note on this warning: {line}", Qt.ItemDataRole.AccessibleTextRole)
            row.appendRow(child)
        if notes and row.model() is not None:
            self.tree.setExpanded(row.index(), True)

    def note_rows(self) -> list[tuple[str, str]]:
        """(sentence, note row text) for every note shown, in panel order (tests, accessibility)."""
        return [
            (index.data(PASSAGE_ROLE).text, self.model.itemFromIndex(index).child(r).text())
            for index in self.passage_indexes()
            for r in range(self.model.itemFromIndex(index).rowCount())
        ]

    def _category_row(self, group: CategoryGroup) -> QStandardItem:
        noun = "warning" if all(p.is_sentence for p in group.passages) else "passage"
        counts = f"{_count(len(group.passages), noun)}, {_count(group.article_count, 'article')}"
        top = QStandardItem(self._marker, f"{group.label}  ({counts})")
        top.setData(group.category, CATEGORY_ROLE)
        top.setToolTip(tooltip_text(f"{group.label}: {counts}"))
        font = top.font()
        font.setBold(True)
        top.setFont(font)
        for severity, passages in group.by_severity():
            glyph = SEVERITY_GLYPHS.get(severity, SAFETY_GLYPH)
            severity_row = QStandardItem(f"{glyph} {severity_label(severity)}  ({len(passages)})")
            severity_row.setData(severity, SEVERITY_ROLE)
            if severity != NO_SEVERITY:
                severity_row.setToolTip(
                    tooltip_text(f"{SEVERITY_LABELS[severity]}: {SEVERITY_MEANINGS[severity]}")
                )
            articles: dict[str, list[Passage]] = {}
            for passage in passages:
                articles.setdefault(passage.article_id, []).append(passage)
            for listed in articles.values():
                article_row = QStandardItem(f"{listed[0].article_title}  ({len(listed)})")
                article_row.setToolTip(tooltip_text(listed[0].article_title))
                for passage in listed:
                    article_row.appendRow(self._passage_row(passage))
                severity_row.appendRow(article_row)
            top.appendRow(severity_row)
        return top

    def _passage_row(self, passage: Passage) -> QStandardItem:
        glyph = SEVERITY_GLYPHS.get(passage.severity, "")
        shown = excerpt(passage.text, ROW_EXCERPT_CHARS)
        row = QStandardItem(f"{passage.article_title} › {passage.heading}: {passage.excerpt}")
        row.setData(passage, PASSAGE_ROLE)
        row.setData(
            SimpleNamespace(
                section=passage.heading,
                safety=False,
                snippet=html.escape(f"{glyph} {shown}" if glyph else shown),
            ),
            HIT_ROLE,
        )
        lines = [f"{passage.article_title} › {passage.heading}", passage.text]
        if passage.is_sentence:
            lines.append(
                f"{SEVERITY_LABELS[passage.severity]}: {SEVERITY_MEANINGS[passage.severity]}"
            )
            lines.extend(passage.evidence)
        elif passage.cues:
            lines.append("Cues: " + ", ".join(passage.cues))
        row.setToolTip(tooltip_text("\n".join(lines)))
        severity = f"{severity_label(passage.severity)}. " if passage.is_sentence else ""
        row.setData(
            f"{severity}{passage.article_title}, {passage.heading}: {passage.excerpt}",
            Qt.ItemDataRole.AccessibleTextRole,
        )
        if passage.is_sentence:
            place = (passage.article_id, passage.anchor, passage.paragraph, passage.start)
            self._rows.setdefault(place, []).append(row)
        return row

    def category_count(self) -> int:
        self.build_pending()
        return sum(
            1 for r in range(self.model.rowCount()) if self.model.item(r).data(CATEGORY_ROLE)
        )

    def passage_indexes(self) -> list[QModelIndex]:
        self.build_pending()
        found: list[QModelIndex] = []
        for r in range(self.model.rowCount()):
            category = self.model.index(r, 0)
            for g in range(self.model.rowCount(category)):
                severity = self.model.index(g, 0, category)
                for a in range(self.model.rowCount(severity)):
                    article = self.model.index(a, 0, severity)
                    found.extend(
                        self.model.index(p, 0, article) for p in range(self.model.rowCount(article))
                    )
        return found

    def _activate(self, index: QModelIndex) -> None:
        if index.data(NOTE_ROLE):
            self.note_requested.emit(index.data(NOTE_ROLE))
            return
        passage: Passage | None = index.data(PASSAGE_ROLE)
        if passage is None:
            return
        text = passage.text if passage.paragraph >= 0 else ""
        # A sentence is marked as it is; a passage known by its start, to its paragraph's end.
        self.passage_requested.emit(
            passage.article_id, passage.anchor, text, not passage.is_sentence
        )
