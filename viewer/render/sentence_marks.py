"""Marks on the warning sentences themselves: which words of a paragraph the classifier means.

A paragraph's `sentences` carry offsets into its plain text, but the pane shows the paragraph's
sanitized HTML, where Markdown has become tags and entities. So the sentence is found again in
the HTML's text nodes: letters and digits only are compared (markup, spacing and punctuation
differ between the two), and each text node a sentence covers gets its own `<span>`, which can
never cross or break a tag. The text is re-escaped on the way out, so article text can never
become markup. A sentence that cannot be found falls back to a mark on its paragraph.

Severity is never shown by colour alone: each has a glyph (▲ warning, ◆ caution, ● advice) and
a text style (bold underlined, underlined, italic); the tint only adds to them. The reason for
a mark (severity, categories, the classifier's evidence) goes into a `title` attribute as plain
text, which the reading pane shows as a plain-text tooltip and a browser as its own.
Nothing here imports Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from viewer.core.model import Paragraph, Sentence
from viewer.core.safety_categories import SEVERITIES, SEVERITY_LABELS, category_label
from viewer.render.highlights import HighlightMark, place_in_text
from viewer.render.markup import escape_html

# A highlight's (opening tag, closing tag, note reference after its last piece), by its writer.
HighlightLook = Callable[[HighlightMark], tuple[str, str, str]]

SEVERITY_GLYPHS = {
    "warning": "\u25b2",
    "caution": "\u25c6",
    "advice": "\u25cf",
}  # ▲ ◆ ●, symbols, never letters
# What each severity means, in the words of the legend and the tooltips.
SEVERITY_MEANINGS = {
    "warning": "serious harm: overdose, dependence, interactions, pregnancy, children, the law",
    "caution": "common mild side effects and dosing limits",
    "advice": "general advice to ask a professional",
}
# How each severity looks besides its glyph and tint (for the legend; base.css does the rest).
SEVERITY_STYLES = {"warning": "bold, underlined", "caution": "underlined", "advice": "italic"}
# A no-break space keeps the glyph on the line of the word it marks (Qt's HTML reader turns
# the narrower U+202F into a plain, breaking space).
GLYPH_GAP = "\u00a0"
UNPLACED_NOTE = "This paragraph holds a warning that could not be marked word for word:"


def severity_of(sentence: Sentence) -> str:
    """The sentence's severity; a warning sentence without a known one counts as a caution."""
    return sentence.severity if sentence.severity in SEVERITIES else "caution"


def warning_sentences(paragraph: Paragraph) -> list[Sentence]:
    """The paragraph's warning sentences, in reading order."""
    return sorted((s for s in paragraph.sentences if s.safety), key=lambda s: (s.start, s.end))


def strongest_severity(sentences: Iterable[Sentence]) -> str:
    """The strongest severity among the sentences ("" when there are none)."""
    found = {severity_of(s) for s in sentences}
    return next((s for s in SEVERITIES if s in found), "")


def marks_legend() -> str:
    """One line saying what the marks mean, for paper and files, where nothing can be hovered."""
    return (
        "Marks: "
        + "; ".join(
            f"{SEVERITY_GLYPHS[s]} {SEVERITY_LABELS[s]} ({SEVERITY_STYLES[s]}): {SEVERITY_MEANINGS[s]}"
            for s in SEVERITIES
        )
        + "."
    )


def has_marks(paragraphs: Iterable[Paragraph]) -> bool:
    return any(s.safety for p in paragraphs for s in p.sentences)


def mark_label(sentence: Sentence) -> str:
    """'Warning: Interactions and medical conditions', the words a mark stands for."""
    label = SEVERITY_LABELS[severity_of(sentence)]
    named = ", ".join(category_label(c) for c in sentence.categories)
    return f"{label}: {named}" if named else label


def mark_reason(sentence: Sentence) -> str:
    """Why a sentence is marked, as plain text lines: severity, categories, then the evidence."""
    severity = severity_of(sentence)
    lines = [
        f"{SEVERITY_GLYPHS[severity]} {mark_label(sentence)}",
        f"{SEVERITY_LABELS[severity]} means {SEVERITY_MEANINGS[severity]}.",
    ]
    lines.extend(e for e in sentence.evidence if e.strip())
    return "\n".join(lines)


def sentence_text(paragraph: Paragraph, sentence: Sentence) -> str:
    """The sentence's words: its offsets into the plain text when they hold, else its own text."""
    if 0 <= sentence.start < sentence.end <= len(paragraph.plain):
        located = paragraph.plain[sentence.start : sentence.end]
        # A sentence's own text may be cut short (the catalogue bounds it): its start must agree.
        if _letters(located).startswith(_letters(sentence.text)):
            return located
    return sentence.text


