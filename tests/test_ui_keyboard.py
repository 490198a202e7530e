"""Keyboard: Tab skips a panel tabbed behind another, Ctrl+3 brings such a panel forward,
Ctrl+Home/Ctrl+End move the reader, F10 opens the menus, Help lists every shortcut and shows the
guide; the Font and Layout dialog starts from the article's font and applies all it offers."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui_support import close_window, open_window
from viewer.ui import dialogs, help_dialogs
from viewer.ui.actions import ACTIONS
from viewer.ui.menus import dock_in_front
from viewer.ui.reading_dialog import ReadingDialog, ReadingFormat

CTRL = Qt.KeyboardModifier.ControlModifier
DOPAMINE = "kratom-dopamine-withdrawal"


def _tab_chain(qtbot, window, start, presses=12) -> list:
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    seen = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_skips_the_search_panel_while_the_safety_tab_is_in_front(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    search, safety = window.ui.docks.search, window.ui.docks.safety
    safety.raise_()
    qtbot.waitUntil(lambda: not dock_in_front(search))
    chain = _tab_chain(qtbot, window, window.ui.tree)
    assert window.ui.reader in chain and window.ui.safety.overview.tree in chain
    assert not any(search.isAncestorOf(w) for w in chain)
    search.raise_()
    qtbot.waitUntil(lambda: dock_in_front(search))
    chain = _tab_chain(qtbot, window, window.ui.tree)
    assert window.ui.search_panel.field in chain and window.ui.search_panel.safety_only in chain
    assert not any(safety.isAncestorOf(w) for w in chain)


def test_ctrl_3_brings_a_search_panel_tabbed_behind_forward_then_hides_it(
    qtbot, corpus_copy, tmp_path
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    search = window.ui.docks.search
    window.ui.docks.safety.raise_()
    qtbot.waitUntil(lambda: not dock_in_front(search))
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_3, CTRL)
    assert dock_in_front(search) and window.ui.dock_toggles[2].isChecked()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_3, CTRL)
    assert search.isHidden() and not window.ui.dock_toggles[2].isChecked()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_3, CTRL)
    assert dock_in_front(search)


def test_ctrl_home_and_ctrl_end_move_the_reader(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    bar = window.ui.reader.verticalScrollBar()
    window.ui.reader.setFocus()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_End, CTRL)
    assert bar.value() == bar.maximum() > 0
    assert window.ui.contents.current_position() == len(window.ui.contents.anchors()) - 1
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Home, CTRL)
    assert bar.value() == 0 and window.ui.contents.current_position() == 0


def test_f10_opens_the_first_menu(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_F10)
    assert window.menuBar().activeAction() is window.ui.menus["File"].menuAction()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is window.ui.menus["File"])
    window.ui.menus["File"].close()


def test_the_shortcuts_list_is_generated_from_the_action_table(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    rows = dict(help_dialogs.shortcut_rows(window.ui.commands, window.ui.dock_toggles))
    for spec in ACTIONS:
        action = window.ui.commands[spec.name]
        if action.shortcuts():
            assert spec.text.replace("&", "").rstrip("…") in rows, spec.name
    assert rows["Top of Article"] == "Ctrl+Home" and rows["Menu Bar"] == "F10"
    assert rows["Open File"] == "Ctrl+O"  # not the "Open" media key some keyboards have
    assert rows["Show, bring forward or hide the Search panel"] == "Ctrl+3"
    shown = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.ui.commands["shortcuts"].trigger()
    grid = shown[0].findChild(help_dialogs.QTableWidget, "shortcutsTable")
    assert grid.rowCount() == len(
        help_dialogs.shortcut_rows(window.ui.commands, window.ui.dock_toggles)
    )
    assert grid.item(0, 0).text() == "Open File"
    assert shown[0].height() <= shown[0].screen().availableGeometry().height()
    window.ui.commands["guide"].trigger()
    guide = shown[1].findChild(help_dialogs.QTextBrowser, "guideText")
    assert "not medical advice" in guide.toPlainText()
    assert window.ui.commands["guide"].shortcut().toString() == "F1"


def test_the_font_dialog_starts_from_the_articles_font_and_size(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    window.set_zoom(125)
    current = ReadingFormat("", 15.0, 150, 70)
    dialog = ReadingDialog(
        current, window.ui.reader.shown_family(), window.ui.reader.shown_family("")
    )
    qtbot.addWidget(dialog)
    assert dialog.family.currentFont().family() == window.ui.reader.shown_family()
    assert dialog.size_box.value() == 15.0
    assert dialog.chosen() == current  # OK unchanged changes nothing (not "Sans Serif 12")


def test_font_size_spacing_and_width_are_applied_and_remembered(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    asked = []

    def choose(parent, current, shown, default):
        asked.append(current)
        return replace(current, family="DejaVu Sans", size_pt=15.0, line_spacing=180, page_width=50)

    monkeypatch.setattr(dialogs, "choose_font", choose)
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article=DOPAMINE, size=(1600, 900))
    assert asked == [] and window.ui.reader.page_width == 70
    narrow_before = window.ui.reader.document().rootFrame().frameFormat().leftMargin()
    window.ui.commands["choose_font"].trigger()
    assert asked[0] == ReadingFormat("", 12.0, 150, 70)
    reader = window.ui.reader
    assert reader.font_family == "DejaVu Sans" and reader.zoom == 125
    assert reader.base_font_pt == 15.0
    block = reader.document().findBlock(reader.document().find("Kratom, derived").position())
    assert block.blockFormat().lineHeight() == 180
    assert reader.document().rootFrame().frameFormat().leftMargin() > narrow_before  # 50 characters
    close_window(qtbot, window)
    again = open_window(qtbot, corpus_copy, settings, article=DOPAMINE)
    assert (again.ui.reader.line_spacing, again.ui.reader.page_width, again.ui.reader.zoom) == (
        180,
        50,
        125,
    )


def test_ctrl_end_in_the_topic_tree_moves_the_tree_not_the_reader(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    window.ui.tree.setFocus()
    window.ui.tree.setCurrentIndex(window.ui.tree.model().index(0, 0))
    qtbot.keyClick(window.ui.tree, Qt.Key.Key_End, CTRL)
    assert window.ui.reader.verticalScrollBar().value() == 0
    assert window.ui.tree.currentIndex().row() == window.ui.tree.model().rowCount() - 1
