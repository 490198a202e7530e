"""Every warning of a library grouped by category and severity, as plain Python (no Qt).

Feeds the Safety overview dock. With the classifier's sentence verdicts, each warning sentence
is one entry, under each of its categories and its severity (warning, caution, advice); a
flagged paragraph without verdicts is one entry as a whole, and a safety section with no
flagged paragraph still appears once, as a whole section, so that no warning the classifier
found is left out of the overview.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from viewer.core.catalogue import ArticleEntry, catalogue_entry
from viewer.core.model import Article
from viewer.core.safety_categories import (
    CATEGORY_LABELS,
    SEVERITIES,
    SEVERITY_LABELS,
    category_label,
)

# Passages whose classifier gave no category still need a home.
UNCATEGORISED = "uncategorised"
# Passages without a sentence verdict (a whole paragraph or section) have no severity.
NO_SEVERITY = ""
NO_SEVERITY_LABEL = "Passages"
EXCERPT_CHARS = 160
PassageCounts = dict[tuple[str, str], int]  # (category, severity) -> entries of one article


@dataclass(frozen=True)
class Passage:
    """One entry: a warning sentence, or a whole passage (a paragraph, or a section when
    `paragraph` is -1). Where it is (article, section anchor, paragraph index) and its text."""

    article_id: str
    article_title: str
    anchor: str
    heading: str
    paragraph: int  # -1 for a whole section
    text: str  # the sentence, or the start of the passage (catalogue.PASSAGE_CHARS)
    cues: tuple[str, ...] = ()
    severity: str = NO_SEVERITY  # set for a sentence
    evidence: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    start: int = -1  # a sentence's offset in its paragraph's readable text (keys its notes)

    @property
    def excerpt(self) -> str:
        return excerpt(self.text)

    @property
    def is_sentence(self) -> bool:
        return bool(self.severity)


@dataclass
class CategoryGroup:
    category: str
    label: str
    passages: list[Passage]

    def by_severity(self) -> list[tuple[str, list[Passage]]]:
        """(severity, passages) strongest first; whole passages without one come last."""
        order = list(SEVERITIES) + [NO_SEVERITY]
        found = {
            severity: [p for p in self.passages if p.severity == severity] for severity in order
        }
        return [(severity, passages) for severity, passages in found.items() if passages]

    @property
    def article_count(self) -> int:
        return len({p.article_id for p in self.passages})


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, NO_SEVERITY_LABEL)


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
    """Category -> entries (in reading order, article by article); known categories first.

    Takes the library's entries (what the catalogue keeps of each passage is all this needs),
    or full articles."""
    by_category: dict[str, list[Passage]] = {}
    for article in articles:
        entry = catalogue_entry(article)
        for section in entry.sections:
            warnings = _warning_records(section)
            for found in section.passages:
                # A flagged paragraph without categories takes its section's (whole sections
                # carry the section's own).
                fallback = found.categories or section.categories or [UNCATEGORISED]
                sentences = warnings.get(found.paragraph, []) if found.paragraph >= 0 else []
                if not sentences:
                    passage = Passage(
                        entry.id,
                        entry.title,
                        section.anchor,
                        section.heading,
                        found.paragraph,
                        found.text,
                        tuple(found.cues),
                        categories=tuple(fallback),
                    )
                    for category in fallback:
                        by_category.setdefault(category, []).append(passage)
                for severity, written, evidence, cues, text, start in sentences:
                    categories = tuple(written) or tuple(fallback)
                    passage = Passage(
                        entry.id,
                        entry.title,
                        section.anchor,
                        section.heading,
                        found.paragraph,
                        text,
                        tuple(cues),
                        severity,
                        tuple(evidence),
                        categories,
                        start,
                    )
                    for category in categories:
                        by_category.setdefault(category, []).append(passage)
    return [
        CategoryGroup(category, category_title(category), passages)
        for category, passages in sorted(
            by_category.items(), key=lambda item: _category_order(item[0])
        )
    ]


def category_title(category: str) -> str:
    return "Other safety passages" if category == UNCATEGORISED else category_label(category)


def passage_counts(entry: ArticleEntry) -> PassageCounts:
    """(category, severity) -> how many entries group_passages makes of this article there,
    without making them: the Safety panel counts every article's warnings, but makes the
    rows of an article only when it is opened (at 10,000 articles, making all took a second).
    Each step follows group_passages (tests/test_safety_rows.py holds them equal)."""
    counts: PassageCounts = {}
    for section in entry.sections:
        if not section.passages:
            continue  # (its sentences are listed under a passage only)
        warnings: dict[int, list[tuple[str, list[str]]]] = {}
        for record in section.sentences:  # as _warning_records, by index: this runs per batch
            if record[3] and record[8]:
                severity = record[4] if record[4] in SEVERITIES else "caution"
                warnings.setdefault(record[0], []).append((severity, record[5]))
        for found in section.passages:
            fallback = found.categories or section.categories or [UNCATEGORISED]
            sentences = warnings.get(found.paragraph, []) if found.paragraph >= 0 else []
            if not sentences:
                for category in fallback:
                    counts[(category, NO_SEVERITY)] = counts.get((category, NO_SEVERITY), 0) + 1
            for severity, categories in sentences:
                for category in categories or fallback:
                    counts[(category, severity)] = counts.get((category, severity), 0) + 1
    return counts


def _warning_records(section) -> dict[int, list[tuple]]:
    """Paragraph index -> its warning sentences as (severity, categories, evidence, cues, text, start),
    in reading order, from the verdicts the catalogue keeps (catalogue.SectionEntry.sentences)."""
    found: dict[int, list[tuple]] = {}
    for index, start, _end, safety, written, categories, evidence, cues, text in sorted(
        section.sentences, key=lambda record: (record[0], record[1])
    ):
        if safety and text:
            severity = written if written in SEVERITIES else "caution"
            found.setdefault(index, []).append((severity, categories, evidence, cues, text, start))
    return found


def safety_tooltip(categories: Iterable[str]) -> str:
    """'Safety: Side effects, Dosage caution' for a marker's tooltip."""
    labels = [category_label(c) for c in categories]
    return "Safety: " + ", ".join(labels) if labels else "Safety section"
