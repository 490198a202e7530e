"""--screenshot of a large collection opened from its catalogue: the picture is taken once the
article and its topic tree are shown, without waiting for the background check of the search
index, and the exit cancels that check cleanly (nothing half-written, nothing left running)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

import viewer.search
import viewer.ui.screenshot as screenshot_module
from tests.test_background_catalogue import write_collection
from tests.ui_support import close_window, open_window
from viewer.context import Context
from viewer.core import article_snapshot
from viewer.core.article_snapshot import SNAPSHOT_NAME
from viewer.core.catalogue_store import CatalogueFile
from viewer.ui.main_window import MainWindow, StartOptions
from viewer.ui.screenshot import ScreenshotTaker
from viewer.ui.topic_tree import KIND_ALL


class _App:
    """The running application as ScreenshotTaker sees it, without ending the test's loop."""

    def __init__(self, real) -> None:
        self.real, self.exit_codes = real, []

    def processEvents(self) -> None:  # noqa: N802 - Qt's name
        self.real.processEvents()

    def exit(self, code: int) -> None:
        self.exit_codes.append(code)


def _catalogued_collection(qtbot, tmp_path: Path) -> Path:
    """A collection that opens from its catalogue (the second start of a large one)."""
    folder = tmp_path / "c"
    write_collection(folder, 8)
    for path in folder.iterdir():  # saved an hour ago: stats the catalogue trusts at once
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    first = open_window(qtbot, folder, tmp_path / "first.ini", background_from=5)
    # A first launch reads without verdicts, then classifies what is pending in a second pass
    # and refreshes the index: all of it written, or the next start would rightly resume it.
    catalogue = CatalogueFile(first.context.corpus_cache_dir())

    def settled() -> bool:
        records = catalogue.read()
        return (
            len(records) == 8
            and not any(r.entry is not None and r.entry.pending for r in records.values())
            and first.startup.verdicts.is_settled()
        )

    qtbot.waitUntil(settled, timeout=60000)
    qtbot.waitUntil(first.search_service.is_ready, timeout=60000)
    close_window(qtbot, first)
    return folder


def test_a_catalogued_large_collection_is_pictured_without_waiting_for_its_index_check(
    qtbot, tmp_path, monkeypatch
):
    folder = _catalogued_collection(qtbot, tmp_path)
    cache = tmp_path / "cache"
    before = {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()}

    checking, stopped = threading.Event(), []

    class EndlessCheck:
        """An index whose check never ends by itself (a very large one): only a cancel stops it."""

        @classmethod
        def for_library(cls, library, cache_dir):
            return cls()

        def ensure_current(self, progress=None):
            checking.set()
            while True:
                try:
                    progress(0, 8)
                except Exception as exc:
                    stopped.append(type(exc).__name__)
                    raise
                threading.Event().wait(0.01)

    monkeypatch.setattr(viewer.search, "SearchIndex", EndlessCheck)
    app = _App(screenshot_module.running_app())
    monkeypatch.setattr(screenshot_module, "running_app", lambda: app)

    window = MainWindow(
        Context(folder, cache),
        QSettings(str(tmp_path / "shot.ini"), QSettings.Format.IniFormat),
        StartOptions(background_from=5, remember=False, size=(900, 600)),
    )
    qtbot.addWidget(window)
    assert window.startup.mode == "check"
    out = tmp_path / "shot.png"
    taker = ScreenshotTaker(window, out, wait_for_search=False)
    window.show()
    qtbot.waitUntil(lambda: bool(app.exit_codes), timeout=30000)

    assert app.exit_codes == [0] and taker.exit_code == 0
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (900, 600)
    # The picture shows the article and the tree, taken while the index was still unchecked.
    assert window.ui.reader.article is not None
    assert any(
        n.kind == KIND_ALL and n.label == "All articles (8)"
        for n in window.ui.tree_model.root().children
    )
    assert not window.search_service.is_ready()
    # The exit cancelled the check (if it had started) and waited for it: nothing runs on.
    assert window.search_service.wait_idle(0)
    assert stopped == (["BuildCancelled"] if checking.is_set() else [])
    assert not window.startup.is_busy()
    # Nothing in the cache was changed or left half-written.
    after = {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()}
    # Except the snapshot of the article pictured (written whole, then renamed into place), for
    # the next start to show it without parsing it (the first window, whose article's verdicts
    # went into its library as it opened, wrote one too).
    snapshot = next(p for p in after if p.name == SNAPSHOT_NAME)
    assert article_snapshot.load(snapshot.parent, window.ui.reader.article.id) is not None
    del after[snapshot]
    before.pop(snapshot, None)
    assert after == before


def test_a_small_collection_is_still_pictured_with_its_index_ready(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "c"
    write_collection(folder, 3)
    app = _App(screenshot_module.running_app())
    monkeypatch.setattr(screenshot_module, "running_app", lambda: app)
    window = MainWindow(
        Context(folder, tmp_path / "cache"),
        QSettings(str(tmp_path / "shot.ini"), QSettings.Format.IniFormat),
        StartOptions(remember=False, size=(900, 600)),
    )
    qtbot.addWidget(window)
    taker = ScreenshotTaker(window, tmp_path / "shot.png", wait_for_search=False)
    window.show()
    qtbot.waitUntil(lambda: bool(app.exit_codes), timeout=60000)
    assert taker.exit_code == 0
    assert window.ui.index_status.label.text() == "Search ready · 3 articles"
    window.search_service.wait_idle()


def test_a_check_cancelled_during_its_scan_keeps_the_whole_catalogue(tmp_path, monkeypatch):
    """An exit right after the picture cancels the check while it lists the folder: the files
    it had not reached yet stay catalogued, and the next start reads none of them again."""
    import viewer.core.catalogue_builder as builder_module
    from viewer.core.catalogue_builder import CatalogueBuilder, library_from_catalogue

    folder, cache = tmp_path / "c", tmp_path / "cache"
    write_collection(folder, 40)
    assert len(CatalogueBuilder(folder, cache, workers=0).run()) == 40
    check = CatalogueBuilder(folder, cache, workers=0)
    real_scan = builder_module._scan

    def scan_then_close(root, taken):
        for done, item in enumerate(real_scan(root, taken)):
            if done == 10:
                check.cancel()  # the window closes while the folder is being listed
            yield item

    monkeypatch.setattr(builder_module, "_scan", scan_then_close)
    assert check.run() is None and check.cancelled
    monkeypatch.setattr(builder_module, "_scan", real_scan)
    kept = library_from_catalogue(folder, cache)
    assert kept is not None and len(kept) == 40
    again = CatalogueBuilder(folder, cache, workers=0)
    assert len(again.run()) == 40 and again.reused == 40 and not again.changed
