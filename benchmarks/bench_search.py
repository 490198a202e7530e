"""Search benchmark: our Whoosh index against SQLite FTS5 on the same generated corpus, same run.

For each corpus size it generates (or reuses) a seeded collection in the seed .txt layout, loads
it once, then measures on the same loaded articles:

- index build: `SearchIndex.rebuild` vs an FTS5 table (porter tokenizer) filled and committed;
- search: a fixed query mix, each query warmed once and then run `--runs` times; ours is
  `SearchIndex.search` (hits, total, snippets, corrections), FTS5's is bm25-ranked top 10 with
  snippet() plus the total count; p50/p95 per query and over the whole mix;
- update after changing one article: the article's file is edited, the library reloaded from
  its catalogue (as the app does; only that file is re-read, not counted), then
  `SearchIndex.ensure_current` vs FTS5 delete + insert + commit of that article;
- cold one-shot search: a new `article-viewer search QUERY --json` process on the up-to-date
  index vs a new Python process opening the FTS5 database for the same query (medians);
- build in a worker thread (as the GUI builds) vs the main thread (as the CLI does), smallest size;
- `--rss-articles N`: peak RSS of a build of N articles in a child process (library loaded from
  its catalogue first, as the app does), vs the same child's RSS before the build.

    python -m benchmarks search --articles 2000 10000 [--runs 20] [--profile] [--rss-articles 50000]

Targets (ARCHITECTURE/issue 3): search p95 <= 2x FTS5 at 2,000 articles and < 100 ms at 10,000;
build for 2,000 <= 15x FTS5; update after changing one article < 1 s at 10,000. Issue 12: cold
CLI search < 3x FTS5's cold one-shot; worker-thread build within 1.2x of the main thread's; peak
RSS of a 50,000-article build < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.corpus_gen import ensure_corpus
from viewer.context import Context
from viewer.core.library import Library
from viewer.search import SearchIndex

DATA_DIR = Path(__file__).resolve().parent / "_data"

# (label, our query, prefix_last_word, FTS5 query): common and rare words, several words,
# phrase, OR, NOT, field, search-as-you-type prefix, a misspelling in the text, a typo to correct.
QUERY_MIX = [
    ("common word", "kratom", False, "kratom"),
    ("mid word", "dosage", False, "dosage"),
    ("rare word", "hyperpigmentation", False, "hyperpigmentation"),
    ("two words", "opioid withdrawal", False, "opioid withdrawal"),
    ("three words", "chronic pain relief", False, "chronic pain relief"),
    ("phrase", '"side effects"', False, '"side effects"'),
    ("OR", "anxiety OR insomnia", False, "anxiety OR insomnia"),
    ("NOT", "pain NOT opioid", False, "pain NOT opioid"),
    ("field", "title:dopamine", False, "title:dopamine"),
    ("prefix (typing)", "dopa", True, "dopa*"),
    ("misspelt word", "withdrawl", False, "withdrawl"),
    ("typo to correct", "hyperpigmentaton", False, "hyperpigmentaton"),
]
COLD_QUERY = "chronic pain relief"
COLD_RUNS = 5
# A cold FTS5 one-shot: a new process opens the database and answers like Fts5Baseline.search.
FTS5_COLD = """import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
hits = db.execute("SELECT article, anchor, heading, snippet(sections, 4, '<b>', '</b>', '…', 30),"
                  " bm25(sections, 0, 0, 1.5, 3.0, 1.0) AS score FROM sections WHERE sections MATCH ?"
                  " ORDER BY score LIMIT 10", (sys.argv[2],)).fetchall()
