"""The reader's highlights are marks on the blocks, placed while the document is built: across
an inline boundary, in a table cell, in a safety callout over its warning sentences, in a
heading, never turning note or article text into markup, and the same words marked in every
output (HTML export, the print document behind Print and PDF, Markdown, text)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from viewer.core.annotations.anchoring import article_text, make_quote
from viewer.core.annotations.model import Annotation
from viewer.core.library import Library
from viewer.export.dispatch import export_text
from viewer.export.pdf_export import build_print_document
from viewer.render.annotated import notes_for_export
from viewer.render.blocks import BlockKind, build_blocks
from viewer.render.highlight_html import SHADES
from viewer.render.highlights import text_lines

ARTICLE = """---
title: Highlight <b>test</b>
topics: [Kratom]
---

## How it is taken

Some people take it as **powdered leaf** in a tea.

| Form | Dose |
|---|---|
| powder | two grams |

## Risks

Combining kratom with opioids can cause fatal breathing problems. Do not drive after taking it.
"""
HOSTILE_NOTE = '<img src=x onerror="alert(1)"> **not bold** [x](javascript:alert(1))'
PHRASES = {  # colour: (the words, the note)
    "yellow": ("take it as powdered leaf in", HOSTILE_NOTE),  # across <strong> both ways
    "green": ("two grams", ""),  # in a table cell
    "pink": ("fatal breathing problems. Do not drive", "two warnings"),  # callout, two marks
    "blue": ("<b>test", "in the title"),  # article text that looks like markup
}


@pytest.fixture(scope="module")
def marked_article(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "hl.md").write_text(ARTICLE, encoding="utf-8")
    article = Library.load(folder).get("hl")
    text = article_text(article)
    made = []
    for colour, (phrase, note) in PHRASES.items():
        at = text.index(phrase)
        quote = make_quote(text, at, at + len(phrase))
        made.append(Annotation(article.id, quote, colour=colour).with_note(note))
    return article, notes_for_export(article, made)


def _squeezed(pieces) -> str:
    return re.sub(r"\s+", "", "".join(pieces))


def _visible(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment))


def html_marked(document: str, colour: str) -> str:
    body = document.split('<h2 class="notes-heading"')[0]
    pieces = re.findall(rf'<mark class="hl hl-{colour}">(.*?)</mark>', body, re.DOTALL)
    return _squeezed(_visible(p) for p in pieces)


def markdown_marked(text: str, colour: str) -> str:
    """The ==…== stretches (all colours: Markdown has one highlight) or <mark>s of a colour."""
    body = text.split("\n[^")[0]
    pieces = re.findall(rf'<mark class="hl hl-{colour}">(.*?)</mark>', body, re.DOTALL)
    return _squeezed(_visible(p) for p in pieces)


def print_marked(article, notes, colour: str) -> str:
    """The characters of the article the print document (Print, Print Preview, PDF) paints on
    the colour."""
    document, _device = build_print_document(article, 560.0, 700.0, highlights=notes)
    wanted, pieces = SHADES[colour][0].lower(), []
    block = document.begin()
    while block.isValid() and block.text() != "Notes":  # the article, not its notes section
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            brush = fragment.charFormat().background()
            if brush.style() != 0 and brush.color().name() == wanted:
                pieces.append(fragment.text())
            iterator += 1
        block = block.next()
    return _squeezed(pieces)


def test_the_marks_are_on_the_blocks_before_any_writer_runs(marked_article):
    article, notes = marked_article
    blocks = build_blocks(article, highlights=notes)
    by_kind = {}
    for block in blocks.walk():
        for mark in block.highlights:
            text = block.paragraph.plain if block.paragraph is not None else block.text
            by_kind.setdefault(mark.colour, (block.kind, text[mark.start : mark.end]))
    assert by_kind["yellow"] == (BlockKind.PARAGRAPH, "take it as powdered leaf in")
    assert by_kind["green"][0] == BlockKind.TABLE and by_kind["green"][1] == "two grams"
    assert by_kind["pink"] == (BlockKind.PARAGRAPH, PHRASES["pink"][0])
    assert by_kind["blue"] == (BlockKind.TITLE, "<b>test")
    callout = next(b for b in blocks.blocks if b.kind == BlockKind.CALLOUT)
    assert any(m.colour == "pink" for child in callout.children for m in child.highlights)
    notes_block = [b for b in blocks.blocks if b.kind == BlockKind.NOTES]
    assert len(notes_block) == 1 and blocks.blocks[-1].kind == BlockKind.FOOTER
    assert "\n".join(text for _key, text in text_lines(article)) == article_text(article)


def test_every_output_marks_the_same_words(marked_article):
    article, notes = marked_article
    page = export_text(article, "html", notes)
    markdown = export_text(article, "md", notes)
    for colour, (phrase, _note) in PHRASES.items():
        expected = _squeezed(phrase)
        assert html_marked(page, colour) == expected, colour
        assert print_marked(article, notes, colour) == expected, colour
        # Markdown: ==…== on plain prose (one highlight style); a formatted paragraph or a
        # table is written as its sanitized HTML, with the same <mark>s as the HTML export.
        plain_prose = html_lib.unescape(
            _squeezed(re.findall(r"==(.+?)==", markdown)).replace("\\", "")
        )
        assert markdown_marked(markdown, colour) == expected or expected in plain_prose, colour
    text = export_text(article, "txt", notes)
    section = text[text.index("Notes and highlights") :]
    for phrase, _note in PHRASES.values():
        assert f"“{phrase}”" in section


def test_a_highlight_over_warning_sentences_keeps_their_marks(marked_article):
    article, notes = marked_article
    page = export_text(article, "html", notes)
    risks = page[page.index("Risks</h") :]
    # Each warning sentence is still marked (glyph and span), the highlight inside its spans.
    assert risks.count('class="mark-glyph mark-glyph-warning"') >= 2
    inner = re.search(r'<span class="mark mark-warning"[^>]*>[^<]*<mark class="hl hl-pink">', risks)
    assert inner is not None
    markdown = export_text(article, "md", notes)
    assert "==fatal breathing problems.==[^" not in markdown  # the reference ends the highlight
    assert re.search(
        r"==fatal breathing problems\.==\*\* ▲\u00a0\*\*==Do not drive==\[\^\d\]", markdown
    )


def test_note_and_article_text_never_become_markup(marked_article):
    article, notes = marked_article
    page = export_text(article, "html", notes)
    assert "<img" not in page and "&lt;img src=x" in page
    assert '<mark class="hl hl-blue">&lt;b&gt;test</mark>' in page
    assert "<b>test" not in page
    markdown = export_text(article, "md", notes)
    assert "<img" not in markdown and "\\*\\*not bold\\*\\*" in markdown
    assert "\\[x\\](javascript" in markdown  # the note's link syntax escaped: no link
    document, _device = build_print_document(article, 560.0, 700.0, highlights=notes)
    plain = document.toPlainText()
    assert '<img src=x onerror="alert(1)">' in plain  # on paper, as written
    assert "<b>test" in plain


def test_without_highlights_nothing_is_added(marked_article):
    article, _notes = marked_article
    page = export_text(article, "html")
    assert "<mark" not in page and "notes-heading" not in page and "mark.hl-" not in page
    assert not any(b.kind == BlockKind.NOTES for b in build_blocks(article).blocks)
