"""Print, Print Preview and Export PDF make the same pages (issue 13).

A print is made as a print dialog's "Print to File" makes it: a QPrinter with OutputFormat
PdfFormat, painted by the same function File > Print and Print Preview use. Its pages must equal
the exported PDF's, page for page, for every bundled article and for a long and a hostile one;
no last page may hold only the closing lines; a callout that runs over a page keeps its label,
tint and frame on the next page.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from tests.xss_vectors import chunks, load_vectors
from viewer.core.model import Article, Paragraph, Section
from viewer.export.dispatch import export_article
from viewer.export.pdf_export import (
    PageGeometry,
    build_print_document,
    prepare_printer,
    print_article,
)
from viewer.export.pdf_layout import repeated_labels
from viewer.render import DISCLAIMER
from viewer.render.blocks import source_line
from viewer.render.sentence_marks import marks_legend

pytestmark = pytest.mark.usefixtures("qapp")


def _long_article() -> Article:
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
            Section(
                "more",
                "More",
                2,
                "section",
                [Paragraph(f"Plain paragraph {n} of the rest, " * 12) for n in range(30)],
            ),
            Section("after", "Afterwards", 2, "section", [Paragraph("A closing paragraph.")]),
        ],
    )


def _hostile_article() -> Article:
    vectors = next(iter(chunks(load_vectors(), 60)))
    sections = [
        Section(
            f"s{i}", vector, 2, "section", [Paragraph(f"{vector} <b>{vector}</b> [x]({vector})")]
        )
        for i, vector in enumerate(vectors)
    ]
    return Article(
        id="hostile", title=vectors[0], path="hostile.md", source_format="md", sections=sections
    )


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _pages(path) -> list[str]:
    return [_words(page.extract_text()) for page in PdfReader(str(path)).pages]


def _printed(article: Article, target, page_size: str, corpus_root=None):
    """The article printed to a PDF file through a QPrinter, as "Print to File" does."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    prepare_printer(printer, page_size)
    print_article(article, printer, corpus_root)
    del printer  # finishes the file
    return target


def _body_left(text: str, article: Article) -> str:
    """The page's words without the running header, page number and closing lines."""
    for fixed in (
        article.title,
        source_line(article),
        "Not medical advice. " + DISCLAIMER,
        marks_legend(),
    ):
        text = text.replace(_words(fixed), " ")
    return re.sub(r"\bpage \d+ of \d+\b", " ", text).strip()


def _assert_same_pages(article: Article, tmp_path, page_size: str, corpus_root=None) -> None:
    exported = _pages(
        export_article(
            article,
            "pdf",
            tmp_path / f"{article.id}-{page_size}.pdf",
            page_size=page_size,
            corpus_root=corpus_root,
        )
    )
    printed = _pages(
        _printed(article, tmp_path / f"{article.id}-{page_size}-print.pdf", page_size, corpus_root)
    )
    assert len(printed) == len(exported), (
        f"{article.id}: printed {len(printed)} pages, exported {len(exported)}"
    )
    for number, (on_paper, in_file) in enumerate(zip(printed, exported), start=1):
        assert on_paper == in_file, f"{article.id}: page {number} differs"
    assert _body_left(exported[-1], article), (
        f"{article.id}: the last page holds only the closing lines"
    )


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_every_bundled_article_prints_the_pages_it_exports(library, tmp_path, page_size):
    assert len(library.articles) >= 5
    for article in library.articles:
        _assert_same_pages(article, tmp_path, page_size, library.root)


@pytest.mark.parametrize("make", [_long_article, _hostile_article])
def test_long_and_hostile_articles_print_the_pages_they_export(tmp_path, make):
    _assert_same_pages(make(), tmp_path, "a4")


def test_a_printer_keeps_its_page_size_and_gets_the_pdf_margins(tmp_path):
    """File > Print keeps the paper chosen in the dialog; only margins and orientation are ours."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    prepare_printer(printer, "letter")
    printer.setPageMargins(printer.pageLayout().margins() * 0)  # as a dialog might leave them
    article = _long_article()
    print_article(article, printer)
    del printer
    exported = _pages(export_article(article, "pdf", tmp_path / "e.pdf", page_size="letter"))
    assert _pages(tmp_path / "p.pdf") == exported


def test_a_continued_callout_has_its_band_framed_from_the_page_top(tmp_path):
    writer_pdf = tmp_path / "g.pdf"
    from PySide6.QtGui import QPdfWriter

    from viewer.export.pdf_export import configure_pdf_writer

    article = _long_article()
    writer = QPdfWriter(str(writer_pdf))
    configure_pdf_writer(writer, article, "a4")
    geometry = PageGeometry.for_device(writer)
    document, _device = build_print_document(article, geometry.body.width(), geometry.body.height())
    height = geometry.body.height()
    labels = repeated_labels(document, height)
    assert labels, "the long callout continues onto a later page"
    for page, found in labels.items():
        (label,) = found
        band = label.band
        assert band.top() == pytest.approx(page * height)  # where Qt reserved the header row
        assert band.left() == pytest.approx(0, abs=1) and band.width() == pytest.approx(
            geometry.body.width(), abs=1
        )
        texts = [b.text() for b in label.blocks]
        assert any("Safety: Dosage caution" in t for t in texts)
        # The label is drawn inside the band.
        top = document.documentLayout().blockBoundingRect(label.blocks[0]).top() + label.shift
        assert band.top() < top < band.bottom()
    del writer
