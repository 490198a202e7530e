"""Relevance and speed on a public benchmark: BEIR SciFact, ours against SQLite FTS5 and stock Whoosh.

The data is read from `../shared/bench/scifact/` (or `--data DIR`, or $ARTICLE_VIEWER_SCIFACT)
and never copied into the project: each of the 5,183 abstracts is written as one Markdown article
into a temporary folder that is removed afterwards. Over the 300 test claims, each engine gets the
claim as a user would type it (FTS5 and stock Whoosh: the claim's words joined with OR, since
their query syntax would reject or misread its punctuation):

- nDCG@10, Recall@100, MRR@10 (BEIR's definitions; articles ranked by their best section);
- index build time: `article-viewer index` in a fresh process (what a user waits for) and
  `SearchIndex.rebuild` in this one, against an FTS5 table and a stock Whoosh index;
- p50 / p95 per query at 10 hits, each engine with its snippets (Whoosh: highlights);
- a cold single query: `article-viewer search CLAIM` in a fresh process against a fresh Python
  process opening the FTS5 file and running the same query.

    python -m benchmarks scifact [--data DIR] [--runs 1]

Targets (issue 12): nDCG@10 >= 1.03x FTS5, Recall@100 >= FTS5, p95 per query <= 2x FTS5.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_search import Fts5Baseline, percentile, timed
from benchmarks.report import child_env, figure, median
from viewer.core.library import Library
from viewer.core.plaintext import escape_markdown
from viewer.search import SearchIndex

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "scifact"
DATA_ENV = "ARTICLE_VIEWER_SCIFACT"
FTS_WORD = re.compile(r"\w+")
DEPTH = 100  # hits asked for when measuring relevance (Recall@100)


def data_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    # ../shared relative to the main checkout; worktrees sit beside it in /work/wt/NAME.
    for candidate in (
        DEFAULT_DATA,
        Path(__file__).resolve().parents[3] / "shared" / "bench" / "scifact",
    ):
        if (candidate / "corpus.jsonl.gz").is_file():
            return candidate
    return DEFAULT_DATA


def load_data(folder: Path):
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        corpus = [json.loads(line) for line in handle if line.strip()]
    with open(folder / "queries.test.jsonl", encoding="utf-8") as handle:
        queries = [json.loads(line) for line in handle if line.strip()]
    qrels: dict[str, set[str]] = {}
    with open(folder / "qrels.test.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            qid, did, score = line.split("\t")
            if int(score) > 0:
                qrels.setdefault(qid, set()).add(did)
    queries = [q for q in queries if q["_id"] in qrels]
    return corpus, queries, qrels


def article_id(doc_id: str) -> str:
    return f"d{doc_id}"


def write_corpus(corpus: list[dict], folder: Path) -> None:
    """One Markdown article per abstract: the title in front matter, the abstract as its text."""
    folder.mkdir(parents=True)
    for doc in corpus:
        title = json.dumps(doc["title"].strip() or doc["_id"], ensure_ascii=False)  # JSON is YAML
        text = escape_markdown(doc["text"].strip()) or "(no abstract)"
        (folder / f"{article_id(doc['_id'])}.md").write_text(
            f"---\ntitle: {title}\n---\n\n{text}\n", encoding="utf-8"
        )


def fts_query(text: str) -> str:
    return " OR ".join(f'"{w}"' for w in FTS_WORD.findall(text))


# -- relevance ---------------------------------------------------------------------------


def ranked_articles(article_ids: list[str]) -> list[str]:
    """Article ids best first, each once (an article ranks by its best section)."""
    return list(dict.fromkeys(article_ids))


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: list[str], relevant: set[str], k: int = 100) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def mrr_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    for i, d in enumerate(ranked[:k]):
        if d in relevant:
            return 1.0 / (i + 1)
    return 0.0


def relevance(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    wanted = {qid: {article_id(d) for d in docs} for qid, docs in qrels.items()}
    n = len(rankings) or 1
    return {
        "ndcg": sum(ndcg_at(r, wanted[q]) for q, r in rankings.items()) / n,
        "recall": sum(recall_at(r, wanted[q]) for q, r in rankings.items()) / n,
        "mrr": sum(mrr_at(r, wanted[q]) for q, r in rankings.items()) / n,
    }


# -- the engines ---------------------------------------------------------------------------


class Ours:
    name = "ours"

    def __init__(self, library: Library, cache: Path) -> None:
        self.index = SearchIndex.for_library(library, cache)
        self.build_s, _ = timed(self.index.rebuild, library)

    def ranked(self, text: str, limit: int) -> list[str]:
        return ranked_articles([h.article for h in self.index.search(text, limit=limit).hits])

    def timed_query(self, text: str) -> None:
        self.index.search(text, limit=10)

    def close(self) -> None:
        self.index.close()


class Fts5:
    name = "FTS5"

    def __init__(self, library: Library, path: Path) -> None:
        self.fts = Fts5Baseline(path)
        self.build_s, _ = timed(self.fts.build, library.iter_articles())

    def ranked(self, text: str, limit: int) -> list[str]:
        query = fts_query(text)
        return (
            ranked_articles([row[0] for row in self.fts.search(query, limit)[1]]) if query else []
        )

    def timed_query(self, text: str) -> None:
        query = fts_query(text)
        if query:
            self.fts.search(query, 10)

    def close(self) -> None:
        self.fts.close()


class StockWhoosh:
    """Whoosh as it comes: StemmingAnalyzer, BM25F, its default codec and query parser (OR)."""

    name = "stock Whoosh"

    def __init__(self, library: Library, folder: Path) -> None:
        from whoosh import fields, index, qparser
        from whoosh.analysis import StemmingAnalyzer

        schema = fields.Schema(
            article=fields.ID(stored=True),
            title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
            body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        )
        folder.mkdir()
        started = time.perf_counter()
        self.ix = index.create_in(str(folder), schema)
        writer = self.ix.writer(limitmb=256)
        for article in library.iter_articles():
            for section in article.sections:
                writer.add_document(
                    article=article.id, title=article.title, body=section.plain_text
                )
        writer.commit()
        self.build_s = time.perf_counter() - started
        self.searcher = self.ix.searcher()
        self.parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

    def _query(self, text: str):
        words = FTS_WORD.findall(text)
        return self.parser.parse(" ".join(words)) if words else None

    def ranked(self, text: str, limit: int) -> list[str]:
        q = self._query(text)
        return (
            ranked_articles([hit["article"] for hit in self.searcher.search(q, limit=limit)])
            if q
            else []
        )

    def timed_query(self, text: str) -> None:
        q = self._query(text)
        if q is not None:
            results = self.searcher.search(q, limit=10)
            for hit in results:
                hit.highlights("body")

    def close(self) -> None:
        self.searcher.close()


# -- cold single query ---------------------------------------------------------------------

_FTS_COLD = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = sys.argv[2]
rows = db.execute("SELECT article, anchor, heading, snippet(sections, 4, '<b>', '</b>', '...', 30),"
                  " bm25(sections, 0, 0, 1.5, 3.0, 1.0) AS s FROM sections WHERE sections MATCH ?"
                  " ORDER BY s LIMIT 10", (q,)).fetchall()
total = db.execute("SELECT count(*) FROM sections WHERE sections MATCH ?", (q,)).fetchone()[0]
print(total, len(rows))
"""


