"""Tabs (each with its own history and position, restored at the next start), "Copy link to
section" (a link the app opens) and "Copy as quote" (selection with its citation)."""

from __future__ import annotations

import shlex
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui_support import close_window, open_window, tree_row
from viewer.cli import build_gui_parser
from viewer.core.annotations.citation import parse_link
from viewer.ui.tabs import tab_title
from viewer.ui.topic_tree import KIND_ALL

A, B, C = "kratom-opioid-withdrawal", "kratom-dopamine-withdrawal", "kratom-chronic-pain-dosage"


pytestmark = pytest.mark.usefixtures("data_dir")


def test_each_tab_keeps_its_history_and_position(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A, size=(1000, 700))
    tabs = window.reading_tools.tabs
    assert not tabs.bar.isVisible()  # one tab: no bar taking space
    bar = window.ui.reader.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    first_scroll = bar.value()
    anchor = window.ui.contents.anchors()[1]
    tabs.open_in_new_tab(B, anchor)
    assert tabs.count() == 2 and tabs.bar.isVisible() and tabs.current == 1
    assert window.ui.reader.article.id == B and window.ui.contents.current_anchor() == anchor
    window.open_place(C)  # navigate inside the second tab
    assert window.ui.commands["back"].isEnabled()

    tabs.actions["previous_tab"].trigger()
    assert window.ui.reader.article.id == A and bar.value() == first_scroll
    assert not window.ui.commands["back"].isEnabled()  # the first tab's own history
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert tabs.current == 1 and window.ui.reader.article.id == C
    window.ui.commands["back"].trigger()
    assert window.ui.reader.article.id == B
    assert tabs.bar.tabText(1) == tab_title(window.ui.reader.article.title)

    tabs.actions["close_tab"].trigger()
    assert tabs.count() == 1 and window.ui.reader.article.id == A and not tabs.bar.isVisible()
    tabs.actions["close_tab"].trigger()  # the last tab stays
    assert tabs.count() == 1
    close_window(qtbot, window)


def test_ctrl_t_and_middle_click_open_new_tabs(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A)
    tabs = window.reading_tools.tabs
    tabs.actions["new_tab"].trigger()
    assert tabs.count() == 2 and window.ui.reader.article.id == A
    window.ui.tree.expand(tree_row(window, KIND_ALL))
    index = tree_row(window, "article", article_id=B)
    window.ui.tree.scrollTo(index)
    qtbot.mouseClick(
        window.ui.tree.viewport(),
        Qt.MouseButton.MiddleButton,
        pos=window.ui.tree.visualRect(index).center(),
    )
    assert tabs.count() == 3 and window.ui.reader.article.id == B
    index = tree_row(window, "article", article_id=C)
    qtbot.mouseClick(
        window.ui.tree.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        pos=window.ui.tree.visualRect(index).center(),
    )
    assert tabs.count() == 4 and window.ui.reader.article.id == C
    close_window(qtbot, window)


@pytest.mark.slow
def test_the_tabs_and_their_positions_come_back_at_the_next_start(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A, size=(1000, 700))
    tabs = window.reading_tools.tabs
    tabs.open_in_new_tab(B)
    window.open_place(C)
    bar = window.ui.reader.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    scroll = bar.value()
    tabs.switch_to(0)
    tabs.switch_to(1)
    close_window(qtbot, window)

    again = open_window(qtbot, corpus_copy, tmp_path / "s.ini", size=(1000, 700))
    tabs = again.reading_tools.tabs
    assert tabs.count() == 2 and tabs.current == 1
    assert again.ui.reader.article.id == C
    assert abs(again.ui.reader.verticalScrollBar().value() - scroll) <= 2
    again.ui.commands["back"].trigger()
    assert again.ui.reader.article.id == B  # the tab's history came back too
    tabs.switch_to(0)
    assert again.ui.reader.article.id == A
    close_window(qtbot, again)


def test_copy_link_to_section_gives_a_link_the_app_opens(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=B)
    anchor = window.ui.contents.anchors()[3]
    window.open_place(B, anchor)
    link = window.reading_tools.copy_link()
    assert QGuiApplication.clipboard().text() == link == f"article-viewer --article '{B}#{anchor}'"
    assert parse_link(link) == (B, anchor)
    close_window(qtbot, window)

    args = build_gui_parser().parse_args(shlex.split(link)[1:])  # what the shell hands the app
    opened = open_window(qtbot, corpus_copy, tmp_path / "other.ini", article=args.article_option)
    assert opened.ui.reader.article.id == B and opened.ui.contents.current_anchor() == anchor
    close_window(qtbot, opened)


def test_copy_as_quote_carries_the_citation_as_text_and_markdown(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A)
    phrase = "potential side effects like gastrointestinal issues"
    window.ui.reader.setTextCursor(window.ui.reader.document().find(phrase))
    window.reading_tools.actions["copy_quote"].trigger()
    data = QGuiApplication.clipboard().mimeData()
    plain = data.text()
    markdown = bytes(data.data("text/markdown")).decode("utf-8")
    article = window.ui.reader.article
    assert plain.startswith(f"“{phrase}”")
    for part in (article.title, "section “Summary”", article.path, date.today().isoformat()):
        assert part in plain
    assert (
        markdown.startswith(f"> {phrase}")
        and "> — *" in markdown
        and f"`{article.path}`" in markdown
    )
    close_window(qtbot, window)
    assert (
        QGuiApplication.clipboard().text() == plain
    )  # still there as text after the window closed


def test_ctrl_click_on_a_link_in_the_page_opens_it_in_a_new_tab(qtbot, corpus_copy, tmp_path):
    path = corpus_copy / f"{A}.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nSee also [the dopamine article](kratom-dopamine-withdrawal.md).\n",
        encoding="utf-8",
    )
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A)
    reader, tabs = window.ui.reader, window.reading_tools.tabs
    cursor = reader.document().find("the dopamine article")
    middle = reader.textCursor()
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    reader.setTextCursor(middle)
    reader.ensureCursorVisible()
    point = reader.cursorRect(middle).center()
    assert reader.anchorAt(point)
    qtbot.mouseClick(
        reader.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos=point
    )
    assert tabs.count() == 2 and reader.article.id == B
    tabs.switch_to(0)
    assert reader.article.id == A
    close_window(qtbot, window)


def test_opening_another_corpus_folder_keeps_its_annotations_and_tabs_apart(
    qtbot, corpus_copy, tmp_path
):
    import shutil

    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(corpus_copy / f"{B}.md", other / f"{B}.md")
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A)
    tools = window.reading_tools
    window.ui.reader.setTextCursor(window.ui.reader.document().find("Southeast Asian plant"))
    tools.highlight("green")
    tools.tabs.open_in_new_tab(B)
    window.open_corpus(str(other))
    assert tools.tabs.count() == 1 and not tools.tabs.bar.isVisible()
    assert window.ui.reader.article.id == B
    assert tools.store.annotations() == [] and window.ui.reader.annotation_marks == []
    window.open_corpus(str(corpus_copy))
    window.open_place(A)
    assert [m.cursor.selectedText() for m in window.ui.reader.annotation_marks] == [
        "Southeast Asian plant"
    ]
    close_window(qtbot, window)


def test_tab_keys_work_while_reading(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=A)
    tabs = window.reading_tools.tabs
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    window.open_place(B)
    window.ui.reader.setFocus()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.current == 0 and window.ui.reader.article.id == A
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert tabs.current == 1 and window.ui.reader.article.id == B
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert tabs.count() == 1 and window.ui.reader.article.id == A
    close_window(qtbot, window)
