"""The find bar under the reading pane (Ctrl+F): every match highlighted, "3 of 12", next/previous.

Enter / F3 go to the next match, Shift+Enter / Shift+F3 to the previous one (wrapping around),
Escape closes the bar and clears the highlights. The matches are searched again whenever the
page changes (another article, theme or zoom).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QToolButton,
    QWidget,
)

from viewer.ui.icons import themed_icon
from viewer.ui.plain_text import plain_label
from viewer.ui.reader import ReaderView

MAX_MATCHES = 5000


def step_index(current: int, count: int, direction: int) -> int:
    """The next (+1) or previous (-1) match, wrapping around; -1 when there is none."""
    if count <= 0:
        return -1
    if current < 0:
        return 0 if direction > 0 else count - 1
    return (current + direction) % count


def match_label(current: int, count: int, text: str) -> str:
    if not text:
        return ""
    if count == 0:
        return "No matches"
    more = "+" if count >= MAX_MATCHES else ""
    return f"{current + 1} of {count}{more}"


class FindField(QLineEdit):
    """The query field: Enter finds the next match, Shift+Enter the previous, Escape closes."""

    next_requested = Signal()
    previous_requested = Signal()
    close_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_requested.emit()
            else:
                self.next_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Find in the open article."""

    def __init__(self, reader: ReaderView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAccessibleName("Find in article")
        self._reader = reader
        self._matches: list[QTextCursor] = []
        self._current = -1

        self.field = FindField(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find text")
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.count_label = plain_label(QLabel(self))  # quotes the typed text
        self.count_label.setObjectName("findCount")
        self.count_label.setMinimumWidth(80)
        self.previous_button = self._button("go-up", "up", "Previous match (Shift+F3)")
        self.next_button = self._button("go-down", "down", "Next match (F3)")
        self.case_box = QCheckBox("Match case", self)
        self.case_box.setObjectName("findMatchCase")
        self.case_box.setAccessibleName("Match case")
        self.close_button = self._button(
            "window-close",
            QStyle.StandardPixmap.SP_DialogCloseButton,
            "Close the find bar (Escape)",
        )

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.case_box)
        layout.addStretch(0)
        layout.addWidget(self.close_button)

        self.field.textChanged.connect(self._search)
        self.field.next_requested.connect(self.find_next)
        self.field.previous_requested.connect(self.find_previous)
        self.field.close_requested.connect(self.close_bar)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.close_button.clicked.connect(self.close_bar)
        self.case_box.toggled.connect(self._search)
        reader.document_replaced.connect(self._page_changed)
        self.hide()

    def _button(self, icon: str, fallback: str | QStyle.StandardPixmap, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(themed_icon(icon, fallback))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        return button

    # -- what the window calls ------------------------------------------------------------------

    def open_bar(self) -> None:
        """Show the bar with the focus in the field (pre-filled with the selected text, if any)."""
        selected = self._reader.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 100:
            self.field.setText(selected)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self._search()

    def close_bar(self) -> None:
        self.hide()
        self._matches, self._current = [], -1
        self._reader.set_find_matches([], -1)
        self._update_label()
        self._reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_next(self) -> None:
        self._step(+1)

    def find_previous(self) -> None:
        self._step(-1)

    def match_count(self) -> int:
        return len(self._matches)

    def current_match(self) -> int:
        return self._current

    # -- internals --------------------------------------------------------------------------------

    def _step(self, direction: int) -> None:
        if not self.isVisible():
            self.open_bar()
            return
        self._current = step_index(self._current, len(self._matches), direction)
        self._reader.set_find_matches(self._matches, self._current)
        self._update_label()

    def _page_changed(self) -> None:
        if self.isVisible():
            self._search()

    def _search(self) -> None:
        text = self.field.text()
        self._matches = self._find_all(text) if text else []
        self._current = self._first_visible_match()
        self._reader.set_find_matches(self._matches, self._current)
        self._update_label()

    def _find_all(self, text: str) -> list[QTextCursor]:
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        document = self._reader.document()
        matches: list[QTextCursor] = []
        cursor = QTextCursor(document)
        while len(matches) < MAX_MATCHES:
            cursor = document.find(text, cursor, flags)
            if cursor.isNull():
                break
            matches.append(QTextCursor(cursor))
        return matches

    def _first_visible_match(self) -> int:
        """The first match at or below the top of the pane, so typing does not jump back up."""
        if not self._matches:
            return -1
        top = self._reader.cursorForPosition(self._reader.viewport().rect().topLeft()).position()
        for index, cursor in enumerate(self._matches):
            if cursor.selectionStart() >= top:
                return index
        return 0

    def _update_label(self) -> None:
        text = self.field.text()
        self.count_label.setText(match_label(self._current, len(self._matches), text))
        self.count_label.setAccessibleName(self.count_label.text() or "No search")
        empty = bool(text) and not self._matches
        self.field.setProperty("noMatch", empty)
        self.field.setStyleSheet(
            "QLineEdit { background: #f8d7da; color: #1a1a1a; }" if empty else ""
        )
