"""The Safety dock: every safety passage in the collection, grouped by category.

Each row names the article and section and starts the passage; activating it opens the
article there with the passage marked. Built from the classifier's flags on the model (see
viewer/ui/safety_passages.py); until the classifier has flagged anything, the dock says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from viewer.core.library import Library
from viewer.ui.safety_passages import Passage, group_passages

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
INTRO = ("Every passage about side effects, dosage, dependence, interactions, supervision, "
         "legal status or product quality, by category. Select one to read it in place.")
NOTHING_FLAGGED = "No safety passages were found in this collection."


class SafetyOverview(QWidget):
    """Category -> passages; emits where a chosen passage lives."""

    passage_requested = Signal(str, str, str)  # article id, anchor, passage text ("" for a section)

    def __init__(self, marker: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyOverview")
        self._marker = marker
        self.intro = QLabel(INTRO, self)
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("safetyTree")
        self.tree.setAccessibleName("Safety passages by category")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        self.tree.itemClicked.connect(self._activate)
        self.tree.itemActivated.connect(self._activate)

    def show_library(self, library: Library | None) -> None:
        expanded = {self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                    for i in range(self.tree.topLevelItemCount()) if self.tree.topLevelItem(i).isExpanded()}
        self.tree.clear()
        groups = group_passages(library.articles) if library is not None else []
        if not groups:
            empty = QTreeWidgetItem(self.tree, [NOTHING_FLAGGED])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            return
        for group in groups:
            articles = len({p.article_id for p in group.passages})
            noun = "passage" if len(group.passages) == 1 else "passages"
            top = QTreeWidgetItem(self.tree, [f"{group.label}  ({len(group.passages)} {noun}, "
                                              f"{articles} article{'s' if articles != 1 else ''})"])
            top.setData(0, Qt.ItemDataRole.UserRole, group.category)
            top.setIcon(0, self._marker)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for passage in group.passages:
                self._add_passage(top, passage)
            top.setExpanded(group.category in expanded)

    def _add_passage(self, parent: QTreeWidgetItem, passage: Passage) -> None:
        where = f"{passage.article_title} › {passage.heading}"
        item = QTreeWidgetItem(parent, [f"{where}\n{passage.excerpt}"])
        item.setData(0, PASSAGE_ROLE, passage)
        cues = f"\nCues: {', '.join(passage.cues)}" if passage.cues else ""
        item.setToolTip(0, f"<p><b>{_escape(where)}</b></p><p>{_escape(passage.excerpt)}</p>"
                           f"<p><i>{_escape(cues.strip())}</i></p>")
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{where}: {passage.excerpt}")

    def category_count(self) -> int:
        return sum(1 for i in range(self.tree.topLevelItemCount())
                   if self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole))

    def passages(self) -> list[QTreeWidgetItem]:
        items = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            items.extend(top.child(j) for j in range(top.childCount()))
        return items

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        passage: Passage | None = item.data(0, PASSAGE_ROLE)
        if passage is None:
            return
        text = passage.text if passage.paragraph >= 0 else ""
        self.passage_requested.emit(passage.article_id, passage.anchor, text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
