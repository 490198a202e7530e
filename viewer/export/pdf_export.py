"""PDF export and printing through QtGui: the article's blocks, paginated and painted by hand.

One function, `paint_article`, makes the pages for every paged device: QPdfWriter (Export PDF),
QPrinter (File > Print, Print Preview, `article-viewer print`). Each device gets the same page
layout (`page_layout`: size, portrait, MARGINS_MM) and the body is laid out in units derived
from that layout in points, not the device's resolution, so a printout and a PDF of the same
page size have the same pages.

Qt's own `QTextDocument.print_()` cannot draw a running header, so pages are painted here:
the document is laid out once at 96 dpi for the body area (page minus margins, header and
footer bands), then each page is drawn through a clip, scaled to the device, with the article
title above (from page 2: page 1 shows it in full) and "Page N of M" below. Headings and safety
labels are kept with their text, and split callouts relabelled, by viewer/export/pdf_layout.
The same painter serves `QPdfWriter` (export) and `QPrinter` (File > Print, Print Preview), so
the printout is the PDF. After Qt writes the file, pypdf adds an outline (bookmarks) of the
headings the pages show (`blocks.outline`, from the same blocks the pages were painted from),
because QPdfWriter has no outline API.

Needs a QGuiApplication (fonts); `ensure_gui_application` makes one, offscreen when there is
no display. Imports QtGui only, never QtWidgets (a QPrinter is just another paged device).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from viewer import APP_NAME
from viewer.core.errors import ViewerError
from viewer.core.model import Article
from viewer.export.images import CorpusDocument
from viewer.export.pdf_layout import (
    draw_repeated_label,
    keep_blocks_together,
    repeated_labels,
    restrict_links,
    section_pages,
)
from viewer.render.blocks import ArticleBlocks, OutlineEntry, build_blocks, outline
from viewer.render.highlights import ExportNote
from viewer.render.html import render_blocks

if TYPE_CHECKING:  # pypdf is imported when an outline is added, not with the module
    from pypdf.generic import IndirectObject

LAYOUT_DPI = 96  # the document is laid out as on a 96-dpi screen, then scaled to the device
MARGINS_MM = QMarginsF(20, 14, 20, 14)  # left, top, right, bottom (header/footer sit inside)
HEADER_PT = 8.0
BAND_MM = 9.0  # height of the header band and of the footer band
PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
# Territories that use US Letter paper even where QLocale reports the metric system.
LETTER_TERRITORIES = {
    QLocale.Country.UnitedStates,
    QLocale.Country.Canada,
    QLocale.Country.Mexico,
    QLocale.Country.Philippines,
    QLocale.Country.Chile,
    QLocale.Country.Colombia,
    QLocale.Country.Venezuela,
    QLocale.Country.PuertoRico,
}
Progress = Callable[[int, int], None]


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen if there is no display).

    Qt allows one application object per process and it must outlive every document, so a new
    one is kept on the module: the only module-level state here, and Qt's, not ours."""
    app = QGuiApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise ViewerError(
                "cannot make a PDF: Qt was started without GUI support in this process"
            )
        return app
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if (
        sys.platform.startswith("linux")
        and not has_display
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    global _APPLICATION  # noqa: PLW0603 - see the docstring
    _APPLICATION = QGuiApplication([sys.argv[0] if sys.argv else APP_NAME])
    return _APPLICATION


_APPLICATION: QGuiApplication | None = None


def default_page_size(locale: QLocale | None = None) -> str:
    """'letter' where the locale uses US paper sizes, else 'a4'."""
    locale = locale or QLocale.system()
    if locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return "letter"
    return "letter" if locale.territory() in LETTER_TERRITORIES else "a4"


@dataclass
class PageGeometry:
    """Where things go on a page, in device pixels (paint rect origin) and layout units."""

    scale: float  # device pixels per layout unit
    paint: QRectF  # the printable area inside the margins, in device pixels, origin (0, 0)
    band: float  # header/footer band height, device pixels
    body: QSizeF  # text body size in layout units

    @classmethod
    def for_device(cls, device: QPagedPaintDevice) -> PageGeometry:
        resolution = device.logicalDpiY() or 72
        # In points, then scaled: the body's size in layout units must not depend on the
        # device's resolution (a printer at 300 dpi and the PDF writer at 1200 lay out alike).
        points = device.pageLayout().paintRect(QPageLayout.Unit.Point)
        scale = resolution / LAYOUT_DPI
        to_pixels = resolution / 72
        band = BAND_MM / 25.4 * resolution
        body = QSizeF(
            points.width() * LAYOUT_DPI / 72,
            max(1.0, points.height() * LAYOUT_DPI / 72 - 2 * band / scale),
        )
        return cls(
            scale, QRectF(0, 0, points.width() * to_pixels, points.height() * to_pixels), band, body
        )


def build_print_document(
    article: Article,
    width: float,
    height: float,
    corpus_root: Path | None = None,
    highlights: tuple[ExportNote, ...] = (),
    blocks: ArticleBlocks | None = None,
) -> tuple[QTextDocument, QImage]:
    """The article's print HTML laid out into pages of width x height layout units.

    Images load from the article's folder inside `corpus_root`, as in the reading pane (and
    never from the current folder); without a corpus folder they are placeholders.
    `highlights` are the reader's, drawn from the blocks (viewer/render/highlights); `blocks`,
    when the caller has built them already, are used as they are.
    Returns the document and the 96-dpi image it is laid out against (keep both alive)."""
    ensure_gui_application()
    layout_device = QImage(8, 8, QImage.Format.Format_RGB32)
    dots_per_metre = round(LAYOUT_DPI / 0.0254)
    layout_device.setDotsPerMeterX(dots_per_metre)
    layout_device.setDotsPerMeterY(dots_per_metre)
    document = CorpusDocument(corpus_root)
    document.documentLayout().setPaintDevice(layout_device)
    document.setUseDesignMetrics(True)  # unhinted advances: even word spacing once scaled to paper
    document.setDocumentMargin(0)
    # The blocks' layout flags reach the document as each Qt block's user state.
    if blocks is None:
        blocks = build_blocks(article, highlights=highlights)
    document.setHtml(render_blocks(blocks, for_print=True))
    restrict_links(document)  # before anything is painted: Qt writes link targets into the PDF raw
    document.setPageSize(QSizeF(width, height))
    keep_blocks_together(document, height)
    return document, layout_device


def used_pages(document: QTextDocument, page_height: float) -> int:
    """The pages that hold text: the document's page count also counts a page that only the
    last block's bottom margin reaches, which would print as a page with nothing but its header."""
    document.size()  # lays out the whole document (Qt lays out lazily)
    block = document.lastBlock()
    while block.isValid() and not block.text().strip():
        block = block.previous()
    layout = block.layout() if block.isValid() else None
    if layout is None or layout.lineCount() == 0:
        return max(1, document.pageCount())
    line = layout.lineAt(layout.lineCount() - 1)
    top = document.documentLayout().blockBoundingRect(block).top()
    bottom = top + line.y() + line.height()
    return max(1, min(document.pageCount(), math.floor((bottom - 0.5) / page_height) + 1))


def _band_font() -> QFont:
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(HEADER_PT)
    return font


def paint_article(
    article: Article,
    device: QPagedPaintDevice,
    progress: Progress | None = None,
    corpus_root: Path | None = None,
    highlights: tuple[ExportNote, ...] = (),
    blocks: ArticleBlocks | None = None,
) -> dict[str, int]:
    """Paint the article onto a paged device (QPdfWriter or QPrinter); returns anchor -> page."""
    geometry = PageGeometry.for_device(device)
    document, layout_device = build_print_document(
        article, geometry.body.width(), geometry.body.height(), corpus_root, highlights, blocks
    )
    pages = used_pages(document, geometry.body.height())
    labels = repeated_labels(document, geometry.body.height())
    painter = QPainter()
    if not painter.begin(device):
        raise ViewerError("cannot start drawing the pages (is the output file writable?)")
    try:
        font = _band_font()
        painter.setFont(font)
        metrics = QFontMetricsF(font, device)
        title = metrics.elidedText(
            article.title, Qt.TextElideMode.ElideRight, geometry.paint.width() * 0.8
        )
        grey = QColor("#444444")
        for index in range(pages):
            if index and not device.newPage():
                raise ViewerError("cannot start a new page in the output")
            # The first page shows the title in full, so its running header would only repeat it.
            _paint_bands(
                painter,
                geometry,
                metrics,
                title if index else "",
                f"Page {index + 1} of {pages}",
                grey,
            )
            painter.save()
            painter.translate(0, geometry.band)
            painter.scale(geometry.scale, geometry.scale)
            clip = QRectF(
                0, index * geometry.body.height(), geometry.body.width(), geometry.body.height()
            )
            painter.translate(0, -clip.top())
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            document.documentLayout().draw(painter, context)
            for label in labels.get(index, []):
                draw_repeated_label(painter, document, label)
            painter.restore()
            if progress is not None:
                progress(index + 1, pages)
    finally:
        painter.end()
    del layout_device  # kept alive until painting is done: the layout refers to it
    return section_pages(document, geometry.body.height())


def _paint_bands(
    painter: QPainter,
    geometry: PageGeometry,
    metrics: QFontMetricsF,
    title: str,
    page_label: str,
    colour: QColor,
) -> None:
    """Running header (title, rule) and footer (page N of M)."""
    width = geometry.paint.width()
    pen = QPen(colour)
    pen.setWidthF(max(1.0, geometry.scale * 0.6))
    painter.setPen(pen)
    if title:
        baseline = geometry.band - metrics.descent() - geometry.band * 0.3
        painter.drawText(QPointF(0, baseline), title)
        painter.drawLine(QPointF(0, geometry.band * 0.85), QPointF(width, geometry.band * 0.85))
    footer_top = geometry.paint.height() - geometry.band
    footer_baseline = footer_top + geometry.band * 0.3 + metrics.ascent()
    label_width = metrics.horizontalAdvance(page_label)
    painter.drawText(QPointF((width - label_width) / 2, footer_baseline), page_label)


def page_layout(page_size: str | None) -> QPageLayout:
    """The one page layout of every printout and PDF: the size ('a4', 'letter'; None: from the
    locale), portrait, MARGINS_MM."""
    size = (page_size or default_page_size()).lower()
    if size not in PAGE_SIZES:
        raise ViewerError(f"unknown page size '{page_size}' (choose from a4, letter)")
    return QPageLayout(
        QPageSize(PAGE_SIZES[size]),
        QPageLayout.Orientation.Portrait,
        MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )


def configure_pdf_writer(writer: QPdfWriter, article: Article, page_size: str | None) -> None:
    writer.setPageLayout(page_layout(page_size))
    writer.setResolution(1200)
    writer.setTitle(article.title)
    writer.setCreator(APP_NAME)


def write_pdf(
    article: Article,
    path: Path | str,
    page_size: str | None = None,
    progress: Progress | None = None,
    corpus_root: Path | None = None,
    highlights: tuple[ExportNote, ...] = (),
) -> None:
    """Write the article as a PDF to `path` (callers write to a temporary path and rename)."""
    ensure_gui_application()
    writer = QPdfWriter(str(path))
    configure_pdf_writer(writer, article, page_size)
    blocks = build_blocks(article, highlights=highlights)
    anchor_pages = paint_article(article, writer, progress, corpus_root, highlights, blocks)
    del writer  # flushes and closes the file
    add_outline(Path(path), article.title, outline(blocks), anchor_pages)


def add_outline(
    path: Path, title: str, headings: list[OutlineEntry], anchor_pages: dict[str, int]
) -> None:
    """Bookmarks for the title and every heading the pages show (`blocks.outline`), nested
    by displayed level, each at the page its anchor is on (pypdf rewrites the file)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path), strict=True)  # a damaged file must fail, not be patched up
        writer = PdfWriter(clone_from=reader)
        last_page = len(writer.pages) - 1
        root = writer.add_outline_item(title=title, page_number=0)
        parents: list[tuple[int, IndirectObject]] = []
        for heading in headings:
            page = min(anchor_pages.get(heading.anchor, 0), last_page)
            while parents and parents[-1][0] >= heading.level:
                parents.pop()
            parent = parents[-1][1] if parents else root
            item = writer.add_outline_item(title=heading.title, page_number=page, parent=parent)
            parents.append((heading.level, item))
        _destinations_instead_of_actions(root)
        writer.page_mode = "/UseOutlines"
        with open(path, "wb") as handle:
            writer.write(handle)
    except OSError as exc:
        raise ViewerError(f"cannot write the PDF {path.name}: {exc.strerror or exc}") from None
    except (PyPdfError, ValueError) as exc:
        # Qt reports no write errors: a file it could not finish (a full disk) fails to parse here.
        raise ViewerError(
            f"cannot write the PDF {path.name}: the file came out incomplete "
            f"(is the disk full?) ({type(exc).__name__})"
        ) from None


def _destinations_instead_of_actions(item) -> None:
    """pypdf makes each bookmark a /GoTo action; a plain /Dest does the same without any action,
    so the only actions a PDF of ours holds are its web and mail links (/URI)."""
    from pypdf.generic import NameObject

    while item is not None:
        item = item.get_object()
        action = item.get("/A")
        if action is not None and action.get_object().get("/S") == "/GoTo":
            item[NameObject("/Dest")] = action.get_object()["/D"]
            del item["/A"]
        if "/First" in item:
            _destinations_instead_of_actions(item["/First"])
        item = item.get("/Next")


def prepare_printer(printer, page_size: str | None = None) -> None:
    """Give a QPrinter the PDF's page layout: `page_size` ('a4', 'letter'), or with None the
    size the printer has (a print dialog's choice), and always our margins and orientation."""
    if page_size is None:
        layout = printer.pageLayout()
        if (
            layout.margins(QPageLayout.Unit.Millimeter) == MARGINS_MM
            and layout.orientation() == QPageLayout.Orientation.Portrait
        ):
            return
        size = layout.pageSize()
        printer.setPageLayout(
            QPageLayout(
                size, QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
            )
        )
        return
    printer.setPageLayout(page_layout(page_size))


def print_article(
    article: Article,
    printer,
    corpus_root: Path | None = None,
    highlights: tuple[ExportNote, ...] = (),
) -> None:
    """Print (or preview) the article on a QPrinter: connect QPrintPreviewDialog.paintRequested here.

    The pages are the PDF export's pages for the printer's page size (see `prepare_printer`);
    `highlights`: the reader's highlights and notes to print (viewer/render/highlights)."""
    printer.setDocName(article.title)
    prepare_printer(printer)
    paint_article(article, printer, corpus_root=corpus_root, highlights=highlights)
