"""Notes on a warning sentence show in the Safety panel under that sentence: as plain text,
added and removed as the reader edits them, kept across a restart, and opening the note's
highlight when activated."""

from __future__ import annotations

from tests.ui_support import close_window, open_window, select
from viewer.ui.safety_overview import NOTE_ROLE

ARTICLE = "kratom-opioid-withdrawal"
SENTENCE = "Common issues include mild gastrointestinal discomfort, nausea, and dry mouth."
HOSTILE = "<b>check</b> & <img src='/dev/zero'> dose"


def notes_under(window, sentence: str) -> list[str]:
    return [note for shown, note in window.ui.safety.overview.note_rows() if shown == sentence]


def test_a_note_on_a_warning_shows_under_it_as_text_and_goes_when_removed(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    assert notes_under(window, SENTENCE) == []
    select(window, "mild gastrointestinal discomfort")
    tools.ask_note = lambda current: HOSTILE
    tools.actions["note"].trigger()
    # Under each category the sentence is listed in, the note as written (markup and all).
    assert set(notes_under(window, SENTENCE)) == {f"\u270e Note: {HOSTILE}"}
    assert all(HOSTILE in note for _s, note in window.ui.safety.overview.note_rows())
    select(window, "Southeast Asian plant")  # not a warning: nothing new in the panel
    tools.ask_note = lambda current: "botany"
    tools.actions["note"].trigger()
    assert not any("botany" in note for _s, note in window.ui.safety.overview.note_rows())

    select(window, "gastrointestinal discomfort")  # editing the note updates the panel
    tools.ask_note = lambda current: "ginger tea?"
    tools.actions["note"].trigger()
    assert set(notes_under(window, SENTENCE)) == {"\u270e Note: ginger tea?"}
    close_window(qtbot, window)

    again = open_window(
        qtbot, corpus_copy, tmp_path / "s.ini", article="kratom-dopamine-withdrawal"
    )
    # Another article is open: the notes of the others are read when Safety comes forward.
    again.ui.docks.safety.show()
    again.ui.docks.safety.raise_()
    qtbot.waitUntil(lambda: set(notes_under(again, SENTENCE)) == {"\u270e Note: ginger tea?"})
    again.open_place(ARTICLE)
    select(again, "gastrointestinal discomfort")
    again.reading_tools.actions["remove_highlight"].trigger()
    assert notes_under(again, SENTENCE) == []
    close_window(qtbot, again)


def test_activating_a_note_row_opens_its_highlight(qtbot, corpus_copy, tmp_path, data_dir):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    select(window, "dry mouth")
    window.reading_tools.ask_note = lambda current: "thirst"
    window.reading_tools.actions["note"].trigger()
    window.open_place("kratom-dopamine-withdrawal")
    overview = window.ui.safety.overview
    index = next(
        overview.model.index(0, 0, i)
        for i in overview.passage_indexes()
        if overview.model.rowCount(i)
    )
    assert index.data(NOTE_ROLE)
    overview.tree.activated.emit(index)
    assert window.ui.reader.article.id == ARTICLE
    assert window.ui.reader.textCursor().selectedText() == "dry mouth"
    close_window(qtbot, window)
