"""Odd paths and unwritable places (issue 17, point 11): long export names, folders that cannot
be listed, articles under paths over the system's 4,096-byte limit, settings that cannot be saved."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings

from tests.ui_support import close_window, open_window
from viewer.cli import main
from viewer.core.library import Library
from viewer.ui.settings import ReaderSettings, save_settings, settings_problem

ARTICLE = "kratom-dopamine-withdrawal"
NOTE = "# Note\n\nA short note about sleep.\n"


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_a_255_byte_export_name_is_written_and_256_is_one_line(capsys, tmp_path, fmt):
    legal = tmp_path / ("a" * (255 - 4) + "." + fmt)
    assert main(["export", ARTICLE, "-o", str(legal)]) == 0, capsys.readouterr().err
    assert legal.stat().st_size > 0
    capsys.readouterr()
    too_long = tmp_path / ("b" * (256 - 4) + "." + fmt)
    assert main(["export", ARTICLE, "-o", str(too_long)]) == 1
    err = capsys.readouterr().err
    assert (
        len(err.strip().splitlines()) == 1
        and "File name too long" in err
        and "Traceback" not in err
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [legal.name]  # no temporary file left


def test_a_folder_that_cannot_be_listed_is_a_problem_entry(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "hidden.md").write_text(NOTE)
    (corpus / "open.md").write_text(NOTE)
    if os.geteuid() == 0:  # root reads any folder: refuse the listing where it is made
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path).endswith("locked"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        (corpus / "locked").chmod(0)
    try:
        library = Library.load(corpus)
    finally:
        (corpus / "locked").chmod(0o755)
    assert [a.path for a in library.articles] == ["open.md"]
    problems = {p.path: p.error for p in library.problems}
    assert "Permission denied" in problems["locked"] and "not listed" in problems["locked"]


def test_an_article_under_a_path_over_the_system_limit_is_a_problem_entry(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "open.md").write_text(NOTE)
    name = "d" * 200
    descriptor = os.open(corpus, os.O_RDONLY)
    try:  # each step relative to the last folder: the whole path is too long to name at once
        for _level in range(22):
            os.mkdir(name, dir_fd=descriptor)
            inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        article = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(article, NOTE.encode())
        os.close(article)
    finally:
        os.close(descriptor)
    library = Library.load(corpus)
    assert [a.path for a in library.articles] == ["open.md"]
    assert library.problems, "the deep folder was skipped without a word"
    (problem,) = library.problems
    assert problem.path.startswith(name + "/") and "too long" in problem.error


def test_settings_that_cannot_be_saved_are_reported(qtbot, corpus_copy, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    settings = blocker / "settings.ini"
    store = QSettings(str(settings), QSettings.Format.IniFormat)
    assert "not writable" in settings_problem(store)
    assert "could not be saved" in save_settings(store, ReaderSettings())
    window = open_window(qtbot, corpus_copy, settings, article=ARTICLE)
    try:
        assert "cannot be saved" in window.statusBar().currentMessage()
    finally:
        close_window(qtbot, window)
    writable = QSettings(str(tmp_path / "ok.ini"), QSettings.Format.IniFormat)
    assert settings_problem(writable) is None and save_settings(writable, ReaderSettings()) is None
