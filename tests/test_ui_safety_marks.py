"""The warning sentences as a reader meets them in the app: marks in the pane that say why when
pointed at or clicked (as plain text), the Safety panel's sentences by category and severity
with a legend, and a passage opened from the panel highlighted whole, not its first line only.

The sentence verdicts come from a small keyword annotator standing in for the classifier, so
these tests depend only on the verdict contract (viewer/core/model.py `Sentence`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QToolTip

from tests.ui_support import close_window, open_window
from viewer.core.model import Article, Sentence
from viewer.core.safety import derive_paragraph, derive_section
from viewer.core.safety_categories import category_label
from viewer.core.sentences import split_sentences
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_overview import CATEGORY_ROLE, PASSAGE_ROLE, SEVERITY_ROLE

# Word in a sentence -> (severity, category): the stand-in classifier's whole rule book.
RULES = {
    "overdose": ("warning", "dosage"),
    "drowsy": ("caution", "side-effects"),
    "pharmacist": ("advice", "medical-supervision"),
}
LONG_WARNING = (
    "An overdose of the <b>tincture</b> can slow breathing to a dangerous degree, and the risk "
    "climbs with every extra dropper taken in the same evening, with alcohol, with sleeping "
    "pills, with strong painkillers, or when the person taking it is already frail, very "
    "old, very young, or living with a lung or heart condition that nobody has checked."
)
# In the Markdown source the tags are written as entities: the reader must show them as text.
LONG_WARNING_MD = LONG_WARNING.replace("<", "&lt;").replace(">", "&gt;")
ARTICLE = f"""---
title: Valerian Drops
---

Valerian is a root used for sleep.

## How to take it

Take the drops at night. Some people feel drowsy the next morning. Ask a pharmacist about other medicines you use.

## Risks

