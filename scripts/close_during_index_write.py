"""How long a close waits for the first launch's index writer (viewer/index_feed.py), measured.

Not a test (no timing lives in a test). The writer process holds what it is given until its
memory limit, then writes it out as one segment; a cancel (the window closing) used to be seen
only between two articles, so a close that came while a segment was being written waited for
the whole write, up to the terminate limit (index_feed.STOP_WAIT_SECONDS, 10 s).

Each run starts the writer as the window does (IndexFeed, spawned), feeds it the documents of
the first `--articles` files of a folder (read once, without the classifier, as a first launch
reads them), and cancels it either at the moment its first segment write begins ("during a
segment write") or at its first progress report ("between articles"), then times
cancel-to-process-end. The two kinds alternate; medians and maxima are printed.

With `--window`, each run is a first launch of the whole folder in the window instead (offscreen,
a new cache folder), closed at the same two moments; the figure is the window's close() (all of
it: the reading, the writer, the catalogue).

    .venv/bin/python scripts/close_during_index_write.py FOLDER [--articles 3000] [--runs 5]
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/close_during_index_write.py FOLDER --window
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _signalling_writer(flushing, target, *args) -> None:  # runs in the writer process
    """The writer, telling the parent when a segment write begins."""
    from viewer.search.whoosh_ext import writer

    real = writer.BulkWriter._flush_segment

    def flush(self) -> None:
        flushing.set()
        real(self)

    writer.BulkWriter._flush_segment = flush  # type: ignore[method-assign]
    target(*args)


def _feed_class():
    from viewer.index_feed import IndexFeed

    class SignallingFeed(IndexFeed):
        def _spawn(self, context, target, name, args) -> None:
            self.flushing = context.Event()
            self.replied_at = 0.0  # when its last reply ("cancelled") was read
            super()._spawn(context, _signalling_writer, name, (self.flushing, target, *args))

        def _listened(self, error) -> None:
            self.replied_at = time.perf_counter()
            super()._listened(error)

    return SignallingFeed


def _documents(folder: Path, count: int) -> list[bytes]:
    from viewer.core.parse_worker import read_record
    from viewer.index_feed import article_index_documents

    items = []
    for path in sorted(folder.glob("*.md"))[:count] or sorted(folder.glob("*.txt"))[:count]:
        stat = path.stat()
        record, article = read_record(
            folder, path.name, path.stem, stat.st_size, stat.st_mtime_ns, classify=False
        )
        if article is not None and record.entry is not None:
            items.append(article_index_documents(article, record.entry))
    return items


def one_run(folder: Path, items: list[bytes], during_write: bool) -> tuple[float, float, bool]:
    """(seconds from the cancel to the writer's reply, to its process's end, whether it had
    to be terminated)."""
    feed_class = _feed_class()
    with tempfile.TemporaryDirectory(prefix="close-write-") as cache:
        progressed = threading.Event()  # the writer has reported articles taken
        feed = feed_class(folder, Path(cache), on_progress=lambda _done: progressed.set())
        feed.start()
        stop_feeding = threading.Event()

        def put_all() -> None:
            for item in items:
                if stop_feeding.is_set():
                    return
                feed.put(item)

        feeder = threading.Thread(target=put_all, daemon=True)
        feeder.start()
        if during_write:
            if not feed.flushing.wait(300):
                raise SystemExit("no segment was written: give more --articles")
        else:
            if not progressed.wait(300):
                raise SystemExit("the writer reported no progress")
            if feed.flushing.is_set():
                raise SystemExit("the first segment came before any progress: no baseline")
        started = time.perf_counter()
        feed.cancel()
        stop_feeding.set()
        process = feed._process  # noqa: SLF001
        process.join(60)
        waited = time.perf_counter() - started
        terminated = process.exitcode is not None and process.exitcode < 0
        feed.join()
        feeder.join(5)
    return max(0.0, feed.replied_at - started), waited, terminated


def window_run(folder: Path, during_write: bool) -> tuple[float, bool]:
    """(seconds the window's close took, whether the writer was terminated): a first launch
    of `folder`, closed when its writer begins its first segment write, or reports progress."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import viewer.index_feed as index_feed
    from viewer.context import Context
    from viewer.ui.main_window import MainWindow, StartOptions

    app = QApplication.instance() or QApplication([])
    feeds: list = []
    feed_class = _feed_class()

    class Recorded(feed_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            feeds.append(self)

    index_feed.IndexFeed = Recorded  # what startup.py imports when the window reads the folder
    with tempfile.TemporaryDirectory(prefix="close-window-") as work:
        context = Context(folder, Path(work) / "cache")
        store = QSettings(str(Path(work) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(context, store, StartOptions(remember=False))
        window.show()
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline:
            app.processEvents()
            feed = feeds[0] if feeds else None
            if feed is not None and (
                feed.flushing.is_set() if during_write else window.ui.index_status.bar.value() > 0
            ):
                break
            time.sleep(0.005)
        else:
            raise SystemExit("the moment to close never came")
        if not during_write and feeds[0].flushing.is_set():
            raise SystemExit("the first segment came before any progress: no baseline")
        started = time.perf_counter()
        window.close()
        closed = time.perf_counter() - started
        process = feeds[0]._process  # noqa: SLF001
        terminated = process.exitcode is not None and process.exitcode < 0
        window.deleteLater()
        app.processEvents()
    return closed, terminated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of article files (a generated one)")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--window", action="store_true", help="close the whole window instead")
    args = parser.parse_args(argv)
    if args.window:
        closes: dict[str, list[float]] = {"during a segment write": [], "between articles": []}
        for run in range(args.runs):
            for kind in closes:
                closed, terminated = window_run(args.folder, kind.startswith("during"))
                closes[kind].append(closed)
                note = " (the writer was terminated)" if terminated else ""
                print(f"run {run + 1}: window closed {kind}: close() took {closed:.3f} s{note}")
        for kind, values in closes.items():
            print(
                f"window closed {kind}: median {statistics.median(values):.3f} s, "
                f"max {max(values):.3f} s ({len(values)} runs)"
            )
        return 0
    started = time.perf_counter()
    items = _documents(args.folder, args.articles)
    print(f"{len(items)} articles' documents read in {time.perf_counter() - started:.1f} s")
    waits: dict[str, list[float]] = {"during a segment write": [], "between articles": []}
    for run in range(args.runs):
        for kind in waits:
            replied, waited, terminated = one_run(args.folder, items, kind.startswith("during"))
            waits[kind].append(waited)
            note = " (terminated)" if terminated else ""
            print(
                f"run {run + 1}: cancel {kind}: the writer replied {replied:.3f} s later, "
                f"its process ended {waited:.3f} s later{note}"
            )
    for kind, values in waits.items():
        print(
            f"{kind}: process ended after median {statistics.median(values):.3f} s, "
            f"max {max(values):.3f} s ({len(values)} runs)"
        )
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
