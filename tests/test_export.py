"""Every bundled article exported to every format keeps all its content, safely and readably."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import BUNDLED_IDS
from viewer.core.library import read_article
from viewer.core.model import Article, Paragraph, Section
from viewer.core.safety_categories import category_label
from viewer.export.dispatch import FORMATS, export_article
from viewer.render import DISCLAIMER

# Text layout and PDF painting use fonts, which need a QGuiApplication.
pytestmark = pytest.mark.usefixtures("qapp")


def tokens(text: str) -> list[str]:
    """Words, with PDF ligatures unfolded and hyphenated line breaks made irrelevant."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def in_order(haystack: list[str], needle: list[str], start: int) -> int | None:
    """End index if all of `needle` occurs in order from `start`, allowing a few inserted words
    (running headers, page numbers, repeated callout labels); else None."""
    allowance = 80
    position = start
    while True:
        try:
            first = haystack.index(needle[0], position)
        except ValueError:
            return None
        index, ok = first, True
        for word in needle[1:]:
            try:
                index = haystack.index(word, index + 1, first + len(needle) + allowance)
            except ValueError:
                ok = False
                break
        if ok:
            return index + 1
        position = first + 1


def assert_all_paragraphs_in_order(article: Article, text: str) -> None:
    haystack = tokens(text)
    assert in_order(haystack, tokens(article.title), 0) is not None
    position = 0
    for section in article.sections:
        for paragraph in section.paragraphs:
            end = in_order(haystack, tokens(paragraph.plain), position)
            assert end is not None, f"missing or out of order: {paragraph.plain[:80]!r}"
            position = end


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_article_exports_to_every_format_with_all_its_content(
    library, tmp_path, article_id, fmt
):
    article = library.get(article_id)
    path = export_article(article, fmt, tmp_path / f"out.{fmt}")
    if fmt == "pdf":
        text = pdf_text(path)
    elif fmt == "html":
        text = html_text(path.read_text(encoding="utf-8"))
    else:
        text = path.read_text(encoding="utf-8")
        if fmt == "txt":  # safety sections are indented with "! "
            text = re.sub(r"^! ?", "", text, flags=re.MULTILINE)
    assert_all_paragraphs_in_order(article, text)
    for section in article.sections:
        if section.kind == "intro":  # the introduction has no heading of its own
            continue
        assert tokens(section.heading) and " ".join(tokens(section.heading)) in " ".join(
            tokens(text)
        )
    if fmt == "md":  # the closing lines are the body's, not only the front matter's
        text = text[text.index("\n---\n", 4) :]
    assert " ".join(tokens(DISCLAIMER)) in " ".join(tokens(text))
    assert " ".join(tokens(article.path)) in " ".join(tokens(text))
    assert not list(tmp_path.glob(".*part")), "no temporary file is left behind"


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
def test_markdown_export_opened_again_has_the_same_sections_and_words(
    library, tmp_path, article_id
):
    """The export is a reading copy (boxes, labels, marks, closing lines), yet the reader opens
    it as the same article: title, topics, the summary as the summary (not an introduction),
    every section under its heading with its words."""
    article = library.get(article_id)
    path = export_article(article, "md", tmp_path / "round.md")
    again = read_article(path, article.id)
    assert again.title == article.title
    assert again.topics == article.topics
    headed = [(s.kind, s.heading, s.level) for s in article.sections]
    assert [(s.kind, s.heading, s.level) for s in again.sections] == headed
    for before, after in zip(article.sections, again.sections):
        assert " ".join(tokens(before.plain_text)) in " ".join(tokens(after.plain_text))
    assert again.metadata["source"] and again.metadata["disclaimer"] == DISCLAIMER


