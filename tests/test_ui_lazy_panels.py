"""Panels the reader does not see at start are made when first shown, and work as if they had
always been there: the Annotations panel opened late (by its shortcut or its tab) lists what
was highlighted before; the Safety panel opened late lists the collection's warnings and
opens them; a layout remembered with either in front makes it at once; the Notes scope of
Search answers without the Annotations panel. (That start-up does not load these panels'
modules is tests/test_startup_lean.py.)"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui_support import click_index, close_window, open_window, select
from viewer.ui.menus import dock_in_front

CTRL = Qt.KeyboardModifier.ControlModifier
ARTICLE = "kratom-opioid-withdrawal"
PHRASE = "potential side effects like gastrointestinal issues, anxiety, and insomnia"


def rows(window) -> list[str]:
    results = window.reading_tools.panel.results
    return [results.item(i).text() for i in range(results.count())]


def test_the_annotations_panel_is_made_on_ctrl_5_and_lists_earlier_highlights(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    dock = window.ui.docks.annotations
    assert dock.widget() is None  # behind the Safety tab: nothing made yet
    select(window, PHRASE)
    window.reading_tools.ask_note = lambda current: "ask about sleep"
    window.reading_tools.actions["note"].trigger()
    assert dock.widget() is None  # highlighting does not need the panel either

    qtbot.keyClick(window.ui.reader, Qt.Key.Key_5, CTRL)  # the shortcut of a panel never shown
    qtbot.waitUntil(lambda: dock_in_front(dock))
    assert dock.widget() is window.reading_tools.panel
    assert any(PHRASE in row and "Note: ask about sleep" in row for row in rows(window))
    toggle = window.ui.dock_toggles[4]
    assert toggle.objectName() == "toggle_annotationsDock" and toggle.isChecked()

    window.reading_tools.panel.scope.setCurrentIndex(1)  # "This article" knows the open one
    assert len(rows(window)) == 1
    window.open_place("kratom-dopamine-withdrawal")
    assert rows(window) == []
    close_window(qtbot, window)


def test_the_annotations_tab_clicked_late_works_and_a_remembered_layout_makes_it_at_start(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    select(window, PHRASE)
    window.reading_tools.actions["highlight_blue"].trigger()
    window.ui.docks.annotations.raise_()  # its tab brought forward, as a click on it does
    qtbot.waitUntil(lambda: window.ui.docks.annotations.widget() is not None)
    assert any(PHRASE in row for row in rows(window))
    close_window(qtbot, window)  # remembers the layout: Annotations in front

    again = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    assert dock_in_front(again.ui.docks.annotations)
    assert again.ui.docks.annotations.widget() is not None  # made with the window
    assert any(PHRASE in row for row in rows(again))
    close_window(qtbot, again)


def test_notes_search_answers_without_the_annotations_panel(qtbot, corpus_copy, tmp_path, data_dir):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    select(window, PHRASE)
    window.reading_tools.ask_note = lambda current: "valerian instead?"
    window.reading_tools.actions["note"].trigger()
    panel = window.ui.search_panel
    panel.notes_scope.setChecked(True)
    panel.set_query("valerian")
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    assert window.ui.docks.annotations.widget() is None
    close_window(qtbot, window)


def test_the_safety_panel_is_made_on_ctrl_4_and_opens_a_warning_in_place(
    qtbot, corpus_copy, tmp_path
):
    from viewer.ui.safety_overview import PASSAGE_ROLE

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    dock = window.ui.docks.safety
    assert dock.widget() is None and not window.ui.safety.is_made()  # behind the Search tab
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_4, CTRL)
    qtbot.waitUntil(lambda: dock_in_front(dock))
    overview = window.ui.safety.overview
    assert dock.widget() is overview and overview.category_count() >= 3
    row = next(
        i
        for i in overview.passage_indexes()
        if i.data(PASSAGE_ROLE).article_id == "kratom-dopamine-withdrawal"
    )
    overview.tree.expand(row.parent().parent())
    overview.tree.expand(row.parent())
    click_index(qtbot, overview.tree, row)
    assert window.ui.reader.article.id == "kratom-dopamine-withdrawal"
    assert window.ui.reader.has_search_highlights()  # the warning marked where it stands
    close_window(qtbot, window)  # remembers Safety in front

    again = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    assert again.ui.safety.is_made() and again.ui.safety.overview.category_count() >= 3
    close_window(qtbot, again)
