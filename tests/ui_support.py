"""Helpers for the GUI tests: open a main window on a corpus with a settings file, and click
things the way a reader does (tree rows, contents entries, links in the pane)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QApplication

from viewer.context import Context
from viewer.ui.main_window import MainWindow, StartOptions
from viewer.ui.topic_tree import KIND_ALL, KIND_PROBLEMS


@pytest.fixture
def app_palette(qapp):
    """Themes change the application palette; put it back after each test."""
    saved = QPalette(QApplication.palette())
    yield
    QApplication.setPalette(saved)


def open_window(
    qtbot, corpus: Path, settings: Path, wait_for_index: bool = False, **options
) -> MainWindow:
    context = Context(corpus, settings.parent / "cache")
    store = QSettings(str(settings), QSettings.Format.IniFormat)
    window = MainWindow(context, store, StartOptions(**options))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready)
    if wait_for_index:
        qtbot.waitUntil(lambda: not window.search_service.is_indexing(), timeout=30000)
    return window


def close_window(qtbot, window: MainWindow) -> None:
    window.close()
    window.search_service.wait_idle()


def select(window, phrase: str) -> None:
    """Select the first occurrence of `phrase` in the reading pane, as a reader's drag would."""
    cursor = window.ui.reader.document().find(phrase)
    assert not cursor.isNull(), f"{phrase!r} not on the page"
    window.ui.reader.setTextCursor(cursor)


def click_index(qtbot, view, index) -> None:
    # Centred, not "ensure visible": Qt's EnsureVisible leaves the view where it is when the row
    # is exactly as tall as the viewport (a wrapped row in a small test window).
    view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def tree_row(window: MainWindow, kind: str, label_start: str = "", article_id: str = ""):
    """The model index of the first tree row of `kind` (optionally by label or article)."""
    model = window.ui.tree_model
    for node in model.root().walk():
        if (
            node.kind == kind
            and node.label.startswith(label_start)
            and (not article_id or node.article_id == article_id)
        ):
            return model.index_of(node)
    raise AssertionError(f"no {kind} row {label_start or article_id!r} in the tree")


def click_tree_article(qtbot, window: MainWindow, article_id: str) -> None:
    """Expand "All articles" and click the article's row."""
    window.ui.tree.expand(tree_row(window, KIND_ALL))
    click_index(qtbot, window.ui.tree, tree_row(window, "article", article_id=article_id))


def click_tree_problem(qtbot, window: MainWindow) -> None:
    window.ui.tree.expand(tree_row(window, KIND_PROBLEMS))
    click_index(qtbot, window.ui.tree, tree_row(window, "problem"))


def click_contents(qtbot, window: MainWindow, position: int) -> None:
    item = window.ui.contents._items[position]
    window.ui.contents.scrollToItem(item)
    rect = window.ui.contents.visualItemRect(item)
    qtbot.mouseClick(window.ui.contents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_link(qtbot, window: MainWindow, link_text: str) -> None:
    """Click the middle of the first occurrence of `link_text` in the reading pane."""
    reader = window.ui.reader
    cursor = reader.document().find(link_text)
    assert not cursor.isNull(), f"no {link_text!r} in the page"
    middle = QTextCursor(cursor)
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    reader.setTextCursor(middle)
    reader.ensureCursorVisible()
    rect = reader.cursorRect(middle)
    qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def visible_text(window: MainWindow) -> str:
    return window.ui.reader.toPlainText()
