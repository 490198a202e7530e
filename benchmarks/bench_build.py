"""Index build from a catalogued library: two processes against one, CPU against SQLite FTS5, peak
RSS (issue 12).

    python -m benchmarks build [--articles 10000] [--runs 1] [--rss-articles 50000]
                               [--catalogue DIR]

Each build runs in a child process whose library is loaded from a catalogue written beforehand,
as for the CLI's `index --rebuild` and the GUI: the articles are read from their files during
the build. Figures: wall time of a build in two processes against one (runs alternate;
medians), the build's CPU time (the child's own and its helper process's) against FTS5 filling
a table with the same sections read through the same library, and the peak RSS of each process
of a build of `--rss-articles` (the largest of the two, and their sum).

Targets (issue 12): two processes faster than one on two cores; build CPU at 10,000 articles
<= 8x FTS5's; peak RSS of a 50,000-article build < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.report import ROOT, Figure, child_env, figure, generated_corpus, median, print_table

CPU_RATIO = 8.0
RSS_MB = 500.0
# argv: corpus, catalogue folder, index cache folder, "fts5" or the number of build processes.
CHILD = """import json, resource, sys, time
from pathlib import Path
from viewer.core.library import Library
library = Library.load(sys.argv[1], cache_dir=sys.argv[2])
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cpu_before, started = cpu(), time.perf_counter()
if sys.argv[4] == "fts5":
    from benchmarks.bench_search import Fts5Baseline
    fts = Fts5Baseline(Path(sys.argv[3]) / "fts5.sqlite")
    fts.build(library.iter_articles())
    fts.close()
else:
    from viewer.search import SearchIndex
    SearchIndex.for_library(library, sys.argv[3], build_processes=int(sys.argv[4])).rebuild()
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu() - cpu_before,
                  "before_mb": before_mb,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "helper_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def build_in_child(corpus: Path, work: Path, kind: str) -> dict:
    """One build (kind: "1", "2" or "fts5") into a fresh cache folder; the child's figures."""
    cache = work / f"index-{kind}"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(work / "catalogue"), str(cache), kind],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(),
    ).stdout
    shutil.rmtree(cache, ignore_errors=True)
    return json.loads(out.strip().splitlines()[-1])


def prepare(corpus: Path, work: Path) -> None:
    """The catalogue, written once (not measured; kept with --catalogue, only checked then)."""
    subprocess.run(
        [sys.executable, "-c", CHILD.split("def cpu")[0], str(corpus), str(work / "catalogue")],
        check=True,
        cwd=ROOT,
        env=child_env(),
    )


def _work(catalogues: Path | None, articles: int, folder: str) -> Path:
    """Where a build's catalogue (kept in `catalogues` between runs, if given) and caches go."""
    if catalogues is None:
        return Path(folder)
    work = catalogues / f"gen-{articles}"
    work.mkdir(parents=True, exist_ok=True)
    return work


def speed_figures(articles: int, runs: int, catalogues: Path | None) -> list[Figure]:
    corpus = generated_corpus(articles)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        work = _work(catalogues, articles, folder)
        prepare(corpus, work)
        results: dict[str, list[dict]] = {"1": [], "2": [], "fts5": []}
        for _ in range(runs):
            for kind in results:  # alternating, so that the neighbours' load falls on each
                results[kind].append(build_in_child(corpus, work, kind))
    for kind, label in (("1", "one process"), ("2", "two processes"), ("fts5", "FTS5")):
        print(
            f"build of {articles:,} articles, {label}: "
            + "; ".join(f"{r['seconds']:.1f} s wall, {r['cpu']:.1f} s CPU" for r in results[kind])
        )

    def med(kind: str, key: str) -> float:
        return median([r[key] for r in results[kind]])

    cpu_two, cpu_fts = med("2", "cpu"), med("fts5", "cpu")
    return [
        figure(
            f"index build, {articles:,} articles, two processes (s; baseline: one)",
            med("2", "seconds"),
            med("1", "seconds"),
            "faster than one",
            med("2", "seconds") < med("1", "seconds"),
        ),
        figure(
            f"index build CPU, {articles:,} articles, one process (s; baseline: FTS5)",
            med("1", "cpu"),
            cpu_fts,
            f"<= {CPU_RATIO:g}x FTS5",
            med("1", "cpu") <= CPU_RATIO * cpu_fts,
        ),
        figure(
            f"index build CPU, {articles:,} articles, two processes (s; baseline: FTS5)",
            cpu_two,
            cpu_fts,
            f"<= {CPU_RATIO:g}x FTS5",
            cpu_two <= CPU_RATIO * cpu_fts,
        ),
    ]


def rss_figures(articles: int, catalogues: Path | None) -> list[Figure]:
    corpus = generated_corpus(articles)
    with tempfile.TemporaryDirectory(prefix="bench-build-rss-") as folder:
        work = _work(catalogues, articles, folder)
        prepare(corpus, work)
        result = build_in_child(corpus, work, "2")
    own, helper = result["peak_mb"], result["helper_peak_mb"]
    print(
        f"build of {articles:,} articles: {result['seconds']:.1f} s, peak RSS {own:.0f} MB "
        f"(library loaded: {result['before_mb']:.0f} MB), its helper process {helper:.0f} MB"
    )
    return [
        figure(
            f"index build peak RSS, {articles:,} articles (MB; baseline: library loaded)",
            max(own, helper),
            result["before_mb"],
            f"< {RSS_MB:g} MB",
            max(own, helper) < RSS_MB,
        ),
        figure(
            f"  both build processes together, {articles:,} articles (MB)",
            own + helper,
            0,
            None,
            None,
        ),
    ]


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--articles", type=int, default=10000, help="corpus size (default 10000)")
    parser.add_argument("--runs", type=int, default=1, help="builds of each kind (default 1)")
    parser.add_argument(
        "--rss-articles",
        type=int,
        default=0,
        metavar="N",
        help="also the peak RSS of a build of N articles (e.g. 50000)",
    )
    parser.add_argument(
        "--catalogue",
        type=Path,
        metavar="DIR",
        help="keep the corpora's catalogues in DIR between runs (reading 50,000 articles the "
        "first time takes minutes)",
    )
    args = parser.parse_args(argv)
    figures = speed_figures(args.articles, args.runs, args.catalogue) if args.articles else []
    if args.rss_articles:
        figures += rss_figures(args.rss_articles, args.catalogue)
    return figures


def main(argv: list[str] | None = None) -> int:
    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
