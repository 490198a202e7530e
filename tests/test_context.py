"""Which collection a run opens, decided in one place for the command line and the window, and
the application's name, written once and read by every place that shows or stores it."""

from __future__ import annotations

from viewer import APP_ID, APP_NAME
from viewer.cli import PROG, build_gui_parser
from viewer.context import CORPUS_ENV, Context, resolve_corpus
from viewer.core.annotations import location
from viewer.core.resources import bundled_corpus_dir
from viewer.ui import settings
from viewer.ui.app import DESKTOP_FILE_NAME, gui_corpus


def test_the_command_line_folder_wins_over_the_environment_and_the_remembered_one(
    tmp_path, monkeypatch
):
    chosen, from_env, remembered = (tmp_path / name for name in ("chosen", "env", "last"))
    for folder in (chosen, from_env, remembered):
        folder.mkdir()
    monkeypatch.setenv(CORPUS_ENV, str(from_env))
    assert resolve_corpus(str(chosen), str(remembered)) == chosen
    assert resolve_corpus(None, str(remembered)) == from_env
    monkeypatch.delenv(CORPUS_ENV)
    assert resolve_corpus(None, str(remembered)) == remembered
    assert resolve_corpus(None) == bundled_corpus_dir()


def test_a_remembered_folder_that_is_gone_or_garbled_falls_back_to_the_bundled_articles(tmp_path):
    assert resolve_corpus(None, str(tmp_path / "removed since")) == bundled_corpus_dir()
    assert resolve_corpus(None, 42) == bundled_corpus_dir()  # a settings file edited by hand
    assert resolve_corpus(None, "") == bundled_corpus_dir()


def test_the_command_line_and_the_window_resolve_the_same_folder(tmp_path, monkeypatch):
    store = settings.open_store(str(tmp_path / "s.ini"))
    last = tmp_path / "last"
    last.mkdir()
    store.setValue(settings.KEY_CORPUS, str(last))
    # The GUI's own parser, as viewer/cli.py runs it: --corpus given, and not.
    with_option = build_gui_parser().parse_args(["--corpus", str(tmp_path)])
    without = build_gui_parser().parse_args([])
    assert (
        gui_corpus(with_option, store) == Context.from_args(str(tmp_path), None).corpus == tmp_path
    )
    assert gui_corpus(without, store) == Context.from_args(None, None, str(last)).corpus == last
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path))
    assert gui_corpus(without, store) == Context.from_args(None, None).corpus == tmp_path


def test_one_application_name_for_program_settings_desktop_file_and_annotations(
    tmp_path, monkeypatch
):
    assert PROG == DESKTOP_FILE_NAME == settings.APPLICATION == location.APPLICATION == APP_ID
    assert settings.ORGANIZATION == location.ORGANIZATION
    assert APP_NAME == "Article Viewer"
    monkeypatch.delenv("ARTICLE_VIEWER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Context.from_args(None, None).cache_dir == tmp_path / APP_ID  # ~/.cache/article-viewer
