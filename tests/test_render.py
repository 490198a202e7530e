"""The renderer: every article shows all its text, anchors work, safety is impossible to miss,
and themes give a readable, complete stylesheet."""

from __future__ import annotations

import re
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument

from tests.conftest import BUNDLED_CORPUS, BUNDLED_IDS
from viewer.core.library import Library
from viewer.core.model import Article, Paragraph, Section
from viewer.core.safety_categories import CATEGORY_LABELS, category_label
from viewer.render import DISCLAIMER, THEMES, render_article, render_error, stylesheet, theme_colors

# Text layout and PDF painting use fonts, which need a QGuiApplication.
pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load(BUNDLED_CORPUS, annotators=[])


def qt_text(html: str) -> str:
    """What Qt's rich-text engine shows for the HTML, whitespace normalised."""
    document = QTextDocument()
    document.setHtml(html)
    return " ".join(document.toPlainText().split())


def qt_anchor_names(html: str) -> set[str]:
    document = QTextDocument()
    document.setHtml(html)
    names: set[str] = set()
    block = document.begin()
    while block.isValid():
        names.update(block.charFormat().anchorNames())
        iterator = block.begin()
        while not iterator.atEnd():
            names.update(iterator.fragment().charFormat().anchorNames())
            iterator += 1
        block = block.next()
    return names


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_paragraph_heading_and_the_title_are_shown(library, article_id, theme):
    article = library.get(article_id)
    shown = qt_text(render_article(article, theme=theme))
    assert words(article.title) in shown
    for section in article.sections:
        if section.kind == "section":
            assert words(section.heading) in shown
        for paragraph in section.paragraphs:
            assert words(paragraph.plain) in shown


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
def test_every_section_has_an_anchor_qt_can_scroll_to(library, article_id):
    article = library.get(article_id)
    assert {s.anchor for s in article.sections} <= qt_anchor_names(render_article(article))


def test_section_headings_are_real_headings_by_level(library):
    article = library.get("kratom-opioid-withdrawal")
    html = render_article(article)
    assert html.count("<h1>") == 1
    body_sections = [s for s in article.sections if s.kind == "section"]
    for section in body_sections:
        assert re.search(
            rf"<h2(?: style=\"[^\"]*\")?><a name=\"{section.anchor}\">\u200b</a>{re.escape(html_escape(section.heading))}</h2>",
            html,
        )


def _article(sections: list[Section], source_format: str = "md") -> Article:
    return Article(
        id="t",
        title="Test article",
        path="t.md",
        source_format=source_format,
        sections=sections,
        topics=["Sleep"],
    )


def _safety_article() -> Article:
    risky = Section(
        "risks",
        "Risks and side effects",
        2,
        "section",
        [Paragraph("Nausea and dizziness are common.")],
        safety=True,
        categories=["side-effects", "dosage"],
    )
    quiet = Section(
        "how",
        "How it works",
        2,
        "section",
        [
            Paragraph("It binds to receptors."),
            Paragraph(
                "Ask your doctor before use.", safety=True, categories=["medical-supervision"]
            ),
        ],
    )
    return _article([quiet, risky])


@pytest.mark.parametrize("theme", THEMES)
def test_a_safety_section_is_a_labelled_bordered_callout(theme):
    html = render_article(_safety_article(), theme=theme)
    label = f"\u26a0 Safety: {category_label('side-effects')}, {category_label('dosage')}"
    assert label in qt_text(html)
    callout = re.search(r'<table class="safety"[^>]*>', html).group(0)
    assert 'border="2"' in callout and f'bgcolor="{theme_colors(theme)["safety_bg"]}"' in callout
    # The heading and the text sit inside the callout, after the label.
    inside = html[html.index(callout) : html.index("</table>", html.index(callout))]
    assert "Risks and side effects" in inside and "Nausea and dizziness" in inside


