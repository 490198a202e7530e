"""Memory: peak resident size of Article Viewer against the bare PySide6 window, in the same run.

The measured processes are those of the start-up benchmark (bench_startup.py): each run starts,
shows its first article, finishes its start-up work (ours: the search index check) and reports
its peak resident size (VmHWM). Medians of `--runs` runs per side and corpus.

    python -m benchmarks memory [--runs 3] [--articles 10000]

Targets (issue 8): with the bundled corpus no more than 1.5x the bare window's; under 400 MB
with 10,000 articles.
"""

from __future__ import annotations

import sys

from benchmarks.bench_startup import run_memory as run
from benchmarks.report import print_table


def main(argv: list[str] | None = None) -> int:
    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
