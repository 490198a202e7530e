"""The first query after the search index opens: how long it blocks the UI thread.

Headless, through the code the search panel uses (ui/search_worker.SearchService): a fresh
process loads the catalogued library, has the service open the index (ensure_current, then
`prepare`: vocabulary and length norms in the worker, before "Search ready"), then asks its first
query and waits for the answer as the panel does (results_ready, delivered in the UI thread). A
1 ms heartbeat QTimer in the UI thread records when the event loop gets to it; the largest gap
between beats from the query to its answer is how long the UI was blocked. The baseline is the
same heartbeat with nothing asked for as long (this machine's timer jitter). Each run is a new
process, so each query is a first one.

    python -m benchmarks firstquery [--articles 50000] [--corpus DIR --cache DIR] [--runs 3]

Target (issue 12): the first query after opening a 50,000-article index blocks the UI < 30 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import (
    Figure,
    add_corpus_arguments,
    child_env,
    figure,
    median,
    prepared_corpus,
    print_table,
)

HEARTBEAT_MS = 1
TARGET_MS = 30.0
QUERIES = ("kratom side effects", "withdrawal dosage", "chronic pain relief")
CHILD = "--child"


def _wait(app, condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        app.processEvents()
        time.sleep(0.0005)


def _gap(app, beats: list[float], action, done) -> float:
    """The largest heartbeat gap (ms) from `action()` until `done()` holds."""
    beats[:] = [time.perf_counter()]
    action()
    _wait(app, done, 60)
    beats.append(time.perf_counter())
    return max((b - a) * 1000 for a, b in zip(beats, beats[1:]))


def child(corpus: Path, cache: Path, query: str, sample: bool = False) -> dict:
    """One fresh process's figures: open, first query, a second one, idle. With `sample`, the
    stacks seen while the UI thread was late during the first query go to stderr."""
    from PySide6.QtCore import QCoreApplication, Qt, QTimer

    from viewer.context import Context
    from viewer.ui.search_worker import DEFAULT_LIMIT, SearchService

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    context = Context(corpus, cache)
    library = context.library()
    # As the window does once start-up is over (main_window._after_first_paint, startup.py):
    # the loaded library is frozen for the collector. Without it, the first query's worker
    # met a full collection over the whole library (496 ms, seen by --sample-stalls), which
    # the app does not have.
    gc.freeze()
    service = SearchService()
    beats: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    opening = _gap(
        app,
        beats,
        lambda: service.build(library, context.corpus_cache_dir()),
        service.is_ready,
    )
    ready_s = time.perf_counter() - started
    answers: list[object] = []
    service.results_ready.connect(lambda _query, _safety, result: answers.append(result))

    def ask(text: str):
        return lambda: service.search(text, limit=DEFAULT_LIMIT)

    sampler = None
    if sample:
        from benchmarks.stall_sampler import StallSampler

        sampler = StallSampler(late_ms=10, stall_ms=20)
        sampler.start()
    first = _gap(app, beats, ask(query), lambda: len(answers) == 1)
    if sampler is not None:
        sampler.stop()
        print(sampler.report(), file=sys.stderr)
    total = getattr(answers[0], "total", 0)
    second = _gap(app, beats, ask(query + " relief"), lambda: len(answers) == 2)
    idle_s = 0.3
    idle = _gap(app, beats, lambda: None, lambda: time.perf_counter() - beats[0] > idle_s)
    timer.stop()
    service.close()
    return {
        "ready_s": ready_s,
        "opening_ms": opening,
        "first_ms": first,
        "second_ms": second,
        "idle_ms": idle,
        "total": total,
    }


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks firstquery", description=__doc__.split("\n")[0]
    )
    add_corpus_arguments(parser, 50000)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument(
        "--sample-stalls",
        action="store_true",
        help="print the stacks seen while the first query held the UI thread up",
    )
    args = parser.parse_args(argv)
    # Catalogue and index built: the app's every start but the first.
    corpus, cache = prepared_corpus(args)
    runs = []
    for number in range(args.runs):
        query = QUERIES[number % len(QUERIES)]
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_firstquery", CHILD, str(corpus), str(cache)]
            + [query]
            + (["--sample-stalls"] if args.sample_stalls else []),
            check=True,
            stdout=subprocess.PIPE,
            stderr=None if args.sample_stalls else subprocess.PIPE,  # the samples, if asked
            text=True,
            env=child_env(),
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
        r = runs[-1]
        print(
            f"'{query}' ({r['total']} sections): first query blocked the UI {r['first_ms']:.1f} ms, "
            f"second {r['second_ms']:.1f} ms, idle {r['idle_ms']:.1f} ms; index open and "
            f"prepared in {r['ready_s']:.1f} s (UI blocked {r['opening_ms']:.1f} ms meanwhile)"
        )
    first = [r["first_ms"] for r in runs]
    label = f"{corpus.name}"
    return [
        figure(
            f"UI blocked by the first query after opening, {label} (ms; baseline: idle)",
            median(first),
            median([r["idle_ms"] for r in runs]),
            f"< {TARGET_MS:g} ms",
            max(first) < TARGET_MS,
        ),
        figure(
            f"UI blocked while the index opens, {label} (ms)",
            median([r["opening_ms"] for r in runs]),
            median([r["idle_ms"] for r in runs]),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    argv = list(argv or [])
    if argv[:1] == [CHILD]:  # one measured process (run() starts them)
        sample = "--sample-stalls" in argv[4:]
        print(json.dumps(child(Path(argv[1]), Path(argv[2]), argv[3], sample)))
        return 0
    print_table(run(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
