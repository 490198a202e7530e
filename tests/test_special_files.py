"""Special and oversized files (issue 17, points 3-5): a named pipe called x.md, a pipe or a
device used as an image, a sparse 10 GB image, a decompression bomb, and PDF images looked up
in the current folder. Commands run in a child process with a deadline, so a regression shows
as a timeout instead of a hung suite."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from viewer.export.images import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    ImageRefused,
    decode_image,
    load_corpus_image,
)

pytestmark = pytest.mark.usefixtures("qapp")
DEADLINE = 90  # seconds; a blocked open() would wait forever
PICTURE = "---\ntitle: Picture\n---\nIntro.\n\n## Figure\n\nA chart: ![chart](IMAGE) and the text after it.\n"


def _viewer(tmp_path, corpus, *args, cwd=None) -> subprocess.CompletedProcess:
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
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=DEADLINE,
        cwd=cwd or tmp_path,
    )


def _png(path: Path, width: int, height: int, colour: str) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def _pdf_image_sizes(path: Path) -> list[tuple[int, int]]:
    sizes = []
    for page in PdfReader(str(path)).pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        for ref in objects.values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
    return sizes


def _picture_corpus(tmp_path, image_name: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "picture.md").write_text(PICTURE.replace("IMAGE", image_name), encoding="utf-8")
    return corpus


@pytest.mark.slow
def test_a_fifo_named_like_an_article_is_a_problem_and_no_command_hangs(tmp_path, corpus_copy):
    os.mkfifo(corpus_copy / "x.md")
    listing = _viewer(tmp_path, corpus_copy, "list", "--json")
    assert listing.returncode == 0, listing.stderr
    problems = {p["path"]: p["error"] for p in json.loads(listing.stdout)["problems"]}
    assert "named pipe" in problems["x.md"]
    article = json.loads(listing.stdout)["articles"][0]["id"]
    for command in (
        ["show", article],
        ["index"],
        ["search", "kratom", "--json"],
        ["export", article, "-o", str(tmp_path / "out.pdf")],
    ):
        done = _viewer(tmp_path, corpus_copy, *command)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_the_gui_opens_a_folder_holding_a_fifo_article(tmp_path, corpus_copy):
    os.mkfifo(corpus_copy / "x.md")
    shot = tmp_path / "shot.png"
    done = _viewer(
        tmp_path, corpus_copy, "--settings", str(tmp_path / "s.ini"), "--screenshot", str(shot)
    )
    assert done.returncode == 0, done.stderr
    assert not QImage(str(shot)).isNull()


@pytest.mark.slow
@pytest.mark.parametrize("make", ["fifo", "device-link"])
def test_a_pipe_or_device_as_an_image_neither_hangs_the_reader_nor_the_pdf(tmp_path, make):
    corpus = _picture_corpus(tmp_path, "special.png")
    if make == "fifo":
        os.mkfifo(corpus / "special.png")
    else:
        os.symlink("/dev/zero", corpus / "special.png")
    shot = tmp_path / "shot.png"
    done = _viewer(
        tmp_path,
        corpus,
        "--settings",
        str(tmp_path / "s.ini"),
        "--screenshot",
        str(shot),
        "--article",
        "picture",
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "picture.pdf"
    done = _viewer(tmp_path, corpus, "export", "picture", "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    assert "the text after it" in " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages
    )


def test_the_reader_shows_a_placeholder_for_a_fifo_image(tmp_path):
    corpus = _picture_corpus(tmp_path, "pipe.png")
    os.mkfifo(corpus / "pipe.png")
    placeholder = load_corpus_image(corpus, "pipe.png")  # returns at once: the pipe is never opened
    assert placeholder is not None and placeholder.height() < 60


@pytest.mark.slow
def test_a_sparse_10_gb_image_becomes_a_placeholder_in_reader_and_pdf(tmp_path):
    corpus = _picture_corpus(tmp_path, "huge.png")
    with open(corpus / "huge.png", "wb") as handle:
        handle.truncate(10 * 1024**3)  # sparse: no disk space used
    image = load_corpus_image(corpus, "huge.png")
    assert image is not None and image.width() * image.height() < 100_000
    pdf = tmp_path / "huge.pdf"
    done = _viewer(tmp_path, corpus, "export", "picture", "-o", str(pdf))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert all(w * h < 100_000 for w, h in _pdf_image_sizes(pdf))


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    corpus = _picture_corpus(tmp_path, "big.png")
    _png(corpus / "big.png", 4, 4, "red")
    with open(corpus / "big.png", "r+b") as handle:
        handle.truncate(MAX_IMAGE_BYTES + 1)  # a valid PNG followed by sparse padding
    assert load_corpus_image(corpus, "big.png").size() != QImage(str(corpus / "big.png")).size()


def _png_bomb(width: int, height: int) -> bytes:
    """A real 1-bit PNG of width x height that compresses to a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


def test_the_pixel_count_is_checked_before_decoding(tmp_path):
    bomb = _png_bomb(20_000, 20_000)  # 400 megapixels in about 50 KB
    assert len(bomb) < 200_000 and 20_000 * 20_000 > MAX_IMAGE_PIXELS
    with pytest.raises(ImageRefused, match="pixels"):
        decode_image(bomb)
    small = _png_bomb(64, 32)
    assert decode_image(small).size().width() == 64
    corpus = _picture_corpus(tmp_path, "bomb.png")
    (corpus / "bomb.png").write_bytes(bomb)
    assert load_corpus_image(corpus, "bomb.png").height() < 60


def test_the_reading_pane_loads_images_through_the_same_limits(qtbot, tmp_path):
    from tests.ui_support import close_window, open_window

    corpus = _picture_corpus(tmp_path, "chart.png")
    _png(corpus / "chart.png", 40, 30, "red")
    os.mkfifo(corpus / "pipe.png")
    window = open_window(qtbot, corpus, tmp_path / "s.ini", article="picture")
    try:
        load = window.ui.reader.loadResource
        kind = QTextDocument.ResourceType.ImageResource.value
        assert load(kind, QUrl("chart.png")).size().width() == 40
        assert load(kind, QUrl("pipe.png")).height() < 60  # a placeholder, returned at once
        assert load(kind, QUrl("../elsewhere.png")) is None
    finally:
        close_window(qtbot, window)


def test_pdf_images_come_from_the_article_folder_in_the_corpus_not_the_current_folder(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.md").write_text(
        "---\ntitle: A\n---\nIntro.\n\n## Figures\n\n"
        "![chart](chart.png) and ![private](private.png)\n",
        encoding="utf-8",
    )
    _png(corpus / "sub" / "chart.png", 40, 30, "red")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    for folder in (elsewhere, elsewhere / "sub"):  # where an unanchored lookup would find it
        _png(folder / "private.png", 50, 20, "blue")
    pdf = tmp_path / "a.pdf"
    done = _viewer(tmp_path, corpus, "export", "a", "-o", str(pdf), cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    sizes = _pdf_image_sizes(pdf)
    assert (40, 30) in sizes
    assert (50, 20) not in sizes
