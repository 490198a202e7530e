"""Every safety passage of a library grouped by category, as plain Python (no Qt).

Feeds the Safety overview dock. A passage is a paragraph the safety classifier flagged; a
safety section with no flagged paragraph still appears once, as a whole section, so that no
warning the classifier found is left out of the overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from viewer.core.catalogue import ArticleEntry, catalogue_entry
from viewer.core.model import Article
from viewer.core.safety_categories import CATEGORY_LABELS, category_label

# Passages whose classifier gave no category still need a home.
UNCATEGORISED = "uncategorised"
EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Passage:
    """One safety passage: where it is (article, section anchor, paragraph index) and its text."""

    article_id: str
    article_title: str
    anchor: str
    heading: str
    paragraph: int  # -1 for a whole section
    text: str  # the start of the passage (catalogue.PASSAGE_CHARS), enough to list and find it
    cues: tuple[str, ...] = ()

    @property
    def excerpt(self) -> str:
        return excerpt(self.text)


@dataclass
class CategoryGroup:
    category: str
    label: str
    passages: list[Passage]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a passage, cut at a word boundary, for a one-line listing."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:.") + "…"


def _category_order(category: str) -> tuple[int, str]:
    known = list(CATEGORY_LABELS)
    return (known.index(category) if category in known else len(known), category)


def group_passages(articles: Iterable[Article | ArticleEntry]) -> list[CategoryGroup]:
    """Category -> passages (in reading order, article by article); known categories first.

    Takes the library's entries (what the catalogue keeps of each passage is all this needs),
    or full articles."""
    by_category: dict[str, list[Passage]] = {}
    for article in articles:
        entry = catalogue_entry(article)
        for section in entry.sections:
            for found in section.passages:
                passage = Passage(entry.id, entry.title, section.anchor, section.heading, found.paragraph,
                                  found.text, tuple(found.cues))
                # A flagged paragraph without categories takes its section's (whole sections
                # carry the section's own).
                for category in found.categories or section.categories or [UNCATEGORISED]:
                    by_category.setdefault(category, []).append(passage)
    return [
        CategoryGroup(category, "Other safety passages" if category == UNCATEGORISED else category_label(category),
                      passages)
        for category, passages in sorted(by_category.items(), key=lambda item: _category_order(item[0]))
    ]


def safety_tooltip(categories: Iterable[str]) -> str:
    """'Safety: Side effects, Dosage caution' for a marker's tooltip."""
    labels = [category_label(c) for c in categories]
    return "Safety: " + ", ".join(labels) if labels else "Safety section"
