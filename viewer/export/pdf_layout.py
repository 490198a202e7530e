"""Pagination for printed articles: where blocks fall on pages, and the fixes Qt does not make.

Qt's text layout breaks pages line by line and honours only page-break-before/after. This
module adds what a typeset article needs: headings and safety labels kept with the text that
follows them, link targets reduced to ones a PDF may hold (see viewer/render/uris), the
closing source and disclaimer kept together, the page of every section
anchor (for the PDF outline), and the label of a callout that continues onto another page.
Works on a QTextDocument laid out with a finite page height (see pdf_export). QtGui only.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter, QTextBlock, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat, QTextTable

from viewer.render.html import SAFETY_GLYPH
from viewer.render.uris import pdf_link_target

# A block property (ours, in Qt's user range) for "keep this block on the page of the next one".
KEEP_WITH_NEXT = QTextFormat.Property.UserProperty + 1
# ... and for "do not split this block, and move the blocks kept with it along" (the disclaimer).
KEEP_TOGETHER = QTextFormat.Property.UserProperty + 2
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


def keep_footer_together(document: QTextDocument) -> None:
    """The closing rule, source and disclaimer stay on one page (no lone disclaimer line)."""
    rule = None
    block = document.lastBlock()
    while block.isValid():
        if block.blockFormat().hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth):
            rule = block
            break
        block = block.previous()
    if rule is None:
        return
    cursor = QTextCursor(document)
    block = rule
    while block.isValid():
        block_format = block.blockFormat()
        block_format.setProperty(KEEP_WITH_NEXT if block != document.lastBlock() else KEEP_TOGETHER, True)
        cursor.setPosition(block.position())
        cursor.setBlockFormat(block_format)
        block = block.next()


def _is_split(document: QTextDocument, block: QTextBlock, page_height: float) -> bool:
    layout = block.layout()
    if layout is None or layout.lineCount() < 2:
        return False
    top = document.documentLayout().blockBoundingRect(block).top()
    first = math.floor((top + layout.lineAt(0).y()) / page_height + 1e-9)
    # The last line by its bottom: a line whose top falls a hair before the page end (2846.0625
    # against 2846.0655) is still drawn on the next page.
    line = layout.lineAt(layout.lineCount() - 1)
    last = math.floor((top + line.y() + line.height() - 0.5) / page_height)
    return first != last


def keeps_with_next(block: QTextBlock) -> bool:
    """Headings, the safety/caution labels and the footer's first lines must not end a page."""
    if block.blockFormat().headingLevel() > 0 or block.blockFormat().boolProperty(KEEP_WITH_NEXT):
        return True
    # The text may start with the zero-width space that carries a section anchor.
    return block.text().lstrip("\u200b").startswith(SAFETY_GLYPH)


def next_text_block(block: QTextBlock) -> QTextBlock:
    following = block.next()
    while following.isValid() and not following.text().strip():
        following = following.next()
    return following


def keep_headings_with_text(document: QTextDocument, page_height: float) -> int:
    """Move any heading or label that would end a page to the next one; returns how many moved.

    Qt lays out line by line and honours only page-break-before/after: "keep with next" is
    done here by setting PageBreak_AlwaysBefore on the heading (or, inside a callout table,
    on the table) and laying out again."""
    fixes = 0
    epsilon = 0.5
    while fixes < MAX_KEEP_FIXES:
        block = document.begin()
        moved = False
        while block.isValid():
            if block.blockFormat().boolProperty(KEEP_TOGETHER) and _is_split(document, block, page_height):
                start = block
                while start.previous().isValid() and start.previous().blockFormat().boolProperty(KEEP_WITH_NEXT):
                    start = start.previous()
                top, _ = block_top(document, start)
                moved = _break_before(document, start, math.floor(top / page_height + 1e-9) * page_height + epsilon)
                if moved:
                    break
            if keeps_with_next(block) and (block.text().strip() or block.blockFormat().boolProperty(KEEP_WITH_NEXT)):
                following = next_text_block(block)
                if following.isValid():
                    top, _ = block_top(document, block)
                    _, next_bottom = block_top(document, following)
                    page = math.floor(top / page_height + 1e-9)
                    if math.floor((next_bottom - epsilon) / page_height) > page:
                        moved = _break_before(document, block, page * page_height + epsilon)
                        if moved:
                            break
            block = block.next()
        if not moved:
            return fixes
        fixes += 1
    return fixes


def _break_before(document: QTextDocument, block: QTextBlock, page_top: float) -> bool:
    """Start a new page before the block (or the table that holds it) unless it already starts one."""
    cursor = QTextCursor(block)
    table = cursor.currentTable()
    if table is not None:
        # The label or heading sits in a callout box: move the whole box.
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


def repeated_header_blocks(document: QTextDocument, page_height: float) -> dict[int, list[tuple[QTextBlock, float]]]:
    """page -> (header block, vertical shift) for callouts that continue onto that page.

    Qt reserves and tints a table's header row on each page the table continues on, but leaves
    it empty (it skips the header's text when the row is repeated), so the label "⚠ Safety: ..."
    is drawn into that band here, and a split callout is labelled on every page. The header
    sits as far above the first body line of the page as it does above the body's first line."""
    repeats: dict[int, list[tuple[QTextBlock, float]]] = {}
    for table in _tables(document.rootFrame()):
        if table.format().headerRowCount() < 1 or table.rows() < 2:
            continue
        header = _cell_blocks(table.cellAt(0, 0))
        body_lines = _line_tops(document, _cell_blocks(table.cellAt(1, 0)))
        if not header or not body_lines:
            continue
        first_page = math.floor(body_lines[0] / page_height + 1e-9)
        for top in body_lines:
            page = math.floor(top / page_height + 1e-9)
            if page > first_page and page not in repeats:
                repeats.setdefault(page, []).extend((b, top - body_lines[0]) for b in header)
            first_page = max(first_page, page)
    return repeats


def draw_block_shifted(painter: QPainter, document: QTextDocument, block: QTextBlock, shift: float) -> None:
    """Draw a table cell's block `shift` lower than where it was laid out."""
    layout = block.layout()
    if layout is None:
        return
    rect = document.documentLayout().blockBoundingRect(block)
    # QTextLayout.draw adds the layout's own position to the origin it is given.
    origin = QPointF(rect.left() - layout.position().x(), rect.top() - layout.position().y() + shift)
    layout.draw(painter, origin)
