"""`article-viewer print`: the pages of File > Print (and of Export PDF), on a printer or into a
PDF file as "Print to File"; an unknown printer or no printer is one line and exit 1."""

from __future__ import annotations

import math

import pytest
from pypdf import PdfReader

from viewer.cli import main

pytestmark = pytest.mark.usefixtures("qapp")

ARTICLE = "kratom-chronic-pain-dosage"
POINTS_PER_MM = 72 / 25.4


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _texts(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


@pytest.mark.parametrize("size, height_mm", [("a4", 297), ("letter", 279.4)])
def test_print_to_file_gives_the_exported_pages(capsys, tmp_path, size, height_mm):
    printed, exported = tmp_path / "printed.pdf", tmp_path / "exported.pdf"
    code, out, err = _run(capsys, "print", ARTICLE, "--to-file", str(printed), "--page-size", size)
    assert code == 0, err
    assert str(printed) in out and not err
    assert _run(capsys, "export", ARTICLE, "-o", str(exported), "--page-size", size)[0] == 0
    assert _texts(printed) == _texts(exported)
    box = PdfReader(str(printed)).pages[0].mediabox
    assert math.isclose(float(box.height), height_mm * POINTS_PER_MM, abs_tol=2)


def test_an_unknown_printer_is_one_line_and_exit_1(capsys, tmp_path):
    code, out, err = _run(capsys, "print", ARTICLE, "--printer", "No Such Printer 42")
    assert code == 1 and not out
    assert err.count("\n") == 1 and "no printer named 'No Such Printer 42'" in err


def test_no_printer_set_up_is_one_line_and_exit_1(capsys, monkeypatch):
    from viewer.export import printer

    monkeypatch.setattr(printer, "default_printer_name", lambda: "")
    code, out, err = _run(capsys, "print", ARTICLE)
    assert code == 1 and not out
    assert err.count("\n") == 1 and "--to-file" in err


def test_an_unknown_article_or_a_folder_target_is_one_line(capsys, tmp_path):
    code, _, err = _run(capsys, "print", "no-such-article", "--to-file", str(tmp_path / "x.pdf"))
    assert code == 1 and err.count("\n") == 1
    code, _, err = _run(capsys, "print", ARTICLE, "--to-file", str(tmp_path))
    assert code == 1 and "is a folder" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
