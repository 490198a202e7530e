"""`article-viewer export`: format from option or extension, atomic writes, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO
from viewer.cli import main
from viewer.core.errors import ViewerError

ARTICLE = "kratom-dopamine-withdrawal"


# Text layout and PDF painting use fonts, which need a QGuiApplication.
pytestmark = pytest.mark.usefixtures("qapp")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "name, magic",
    [
        ("a.pdf", b"%PDF-"),
        ("a.html", b"<!DOCTYPE html>"),
        ("a.htm", b"<!DOCTYPE html>"),
        ("a.md", b"---\n"),
        ("a.markdown", b"---\n"),
        ("a.TXT", b"Does Kratom"),
    ],
)
def test_format_comes_from_the_extension(capsys, tmp_path, name, magic):
    code, out, err = _run(capsys, "export", ARTICLE, "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).read_bytes().startswith(magic)
    assert str(tmp_path / name) in out


def test_format_option_wins_over_the_extension(capsys, tmp_path):
    code, _, err = _run(
        capsys, "export", ARTICLE, "--format", "md", "-o", str(tmp_path / "notes.dat")
    )
    assert code == 0, err
    assert (tmp_path / "notes.dat").read_text(encoding="utf-8").startswith("---\n")


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_unknown_extension_is_one_line_and_writes_nothing(capsys, tmp_path):
    code, _, err = _run(capsys, "export", ARTICLE, "-o", str(tmp_path / "a.docx"))
    assert code == 1
    assert "a.docx" in _one_line_error(err) and "--format" in err
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_one_line_exit_1(capsys, tmp_path):
    target = tmp_path / "no such folder" / "a.pdf"
    code, _, err = _run(capsys, "export", ARTICLE, "-o", str(target))
    assert code == 1
    assert "does not exist" in _one_line_error(err) and "no such folder" in err
    assert not target.parent.exists()


def test_a_file_where_the_folder_should_be_is_one_line_exit_1(capsys, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    code, _, err = _run(capsys, "export", ARTICLE, "-o", str(blocker / "a.html"))
    assert code == 1
    _one_line_error(err)
    assert blocker.read_text() == "not a folder"


def test_output_that_is_a_folder_is_refused(capsys, tmp_path):
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    code, _, err = _run(capsys, "export", ARTICLE, "-o", str(folder))
    assert code == 1 and "folder" in _one_line_error(err)
    assert folder.is_dir()


def test_unknown_article_is_one_line_exit_1(capsys, tmp_path):
    code, _, err = _run(capsys, "export", "no-such-article", "-o", str(tmp_path / "a.txt"))
    assert code == 1 and "no-such-article" in _one_line_error(err)
    assert not (tmp_path / "a.txt").exists()


def test_bad_format_option_is_a_usage_error(capsys, tmp_path):
    code, _, err = _run(
        capsys, "export", ARTICLE, "--format", "docx", "-o", str(tmp_path / "a.docx")
    )
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize("fmt", ["pdf", "txt"])
def test_a_failed_export_leaves_the_existing_file_untouched_and_no_debris(
    capsys, tmp_path, monkeypatch, fmt
):
    target = tmp_path / f"keep.{fmt}"
    target.write_bytes(b"the previous export")

    def fail_half_way(article, path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"half a file")
        raise ViewerError(f"cannot draw the pages of {article.id}")

    if fmt == "pdf":
        monkeypatch.setattr("viewer.export.pdf_export.write_pdf", fail_half_way)
    else:

        def fail_text(article, fmt, *_highlights):
            raise ViewerError("the text could not be made")

        monkeypatch.setattr("viewer.export.dispatch.export_text", fail_text)
    code, _, err = _run(capsys, "export", ARTICLE, "-o", str(target))
    assert code == 1
    _one_line_error(err)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_successful_export_replaces_an_existing_file_completely(capsys, tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old " * 10000)
    code, _, _ = _run(capsys, "export", ARTICLE, "-o", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert "old old" not in text and text.startswith("Does Kratom")


@pytest.mark.slow
def test_the_console_command_exports_a_pdf_without_a_display(tmp_path):
    """A fresh process with no QApplication and no display makes its own offscreen one."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "ARTICLE_VIEWER_CACHE": str(tmp_path / "cache"),
    }
    target = tmp_path / "cli.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "viewer", "export", ARTICLE, "-o", str(target)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
