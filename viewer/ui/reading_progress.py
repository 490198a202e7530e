"""Reading progress of the open article: how far it was read, minutes left, read / unread.

The furthest scroll position is saved (a second after scrolling stops) with the annotations
in the database; scrolled to the end, an article counts as read. The status-bar label says
"42% read · about 3 min left at 230 words/min", or "Read".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from viewer.core.annotations.model import WORDS_PER_MINUTE, ReadingState, minutes_left
from viewer.core.annotations.store import AnnotationStore, AnnotationStoreError

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.ui.main_window import MainWindow

SAVE_AFTER_MS = 1000  # progress is written this long after scrolling stops
READ_AT = 0.97  # scrolled this far is "read"


def progress_text(state: ReadingState | None, words: int) -> str:
    if state is None or (state.fraction <= 0 and not state.read):
        return f"Not started · about {minutes_left(words, 0.0)} min at {WORDS_PER_MINUTE} words/min"
    if state.read:
        return "Read"
    return (
        f"{int(state.fraction * 100)}% read · about {minutes_left(words, state.fraction)} min left "
        f"at {WORDS_PER_MINUTE} words/min"
    )


class ReadingProgress:
    def __init__(
        self, window: MainWindow, store: Callable[[], AnnotationStore], read_action: QAction
    ) -> None:
        self.window, self.reader = window, window.ui.reader
        self._store = store
        self.read_action = read_action
        self.state: ReadingState | None = None
        self.label = QLabel(window)
        self.label.setObjectName("readingProgress")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        # Leftmost of the permanent corners: before the index status the window put there.
        window.statusBar().insertPermanentWidget(0, self.label)
        self._timer = QTimer(window)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.save)
        self.reader.verticalScrollBar().valueChanged.connect(lambda _v: self._timer.start())
        read_action.triggered.connect(self.set_read)

    def opened(self, article_id: str) -> None:
        saved = self._store().reading_state(article_id)
        self.state = ReadingState(article_id, saved.fraction, saved.read, time.time())
        self.read_action.setChecked(saved.read)
        self.show()

    def _current(self) -> ReadingState | None:
        article = self.reader.article
        if article is None or self.state is None or self.state.article_id != article.id:
            return None
        return self.state

    def save(self) -> None:
        state = self._current()
        if state is None:
            return
        fraction = max(state.fraction, self.reader.scroll_fraction())
        self.state = ReadingState(
            state.article_id, fraction, state.read or fraction >= READ_AT, state.opened
        )
        self.read_action.setChecked(self.state.read)
        try:
            self._store().set_reading_state(self.state)
        except AnnotationStoreError:
            pass  # said once in the status bar when the store opened; progress is a nicety
        self.show()

    def set_read(self, read: bool) -> None:
        article = self.reader.article
        if article is None:
            return
        self.state = ReadingState(article.id, 1.0 if read else 0.0, read, time.time())
        try:
            self._store().set_reading_state(self.state)
        except AnnotationStoreError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
        self.show()

    def show(self) -> None:
        state, article = self._current(), self.reader.article
        if state is None or article is None:
            self.label.setText("")
        else:
            self.label.setText(progress_text(state, article.words))
