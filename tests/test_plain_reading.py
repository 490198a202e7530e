"""One reading of each paragraph: what is indexed, classified and exported as text is what the
reader shows. Text inside <style> (and the other elements the sanitizer drops with their
content) and Markdown reference definitions are neither shown nor indexed (issue 13)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from viewer.cli import main
from viewer.core.library import Library
from viewer.export.text_export import article_to_text
from viewer.render.blocks import build_blocks

ARTICLE = """---
title: Hidden words
---

# Hidden words

## Styling

A shown sentence about sleep. <style>p { color: red } .stylezebra { }</style> Another shown sentence.

<script>scriptzebra()</script>

## References

Read [the guide][1] before starting.

[1]: http://example.org/refzebra "Refzebra title"

Plain closing words about rest.
"""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def _shown(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "hidden.md").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_style_text_and_reference_definitions_are_neither_shown_nor_indexed(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    article = Library.load(corpus).get("hidden")
    plain = " ".join(p.plain for p in article.paragraphs()).casefold()
    shown = " ".join(_shown(b.html) for b in build_blocks(article).walk()).casefold()
    text_export = article_to_text(article).casefold()
    for hidden in ("stylezebra", "color", "scriptzebra", "refzebra", "example.org"):
        assert hidden not in shown, hidden
        assert hidden not in plain, hidden
        assert hidden not in text_export, hidden
    assert "another shown sentence" in plain and "read the guide before starting" in plain
    for query, expected in (("stylezebra", 0), ("scriptzebra", 0), ("refzebra", 0), ("another", 1)):
        assert (
            main(
                [
                    "--corpus",
                    str(corpus),
                    "--cache-dir",
                    str(tmp_path / "cache"),
                    "search",
                    query,
                    "--json",
                ]
            )
            == 0
        )
        assert json.loads(capsys.readouterr().out)["total"] == expected, query


def test_every_indexed_word_of_a_bundled_paragraph_is_on_screen(library):
    """The plain text (indexed, classified, the sentence offsets) holds no word the reader does
    not show for that paragraph."""
    checked = 0
    for article in library.articles:
        for block in build_blocks(article).walk():
            if block.paragraph is None:
                continue
            shown = set(_words(_shown(block.html)))
            missing = [w for w in _words(block.paragraph.plain) if w not in shown]
            assert not missing, f"{article.id}: indexed but not shown: {missing[:5]}"
            checked += 1
    assert checked > 40


MIXED = """---
title: Mixed
---

## Forms

Take it with *food*, read the [leaflet][leaf] and keep snake_case_names as they are.

| Dose | When |
|---|---|
| 5 mg | Morning |

![A chart of doses](chart.png) &amp; more, and 2 &lt; 3.

[leaf]: http://example.org/leaflet
"""


def test_a_paragraph_is_indexed_as_the_text_of_the_html_the_page_shows(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "mixed.md").write_text(MIXED, encoding="utf-8")
    article = Library.load(folder).get("mixed")
    blocks = [b for b in build_blocks(article).walk() if b.paragraph is not None]
    plains = [b.paragraph.plain for b in blocks]
    assert plains[0] == (
        "Take it with food, read the leaflet and keep snake_case_names as they are."
    )
    assert 'href="http://example.org/leaflet"' in blocks[0].html  # a link on the page too
    assert plains[1] == "| Dose | When |\n| 5 mg | Morning |"  # a row a line, no rule row
    assert plains[2] == "A chart of doses & more, and 2 < 3."  # an image is its alt text
    for block in blocks:
        shown = set(_words(_shown(block.html)))
        assert set(_words(block.paragraph.plain)) <= shown | {"a", "chart", "of", "doses"}
