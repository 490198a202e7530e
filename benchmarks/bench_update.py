"""A change on disk reaching the open window, on a large collection: how long after a file is
saved the reader shows the new text, a new file is in the library and the search finds it.

The app's own main window runs in this process on a generated collection with its catalogue
and index built (as bench_stall.py does), and once its start-up check is done, each run:
rewrites the open article's file in place (as `>` or an editor without a rename does) with a
new word at its end, and waits for the word on the reading pane, then in search results; then
adds a new article file and waits for it in the library. A 5 ms heartbeat says how long the UI
thread went unanswered meanwhile. The files are put back as they were at the end (the window
takes that in too), so the collection stays the one the other benchmarks measure.

    python -m benchmarks update [--articles 10000] [--runs 3]

Target (issue 16): a change to one file visible in the window in < 2 s, at 50,000 articles.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.bench_stall import Heartbeat, run_for, wait_until
from benchmarks.report import (
    DATA_DIR,
    Figure,
    figure,
    generated_corpus,
    median,
    prepare_cache,
    print_table,
)

VISIBLE_S = 2.0
READY_TIMEOUT_S = 900
CHANGE_TIMEOUT_S = 120


class _SearchProbe:
    """Whether the search finds `word`, asked from a thread as the search panel's workers ask:
    a search in the UI thread (this benchmark's own, before) waited there for the index's lock
    while the update held it, and for the vocabulary of each new generation, and those waits
    were counted as the window's stalls."""

    def __init__(self, window, word: str) -> None:
        self.window, self.word = window, word
        self.found = False
        self._asking: threading.Thread | None = None

    def _ask(self, index) -> None:
        try:
            self.found = bool(index.search(self.word, limit=5).hits)
        except Exception:  # noqa: BLE001 - an index swapped meanwhile: asked again next time
            self.found = False

    def join(self) -> None:
        """Wait for the question under way: a search still running when the window closes
        (which closes every searcher) would fail and rebuild the index."""
        if self._asking is not None:
            self._asking.join()

    def __call__(self) -> bool:
        if self.found or (self._asking is not None and self._asking.is_alive()):
            return self.found
        index = self.window.search_service.index
        if index is not None and self.window.search_service.is_ready():
            self._asking = threading.Thread(target=self._ask, args=(index,), daemon=True)
            self._asking.start()
        return False


def one_run(app, window, corpus: Path, number: int) -> dict[str, float]:
    entry = window.library.entries[(number * 7919) % len(window.library.entries)]
    window.open_place(entry.id)
    run_for(app, 0.3)
    path = corpus / entry.path
    original = path.read_bytes()
    word = f"zqxedited{'abcdefghij'[number % 10]}word"
    beat = Heartbeat()
    beat.start()
    with open(path, "ab") as handle:  # in place: no rename, no new time set by hand
        handle.write(f"\nThe {word} sentence closes the article.\n".encode())
    saved = time.perf_counter()
    shown = searchable = float("nan")
    if wait_until(app, lambda: word in window.ui.reader.toPlainText(), CHANGE_TIMEOUT_S):
        shown = time.perf_counter() - saved
    probe = _SearchProbe(window, word)
    if wait_until(app, probe, CHANGE_TIMEOUT_S):
        searchable = time.perf_counter() - saved
    probe.join()
    new_path = corpus / f"zz-added-{number}.txt"
    new_path.write_text(original.decode("utf-8", "replace"), encoding="utf-8")
    added_at = time.perf_counter()
    added = float("nan")
    if wait_until(app, lambda: f"zz-added-{number}" in window.library, CHANGE_TIMEOUT_S):
        added = time.perf_counter() - added_at
    gap = beat.stop()
    # Back as it was: the collection is shared with the other benchmarks.
    path.write_bytes(original)
    new_path.unlink()
    wait_until(app, lambda: f"zz-added-{number}" not in window.library, CHANGE_TIMEOUT_S)
    wait_until(app, lambda: not window.startup.is_busy(), CHANGE_TIMEOUT_S)
    run_for(app, 1.0)
    return {"shown": shown, "searchable": searchable, "added": added, "gap_ms": gap}


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks update", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--articles", type=int, default=10000, help="corpus size (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="changes measured (default 3)")
    parser.add_argument(
        "--sample-stalls",
        action="store_true",
        help="print the UI thread's stack (and any thread holding the GIL) during each stall",
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
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-update-") as work:
        store = QSettings(str(Path(work) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            Context(corpus, cache), store, StartOptions(size=(1280, 800), remember=False)
        )
        window.show()
        started = time.perf_counter()
        if not wait_until(
            app,
            lambda: (
                window.is_ready
                and window.search_service.is_ready()
                and window.startup._records is not None  # noqa: SLF001 - its start-up check ran
                and not window.startup.is_busy()
            ),
            READY_TIMEOUT_S,
        ):
            raise RuntimeError("the window did not finish starting in time")
        print(f"window ready, start-up check done after {time.perf_counter() - started:.1f} s")
        sampler = None
        if args.sample_stalls:
            from benchmarks.stall_sampler import StallSampler

            sampler = StallSampler()
            sampler.start()
        for number in range(args.runs):
            result = one_run(app, window, corpus, number)
            results.append(result)
            print(
                f"run {number + 1}: edit shown after {result['shown']:.2f} s, found by search "
                f"after {result['searchable']:.2f} s; new file listed after "
                f"{result['added']:.2f} s; longest UI stall {result['gap_ms']:.0f} ms"
            )
        if sampler is not None:
            sampler.stop()
            print(sampler.report())
        window.close()
        window.search_service.wait_idle(10000)
        window.deleteLater()
        app.processEvents()
    label = f"{args.articles:,} articles"
    shown = median([r["shown"] for r in results])
    return [
        figure(
            f"file edited in place: new text on screen, {label} (s)",
            shown,
            0,
            f"< {VISIBLE_S:g} s",
            shown < VISIBLE_S,
        ),
        figure(
            f"file edited in place: found by search, {label} (s)",
            median([r["searchable"] for r in results]),
            0,
        ),
        figure(f"new file: in the library, {label} (s)", median([r["added"] for r in results]), 0),
        figure(
            f"longest UI stall while taking the changes in, {label} (ms)",
            median([r["gap_ms"] for r in results]),
            0,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
