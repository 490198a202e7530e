"""`article-viewer --screenshot PNG`: starts offscreen, waits for its content, saves, exits 0."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage


def _run(tmp_path, corpus, *args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "viewer",
            "--corpus",
            str(corpus),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--settings",
            str(tmp_path / "settings.ini"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_screenshot_of_the_window_is_saved_and_the_app_exits(tmp_path, corpus_copy):
    out = tmp_path / "shot.png"
    done = _run(
        tmp_path,
        corpus_copy,
        "--screenshot",
        str(out),
        "--size",
        "1000x640",
        "--article",
        "kratom-dopamine-withdrawal",
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 640)
    assert not (
        tmp_path / "settings.ini"
    ).exists()  # a picture does not change the reader's settings


@pytest.mark.slow
def test_a_dark_screenshot_with_a_search(tmp_path, corpus_copy):
    out = tmp_path / "dark.png"
    done = _run(
        tmp_path,
        corpus_copy,
        "--screenshot",
        str(out),
        "--size",
        "1000x640",
        "--theme",
        "dark",
        "--search",
        "withdrawl",
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    # Over the middle of the window (the reading pane), the typical pixel is dark page: text,
    # light in this theme, covers only a part of it.
    lightness = sorted(
        image.pixelColor(image.width() * x // 20, image.height() * y // 20).lightness()
        for x in range(6, 15)
        for y in range(4, 19)
    )
    assert lightness[len(lightness) // 2] < 90


@pytest.mark.slow
def test_an_unwritable_screenshot_path_is_an_error_not_a_traceback(tmp_path, corpus_copy):
    done = _run(
        tmp_path, corpus_copy, "--screenshot", str(tmp_path / "missing" / "folder" / "x.png")
    )
    assert done.returncode == 1
    assert "cannot write the screenshot" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_start_up_does_not_load_whoosh_or_print_support_before_the_window_is_up(
    tmp_path, corpus_copy
):
    script = (
        "import sys, pathlib\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from viewer.context import Context\n"
        "from viewer.ui.main_window import MainWindow, StartOptions\n"
        f"ctx = Context(pathlib.Path({str(corpus_copy)!r}), pathlib.Path({str(tmp_path / 'cache')!r}))\n"
        f"w = MainWindow(ctx, QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat), StartOptions())\n"
        "print(sorted(m for m in ('whoosh', 'PySide6.QtPrintSupport', 'pypdf') if m in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_missing_corpus_folder_still_gives_a_screenshot_with_the_reason(tmp_path):
    out = tmp_path / "missing.png"
    done = _run(
        tmp_path, tmp_path / "no-such-folder", "--screenshot", str(out), "--size", "800x500"
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
