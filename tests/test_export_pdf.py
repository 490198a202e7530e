"""PDF and printing: page size, running header and page numbers, headings kept with their text,
callouts labelled on every page they cover, bookmarks, and the GUI's print path."""

from __future__ import annotations

import math
import unicodedata

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale
from PySide6.QtPrintSupport import QPrinter

from viewer.core.model import Article, Paragraph, Section
from viewer.export.dispatch import export_article
from viewer.export.pdf_export import build_print_document, default_page_size, print_article
from viewer.export.pdf_layout import block_top, keeps_with_next, next_text_block
from viewer.render import DISCLAIMER
from viewer.render.blocks import build_blocks
from viewer.render.blocks import outline as block_outline

POINTS_PER_MM = 72 / 25.4


# Text layout and PDF painting use fonts, which need a QGuiApplication.
pytestmark = pytest.mark.usefixtures("qapp")


def _long_safety_article() -> Article:
    """A safety section long enough to run over a page break."""
    long_text = " ".join(
        f"Sentence {n} about dosing limits and side effects to watch for." for n in range(400)
    )
    return Article(
        id="long",
        title="A long safety article",
        path="long.md",
        source_format="md",
        sections=[
            Section("intro", "Introduction", 2, "intro", [Paragraph("An opening paragraph.")]),
            Section(
                "risks",
                "Risks",
                2,
                "section",
                [Paragraph(long_text)],
                safety=True,
                categories=["dosage"],
            ),
            Section("after", "Afterwards", 2, "section", [Paragraph("A closing paragraph.")]),
        ],
    )


@pytest.mark.parametrize("size, width_mm, height_mm", [("a4", 210, 297), ("letter", 215.9, 279.4)])
def test_page_size_option(library, tmp_path, size, width_mm, height_mm):
    path = export_article(
        library.get("kratom-dopamine-withdrawal"), "pdf", tmp_path / "a.pdf", page_size=size
    )
    box = PdfReader(str(path)).pages[0].mediabox
    assert math.isclose(float(box.width), width_mm * POINTS_PER_MM, abs_tol=2)
    assert math.isclose(float(box.height), height_mm * POINTS_PER_MM, abs_tol=2)


def test_default_page_size_follows_the_locale():
    assert (
        default_page_size(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        == "letter"
    )
    assert default_page_size(QLocale(QLocale.Language.French, QLocale.Country.Canada)) == "letter"
    assert default_page_size(QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "a4"
    assert (
        default_page_size(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)) == "a4"
    )


@pytest.mark.slow
def test_pages_have_numbers_and_later_pages_a_running_title(tmp_path):
    article = _long_safety_article()
    reader = PdfReader(str(export_article(article, "pdf", tmp_path / "a.pdf", page_size="a4")))
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {total}" in text
        assert article.title in text
    assert reader.metadata.title == article.title


@pytest.mark.slow
def test_a_callout_over_several_pages_is_labelled_on_each(tmp_path):
    reader = PdfReader(str(export_article(_long_safety_article(), "pdf", tmp_path / "a.pdf")))
    covered = [page for page in reader.pages if "Sentence" in page.extract_text()]
    assert len(covered) >= 2
    for page in covered:
        assert "Safety: Dosage caution" in " ".join(page.extract_text().split())


@pytest.mark.parametrize(
    "article_id",
    ["kratom-chronic-pain-dosage", "kratom-opioid-withdrawal", "kratom-dopamine-withdrawal"],
)
def test_bookmarks_are_the_headings_shown_on_their_pages(library, tmp_path, article_id):
    """The outline is built from the heading blocks: each bookmark's title is a heading the
    page shows, on the page its text is found on, and no heading the page shows is left out."""
    article = library.get(article_id)
    path = export_article(article, "pdf", tmp_path / "a.pdf")
    reader = PdfReader(str(path))
    outline = reader.outline
    assert outline[0].title == article.title
    children = outline[1]
    shown = [e.title for e in block_outline(build_blocks(article))]
    assert [item.title for item in children] == shown
    pages = [reader.get_destination_page_number(item) for item in children]
    assert pages == sorted(pages)
    # NFKC: the PDF's ligatures ("ﬀ") read as their letters.
    page_texts = [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in reader.pages
    ]
    for title, page in zip(shown, pages):
        assert " ".join(title.split()) in page_texts[page], (title, page)
    # A section the page shows no heading for (an introduction) has no bookmark.
    hidden = {s.heading for s in article.sections} - set(shown) - {"Summary"}
    assert not hidden & {item.title for item in children}


@pytest.mark.parametrize(
    "article_id",
    [
        "kratom-opioid-withdrawal",
        "kratom-chronic-pain-dosage",
        "kratom-withdrawal-hair-loss",
        "kratom-detox-hyperpigmentation",
        "kratom-dopamine-withdrawal",
    ],
)
@pytest.mark.parametrize("page_height", [260.0, 410.0, 700.0])
def test_no_heading_or_safety_label_ends_a_page(library, article_id, page_height):
    document, _device = build_print_document(library.get(article_id), 560.0, page_height)
    block = document.begin()
    checked = 0
    while block.isValid():
        if keeps_with_next(block) and block.text().strip():
            following = next_text_block(block)
            # A block taller than a page with the next one's first line cannot be kept with it
            # (the paragraph before the closing lines on a tiny page).
            too_tall = (
                document.documentLayout().blockBoundingRect(block).height() + 30 >= page_height
            )
            if following.isValid() and not too_tall:
                top, _ = block_top(document, block)
                _, next_bottom = block_top(document, following)
                assert math.floor(top / page_height) == math.floor(
                    (next_bottom - 0.5) / page_height
                ), block.text()
                checked += 1
        block = block.next()
    assert checked >= 4


def test_print_article_paints_onto_a_printer(tmp_path, library):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    article = library.get("kratom-withdrawal-hair-loss")
    print_article(article, printer)
    del printer
    reader = PdfReader(str(target))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert article.title in text and "Page 1 of" in text


def test_progress_is_reported_page_by_page(library, tmp_path):
    seen: list[tuple[int, int]] = []
    export_article(
        library.get("kratom-opioid-withdrawal"),
        "pdf",
        tmp_path / "a.pdf",
        progress=lambda done, total: seen.append((done, total)),
    )
    total = seen[-1][1]
    assert seen == [(n, total) for n in range(1, total + 1)]


def _page_tokens(path) -> list[str]:
    import re
    import unicodedata

    return [
        " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", page.extract_text()).casefold()))
        for page in PdfReader(str(path)).pages
    ]


@pytest.mark.slow
@pytest.mark.parametrize("size", ["a4", "letter"])
def test_each_heading_is_on_the_same_page_as_its_first_words(library, tmp_path, size):
    import re

    for article in library.articles:
        pages = _page_tokens(
            export_article(article, "pdf", tmp_path / f"{article.id}.pdf", page_size=size)
        )
        for section in article.sections:
            if section.kind == "intro" or not section.paragraphs:
                continue
            heading = " ".join(re.findall(r"\w+", section.heading.casefold()))
            opening = " ".join(re.findall(r"\w+", section.paragraphs[0].plain.casefold())[:4])
            on = [i for i, text in enumerate(pages) if heading in text]
            assert on, section.heading
            assert opening in pages[on[0]], (
                f"{article.id}: '{section.heading}' is parted from its text"
            )
        for closing in ("Source " + article.path, "Not medical advice. " + DISCLAIMER):
            words = " ".join(re.findall(r"\w+", closing.casefold()))
            assert words in pages[-1], f"{article.id}: '{closing[:30]}' is split or missing"
