"""Where the UI thread waits during a stall: a sampler thread reads its stack while it is late.

A 5 ms QTimer in the UI thread stamps each beat; a sampler thread wakes every 2 ms and, when
the last beat is older than `late_ms`, records the UI thread's stack (the frames of our code
and of Qt-wrapping modules below them). A long C call that holds the GIL in another thread
also stops the sampler; when it wakes late, the CPU time each thread used meanwhile (its own
thread clock) says who held it, and that thread's stack is recorded too. At the end,
`report()` lists each stall longer than `stall_ms` with the stacks seen during it, most
frequent first.

    sampler = StallSampler(); sampler.start(); ... ; sampler.stop(); print(sampler.report())

Used by `python -m benchmarks update --sample-stalls` and `firstquery --sample-stalls`.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_S = 0.002
HEARTBEAT_MS = 5


def _stack(frame, depth: int = 14) -> str:
    lines = []
    while frame is not None and len(lines) < depth:
        code = frame.f_code
        name = code.co_filename
        if "benchmarks" in name and "stall_sampler" in name:
            break
        lines.append(f"{Path(name).parent.name}/{Path(name).name}:{frame.f_lineno} {code.co_name}")
        frame = frame.f_back
    return "\n      ".join(lines)


@dataclass
class Stall:
    start: float
    end: float = 0.0
    ui_stacks: Counter = field(default_factory=Counter)
    holders: Counter = field(default_factory=Counter)  # (thread, stack) -> CPU ms in late wakes


class StallSampler:
    def __init__(self, late_ms: float = 30.0, stall_ms: float = 50.0) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.late_s, self.stall_ms = late_ms / 1000, stall_ms
        self.last_beat = time.perf_counter()
        self.stalls: list[Stall] = []
        self._ui = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        # Cyclic collections (start, ms, generation, thread): a full one walks every object not
        # frozen, holding the GIL all the while.
        self.collections: list[tuple[float, float, int, str]] = []
        self._gc_started = 0.0

    def _beat(self) -> None:
        self.last_beat = time.perf_counter()

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
            return
        spent = (time.perf_counter() - self._gc_started) * 1000
        if spent > 5:
            name = threading.current_thread().name
            self.collections.append((self._gc_started, spent, info["generation"], name))

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self.last_beat = time.perf_counter()
        self.timer.start()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        self.timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _cpu(self) -> dict[int, float]:
        clocks = {}
        for thread in threading.enumerate():
            if thread.ident is None or thread is threading.current_thread():
                continue
            try:
                clocks[thread.ident] = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
            except (OSError, ProcessLookupError):
                continue
        return clocks

    def _run(self) -> None:
        current: Stall | None = None
        before, cpu_before = time.perf_counter(), self._cpu()
        while not self._stop.is_set():
            time.sleep(SAMPLE_S)
            now, cpu_now = time.perf_counter(), self._cpu()
            late = now - self.last_beat
            if late > self.late_s:
                if current is None:
                    current = Stall(self.last_beat)
                frames = sys._current_frames()  # noqa: SLF001 - what a sampler is for
                if self._ui in frames:
                    current.ui_stacks[_stack(frames[self._ui])] += 1
                if now - before > 0.02:  # the sampler itself was held up: by whom?
                    names = {t.ident: t.name for t in threading.enumerate()}
                    for ident, used in cpu_now.items():
                        spent = (used - cpu_before.get(ident, used)) * 1000
                        if spent > 10 and ident in frames:
                            key = (names.get(ident, "?"), _stack(frames[ident], 6))
                            current.holders[key] += spent
            elif current is not None:
                current.end = self.last_beat
                if (current.end - current.start) * 1000 > self.stall_ms:
                    self.stalls.append(current)
                current = None
            before, cpu_before = now, cpu_now

    def report(self, top: int = 3) -> str:
        out = []
        for stall in self.stalls:
            out.append(f"stall {(stall.end - stall.start) * 1000:.0f} ms:")
            for started, spent, generation, name in self.collections:
                if stall.start - 0.01 <= started <= stall.end:
                    out.append(f"  gc generation {generation} in '{name}': {spent:.0f} ms")
            for stack, count in stall.ui_stacks.most_common(top):
                out.append(f"  UI thread x{count}:\n      {stack}")
            for (name, stack), spent in stall.holders.most_common(top):
                out.append(f"  busy thread '{name}' {spent:.0f} ms CPU:\n      {stack}")
        slow = [c for c in self.collections if c[1] > 20]
        out.append(f"{len(slow)} collections over 20 ms, {gc.get_freeze_count()} objects frozen")
        return "\n".join(out)
