"""What the Annotations panel lists, as data: the filter it asks with and the rows it gets.

Kept apart from the panel's widgets (annotations_panel.py) so that the reading tools, which
answer the panel's questions and the Search panel's Notes scope, need not load the panel: it
is made the first time its dock is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer.core.annotations.model import Annotation
from viewer.ui.reading_progress import progress_text

if TYPE_CHECKING:
    from viewer.core.annotations.store import AnnotationStore
    from viewer.core.library import Library

ON_SAFETY = "on-safety"  # the kind filter for highlights and notes on safety passages
READING_LIST = "reading-list"  # the kind filter that lists articles with their progress instead
ARTICLE_ROW = "article:"  # id prefix of a reading-list row (the rest is the article id)
ROW_LIMIT = 300  # rows shown at once (word-wrapped rows cost layout); the filter narrows the rest


@dataclass(frozen=True)
class Row:
    annotation: Annotation
    title: str
    status: str  # "anchored", "re-anchored", "orphaned", "bookmark" or "" (not checked yet)
    section: str = ""
    safety: tuple[str, ...] = ()  # categories of the safety passage the quote lies on


@dataclass(frozen=True)
class Filter:
    article_id: str = ""
    colour: str = ""
    motivation: str = ""
    text: str = ""


def reading_row(article_id: str, title: str, progress: str) -> Row:
    """A reading-list row: the article and how far it was read."""
    return Row(
        Annotation(article_id, motivation=READING_LIST, id=ARTICLE_ROW + article_id),
        title,
        progress,
    )


def reading_list(library: Library | None, store: AnnotationStore, wanted: Filter) -> list[Row]:
    """Every article with how far it was read: unfinished first, then unread, then read."""
    if library is None:
        return []
    states, rows = store.reading_states(), []
    for entry in library.entries:
        if all(word.lower() in entry.title.lower() for word in wanted.text.split()):
            state = states.get(entry.id)
            order = 2 if state and state.read else (0 if state and state.fraction > 0 else 1)
            rows.append(
                (
                    order,
                    entry.title.lower(),
                    reading_row(entry.id, entry.title, progress_text(state, entry.words)),
                )
            )
    return [row for *_key, row in sorted(rows, key=lambda r: r[:2])]
