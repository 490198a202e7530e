"""Start-up stays lean: the first article is painted before Whoosh, the print modules,
multiprocessing or the search package are imported, and the index is built after that paint.
(Speed itself is measured in benchmarks/, never here.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import json, pathlib, sys
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.context import Context
from viewer.ui.main_window import MainWindow, StartOptions

WATCHED = ("whoosh", "PySide6.QtPrintSupport", "pypdf", "viewer.search", "multiprocessing",
           "viewer.ui.annotations_panel", "viewer.core.annotations.collect",
           "viewer.ui.safety_overview") + tuple(filter(None, sys.argv[4].split(",")))
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        reader = window.ui.reader
        if not seen and event.type() == QEvent.Type.Paint and watched is reader.viewport() \
                and reader.article is not None:
            seen["modules"] = [m for m in WATCHED if m in sys.modules]
            seen["indexing_started"] = window.search_service._pool.activeThreadCount() > 0
        return False

ctx = Context(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
window = MainWindow(ctx, QSettings(sys.argv[3], QSettings.Format.IniFormat), StartOptions(size=(1000, 700)))
watch = FirstPaint()
app.installEventFilter(watch)
window.search_service.index_ready.connect(lambda: (seen.__setitem__("index_ready", True), app.quit()))
window.search_service.index_failed.connect(lambda message: (seen.__setitem__("index_failed", message), app.quit()))
QTimer.singleShot(60000, app.quit)
window.show()
app.exec()
print(json.dumps(seen))
"""


def _first_paint(corpus, tmp_path, also_watched: str = "") -> dict:
    """What a window on `corpus` (cache and settings in tmp_path) had loaded and started when
    its first article was painted, and whether its index was then built."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(corpus),
            str(tmp_path / "cache"),
            str(tmp_path / "s.ini"),
            also_watched,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_first_article_is_painted_before_whoosh_and_print_support_are_loaded(
    tmp_path, corpus_copy
):
    seen = _first_paint(corpus_copy, tmp_path)
    assert seen["modules"] == []
    assert seen["indexing_started"] is False
    assert seen.get("index_ready") is True  # and the index was built after the paint


@pytest.mark.slow
def test_a_catalogued_start_paints_without_loading_the_safety_classifier(tmp_path, corpus_copy):
    """The catalogue holds every article's safety verdicts: on every start but the first, the
    classifier (its rules, phrase tables and trained model) is not needed to show an article."""
    _first_paint(corpus_copy, tmp_path)  # the first start writes the catalogue
    seen = _first_paint(corpus_copy, tmp_path, "viewer.core.safety")
    assert seen["modules"] == []
    assert seen.get("index_ready") is True


@pytest.mark.slow
def test_the_article_shown_last_is_painted_again_without_its_loaders(tmp_path, corpus_copy):
    """The window keeps the article it showed as a snapshot: the next start shows it without
    reading its file, so neither the Markdown loader nor YAML is imported for the first paint
    (the loaders stay on hand for any other article)."""
    loaders = "viewer.core.md_loader,viewer.core.txt_loader,yaml"
    first = _first_paint(corpus_copy, tmp_path, loaders)
    assert set(first["modules"]) == {"viewer.core.md_loader", "viewer.core.txt_loader", "yaml"}
    second = _first_paint(corpus_copy, tmp_path, loaders)
    assert second["modules"] == []
    assert second.get("index_ready") is True


def test_a_window_that_is_never_made_leaves_the_collector_on(corpus_copy, tmp_path, capsys):
    """Start-up switches the collector off until the first paint; a refused start (here an
    unknown linked article) has no first paint, so it must not leave it off for the caller."""
    import gc

    from viewer.cli import main

    assert gc.isenabled()
    options = ["--corpus", str(corpus_copy), "--cache-dir", str(tmp_path / "cache")]
    assert (
        main(options + ["--settings", str(tmp_path / "s.ini"), "article-viewer://article/none"])
        == 1
    )
    assert "no article 'none'" in capsys.readouterr().err
    assert gc.isenabled()
