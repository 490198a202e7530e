"""The safety development set (tests/fixtures/safety_dev): articles with sentence labels.

One loader for everything that reads the set: the integrity tests, and the classifier's
precision/recall tests. A split folder (`tune/`, `dev/`, `holdout/`, `holdout2/` to `holdout17/`)
holds article files and `labels.toml`; `seeds.toml` labels the bundled corpus. See
tests/fixtures/safety_dev/GUIDE.md for what a label means.

    for item in load_split("tune").values():
        item.article      # the loaded Article (annotated by the default classifiers)
        item.warnings     # the labelled warning sentences
        item.locate(w.text)  # where a labelled sentence sits: (paragraph, start, end) in .plain
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from viewer.core.library import Annotator, Library
from viewer.core.model import Article, Paragraph

DEV_SET = Path(__file__).resolve().parent / "fixtures" / "safety_dev"
BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# holdout2 to holdout11 were written blind; all but holdout11 have been trained on since, like
# tune, dev and holdout (holdout7 since session 21 round 6, holdout8 since round 7, holdout9,
# evaluated twice in session 21, since session 22 round 8; holdout10, evaluated twice in session
# 22, since round 9). holdout11 was evaluated twice in session 22 (rounds 8 and 9): seen, not yet
# trained on until session 23 round 12. holdout12 was written blind in session 23 (first
# writer), evaluated twice (rounds 9 and 10) and trained on since session 23 round 11.
# holdout13 (second writer) and holdout14 (third writer) were written blind in session 23 and
# evaluated twice each (holdout13: rounds 9 and 11; holdout14: rounds 11 and 12): seen, and
# trained on since session 23 round 13.
# holdout15 (fourth writer), written blind in session 23, was evaluated twice (rounds 12 and
# 13): seen, and trained on since session 24 round 14.
# holdout16 (session 24, first writer), written blind, was evaluated twice (rounds 13 and 14) and is
# trained on since session 24 round 15.
# holdout17 (session 24, second writer), written blind, was evaluated twice (rounds 14 and 16) and
# is trained on since session 26 round 17.
SPLITS = (
    "tune",
    "dev",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
    "holdout11",
    "holdout12",
    "holdout13",
    "holdout14",
    "holdout15",
    "holdout16",
    "holdout17",
)
SEEDS_LABELS = DEV_SET / "seeds.toml"
STYLES = ("careful", "seo")


@dataclass(frozen=True)
class WarningLabel:
    text: str
    severity: str
    categories: tuple[str, ...]


@dataclass
class LabelledArticle:
    """One article of the set with its labels. Every sentence not in `warnings` is a
    non-warning; `not_warnings` only records the tricky ones."""

    article: Article
    split: str
    topic: str
    control: bool
    style: str
    warnings: list[WarningLabel] = field(default_factory=list)
    not_warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.article.id

    def locate(self, text: str) -> list[tuple[Paragraph, int, int]]:
        """Every place `text` occurs in the article, as (paragraph, start, end) offsets into
        `Paragraph.plain`; whitespace may differ (a wrapped line, a list item's newline)."""
        pattern = whitespace_pattern(text)
        return [
            (p, m.start(), m.end())
            for p in self.article.paragraphs()
            for m in pattern.finditer(p.plain)
        ]

    def warning_sections(self) -> set[str]:
        """Anchors of the sections that hold a labelled warning sentence (the guide's safety
        sections)."""
        found = set()
        for section in self.article.sections:
            plain = [p.plain for p in section.paragraphs]
            if any(
                whitespace_pattern(w.text).search(text) for w in self.warnings for text in plain
            ):
                found.add(section.anchor)
        return found

    def labelled_share(self) -> float:
        """Characters of the warning sentences over the characters of the article's paragraph
        text (whitespace normalised), the guide's labelled share."""
        total = sum(len(normalise(p.plain)) for p in self.article.paragraphs())
        warned = sum(len(normalise(w.text)) for w in self.warnings)
        return warned / total if total else 0.0


def normalise(text: str) -> str:
    """Runs of whitespace as one space, ends trimmed."""
    return " ".join(text.split())


def whitespace_pattern(text: str) -> re.Pattern:
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def split_folders() -> list[Path]:
    """The split folders present."""
    return [DEV_SET / name for name in SPLITS if (DEV_SET / name).is_dir()]


def read_labels(path: Path) -> dict[str, dict]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load_split(
    split: str, annotators: Iterable[Annotator] | None = None
) -> dict[str, LabelledArticle]:
    """The articles of one split with their labels, by article id. `annotators` as for
    Library.load (None: the default classifiers; [] to load the text only)."""
    folder = DEV_SET / split
    return _pair(
        Library.load(folder, annotators=annotators), read_labels(folder / "labels.toml"), split
    )


def load_seeds(annotators: Iterable[Annotator] | None = None) -> dict[str, LabelledArticle]:
    """The bundled corpus with the labels of seeds.toml, by article id."""
    return _pair(
        Library.load(BUNDLED_CORPUS, annotators=annotators), read_labels(SEEDS_LABELS), "seeds"
    )


def _pair(library: Library, labels: dict[str, dict], split: str) -> dict[str, LabelledArticle]:
    missing = sorted(set(labels) - {a.id for a in library.articles})
    if missing:
        raise KeyError(
            f"{split}: labels for articles that are not in the folder: {', '.join(missing)}"
        )
    paired = {}
    for article in library.articles:
        entry = labels.get(article.id, {})
        paired[article.id] = LabelledArticle(
            article=article,
            split=split,
            topic=entry.get("topic", ""),
            control=bool(entry.get("control", False)),
            style=entry.get("style", ""),
            warnings=[
                WarningLabel(w["text"], w["severity"], tuple(w["categories"]))
                for w in entry.get("warnings", [])
            ],
            not_warnings=list(entry.get("not_warnings", [])),
        )
    return paired
