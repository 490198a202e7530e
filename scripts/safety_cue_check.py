"""Check the phrases of a safety rules file: the ones that cannot match as written (the loader
logs them too: phrases.phrase_problem), and the ones that match no sentence of the labelled
development set (tests/fixtures/safety_dev, every training split and the seeds).

    .venv/bin/python scripts/safety_cue_check.py [RULES.toml]

A phrase that matches nothing is not wrong by itself (a cue may name wording no article of the
set uses yet); one written in the last round that matches nothing, not even the sentence it was
written for, usually is: its alternatives are single words, and "check up|checkup" is two places.
Exit 1 when a phrase cannot match as written.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.safety_train import labelled_articles
from viewer.core.phrases import PhraseMatcher, tokenize
from viewer.core.safety import SafetyClassifier
from viewer.core.sentences import split_sentences


def main(argv: list[str]) -> int:
    rules = SafetyClassifier.load(argv[0] if argv else None, use_model=False)
    for problem in rules.problems:
        print(f"cannot match as written: {problem}")
    phrases = list(rules.phrases)
    matcher, stem = PhraseMatcher(phrases), rules.stemmer
    hits: Counter[int] = Counter()
    for item in labelled_articles().values():
        for paragraph in item.article.paragraphs():
            for start, end in split_sentences(paragraph.plain):
                for hit in matcher.find(tokenize(paragraph.plain[start:end], stem)):
                    hits[id(hit.phrase)] += 1
    unmatched = [p.text for p in phrases if not hits[id(p)]]
    print(f"{len(phrases)} phrases; {len(unmatched)} match no labelled sentence:")
    for text in unmatched:
        print(f"  {text}")
    return 1 if rules.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