def test_markdown_export_of_a_txt_article_round_trips_its_exact_text(tmp_path, seeds_dir):
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    article = read_article(seed, "seed")
    path = export_article(article, "md", tmp_path / "seed.md")
    again = read_article(path, "seed")
    shown = "\n\n".join(s.plain_text for s in again.sections)
    for paragraph in article.paragraphs():  # escaped so that every character comes back
        assert paragraph.plain in shown
    assert [(s.kind, s.heading) for s in again.sections] == [
        (s.kind, s.heading) for s in article.sections
    ]


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
def test_html_export_is_self_contained_and_safe(library, tmp_path, article_id):
    html = export_article(library.get(article_id), "html", tmp_path / "a.html").read_text(
        encoding="utf-8"
    )
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"\s(src|href)=[\"']?(https?:)?//", lowered.split("<body", 1)[0])
    assert not re.search(r"\ssrc=[\"']?(https?:)?//", lowered)
    assert "url(" not in lowered and "@import" not in lowered and "<link" not in lowered
    assert "<style>" in lowered and "@media print" in lowered
    assert "content-security-policy" in lowered and "default-src 'none'" in lowered


def _flagged_article() -> Article:
    return Article(
        id="flags",
        title="Flags",
        path="flags.md",
        source_format="md",
        topics=["Sleep"],
        sections=[
            Section(
                "how",
                "How it works",
                2,
                "section",
                [
                    Paragraph("It binds to receptors in the brain."),
                    Paragraph(
                        "Ask your doctor before use.",
                        safety=True,
                        categories=["medical-supervision"],
                    ),
                ],
            ),
            Section(
                "risks",
                "Risks and side effects",
                2,
                "section",
                [Paragraph("Nausea and dizziness are common.")],
                safety=True,
                categories=["side-effects", "dosage"],
            ),
        ],
    )


def test_text_export_is_wrapped_underlined_and_labels_safety(tmp_path):
    article = _flagged_article()
    article.sections[0].paragraphs[0] = Paragraph(
        "word " * 60 + "averyveryverylongwordthatmustbebrokentofit" * 3
    )
    text = export_article(article, "txt", tmp_path / "a.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 78
    assert lines[0] == "Flags" and lines[1] == "=" * len("Flags")
    heading = lines.index("How it works")
    assert lines[heading + 1] == "-" * len("How it works")
    labels = f"SAFETY: {category_label('side-effects')}, {category_label('dosage')}"
    assert any(line.endswith(labels) for line in lines)
    assert f"[Caution: {category_label('medical-supervision')}]" in text
    risks = next(i for i, line in enumerate(lines) if "Risks and side effects" in line)
    assert lines[risks].startswith("! ") and "! Nausea and dizziness are common." in lines


def test_html_export_shows_the_safety_callout_and_caution(tmp_path):
    html = export_article(_flagged_article(), "html", tmp_path / "a.html").read_text(
        encoding="utf-8"
    )
    shown = html_text(html)
    assert f"\u26a0 Safety: {category_label('side-effects')}, {category_label('dosage')}" in shown
    assert f"\u26a0 Caution: {category_label('medical-supervision')}" in shown


def test_exports_drop_unsafe_article_content(tmp_path):
    section = Section(
        "s",
        "S",
        2,
        "section",
        [
            Paragraph("Hi <script>alert(1)</script><iframe src='https://evil.example'></iframe>"),
            Paragraph(
                '<a href="javascript:alert(1)" onclick="x()">x</a> ![cat](https://evil.example/c.png)'
            ),
            Paragraph(
                "<style>p{background:url(https://evil.example/b.png)}</style>![local](pic.png)"
            ),
        ],
    )
    article = Article(id="bad", title="Bad", path="bad.md", source_format="md", sections=[section])
    html = export_article(article, "html", tmp_path / "bad.html").read_text(encoding="utf-8")
    body = html.lower().split("<body", 1)[1]
    for needle in (
        "<script",
        "<iframe",
        "javascript:",
        "onclick",
        "evil.example",
        "url(",
        "<style",
        "<img",
    ):
        assert needle not in body
    assert "[image: cat \u2014 remote image not loaded]" in html
    assert "[image: local \u2014 image not included]" in html
    pdf = pdf_text(export_article(article, "pdf", tmp_path / "bad.pdf"))
    assert "remote image not loaded" in " ".join(pdf.split())
