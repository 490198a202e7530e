"""Highlights and notes in the window: made with the selection, drawn distinguishably, kept
across a restart, re-anchored or orphaned after the file changes, listed and filtered in the
Annotations panel, bookmarks and reading progress, exports, and a damaged database."""

from __future__ import annotations

import json

import jsonschema
from PySide6.QtGui import QTextCharFormat

from tests.conftest import REPO
from tests.ui_support import close_window, open_window, select
from viewer.core.annotations.location import DATA_ENV
from viewer.core.annotations.store import DB_NAME

ARTICLE = "kratom-opioid-withdrawal"
PHRASE = "potential side effects like gastrointestinal issues, anxiety, and insomnia"
OTHER = "Southeast Asian plant used for opioid withdrawal"


def marked_texts(window) -> list[str]:
    return [m.cursor.selectedText() for m in window.ui.reader.annotation_marks]


def test_highlight_with_a_note_is_still_there_after_a_restart(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    select(window, PHRASE)
    tools.ask_note = lambda current: "Ask the doctor about sleep"
    tools.actions["note"].trigger()
    select(window, OTHER)
    tools.actions["highlight_green"].trigger()
    assert marked_texts(window) == [OTHER, PHRASE]
    styles = {
        m.cursor.selectedText(): m.format.underlineStyle()
        for m in window.ui.reader.annotation_marks
    }
    assert styles[OTHER] == QTextCharFormat.UnderlineStyle.WaveUnderline  # not told by colour alone
    assert styles[PHRASE] == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert "2 highlights, 1 with notes" in window.ui.reader.accessibleDescription()
    close_window(qtbot, window)

    again = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    assert sorted(marked_texts(again)) == sorted([OTHER, PHRASE])
    again.reading_tools.dock.show()
    again.reading_tools.dock.raise_()
    texts = [
        again.reading_tools.panel.results.item(i).text()
        for i in range(again.reading_tools.panel.results.count())
    ]
    assert any(PHRASE in t and "Note: Ask the doctor about sleep" in t for t in texts)
    # Putting the cursor in the highlight says what it is (the status bar; plain text).
    cursor = again.ui.reader.document().find("gastrointestinal")
    again.ui.reader.setTextCursor(cursor)
    assert "with note: Ask the doctor about sleep" in again.statusBar().currentMessage()
    close_window(qtbot, again)


def test_editing_the_file_re_anchors_a_changed_highlight_and_orphans_a_removed_one(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    for phrase in (PHRASE, OTHER):
        select(window, phrase)
        tools.highlight("yellow")
    path = corpus_copy / f"{ARTICLE}.md"
    text = path.read_text(encoding="utf-8")
    body_start = text.index("\n---", 3) + 5
    text = (
        text[:body_start]
        + "A paragraph added at the top of the article, before everything.\n\n"
        + text[body_start:]
    )
    text = text.replace("anxiety, and insomnia", "anxiety, and poor sleep")
    text = text.replace(OTHER, "shrub")
    path.write_text(text, encoding="utf-8")
    window.reload_library()  # what the folder watcher does when the file changes

    assert marked_texts(window) == [PHRASE.replace("insomnia", "poor sleep")]
    assert "could not be placed" in window.statusBar().currentMessage()
    tools.dock.show()
    tools.dock.raise_()
    tools.panel.refresh()
    texts = [tools.panel.results.item(i).text() for i in range(tools.panel.results.count())]
    orphan = [t for t in texts if t.startswith("Orphaned")]
    assert len(orphan) == 1 and OTHER in orphan[0]  # shown with its quote, not dropped
    assert "1 orphaned" in tools.panel.summary.text()
    close_window(qtbot, window)


def test_the_panel_filters_and_opens_a_highlight_in_place(qtbot, corpus_copy, tmp_path, data_dir):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools, panel = window.reading_tools, window.reading_tools.panel
    select(window, PHRASE)
    tools.highlight("pink", note="sleep")
    select(window, OTHER)
    tools.highlight("blue")
    window.open_place("kratom-dopamine-withdrawal")
    tools.dock.show()
    tools.dock.raise_()
    assert panel.results.count() == 2
    panel.field.setText("sleep")
    assert panel.results.count() == 1 and PHRASE in panel.results.item(0).text()
    panel.field.clear()
    panel.kind.setCurrentIndex(3)  # All colours, yellow, green, blue
    assert panel.kind.currentText().startswith("Blue")
    assert panel.results.count() == 1 and OTHER in panel.results.item(0).text()
    panel.kind.setCurrentIndex(0)
    panel.scope.setCurrentIndex(1)  # this article: the dopamine one has none
    assert panel.results.count() == 0
    panel.scope.setCurrentIndex(0)
    panel.field.setText("sleep")
    panel._activated(panel.results.item(0))
    assert window.ui.reader.article.id == ARTICLE
    assert window.ui.reader.textCursor().selectedText() == PHRASE
    close_window(qtbot, window)


def test_bookmarks_and_reading_progress(qtbot, corpus_copy, tmp_path, data_dir):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE, size=(1000, 700))
    tools = window.reading_tools
    anchor = window.ui.contents.anchors()[2]
    window.open_place(ARTICLE, anchor)
    tools.actions["bookmark_section"].trigger()
    tools.dock.show()
    tools.dock.raise_()
    tools.panel.kind.setCurrentIndex(tools.panel.kind.findText("Bookmarks"))
    heading = window.ui.reader.article.section(anchor).heading
    assert [
        tools.panel.results.item(i).text().splitlines()[0]
        for i in range(tools.panel.results.count())
    ] == [f"Bookmark: {heading}"]
    tools.panel._activated(tools.panel.results.item(0))
    assert window.ui.contents.current_anchor() == anchor

    bar = window.ui.reader.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    tools.save_progress()
    assert "% read · about" in tools.progress.text() and "words/min" in tools.progress.text()
    assert not tools.actions["mark_read"].isChecked()
    bar.setValue(bar.maximum())
    tools.save_progress()
    assert tools.progress.text() == "Read" and tools.actions["mark_read"].isChecked()

    window.open_place("kratom-dopamine-withdrawal")
    bar.setValue(bar.maximum() // 2)
    tools.save_progress()
    tools.panel.kind.setCurrentIndex(tools.panel.kind.findText("Reading list (read and unread)"))
    rows = [tools.panel.results.item(i).text() for i in range(tools.panel.results.count())]
    assert len(rows) == 5 and "5 articles" in tools.panel.summary.text()
    assert "% read · about" in rows[0].splitlines()[1]  # the one under way comes first
    assert rows[-1].splitlines()[1] == "Read" and rows[-1].startswith(
        window.library.entry(ARTICLE).title
    )
    assert all(r.splitlines()[1].startswith("Not started") for r in rows[1:-1])
    scroll = bar.value()
    window.open_place(ARTICLE)
    tools.panel._activated(tools.panel.results.item(0))  # continue reading where they stopped
    assert (
        window.ui.reader.article.id == "kratom-dopamine-withdrawal"
        and abs(bar.value() - scroll) <= 2
    )
    close_window(qtbot, window)
    again = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    assert again.reading_tools.actions["mark_read"].isChecked()
    close_window(qtbot, again)


def test_export_from_the_window_validates_against_the_documented_shape(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    select(window, PHRASE)
    window.reading_tools.highlight("yellow", note="a note")
    window.reading_tools.export_to(tmp_path / "a.json", "json")
    window.reading_tools.export_to(tmp_path / "a.md", "md")
    schema = json.loads((REPO / "docs" / "annotations.schema.json").read_text(encoding="utf-8"))
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["items"][0]["target"]["selector"][0]["exact"] == PHRASE
    assert f"> {PHRASE}" in (tmp_path / "a.md").read_text(encoding="utf-8")
    close_window(qtbot, window)


def test_a_damaged_database_still_opens_the_app_and_is_set_aside_only_with_consent(
    qtbot, corpus_copy, tmp_path, data_dir
):
    data_dir.mkdir()
    garbage = b"not sqlite " * 300
    (data_dir / DB_NAME).write_bytes(garbage)
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    assert window.ui.reader.article.id == ARTICLE  # reading works
    qtbot.waitUntil(lambda: "damaged" in window.statusBar().currentMessage())
    select(window, PHRASE)
    tools.highlight("yellow")
    assert (
        window.ui.reader.annotation_marks == [] and "damaged" in window.statusBar().currentMessage()
    )
    tools.confirm_repair = lambda: False
    tools.actions["repair_annotations"].trigger()
    assert (data_dir / DB_NAME).read_bytes() == garbage  # no consent, nothing moved
    tools.confirm_repair = lambda: True
    tools.actions["repair_annotations"].trigger()
    aside = [p for p in data_dir.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    select(window, PHRASE)
    tools.highlight("yellow")
    assert marked_texts(window) == [PHRASE]
    close_window(qtbot, window)


def test_the_window_and_the_command_line_use_the_same_data_folder(qapp, monkeypatch, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from viewer.core.annotations import location
    from viewer.ui import settings
    from viewer.ui.reading_tools import data_folder

    assert (location.ORGANIZATION, location.APPLICATION) == (
        settings.ORGANIZATION,
        settings.APPLICATION,
    )
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    saved = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(settings.ORGANIZATION)
    QCoreApplication.setApplicationName(settings.APPLICATION)
    try:
        assert data_folder() == location.default_data_dir()
    finally:
        QCoreApplication.setOrganizationName(saved[0])
        QCoreApplication.setApplicationName(saved[1])


def test_highlights_far_down_are_drawn_when_scrolled_to(qtbot, corpus_copy, tmp_path, data_dir):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE, size=(1000, 600))
    article = window.ui.reader.article
    last_words = " ".join(article.sections[-1].paragraphs[-1].plain.split()[:8])
    select(window, last_words)
    window.reading_tools.highlight("blue")
    select(window, PHRASE)
    window.reading_tools.highlight("yellow")
    window.ui.reader.verticalScrollBar().setValue(0)
    assert marked_texts(window) == [PHRASE]  # only what is near the screen is handed to Qt
    window.ui.reader.verticalScrollBar().setValue(window.ui.reader.verticalScrollBar().maximum())
    assert last_words in marked_texts(window) and PHRASE not in marked_texts(window)
    close_window(qtbot, window)


def test_overlapping_marks_are_painted_once_with_the_shortest_on_top():
    from viewer.ui.annotation_marks import flatten

    big, small, other = "big", "small", "other"
    assert flatten([(0, 100, big), (40, 60, small)]) == [
        (0, 40, big),
        (40, 60, small),
        (60, 100, big),
    ]
    assert flatten([(0, 10, big), (5, 20, other), (30, 40, big)]) == [
        (0, 10, big),
        (10, 20, other),
        (30, 40, big),
    ]
    assert flatten([(0, 10, big), (10, 20, big)]) == [(0, 20, big)]
    assert flatten([]) == []


def test_notes_on_safety_passages_say_so_and_have_their_own_filter(
    qtbot, corpus_copy, tmp_path, data_dir
):
    plain_phrase = "Kratom, scientifically known as Mitragyna speciosa"
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools, panel = window.reading_tools, window.reading_tools.panel
    select(window, PHRASE)
    tools.highlight("pink", note="ask about sleep")
    select(window, plain_phrase)
    tools.highlight("yellow", note="background")
    tools.dock.show()
    tools.dock.raise_()
    texts = {panel.results.item(i).text() for i in range(panel.results.count())}
    safety_row = next(t for t in texts if PHRASE in t)
    assert "⚠ On a safety passage: Side effects" in safety_row
    assert "safety" not in next(t for t in texts if plain_phrase in t)
    panel.kind.setCurrentIndex(panel.kind.findText("On safety passages"))
    assert [panel.results.item(i).text() for i in range(panel.results.count())] == [safety_row]
    tools.export_to(tmp_path / "a.json", "json")
    items = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["items"]
    by_note = {item["body"]["value"]: item["articleViewer"]["safety"] for item in items}
    assert "Side effects" in by_note["ask about sleep"] and by_note["background"] == []
    close_window(qtbot, window)


def test_a_database_locked_by_another_program_shows_highlights_read_only(
    qtbot, corpus_copy, tmp_path, data_dir, monkeypatch
):
    import sqlite3

    from viewer.core.annotations.store import AnnotationStore

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    select(window, PHRASE)
    window.reading_tools.highlight("yellow")
    close_window(qtbot, window)
    other = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another copy of the app is writing
    original_open = AnnotationStore.open
    monkeypatch.setattr(
        AnnotationStore,
        "open",
        classmethod(
            lambda cls, data, corpus, timeout=2.0: original_open.__func__(
                cls, data, corpus, timeout=0.1
            )
        ),
    )
    try:
        again = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
        assert marked_texts(again) == [PHRASE]
        select(again, OTHER)
        again.reading_tools.highlight("green")
        message = again.statusBar().currentMessage()
        assert "locked" in message and "\n" not in message
        assert marked_texts(again) == [PHRASE]
        close_window(qtbot, again)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_every_reading_command_has_a_shortcut_and_a_menu_entry(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools

    def menu_actions(menu):
        for action in menu.actions():
            yield action
            if action.menu() is not None:
                yield from menu_actions(action.menu())

    in_menus = {a for menu in window.ui.menus.values() for a in menu_actions(menu)}
    commands = list(tools.actions.values()) + list(tools.tabs.actions.values())
    for action in commands:
        assert not action.shortcut().isEmpty(), action.objectName()
        assert action in in_menus, action.objectName()
    toggle = next(
        a for a in window.ui.dock_toggles if a.objectName() == f"toggle_{tools.dock.objectName()}"
    )
    assert toggle.shortcut().toString() == "Ctrl+5" and toggle in in_menus
    shortcuts = [
        s.toString() for a in window.findChildren(type(commands[0])) for s in a.shortcuts()
    ]
    duplicates = {s for s in shortcuts if s and shortcuts.count(s) > 1}
    assert not duplicates
    close_window(qtbot, window)
