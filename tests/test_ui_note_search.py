"""The Search panel's Notes scope: it finds highlights by the words of their note or their
quote, shows what a reader wrote as text (never markup), and opens the article at the
highlight; switching back searches the articles again."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument

from tests.ui_support import close_window, open_window, select
from viewer.ui.hit_delegate import HIT_ROLE
from viewer.ui.note_search import NOTE_HIT_ROLE, marked

ARTICLE = "kratom-opioid-withdrawal"
OTHER_ARTICLE = "kratom-dopamine-withdrawal"


def shown_rows(window) -> list[tuple[str, str]]:
    """(article row, what the reader sees in a note row) for every row of the results."""
    panel, rows = window.ui.search_panel, []
    for index in panel.hit_rows():
        doc = QTextDocument()
        doc.setHtml(index.data(HIT_ROLE).snippet)
        rows.append((index.parent().data(), doc.toPlainText()))
    return rows


def add_note(window, phrase: str, note: str) -> None:
    select(window, phrase)
    window.reading_tools.ask_note = lambda current: note
    window.reading_tools.actions["note"].trigger()


def test_notes_scope_finds_highlights_by_note_or_quote_and_opens_them(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    add_note(window, "mild gastrointestinal discomfort", "<b>ginger</b> & tea helps")
    add_note(window, "Southeast Asian plant", "botany aside")
    select(window, "dry mouth")
    window.reading_tools.highlight("green")  # a highlight without a note
    panel = window.ui.search_panel
    panel.notes_scope.setChecked(True)
    assert not panel.safety_only.isEnabled()

    panel.set_query("ginger")
    rows = shown_rows(window)
    assert len(rows) == 1
    assert "“mild gastrointestinal discomfort”" in rows[0][1]
    assert (
        "\u270e <b>ginger</b> & tea helps" in rows[0][1]
    )  # the markup shown as the reader typed it
    assert (
        "&lt;b&gt;<b>ginger</b>&lt;/b&gt;" in panel.hit_rows()[0].data(HIT_ROLE).snippet
    )  # escaped, then bolded
    assert "1 note or highlight holds “ginger”" in panel.status.text()

    panel.set_query("MOUTH")  # a word of a quote, any case
    assert [text for _a, text in shown_rows(window)] == ["“dry mouth”"]
    panel.set_query("asian botany")  # every word, from the quote or the note
    assert len(shown_rows(window)) == 1
    panel.set_query("nowhere-to-be-found")
    assert shown_rows(window) == []
    assert panel.status.text() == "No note or highlight holds “nowhere-to-be-found”."

    panel.set_query("ginger")
    window.open_place(OTHER_ARTICLE)
    index = panel.hit_rows()[0]
    assert index.data(NOTE_HIT_ROLE)
    panel.results.activated.emit(index)
    assert window.ui.reader.article.id == ARTICLE
    assert window.ui.reader.textCursor().selectedText() == "mild gastrointestinal discomfort"

    panel.notes_scope.setChecked(False)  # back to the articles: section hits again
    panel.set_query("nausea")
    qtbot.waitUntil(
        lambda: bool(panel.hit_rows()) and panel.hit_rows()[0].data(NOTE_HIT_ROLE) is None,
        timeout=30000,
    )
    assert panel.safety_only.isEnabled()
    close_window(qtbot, window)


def test_the_snippet_is_escaped_and_bolds_each_word_in_any_case():
    assert (
        marked("Ask <Dr> about DOSE & dose", ["dose"])
        == "Ask &lt;Dr&gt; about <b>DOSE</b> &amp; <b>dose</b>"
    )
    assert marked("a <b> tag", []) == "a &lt;b&gt; tag"
    assert (
        marked("<b>", ["b"]) == "&lt;<b>b</b>&gt;"
    )  # the word is found in the text, not in the escaping
    long = "word " * 60 + "needle " + "word " * 60
    cut = marked(long, ["needle"], limit=60)
    assert cut.startswith("…") and cut.endswith("…") and "<b>needle</b>" in cut
