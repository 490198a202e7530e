"""An exception in a worker thread is never swallowed: it is logged with its traceback and said
in one line in the window's status bar.

Python threads (`threading.Thread`) end with an uncaught exception through
`threading.excepthook`, which `WorkerErrors` takes over while its window is open; Qt's pool
threads do not (PySide only prints the traceback), so their jobs derive from `ReportingJob`,
whose `run()` hands anything `work()` raises to the same hook. Code that catches an exception
to carry on (a tree that stays as it was) calls `report_current_exception()`.
"""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger(__name__)
MESSAGE_MS = 15000  # long enough to read; the log keeps the traceback


def describe(exc: BaseException | None, thread_name: str) -> str:
    """The status bar's line: what failed, in which worker, where the details are."""
    what = f"{type(exc).__name__}: {exc}" if exc is not None and str(exc) else type(exc).__name__
    first = what.splitlines()[0] if what else "an error"
    return f"Something went wrong in the background ({thread_name}): {first} (details in the log)"


def report_current_exception() -> None:
    """Report the exception being handled (call inside `except`) as an uncaught one would be."""
    exc_type, exc, tb = sys.exc_info()
    if exc_type is None:
        return
    threading.excepthook(threading.ExceptHookArgs((exc_type, exc, tb, threading.current_thread())))


class ReportingJob(QRunnable):
    """A QThreadPool job whose uncaught exceptions are reported (see the module docstring)."""

    def run(self) -> None:  # runs in a pool thread
        try:
            self.work()
        except BaseException:  # noqa: BLE001 - reported, never swallowed
            report_current_exception()

    def work(self) -> None:
        raise NotImplementedError


class WorkerErrors(QObject):
    """While installed, exceptions in worker threads are logged and `failed(line)` is emitted
    in the UI thread (a queued signal: the hook runs in the worker)."""

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous = threading.excepthook
        threading.excepthook = self._hook

    def close(self) -> None:
        """Give the hook back (if nobody took it over since)."""
        if threading.excepthook == self._hook:
            threading.excepthook = self._previous

    def _hook(self, args: threading.ExceptHookArgs) -> None:  # runs in the failing thread
        if args.exc_type is SystemExit:
            return  # a thread asked to end: not a failure (as the default hook does)
        name = args.thread.name if args.thread is not None else "a worker"
        log.error("uncaught exception in the %s thread", name, exc_info=args.exc_value)
        try:
            self.failed.emit(describe(args.exc_value, name))
        except RuntimeError:  # the window is gone (deleted without close): tell the old hook
            self._previous(args)
