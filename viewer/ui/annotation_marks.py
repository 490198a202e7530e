"""How highlights look in the reading pane, and the small document look-ups they need.

Each colour also has its own underline style (solid, wavy, dashed, dotted), so highlights are
told apart without seeing colour; a highlight with a note is also overlined. Everything else
about annotations (where they are, what they say) comes from viewer/core/annotations.
"""

from __future__ import annotations

import heapq
from typing import TypeVar

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from viewer.core.annotations.model import COLOURS, Annotation

# colour name -> (light page background, dark page background, underline on light, on dark)
SHADES = {
    "yellow": ("#fff1a1", "#5e5214", "#9a7400", "#ffd54f"),
    "green": ("#cdeec5", "#294f27", "#2e7d32", "#8fd694"),
    "blue": ("#d2e4ff", "#213f66", "#1558b0", "#7ab8f5"),
    "pink": ("#ffd6e8", "#5c2541", "#b0175a", "#f49ac1"),
}
UNDERLINES = {
    "yellow": QTextCharFormat.UnderlineStyle.SingleUnderline,
    "green": QTextCharFormat.UnderlineStyle.WaveUnderline,
    "blue": QTextCharFormat.UnderlineStyle.DashUnderline,
    "pink": QTextCharFormat.UnderlineStyle.DotLine,
}


def mark_format(colour: str, theme: str, has_note: bool) -> QTextCharFormat:
    light_bg, dark_bg, light_line, dark_line = SHADES.get(colour, SHADES["yellow"])
    dark = theme == "dark"
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(dark_bg if dark else light_bg))
    fmt.setUnderlineStyle(UNDERLINES.get(colour, QTextCharFormat.UnderlineStyle.SingleUnderline))
    fmt.setUnderlineColor(QColor(dark_line if dark else light_line))
    if has_note:
        fmt.setFontOverline(True)
    return fmt


def mark(
    document: QTextDocument, start: int, end: int, fmt: QTextCharFormat
) -> QTextEdit.ExtraSelection:
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    selection.format = fmt
    return selection


def spoken(annotation: Annotation) -> str:
    """What a screen reader or the status bar says about a highlight (plain text)."""
    style = COLOURS.get(annotation.colour, "marked")
    text = f"{annotation.colour.capitalize()} highlight ({style})"
    if annotation.note.strip():
        text += ", with note: " + " ".join(annotation.note.split())
    return text


def anchor_positions(document: QTextDocument, anchors: list[str]) -> list[tuple[int, str]]:
    """(document position, anchor) of each section anchor found in the page, in page order."""
    wanted, found = set(anchors), dict[str, int]()
    block = document.begin()
    while block.isValid() and len(found) < len(wanted):
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            for name in fragment.charFormat().anchorNames():
                if name in wanted and name not in found:
                    found[name] = fragment.position()
            iterator += 1
        block = block.next()
    return sorted((position, name) for name, position in found.items())


def section_at(positions: list[tuple[int, str]], position: int) -> str:
    """The anchor of the section a document position lies in ('' before the first)."""
    current = ""
    for start, name in positions:
        if start > position:
            break
        current = name
    return current


Look = TypeVar("Look")  # what a mark looks like: a QTextCharFormat, or a test's label


def flatten(spans: list[tuple[int, int, Look]]) -> list[tuple[int, int, Look]]:
    """Overlapping marks as disjoint pieces, the shortest mark on top where they overlap.

    Qt paints the text of every extra selection again over the page, so many overlapping
    highlights would draw the same words many times; disjoint pieces draw each word once.
    Adjacent pieces with the same look are joined."""
    if not spans:
        return []
    bounds = sorted({s for s, _e, _k in spans} | {e for _s, e, _k in spans})
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    active: list[tuple[int, int]] = []  # (length, index): the shortest covering mark first
    pieces: list[tuple[int, int, Look]] = []
    next_span = 0
    for start, end in zip(bounds, bounds[1:]):
        while next_span < len(order) and spans[order[next_span]][0] <= start:
            index = order[next_span]
            heapq.heappush(active, (spans[index][1] - spans[index][0], index))
            next_span += 1
        while active and spans[active[0][1]][1] <= start:  # ended before this piece
            heapq.heappop(active)
        if not active:
            continue
        key = spans[active[0][1]][2]
        if pieces and pieces[-1][1] == start and pieces[-1][2] is key:
            pieces[-1] = (pieces[-1][0], end, key)
        else:
            pieces.append((start, end, key))
    return pieces