total = db.execute("SELECT count(*) FROM sections WHERE sections MATCH ?", (sys.argv[2],)).fetchone()[0]
print(total, len(hits))
"""
# A build in a child process, its library loaded from the catalogue first: peak RSS (MB).
BUILD_CHILD = """import json, resource, sys, time
from viewer.core.library import Library
from viewer.search import SearchIndex
library = Library.load(sys.argv[1], cache_dir=sys.argv[2])
if len(sys.argv) > 3:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    SearchIndex.for_library(library, sys.argv[2]).rebuild()
    print(json.dumps({"seconds": time.perf_counter() - started, "before_mb": before,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
TARGETS = {
    "search_ratio_at": 2000,
    "search_ratio": 2.0,
    "search_ms_at": 10000,
    "search_ms": 100.0,
    "build_ratio_at": 2000,
    "build_ratio": 15.0,
    "update_s_at": 10000,
    "update_s": 1.0,
    "cold_ratio": 3.0,
    "thread_ratio": 1.2,
    "rss_mb": 500.0,
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Fts5Baseline:
    """The same sections in an on-disk SQLite FTS5 table, queried the way our search is used."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE VIRTUAL TABLE sections USING fts5(article UNINDEXED, anchor UNINDEXED,"
            " title, heading, body, tokenize='porter unicode61 remove_diacritics 2')"
        )

    @staticmethod
    def rows(articles):
        for article in articles:
            for section in article.sections:
                yield article.id, section.anchor, article.title, section.heading, section.plain_text

    def build(self, articles) -> None:
        self.db.executemany("INSERT INTO sections VALUES (?, ?, ?, ?, ?)", self.rows(articles))
        self.db.commit()

    def replace(self, article) -> None:
        self.db.execute("DELETE FROM sections WHERE article = ?", (article.id,))
        self.db.executemany("INSERT INTO sections VALUES (?, ?, ?, ?, ?)", self.rows([article]))
        self.db.commit()

    def search(self, query: str, limit: int = 10) -> tuple[int, list]:
        # Same field weights as ours (title 1.5, heading 3, body 1).
        hits = self.db.execute(
            "SELECT article, anchor, heading, snippet(sections, 4, '<b>', '</b>', '…', 30),"
            " bm25(sections, 0, 0, 1.5, 3.0, 1.0) AS score FROM sections WHERE sections MATCH ?"
            " ORDER BY score LIMIT ?",
            (query, limit),
        ).fetchall()
        total = self.db.execute(
            "SELECT count(*) FROM sections WHERE sections MATCH ?", (query,)
        ).fetchone()[0]
        return total, hits

    def close(self) -> None:
        self.db.close()


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def edit_one_article(library: Library) -> str:
    """Append a sentence to the middle article's file; returns its id."""
    entry = library.entries[len(library.entries) // 2]
    path = Path(library.root) / entry.path
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + " Benchmark edit: the dosage advice was revised.\n", encoding="utf-8")
    return entry.id


def _cpu_timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of a child process. The CPU time holds on a
    machine shared with other work, where the wall time is mostly waiting for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _ = timed(subprocess.run, command, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold_searches(corpus: Path, cache: Path, fts_path: Path) -> tuple[float, float, float, float]:
    """Median seconds of a new `search` process (its first run, which records the corpus
    stamp, left out) and of a new process asking FTS5 the same: (ours, FTS5) wall, then CPU."""
    ours_cmd = [
        sys.executable,
        "-m",
        "viewer",
        "--corpus",
        str(corpus),
        "--cache-dir",
        str(cache),
        "search",
        COLD_QUERY,
        "--json",
    ]
    fts_cmd = [sys.executable, "-c", FTS5_COLD, str(fts_path), COLD_QUERY]
    subprocess.run(ours_cmd, check=True, capture_output=True)
    ours, fts = [], []
    for _ in range(COLD_RUNS):
        ours.append(_cpu_timed(ours_cmd))
        fts.append(_cpu_timed(fts_cmd))
    return (
        statistics.median(w for w, _ in ours),
        statistics.median(w for w, _ in fts),
        statistics.median(c for _, c in ours),
        statistics.median(c for _, c in fts),
    )


def cold_size(
    articles: int, seed: int, corpus: Path | None = None, cache: Path | None = None
) -> list[tuple]:
    """Only the cold one-shot search, at a size too large for the whole run (50,000): the
    corpus generated (or given), its catalogue and index built by `article-viewer index`."""
    corpus = corpus or ensure_corpus(DATA_DIR / f"gen-{articles}-{seed}", articles, seed)
    cli = cache or DATA_DIR / f"cold-cache-{corpus.name}"
    subprocess.run(
        [sys.executable, "-m", "viewer", "--corpus", str(corpus), "--cache-dir", str(cli), "index"],
        check=True,
        capture_output=True,
    )
    work = Path(tempfile.mkdtemp(prefix=f"bench-cold-{articles}-"))
    try:
        library = Library.load(corpus, cache_dir=Context(corpus, cli).corpus_cache_dir())
        fts = Fts5Baseline(work / "fts5.sqlite")
        fts.build(library.iter_articles())
        fts.close()
        wall, fts_wall, cpu, fts_cpu = cold_searches(corpus, cli, work / "fts5.sqlite")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n== cold one-shot search, {len(library)} articles: ours {wall:.3f} s "
        f"(CPU {cpu:.3f} s), FTS5 {fts_wall:.3f} s (CPU {fts_cpu:.3f} s), medians of {COLD_RUNS}"
    )
    ratio = TARGETS["cold_ratio"]
    return [
        (
            f"cold CLI search, {len(library)} articles (s)",
            wall,
            fts_wall,
            f"< {ratio:g}x FTS5",
            wall < ratio * fts_wall,
        ),
        (
            f"cold CLI search, {len(library)} articles (CPU s)",
            cpu,
            fts_cpu,
            f"< {ratio:g}x FTS5",
            cpu < ratio * fts_cpu,
        ),
    ]


def thread_build(library: Library, cache: Path) -> tuple[float, float]:
    """Seconds of a rebuild in a worker thread (as the GUI builds) and in the main thread."""
    index = SearchIndex.for_library(library, cache)
    worker = threading.Thread(target=index.rebuild)
    started = time.perf_counter()
    worker.start()
    worker.join()
    in_thread = time.perf_counter() - started
    in_main, _ = timed(index.rebuild)
    index.close()
    return in_thread, in_main


def build_rss(articles: int, seed: int) -> list[tuple]:
    """Peak RSS of a build of `articles` in a child process (catalogue written beforehand)."""
    corpus = ensure_corpus(DATA_DIR / f"gen-{articles}-{seed}", articles, seed)
    work = Path(tempfile.mkdtemp(prefix=f"bench-rss-{articles}-"))
    try:
        subprocess.run([sys.executable, "-c", BUILD_CHILD, str(corpus), str(work)], check=True)
        out = subprocess.run(
            [sys.executable, "-c", BUILD_CHILD, str(corpus), str(work), "build"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        child = json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n== build of {articles} articles in a child: {child['seconds']:.1f} s, peak RSS "
        f"{child['peak_mb']:.0f} MB (library loaded: {child['before_mb']:.0f} MB)"
    )
    limit = TARGETS["rss_mb"]
    return [
        (
            f"index build peak RSS, {articles} articles (MB; baseline: library loaded)",
            child["peak_mb"],
            child["before_mb"],
            f"< {limit:g} MB",
            child["peak_mb"] < limit,
        )
    ]


def run_size(
    articles: int, runs: int, seed: int, profile: bool, threads: bool = False
) -> list[tuple]:
    corpus = ensure_corpus(DATA_DIR / f"gen-{articles}-{seed}", articles, seed)
    work = Path(tempfile.mkdtemp(prefix=f"bench-search-{articles}-"))
    try:
        # Edits below touch one file: work on a copy so the cached corpus stays as generated.
        shutil.copytree(corpus, work / "corpus")
        load_s, library = timed(Library.load, work / "corpus")
        sections = sum(len(a.sections) for a in library.articles)
        print(f"\n== {articles} articles, {sections} sections (library loaded in {load_s:.1f} s)")
        # The CLI's cache folder for this corpus: the cold searches below use the same index.
        catalogue = Context.from_args(str(work / "corpus"), str(work / "cli")).corpus_cache_dir()
        index = SearchIndex.for_library(library, catalogue)
        profiler = _profiler(profile)
        ours_build, _ = timed(index.rebuild, library)
        _stop(profiler, "index build")
        fts = Fts5Baseline(work / "fts5.sqlite")
        fts_build, _ = timed(fts.build, library.articles)
        print(f"build: ours {ours_build:.2f} s, FTS5 {fts_build:.2f} s")

        ours_all, fts_all, rows = [], [], []
        profiler = _profiler(profile)
        for label, query, prefix, fts_query in QUERY_MIX:
            index.search(query, prefix_last_word=prefix)  # warm: vocabulary, caches
            fts.search(fts_query)
            ours_times = [
                timed(index.search, query, prefix_last_word=prefix)[0] * 1000 for _ in range(runs)
            ]
            fts_times = [timed(fts.search, fts_query)[0] * 1000 for _ in range(runs)]
            result = index.search(query, prefix_last_word=prefix)
            fts_total = fts.search(fts_query)[0]
            ours_all += ours_times
            fts_all += fts_times
            rows.append(
                (
                    label,
                    query,
                    statistics.median(ours_times),
                    percentile(ours_times, 0.95),
                    statistics.median(fts_times),
                    percentile(fts_times, 0.95),
                    f"{result.total}{'*' if result.corrected else ''}",
                    fts_total,
                )
            )
        _stop(profiler, "query mix")
        _print_query_table(rows)

        # The app's way: a catalogued library (only changed files re-read), then ensure_current.
        Library.load(work / "corpus", cache_dir=catalogue)  # writes the catalogue once
        index.ensure_current(Library.load(work / "corpus", cache_dir=catalogue))
        ours_cold, fts_cold, ours_cpu, fts_cpu = cold_searches(
            work / "corpus", work / "cli", work / "fts5.sqlite"
        )
        print(
            f"cold one-shot search: ours {ours_cold:.3f} s (CPU {ours_cpu:.3f} s), FTS5 "
            f"{fts_cold:.3f} s (CPU {fts_cpu:.3f} s), medians of {COLD_RUNS}"
        )
        in_thread = in_main = None
        if threads:
            in_thread, in_main = thread_build(library, work / "threads")
            print(f"build in a worker thread {in_thread:.2f} s, in the main thread {in_main:.2f} s")
        changed_id = edit_one_article(library)
        reload_s, updated = timed(Library.load, work / "corpus", cache_dir=catalogue)
        update_s, stats = timed(index.ensure_current, updated)
        if stats.changed != 1 or stats.added or stats.removed or stats.rebuilt:
            raise RuntimeError(f"the one-article update did something else: {stats.summary()}")
        fts_update_s, _ = timed(fts.replace, updated.get(changed_id))
        print(
            f"update: library reload {reload_s:.2f} s (not counted), index {update_s:.3f} s, "
            f"FTS5 {fts_update_s:.3f} s"
        )
        fts.close()
        index.close()
        figures = _figures(
            articles, ours_build, fts_build, ours_all, fts_all, update_s, fts_update_s
        )
        t = TARGETS
        figures.append(
            (
                f"cold CLI search, {articles} articles (s)",
                ours_cold,
                fts_cold,
                f"< {t['cold_ratio']:g}x FTS5",
                ours_cold < t["cold_ratio"] * fts_cold,
            )
        )
        if in_thread is not None:
            figures.append(
                (
                    f"build in a worker thread, {articles} articles (s; baseline: main)",
                    in_thread,
                    in_main,
                    f"<= {t['thread_ratio']:g}x",
                    in_thread <= t["thread_ratio"] * in_main,
                )
            )
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _figures(articles, ours_build, fts_build, ours_all, fts_all, update_s, fts_update_s):
    t = TARGETS
    ours_p50, ours_p95 = statistics.median(ours_all), percentile(ours_all, 0.95)
    fts_p50, fts_p95 = statistics.median(fts_all), percentile(fts_all, 0.95)
    figures = [
        (f"search p50, {articles} articles (ms)", ours_p50, fts_p50, None, None),
        (
            f"search p95, {articles} articles (ms)",
            ours_p95,
            fts_p95,
            f"<= {t['search_ratio']:g}x FTS5"
            if articles == t["search_ratio_at"]
            else f"< {t['search_ms']:g} ms"
            if articles == t["search_ms_at"]
            else None,
            (ours_p95 <= t["search_ratio"] * fts_p95)
            if articles == t["search_ratio_at"]
            else (ours_p95 < t["search_ms"])
            if articles == t["search_ms_at"]
            else None,
        ),
        (
            f"index build, {articles} articles (s)",
            ours_build,
            fts_build,
            f"<= {t['build_ratio']:g}x FTS5" if articles == t["build_ratio_at"] else None,
            (ours_build <= t["build_ratio"] * fts_build)
            if articles == t["build_ratio_at"]
            else None,
        ),
        (
            f"update after changing 1 article, {articles} articles (s)",
            update_s,
            fts_update_s,
            f"< {t['update_s']:g} s" if articles == t["update_s_at"] else None,
            (update_s < t["update_s"]) if articles == t["update_s_at"] else None,
        ),
    ]
    return figures


def _print_query_table(rows) -> None:
    print(
        f"{'query':<18} {'text':<22} {'ours p50':>9} {'ours p95':>9} {'FTS5 p50':>9} "
        f"{'FTS5 p95':>9} {'hits ours':>10} {'hits FTS5':>10}"
    )
    for label, query, o50, o95, f50, f95, hits, fts_hits in rows:
        print(
            f"{label:<18} {query:<22} {o50:>9.2f} {o95:>9.2f} {f50:>9.2f} {f95:>9.2f} "
            f"{hits:>10} {fts_hits:>10}"
        )
    print("(times in ms; * = hits of the spelling-corrected query)")


def print_summary(figures) -> None:
    print(f"\n{'figure':<52} {'ours':>10} {'baseline':>10} {'ratio':>7}  {'target':<14} met")
    for name, ours, base, target, met in figures:
        ratio = ours / base if base else float("nan")
        verdict = "-" if met is None else ("yes" if met else "NO")
        print(
            f"{name:<52} {ours:>10.3f} {base:>10.3f} {ratio:>6.1f}x  {target or '-':<14} {verdict}"
        )


def _profiler(enabled: bool):
    if not enabled:
        return None
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("(--profile needs pyinstrument: pip install pyinstrument)")
        return None
    profiler = Profiler()
    profiler.start()
    return profiler


def _stop(profiler, label: str) -> None:
    if profiler is not None:
        profiler.stop()
        print(f"--- profile: {label}")
        print(profiler.output_text(unicode=False, color=False))


def run(argv: list[str]) -> list[tuple]:
    """The figures (name, ours, baseline, target, met), for `python -m benchmarks`'s one table."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks search", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--articles",
        type=int,
        nargs="*",
        default=[2000, 10000],
        help="corpus sizes (default: 2000 10000)",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument("--seed", type=int, default=7, help="corpus generator seed (default 7)")
    parser.add_argument(
        "--profile", action="store_true", help="profile with pyinstrument if installed"
    )
    parser.add_argument(
        "--rss-articles",
        type=int,
        default=0,
        metavar="N",
        help="also measure the peak RSS of building N articles (e.g. 50000)",
    )
    parser.add_argument(
        "--cold-articles",
        type=int,
        default=0,
        metavar="N",
        help="also the cold one-shot search alone at N articles (e.g. 50000)",
    )
    parser.add_argument(
        "--cold-corpus", type=Path, help="an existing corpus for --cold-articles instead"
    )
    parser.add_argument("--cold-cache", type=Path, help="and its --cache-dir (default: _data)")
    args = parser.parse_args(argv)
    figures = []
    if args.cold_articles or args.cold_corpus:
        figures += cold_size(args.cold_articles, args.seed, args.cold_corpus, args.cold_cache)
        if not args.articles:
            return figures
    for articles in args.articles:
        figures += run_size(
            articles, args.runs, args.seed, args.profile, threads=articles == min(args.articles)
        )
    if args.rss_articles:
        figures += build_rss(args.rss_articles, args.seed)
    return figures


def main(argv: list[str] | None = None) -> int:
    print_summary(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
