"""Print the safety classifier's figures on the labelled development set, with every missed
warning, false alarm and section disagreement (tests/safety_eval.py computes them).

    .venv/bin/python scripts/safety_eval.py [tune|dev|seeds ...] [--brief]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety_dev import load_seeds, load_split, split_folders  # noqa: E402
from tests.safety_eval import evaluate  # noqa: E402


def main(argv: list[str]) -> int:
    brief = "--brief" in argv
    names = [a for a in argv if not a.startswith("--")] or [f.name for f in split_folders()] + ["seeds"]
    for name in names:
        items = load_seeds() if name == "seeds" else load_split(name)
        print(f"=== {name}: {len(items)} articles")
        print(evaluate(items).report(details=not brief))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
