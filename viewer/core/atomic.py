"""Atomic file writes: a temporary file in the target's folder, then a rename over the target.

An error half-way leaves the old file (or no file) in place, never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from viewer.core.errors import ViewerError


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yields a temporary path to write to; on success it replaces `path`, on error it vanishes."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ViewerError(f"cannot write {path}: folder {folder} does not exist")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(handle)
    temp_path = Path(temp)
    try:
        yield temp_path
        if path.is_dir():
            raise ViewerError(f"cannot write {path}: it is a folder")
        os.replace(temp_path, path)
    except OSError as exc:
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temp_path.unlink(missing_ok=True)


def write_text_atomically(path: Path | str, text: str) -> None:
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    with atomic_path(path) as temp:
        temp.write_bytes(data)
