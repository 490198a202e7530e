"""The library catalogue's entries: what the tree, the lists and the Safety overview need of
every article, without its text.

An `ArticleEntry` carries the same attribute names as `Article` for its outline (id, title,
topics, path, words, notes, sections with anchor/heading/level/kind/safety/categories/topics,
safety_sections), so code that only shows the outline takes either. Each safety passage keeps
its paragraph index, categories, cues and the start of its text, which is all the overview
shows; each section also keeps the sentence verdicts that say something (warnings, and the
sentences whose cues were set aside), so a reopened article needs no classifier. Entries are
cached per corpus by catalogue_store.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from viewer.core.model import Article, Sentence
from viewer.core.safety_derive import derive_paragraph, derive_section  # not the classifier
from viewer.core.sentences import split_sentences

# Passage text kept in an entry: more than any one-line listing shows (160 characters), so that
# listings cut it exactly as they would the whole text, and than the twelve words the reader
# searches for to reveal a passage.
PASSAGE_CHARS = 200
# A warning sentence's text kept in an entry, for the Safety overview to list it: a whole
# sentence, but bounded (a "sentence" in a paragraph without full stops can be long).
SENTENCE_CHARS = 600


@dataclass(slots=True)
class PassageEntry:
    """A safety passage: a flagged paragraph (index >= 0), or a whole safety section (-1)."""

    paragraph: int
    categories: list[str]
    cues: list[str]
    text: str  # the start of the passage's plain text, whitespace collapsed

    def to_list(self) -> list:
        return [self.paragraph, self.categories, self.cues, self.text]


@dataclass(slots=True)
class SectionEntry:
    anchor: str
    heading: str
    level: int
    kind: str
    safety: bool
    categories: list[str]
    topics: list[str]
    passages: list[PassageEntry] = field(default_factory=list)
    # [paragraph index, start, end, safety, severity, categories, evidence, cues, text] of each
    # sentence whose verdict is more than "nothing here"; the others are plain sentences. The
    # text (whitespace collapsed, SENTENCE_CHARS at most) is kept for warnings only, "" otherwise.
    sentences: list[list] = field(default_factory=list)

    def to_list(self) -> list:
        return [
            self.anchor,
            self.heading,
            self.level,
            self.kind,
            self.safety,
            self.categories,
            self.topics,
            [p.to_list() for p in self.passages],
            self.sentences,
        ]

    @classmethod
    def from_list(cls, item: list) -> SectionEntry:
        anchor, heading, level, kind, safety, categories, topics, passages, sentences = item
        return cls(
            anchor,
            heading,
            level,
            kind,
            safety,
            categories,
            topics,
            [PassageEntry(*p) for p in passages],
            sentences,
        )


# An entry's fields but its sections, in the order the catalogue stores them (`head()`).
HEAD_FIELDS = (
    "id",
    "title",
    "path",
    "source_format",
    "topics",
    "words",
    "notes",
    "fingerprint",
    "section_count",
    "safety_count",
)


class ArticleEntry:
    """An article's outline, as the catalogue keeps it.

    The sections (with their safety passages) are the bulk of a catalogue; read from the cache
    they stay an unparsed line of JSON (`outline`) until something asks for them, so a large
    collection starts with titles and topics only."""

    __slots__ = (*HEAD_FIELDS, "pending", "_sections", "_outline")

    def __init__(
        self,
        id: str,  # noqa: A002 - the article's id, named as on Article and in the JSON
        title: str,
        path: str,
        source_format: str,
        topics: list[str],
        words: int,
        notes: list[str],
        fingerprint: str,
        section_count: int,
        safety_count: int,
        sections: list[SectionEntry] | None = None,
        outline: tuple[bytes, int, int] | None = None,
        pending: bool = False,
    ) -> None:
        self.id, self.title, self.path, self.source_format = id, title, path, source_format
        self.topics, self.words, self.notes = topics, words, notes
        self.fingerprint = fingerprint  # content_fingerprint of the full article
        self.section_count = section_count
        self.safety_count = safety_count  # of safety sections
        # Read without the safety classifier (a first launch's first pass): no verdict in it
        # means "not known yet", never "nothing here". The verdict pass replaces the entry.
        self.pending = pending
        self._sections = sections
        # Where the sections are as one line of JSON (outline_line) until parsed: the whole
        # outlines file and a range in it, so that reading a catalogue copies nothing.
        self._outline = outline

    @property
    def sections(self) -> list[SectionEntry]:
        if self._sections is None:
            # Two threads may both parse: the results are equal, and either may stay.
            self._sections = [SectionEntry.from_list(s) for s in json.loads(self.outline_line())]
        return self._sections

    def outline_line(self) -> bytes:
        """The sections as one line of JSON, as the catalogue stores them."""
        if self._sections is None and self._outline is not None:
            data, start, end = self._outline
            return data[start:end]
        return json.dumps(
            [s.to_list() for s in self.sections], ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8", "surrogatepass")

    def mapped_range(self) -> tuple[Any, int, int] | None:
        """Where the outline line was read from (the outlines file's data and a range in it),
        or None for an entry made from an article: a catalogue write lets go of those pages."""
        return self._outline

    @property
    def safety_sections(self) -> list[SectionEntry]:
        return [s for s in self.sections if s.safety]

    def section(self, anchor: str) -> SectionEntry | None:
        return next((s for s in self.sections if s.anchor == anchor), None)

    def head(self) -> list:
        """Everything but the sections, as the catalogue stores it (a pending entry's head has
        one more item, a 1 after the HEAD_FIELDS)."""
        head = [
            self.id,
            self.title,
            self.path,
            self.source_format,
            self.topics,
            self.words,
            self.notes,
            self.fingerprint,
            self.section_count,
            self.safety_count,
        ]
        return [*head, 1] if self.pending else head

    @classmethod
    def from_head(cls, head: list, outline: tuple[bytes, int, int]) -> ArticleEntry:
        (
            id_,
            title,
            path,
            source_format,
            topics,
            words,
            notes,
            fingerprint,
            section_count,
            safety_count,
        ) = head[: len(HEAD_FIELDS)]  # the order of head()
        return cls(
            id_,
            title,
            path,
            source_format,
            topics,
            words,
            notes,
            fingerprint,
            section_count,
            safety_count,
            outline=outline,
            pending=len(head) > len(HEAD_FIELDS) and bool(head[len(HEAD_FIELDS)]),
        )

    @classmethod
    def from_article(cls, article: Article, *, pending: bool = False) -> ArticleEntry:
        """The entry of a parsed article; `pending`: parsed without the safety classifier."""
        sections = []
        for section in article.sections:
            passages = [
                PassageEntry(index, list(p.categories), list(p.cues), _start(p.plain))
                for index, p in enumerate(section.paragraphs)
                if p.safety
            ]
            if section.safety and not passages:
                passages.append(
                    PassageEntry(-1, list(section.categories), [], _start(section.plain_text))
                )
            verdicts = [
                [
                    index,
                    s.start,
                    s.end,
                    s.safety,
                    s.severity,
                    list(s.categories),
                    list(s.evidence),
                    list(s.cues),
                    " ".join(s.text.split())[:SENTENCE_CHARS] if s.safety else "",
                ]
                for index, p in enumerate(section.paragraphs)
                for s in p.sentences
                if s.safety or s.evidence
            ]
            sections.append(
                SectionEntry(
                    section.anchor,
                    section.heading,
                    section.level,
                    section.kind,
                    bool(section.safety),
                    list(section.categories),
                    list(section.topics),
                    passages,
                    verdicts,
                )
            )
        return cls(
            article.id,
            article.title,
            article.path,
            article.source_format,
            list(article.topics),
            article.words,
            list(article.notes),
            content_fingerprint(article),
            len(sections),
            sum(1 for s in sections if s.safety),
            sections,
            pending=pending,
        )

    def to_json(self) -> dict:
        """All of it as plain data (for comparisons and debugging)."""
        head = dict(zip(HEAD_FIELDS, self.head()))
        return {**head, "pending": self.pending, "sections": [asdict(s) for s in self.sections]}

    def __repr__(self) -> str:
        return f"ArticleEntry({self.id!r}, {self.title!r})"


def annotate_from_entry(article: Article, entry: ArticleEntry) -> bool:
    """Give a freshly parsed article the topics and safety marks its entry recorded, instead of
    running the classifiers again (building them costs more than parsing a few articles).

    True only if the result is exactly what the classifiers would give: the article must have
    the entry's sections and, once annotated, the entry's content fingerprint. On False the
    article may be half-annotated and must be parsed again. A pending entry holds no verdicts
    to give (False: the article is classified now)."""
    if entry.pending:
        return False
    if [s.anchor for s in article.sections] != [s.anchor for s in entry.sections]:
        return False
    article.topics = list(entry.topics)
    for section, recorded in zip(article.sections, entry.sections):
        section.topics = list(recorded.topics)
        spans = [{span: None for span in split_sentences(p.plain)} for p in section.paragraphs]
        for (
            index,
            start,
            end,
            safety,
            severity,
            categories,
            evidence,
            cues,
            _text,
        ) in recorded.sentences:
            if index >= len(spans) or (start, end) not in spans[index]:
                return False
            spans[index][(start, end)] = (
                safety,
                severity,
                tuple(categories),
                tuple(evidence),
                tuple(cues),
            )
        for paragraph, verdicts in zip(section.paragraphs, spans):
            plain = paragraph.plain
            paragraph.sentences = [
                Sentence(a, b, plain[a:b], *verdict) if verdict else Sentence(a, b, plain[a:b])
                for (a, b), verdict in verdicts.items()
            ]
            derive_paragraph(paragraph)
        derive_section(section)
    return content_fingerprint(article) == entry.fingerprint


def catalogue_entry(article: Article | ArticleEntry) -> ArticleEntry:
    """The entry of an article (an entry is returned as it is)."""
    return article if isinstance(article, ArticleEntry) else ArticleEntry.from_article(article)


def content_fingerprint(article: Article) -> str:
    """A hash of everything the model holds for an article: text, headings, flags, topics."""
    digest = hashlib.blake2b(digest_size=16)
    parts = [article.id, article.path, article.title, article.source_format, *article.topics]
    for section in article.sections:
        parts += [
            "\x1e",
            section.anchor,
            section.heading,
            str(section.level),
            section.kind,
            "1" if section.safety else "0",
            ",".join(section.categories),
            ",".join(section.topics),
        ]
        for paragraph in section.paragraphs:
            parts += [
                paragraph.text,
                paragraph.plain,
                "1" if paragraph.safety else "0",
                ",".join(paragraph.categories),
                ",".join(paragraph.cues),
            ]
            for s in paragraph.sentences:
                parts += [
                    f"{s.start}:{s.end}:{int(s.safety)}:{s.severity}",
                    ",".join(s.categories),
                    "\x1f".join(s.evidence),
                    "\x1f".join(s.cues),
                ]
    # Each part is prefixed with its length, so no text can imitate a boundary.
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
    return digest.hexdigest()


def _start(text: str) -> str:
    return " ".join(text.split())[:PASSAGE_CHARS]
