"""The library catalogue: what the tree, the lists and the Safety overview need of every article,
without its text, cached per corpus so that a large collection is not parsed at start-up.

An `ArticleEntry` carries the same attribute names as `Article` for its outline (id, title,
topics, path, words, notes, sections with anchor/heading/level/kind/safety/categories/topics,
safety_sections), so code that only shows the outline takes either. Each safety passage keeps
its paragraph index, categories, cues and the start of its text, which is all the overview
shows.

The cache file (`catalogue.json` in the corpus's cache folder) remembers, per file, its size and
modification time with the entry or the reason it could not be read. It is a cache, never the
source of truth: a version that covers this code and the cue files (topics.toml, safety.toml)
invalidates it when either changes, and an unreadable or foreign file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from viewer.core.atomic import write_text_atomically
from viewer.core.errors import ViewerError
from viewer.core.model import Article
from viewer.core.resources import resource_path

log = logging.getLogger(__name__)

# Bump when the entries' shape or meaning changes in a way the source hash below cannot see.
CATALOGUE_VERSION = 1
CATALOGUE_NAME = "catalogue.json"
# Passage text kept in the catalogue: more than any one-line listing shows (160 characters) and
# than the twelve words the reader searches for to reveal a passage.
PASSAGE_CHARS = 240
# The code whose output the catalogue stores: a change to any of them makes entries stale.
_SOURCES = ("catalogue.py", "cues.py", "decode.py", "frontmatter.py", "md_loader.py", "model.py",
            "plaintext.py", "safety.py", "slug.py", "topics.py", "txt_loader.py")
_CUE_FILES = ("topics.toml", "safety.toml")


@dataclass(slots=True)
class PassageEntry:
    """A safety passage: a flagged paragraph (index >= 0), or a whole safety section (-1)."""

    paragraph: int
    categories: list[str]
    cues: list[str]
    text: str  # the start of the passage's plain text, whitespace collapsed


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


@dataclass(slots=True)
class ArticleEntry:
    """An article's outline, as the catalogue keeps it."""

    id: str
    title: str
    path: str
    source_format: str
    topics: list[str]
    words: int
    notes: list[str]
    sections: list[SectionEntry]
    fingerprint: str  # content_fingerprint of the full article: changes when anything in it does

    @property
    def safety_sections(self) -> list[SectionEntry]:
        return [s for s in self.sections if s.safety]

    def section(self, anchor: str) -> SectionEntry | None:
        return next((s for s in self.sections if s.anchor == anchor), None)

    @classmethod
    def from_article(cls, article: Article) -> ArticleEntry:
        sections = []
        for section in article.sections:
            passages = [PassageEntry(index, list(p.categories), list(p.cues), _start(p.plain))
                        for index, p in enumerate(section.paragraphs) if p.safety]
            if section.safety and not passages:
                passages.append(PassageEntry(-1, list(section.categories), [], _start(section.plain_text)))
            sections.append(SectionEntry(section.anchor, section.heading, section.level, section.kind,
                                         bool(section.safety), list(section.categories),
                                         list(section.topics), passages))
        return cls(article.id, article.title, article.path, article.source_format, list(article.topics),
                   article.words, list(article.notes), sections, content_fingerprint(article))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ArticleEntry:
        sections = [SectionEntry(**{**s, "passages": [PassageEntry(**p) for p in s["passages"]]})
                    for s in data["sections"]]
        return cls(**{**data, "sections": sections})


