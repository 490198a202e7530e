"""`article-viewer --screenshot PNG`: starts offscreen, waits for its content, saves, exits 0."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from viewer.render import theme_colors


def _run(tmp_path, corpus, *args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "viewer", "--corpus", str(corpus), "--cache-dir", str(tmp_path / "cache"),
         "--settings", str(tmp_path / "settings.ini"), *args],
        capture_output=True, text=True, env=env, timeout=120)


def test_a_screenshot_of_the_window_is_saved_and_the_app_exits(tmp_path, corpus_copy):
    out = tmp_path / "shot.png"
    done = _run(tmp_path, corpus_copy, "--screenshot", str(out), "--size", "1000x640",
                "--article", "kratom-dopamine-withdrawal")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 640)
    assert not (tmp_path / "settings.ini").exists()  # a picture does not change the reader's settings


def test_a_dark_screenshot_with_a_search(tmp_path, corpus_copy):
    out = tmp_path / "dark.png"
    done = _run(tmp_path, corpus_copy, "--screenshot", str(out), "--size", "1000x640", "--theme", "dark",
                "--search", "withdrawl")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    page = image.pixelColor(image.width() // 2, image.height() - 30)
    assert page.name() == theme_colors("dark")["background"] or page.lightness() < 90


def test_an_unwritable_screenshot_path_is_an_error_not_a_traceback(tmp_path, corpus_copy):
    done = _run(tmp_path, corpus_copy, "--screenshot", str(tmp_path / "missing" / "folder" / "x.png"))
    assert done.returncode == 1
    assert "cannot write the screenshot" in done.stderr and "Traceback" not in done.stderr
