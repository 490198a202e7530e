"""UI stall while typing a search on a large collection: how long the UI thread goes unanswered.

The app's own main window, on a generated 10,000-article corpus with its catalogue and index
built, is driven the way pytest-qt drives it in the tests: shown, waited on until the index is
open, then a query is typed into the search box one key at a time (a key every 110 ms, about a
fast typist), through the panel's own debounce and search workers, until the results are on
screen. A 5 ms heartbeat QTimer records when the event loop gets to it; the largest gap between
beats is the longest the window was frozen. The baseline is the same heartbeat over the same
time with nobody typing (the timer's own jitter on this machine).

    python -m benchmarks stall [--articles 10000] [--runs 3]

Target (issue 8): the UI never stalls more than 50 ms while typing on 10,000 articles.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import (
    DATA_DIR,
    Figure,
    figure,
    generated_corpus,
    median,
    prepare_cache,
    print_table,
)

HEARTBEAT_MS = 5
KEY_INTERVAL_MS = 110
STALL_MS = 50.0
QUERIES = ("withdrawal dosage", "kratom side effects", "chronic pain relief")
READY_TIMEOUT_S = 180


class Heartbeat:
    """Timestamps of a 5 ms timer; the largest gap between two is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.beats: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(lambda: self.beats.append(time.perf_counter()))

    def start(self) -> None:
        self.beats = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> float:
        """The largest gap in ms (the last one runs to now)."""
        self.timer.stop()
        self.beats.append(time.perf_counter())
        return max((b - a) * 1000 for a, b in zip(self.beats, self.beats[1:]))


def wait_until(app, condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True


def run_for(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)


def type_query(app, window, query: str) -> tuple[float, float]:
    """Type `query` key by key from a timer (the event loop runs in between, as with a person).
    Returns (largest heartbeat gap, ms from the last key to the results on screen)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    field = window.ui.search_panel.field
    field.clear()
    run_for(app, 0.4)  # the clearing's own search settles first
    shown: list[float] = []
    window.ui.search_panel.results_shown.connect(lambda: shown.append(time.perf_counter()))
    keys = list(query)
    last_key = [0.0]

    def next_key() -> None:
        if keys:
            QTest.keyClick(field, keys.pop(0), Qt.KeyboardModifier.NoModifier)
            last_key[0] = time.perf_counter()
            QTimer.singleShot(KEY_INTERVAL_MS, next_key)

    beat = Heartbeat()
    beat.start()
    QTimer.singleShot(0, next_key)
    wait_until(app, lambda: not keys and shown and shown[-1] > last_key[0], 30)
    run_for(app, 0.3)  # results painted, delegates sized
    gap = beat.stop()
    window.ui.search_panel.results_shown.disconnect()
    after = [t for t in shown if t > last_key[0]]
    return gap, ((after[0] - last_key[0]) * 1000 if after else float("nan"))


def idle_gap(app, seconds: float) -> float:
    beat = Heartbeat()
    beat.start()
    run_for(app, seconds)
    return beat.stop()


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks stall", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--articles", type=int, default=10000, help="corpus size (default 10000)")
    parser.add_argument(
        "--runs", type=int, default=3, help="typing runs, one query each (default 3)"
    )
    args = parser.parse_known_args(argv)[0]

    corpus = generated_corpus(args.articles)
    cache = DATA_DIR / f"cache-{corpus.name}"
    prepare_cache(corpus, cache)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.context import Context
    from viewer.ui.main_window import MainWindow, StartOptions

    app = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="bench-stall-") as work:
        store = QSettings(str(Path(work) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            Context(corpus, cache), store, StartOptions(size=(1280, 800), remember=False)
        )
        window.show()
        if not wait_until(
            app, lambda: window.is_ready and window.search_service.is_ready(), READY_TIMEOUT_S
        ):
            raise RuntimeError("the search index did not open in time")
        window.focus_search()
        run_for(app, 0.5)
        typed, idle, latency = [], [], []
        for number in range(args.runs):
            query = QUERIES[number % len(QUERIES)]
            gap, late = type_query(app, window, query)
            typed.append(gap)
            latency.append(late)
            idle.append(idle_gap(app, len(query) * KEY_INTERVAL_MS / 1000 + 0.6))
            print(
                f"typing '{query}': longest stall {gap:.1f} ms (idle {idle[-1]:.1f} ms), "
                f"results {late:.0f} ms after the last key"
            )
        window.close()
        window.search_service.wait_idle(10000)
        window.deleteLater()
        app.processEvents()
    label = f"{args.articles:,} articles"
    return [
        figure(
            f"UI stall while typing a search, {label} (ms, worst run {max(typed):.0f})",
            median(typed),
            median(idle),
            f"<= {STALL_MS:g} ms",
            max(typed) <= STALL_MS,
        ),
        figure(
            f"results after the last key, {label} (ms, incl. {150} ms debounce)", median(latency), 0
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
