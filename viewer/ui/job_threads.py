"""Long-lived worker threads for the window's background passes, handed jobs through a queue.

`threading.Thread.start()` waits until the new thread runs, and a new thread runs only once
the system schedules it and it gets the interpreter: on a loaded two-core machine the window's
thread waited there 190-480 ms (sampled) each time an edit started a catalogue pass or a tree
build. Here the threads are started once, and a job is a queue put: the UI thread never waits.
`Job.join()` waits for one job as `Thread.join()` waited for its thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from viewer.ui.worker_errors import report_current_exception


class Job:
    """One call handed to a JobThreads; `join()` waits until it has run."""

    def __init__(self, call: Callable[..., Any], args: tuple) -> None:
        self._call: Callable[..., Any] | None = call
        self._args = args
        self._done = threading.Event()

    def run(self) -> None:
        try:
            if self._call is not None:
                self._call(*self._args)
        except Exception:  # noqa: BLE001 - said in the status bar, as any worker's failure
            report_current_exception()
        finally:
            self._call, self._args = None, ()  # what it held goes with it, not with the job
            self._done.set()

    def join(self, timeout: float | None = None) -> None:
        self._done.wait(timeout)

    def is_alive(self) -> bool:
        return not self._done.is_set()


class JobThreads:
    """`size` daemon threads named `name`, started at the first job, ended by `stop()`."""

    def __init__(self, name: str, size: int = 1) -> None:
        self.name, self.size = name, size
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    def submit(self, call: Callable[..., Any], *args: Any) -> Job:
        if not self._threads:
            for number in range(self.size):
                thread = threading.Thread(
                    target=self._serve, name=f"{self.name}-{number}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        job = Job(call, args)
        self._queue.put(job)
        return job

    def _serve(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            job.run()
            del job

    def stop(self) -> None:
        """End the threads once the jobs handed over so far have run (not waited for)."""
        threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)
