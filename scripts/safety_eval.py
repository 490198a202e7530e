"""Print the safety classifier's figures on the labelled development set, with every missed
warning, false alarm and section disagreement (tests/safety_eval.py computes them).

    .venv/bin/python scripts/safety_eval.py [tune|dev|seeds ...] [--brief] [--rules-only]
    .venv/bin/python scripts/safety_eval.py --cross-validate [--thresholds ADD:KEEP:SERIOUS,...] [--l2 X] [--brief]

`--cross-validate` is the estimate of how the classifier does on articles it has never seen:
leave one article out of tune+dev+seeds, train the sentence model (scripts/safety_train.py) on
the others, classify the one left out, and score all of them together; for the rules alone,
and for rules + model at each set of thresholds (the model adds a warning from ADD and sets
aside a rule's warning below KEEP, a rule's serious warning below SERIOUS; 0 never sets one
aside). The rules themselves were
written looking at these articles, so even these figures flatter the classifier somewhat.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.safety_train import (
    DEFAULT_KEEP,
    DEFAULT_KEEP_SERIOUS,
    DEFAULT_THRESHOLD,
    L2,
    fit,
    labelled_articles,
    samples_of,
)
from tests.safety_dev import load_seeds, load_split, split_folders
from tests.safety_eval import evaluate
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety import SafetyClassifier


def cross_validate(pairs: list[tuple[float, float]], brief: bool, l2: float = L2) -> None:
    rules_data = load_toml(resource_path("safety.toml"))
    rules = SafetyClassifier(rules_data)
    items = labelled_articles()
    samples = {key: samples_of(item, rules) for key, item in items.items()}
    models = {
        key: fit(
            [s for other, rows in samples.items() if other != key for s in rows],
            DEFAULT_THRESHOLD,
            DEFAULT_KEEP,
            DEFAULT_KEEP_SERIOUS,
            l2,
        )
        for key in items
    }
    splits = sorted({key.split("/")[0] for key in items})

    def show(title: str, annotate) -> None:
        for key, item in items.items():
            annotate(key, item.article)
        figures = evaluate(items)
        print(f"=== {title}: all {len(items)} articles")
        print(figures.report(details=False) if not brief else _line(figures))
        for split in splits:
            print(
                f"  [{split}] {_line(evaluate({k: v for k, v in items.items() if k.startswith(split + '/')}))}"
            )

    show("rules only", lambda _key, article: rules.annotate(article))
    for threshold, keep, serious in pairs:
        classifiers = {
            key: SafetyClassifier(
                rules_data,
                model=dataclasses.replace(m, threshold=threshold, keep=keep, keep_serious=serious),
            )
            for key, m in models.items()
        }
        show(
            f"cross-validated rules + model, adds from {threshold}, keeps from {keep} (serious from {serious})",
            lambda key, article, chosen=classifiers: chosen[key].annotate(article),
        )


def _line(figures) -> str:
    return (
        f"sections P {figures.sections.precision:.3f} R {figures.sections.recall:.3f}; sentences "
        f"P {figures.sentence_precision:.3f} R {figures.sentence_recall.recall:.3f}; controls "
        f"{figures.control_sections}/{figures.control_sentences}; share gap {100 * figures.max_share_gap:.1f}"
    )


def main(argv: list[str]) -> int:
    brief = "--brief" in argv
    if "--cross-validate" in argv:
        pairs = [(DEFAULT_THRESHOLD, DEFAULT_KEEP, DEFAULT_KEEP_SERIOUS)]
        if "--thresholds" in argv:  # "add:keep:serious,..."
            pairs = [
                tuple(float(x) for x in pair.split(":"))
                for pair in argv[argv.index("--thresholds") + 1].split(",")
            ]
        l2 = float(argv[argv.index("--l2") + 1]) if "--l2" in argv else L2
        cross_validate(pairs, brief, l2)
        return 0
    annotators = (
        [SafetyClassifier.load(use_model=False).annotate] if "--rules-only" in argv else None
    )
    names = [a for a in argv if not a.startswith("--")] or [f.name for f in split_folders()] + [
        "seeds"
    ]
    for name in names:
        items = load_seeds(annotators) if name == "seeds" else load_split(name, annotators)
        print(f"=== {name}: {len(items)} articles")
        print(evaluate(items).report(details=not brief))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
