"""Highlights and notes for an export, and export of a selection only (no Qt).

The seam between the reading tools and the export writers: `ExportOptions` carries the
article's highlights (`ExportNote`s, placed in the article's text by `notes_for_export`) or a
selection. The highlights go into `build_blocks`, which makes them marks on the blocks they
cover and a notes block before the footer (viewer/render/highlights), so every writer draws
them from the blocks as it draws caution marks; nothing looks for them in a writer's output.
A selection narrows the article before any writer sees it (`prepare`, viewer/render/excerpt).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.annotations.anchoring import anchor, article_text
from viewer.render.highlights import ExportNote

__all__ = ["ExportNote", "ExportOptions", "notes_for_export", "prepare"]


@dataclass(frozen=True)
class ExportOptions:
    """What an export adds to or takes from the article: highlights and notes (empty: none),
    and a selection (offsets in article_text; None: the whole article, see viewer/render/excerpt)."""

    annotations: tuple[ExportNote, ...] = field(default_factory=tuple)
    selection: tuple[int, int] | None = None

    @property
    def active(self) -> bool:
        return bool(self.annotations)


def prepare(article, options: ExportOptions | None):
    """The article a writer is given: the whole one, or only the selection."""
    if options is None or options.selection is None:
        return article
    from viewer.render.excerpt import select_article

    return select_article(article, *options.selection)


def highlights_of(options: ExportOptions | None) -> tuple[ExportNote, ...]:
    """The highlights an export draws (none for a selection: its offsets are the whole
    article's)."""
    if options is None or options.selection is not None:
        return ()
    return options.annotations


def notes_for_export(article, annotations) -> tuple[ExportNote, ...]:
    """The article's highlights placed in its current text, in reading order (orphans last)."""
    text = article_text(article)
    headings = {s.anchor: s.heading for s in article.sections}
    placed, orphans = [], []
    for item in annotations:
        if item.is_bookmark or item.article_id != article.id:
            continue
        where = anchor(text, item.quote)
        section = headings.get(item.section, "")
        if where is None:
            orphans.append(ExportNote("", item.colour, item.note, item.quote.exact, section))
            continue
        passage = text[where.start : where.end]
        placed.append(
            ExportNote(
                passage, item.colour, item.note, item.quote.exact, section, where.start, where.end
            )
        )
    placed.sort(key=lambda note: note.start)
    return tuple(placed) + tuple(orphans)
