"""A cold one-shot CLI search against SQLite FTS5's cold one-shot, on the same collection.

Ours is a new `article-viewer search QUERY --json` process on an up-to-date index (its corpus
stamp recorded by a first, uncounted run); FTS5's is a new Python process that opens an FTS5
database of the same sections and answers the same query (bm25-ranked top 10 with snippets,
plus the total, as bench_search.Fts5Baseline). Runs are interleaved (ours, FTS5, ours, ...) so
that both see the same load; figures are medians of CPU time (user + system of the child: on a
machine shared with other work the wall time is mostly waiting for a core) and of wall time.

The FTS5 database is built once per corpus state and kept beside the index in the cache folder
(outside the repository): at 50,000 articles building it takes minutes.

    python -m benchmarks cold [--articles 50000 | --corpus DIR --cache DIR] [--runs 5]

Target (issue 12): a cold CLI search at 50,000 articles < 3x FTS5's cold one-shot.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_search import FTS5_COLD, Fts5Baseline
from benchmarks.report import Figure, add_corpus_arguments, child_env, figure, prepared_corpus
from viewer.context import Context
from viewer.search.freshness import corpus_stamp

TARGET_RATIO = 3.0
# (label, our query, FTS5's query): a rare word, a word in nearly every section, a three-word
# natural query, a phrase.
QUERIES = [
    ("rare word", "hyperpigmentation", "hyperpigmentation"),
    ("common word", "kratom", "kratom"),
    ("three words", "chronic pain relief", "chronic pain relief"),
    ("phrase", '"side effects"', '"side effects"'),
]


def fts5_database(corpus: Path, cache: Path) -> Path:
    """The FTS5 database of the corpus's sections, built unless one for this corpus state is
    kept in the corpus's cache folder already."""
    folder = Context(corpus, cache).corpus_cache_dir()
    path, mark = folder / "bench-fts5.sqlite", folder / "bench-fts5.json"
    stamp = corpus_stamp(corpus)
    try:
        if stamp and json.loads(mark.read_text(encoding="utf-8")).get("corpus") == stamp:
            return path
    except (OSError, ValueError):
        pass  # no mark yet, or an unreadable one: build the database afresh
    from viewer.core.library import Library

    path.unlink(missing_ok=True)
    started = time.perf_counter()
    library = Library.load(corpus, cache_dir=folder)
    fts = Fts5Baseline(path)
    fts.build(library.iter_articles())
    fts.close()
    print(
        f"(FTS5 database of {len(library)} articles built in {time.perf_counter() - started:.0f} s)"
    )
    mark.write_text(json.dumps({"corpus": stamp}), encoding="utf-8")
    return path


def _timed(command: list[str]) -> tuple[float, float, str]:
    """(wall s, CPU s of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=child_env())
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def measure(corpus: Path, cache: Path, fts_path: Path, runs: int) -> list[dict]:
    rows = []
    for label, ours_query, fts_query in QUERIES:
        ours_cmd = [sys.executable, "-m", "viewer", "--corpus", str(corpus)]
        ours_cmd += ["--cache-dir", str(cache), "search", ours_query, "--json"]
        fts_cmd = [sys.executable, "-c", FTS5_COLD, str(fts_path), fts_query]
        _timed(ours_cmd)  # records the corpus stamp if needed, writes bytecode: not counted
        _timed(fts_cmd)
        ours, fts = [], []
        for _ in range(runs):
            ours.append(_timed(ours_cmd))
            fts.append(_timed(fts_cmd))
        row = {
            "label": label,
            "query": ours_query,
            "total": json.loads(ours[-1][2])["total"],
            "fts_total": int(fts[-1][2].split()[0]),
            "wall": statistics.median(w for w, _, _ in ours),
            "cpu": statistics.median(c for _, c, _ in ours),
            "fts_wall": statistics.median(w for w, _, _ in fts),
            "fts_cpu": statistics.median(c for _, c, _ in fts),
        }
        rows.append(row)
        print(
            f"{label:<12} {ours_query!r:<24} ours CPU {row['cpu']:.3f} s wall {row['wall']:.3f} s "
            f"({row['total']} sections); FTS5 CPU {row['fts_cpu']:.3f} s wall "
            f"{row['fts_wall']:.3f} s ({row['fts_total']}); CPU ratio "
            f"{row['cpu'] / row['fts_cpu']:.2f}x",
            flush=True,
        )
    return rows


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks cold", description=__doc__.split("\n")[0]
    )
    add_corpus_arguments(parser, 50000)
    parser.add_argument("--runs", type=int, default=5, help="runs per query and side (default 5)")
    args = parser.parse_args(argv)
    corpus, cache = prepared_corpus(args)
    rows = measure(corpus, cache, fts5_database(corpus, cache), args.runs)
    print(f"(medians of {args.runs} interleaved runs each)")
    figures = []
    for row in rows:
        name = f"cold CLI search, {corpus.name}, {row['label']}"
        figures.append(
            figure(
                f"{name} (CPU s)",
                row["cpu"],
                row["fts_cpu"],
                f"< {TARGET_RATIO:g}x FTS5",
                row["cpu"] < TARGET_RATIO * row["fts_cpu"],
            )
        )
        figures.append(figure(f"{name} (wall s)", row["wall"], row["fts_wall"]))
    return figures


def main(argv: list[str] | None = None) -> int:
    from benchmarks.report import print_table

    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
