"""Atomic writes: whole files or nothing, with the permissions a normal write would give."""

from __future__ import annotations

import os
import stat

import pytest

from viewer.core.atomic import atomic_path, write_text_atomically
from viewer.core.errors import ViewerError


def test_new_file_gets_the_usual_permissions_not_private_ones(tmp_path):
    target = tmp_path / "export.html"
    write_text_atomically(target, "<p>hi</p>")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_text() == "<p>hi</p>"


def test_replacing_a_file_keeps_its_mode(tmp_path):
    target = tmp_path / "notes.md"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomically(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new"


def test_an_error_half_way_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("precious")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temp:
            temp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(ViewerError, match="does not exist"):
        write_text_atomically(tmp_path / "nope" / "x.txt", "x")
