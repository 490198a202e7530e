"""The safety classifier: which paragraphs and sections warn the reader, and why.

Cues, negations, ignore contexts and the section rule live in `resources/safety.toml`, so a
reader can see and extend what the app looks for. Matching is explainable: every marked
paragraph keeps the cues that fired, and `assess_section` says whether a section was flagged by
its heading or by the share of its sentences that carry cues.

Pure Python, no Qt. A classifier is built once per library load and passed in; nothing here is
global or mutable after loading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from viewer.core.cues import CueHit, CueMatcher, CueScanner, starts_within
from viewer.core.errors import ViewerError
from viewer.core.model import Article, Section
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety_categories import CATEGORY_LABELS

DEFAULT_MIN_SHARE = 0.4
DEFAULT_NEGATION_WINDOW = 8
# A sentence ends at . ! ? (and any closing quote or bracket) followed by space and a capital,
# digit or opening quote; or at a line break (bullet lists, .txt lines).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n+")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "dr.", "vs.", "approx.", "no.", "st.", "mr.", "mrs.", "ms.", "u.s.", "cf."})
_WORD = re.compile(r"[\w'\u2019]+")
# Punctuation that closes a clause, so a negation does not reach past it.
_CLAUSE_END = re.compile(r"[,;:()\u2014\u2013]|\s-\s")
# Characters beyond which no negation reaches, whatever the word window (keeps odd input fast).
_MAX_NEGATION_REACH = 400


@dataclass(frozen=True)
class ParagraphVerdict:
    """What the classifier found in one paragraph."""

    categories: list[str]
    cues: list[str]
    sentences: int
    safety_sentences: int

    @property
    def safety(self) -> bool:
        return bool(self.categories)


@dataclass(frozen=True)
class SectionVerdict:
    """Why a section is (or is not) a safety section."""

    safety: bool
    categories: list[str]
    heading_cues: list[str]
    share: float  # share of the section's sentences that carry a cue


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a paragraph; short abbreviations do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        words = text[start:match.start()].split()
        last_word = words[-1].lower().lstrip("(\"'\u201c\u2018") if words else ""
        if last_word in _ABBREVIATIONS and "\n" not in match.group():
            continue
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _ordered(categories) -> list[str]:
    """Categories in the order readers see them everywhere (safety_categories.py)."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(c for c in set(categories) if c not in CATEGORY_LABELS)


