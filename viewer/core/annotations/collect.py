"""The annotations of a corpus placed in their articles' current text (for lists and exports).

Each article is loaded once and every one of its annotations anchored over its plain text; an
article that is gone leaves its annotations orphaned, still listed with quote and note.
"""

from __future__ import annotations

from viewer.core.annotations.anchoring import anchor, article_text, safety_under
from viewer.core.annotations.export import Placed
from viewer.core.annotations.model import Annotation
from viewer.core.errors import ViewerError


def place_all(library, annotations: list[Annotation]) -> list[Placed]:
    """Annotations with their current place, title and file, grouped by article in reading order."""
    by_article: dict[str, list[Annotation]] = {}
    for item in annotations:
        by_article.setdefault(item.article_id, []).append(item)
    placed: list[Placed] = []
    for article_id, items in by_article.items():
        try:
            article = library.get(article_id)
        except (ViewerError, KeyError):
            article = None
        if article is None:
            placed += [Placed(a, None, article_id, "") for a in items]
            continue
        text = article_text(article)
        headings = {s.anchor: s.heading for s in article.sections}
        found = [(a, None if a.is_bookmark else anchor(text, a.quote)) for a in items]
        found.sort(key=lambda pair: (pair[1].start if pair[1] else 1 << 30, pair[0].created))
        placed += [
            Placed(
                a,
                where,
                article.title,
                article.path,
                headings.get(a.section, ""),
                safety_under(article, a.quote.exact) if where is not None else (),
            )
            for a, where in found
        ]
    return placed
