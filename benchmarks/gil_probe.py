"""Where a search holds the GIL: a heartbeat thread samples the searching thread's stack.

The search runs in a worker thread, as the GUI runs it; a second thread wakes every millisecond.
When it wakes late by more than `--gap` ms, it reads how much CPU the searching thread used
meanwhile (its own thread clock): on a loaded machine a late wake is mostly waiting for a core,
and only the searching thread's CPU time in the gap is time it held the GIL. Its stack at that
moment shows the line just after the long call (a C-level map, set or dict operation over every
matching section does not let go of the GIL until it returns). Each query
runs in a fresh process on an index already built and prepared (vocabulary and length norms
loaded, as before "Search ready"), so each is a first query.

    python -m benchmarks.gil_probe --corpus DIR --cache DIR [--gap 5] [QUERY ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

DEFAULT_QUERIES = ("kratom side effects", "withdrawal dosage", "chronic pain relief")


def _where(frame) -> str:
    """The innermost frames of our own code (and the Whoosh one below them, if any)."""
    lines = []
    while frame is not None and len(lines) < 3:
        name = frame.f_code.co_filename
        if "viewer" in name or "whoosh" in name:
            lines.append(f"{Path(name).name}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(lines) or "(outside viewer/whoosh)"


def probe(corpus: Path, cache: Path, query: str, gap_ms: float) -> dict:
    from viewer.context import Context
    from viewer.search import SearchIndex

    index = SearchIndex(Context(corpus, cache).corpus_cache_dir())
    index.prepare()  # what the GUI does before "Search ready"
    done = threading.Event()
    gaps: list[tuple[float, str]] = []
    answer: dict = {}

    def search() -> None:
        started = time.perf_counter()
        answer["total"] = index.search(query, limit=50).total
        answer["ms"] = (time.perf_counter() - started) * 1000
        done.set()

    worker = threading.Thread(target=search)
    worker.start()
    clock = time.pthread_getcpuclockid(worker.ident or 0)
    last, last_cpu = time.perf_counter(), time.clock_gettime(clock)
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        try:
            cpu = time.clock_gettime(clock)
        except OSError:  # the thread has ended
            break
        held = (cpu - last_cpu) * 1000  # the worker's CPU while this thread waited
        if (now - last) * 1000 > gap_ms and held > gap_ms:
            frame = sys._current_frames().get(worker.ident or 0)
            gaps.append((held, _where(frame) if frame else "(finished)"))
        last, last_cpu = now, cpu
    worker.join()
    index.close()
    longest = max((g for g, _ in gaps), default=0.0)
    where = Counter()
    for gap, line in gaps:
        where[line] += gap
    return {"query": query, "longest_ms": longest, "where": where.most_common(8), **answer}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gil_probe")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True, help="the --cache-dir of the corpus")
    parser.add_argument("--gap", type=float, default=5.0, help="report gaps over this (ms)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("queries", nargs="*", default=list(DEFAULT_QUERIES))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(probe(args.corpus, args.cache, args.queries[0], args.gap)))
        return 0
    for query in args.queries:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.gil_probe", "--child", "--corpus", str(args.corpus)]
            + ["--cache", str(args.cache), "--gap", str(args.gap), query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{query!r}: {result.get('total')} sections, {result.get('ms', 0):.0f} ms, "
            f"longest GIL hold (worker CPU in one gap) {result['longest_ms']:.1f} ms"
        )
        for line, total in result["where"]:
            print(f"    {total:7.1f} ms in gaps after  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
