"""Start-up and memory: Article Viewer against a bare PySide6 window, in the same run.

Each run spawns a fresh process and measures from just before the spawn to the moment the first
article has been painted (`--screenshot`, which saves the window and exits once it is up); ours
runs through startup_probe.py, the baseline is baseline_window.py (a QMainWindow with a
QTreeWidget dock of the files and a QTextBrowser with the first file's raw text). Runs of the
two alternate, and medians are reported. The same processes report their peak resident size.

The corpora: the bundled one and generated ones (10,000 articles; `--articles 10000,50000` adds
50,000, which `python -m benchmarks --with-50k` and `make bench-50k` pass), each with its
catalogue and search index already built (as on every start but the very first). The whole process is timed
by this parent, from spawn to exit, so it includes interpreter teardown; first launches on a
folder without a catalogue are bench_firstlaunch.py.

    python -m benchmarks startup [--runs 5] [--articles 10000[,50000]] [--before DIR]
    python -m benchmarks memory  [--runs 3] [--articles 10000[,50000]]

`--before DIR` also runs the reader from another checkout (e.g. `git archive main | tar -x -C
DIR`), interleaved with the others, so that a change is judged against what it changed in one
run on a noisy machine: each figure then has a "before" row, both against the bare window.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import (
    DATA_DIR,
    Figure,
    bundled_corpus,
    child_env,
    figure,
    generated_corpus,
    median,
    prepare_cache,
    print_table,
)

# Heavy modules that the first paint must not need (issue 8: lazy imports).
NOT_BEFORE_FIRST_PAINT = ("whoosh", "PySide6.QtPrintSupport", "pypdf", "viewer.search")
# Issue 16's targets: first paint and whole process against the bare window.
STARTUP_RATIO = {"bundled": 1.4, "large": 2.0}
EXIT_RATIO = {"bundled": 2.0, "large": 3.0}
LARGE_RSS_MB = 250.0
BUNDLED_RSS_RATIO = 1.5
SIZE = "1280x800"


def spawn(
    kind: str,
    corpus: Path,
    cache_dir: Path,
    work: Path,
    wait_limit_s: float | None = None,
    before: Path | None = None,
) -> dict:
    """One measured start: seconds to first paint and to exit, peak RSS, modules at first paint.
    `kind` "before" runs the reader (and its probe) from the checkout `before`."""
    shot = work / f"{kind}.png"
    env = child_env()
    if kind == "before" and before is not None:
        env["PYTHONPATH"] = str(before) + os.pathsep + env["PYTHONPATH"]
    if kind in ("ours", "before"):
        command = [
            sys.executable,
            "-m",
            "benchmarks.startup_probe",
            "--corpus",
            str(corpus),
            "--cache-dir",
            str(cache_dir),
            "--settings",
            str(work / "settings.ini"),
            "--screenshot",
            str(shot),
            "--size",
            SIZE,
        ]
        if wait_limit_s:
            command += ["--wait-limit", str(wait_limit_s)]
    else:
        command = [
            sys.executable,
            "-m",
            "benchmarks.baseline_window",
            "--corpus",
            str(corpus),
            "--screenshot",
            str(shot),
            "--size",
            SIZE,
        ]
    started = time.time()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        timeout=max(600, (wait_limit_s or 0) + 300),
    )
    gone = time.time()  # the whole process, interpreter teardown included
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} start-up run failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    if result["first_paint"] is None:
        raise RuntimeError(f"{kind} never painted its first article")
    result["to_paint_ms"] = (result["first_paint"] - started) * 1000
    result["to_exit_ms"] = (gone - started) * 1000
    result["teardown_ms"] = (gone - result["exit"]) * 1000
    for key in ("window", "searchable"):
        if result.get(key) is not None:
            result[f"to_{key}_ms"] = (result[key] - started) * 1000
    return result


def measure(
    corpus: Path, cache_dir: Path, runs: int, before: Path | None = None
) -> dict[str, list[dict]]:
    """Alternating runs of ours and the baseline (and `before`), after one untimed warm-up each
    (disk cache, bytecode)."""
    results: dict[str, list[dict]] = {"ours": [], "baseline": []}
    if before is not None:
        results["before"] = []
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as work:
        for kind in results:
            spawn(kind, corpus, cache_dir, Path(work), before=before)
        for _ in range(runs):
            for kind in results:
                results[kind].append(spawn(kind, corpus, cache_dir, Path(work), before=before))
    return results


def sizes(text: str) -> list[int]:
    """`--articles 10000,50000`: the generated corpora's sizes (argparse turns the error into a
    one-line usage message: an empty corpus has no first article to paint)."""
    try:
        found = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of article counts: {text!r}") from None
    if any(count < 1 for count in found):
        raise argparse.ArgumentTypeError(f"article counts must be at least 1: {text!r}")
    return found


def before_figures(label: str, results: dict[str, list[dict]]) -> list[Figure]:
    """The checkout given by --before, measured in the same run: each figure against the bare
    window, beside ours (informative rows: the targets are judged on ours)."""
    if "before" not in results:
        return []
    print(
        f"{label}: before to first paint {_runs(results['before'], 'to_paint_ms')}; "
        f"peak RSS {_runs(results['before'], 'peak_rss_mb')[:-3]} MB"
    )
    rows = (
        ("to_paint_ms", f"BEFORE: start-up to first article painted, {label} (ms)"),
        ("to_exit_ms", f"BEFORE: whole --screenshot process, {label} (ms)"),
        ("peak_rss_mb", f"BEFORE: peak RSS, {label} (MB)"),
    )
    return [
        figure(
            name,
            median([r[key] for r in results["before"]]),
            median([r[key] for r in results["baseline"]]),
        )
        for key, name in rows
    ]


def corpora(articles: list[int]) -> list[tuple[str, str, Path, Path, int]]:
    """(key, label, corpus, cache folder, articles) with catalogue and index prepared."""
    found = [("bundled", "bundled corpus", bundled_corpus(), DATA_DIR / "cache-bundled", 0)]
    for count in articles:
        large = generated_corpus(count)
        found.append(
            ("large", f"{count:,} articles", large, DATA_DIR / f"cache-{large.name}", count)
        )
    for _key, label, corpus, cache, _count in found:
        started = time.perf_counter()
        prepare_cache(corpus, cache)
        print(f"({label}: catalogue and index ready in {time.perf_counter() - started:.1f} s)")
    return found


def startup_figures(key: str, label: str, results: dict[str, list[dict]]) -> list[Figure]:
    ours = median([r["to_paint_ms"] for r in results["ours"]])
    base = median([r["to_paint_ms"] for r in results["baseline"]])
    ratio = STARTUP_RATIO[key]
    loaded = sorted(
        {
            m
            for r in results["ours"]
            for m, yes in r["imported"].items()
            if yes and m in NOT_BEFORE_FIRST_PAINT
        }
    )
    print(
        f"{label}: ours to first paint {_runs(results['ours'], 'to_paint_ms')}; "
        f"baseline {_runs(results['baseline'], 'to_paint_ms')}"
    )
    print(
        f"{label}: loaded before the first paint: "
        f"{', '.join(m for m, yes in results['ours'][-1]['imported'].items() if yes) or 'none of the watched'}"
    )
    return [
        figure(
            f"start-up to first article painted, {label} (ms)",
            ours,
            base,
            f"<= {ratio:g}x",
            ours <= ratio * base,
        ),
        figure(
            f"whole --screenshot process (teardown included), {label} (ms)",
            median([r["to_exit_ms"] for r in results["ours"]]),
            median([r["to_exit_ms"] for r in results["baseline"]]),
            f"<= {EXIT_RATIO[key]:g}x",
            median([r["to_exit_ms"] for r in results["ours"]])
            <= EXIT_RATIO[key] * median([r["to_exit_ms"] for r in results["baseline"]]),
        ),
        figure(
            f"  of which after main() returned (teardown), {label} (ms)",
            median([r["teardown_ms"] for r in results["ours"]]),
            median([r["teardown_ms"] for r in results["baseline"]]),
        ),
        figure(
            f"heavy modules before first paint, {label} ({', '.join(loaded) or 'none'})",
            len(loaded),
            0,
            "none",
            not loaded,
        ),
    ]


def memory_figures(
    key: str, label: str, results: dict[str, list[dict]], articles: int = 10000
) -> list[Figure]:
    ours = median([r["peak_rss_mb"] for r in results["ours"]])
    base = median([r["peak_rss_mb"] for r in results["baseline"]])
    if key == "bundled":
        return [
            figure(
                f"peak RSS, {label} (MB)",
                ours,
                base,
                f"<= {BUNDLED_RSS_RATIO:g}x",
                ours <= BUNDLED_RSS_RATIO * base,
            )
        ]
    limit = LARGE_RSS_MB if articles <= 10000 else LARGE_RSS_MB * 2  # 500 MB at 50,000
    return [figure(f"peak RSS, {label} (MB)", ours, base, f"< {limit:g} MB", ours < limit)]


def _runs(results: list[dict], key: str) -> str:
    return " ".join(f"{r[key]:.0f}" for r in results) + " ms"


def _parser(name: str, runs: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m benchmarks {name}", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--runs", type=int, default=runs, help=f"runs of each side per corpus (default {runs})"
    )
    parser.add_argument(
        "--articles",
        type=sizes,
        default=[10000],
        help="sizes of the generated corpora, comma-separated (default 10000)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="DIR",
        help="also run the reader from this checkout, interleaved (a before/after in one run)",
    )
    return parser


def run_startup(argv: list[str]) -> list[Figure]:
    args = _parser("startup", 5).parse_known_args(argv)[0]
    figures: list[Figure] = []
    for key, label, corpus, cache, count in corpora(args.articles):
        results = measure(corpus, cache, args.runs, args.before)
        figures += startup_figures(key, label, results)
        print(
            f"{label}: peak RSS ours {_runs(results['ours'], 'peak_rss_mb')[:-3]} MB; "
            f"baseline {_runs(results['baseline'], 'peak_rss_mb')[:-3]} MB"
        )
        figures += memory_figures(key, label, results, count)
        figures += before_figures(label, results)
    return figures


def run_memory(argv: list[str]) -> list[Figure]:
    args = _parser("memory", 3).parse_known_args(argv)[0]
    figures: list[Figure] = []
    for key, label, corpus, cache, count in corpora(args.articles):
        results = measure(corpus, cache, args.runs)
        print(
            f"{label}: peak RSS ours {_runs(results['ours'], 'peak_rss_mb')[:-3]} MB; "
            f"baseline {_runs(results['baseline'], 'peak_rss_mb')[:-3]} MB"
        )
        figures += memory_figures(key, label, results, count)
    return figures


run = run_startup  # the registry's name for "figures of this benchmark"


def main(argv: list[str] | None = None) -> int:
    print_table(run_startup(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
