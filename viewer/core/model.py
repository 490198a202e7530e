"""The article model: Article -> Section -> Paragraph, as plain data.

Loaders build it, classifiers (topics, safety) annotate it, and every other layer
(search, render, export, ui) only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.conversion import Reading

# Section kinds, in the order they appear in a seed-layout article.
KIND_SUMMARY = "summary"
KIND_INTRO = "intro"
KIND_SECTION = "section"
KIND_CONCLUSION = "conclusion"
KINDS = (KIND_SUMMARY, KIND_INTRO, KIND_SECTION, KIND_CONCLUSION)

# Headings shown for the parts of an article that the source does not label.
DEFAULT_HEADINGS = {
    KIND_SUMMARY: "Summary",
    KIND_INTRO: "Introduction",
    KIND_CONCLUSION: "Conclusion",
}


@dataclass(frozen=True)
class Sentence:
    """The safety verdict on one sentence of a paragraph.

    `start`/`end` are offsets into `Paragraph.plain` (the readable text), so every output can
    find the sentence in what it shows. `severity` is one of `safety_categories.SEVERITIES`
    for a warning sentence and "" otherwise. `evidence` says why, in words a reader can follow
    ("cue: do not take ... with", "negated: no", "hedge: may").
    """

    start: int
    end: int
    text: str
    safety: bool = False
    severity: str = ""
    categories: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()  # the words of each cue that fired, lower case ("do not exceed")


@dataclass
class Paragraph:
    """One paragraph: `text` is the source (Markdown for .md files), `plain` the readable text.

    `sentences` holds the classifier's verdict per sentence; `safety`, `categories` and `cues`
    are derived from them (a paragraph is a safety passage when it holds a warning sentence).
    `reading` is the sanitized conversion a Markdown paragraph's `plain` was read from
    (viewer/core/conversion), kept so that the page shows that same HTML without converting the
    Markdown a second time; None for plain-text articles and paragraphs made by hand.
    """

    text: str
    plain: str = ""
    safety: bool = False
    categories: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    reading: Reading | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.plain:
            self.plain = self.text


@dataclass
class Section:
    """A headed part of an article (the summary, intro and conclusion are sections too)."""

    anchor: str
    heading: str
    level: int
    kind: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    safety: bool = False
    categories: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    @property
    def plain_text(self) -> str:
        return "\n\n".join(p.plain for p in self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.plain.split()) for p in self.paragraphs)


@dataclass
class Article:
    """A loaded article. `id` is a stable slug from the file name, unique within a library."""

    id: str
    title: str
    path: str
    source_format: str  # "md" or "txt"
    sections: list[Section] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    outline: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)

    @property
    def safety_sections(self) -> list[Section]:
        return [s for s in self.sections if s.safety]

    @property
    def safety_count(self) -> int:
        """How many safety sections (what a catalogue entry keeps as a number)."""
        return len(self.safety_sections)

    @property
    def summary(self) -> str:
        for section in self.sections:
            if section.kind == KIND_SUMMARY:
                return " ".join(p.plain for p in section.paragraphs)
        return ""

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]
