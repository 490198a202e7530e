"""Turning the article model into index documents: pure functions, no index access.

`section_document` is the one place that decides what a section looks like to the index, and
`article_digest` fingerprints exactly that content, so an update re-indexes an article when
anything the index holds would change: its file, but also the loader's or a classifier's output.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from viewer.core.catalogue import ArticleEntry, content_fingerprint
from viewer.core.model import Article, Section
from viewer.search.schema import HEADING_REPEAT, SCHEMA_VERSION

# Separates values inside the digested text; cannot occur in decoded article text.
_SEP = "\x1f"


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


def article_digest(article: Article | ArticleEntry) -> str:
    """A hash of everything the index stores for the article (text, headings, flags, topics).

    Built on the model's content fingerprint, which the library's catalogue entries carry: an
    update compares digests without parsing any article (catalogue.content_fingerprint)."""
    fingerprint = article.fingerprint if isinstance(article, ArticleEntry) else content_fingerprint(article)
    return hashlib.blake2b(f"{SCHEMA_VERSION}{_SEP}{fingerprint}".encode("ascii"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileState:
    """What the manifest remembers about one indexed article file."""

    article: str
    size: int
    mtime_ns: int
    digest: str
    sections: int

    def to_json(self) -> dict:
        return {"article": self.article, "size": self.size, "mtime_ns": self.mtime_ns,
                "digest": self.digest, "sections": self.sections}

    @classmethod
    def from_json(cls, data: dict) -> FileState:
        return cls(str(data["article"]), int(data["size"]), int(data["mtime_ns"]),
                   str(data["digest"]), int(data["sections"]))


def file_state(root: Path, article: Article | ArticleEntry) -> FileState:
    """The article's current state: file size and mtime (0 if unreadable) plus content digest."""
    try:
        stat = (Path(root) / article.path).stat()
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
    except OSError:
        size, mtime_ns = 0, 0
    return FileState(article.id, size, mtime_ns, article_digest(article), len(article.sections))
