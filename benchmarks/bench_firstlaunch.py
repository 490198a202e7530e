"""First launch on a folder the app has never seen (no catalogue, no search index), against the
bare PySide6 window in the same run.

Each run gets a fresh, empty cache folder and spawns `--screenshot`, which exits once the first
article is shown and search is ready. From just before the spawn: when the window was first
painted, when the first article was painted (readable), when the search index was ready
(searchable), and the longest UI stall from the window's first paint until search was ready
(a 5 ms heartbeat in the probe; beside it, the UI thread's own CPU time between two beats, which
on a loaded machine tells our code's stalls from waiting for a core). Runs of ours and the
baseline alternate; medians. The CPU time of the window's process and of its children (parse
workers, index writer) is reported too: on a shared machine, wall time measures the neighbours.

    python -m benchmarks firstlaunch [--runs 3] [--articles 10000[,50000]] [--stall-stacks]

Sizes above 10,000 get one run each (a first launch on 50,000 articles reads and indexes all
of them: minutes), unless `--runs-large` says otherwise.

`--stall-stacks` also prints where the UI thread was while the heartbeat was late (sampled
stacks, most frequent first): the place to look when the longest-stall figure is too high.

Targets (issue 16) at 10,000 articles: window < 0.5 s, first article readable < 1 s, searchable
< 20 s on two cores, no stall over 50 ms meanwhile.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_startup import sizes, spawn
from benchmarks.report import (
    Figure,
    bundled_corpus,
    figure,
    generated_corpus,
    median,
    print_table,
)
from benchmarks.startup_probe import STALL_STACKS_ENV

TARGETS_MS = {"window": 500.0, "paint": 1000.0, "searchable": 20000.0}
STALL_MS = 50.0
WAIT_LIMIT_S = 1200  # --screenshot's own limit (60 s) is too short to see a large folder searchable


def measure(corpus: Path, runs: int) -> dict[str, list[dict]]:
    """Alternating first launches of ours (each on a new cache folder) and the baseline."""
    results: dict[str, list[dict]] = {"ours": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="bench-first-") as work:
        for run in range(runs):
            for kind in results:
                cache = Path(work) / f"cache-{run}"  # never seen: nothing to reuse
                results[kind].append(
                    spawn(kind, corpus, cache, Path(work), wait_limit_s=WAIT_LIMIT_S)
                )
    return results


def launch_figures(label: str, results: dict[str, list[dict]], large: bool) -> list[Figure]:
    ours, base = results["ours"], results["baseline"]

    def med(runs: list[dict], key: str) -> float:
        return median([r[key] for r in runs if r.get(key) is not None])

    for r in ours:
        for samples, stack in r.get("stall_stacks") or []:
            print(f"  stalled {samples * 10} ms in: {stack}")
    print(
        f"{label}: ours window / readable / searchable (ms): "
        + "; ".join(
            f"{r['to_window_ms']:.0f} / {r['to_paint_ms']:.0f} / {r.get('to_searchable_ms', float('nan')):.0f}"
            for r in ours
        )
    )
    window, paint, search = (
        med(ours, "to_window_ms"),
        med(ours, "to_paint_ms"),
        med(ours, "to_searchable_ms"),
    )
    stall = med(ours, "longest_stall_ms")

    def target(key: str, value: float) -> tuple[str | None, bool | None]:
        return (
            (f"< {TARGETS_MS[key] / 1000:g} s", value < TARGETS_MS[key]) if large else (None, None)
        )

    return [
        figure(
            f"first launch: window painted, {label} (ms)",
            window,
            med(base, "to_paint_ms"),
            *target("window", window),
        ),
        figure(
            f"first launch: first article readable, {label} (ms)",
            paint,
            med(base, "to_paint_ms"),
            *target("paint", paint),
        ),
        figure(f"first launch: searchable, {label} (ms)", search, 0, *target("searchable", search)),
        figure(
            f"first launch: longest UI stall until searchable, {label} (ms)",
            stall,
            0,
            f"<= {STALL_MS:g} ms",
            stall <= STALL_MS,
        ),
        figure(
            f"  of which the UI thread computing (its CPU between two beats), {label} (ms)",
            med(ours, "longest_busy_ms"),
            0,
        ),
        figure(
            f"first launch: peak RSS, {label} (MB)",
            med(ours, "peak_rss_mb"),
            med(base, "peak_rss_mb"),
        ),
        figure(
            f"first launch: largest child process's peak RSS, {label} (MB)",
            med(ours, "children_peak_rss_mb"),
            0,
        ),
        figure(
            f"first launch: CPU of the window's process until exit, {label} (s)",
            med(ours, "cpu_s"),
            0,
        ),
        figure(
            f"first launch: CPU of its child processes, {label} (s)", med(ours, "children_cpu_s"), 0
        ),
    ]


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks firstlaunch", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each side per corpus (default 3)"
    )
    parser.add_argument(
        "--articles",
        type=sizes,
        default=[10000],
        help="sizes of the generated corpora, comma-separated (default 10000)",
    )
    parser.add_argument(
        "--runs-large", type=int, default=1, help="runs per corpus above 10,000 (default 1)"
    )
    parser.add_argument("--large-only", action="store_true", help="skip the bundled corpus")
    parser.add_argument(
        "--stall-stacks",
        action="store_true",
        help="print where the UI thread was during its stalls",
    )
    args = parser.parse_args(argv)
    if args.stall_stacks:
        os.environ[STALL_STACKS_ENV] = "1"  # the measured processes inherit it
    figures: list[Figure] = []
    if not args.large_only:
        figures += launch_figures(
            "bundled corpus", measure(bundled_corpus(), args.runs), large=False
        )
    for count in args.articles:
        runs = args.runs if count <= 10000 else args.runs_large
        figures += launch_figures(
            f"{count:,} articles", measure(generated_corpus(count), runs), large=count <= 10000
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
