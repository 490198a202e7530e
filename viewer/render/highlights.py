"""The reader's highlights as marks on the blocks' text, placed while the blocks are built (no Qt).

A highlight is saved against the article's plain text (`anchoring.article_text`: the title,
then each heading and paragraph on a line of its own). `place_highlights` cuts each one into
pieces on the lines it covers, one `HighlightMark` per heading or paragraph, in that line's own
offsets (a paragraph's `plain`, a heading's text), exactly as caution marks are offsets into
`plain`. Overlapping highlights become disjoint runs, the shorter one on top, so every output
draws at most one highlight on any character. The notes themselves become `NoteItem`s, which
the builder puts in a notes block before the footer.

Writers draw the marks from the blocks: HTML (pane markup, print, PDF) in the text nodes of the
paragraph's sanitized HTML (`place_in_text`, the same letters-only comparison the sentence
marks use), Markdown and text on the plain text. Nothing searches a writer's output.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportNote:
    """One highlight for an export: where it is in `article_text` (start, end; -1 when the
    passage is no longer in the article), its words there, colour and note."""

    passage: str
    colour: str
    note: str
    quote: str  # the words as saved, shown for an orphan
    section: str = ""
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class HighlightMark:
    """A piece of a highlight on one heading or paragraph: offsets into its plain text."""

    start: int
    end: int
    colour: str
    number: int = 0  # the number of its note (0: a highlight without a note)
    last: bool = True  # the highlight's last piece: its note reference follows it


@dataclass(frozen=True)
class NoteItem:
    """One entry of the notes block: the highlight's number among notes (0: none), its words,
    colour, section and note, and whether it is orphaned (so not marked in the text)."""

    number: int
    quote: str
    colour: str
    note: str
    section: str = ""
    orphaned: bool = False  # its passage is no longer in the article


@dataclass
class Placement:
    """Every line's marks (keyed by the id of its Paragraph or Section, or "title"), and the notes."""

    marks: dict[object, tuple[HighlightMark, ...]] = field(default_factory=dict)
    notes: list[NoteItem] = field(default_factory=list)

    def on(self, key: object) -> tuple[HighlightMark, ...]:
        return self.marks.get(key, ())


def text_lines(article) -> Iterator[tuple[object, str]]:
    """(key, text) of each line of `article_text`, in its order: the title, each heading, each
    paragraph's plain text (keys: "title", id(section), id(paragraph))."""
    yield "title", article.title
    for section in article.sections:
        yield id(section), section.heading
        for paragraph in section.paragraphs:
            yield id(paragraph), paragraph.plain


def _runs(pieces: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Overlapping (start, end, note index) spans as disjoint runs, the shortest on top."""
    owner: dict[int, int] = {}
    for start, end, index in sorted(pieces, key=lambda p: p[0] - p[1]):  # longest first
        for position in range(start, end):
            owner[position] = index
    runs: list[tuple[int, int, int]] = []
    for position in sorted(owner):
        index = owner[position]
        if runs and runs[-1][1] == position and runs[-1][2] == index:
            runs[-1] = (runs[-1][0], position + 1, index)
        else:
            runs.append((position, position + 1, index))
    return runs


def place_highlights(article, notes: tuple[ExportNote, ...]) -> Placement:
    """Each highlight cut into marks on the lines it covers (see the module docstring)."""
    placement = Placement()
    if not notes:
        return placement
    numbers: dict[int, int] = {}
    for index, note in enumerate(notes):
        if note.note.strip():
            numbers[index] = len(numbers) + 1
    lines, at = [], 0
    for key, text in text_lines(article):
        lines.append((key, at, text))
        at += len(text) + 1
    pieces: dict[object, list[tuple[int, int, int]]] = {}
    placed: set[int] = set()
    for index, note in enumerate(notes):
        if note.start < 0:
            continue
        for key, line_start, text in lines:
            start = max(note.start, line_start) - line_start
            end = min(note.end, line_start + len(text)) - line_start
            if start < end and text[start:end].strip():
                pieces.setdefault(key, []).append((start, end, index))
                placed.add(index)
    last_piece: dict[int, tuple[object, int]] = {}
    ordered = [key for key, _s, _t in lines]
    runs = {key: _runs(pieces[key]) for key in ordered if key in pieces}
    for key in ordered:
        for start, _end, index in runs.get(key, ()):
            last_piece[index] = (key, start)
    for key, key_runs in runs.items():
        placement.marks[key] = tuple(
            HighlightMark(
                start,
                end,
                notes[index].colour,
                numbers.get(index, 0),
                last_piece.get(index) == (key, start),
            )
            for start, end, index in key_runs
        )
    for index, note in enumerate(notes):
        placement.notes.append(
            NoteItem(
                numbers.get(index, 0),
                " ".join((note.passage or note.quote).split()),
                note.colour,
                note.note,
                note.section,
                index not in placed,
            )
        )
    return placement


# -- placing marks in the visible text of a paragraph's HTML ----------------------------------

_LETTER = re.compile(r"[^\W_]")


def place_in_text(
    text: str, plain: str, marks: tuple[HighlightMark, ...]
) -> list[tuple[int, int, HighlightMark]]:
    """Where each mark (offsets into `plain`) lies in `text`, the visible text of the same
    paragraph's HTML. Both hold the same letters in the same order (plain is that HTML's text),
    so the N-th letter of one is the N-th of the other; spacing and punctuation may differ.
    A mark whose letters do not line up is left out."""
    if text == plain:
        return [(m.start, m.end, m) for m in marks]
    plain_letters = [m.start() for m in _LETTER.finditer(plain)]
    text_letters = [m.start() for m in _LETTER.finditer(text)]
    aligned = len(plain_letters) == len(text_letters)
    letters = "".join(text[i] for i in text_letters)
    found = []
    for mark in marks:
        first = _count_before(plain_letters, mark.start)
        last = _count_before(plain_letters, mark.end) - 1
        if first > last:
            continue
        if not aligned:  # the page adds letters (an image's placeholder): find these letters
            key = "".join(plain[i] for i in plain_letters[first : last + 1])
            at = letters.find(key, max(0, first - 64))
            at = letters.find(key) if at < 0 else at
            if at < 0:
                continue
            first, last = at, at + len(key) - 1
        start, end = text_letters[first], text_letters[last] + 1
        # Punctuation the highlight takes in at its ends ("plant." keeps its full stop).
        lead = plain_letters[_count_before(plain_letters, mark.start)] - mark.start
        trail = mark.end - (plain_letters[_count_before(plain_letters, mark.end) - 1] + 1)
        while (
            lead > 0
            and start > 0
            and not text[start - 1].isalnum()
            and not text[start - 1].isspace()
        ):
            start, lead = start - 1, lead - 1
        while trail > 0 and end < len(text) and not text[end].isalnum() and not text[end].isspace():
            end, trail = end + 1, trail - 1
        found.append((start, end, mark))
    return found


def _count_before(positions: list[int], offset: int) -> int:
    """How many of the sorted positions lie before `offset`."""
    return bisect_left(positions, offset)
