"""Figures of the safety classifier on a labelled split (tests/fixtures/safety_dev, GUIDE.md).

Used by tests/test_safety_figures.py (which asserts the targets of issue 11) and by
scripts/safety_eval.py (which prints them, with every disagreement):

- sections: precision and recall of the classifier's safety sections against the sections that
  hold a labelled warning sentence (control articles count: all their sections are negatives);
- sentences: a labelled warning is found when a sentence the classifier marks contains it or is
  contained in it (case and whitespace normalised, so a different sentence split still meets);
  a marked sentence is right when it meets a labelled warning that way;
- control articles: how many of their sections and sentences are flagged (the target is none);
- share: per article, the characters of flagged sentences over all paragraph text, against the
  labelled share; the figure is the largest gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.safety_dev import LabelledArticle, normalise


def _key(text: str) -> str:
    return normalise(text).casefold()


def _meets(a: str, b: str) -> bool:
    return a in b or b in a


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        return (
            f"P {self.precision:.3f} R {self.recall:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


@dataclass
class Figures:
    """What one split scores, with the disagreements behind the numbers."""

    sections: Counts = field(default_factory=Counts)
    # Precision counts marked sentences (tp/fp); recall counts labelled warnings (found/missed).
    sentences: Counts = field(default_factory=Counts)
    sentence_recall: Counts = field(default_factory=Counts)
    control_sections: int = 0
    control_sentences: int = 0
    shares: dict[str, tuple[float, float]] = field(
        default_factory=dict
    )  # id -> (flagged, labelled)
    severity_agreement: Counts = field(default_factory=Counts)  # tp: same severity, fp: another
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    section_errors: list[str] = field(default_factory=list)

    @property
    def sentence_precision(self) -> float:
        return self.sentences.precision

    @property
    def max_share_gap(self) -> float:
        return max((abs(f - lab) for f, lab in self.shares.values()), default=0.0)

    def report(self, details: bool = True) -> str:
        lines = [
            f"sections  {self.sections}",
            f"sentences precision {self.sentences.precision:.3f} (marked right {self.sentences.tp}, "
            f"wrong {self.sentences.fp}); recall {self.sentence_recall.recall:.3f} "
            f"(found {self.sentence_recall.tp}, missed {self.sentence_recall.fn})",
            f"severity  same as labelled on {self.severity_agreement.tp} of "
            f"{self.severity_agreement.tp + self.severity_agreement.fp} found warnings",
            f"controls  {self.control_sections} flagged sections, {self.control_sentences} flagged sentences",
            f"share     largest gap {100 * self.max_share_gap:.1f} points",
        ]
        lines += [
            f"  {a}: flagged {100 * f:.1f}% labelled {100 * lab:.1f}%"
            for a, (f, lab) in sorted(self.shares.items())
        ]
        if details:
            lines += ["missed:"] + [f"  {m}" for m in self.missed]
            lines += ["false alarms:"] + [f"  {m}" for m in self.false_alarms]
            lines += ["sections:"] + [f"  {m}" for m in self.section_errors]
        return "\n".join(lines)


def evaluate(items: dict[str, LabelledArticle]) -> Figures:
    """The figures of the classifier that annotated these articles, against their labels."""
    figures = Figures()
    for item in items.values():
        _score_article(item, figures)
    return figures


def _score_article(item: LabelledArticle, figures: Figures) -> None:
    article = item.article
    labelled = [(_key(w.text), w) for w in item.warnings]
    marked = [(s, _key(s.text)) for p in article.paragraphs() for s in p.sentences if s.safety]
    found = set()
    for sentence, key in marked:
        hits = [i for i, (label, _) in enumerate(labelled) if _meets(label, key)]
        if hits:
            figures.sentences.tp += 1
            found.update(hits)
            same = any(labelled[i][1].severity == sentence.severity for i in hits)
            if same:
                figures.severity_agreement.tp += 1
            else:
                figures.severity_agreement.fp += 1
        else:
            figures.sentences.fp += 1
            figures.false_alarms.append(
                f"{article.id}: {sentence.text} [{'; '.join(sentence.evidence)}]"
            )
    for index, (_, label) in enumerate(labelled):
        if index in found:
            figures.sentence_recall.tp += 1
        else:
            figures.sentence_recall.fn += 1
            figures.missed.append(f"{article.id}: {label.text} ({label.severity})")
    wanted = item.warning_sections()
    for section in article.sections:
        if section.safety and section.anchor in wanted:
            figures.sections.tp += 1
        elif section.safety:
            figures.sections.fp += 1
            figures.section_errors.append(
                f"{article.id}#{section.anchor}: flagged, no labelled warning"
            )
        elif section.anchor in wanted:
            figures.sections.fn += 1
            figures.section_errors.append(f"{article.id}#{section.anchor}: labelled warning missed")
    if item.control:
        figures.control_sections += sum(1 for s in article.sections if s.safety)
        figures.control_sentences += len(marked)
    total = sum(len(normalise(p.plain)) for p in article.paragraphs())
    flagged = sum(len(normalise(s.text)) for s, _ in marked)
    figures.shares[article.id] = (flagged / total if total else 0.0, item.labelled_share())
