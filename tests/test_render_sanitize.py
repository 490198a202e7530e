"""Untrusted article text renders safely: nothing active, nothing remote, images as placeholders."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument

from viewer.core.model import Article, Paragraph, Section
from viewer.render import THEMES, render_article
from viewer.render.markup import MarkdownConverter, escape_html

# Text layout and PDF painting use fonts, which need a QGuiApplication.
pytestmark = pytest.mark.usefixtures("qapp")


HOSTILE = [
    "Before <script>alert('x')</script> after",
    '<p onclick="steal()" onmouseover="x()">Click me</p>',
    "[run](javascript:alert(1)) and [JS upper](JAVASCRIPT:alert(2)) and [tab](java\tscript:alert(3))",
    "[data](data:text/html;base64,PHNjcmlwdD4=) and [file](file:///etc/passwd)",
    "[proto-relative](//evil.example/x)",
    "![tracking pixel](https://evil.example/pixel.png)",
    '<img src="http://evil.example/a.png" alt="remote cat" onerror="alert(1)">',
    '<iframe src="https://evil.example/frame">framed text</iframe>',
    "<style>body { background: url(https://evil.example/bg.png) }</style>",
    '<span style="background-image: url(https://evil.example/s.png)">styled</span>',
    '<object data="https://evil.example/o.swf"></object><embed src="https://evil.example/e">',
    '<form action="https://evil.example"><input name="q"><button>Go</button></form>',
    '<a href="https://example.org/ok" target="_blank" onclick="x()">a fine link</a>',
    '<link rel="stylesheet" href="https://evil.example/s.css"><meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<svg><script>alert(1)</script></svg><math><mi>x</mi></math>",
]


def _hostile_article() -> Article:
    section = Section(
        "s",
        "Section <script>alert(1)</script>",
        2,
        "section",
        [Paragraph(text) for text in HOSTILE],
    )
    return Article(
        id="bad",
        title="Bad <script>x</script> title",
        path="bad.md",
        source_format="md",
        sections=[section],
        topics=["<img src=x onerror=alert(1)>"],
    )


def _assert_safe(html: str) -> None:
    """No active or remote construct in any tag (escaped text that mentions them is harmless)."""
    lowered = html.lower()
    tags = re.findall(r"<[a-z!/][^>]*>", lowered)
    for tag in tags:
        for needle in (
            "<script",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<input",
            "<link",
            "<meta http",
            "<svg",
            "<math",
            "javascript:",
            "data:",
            "file:",
            "url(",
            "evil.example",
        ):
            assert needle not in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", tag), tag
        assert not re.search(r'\ssrc="(https?:)?//', tag), tag
        assert " style=" not in tag or "url" not in tag, tag
    # The only <style> is the renderer's own, in <head>.
    assert lowered.count("<style") == 1 and lowered.index("<style") < lowered.index("<body")
    body = lowered[lowered.index("<body") :]
    assert "url(" not in body and "<script" not in body


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("for_print", [False, True])
def test_hostile_markdown_renders_none_of_the_unsafe_constructs(theme, for_print):
    _assert_safe(render_article(_hostile_article(), theme=theme, for_print=for_print))


def test_remote_images_become_visible_placeholders_with_alt_text():
    html = render_article(_hostile_article())
    document = QTextDocument()
    document.setHtml(html)
    shown = document.toPlainText()
    assert "[image: tracking pixel \u2014 remote image not loaded]" in shown
    assert "[image: remote cat \u2014 remote image not loaded]" in shown


def test_safe_text_and_links_survive_sanitizing():
    html = render_article(_hostile_article())
    assert '<a href="https://example.org/ok">a fine link</a>' in html
    for text in ("Before", "after", "Click me", "styled", "run"):
        assert text in html
    assert "Bad &lt;script&gt;x&lt;/script&gt; title" in html


def test_in_app_links_are_kept():
    html = MarkdownConverter("a.md").convert(
        "[next](article:other-id) and [up](#risks) and [mail](mailto:a@b.org)"
    )
    assert (
        'href="article:other-id"' in html
        and 'href="#risks"' in html
        and 'href="mailto:a@b.org"' in html
    )


def test_local_images_stay_only_inside_the_collection():
    converter = MarkdownConverter("topic/a.md")
    inside = converter.convert("![chart](images/chart.png)")
    assert '<img src="topic/images/chart.png" alt="chart">' in inside
    outside = converter.convert("![secret](../../outside.png)")
    assert "<img" not in outside and "[image: secret" in outside
    absolute = converter.convert("![root](/etc/passwd)")
    assert "<img" not in absolute


def test_exports_can_refuse_even_local_images():
    html = MarkdownConverter("a.md", local_images=False).convert("![chart](chart.png)")
    assert "<img" not in html and "[image: chart" in html


def test_escape_html_escapes_quotes_and_angle_brackets():
    assert escape_html('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"


def test_deeply_nested_markdown_falls_back_to_plain_text():
    text = "> " * 3000 + "deep"
    html = MarkdownConverter("a.md").convert(text)
    assert html.count("<blockquote") == 0 and "deep" in html


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_random_markdown_never_raises_and_stays_safe(text):
    section = Section("s", "S", 2, "section", [Paragraph(text + " <script>x</script>")])
    article = Article(id="r", title="R", path="r.md", source_format="md", sections=[section])
    html = render_article(article)
    assert "<script" not in html.lower()