def test_a_safety_paragraph_elsewhere_gets_a_quieter_caution_tag():
    html = render_article(_safety_article())
    shown = qt_text(html)
    assert f"\u26a0 Caution: {category_label('medical-supervision')} Ask your doctor" in shown
    assert "Caution" not in shown.split("It binds to receptors.")[0]
    assert html.count('class="caution"') == 1


def test_unknown_categories_are_still_named():
    section = Section(
        "x", "X", 2, "section", [Paragraph("Text.")], safety=True, categories=["new-thing"]
    )
    assert "Safety: New thing" in qt_text(render_article(_article([section])))


def test_print_rendering_ends_with_source_and_disclaimer_and_uses_black_on_white():
    html = render_article(_safety_article(), theme="dark", for_print=True)
    shown = qt_text(html)
    assert "Source: t.md" in shown
    assert words(DISCLAIMER) in shown
    assert 'bgcolor="#ffffff"' in html
    assert "Test article" in shown and "Safety" in shown


def test_screen_rendering_has_no_footer_unless_asked():
    article = _safety_article()
    assert DISCLAIMER not in render_article(article)
    assert DISCLAIMER in render_article(article, footer=True)


def test_base_font_size_is_honoured():
    assert "font-size: 15pt" in render_article(_safety_article(), base_font_pt=15)


def test_txt_articles_are_escaped_not_interpreted():
    section = Section(
        "s",
        "A <b>heading</b>",
        2,
        "section",
        [Paragraph("Use <script>alert(1)</script> & *stars* here")],
    )
    html = render_article(_article([section], source_format="txt"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Use <script>alert(1)</script> & *stars* here" in qt_text(html)
    assert "A <b>heading</b>" in qt_text(html)


def test_markdown_state_does_not_leak_between_paragraphs():
    section = Section(
        "s",
        "S",
        2,
        "section",
        [
            Paragraph("[ref]: https://example.org/defined-in-one-paragraph"),
            Paragraph("See [ref][]."),
        ],
    )
    html = render_article(_article([section]))
    assert "defined-in-one-paragraph" not in html.split("See")[1]


def test_markdown_is_rendered():
    section = Section(
        "s",
        "S",
        2,
        "section",
        [Paragraph("Some **bold** and a [link](https://example.org).\n\n- one\n- two")],
    )
    html = render_article(_article([section]))
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org">link</a>' in html
    assert "<li>one</li>" in html


def test_error_page_names_the_problem_and_escapes_it():
    html = render_error("broken <file>.md", "front matter is not valid YAML: <oops>", theme="dark")
    assert "broken <file>.md" in qt_text(
        html
    ) and "front matter is not valid YAML: <oops>" in qt_text(html)
    assert "<oops>" not in html


def test_themes_give_complete_stylesheets_and_colours():
    required = {
        "background",
        "text",
        "link",
        "accent",
        "safety_bg",
        "safety_border",
        "safety_label",
    }
    for theme in THEMES:
        colours = theme_colors(theme)
        assert required <= set(colours)
        css = stylesheet(theme)
        assert "var(" not in css and colours["text"] in css and "line-height" in css
    assert theme_colors("light")["background"] != theme_colors("dark")["background"]
    colours = theme_colors("light")
    colours["text"] = "#ff0000"  # a caller's change must not leak into the next call
    assert theme_colors("light")["text"] != "#ff0000"


def test_an_unknown_theme_is_a_readable_error():
    from viewer.core.errors import ViewerError

    with pytest.raises(ViewerError, match="unknown theme 'sepia'"):
        stylesheet("sepia")


def test_category_labels_all_render():
    for category in CATEGORY_LABELS:
        section = Section(
            "x", "X", 2, "section", [Paragraph("T.")], safety=True, categories=[category]
        )
        assert CATEGORY_LABELS[category] in qt_text(render_article(_article([section])))


def test_render_imports_no_qt():
    code = (
        "import sys, viewer.render, viewer.render.html, viewer.render.themes;"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert result.stdout.strip() == "False"