@dataclass(frozen=True)
class _Range:
    start: int  # offsets into the concatenated text of the fragment's text nodes
    end: int
    sentence: Sentence


class _Tokens(HTMLParser):
    """Splits an HTML fragment into raw tags and unescaped text nodes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[bool, str]] = []  # (is_text, raw tag or text)

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - the raw text is kept instead
        self.tokens.append((False, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tokens.append((False, f"</{tag}>"))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0]:
            self.tokens[-1] = (True, self.tokens[-1][1] + data)
        else:
            self.tokens.append((True, data))


# What sentences are compared on: letters and digits (markup, spacing, punctuation differ).
_LETTER = re.compile(r"[^\W_]")
_NOT_LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    return _NOT_LETTERS.sub("", text)


def _place(
    text: str, paragraph: Paragraph, sentences: list[Sentence]
) -> tuple[list[_Range], list[Sentence]]:
    """Where each sentence is in `text` (the fragment's visible text); the rest are unplaced."""
    index = [m.start() for m in _LETTER.finditer(text)]
    letters = _letters(text)
    placed: list[_Range] = []
    unplaced: list[Sentence] = []
    cursor = 0
    for sentence in sentences:
        words = sentence_text(paragraph, sentence)
        key = _letters(words)
        at = letters.find(key, cursor) if key else -1
        if at < 0 and key:
            at = letters.find(key)
        if at < 0:
            unplaced.append(sentence)
            continue
        start, end = index[at], index[at + len(key) - 1] + 1
        start, end = _widen(text, start, end, words)
        if any(start < r.end and r.start < end for r in placed):
            unplaced.append(sentence)
            continue
        placed.append(_Range(start, end, sentence))
        cursor = at + len(key)
    return sorted(placed, key=lambda r: r.start), unplaced


def _by_offsets(paragraph: Paragraph, sentences: list[Sentence]) -> list[_Range] | None:
    """The sentences' ranges straight from their offsets, or None if any does not hold."""
    plain = paragraph.plain
    ranges: list[_Range] = []
    for sentence in sentences:
        if not 0 <= sentence.start < sentence.end <= len(plain):
            return None
        located = plain[sentence.start : sentence.end]
        if located != sentence.text and sentence_text(paragraph, sentence) != located:
            return None
        start = sentence.start + len(located) - len(located.lstrip())
        end = sentence.end - len(located) + len(located.rstrip())
        if start >= end or (ranges and start < ranges[-1].end):
            return None
        ranges.append(_Range(start, end, sentence))
    return ranges


def _edge_punctuation(words: str) -> tuple[int, int]:
    """How many punctuation characters the sentence has before its first and after its last
    letter or digit (an opening quote, the full stop)."""
    stripped = words.strip()
    first = next((i for i, c in enumerate(stripped) if c.isalnum()), 0)
    last = next(
        (i for i in range(len(stripped) - 1, -1, -1) if stripped[i].isalnum()), len(stripped) - 1
    )
    lead = sum(1 for c in stripped[:first] if not c.isspace())
    trail = sum(1 for c in stripped[last + 1 :] if not c.isspace())
    return lead, trail


def _widen(text: str, start: int, end: int, words: str) -> tuple[int, int]:
    """Take in the sentence's own leading and trailing punctuation where the text has it too."""
    lead, trail = _edge_punctuation(words)
    while lead and start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start, lead = start - 1, lead - 1
    while trail and end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end, trail = end + 1, trail - 1
    return start, end


def _mark_open(sentence: Sentence, title: str) -> str:
    return f'<span class="mark mark-{severity_of(sentence)}" title="{escape_html(title)}">'


def _glyph(severity: str, title: str) -> str:
    return (
        f'<span class="mark-glyph mark-glyph-{severity}" title="{escape_html(title)}">'
        f"{SEVERITY_GLYPHS[severity]}{GLYPH_GAP}</span>"
    )


def unplaced_reason(paragraph: Paragraph, sentences: list[Sentence]) -> str:
    parts = [UNPLACED_NOTE]
    for sentence in sentences:
        parts.append(f"\u201c{' '.join(sentence_text(paragraph, sentence).split())}\u201d")
        parts.append(mark_reason(sentence))
    return "\n".join(parts)


def mark_sentences(
    fragment: str,
    paragraph: Paragraph,
    highlights: tuple[HighlightMark, ...] = (),
    look: HighlightLook | None = None,
) -> str:
    """The paragraph's HTML with its warning sentences marked (unchanged if it has none), and
    the reader's highlights on it (offsets into its plain text; `look` gives each one's
    opening tag, closing tag and the note reference after its last piece)."""
    sentences = warning_sentences(paragraph)
    if not sentences and not (highlights and look):
        return fragment
    plain = paragraph.plain
    direct = (
        _by_offsets(paragraph, sentences) if fragment == f"<p>{escape_html(plain)}</p>" else None
    )
    if direct is not None:
        # Plain prose (most paragraphs): the page shows the plain text itself, so the offsets
        # hold as they are, with no parsing and no search.
        tokens: list[tuple[bool, str]] = [(False, "<p>"), (True, plain), (False, "</p>")]
        text = plain
    else:
        parser = _Tokens()
        parser.feed(fragment)
        parser.close()
        tokens = parser.tokens
        text = "".join(value for is_text, value in tokens if is_text)
    if not text.strip():
        return fragment
    ranges, unplaced = (direct, []) if direct is not None else _place(text, paragraph, sentences)
    if unplaced and not ranges:
        # Nothing could be placed: the whole paragraph carries the mark instead.
        strongest = min(unplaced, key=lambda s: SEVERITIES.index(severity_of(s)))
        ranges = [_Range(len(text) - len(text.lstrip()), len(text.rstrip()), strongest)]
        titles = {id(strongest): unplaced_reason(paragraph, unplaced)}
        unplaced = []
    else:
        titles = {}
    # Sentences that could not be placed among placed ones: a glyph at the paragraph's start
    # says so, and its tooltip quotes them.
    lead = (
        _glyph(strongest_severity(unplaced), unplaced_reason(paragraph, unplaced))
        if unplaced
        else ""
    )
    marks = place_in_text(text, plain, highlights) if highlights and look else []
    return _write(tokens, ranges, titles, lead, marks, look)


def _write(
    tokens: list[tuple[bool, str]],
    ranges: list[_Range],
    titles: dict[int, str],
    lead: str,
    marks: list[tuple[int, int, HighlightMark]],
    look: HighlightLook | None,
) -> str:
    """Re-emit the fragment: tags as they were, text escaped, marked stretches in spans.

    Each text node a sentence covers gets its own span, and each stretch of a highlight inside
    one piece of text its own mark, so marks never cross a tag or each other."""
    out: list[str] = []
    offset = 0
    started: set[int] = set()
    for is_text, value in tokens:
        if not is_text:
            out.append(value)
            continue
        node_start, node_end = offset, offset + len(value)
        offset = node_end
        if lead and value.strip():
            out.append(lead)
            lead = ""

        position = node_start
        for r in ranges:
            if r.end <= node_start or r.start >= node_end:
                continue
            piece_start, piece_end = max(r.start, node_start), min(r.end, node_end)
            if not value[piece_start - node_start : piece_end - node_start].strip():
                continue  # spacing between blocks: a span there would make Qt add a line
            if piece_start > position:
                out.append(_lit(value, node_start, position, piece_start, marks, look))
            title = titles.get(id(r.sentence))
            if title is None:  # once per sentence, however many text nodes it covers
                title = titles[id(r.sentence)] = mark_reason(r.sentence)
            if id(r) not in started:
                started.add(id(r))
                out.append(_glyph(severity_of(r.sentence), title))
            piece = _lit(value, node_start, piece_start, piece_end, marks, look)
            out.append(_mark_open(r.sentence, title) + piece + "</span>")
            position = piece_end
        if position < node_end:
            out.append(_lit(value, node_start, position, node_end, marks, look))
    return "".join(out)


def _lit(
    value: str,
    node_start: int,
    start: int,
    end: int,
    marks: list[tuple[int, int, HighlightMark]],
    look: HighlightLook | None,
) -> str:
    """value[start:end] (offsets counted from the fragment's text start) escaped, with the
    stretches of highlights in it marked as `look` writes them."""
    out, at = [], start
    for mark_start, mark_end, mark in marks:
        left, right = max(mark_start, start), min(mark_end, end)
        if look is None or left >= right:
            continue
        piece = value[left - node_start : right - node_start]
        if not piece.strip():
            continue  # spacing alone (between two sentences): nothing to mark
        opening, closing, reference = look(mark)
        out.append(escape_html(value[at - node_start : left - node_start]))
        out.append(opening + escape_html(piece) + closing)
        if mark.last and right >= mark_end:
            out.append(reference)
        at = right
    out.append(escape_html(value[at - node_start : end - node_start]))
    return "".join(out)