def cold_queries(corpus_dir: Path, cache: Path, fts_path: Path, claims: list[str]):
    """(index build s in a fresh process, our cold query s, FTS5's), medians over the claims."""
    env = child_env()
    base = [sys.executable, "-m", "viewer", "--corpus", str(corpus_dir), "--cache-dir", str(cache)]
    build_s, _ = timed(
        subprocess.run,
        base + ["index"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    ours, fts = [], []
    for claim in claims:
        ours.append(
            timed(
                subprocess.run,
                base + ["search", claim],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )[0]
        )
        fts.append(
            timed(
                subprocess.run,
                [sys.executable, "-c", _FTS_COLD, str(fts_path), fts_query(claim)],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )[0]
        )
    return build_s, median(ours), median(fts)


# -- the run -------------------------------------------------------------------------------


def halves(rankings: dict[str, list[str]], queries: list[dict], qrels) -> tuple[float, float]:
    """nDCG@10 on the claims at even and at odd places: a choice made on one half is checked on
    the other."""
    ids = [q["_id"] for q in queries]
    return tuple(  # type: ignore[return-value]
        relevance({q: rankings[q] for q in ids[start::2]}, qrels)["ndcg"] for start in (0, 1)
    )


def proximity_grid(engine, queries: list[dict], qrels) -> None:
    """nDCG@10 (all claims, even half, odd half) for a few proximity pair weights around
    proximity.PAIR_WEIGHT, to show the choice sits on a plateau, not a peak."""
    from viewer.search import proximity

    chosen = proximity.PAIR_WEIGHT
    try:
        for weight in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            proximity.PAIR_WEIGHT = weight
            rankings = {q["_id"]: engine.ranked(q["text"], DEPTH) for q in queries}
            even, odd = halves(rankings, queries, qrels)
            print(
                f"proximity pair weight {weight:.1f}: nDCG@10 "
                f"{relevance(rankings, qrels)['ndcg']:.4f} (even {even:.4f}, odd {odd:.4f})"
            )
    finally:
        proximity.PAIR_WEIGHT = chosen


def measure(engine, queries: list[dict], qrels, runs: int) -> dict:
    rankings = {q["_id"]: engine.ranked(q["text"], DEPTH) for q in queries}  # also warms caches
    scores = relevance(rankings, qrels)
    scores["even"], scores["odd"] = halves(rankings, queries, qrels)
    times = []
    for _ in range(runs):
        for q in queries:
            times.append(timed(engine.timed_query, q["text"])[0] * 1000)
    scores.update(p50=median(times), p95=percentile(times, 0.95), build=engine.build_s)
    return scores


def run(argv: list[str]) -> list[tuple]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks scifact", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--data", help=f"the SciFact folder (default: ${DATA_ENV} or {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="timed passes over the 300 claims (default 1)"
    )
    parser.add_argument("--cold", type=int, default=3, help="cold single-query runs (default 3)")
    parser.add_argument("--no-stock", action="store_true", help="leave out the stock Whoosh row")
    parser.add_argument(
        "--proximity-grid", action="store_true", help="also nDCG@10 for other pair weights"
    )
    args = parser.parse_args(argv)
    folder = data_dir(args.data)
    if not (folder / "corpus.jsonl.gz").is_file():
        print(f"SciFact data not found in {folder} (set {DATA_ENV} or --data): SciFact run skipped")
        return []
    print(f"SciFact data read from {folder}")
    corpus, queries, qrels = load_data(folder)
    work = Path(tempfile.mkdtemp(prefix="bench-scifact-"))
    try:
        write_corpus(corpus, work / "corpus")
        load_s, library = timed(Library.load, work / "corpus")
        print(
            f"{len(corpus)} abstracts as articles (loaded in {load_s:.1f} s), {len(queries)} claims"
        )
        engines = [Ours(library, work / "cache"), Fts5(library, work / "fts5.sqlite")]
        if not args.no_stock:
            engines.append(StockWhoosh(library, work / "whoosh"))
        results = {}
        for engine in engines:
            results[engine.name] = measure(engine, queries, qrels, args.runs)
            if args.proximity_grid and engine.name == "ours":
                proximity_grid(engine, queries, qrels)
            engine.close()
        claims = [
            q["text"] for q in queries[:: max(1, len(queries) // max(1, args.cold))][: args.cold]
        ]
        cli_build, ours_cold, fts_cold = cold_queries(
            work / "corpus", work / "cli-cache", work / "fts5.sqlite", claims
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print_table(results)
    print(
        f"cold single query: ours (article-viewer search, fresh process) {ours_cold * 1000:.0f} ms, "
        f"FTS5 (fresh python + sqlite3) {fts_cold * 1000:.0f} ms; "
        f"`article-viewer index` from scratch {cli_build:.1f} s"
    )
    ours, fts = results["ours"], results["FTS5"]
    return [
        figure(
            "SciFact nDCG@10",
            ours["ndcg"],
            fts["ndcg"],
            ">= 1.03x FTS5",
            ours["ndcg"] >= 1.03 * fts["ndcg"],
        ),
        figure(
            "SciFact Recall@100",
            ours["recall"],
            fts["recall"],
            ">= FTS5",
            ours["recall"] >= fts["recall"],
        ),
        figure("SciFact MRR@10", ours["mrr"], fts["mrr"]),
        figure("SciFact search p50 (ms)", ours["p50"], fts["p50"]),
        figure(
            "SciFact search p95 (ms)",
            ours["p95"],
            fts["p95"],
            "<= 2x FTS5",
            ours["p95"] <= 2 * fts["p95"],
        ),
        figure("SciFact index build (s)", ours["build"], fts["build"]),
        figure("SciFact cold single query (s)", ours_cold, fts_cold),
    ]


def _print_table(results: dict) -> None:
    print(
        f"\n{'engine':<14} {'nDCG@10':>8} {'even':>7} {'odd':>7} {'R@100':>7} {'MRR@10':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'build s':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:<14} {r['ndcg']:>8.4f} {r['even']:>7.4f} {r['odd']:>7.4f} {r['recall']:>7.4f} "
            f"{r['mrr']:>7.4f} {r['p50']:>8.2f} {r['p95']:>8.2f} {r['build']:>8.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    from benchmarks.report import print_table

    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
