"""Damaged caches and full disks (issue 17, points 7, 8, 11): index files NUL-filled or garbled
with their size and mtime kept, a disk that fills during an update or a PDF export, a killed
build's leftover folder, CURRENT made a folder, and incremental scores equal to a clean build's.

A full disk is a real tmpfs where one can be mounted (as root, as on CI); elsewhere ENOSPC is
raised at the write call itself, so the tests never skip."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.core.library import Library
from viewer.search import SearchIndex

QUERIES = ["withdrawal", "kratom dosage", "hair loss", "dopamine", "side effects nausea"]
ARTICLE = "Summary of quokkas.\nIntro on quokkas.\n- Quokka Habits\nQuokka Habits\nQuokkas eat leaves.\nThe end.\n"


def _run(capsys, corpus, cache, *argv) -> tuple[int, str, str]:
    code = main(["--corpus", str(corpus), "--cache-dir", str(cache), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _ranking(capsys, corpus, cache, query) -> list[tuple[str, str, float]]:
    code, out, err = _run(capsys, corpus, cache, "search", query, "--json", "--limit", "50")
    assert code == 0, err
    return [(h["article"], h["anchor"], round(h["score"], 6)) for h in json.loads(out)["hits"]]


def _generation(cache: Path) -> Path:
    (search,) = cache.glob("*/search")
    return search / (search / "CURRENT").read_text().strip()


def _damage(path: Path, garble: bool = False) -> None:
    """Overwrite the file's bytes in place, keeping its size and modification time."""
    info = path.stat()
    data = bytes((b * 7 + 13) % 256 for b in path.read_bytes()) if garble else b"\0" * info.st_size
    with open(path, "r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize(
    "suffix, garble",
    [
        (".pst", False),
        ("_body_len.col", False),
        ("_body_len.col", True),
        (".trm", False),
        ("_stored.col", False),
        (".toc", False),
    ],
)
def test_damage_that_keeps_size_and_mtime_is_found_and_rebuilt_with_a_note(
    capsys, corpus_copy, tmp_path, suffix, garble
):
    cache = tmp_path / "cache"
    before = {q: _ranking(capsys, corpus_copy, cache, q) for q in QUERIES}
    (damaged,) = [p for p in _generation(cache).iterdir() if p.name.endswith(suffix)]
    _damage(damaged, garble)
    code, out, err = _run(
        capsys, corpus_copy, cache, "search", QUERIES[0], "--json", "--limit", "50"
    )
    assert code == 0 and "Traceback" not in err
    assert "note: search index rebuilt" in err and len(err.strip().splitlines()) == 1
    assert [
        (h["article"], h["anchor"], round(h["score"], 6)) for h in json.loads(out)["hits"]
    ] == before[QUERIES[0]]
    assert {q: _ranking(capsys, corpus_copy, cache, q) for q in QUERIES} == before


def test_damage_while_the_index_is_open_is_repaired_on_the_next_search(corpus_copy, tmp_path):
    library = Library.load(corpus_copy, cache_dir=tmp_path / "cache")
    index = SearchIndex.for_library(library, tmp_path / "cache" / "c")
    index.ensure_current()
    expected = [(h.article, h.anchor) for h in index.search("withdrawal", limit=20).hits]
    index.close()
    for path in _generation(tmp_path / "cache").iterdir():
        if path.name.endswith((".pst", "_body_len.col")):
            _damage(path)
    assert [(h.article, h.anchor) for h in index.search("withdrawal", limit=20).hits] == expected
    index.close()


def test_a_leftover_generation_folder_is_removed(capsys, corpus_copy, tmp_path):
    cache = tmp_path / "cache"
    _run(capsys, corpus_copy, cache, "index")
    search = _generation(cache).parent
    orphan = search / "gen-0123456789ab"  # what a killed 'index --rebuild' leaves
    orphan.mkdir()
    (orphan / "MAIN_x.pst").write_bytes(b"\0" * 4096)
    code, out, err = _run(capsys, corpus_copy, cache, "index")
    assert code == 0, err
    assert not orphan.exists() and len(list(search.glob("gen-*"))) == 1


@pytest.mark.parametrize("command", [["index"], ["index", "--rebuild"], ["search", "withdrawal"]])
def test_current_replaced_by_a_folder_is_repaired(capsys, corpus_copy, tmp_path, command):
    cache = tmp_path / "cache"
    _run(capsys, corpus_copy, cache, "index")
    pointer = _generation(cache).parent / "CURRENT"
    pointer.unlink()
    pointer.mkdir()
    (pointer / "stray").write_text("x")
    code, out, err = _run(capsys, corpus_copy, cache, *command)
    assert code == 0 and "Traceback" not in err, err
    assert pointer.is_file() and _generation(cache).is_dir()
    assert _ranking(capsys, corpus_copy, cache, "withdrawal")


# -- full disks ----------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 3 MB tmpfs, or None where tmpfs cannot be mounted (not root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        yield None
        return
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(folder: Path) -> Path:
    """Write a file until the disk is full; returns it (delete it to free the space)."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for block in (65536, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_during_an_update_is_one_line_and_keeps_the_old_index(
    capsys, corpus_copy, tmp_path, small_disk, monkeypatch
):
    cache = (small_disk or tmp_path / "disk") / "cache"
    before = _ranking(capsys, corpus_copy, cache, "withdrawal")
    files_before = {
        p.name: p.read_bytes() for p in _generation(cache).iterdir() if "LOCK" not in p.name
    }
    (corpus_copy / "quokka.txt").write_text(ARTICLE, encoding="utf-8")
    if small_disk:
        filler = _fill(small_disk)
    else:
        from whoosh.filedb.structfile import StructFile

        monkeypatch.setattr(StructFile, "write", _no_space)
    code, out, err = _run(capsys, corpus_copy, cache, "index")
    assert code == 1 and "Traceback" not in err
    errors = [line for line in err.splitlines() if "error" in line]
    assert (
        len(errors) == 1
        and "No space left on device" in errors[0]
        and "previous index is kept" in errors[0]
    )
    assert {
        p.name: p.read_bytes() for p in _generation(cache).iterdir() if "LOCK" not in p.name
    } == files_before
    code, out, err = _run(
        capsys, corpus_copy, cache, "search", "withdrawal", "--json", "--limit", "50"
    )
    assert code == 0 and "Traceback" not in err and "No space left" in err
    assert [
        (h["article"], h["anchor"], round(h["score"], 6)) for h in json.loads(out)["hits"]
    ] == before
    if small_disk:
        filler.unlink()
    else:
        monkeypatch.undo()
    assert _ranking(capsys, corpus_copy, cache, "quokka")


@pytest.mark.usefixtures("qapp")
def test_a_full_disk_during_a_pdf_export_is_one_line_and_keeps_the_old_file(
    capsys, tmp_path, small_disk, monkeypatch
):
    folder = small_disk or tmp_path / "disk"  # the unmounted folder: empty too
    target = folder / "article.pdf"
    target.write_bytes(b"%PDF- the previous export")
    if small_disk:
        filler = _fill(small_disk)
    else:
        import pypdf

        monkeypatch.setattr(pypdf.PdfWriter, "write", _no_space)
    code = main(["export", "kratom-dopamine-withdrawal", "-o", str(target)])
    _out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "cannot write" in err
    assert target.read_bytes() == b"%PDF- the previous export"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["article.pdf"] + (["filler"] if small_disk else [])
    )
    if small_disk:
        filler.unlink()
