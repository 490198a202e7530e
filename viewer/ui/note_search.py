"""The Search panel's "Notes" scope: the reader's notes and highlights whose note or quote
holds every word of the query (the annotation store's LIKE query, not the Whoosh index).

Rows are drawn by the same delegate as section hits (a heading over a snippet), grouped under
their article; the snippet is the quote and the note with the query's words in bold, escaped
first, so nothing a reader or an article wrote becomes markup. Activating a row opens the
article at the highlight.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from viewer.render.markup import escape_html
from viewer.ui.hit_delegate import HIT_ROLE
from viewer.ui.plain_text import tooltip_text

if TYPE_CHECKING:
    from viewer.core.annotations.store import AnnotationStore
    from viewer.core.library import Library

NOTE_HIT_ROLE = Qt.ItemDataRole.UserRole + 7  # on a row: the id of the highlight it shows
SNIPPET_CHARS = 160
NOTE_GLYPH = "\u270e"


@dataclass(frozen=True)
class NoteHit:
    """One highlight (with or without a note) that matches the query."""

    annotation_id: str
    article_id: str
    title: str
    section: str  # heading of the section it lies in ('' when unknown)
    quote: str
    note: str
    colour: str


def note_hits(
    library: Library | None, store: AnnotationStore, query: str, limit: int
) -> list[NoteHit]:
    """Highlights (not bookmarks) whose note or quote holds every word of `query`."""
    hits = []
    for a in store.search(text=query, limit=limit):
        if a.is_bookmark:
            continue
        title, section = a.article_id, ""
        if library is not None and a.article_id in library:
            entry = library.entry(a.article_id)
            title = entry.title
            section = next((s.heading for s in entry.sections if s.anchor == a.section), "")
        hits.append(NoteHit(a.id, a.article_id, title, section, a.quote.exact, a.note, a.colour))
    return hits


NoteSource = Callable[[str], list[NoteHit]]  # query -> matching highlights, newest first


def marked(text: str, words: list[str], limit: int = SNIPPET_CHARS) -> str:
    """`text` on one line, cut to about `limit` characters around the first matched word, as
    escaped HTML with each matched word in bold (case-insensitive, as the store matches)."""
    text = " ".join(text.split())
    lowered, first = text.lower(), len(text)
    for word in words:
        at = lowered.find(word.lower())
        if 0 <= at < first:
            first = at
    start = max(0, first - limit // 3) if first < len(text) and len(text) > limit else 0
    shown = text[start : start + limit]
    lead, tail = ("…" if start else ""), ("…" if start + limit < len(text) else "")
    if not words:
        return escape_html(lead + shown + tail)
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE
    )
    pieces, at = [], 0
    for match in pattern.finditer(shown):
        pieces.append(escape_html(shown[at : match.start()]))
        pieces.append(f"<b>{escape_html(match.group())}</b>")
        at = match.end()
    pieces.append(escape_html(shown[at:]))
    return escape_html(lead) + "".join(pieces) + escape_html(tail)


def fill(model: QStandardItemModel, hits: list[NoteHit], query: str) -> int:
    """Put the hits in the panel's model under one row per article; returns how many articles."""
    words = query.split()
    groups: dict[str, list[NoteHit]] = {}
    for hit in hits:
        groups.setdefault(hit.article_id, []).append(hit)
    model.clear()
    for article_id, listed in groups.items():
        title = QStandardItem(f"{listed[0].title}  ({len(listed)})")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setData(article_id, Qt.ItemDataRole.UserRole)
        title.setToolTip(tooltip_text(listed[0].title))
        for hit in listed:
            heading = f"{hit.colour.capitalize()} highlight" + (
                f" · {hit.section}" if hit.section else ""
            )
            snippet = "“" + marked(hit.quote, words) + "”"
            if hit.note.strip():
                snippet += f"<br>{NOTE_GLYPH} " + marked(hit.note, words)
            row = QStandardItem(heading)
            row.setData(SimpleNamespace(section=heading, safety=False, snippet=snippet), HIT_ROLE)
            row.setData(hit.annotation_id, NOTE_HIT_ROLE)
            spoken = f"{heading}: {' '.join(hit.quote.split())}"
            if hit.note.strip():
                spoken += f". Note: {' '.join(hit.note.split())}"
            row.setData(spoken, Qt.ItemDataRole.AccessibleTextRole)
            row.setToolTip(
                tooltip_text(f"“{hit.quote}”" + (f"\nNote: {hit.note}" if hit.note.strip() else ""))
            )
            title.appendRow(row)
        model.appendRow(title)
    return len(groups)


def summary(query: str, count: int, articles: int, more: bool) -> str:
    """The status line for the Notes scope (plain text; the label shows it as text)."""
    query = query.strip()
    if count == 0:
        return f"No note or highlight holds “{query}”."
    noun = "note or highlight holds" if count == 1 else "notes and highlights hold"
    where = f"{articles} article{'s' if articles != 1 else ''}"
    line = f"{count} {noun} “{query}”, in {where}"
    return line + (f" (showing the newest {count})." if more else ".")
