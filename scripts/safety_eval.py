"""Print the safety classifier's figures on the labelled development set, with every missed
warning, false alarm and section disagreement (tests/safety_eval.py computes them).

    .venv/bin/python scripts/safety_eval.py [tune|dev|holdout|seeds ...] [--brief] [--rules-only]
    .venv/bin/python scripts/safety_eval.py --cross-validate [--folds K | --by-split] [--details]
        [--thresholds ADD:KEEP:SERIOUS,...] [--l2 X] [--weight W] [--min-count N] [--share F] [--without PREFIX,...] [--brief]

`--cross-validate` is the estimate of how the classifier does on articles it has never seen:
leave one article out of tune+dev+holdout+seeds (or, with `--folds K`, one of K groups of
articles at a time: quicker, for trying things; with `--by-split`, one split at a time, the
estimate for a writer never read, since a split's articles share their writer), train the warning model
(scripts/safety_train.py) on the others, classify the ones left out, and score all of them
together; for the rules alone, and for rules + model at each set of thresholds (the model adds
a warning from ADD and sets aside a rule's warning below KEEP, a rule's serious warning below
SERIOUS; 0 never sets one aside). The category and severity models are trained once on every
article (they do not decide whether a sentence warns, only what it is called), so the severity
agreement in these figures is a training figure. `--share F` trains each fold on a
deterministic fraction F of the other articles (a learning curve); `--without s:,h:` leaves
the features with these prefixes out (an ablation). `--details` lists every miss, false alarm
and section disagreement of the last set of thresholds. The rules themselves were written
looking at these articles, so even these figures flatter the classifier somewhat.
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
    POSITIVE_WEIGHT,
    fit,
    labelled_articles,
    samples_of,
    train_warning,
)
from tests.safety_dev import load_seeds, load_split, split_folders
from tests.safety_eval import evaluate
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety import SafetyClassifier
from viewer.core.safety_model import MIN_COUNT


def _option(argv: list[str], name: str, default: float) -> float:
    return float(argv[argv.index(name) + 1]) if name in argv else default


def cross_validate(argv: list[str]) -> None:
    brief, details = "--brief" in argv, "--details" in argv
    folds = int(_option(argv, "--folds", 0))
    l2, weight = _option(argv, "--l2", L2), _option(argv, "--weight", POSITIVE_WEIGHT)
    share = _option(argv, "--share", 1.0)
    min_count = int(_option(argv, "--min-count", MIN_COUNT))
    pairs = [(DEFAULT_THRESHOLD, DEFAULT_KEEP, DEFAULT_KEEP_SERIOUS)]
    if "--thresholds" in argv:  # "add:keep:serious,..."
        pairs = [
            (float(a), float(k), float(s))
            for a, k, s in (p.split(":") for p in argv[argv.index("--thresholds") + 1].split(","))
        ]
    rules_data = load_toml(resource_path("safety.toml"))
    rules = SafetyClassifier(rules_data)
    items = labelled_articles()
    keys = sorted(items)
    samples = {key: samples_of(items[key], rules) for key in keys}
    if "--without" in argv:  # an ablation: leave out the features with these prefixes ("s:,h:")
        drop = tuple(argv[argv.index("--without") + 1].split(","))
        samples = {
            k: [([f for f in fs if not f.startswith(drop)], m) for fs, m in rows]
            for k, rows in samples.items()
        }
    if "--by-split" in argv:
        # One fold per split: a split's articles share their writer, so this is the estimate
        # for a writer the model has never read (random folds let a writer's habits leak in).
        fold_of = {key: key.split("/")[0] for key in keys}
    else:
        fold_of = {key: str(i % folds if folds else i) for i, key in enumerate(keys)}
    full = fit([s for rows in samples.values() for s in rows], *pairs[0], l2=l2)
    models = {}
    for fold in sorted(set(fold_of.values())):
        train = [k for k in keys if fold_of[k] != fold]
        # A deterministic subset for the learning curve: every n-th training article.
        train = train[:: max(1, round(1 / share))] if share < 1.0 else train
        rows = [s for k in train for s in samples[k]]
        warning = train_warning(rows, l2=l2, weight=weight, min_count=min_count)
        models[fold] = dataclasses.replace(full, warning=warning)
    splits = sorted({key.split("/")[0] for key in items})
    how = (
        "one split at a time"
        if "--by-split" in argv
        else f"{folds}-fold"
        if folds
        else "leave-one-article-out"
    )
    print(
        f"{how}; l2 {l2}, positive weight {weight}, min count {min_count}, training share {share}"
    )

    def show(title: str, annotate, last: bool) -> None:
        for key, item in items.items():
            annotate(key, item.article)
        figures = evaluate(items)
        print(f"=== {title}: all {len(items)} articles")
        print(_line(figures) if brief else figures.report(details=False))
        unseen = {k: v for k, v in items.items() if not k.startswith("seeds/")}
        print(f"  [tune+dev+holdout] {_line(evaluate(unseen))}")
        for split in splits:
            print(
                f"  [{split}] {_line(evaluate({k: v for k, v in items.items() if k.startswith(split + '/')}))}"
            )
        if last and details:
            print("missed:\n  " + "\n  ".join(figures.missed))
            print("false alarms:\n  " + "\n  ".join(figures.false_alarms))
            # Which sections a change loses or gains (a rule is kept only if it loses none).
            print("sections:\n  " + "\n  ".join(figures.section_errors))

    show("rules only", lambda _key, article: rules.annotate(article), False)
    for index, (threshold, keep, serious) in enumerate(pairs):
        classifiers = {
            fold: SafetyClassifier(
                rules_data,
                model=dataclasses.replace(m, threshold=threshold, keep=keep, keep_serious=serious),
            )
            for fold, m in models.items()
        }
        show(
            f"cross-validated rules + model, adds from {threshold}, keeps from {keep} (serious from {serious})",
            lambda key, article, chosen=classifiers: chosen[fold_of[key]].annotate(article),
            index == len(pairs) - 1,
        )


def _line(figures) -> str:
    return (
        f"sections P {figures.sections.precision:.3f} R {figures.sections.recall:.3f}; sentences "
        f"P {figures.sentence_precision:.3f} R {figures.sentence_recall.recall:.3f}; controls "
        f"{figures.control_sections}/{figures.control_sentences}; share gap {100 * figures.max_share_gap:.1f}"
    )


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return 0
    if "--cross-validate" in argv:
        cross_validate(argv)
        return 0
    brief = "--brief" in argv
    annotators = (
        [SafetyClassifier.load(use_model=False).annotate] if "--rules-only" in argv else None
    )
    names = [a for a in argv if not a.startswith("--")] or [f.name for f in split_folders()] + [
        "seeds"
    ]
    known = {f.name for f in split_folders()} | {"seeds"}
    unknown = [name for name in names if name not in known]
    if unknown:
        print(
            f"safety_eval: no labelled split {', '.join(unknown)} (have: {', '.join(sorted(known))})"
        )
        return 2
    for name in names:
        items = load_seeds(annotators) if name == "seeds" else load_split(name, annotators)
        print(f"=== {name}: {len(items)} articles")
        print(evaluate(items).report(details=not brief))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
