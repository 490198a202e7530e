"""Run the benchmarks: `python -m benchmarks` runs all of them, `python -m benchmarks NAME ...`
one of them with its own options (`python -m benchmarks NAME --help`).

Each benchmark is a module with `main(argv) -> int` and `run(argv) -> figures`; add one by
adding a line to BENCHMARKS. Figures are printed side by side with a baseline measured in the
same run; run all together, each prints its own details and the end is one table of every
figure (report.py: figure, ours, baseline, ratio, target, met). None of this is a test (speed
targets never live in unit tests).
"""

from __future__ import annotations

import importlib
import sys

# name -> module (with main(argv) -> int) and what it measures
BENCHMARKS = {
    "search": ("benchmarks.bench_search", "search index build, query latency, update (vs SQLite FTS5)"),
    "startup": ("benchmarks.bench_startup", "process start to first article painted (vs a bare PySide6 window)"),
    "render": ("benchmarks.bench_render", "opening an article: render + layout (vs plain-text layout)"),
    "stall": ("benchmarks.bench_stall", "longest UI stall while typing a search on 10,000 articles"),
    "memory": ("benchmarks.bench_memory", "peak resident size (vs a bare PySide6 window)"),
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
        return importlib.import_module(BENCHMARKS[name][0]).main(rest)
    if argv:
        print("options go to one benchmark: python -m benchmarks NAME [options]", file=sys.stderr)
        return 2
    from benchmarks.report import print_table

    status, figures = 0, []
    for name, (module, what) in BENCHMARKS.items():
        print(f"### {name}: {what}", flush=True)
        try:
            found = importlib.import_module(module).run([])  # each with its defaults
        except Exception as exc:  # noqa: BLE001 - one failing benchmark must not hide the others
            print(f"{name} failed: {type(exc).__name__}: {exc}", flush=True)
            status = 1
            continue
        print_table(found)
        figures += found
    print_table(figures, "### all figures (medians of repeated runs; ratio = ours / baseline)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