def annotate_from_entry(article: Article, entry: ArticleEntry) -> bool:
    """Give a freshly parsed article the topics and safety marks its entry recorded, instead of
    running the classifiers again (building them costs more than parsing a few articles).

    True only if the result is exactly what the classifiers would give: the article must have
    the entry's sections and, once annotated, the entry's content fingerprint. On False the
    article may be half-annotated and must be parsed again."""
    if [s.anchor for s in article.sections] != [s.anchor for s in entry.sections]:
        return False
    article.topics = list(entry.topics)
    for section, recorded in zip(article.sections, entry.sections):
        section.safety, section.categories = recorded.safety, list(recorded.categories)
        section.topics = list(recorded.topics)
        for passage in recorded.passages:
            if passage.paragraph >= len(section.paragraphs):
                return False
            if passage.paragraph >= 0:
                paragraph = section.paragraphs[passage.paragraph]
                paragraph.safety = True
                paragraph.categories, paragraph.cues = list(passage.categories), list(passage.cues)
    return content_fingerprint(article) == entry.fingerprint


def catalogue_entry(article: Article | ArticleEntry) -> ArticleEntry:
    """The entry of an article (an entry is returned as it is)."""
    return article if isinstance(article, ArticleEntry) else ArticleEntry.from_article(article)


def content_fingerprint(article: Article) -> str:
    """A hash of everything the model holds for an article: text, headings, flags, topics."""
    digest = hashlib.blake2b(digest_size=16)
    parts = [article.id, article.path, article.title, article.source_format, *article.topics]
    for section in article.sections:
        parts += ["\x1e", section.anchor, section.heading, str(section.level), section.kind,
                  "1" if section.safety else "0", ",".join(section.categories), ",".join(section.topics)]
        for paragraph in section.paragraphs:
            parts += [paragraph.text, paragraph.plain, "1" if paragraph.safety else "0",
                      ",".join(paragraph.categories)]
    # Each part is prefixed with its length, so no text can imitate a boundary.
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
    return digest.hexdigest()


def _start(text: str) -> str:
    return " ".join(text.split())[:PASSAGE_CHARS]


@dataclass(frozen=True, slots=True)
class FileRecord:
    """What the catalogue remembers about one file: its stat, and its entry or why it failed."""

    size: int
    mtime_ns: int
    entry: ArticleEntry | None = None
    error: str = ""

    def fresh(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


def catalogue_version() -> str:
    """This code's catalogue version: the format number plus a hash of the parsing code and the
    cue files, so that editing a cue (or the classifier) re-reads every article once."""
    digest = hashlib.blake2b(digest_size=12)
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        digest.update(_read(here / name))
    for name in _CUE_FILES:
        digest.update(_read(resource_path(name)))
    return f"{CATALOGUE_VERSION}-{digest.hexdigest()}"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"missing:" + str(path).encode("utf-8", "surrogatepass")


class CatalogueFile:
    """Reads and writes one corpus's catalogue in its cache folder."""

    def __init__(self, cache_dir: Path, version: str | None = None) -> None:
        self.path = Path(cache_dir) / CATALOGUE_NAME
        self.version = version or catalogue_version()

    def read(self) -> dict[str, FileRecord]:
        """Records by relative path; empty when missing, of another version, or unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != self.version:
                return {}
            records = {}
            for rel, item in data["files"].items():
                entry = ArticleEntry.from_json(item["entry"]) if item.get("entry") else None
                records[rel] = FileRecord(int(item["size"]), int(item["mtime_ns"]), entry,
                                          str(item.get("error", "")))
            return records
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # A half-written or foreign file is a cache miss: the library is read afresh.
            log.info("catalogue %s unreadable (%s); rebuilding it", self.path, exc)
            return {}

    def write(self, records: dict[str, FileRecord]) -> None:
        """Replace the file atomically; a cache that cannot be written is only logged."""
        files = {}
        for rel, record in records.items():
            item: dict = {"size": record.size, "mtime_ns": record.mtime_ns}
            if record.entry is not None:
                item["entry"] = record.entry.to_json()
            else:
                item["error"] = record.error
            files[rel] = item
        text = json.dumps({"version": self.version, "files": files}, ensure_ascii=False,
                          separators=(",", ":"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(self.path, text)
        except (OSError, ViewerError) as exc:
            log.warning("cannot write the catalogue %s: %s", self.path, exc)
