"""Markdown export is what the reader shows (issue 17, point 10): rendered by any Markdown tool
(here Python-Markdown with no sanitizer, as another viewer would), an export of hostile text
runs nothing and loads nothing; plain Markdown is kept exactly as written."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest

from tests.hostile_corpus import UNSAFE_MD
from tests.xss_vectors import chunks, load_vectors
from viewer.core.library import read_article
from viewer.core.model import Article, Paragraph, Section
from viewer.export.markdown_export import article_to_markdown_export
from viewer.render.html import render_article

ACTIVE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "form",
    "input",
    "button",
    "link",
    "meta",
    "base",
    "frame",
    "frameset",
    "applet",
    "video",
    "audio",
    "source",
    "textarea",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "poster",
    "srcset",
    "xlink:href",
}


class _ActiveMarkup(HTMLParser):
    """Collects the tags a browser would run, load or style something from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(tag)
        for name, written in attrs:
            value = re.sub(r"[\x00-\x20]+", "", written or "").lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}")
            elif name in URL_ATTRIBUTES and (
                re.match(r"(javascript|vbscript|data|file):", value)
                or (name != "href" and re.match(r"(https?:)?//", value))
            ):
                self.found.append(f"{tag} {name}={value[:40]}")


def _active_markup(rendered: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(rendered)
    parser.close()
    return parser.found


def _article(texts: list[str], number: int = 0) -> Article:
    return Article(
        id=f"a{number}",
        title="Hostile",
        path="sub/a.md",
        source_format="md",
        sections=[Section("s", "Section", 2, "section", [Paragraph(t) for t in texts])],
        metadata={"author": "<img src=x onerror=alert(1)>", "year": 2024},
    )


@pytest.mark.slow
def test_every_vector_exported_as_markdown_renders_inert_elsewhere():
    for number, group in enumerate(chunks(load_vectors(), 200)):
        texts = (
            group
            + [f"[link](https://example.org/{v})" for v in group[:20]]
            + [f"![i]({v})" for v in group[:20]]
        )
        exported = article_to_markdown_export(_article(texts, number))
        rendered = markdown.markdown(exported.split("\n---\n", 1)[1])
        assert not _active_markup(rendered), _active_markup(rendered)[:3]


def test_the_hostile_sample_keeps_its_text_and_loses_its_markup(tmp_path):
    source = tmp_path / "unsafe.md"
    source.write_text(UNSAFE_MD, encoding="utf-8")
    article = read_article(source, "unsafe")
    exported = article_to_markdown_export(article)
    rendered = markdown.markdown(exported.split("\n---\n", 1)[1])
    assert not _active_markup(rendered)
    assert "tracker.example" not in exported and "javascript:" not in exported
    assert "Styled paragraph." in exported and 'href="http://ok.example/"' in exported
    again = tmp_path / "again.md"
    again.write_text(exported, encoding="utf-8")
    shown_before = re.sub(r"<[^>]+>", " ", render_article(article).split("<body", 1)[1])
    shown_after = re.sub(
        r"<[^>]+>", " ", render_article(read_article(again, "unsafe")).split("<body", 1)[1]
    )
    # Reading the export shows the same words in the same order (and the closing lines, which
    # the export writes into its body).
    after = iter(shown_after.split())
    assert all(word in after for word in shown_before.split())


def test_plain_markdown_is_kept_as_written_and_markup_metadata_is_dropped():
    plain = [
        "Some *emphasis*, a [link](https://example.org/a), a dose < 5 g and ![chart](chart.png).",
        "- a list\n- of items",
    ]
    exported = article_to_markdown_export(_article(plain))
    for text in plain:
        assert text in exported
    assert "onerror" not in exported and "year: 2024" in exported
