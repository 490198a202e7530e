"""Pagination for printed articles: the blocks' layout flags turned into page breaks.

Qt's text layout breaks pages line by line and honours only page-break-before/after. The
article's blocks (viewer/render/blocks) say what must stay together; the HTML carries those
flags into the document as each Qt block's user state, and this module reads them there:
a run of keep-with-next blocks stays on the page of the block that follows it (its first line,
or all of it when that block is keep-together), and a callout whose label is to be repeated
gets its label band, tint and frame drawn on every page it continues on. It never reads the
laid-out text. It also reduces link targets to ones a PDF may hold (see viewer/render/uris)
and finds the page of every section anchor (for the PDF outline). QtGui only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from viewer.render.blocks import (
    KEEP_TOGETHER,
    KEEP_WITH_NEXT,
    KEEP_WITH_NEXT_IF_FITS,
    REPEAT_LABEL,
    layout_flags,
)
from viewer.render.uris import pdf_link_target

MAX_KEEP_FIXES = 200  # each fix moves one heading to the next page; bounded for safety


def block_top(document: QTextDocument, block: QTextBlock) -> tuple[float, float]:
    """(top of the block's first line, its bottom) in document coordinates."""
    rect = document.documentLayout().blockBoundingRect(block)
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return rect.top(), rect.bottom()
    line = layout.lineAt(0)
    # The block rect's top is the layout's origin; line.y() is relative to it, and pagination
    # may have pushed the first line down (onto the next page) from there.
    top = rect.top() + line.y()
    return top, top + line.height()


def restrict_links(document: QTextDocument) -> int:
    """Rewrite every link target to its safe PDF form, or unlink it; returns how many changed.

    Done on the laid-out document, not the HTML, because this is exactly what Qt's PDF engine
    writes out: nothing else can reach the /URI string. Anchor names (section targets) stay."""
    changes: list[tuple[int, int, QTextCharFormat]] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            char_format = fragment.charFormat()
            href = char_format.anchorHref()
            if char_format.isAnchor() and href:
                safe = pdf_link_target(href)
                if safe != href:
                    if safe is None:
                        char_format.clearProperty(QTextFormat.Property.AnchorHref)
                        if not char_format.anchorNames():
                            char_format.clearProperty(QTextFormat.Property.IsAnchor)
                    else:
                        char_format.setAnchorHref(safe)
                    changes.append((fragment.position(), fragment.length(), char_format))
            iterator += 1
        block = block.next()
    cursor = QTextCursor(document)
    for position, length, char_format in changes:
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(char_format)
    return len(changes)


def flags_of(block: QTextBlock) -> int:
    """The layout flags the block's builder set (see viewer/render/blocks.layout_state)."""
    return layout_flags(block.userState())


def keeps_with_next(block: QTextBlock) -> bool:
    """Headings, box and safety labels, the footer's first lines and the paragraph before the
    footer must not end a page: their blocks carry KEEP_WITH_NEXT."""
    return bool(flags_of(block) & KEEP_WITH_NEXT)


def next_text_block(block: QTextBlock) -> QTextBlock:
    following = block.next()
    while following.isValid() and not following.text().strip():
        following = following.next()
    return following


def _block_bottom(document: QTextDocument, block: QTextBlock) -> float:
    """The bottom of the block's last line."""
    layout = block.layout()
    rect = document.documentLayout().blockBoundingRect(block)
    if layout is None or layout.lineCount() == 0:
        return rect.bottom()
    line = layout.lineAt(layout.lineCount() - 1)
    return rect.top() + line.y() + line.height()


def _group_end(block: QTextBlock) -> QTextBlock:
    """The block a run of keep-with-next blocks starting at `block` is kept with."""
    end = block
    # Blank blocks (the one Qt puts after a box, a rule) neither end nor break a run.
    while end.isValid() and (flags_of(end) & KEEP_WITH_NEXT or not end.text().strip()):
        end = end.next()
    return end


def keep_blocks_together(document: QTextDocument, page_height: float) -> int:
    """Apply the blocks' flags (see `_keep_runs`), then the weaker keep-with-next-if-fits one
    (the last paragraph with the closing lines): tried, and undone unless the paragraph then
    shares a page with the whole of the closing lines; returns how many runs moved."""
    fixes = _keep_runs(document, page_height)
    block = document.begin()
    while block.isValid():
        if flags_of(block) & KEEP_WITH_NEXT_IF_FITS:
            end = _group_end(block.next())
            last = end if end.isValid() else document.lastBlock()
            whole = bool(flags_of(last) & KEEP_TOGETHER)
            before = _breaks(document)
            if _together(document, block, last, whole, page_height):
                block = block.next()
                continue
            parted = _parted(document, page_height)
            _clear_breaks(document, block, last)
            if _keep(document, block, last, whole, page_height):
                tried = 1 + _keep_runs(document, page_height)
                if (
                    not _together(document, block, last, whole, page_height)
                    or not _parted(document, page_height) <= parted
                ):
                    # Its break may have moved the heading and label above it along (a box to
                    # the next page): without the breaks of the run, that may be enough.
                    _clear_breaks(document, block, last)
                    tried += _keep_runs(document, page_height)
                if (
                    _together(document, block, last, whole, page_height)
                    and _parted(document, page_height) <= parted
                ):
                    fixes += tried
                    block = block.next()
                    continue
            _restore_breaks(document, before)
        block = block.next()
    return fixes


def _parted(document: QTextDocument, page_height: float) -> set[int]:
    """Positions of keep-with-next blocks a page end parts from the next block's first line."""
    parted = set()
    block = document.begin()
    while block.isValid():
        following = (
            next_text_block(block)
            if flags_of(block) & KEEP_WITH_NEXT and block.text().strip()
            else None
        )
        if (
            following is not None
            and following.isValid()
            and not _together(document, block, following, False, page_height)
        ):
            parted.add(block.position())
        block = block.next()
    return parted


def _clear_breaks(document: QTextDocument, first: QTextBlock, last: QTextBlock) -> None:
    block = first
    while block.isValid():
        _set_break(document, block.position(), False, QTextFormat.PageBreakFlag.PageBreak_Auto)
        if block == last:
            break
        block = block.next()
    document.size()


def _together(
    document: QTextDocument, first: QTextBlock, last: QTextBlock, whole: bool, page_height: float
) -> bool:
    top, bottom = _span(document, first, last, whole)
    return math.floor(top / page_height + 1e-9) == math.floor((bottom - _EPSILON) / page_height)


def _breaks(document: QTextDocument) -> list[tuple[int, bool, QTextFormat.PageBreakFlag]]:
    """(position, is a table, page-break policy) of every block and table with a set break."""
    found: list[tuple[int, bool, QTextFormat.PageBreakFlag]] = []
    block = document.begin()
    while block.isValid():
        policy = block.blockFormat().pageBreakPolicy()
        if policy != QTextFormat.PageBreakFlag.PageBreak_Auto:
            found.append((block.position(), False, policy))
        block = block.next()
    found.extend(
        (t.firstPosition(), True, t.format().pageBreakPolicy())
        for t in _tables(document.rootFrame())
        if t.format().pageBreakPolicy() != QTextFormat.PageBreakFlag.PageBreak_Auto
    )
    return found


def _restore_breaks(
    document: QTextDocument, saved: list[tuple[int, bool, QTextFormat.PageBreakFlag]]
) -> None:
    """Put every page break back as `_breaks` found it (breaks added since are removed)."""
    auto = QTextFormat.PageBreakFlag.PageBreak_Auto
    for position, is_table, _policy in _breaks(document):
        _set_break(document, position, is_table, auto)
    for position, is_table, policy in saved:
        _set_break(document, position, is_table, policy)
    document.size()


def _set_break(document: QTextDocument, position: int, is_table: bool, policy) -> None:
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    if is_table:
        table = cursor.currentTable()
        if table is not None:
            table_format = table.format()
            table_format.setPageBreakPolicy(policy)
            table.setFormat(table_format)
        return
    block_format = cursor.blockFormat()
    block_format.setPageBreakPolicy(policy)
    cursor.setBlockFormat(block_format)


def _keep_runs(document: QTextDocument, page_height: float) -> int:
    """Apply the blocks' flags: move each run of keep-with-next blocks (with the first line of
    the block after it, or all of it when that one is keep-together) that a page end would part
    onto the next page; returns how many runs moved.

    Qt honours only page-break-before/after, so a run is moved by setting PageBreak_AlwaysBefore
    on its first block (or, for a box's label, on the box) and laying out again. Of a run taller
    than a page, the longest tail that fits is kept whole and each block before it with the
    first line of the next."""
    fixes = 0
    while fixes < MAX_KEEP_FIXES:
        # Qt lays out lazily: a block past the laid-out part reports an empty rect, so the whole
        # document is laid out before positions are read (size() does that).
        document.size()
        block = document.begin()
        moved = False
        while block.isValid() and not moved:
            flags = flags_of(block)
            if not flags & (KEEP_WITH_NEXT | KEEP_TOGETHER):
                block = block.next()
                continue
            end = _group_end(block) if flags & KEEP_WITH_NEXT else block
            last = end if end.isValid() else document.lastBlock()
            whole = bool(flags_of(last) & KEEP_TOGETHER)
            moved = _keep(document, block, last, whole, page_height)
            if (
                not moved
                and flags & KEEP_WITH_NEXT
                and _too_tall(document, block, last, whole, page_height)
            ):
                # The longest tail of the run that fits one page is kept whole; before it, each
                # block is kept at least with the first line of the next (a heading with its text).
                tail = block.next()
                while (
                    tail.isValid()
                    and tail != end
                    and _too_tall(document, tail, last, whole, page_height)
                ):
                    tail = tail.next()
                inner = block
                while inner.isValid() and inner != tail and not moved:
                    following = next_text_block(inner)
                    if inner.text().strip() and following.isValid():
                        moved = _keep(document, inner, following, False, page_height)
                    inner = inner.next()
                if not moved and tail.isValid() and tail != end:
                    moved = _keep(document, tail, last, whole, page_height)
            if not end.isValid():
                break
            block = end.next() if end != block else block.next()
        if not moved:
            return fixes
        fixes += 1
    return fixes


_EPSILON = 0.5


def _span(
    document: QTextDocument, first: QTextBlock, last: QTextBlock, whole: bool
) -> tuple[float, float]:
    """Top of `first`'s first line, bottom of `last`'s first line (or of all of it)."""
    top, _ = block_top(document, first)
    bottom = _block_bottom(document, last) if whole else block_top(document, last)[1]
    return top, bottom


def _too_tall(
    document: QTextDocument, first: QTextBlock, last: QTextBlock, whole: bool, page_height: float
) -> bool:
    top, bottom = _span(document, first, last, whole)
    return bottom - top >= page_height


def _keep(
    document: QTextDocument, first: QTextBlock, last: QTextBlock, whole: bool, page_height: float
) -> bool:
    """Move `first` to the next page if a page end parts it from `last` and both fit one page."""
    top, bottom = _span(document, first, last, whole)
    page = math.floor(top / page_height + 1e-9)
    if bottom - top >= page_height or math.floor((bottom - _EPSILON) / page_height) <= page:
        return False
    return _break_before(document, first, page * page_height + _EPSILON)


def _break_before(document: QTextDocument, block: QTextBlock, page_top: float) -> bool:
    """Start a new page before the block unless it already starts one. A box's label (the first
    block of a cell in its first row) moves the whole box; a block further in breaks inside it
    (the box's label is repeated above the rest)."""
    cursor = QTextCursor(block)
    table = cursor.currentTable()
    cell = table.cellAt(cursor) if table is not None else None
    if (
        table is not None
        and cell is not None
        and cell.row() == 0
        and cell.firstCursorPosition().block() == block
    ):
        first_cell_block = table.cellAt(0, 0).firstCursorPosition().block()
        table_top = document.documentLayout().frameBoundingRect(table).top()
        if table_top <= page_top or block_top(document, first_cell_block)[0] <= page_top:
            return False
        table_format = table.format()
        if table_format.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
            return False
        table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        table.setFormat(table_format)
        return True
    if block_top(document, block)[0] <= page_top:
        return False
    block_format = block.blockFormat()
    if block_format.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
        return False
    block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    cursor.setBlockFormat(block_format)
    return True


def section_pages(document: QTextDocument, page_height: float) -> dict[str, int]:
    """Page index (0-based) of every named anchor, for the PDF outline."""
    pages: dict[str, int] = {}
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            for name in iterator.fragment().charFormat().anchorNames():
                pages.setdefault(name, int(layout.blockBoundingRect(block).top() // page_height))
            iterator += 1
        block = block.next()
    return pages


def _tables(frame) -> list[QTextTable]:
    found = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            found.append(child)
        found.extend(_tables(child))
    return found


def _cell_blocks(cell) -> list[QTextBlock]:
    blocks = []
    block = cell.firstCursorPosition().block()
    end = cell.lastCursorPosition().position()
    while block.isValid() and block.position() <= end:
        blocks.append(block)
        block = block.next()
    return blocks


def _line_tops(document: QTextDocument, blocks: list[QTextBlock]) -> list[float]:
    tops: list[float] = []
    for block in blocks:
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            continue
        origin = document.documentLayout().blockBoundingRect(block).top()
        tops.extend(origin + layout.lineAt(i).y() for i in range(layout.lineCount()))
    return tops


@dataclass
class RepeatedLabel:
    """A callout's label to draw on a page it continues on: its blocks, how far below their
    laid-out place, and the band on that page (laid-out coordinates) to tint and frame first."""

    blocks: list[QTextBlock]
    shift: float
    band: QRectF
    background: QColor
    border: QColor
    border_width: float


def repeated_labels(document: QTextDocument, page_height: float) -> dict[int, list[RepeatedLabel]]:
    """page -> labels of the callouts (blocks flagged REPEAT_LABEL) that continue onto that page.

    Qt reserves a table's header row on each page the table continues on, but leaves it empty
    and untinted, with gaps in the frame; so the label's band is tinted and framed and its
    text drawn here, at the top of the page's body area where Qt reserved the row."""
    repeats: dict[int, list[RepeatedLabel]] = {}
    layout = document.documentLayout()
    for table in _tables(document.rootFrame()):
        if table.format().headerRowCount() < 1 or table.rows() < 2:
            continue
        header = _cell_blocks(table.cellAt(0, 0))
        if not any(flags_of(b) & REPEAT_LABEL for b in header):
            continue
        body_lines = _line_tops(document, _cell_blocks(table.cellAt(1, 0)))
        if not body_lines:
            continue
        table_format = table.format()
        # Qt reports a table's frame rect at its first cell's content origin (inside border and
        # padding), so the box's outer edge is found from the width it leaves around the cell.
        frame = layout.frameBoundingRect(table)
        label_rect = layout.blockBoundingRect(header[0])
        body_top = layout.blockBoundingRect(table.cellAt(1, 0).firstCursorPosition().block()).top()
        inset = max(0.0, (frame.width() - label_rect.width()) / 2)
        band = QRectF(
            label_rect.left() - inset,
            label_rect.top() - inset,
            frame.width(),
            max(1.0, body_top - label_rect.top()),
        )
        background = table.cellAt(0, 0).format().background().color()
        if not background.isValid() or background.alpha() == 0:
            background = table_format.background().color()
        border = table_format.borderBrush().color()
        first_page = math.floor(body_lines[0] / page_height + 1e-9)
        for top in body_lines:
            page = math.floor(top / page_height + 1e-9)
            if page > first_page and page not in repeats:
                # Qt puts the repeated header row at the top of the page's body area; the band
                # reaches down to the continued cell's top edge.
                shift = page * page_height - band.top()
                on_page = QRectF(
                    band.left(),
                    page * page_height,
                    band.width(),
                    max(band.height(), top - table_format.cellPadding() - page * page_height),
                )
                repeats.setdefault(page, []).append(
                    RepeatedLabel(header, shift, on_page, background, border, table_format.border())
                )
            first_page = max(first_page, page)
    return repeats


def draw_repeated_label(painter: QPainter, document: QTextDocument, label: RepeatedLabel) -> None:
    """Tint and frame the label's band on this page, then draw its text in it."""
    band = label.band
    painter.save()
    painter.fillRect(band, label.background)
    pen = QPen(label.border)
    pen.setWidthF(label.border_width)
    painter.setPen(pen)
    half = label.border_width / 2
    painter.drawRect(band.adjusted(half, half, -half, 0))
    painter.restore()
    for block in label.blocks:
        draw_block_shifted(painter, document, block, label.shift)


def draw_block_shifted(
    painter: QPainter, document: QTextDocument, block: QTextBlock, shift: float
) -> None:
    """Draw a table cell's block `shift` lower than where it was laid out."""
    layout = block.layout()
    if layout is None:
        return
    rect = document.documentLayout().blockBoundingRect(block)
    # QTextLayout.draw adds the layout's own position to the origin it is given.
    origin = QPointF(
        rect.left() - layout.position().x(), rect.top() - layout.position().y() + shift
    )
    layout.draw(painter, origin)
