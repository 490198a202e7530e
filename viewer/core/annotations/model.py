"""What an annotation is: a highlight, a note or a bookmark on one article (no Qt, no SQL).

Shaped after the W3C Web Annotation model: the *target* is a place in an article's plain text,
described by a quote (exact text with some prefix and suffix, which survives edits) and a
position (character offsets, only a hint). The *body* is the reader's note, if any. The
motivation tells a highlight ("highlighting"), a highlight with a note ("commenting") and a
bookmark ("bookmarking") apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

HIGHLIGHTING = "highlighting"
COMMENTING = "commenting"
BOOKMARKING = "bookmarking"
MOTIVATIONS = (HIGHLIGHTING, COMMENTING, BOOKMARKING)

# Highlight colours: name -> (how the reader tells them apart without colour, spoken name).
# The mark style is drawn in the reading pane as well as the colour.
COLOURS = {
    "yellow": "solid underline",
    "green": "wavy underline",
    "blue": "dashed underline",
    "pink": "dotted underline",
}
DEFAULT_COLOUR = "yellow"


def new_id() -> str:
    import uuid  # with the first new annotation: start-up makes none

    return uuid.uuid4().hex


def now() -> float:
    return time.time()


@dataclass(frozen=True)
class Quote:
    """A W3C TextQuoteSelector plus a TextPositionSelector hint over the article's plain text."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = -1  # TextPositionSelector; -1 when unknown (a bookmark of a whole article)
    end: int = -1


@dataclass(frozen=True)
class Annotation:
    """One highlight, note or bookmark. `section` is the anchor of the section it lies in."""

    article_id: str
    quote: Quote = field(default_factory=lambda: Quote(""))
    colour: str = DEFAULT_COLOUR
    note: str = ""
    motivation: str = HIGHLIGHTING
    section: str = ""
    id: str = field(default_factory=new_id)
    created: float = field(default_factory=now)
    modified: float = field(default_factory=now)

    @property
    def is_bookmark(self) -> bool:
        return self.motivation == BOOKMARKING

    def with_note(self, note: str) -> Annotation:
        """The same highlight with a new note (an empty note makes it a plain highlight again)."""
        motivation = (
            self.motivation if self.is_bookmark else (COMMENTING if note.strip() else HIGHLIGHTING)
        )
        return replace(self, note=note, motivation=motivation, modified=now())


@dataclass(frozen=True)
class ReadingState:
    """How far an article has been read: a fraction 0..1, and whether it was marked read."""

    article_id: str
    fraction: float = 0.0
    read: bool = False
    opened: float = 0.0  # when it was last opened (for "date read" in quotes)


WORDS_PER_MINUTE = 230  # a common adult reading speed for non-fiction on screen


def minutes_left(words: int, fraction: float, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes (rounded up, at least 1 while anything is left) to finish an article."""
    remaining = max(0.0, 1.0 - min(1.0, max(0.0, fraction))) * max(0, words)
    if remaining <= 0:
        return 0
    return max(1, -(-int(remaining) // words_per_minute))
