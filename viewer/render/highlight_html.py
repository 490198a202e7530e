"""How the reader's highlights look in HTML: in a browser (the HTML export) and on paper (the
print document behind Print, Print Preview and PDF), and the notes block (no Qt).

The marks come placed on the blocks (viewer/render/highlights); this module only says what
each one is written as. A browser gets `<mark class="hl hl-COLOUR">`, each colour with its own
underline style so highlights are told apart without colour, and a numbered link to its note;
Qt's rich text has no `<mark>` and no wavy or dotted lines, so on paper a highlight is a span
with an inline background and underline, and the number is plain. Note and quote text is
always escaped: a note never becomes markup.
"""

from __future__ import annotations

from viewer.render.highlights import HighlightMark, NoteItem
from viewer.render.markup import escape_html

# colour -> (background on paper/light page, its underline colour, CSS underline style)
SHADES = {
    "yellow": ("#fff1a1", "#9a7400", "solid"),
    "green": ("#cdeec5", "#2e7d32", "wavy"),
    "blue": ("#d2e4ff", "#1558b0", "dashed"),
    "pink": ("#ffd6e8", "#b0175a", "dotted"),
}
NOTES_HEADING = "Notes"


def _background(colour: str) -> str:
    return SHADES.get(colour, SHADES["yellow"])[0]


def _colour_class(colour: str) -> str:
    return colour if colour in SHADES else "yellow"


def mark_look(mark: HighlightMark) -> tuple[str, str, str]:
    """A browser's highlight: <mark>, and a link to its note after its last piece."""
    number = mark.number
    reference = (
        f'<sup class="note-ref"><a href="#note-{number}" id="note-ref-{number}">[{number}]</a></sup>'
        if number
        else ""
    )
    return f'<mark class="hl hl-{_colour_class(mark.colour)}">', "</mark>", reference


def paper_look(mark: HighlightMark) -> tuple[str, str, str]:
    """A highlight on paper: a span with an inline background and underline."""
    style = f"background-color:{_background(mark.colour)}; text-decoration: underline"
    opening = f'<span class="hl hl-{_colour_class(mark.colour)}" style="{style}">'
    return opening, "</span>", f"<sup>[{mark.number}]</sup>" if mark.number else ""


def highlight_css() -> str:
    """The browser rules for the highlight colours, each with its own underline style."""
    rules = [
        f"mark.hl-{name} {{ background-color: {bg}; color: inherit; "
        f"text-decoration: underline {style} {line}; text-decoration-thickness: 2px; }}"
        for name, (bg, line, style) in SHADES.items()
    ]
    rules.append("sup.note-ref { font-size: 0.75em; } ul.notes li { margin-bottom: 0.5em; }")
    return "\n".join(rules)


def highlighted_text(text: str, marks: tuple[HighlightMark, ...], look) -> str:
    """Plain text (a title, a heading) escaped, with its highlights (offsets into `text`)."""
    if not marks:
        return escape_html(text)
    out, at = [], 0
    for mark in sorted(marks, key=lambda m: m.start):
        opening, closing, reference = look(mark)
        out.append(escape_html(text[at : mark.start]))
        out.append(opening + escape_html(text[mark.start : mark.end]) + closing)
        if mark.last:
            out.append(reference)
        at = mark.end
    out.append(escape_html(text[at:]))
    return "".join(out)


def notes_html(notes: tuple[NoteItem, ...], look, for_print: bool, heading_style: str = "") -> str:
    """The "Notes" section: each note with its number and quote, and every orphaned highlight
    (not marked in the text, so said here). A plain highlight in the text adds nothing.
    `heading_style` carries the heading's layout flags (html.py: kept with the first note)."""
    items = []
    for item in notes:
        if not item.number and not item.orphaned:
            continue
        opening, closing, _ref = look(HighlightMark(0, 0, item.colour))
        where = " <i>(not marked in the text: its passage is no longer in the article)</i>"
        text = "<br>".join(escape_html(line) for line in item.note.strip().splitlines())
        name = f' id="note-{item.number}"' if item.number and not for_print else ""
        number = f"[{item.number}] " if item.number else ""
        body = f" — {text}" if text else ""
        quote = escape_html(item.quote)
        items.append(
            f"<li{name}>{number}{opening}“{quote}”{closing}"
            f"{where if item.orphaned else ''}{body}</li>"
        )
    if not items:
        return ""
    return (
        f'<h2 class="notes-heading"{heading_style}>{NOTES_HEADING}</h2>\n<ul class="notes">'
        + "\n".join(items)
        + "</ul>"
    )
