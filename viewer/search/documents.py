"""Turning the article model into index documents: pure functions, no index access.

`section_document` is the one place that decides what a section looks like to the index;
`FileState` is what the index's manifest remembers of each article to update incrementally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer.search.schema import HEADING_REPEAT

if TYPE_CHECKING:  # a cold search reads FileState from the manifest and parses no article
    from viewer.core.model import Article, Section


def section_key(article_id: str, anchor: str) -> str:
    return f"{article_id}#{anchor}"


def section_document(article: Article, section: Section, order: int) -> dict:
    """The index document of one section (field meanings are in schema.build_schema)."""
    text = section.plain_text
    own_topics = list(section.topics)
    # A section's own topics are listed twice so that `topic:` ranks them above sections that
    # only inherit the topic from their article.
    topics = own_topics + own_topics + [t for t in article.topics if t not in own_topics]
    return {
        "key": section_key(article.id, section.anchor),
        "article": article.id,
        "path": article.path,
        "title": article.title,
        "heading": section.heading,
        "anchor": section.anchor,
        "kind": section.kind,
        "topics": " | ".join(topics),
        "safety": bool(section.safety),
        "categories": ",".join(section.categories),
        # Indexed: title, heading, text (schema.DEFAULT_FIELD); stored: only the text.
        "body": [article.title] + [section.heading] * HEADING_REPEAT + [text],
        "_stored_body": text,
        "order": order,
    }


def article_documents(article: Article) -> list[dict]:
    return [section_document(article, section, n) for n, section in enumerate(article.sections)]


@dataclass(frozen=True)
class FileState:
    """What the manifest remembers about one indexed article file (keyed by its path).

    `fingerprint` is the catalogue's content fingerprint of the whole loaded article (text,
    headings, topics, safety marks): the library re-reads a file whose size or mtime changed,
    and the index re-indexes an article whose fingerprint changed, so an edit, a loader change or
    a classifier change all reach the index, and a touched but unchanged file costs nothing.
    """

    article: str
    fingerprint: str
    sections: int

    def to_json(self) -> dict:
        return {"article": self.article, "fingerprint": self.fingerprint, "sections": self.sections}

    @classmethod
    def from_json(cls, data: dict) -> FileState:
        return cls(str(data["article"]), str(data["fingerprint"]), int(data["sections"]))


def entry_state(entry) -> FileState:
    """The state of a library entry (catalogue.ArticleEntry: id, fingerprint, section count;
    its sections themselves stay unparsed)."""
    return FileState(entry.id, entry.fingerprint, entry.section_count)


def article_state(article: Article) -> FileState:
    # Imported here: the catalogue brings the parsers and the safety classifier, which a cold
    # search (it only reads FileState back) has no use for.
    from viewer.core.catalogue import content_fingerprint

    return FileState(article.id, content_fingerprint(article), len(article.sections))
