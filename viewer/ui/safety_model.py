"""The Safety dock's model: a lazy QAbstractItemModel over the plain rows of safety_rows.py.

With 10,000 articles the panel holds tens of thousands of warning sentences; as
QStandardItems they took seconds to make on the UI thread, and patching them per batch was
slower still. Here a row is a small Python object, and its text, tooltip and marks are made
only when a view asks for them (the rows it lays out). An update is a layout change: the
rows of the changed articles are taken out and put in again in Python, and the view's
persistent indexes (its open rows, selection, current row) are moved to where their rows
went, so what the reader opened or selected stays as it was.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QIcon

from viewer.core.safety_categories import SEVERITY_LABELS
from viewer.render.sentence_marks import SEVERITY_GLYPHS, SEVERITY_MEANINGS
from viewer.ui.hit_delegate import HIT_ROLE
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_passages import NO_SEVERITY, excerpt, severity_label
from viewer.ui.safety_rows import (
    ArticleRow,
    CategoryRow,
    MessageRow,
    Node,
    NoteRow,
    PassageRow,
    SafetyRows,
    SeverityRow,
)

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 3
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 4
NOTE_ROLE = Qt.ItemDataRole.UserRole + 5  # on a note row: the id of its highlight
ROW_EXCERPT_CHARS = 110  # about three lines in a side panel
SAFETY_GLYPH = "\u26a0"
NOTE_GLYPH = "\u270e"
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
AnyIndex = QModelIndex | QPersistentModelIndex


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def category_counts(row: CategoryRow) -> str:
    noun = "passage" if row.whole else "warning"
    return f"{_count(row.passages, noun)}, {_count(len(row.articles), 'article')}"


def note_text(note: str) -> str:
    return " ".join(note.split())


class SafetyModel(QAbstractItemModel):
    """One column of rows; each index points at its safety_rows Node."""

    def __init__(self, marker: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._marker = marker
        self.rows = SafetyRows()
        self._bold = QFont()
        self._bold.setBold(True)
        # Rows taken out by the last update, kept alive one update longer: an index is a bare
        # pointer to its row, and a view may still hold one from before the change.
        self._retired: list[Any] = []
        self._data: dict[type, Callable[[Any, int], Any]] = {
            MessageRow: self._message_data,
            CategoryRow: self._category_data,
            SeverityRow: self._severity_data,
            ArticleRow: self._article_data,
            PassageRow: self._passage_data,
            NoteRow: self._note_data,
        }

    # -- changing the rows ------------------------------------------------------------------

    def reset(self, rows: SafetyRows) -> None:
        """Show other rows altogether (the view forgets what was open: the panel opens it again)."""
        self.beginResetModel()
        self._retired = [self.rows]
        self.rows = rows
        self.endResetModel()

    @contextmanager
    def changing(self) -> Iterator[SafetyRows]:
        """Change the rows in the block; the view's open and selected rows follow their rows."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        nodes = [index.internalPointer() for index in persistent]
        try:
            yield self.rows
        finally:
            root = self.rows.root
            moved = [
                self.index_of(node) if node.attached(root) else QModelIndex() for node in nodes
            ]
            self.changePersistentIndexList(persistent, moved)
            self._retired, self.rows.retired = self.rows.retired, []
            self.layoutChanged.emit()

    def index_of(self, node: Node) -> QModelIndex:
        if node is self.rows.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.position(), 0, node)

    def node(self, index: AnyIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.rows.root

    # -- QAbstractItemModel -------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's signature
        children = self.rows.children_of(self.node(parent))
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self.rows.root:
            return QModelIndex()
        return self.createIndex(up.position(), 0, up)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        if parent.column() > 0:
            return 0
        return len(self.rows.children_of(self.node(parent)))

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        node = self.node(parent)
        # (An article has rows; they are made only if it is opened.)
        return isinstance(node, ArticleRow) or bool(node.children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(index.internalPointer(), MessageRow):
            return Qt.ItemFlag.ItemIsEnabled  # a message, not something to select
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return self._data[type(node)](node, role)

    # -- each kind of row (made when asked: a view asks for the rows it lays out) -------------

    def _message_data(self, node: MessageRow, role: int) -> Any:
        return node.text if role == DISPLAY else None

    def _category_data(self, node: CategoryRow, role: int) -> Any:
        if role == DISPLAY:
            return f"{node.label}  ({category_counts(node)})"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._marker
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == TOOLTIP:
            return tooltip_text(f"{node.label}: {category_counts(node)}")
        if role == CATEGORY_ROLE:
            return node.category
        return None

    def _severity_data(self, node: SeverityRow, role: int) -> Any:
        severity = node.severity
        if role == DISPLAY:
            glyph = SEVERITY_GLYPHS.get(severity, SAFETY_GLYPH)
            return f"{glyph} {severity_label(severity)}  ({node.passages})"
        if role == TOOLTIP and severity != NO_SEVERITY:
            return tooltip_text(f"{SEVERITY_LABELS[severity]}: {SEVERITY_MEANINGS[severity]}")
        if role == SEVERITY_ROLE:
            return severity
        return None

    def _article_data(self, node: ArticleRow, role: int) -> Any:
        if role == DISPLAY:
            return f"{node.title}  ({node.count})"
        if role == TOOLTIP:
            return tooltip_text(node.title)
        return None

    def _passage_data(self, node: PassageRow, role: int) -> Any:
        passage = node.passage
        if role == HIT_ROLE:
            if node.shown is None:  # the same object each time: the delegate keys its sizes on it
                glyph = SEVERITY_GLYPHS.get(passage.severity, "")
                shown = excerpt(passage.text, ROW_EXCERPT_CHARS)
                node.shown = SimpleNamespace(
                    section=passage.heading,
                    safety=False,
                    snippet=html.escape(f"{glyph} {shown}" if glyph else shown),
                )
            return node.shown
        if role == DISPLAY:
            return f"{passage.article_title} › {passage.heading}: {passage.excerpt}"
        if role == PASSAGE_ROLE:
            return passage
        if role == TOOLTIP:
            lines = [f"{passage.article_title} › {passage.heading}", passage.text]
            if passage.is_sentence:
                lines.append(
                    f"{SEVERITY_LABELS[passage.severity]}: {SEVERITY_MEANINGS[passage.severity]}"
                )
                lines.extend(passage.evidence)
            elif passage.cues:
                lines.append("Cues: " + ", ".join(passage.cues))
            return tooltip_text("\n".join(lines))
        if role == ACCESSIBLE:
            severity = f"{severity_label(passage.severity)}. " if passage.is_sentence else ""
            return f"{severity}{passage.article_title}, {passage.heading}: {passage.excerpt}"
        return None

    def _note_data(self, node: NoteRow, role: int) -> Any:
        if role == DISPLAY:
            return f"{NOTE_GLYPH} Note: {note_text(node.note)}"
        if role == NOTE_ROLE:
            return node.ident
        if role == TOOLTIP:
            return tooltip_text(f"Your note on this warning:\n{node.note}")
        if role == ACCESSIBLE:
            return f"Your note on this warning: {note_text(node.note)}"
        return None
