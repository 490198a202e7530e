"""What a search returns: ranked section hits, and the update statistics of the index.

`SearchResult.to_json()` is the `search --json` shape of ARCHITECTURE.md (more keys are allowed
there; the listed ones stay).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    """One matching section."""

    article: str  # article id
    title: str  # article title
    section: str  # section heading
    anchor: str  # section anchor (stable slug) within the article
    kind: str  # summary / intro / section / conclusion
    score: float
    snippet: str  # ~30 words, HTML-escaped, matched words in <b>...</b>
    safety: bool  # whether the section is a safety section
    categories: list[str] = field(default_factory=list)
    # The words of this section that matched (lower-cased, as written), for highlighting; a
    # matched phrase is one entry, its words separated by spaces.
    terms: list[str] = field(default_factory=list)
    # The snippet as structure: (text, matched) spans in reading order (`snippet` is their HTML).
    spans: list[tuple[str, bool]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "title": self.title,
            "section": self.section,
            "anchor": self.anchor,
            "kind": self.kind,
            "score": self.score,
            "snippet": self.snippet,
            "safety": self.safety,
            "categories": list(self.categories),
            "terms": list(self.terms),
            "spans": [{"text": text, "match": matched} for text, matched in self.spans],
        }


@dataclass
class SearchResult:
    """Hits for one query. `corrected` is set when the hits are for a spelling-corrected query."""

    query: str
    corrected: str | None = None
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    # Readable remarks about how the query was read (shortened, nothing searchable, ...).
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "corrected": self.corrected,
            "total": self.total,
            "hits": [hit.to_json() for hit in self.hits],
            "notes": list(self.notes),
        }


@dataclass
class UpdateStats:
    """What `SearchIndex.ensure_current` or `rebuild` did."""

    articles: int = 0  # articles in the index afterwards
    sections: int = 0  # sections (documents) in the index afterwards
    added: int = 0
    changed: int = 0
    removed: int = 0
    rebuilt: bool = False
    reason: str = ""  # why it was rebuilt, or why it was left as it was
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        return self.rebuilt or bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        if self.rebuilt:
            what = f"rebuilt ({self.reason})" if self.reason else "rebuilt"
        elif self.touched:
            what = f"updated: {self.added} added, {self.changed} changed, {self.removed} removed"
        else:
            what = "up to date" + (f" ({self.reason})" if self.reason else "")
        return (
            f"Index {what}: {self.articles} articles, {self.sections} sections, "
            f"{self.seconds:.2f} s"
        )
