"""The Safety dock: every safety passage in the collection, by category, then by article.

Each passage row shows its section heading over the start of the passage; activating it opens
the article there with the passage marked. Built from the classifier's flags on the model (see
viewer/ui/safety_passages.py); when nothing is flagged, the dock says so.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from viewer.core.library import Library
from viewer.ui.hit_delegate import HIT_ROLE, HitDelegate, RichTreeView
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_passages import CategoryGroup, Passage, excerpt, group_passages

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 3
INTRO = ("Every passage about side effects, dosage, dependence, interactions, supervision, "
         "legal status or product quality, by category. Select one to read it in place.")
NOTHING_FLAGGED = "No safety passages were found in this collection."
ROW_EXCERPT_CHARS = 110  # about three lines in a side panel


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class SafetyOverview(QWidget):
    """Category -> article -> passages; emits where a chosen passage lives."""

    passage_requested = Signal(str, str, str)  # article id, anchor, passage text ("" for a section)

    def __init__(self, marker: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyOverview")
        self._marker = marker
        self._pending: tuple[Library | None] | None = None  # a library not yet shown (show_library)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
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
        expanded = {self.model.item(r).data(CATEGORY_ROLE) for r in range(self.model.rowCount())
                    if self.tree.isExpanded(self.model.index(r, 0))}
        self.model.clear()
        groups = group_passages(library.entries) if library is not None else []
        if not groups:
            empty = QStandardItem(NOTHING_FLAGGED)
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.model.appendRow(empty)
            return
        for position, group in enumerate(groups):
            self.model.appendRow(self._category_row(group))
            index = self.model.index(position, 0)
            self.tree.setExpanded(index, group.category in expanded or (not expanded and position == 0))
            for row in range(self.model.rowCount(index)):
                self.tree.setExpanded(self.model.index(row, 0, index), True)

    def _category_row(self, group: CategoryGroup) -> QStandardItem:
        articles: dict[str, list[Passage]] = {}
        for passage in group.passages:
            articles.setdefault(passage.article_id, []).append(passage)
        top = QStandardItem(self._marker, f"{group.label}  ({_count(len(group.passages), 'passage')}, "
                                          f"{_count(len(articles), 'article')})")
        top.setData(group.category, CATEGORY_ROLE)
        top.setToolTip(f"{group.label}: {_count(len(group.passages), 'passage')}")
        font = top.font()
        font.setBold(True)
        top.setFont(font)
        for passages in articles.values():
            article_row = QStandardItem(f"{passages[0].article_title}  ({len(passages)})")
            article_row.setToolTip(tooltip_text(passages[0].article_title))
            for passage in passages:
                article_row.appendRow(self._passage_row(passage))
            top.appendRow(article_row)
        return top

    @staticmethod
    def _passage_row(passage: Passage) -> QStandardItem:
        row = QStandardItem(f"{passage.heading}: {passage.excerpt}")
        row.setData(passage, PASSAGE_ROLE)
        row.setData(SimpleNamespace(section=passage.heading, safety=False,
                                    snippet=html.escape(excerpt(passage.text, ROW_EXCERPT_CHARS))), HIT_ROLE)
        cues = f"\n\nCues: {', '.join(passage.cues)}" if passage.cues else ""
        row.setToolTip(tooltip_text(f"{passage.article_title} › {passage.heading}\n\n{passage.excerpt}{cues}"))
        row.setData(f"{passage.article_title}, {passage.heading}: {passage.excerpt}",
                    Qt.ItemDataRole.AccessibleTextRole)
        return row

    def category_count(self) -> int:
        self.build_pending()
        return sum(1 for r in range(self.model.rowCount()) if self.model.item(r).data(CATEGORY_ROLE))

    def passage_indexes(self) -> list[QModelIndex]:
        self.build_pending()
        found = []
        for r in range(self.model.rowCount()):
            category = self.model.index(r, 0)
            for a in range(self.model.rowCount(category)):
                article = self.model.index(a, 0, category)
                found.extend(self.model.index(p, 0, article) for p in range(self.model.rowCount(article)))
        return found

    def _activate(self, index: QModelIndex) -> None:
        passage: Passage | None = index.data(PASSAGE_ROLE)
        if passage is None:
            return
        text = passage.text if passage.paragraph >= 0 else ""
        self.passage_requested.emit(passage.article_id, passage.anchor, text)
