"""Run the benchmarks: `python -m benchmarks` runs all of them, `python -m benchmarks NAME ...`
one of them with its own options (`python -m benchmarks NAME --help`). `python -m benchmarks
--with-50k` (`make bench-50k`) also measures start-up, memory and first launch on a generated
50,000-article collection (opt-in: preparing it and one first launch on it take many minutes).

Each benchmark is a module with `main(argv) -> int` and `run(argv) -> figures`; add one by
adding a line to BENCHMARKS. Figures are printed side by side with a baseline measured in the
same run. Run all together, each runs in its own process and prints its details, and the end
is one table of every figure (report.py: figure, ours, baseline, ratio, target, met). None of
this is a test (speed targets never live in unit tests).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.report import print_table

FIGURES_ENV = "ARTICLE_VIEWER_BENCH_FIGURES"  # where a child run writes its figures (JSON)
# With --with-50k, these benchmarks also run on the 50,000-article collection (these options).
OPTIONS_50K = {
    "startup": ["--articles", "10000,50000"],
    "memory": ["--articles", "10000,50000"],
    "firstlaunch": ["--articles", "10000,50000"],
    "update": ["--articles", "50000"],
}

# name -> module (with main(argv) -> int) and what it measures
BENCHMARKS = {
    "search": (
        "benchmarks.bench_search",
        "search index build, query latency, update (vs SQLite FTS5)",
    ),
    "build": (
        "benchmarks.bench_build",
        "index build from the catalogue: two processes vs one, CPU vs SQLite FTS5",
    ),
    "scifact": (
        "benchmarks.bench_scifact",
        "relevance and speed on BEIR SciFact (vs SQLite FTS5 and stock Whoosh)",
    ),
    "startup": (
        "benchmarks.bench_startup",
        "process start to first article painted (vs a bare PySide6 window)",
    ),
    "render": (
        "benchmarks.bench_render",
        "opening an article: render + layout (vs plain-text layout)",
    ),
    "stall": (
        "benchmarks.bench_stall",
        "longest UI stall while typing a search on 10,000 articles",
    ),
    "cold": (
        "benchmarks.bench_cold",
        "cold one-shot CLI search, 4 kinds of query (vs SQLite FTS5's cold one-shot; 50,000)",
    ),
    "firstquery": (
        "benchmarks.bench_firstquery",
        "UI blocked by the first query after the index opens (50,000 articles)",
    ),
    "memory": ("benchmarks.bench_memory", "peak resident size (vs a bare PySide6 window)"),
    "annotations": (
        "benchmarks.bench_annotations",
        "opening with 500 highlights; panel filter at 10,000",
    ),
    "firstlaunch": (
        "benchmarks.bench_firstlaunch",
        "first launch on a new folder: window, first article, searchable (vs a bare window)",
    ),
    "update": (
        "benchmarks.bench_update",
        "a file changed on disk: shown in the open window, searchable (10,000 articles)",
    ),
    "safetypanel": (
        "benchmarks.bench_safetypanel",
        "Safety panel at 10,000 articles: full build, a verdict batch shown (vs the old panel)",
    ),
    "catalogue": (
        "benchmarks.bench_catalogue",
        "cold catalogue build of 10,000 articles: parsing and classifying",
    ),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help", "list"):
        print(__doc__)
        for name, (_, what) in BENCHMARKS.items():
            print(f"  {name:<12} {what}")
        return 0
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in BENCHMARKS:
            print(f"unknown benchmark '{name}'; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        if rest and rest[0] in ("-h", "--help"):
            return importlib.import_module(BENCHMARKS[name][0]).main(rest)
        figures = importlib.import_module(BENCHMARKS[name][0]).run(rest)
        print_table(figures)
        if os.environ.get(FIGURES_ENV):  # run by the loop below: hand the figures back
            Path(os.environ[FIGURES_ENV]).write_text(json.dumps(figures), encoding="utf-8")
        return 0
    if argv == ["--with-50k"]:
        return run_all(with_50k=True)
    if argv:
        print("options go to one benchmark: python -m benchmarks NAME [options]", file=sys.stderr)
        return 2
    return run_all()


def run_all(with_50k: bool = False) -> int:
    """Every benchmark with its defaults, each in a fresh process (one benchmark's leftovers,
    such as a 10,000-article library in memory, must not slow the next), then one table."""
    status, figures = 0, []
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        for name, (_module, what) in BENCHMARKS.items():
            print(f"### {name}: {what}", flush=True)
            out = Path(work) / f"{name}.json"
            extra = OPTIONS_50K.get(name, []) if with_50k else []
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks", name, *extra],
                env={**os.environ, FIGURES_ENV: str(out)},
            )
            if done.returncode != 0 or not out.is_file():
                print(f"{name} failed (exit {done.returncode})", flush=True)
                status = 1
                continue
            figures += [tuple(f) for f in json.loads(out.read_text(encoding="utf-8"))]
    print_table(figures, "### all figures (medians of repeated runs; ratio = ours / baseline)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
