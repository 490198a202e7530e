"""Runs Article Viewer in this process, as `python -m viewer ARGS` would, and prints one JSON
line: when the window was first painted, when the first article was painted, when search was
ready, when `main()` returned, the longest UI stall after the window was up, peak memory, and
which heavy modules the first paint needed. The start-up benchmarks spawn it and compare with
baseline_window.py, which prints the same line (the process's exit, teardown included, is timed
by the parent).

    python -m benchmarks.startup_probe --corpus DIR --cache-dir DIR --screenshot OUT.png ...
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
import traceback
from collections import Counter

HEARTBEAT_MS = 5
# With this set in the environment, where the UI thread was while the heartbeat was late.
STALL_STACKS_ENV = "ARTICLE_VIEWER_STALL_STACKS"
STALL_SAMPLE_MS = 30  # a beat this late counts as a stall to sample


class _Watch:
    """Times the window's first paint and the search index's readiness, and runs a heartbeat
    (a 5 ms timer: the longest gap between its beats is the longest the UI was frozen)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject, Qt, QTimer

        self.window_at: float | None = None
        self.searchable_at: float | None = None
        self.last_beat = 0.0
        self.longest_gap = 0.0
        # The UI thread's own CPU time between two beats: the longest stretch our code computed
        # on it. Unlike the gap, it leaves out waiting for a core on a loaded machine (and also
        # waiting for the interpreter lock, which the gap does count).
        self.last_cpu = 0.0
        self.longest_busy = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        watch = self
        paint = QEvent.Type.Paint

        class Filter(QObject):
            # It sees every event of the process until the window paints: kept cheap (no import
            # per event), so that it measures the window rather than itself.
            def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
                if watch.window_at is None and event.type() == paint:
                    window = watched.window() if hasattr(watched, "window") else None
                    if window is not None and window.objectName() == "mainWindow":
                        watch.window_at = time.time()
                        window.search_service.index_ready.connect(watch._searchable)
                        if window.search_service.is_ready():
                            watch._searchable()
                        watch.last_beat = time.perf_counter()
                        watch.last_cpu = time.thread_time()
                        watch.timer.start()
                return False

        self.filter = Filter()

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.longest_gap = max(self.longest_gap, (now - self.last_beat) * 1000)
        self.longest_busy = max(self.longest_busy, (cpu - self.last_cpu) * 1000)
        self.last_beat, self.last_cpu = now, cpu

    def _searchable(self) -> None:
        if self.searchable_at is None:
            self.searchable_at = time.time()
            self.timer.stop()  # the stall that matters is while the collection is being read


class _StallSampler:
    """A thread that looks at the UI thread's stack whenever the heartbeat is late: which lines
    the stalls are spent in (samples every 10 ms; the most frequent stacks are reported)."""

    def __init__(self, watch: _Watch) -> None:
        self.watch = watch
        self.samples: Counter = Counter()
        self.main = threading.main_thread().ident
        threading.Thread(target=self._run, name="stall-sampler", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(0.01)
            watch = self.watch
            if watch.window_at is None or watch.searchable_at is not None:
                continue
            if (time.perf_counter() - watch.last_beat) * 1000 < STALL_SAMPLE_MS:
                continue
            frame = sys._current_frames().get(self.main)  # a profiler's look at another thread
            if frame is not None:
                stack = traceback.extract_stack(frame)[-10:]
                self.samples[
                    " < ".join(
                        f"{_short_name(f.filename)}:{f.lineno} {f.name}" for f in reversed(stack)
                    )
                ] += 1

    def top(self, count: int = 8) -> list[tuple[int, str]]:
        return [(n, stack) for stack, n in self.samples.most_common(count)]


def children_peak_rss_mb() -> float:
    """The largest peak resident size of this process's ended children (parse workers, the index
    writer), in MB: their memory is not in this process's own figure."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> dict[str, float]:
    """CPU time of this process and of its ended children: on a shared machine, what the work
    cost, which wall time (the neighbours' load included) does not say."""
    import resource

    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return {
        "cpu_s": own.ru_utime + own.ru_stime,
        "children_cpu_s": children.ru_utime + children.ru_stime,
    }


def _short_name(filename: str) -> str:
    parts = filename.replace("\\", "/").split("/")
    return "/".join(parts[-2:])


def main(argv: list[str]) -> int:
    # As the program does on its GUI path (viewer/cli.py main): no collections until the
    # window's first paint, which switches the collector back on.
    gc.disable()
    from PySide6.QtWidgets import QApplication

    from benchmarks.paint_marker import FirstPaintMarker
    from viewer.cli import main as viewer_main
    from viewer.ui import screenshot

    if "--wait-limit" in argv:  # a first launch on a large folder may take minutes to be searchable
        at = argv.index("--wait-limit")
        screenshot.TIME_LIMIT_MS = int(float(argv[at + 1]) * 1000)
        argv = argv[:at] + argv[at + 2 :]

    # The app reuses an existing QApplication, so the marker can watch it from the first event.
    app = QApplication([sys.argv[0]])
    marker = FirstPaintMarker(
        lambda browser: (
            browser.objectName() == "reader" and getattr(browser, "article", None) is not None
        )
    )
    app.installEventFilter(marker)
    watch = _Watch()
    app.installEventFilter(watch.filter)
    sampler = _StallSampler(watch) if os.environ.get(STALL_STACKS_ENV) else None
    code = viewer_main(argv)
    ended = time.time()
    from benchmarks.report import peak_rss_mb  # only now: its imports are not the app's

    print(
        json.dumps(
            {
                "first_paint": marker.at,
                "exit": ended,
                "window": watch.window_at,
                "searchable": watch.searchable_at,
                "longest_stall_ms": watch.longest_gap,
                "longest_busy_ms": watch.longest_busy,
                "peak_rss_mb": peak_rss_mb(),
                "imported": marker.imported,
                "code": code,
                "stall_stacks": sampler.top() if sampler else [],
                "children_peak_rss_mb": children_peak_rss_mb(),
                **cpu_seconds(),
            }
        ),
        flush=True,
    )
    from viewer.gui_launch import finish_process

    finish_process(code)  # ends the way the real program does (no interpreter teardown)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
