"""An exception in a worker thread reaches the reader as one line in the status bar and the log
keeps its traceback (viewer/ui/worker_errors.py): Python threads (the background catalogue and
topic tree of a large collection) and Qt's pool threads (search and index jobs) alike."""

from __future__ import annotations

import logging

import viewer.ui.startup_tree as startup_tree
from tests.test_background_catalogue import TEMPLATE, write_collection
from tests.ui_support import close_window, open_window
from viewer.core.catalogue_store import CatalogueFile
from viewer.ui.worker_errors import ReportingJob


def _catalogued(qtbot, tmp_path):
    """A collection large enough to be read in the background, its catalogue written."""
    paths = write_collection(tmp_path / "c", 12)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5)
    qtbot.waitUntil(
        lambda: len(window.library) == 12 and not window.startup.is_busy(), timeout=60000
    )
    close_window(qtbot, window)
    return paths


def _open_checked(qtbot, tmp_path):
    window = open_window(
        qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5, article="article-004"
    )
    assert window.startup.mode == "check"  # started from the catalogue, checked after paint
    return window


def _status(window) -> str:
    return window.statusBar().currentMessage()


def test_a_topic_tree_that_fails_to_build_is_said_in_the_status_bar_and_logged(
    qtbot, tmp_path, monkeypatch, caplog
):
    _catalogued(qtbot, tmp_path)

    def broken(_library):
        raise ValueError("a topic with no name")

    monkeypatch.setattr(startup_tree, "build_tree", broken)
    with caplog.at_level(logging.ERROR, logger="viewer.ui.worker_errors"):
        window = _open_checked(qtbot, tmp_path)
        qtbot.waitUntil(lambda: "went wrong" in _status(window), timeout=15000)
    line = _status(window)
    assert "\n" not in line and "Traceback" not in line
    assert "ValueError: a topic with no name" in line and "topic-tree" in line
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is ValueError  # the traceback is in the log
    assert window.ui.reader.article.id == "article-004"  # the reader goes on working
    close_window(qtbot, window)


def test_a_catalogue_that_fails_to_save_after_an_edit_is_said_and_the_edit_still_shows(
    qtbot, tmp_path, monkeypatch, caplog
):
    paths = _catalogued(qtbot, tmp_path)
    window = _open_checked(qtbot, tmp_path)
    qtbot.waitUntil(
        lambda: window.startup.records is not None and not window.startup.is_busy(),
        timeout=60000,
    )

    def broken(_self, _records):
        raise TypeError("an outline that cannot be written")

    monkeypatch.setattr(CatalogueFile, "write", broken)
    with caplog.at_level(logging.ERROR, logger="viewer.ui.worker_errors"):
        with open(paths[4], "w", encoding="utf-8") as handle:  # rewritten in place
            handle.write(TEMPLATE.format(n=4).replace("Summary of article 4", "Edited"))
        qtbot.waitUntil(lambda: "Edited" in window.ui.reader.toPlainText(), timeout=15000)
        qtbot.waitUntil(lambda: "went wrong" in _status(window), timeout=15000)
    assert "TypeError: an outline that cannot be written" in _status(window)
    assert any(r.exc_info and r.exc_info[0] is TypeError for r in caplog.records)
    close_window(qtbot, window)


class _FailingJob(ReportingJob):
    def work(self) -> None:
        raise KeyError("missing section")


def test_a_pool_job_that_raises_is_said_in_the_status_bar(qtbot, tmp_path, corpus_copy, caplog):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    with caplog.at_level(logging.ERROR, logger="viewer.ui.worker_errors"):
        window.search_service._pool.start(_FailingJob())  # the pool search and index jobs use
        qtbot.waitUntil(lambda: "went wrong" in _status(window), timeout=15000)
    assert "KeyError: 'missing section'" in _status(window)
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
    close_window(qtbot, window)