def _strings(value, where: str, path: Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ViewerError(f"the safety cue file {path} needs a list of words for {where}")
    return value


class SafetyClassifier:
    """Marks safety paragraphs and sections of articles, from the cues of a safety.toml."""

    def __init__(self, category_cues: dict[str, list[str]], *,
                 heading_cues: list[str] = (), category_heading_cues: dict[str, list[str]] | None = None,
                 negations: list[str] = (), not_negations: list[str] = (), breakers: list[str] = (),
                 ignore: list[str] = (), min_share: float = DEFAULT_MIN_SHARE,
                 negation_window: int = DEFAULT_NEGATION_WINDOW) -> None:
        self._category_matchers = {c: CueMatcher(cues) for c, cues in category_cues.items() if cues}
        self._heading = CueMatcher(list(heading_cues))
        self._category_headings = {c: CueMatcher(cues)
                                   for c, cues in (category_heading_cues or {}).items() if cues}
        self._negations = CueMatcher(list(negations))
        self._not_negations = CueMatcher(list(not_negations))
        self._breakers = CueMatcher(list(breakers))
        self._ignore = CueMatcher(list(ignore))
        # One scan per paragraph finds where any of these can match (see cues.CueScanner).
        self._scanner = CueScanner([*self._category_matchers.values(), self._negations,
                                    self._not_negations, self._ignore])
        self.min_share = min_share
        self.negation_window = negation_window

    @classmethod
    def load(cls, path: Path | str | None = None) -> SafetyClassifier:
        """Read the cue file (the bundled resources/safety.toml unless a path is given)."""
        path = Path(path) if path else resource_path("safety.toml")
        try:
            data = load_toml(path)
        except OSError as exc:
            raise ViewerError(f"cannot read the safety cue file {path}: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise ViewerError(f"the safety cue file {path} is not valid TOML: {exc}") from None
        categories = data.get("category", {})
        if not isinstance(categories, dict) or not categories:
            raise ViewerError(f"the safety cue file {path} defines no [category.*] tables")
        cues, headings = {}, {}
        for name, table in categories.items():
            if not isinstance(table, dict):
                raise ViewerError(f"the safety cue file {path}: [category.{name}] must be a table")
            cues[name] = _strings(table.get("cues"), f"[category.{name}] cues", path)
            headings[name] = _strings(table.get("heading_cues"), f"[category.{name}] heading_cues", path)
        section = data.get("section", {})
        negation = data.get("negation", {})
        try:
            min_share = float(section.get("min_share", DEFAULT_MIN_SHARE))
            window = int(negation.get("window", DEFAULT_NEGATION_WINDOW))
        except (TypeError, ValueError):
            raise ViewerError(f"the safety cue file {path}: min_share and window must be numbers") from None
        return cls(
            cues,
            heading_cues=_strings(section.get("heading_cues"), "[section] heading_cues", path),
            category_heading_cues=headings,
            negations=_strings(negation.get("phrases"), "[negation] phrases", path),
            not_negations=_strings(negation.get("not_negations"), "[negation] not_negations", path),
            breakers=_strings(negation.get("breakers"), "[negation] breakers", path),
            ignore=_strings(data.get("ignore", {}).get("contexts"), "[ignore] contexts", path),
            min_share=min_share,
            negation_window=window,
        )

    # --- paragraphs -------------------------------------------------------------------------

    def classify_paragraph(self, text: str) -> tuple[list[str], list[str]]:
        """(categories, cues that fired) for one paragraph of plain text; empty if not safety."""
        verdict = self.assess_paragraph(text)
        return verdict.categories, verdict.cues

    def assess_paragraph(self, text: str) -> ParagraphVerdict:
        """Categories, cues, and how many of the paragraph's sentences carry a live cue."""
        sentences = split_sentences(text)
        starts = self._scanner.starts(text)
        ignored = self._ignore.find_at(text, starts, 0, len(text))  # in text order, not overlapping
        ignored_starts = [h.start for h in ignored]
        categories: set[str] = set()
        fired: list[tuple[int, str]] = []
        warning_sentences: set[int] = set()
        for start, end in sentences:
            inside = starts_within(starts, start, end)
            if not inside:
                continue  # no cue of any kind can match in this sentence
            sentence = text[start:end]
            negations = self._live_negations(text, inside, start, end)
            negation_ends = [n.end for n in negations]
            for category, matcher in self._category_matchers.items():
                for hit in matcher.find_at(text, inside, start, end):
                    at = (start + hit.start, start + hit.end)
                    inside_ignored = bisect.bisect_left(ignored_starts, at[1]) - 1
                    if inside_ignored >= 0 and ignored[inside_ignored].end > at[0]:
                        continue
                    if self._negated(sentence, hit, negations, negation_ends):
                        continue
                    categories.add(category)
                    fired.append((at[0], hit.cue))
                    warning_sentences.add(start)
        cues = list(dict.fromkeys(cue for _, cue in sorted(fired)))
        return ParagraphVerdict(_ordered(categories), cues, len(sentences), len(warning_sentences))

    def _live_negations(self, text: str, starts: list[int], begin: int, end: int) -> list[CueHit]:
        """Negation phrases in a sentence (relative to it), leaving out those that warn ("not without")."""
        shield_start_by_end = {h.end: h.start for h in self._not_negations.find_at(text, starts, begin, end)}
        return [n for n in self._negations.find_at(text, starts, begin, end)
                if shield_start_by_end.get(n.end, n.start + 1) > n.start]

    def _negated(self, sentence: str, hit: CueHit, negations: list[CueHit],
                 negation_ends: list[int]) -> bool:
        """Is the cue inside the reach of a negation before it in the same clause?

        Only the nearest negation before the cue can reach it: any earlier one has at least the
        same words, punctuation and breakers in between. `negations` is in text order, and
        `negation_ends` their ends.
        """
        index = bisect.bisect_right(negation_ends, hit.start) - 1
        if index < 0:
            return False
        between = sentence[negations[index].end:hit.start]
        if len(between) > _MAX_NEGATION_REACH:
            return False
        if len(_WORD.findall(between)) > self.negation_window:
            return False
        return not (_CLAUSE_END.search(between) or self._breakers.find(between))

    # --- sections and articles --------------------------------------------------------------

    def assess_section(self, section: Section,
                       verdicts: list[ParagraphVerdict] | None = None) -> SectionVerdict:
        """Heading cues, or at least `min_share` of the sentences carrying a cue."""
        if verdicts is None:
            verdicts = [self.assess_paragraph(p.plain) for p in section.paragraphs]
        heading_cues = self._heading.matched(section.heading)
        heading_categories = []
        for category, matcher in self._category_headings.items():
            found = matcher.matched(section.heading)
            if found:
                heading_categories.append(category)
                heading_cues.extend(c for c in found if c not in heading_cues)
        sentences = sum(v.sentences for v in verdicts)
        share = sum(v.safety_sentences for v in verdicts) / sentences if sentences else 0.0
        # A tiny tolerance so that "2 in 5" meets a min_share of 0.4 whatever the rounding.
        safety = bool(heading_cues) or share >= self.min_share - 1e-9
        categories = []
        if safety:
            categories = _ordered(set(heading_categories).union(*(v.categories for v in verdicts)))
        return SectionVerdict(safety, categories, heading_cues, share)

    def annotate(self, article: Article) -> None:
        """Set, in place, the safety flag, categories and cues of every paragraph and section."""
        for section in article.sections:
            verdicts = [self.assess_paragraph(p.plain) for p in section.paragraphs]
            for paragraph, verdict in zip(section.paragraphs, verdicts):
                paragraph.safety = verdict.safety
                paragraph.categories = list(verdict.categories)
                paragraph.cues = list(verdict.cues)
            verdict = self.assess_section(section, verdicts)
            section.safety = verdict.safety
            section.categories = list(verdict.categories)
