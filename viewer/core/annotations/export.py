"""Annotations out: Markdown for people, W3C Web Annotation JSON-LD for programs.

The JSON is an `AnnotationCollection` (https://www.w3.org/TR/annotation-model/) whose items
carry a TextQuoteSelector and a TextPositionSelector; what the W3C model has no term for
(article id, section, colour, whether the highlight still finds its place) sits in one
`articleViewer` object per item. The shape is written down as a JSON Schema in
`docs/annotations.schema.json` (tests validate every export against it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from viewer import APP_NAME, __version__
from viewer.core.annotations.anchoring import Anchored
from viewer.core.annotations.model import COLOURS, Annotation
from viewer.core.atomic import atomic_path
from viewer.core.plaintext import escape_markdown

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FORMATS = ("md", "json")


@dataclass(frozen=True)
class Placed:
    """An annotation with where it lies now (None: orphaned) and its article's title and file."""

    annotation: Annotation
    anchored: Anchored | None
    title: str = ""
    path: str = ""
    section_heading: str = ""
    safety: tuple[str, ...] = ()  # categories of the warning sentences the quote covers

    @property
    def orphaned(self) -> bool:
        return self.anchored is None and not self.annotation.is_bookmark

    @property
    def status(self) -> str:
        if self.annotation.is_bookmark:
            return "bookmark"
        if self.anchored is None:
            return "orphaned"
        return "anchored" if self.anchored.exact else "re-anchored"


def iso(timestamp: float) -> str:
    return (
        datetime.fromtimestamp(timestamp, timezone.utc)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z")
    )


def _source_uri(path: str) -> str:
    try:
        return Path(path).resolve().as_uri()
    except ValueError:  # a relative path that cannot become a URI
        return path


def annotation_json(placed: Placed) -> dict:
    """One W3C Annotation: body (the note), target (source file and selectors), our extras."""
    a, now_at = placed.annotation, placed.anchored
    selectors: list[dict] = []
    if a.quote.exact:
        selectors.append(
            {
                "type": "TextQuoteSelector",
                "exact": a.quote.exact,
                "prefix": a.quote.prefix,
                "suffix": a.quote.suffix,
            }
        )
        start, end = (now_at.start, now_at.end) if now_at else (a.quote.start, a.quote.end)
        if start >= 0:
            selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    if a.section:
        selectors.append({"type": "FragmentSelector", "value": a.section})
    item = {
        "id": f"urn:uuid:{a.id[:8]}-{a.id[8:12]}-{a.id[12:16]}-{a.id[16:20]}-{a.id[20:32]}",
        "type": "Annotation",
        "motivation": a.motivation,
        "created": iso(a.created),
        "modified": iso(a.modified),
        "target": {
            "source": _source_uri(placed.path) if placed.path else a.article_id,
            "selector": selectors,
        },
        "articleViewer": {
            "article": a.article_id,
            "title": placed.title,
            "section": a.section,
            "colour": a.colour,
            "status": placed.status,
            "safety": list(placed.safety),
        },
    }
    if a.note.strip():
        item["body"] = {
            "type": "TextualBody",
            "value": a.note,
            "format": "text/plain",
            "purpose": "commenting",
        }
    return item


def collection_json(items: list[Placed], label: str) -> dict:
    return {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "generator": {"type": "Software", "name": APP_NAME, "version": __version__},
        "generated": iso(datetime.now(timezone.utc).timestamp()),
        "items": [annotation_json(p) for p in items],
    }


def _quote_block(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines()) or ">"


def collection_markdown(items: list[Placed], label: str) -> str:
    """Grouped by article, in reading order: each quote as a block quote, then its note."""
    out = [f"# {label}", ""]
    article = None
    for placed in items:
        a = placed.annotation
        if a.article_id != article:
            article = a.article_id
            out += [
                f"## {escape_markdown(placed.title or a.article_id)}",
                "",
                f"Source: `{placed.path or a.article_id}`",
                "",
            ]
        where = (
            f" · section “{escape_markdown(placed.section_heading)}”"
            if placed.section_heading
            else ""
        )
        if a.is_bookmark:
            out += [f"- Bookmark{where} ({iso(a.created)})", ""]
            continue
        state = (
            " · **orphaned**: this passage is no longer in the article" if placed.orphaned else ""
        )
        if placed.safety:
            state += " · on a safety passage: " + ", ".join(placed.safety)
        out += [
            _quote_block(escape_markdown(a.quote.exact)),
            "",
            f"*{a.colour} highlight ({COLOURS.get(a.colour, 'marked')}){where} · {iso(a.modified)}*{state}",
            "",
        ]
        if a.note.strip():
            out += ["Note: " + escape_markdown(a.note.strip()).replace("\n", "\n  "), ""]
    if not items:
        out += ["No annotations.", ""]
    return "\n".join(out)


def write_export(items: list[Placed], fmt: str, path: Path, label: str) -> Path:
    """Write Markdown or JSON atomically (the file appears only when complete)."""
    if fmt == "json":
        data = json.dumps(collection_json(items, label), ensure_ascii=False, indent=2) + "\n"
    else:
        data = collection_markdown(items, label)
    with atomic_path(path) as temp:
        temp.write_text(data, encoding="utf-8")
    return Path(path)