Most people sleep well with it. {LONG_WARNING_MD} Keep it out of reach.
"""


def annotate(article: Article) -> None:
    """Sentence verdicts by keyword, over the classifier's own sentence spans; paragraph and
    section flags derived from them as the classifier derives them."""
    for section in article.sections:
        for paragraph in section.paragraphs:
            sentences = []
            for start, end in split_sentences(paragraph.plain):
                text = paragraph.plain[start:end]
                word = next((w for w in RULES if w in text.lower()), "")
                severity, category = RULES.get(word, ("", ""))
                sentences.append(
                    Sentence(
                        start,
                        end,
                        text,
                        bool(word),
                        severity,
                        (category,) if word else (),
                        (f"cue: {word}", "negated: no") if word else (),
                        (word,) if word else (),
                    )
                )
            paragraph.sentences = sentences
            derive_paragraph(paragraph)
        derive_section(section)


@pytest.fixture
def marked_corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr("viewer.core.library.default_annotators", lambda: [annotate])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "valerian-drops.md").write_text(ARTICLE, encoding="utf-8")
    return corpus


@pytest.fixture
def window(qtbot, marked_corpus, tmp_path):
    window = open_window(qtbot, marked_corpus, tmp_path / "s.ini", article="valerian-drops")
    window.resize(1100, 800)
    yield window
    close_window(qtbot, window)


def viewport_point(reader, text: str, offset: int = 3) -> QPoint:
    """A viewport point over a character of `text` in the pane (scrolled into view)."""
    cursor = reader.document().find(text)
    assert not cursor.isNull(), text
    at = QTextCursor(reader.document())
    at.setPosition(cursor.selectionStart() + offset)
    reader.setTextCursor(at)
    reader.ensureCursorVisible()
    rect = reader.cursorRect(at)
    return QPoint(rect.left() + 2, rect.center().y())


def test_pointing_at_a_mark_says_why_in_plain_text(qtbot, window):
    reader = window.ui.reader
    point = viewport_point(reader, "An overdose of the")
    reason = reader.mark_reason_at(point)
    assert reason.splitlines()[0] == f"\u25b2 Warning: {category_label('dosage')}"
    assert "cue: overdose" in reason and "negated: no" in reason
    event = QHelpEvent(QEvent.Type.ToolTip, point, reader.viewport().mapToGlobal(point))
    QApplication.sendEvent(reader.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == tooltip_text(reason)
    # Unmarked words say nothing.
    assert reader.mark_reason_at(viewport_point(reader, "Most people sleep")) == ""


def test_article_markup_in_a_marked_sentence_is_text_in_the_pane_and_its_tooltip(window):
    reader = window.ui.reader
    assert "<b>tincture</b>" in reader.toPlainText()
    tip = tooltip_text("<b>tincture</b> & co\nline two")
    shown = QTextDocument()
    shown.setHtml(tip)
    assert shown.toPlainText() == "<b>tincture</b> & co\nline two"


def test_clicking_a_mark_says_why_too(qtbot, window):
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    reader = window.ui.reader
    point = viewport_point(reader, "Some people feel drowsy")
    qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "\u25c6 Caution: " + category_label("side-effects") in QToolTip.text()


def test_the_panel_lists_warning_sentences_by_category_then_severity(window):
    overview = window.ui.safety.overview
    window.ui.docks.safety.raise_()
    overview.build_pending()
    model = overview.model
    tree = {}
    for r in range(model.rowCount()):
        category = model.index(r, 0)
        for s in range(model.rowCount(category)):
            severity = model.index(s, 0, category)
            article = model.index(0, 0, severity)
            assert model.rowCount(severity) == 1 and article.data() == "Valerian Drops  (1)"
            tree[(category.data(CATEGORY_ROLE), severity.data(SEVERITY_ROLE))] = [
                model.index(p, 0, article).data(PASSAGE_ROLE).text
                for p in range(model.rowCount(article))
            ]
    assert tree == {
        ("side-effects", "caution"): ["Some people feel drowsy the next morning."],
        ("dosage", "warning"): [" ".join(LONG_WARNING.split())],
        ("medical-supervision", "advice"): ["Ask a pharmacist about other medicines you use."],
    }
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert (
        labels[0].startswith(category_label("side-effects"))
        and "(1 warning, 1 article)" in labels[0]
    )
    first = model.index(0, 0)
    assert model.index(0, 0, first).data() == "\u25c6 Caution  (1)"


def test_the_legend_explains_the_boxes_and_each_severity(window):
    legend = window.ui.safety.overview.legend
    text = re.sub(r"<[^>]+>", " ", legend.text()).replace("&nbsp;", " ")
    text = " ".join(text.split())
    assert "\u26a0 Safety box: a whole section about safety" in text
    assert "side bar" not in text  # a mark the reading pane never draws is not explained
    assert "Inside it, each warning sentence is marked:" in text
    for glyph, name, style in (
        ("\u25b2", "Warning", "bold, underlined"),
        ("\u25c6", "Caution", "underlined"),
        ("\u25cf", "Advice", "italic"),
    ):
        assert f"{glyph} {name} ({style}):" in text
    assert legend.isVisibleTo(window.ui.safety.overview)


def test_opening_a_sentence_from_the_panel_highlights_all_of_it(qtbot, window):
    overview = window.ui.safety.overview
    window.ui.docks.safety.raise_()
    window.open_place("valerian-drops", "how-to-take-it")
    rows = [i for i in overview.passage_indexes() if i.data(PASSAGE_ROLE).severity == "warning"]
    (row,) = rows
    overview.tree.scrollTo(row)  # expands its category, severity and article
    qtbot.mouseClick(
        overview.tree.viewport(),
        Qt.MouseButton.LeftButton,
        pos=overview.tree.visualRect(row).center(),
    )
    reader = window.ui.reader
    revealed = " ".join(reader.revealed_text().split()).replace("\u25b2", "").strip()
    assert revealed == " ".join(LONG_WARNING.split())
    # More than the first line: the highlight spans several laid-out lines.
    selections = reader.extraSelections()
    assert len(selections) == 1
    selection = QTextCursor(selections[0].cursor)
    start, end = QTextCursor(selection), QTextCursor(selection)
    start.setPosition(selection.selectionStart())
    end.setPosition(selection.selectionEnd())
    assert (
        reader.cursorRect(end).top() - reader.cursorRect(start).top()
        > 2 * reader.cursorRect(start).height()
    )
    top = reader.cursorRect(start).top()
    assert 0 <= top < reader.viewport().height()


def test_a_passage_known_by_its_start_is_highlighted_to_its_paragraph_end(window):
    reader = window.ui.reader
    paragraph = window.library.get("valerian-drops").section("risks").paragraphs[0]
    assert reader.reveal_text(paragraph.plain[:120], "risks", to_block_end=True)
    revealed = " ".join(reader.revealed_text().replace("\u25b2", "").split())
    assert revealed == " ".join(paragraph.plain.split())


def test_warning_sentences_come_back_from_the_catalogue(marked_corpus, tmp_path, monkeypatch):
    from viewer.core.library import Library

    cache = tmp_path / "catalogue-cache"
    os.utime(
        marked_corpus / "valerian-drops.md", (1_700_000_000, 1_700_000_000)
    )  # not "just written"
    fresh = Library.load(marked_corpus, cache_dir=cache).get("valerian-drops")
    # A second start reads the catalogue: the article is parsed again, not classified again.
    monkeypatch.setattr(
        "viewer.core.library.default_annotators", lambda: pytest.fail("classified again")
    )
    again = Library.load(marked_corpus, cache_dir=cache).get("valerian-drops")
    assert [p.sentences for p in again.paragraphs()] == [p.sentences for p in fresh.paragraphs()]
    assert sum(1 for p in again.paragraphs() for s in p.sentences if s.safety) == 3
