"""Atomic file writes: a temporary file in the target's folder, then a rename over the target.

An error half-way leaves the old file (or no file) in place, never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from viewer.core.errors import ViewerError


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yields a temporary path to write to; on success it replaces `path`, on error it vanishes."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        exists = folder.is_dir()
    except OSError as exc:  # e.g. a path over the system's length limit
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    if not exists:
        raise ViewerError(f"cannot write {path}: folder {folder} does not exist")
    try:
        # The temporary name must fit the file system's 255-byte limit whatever the target's
        # length: a legal 255-byte name must not fail because of its ".NAME.xxxx.part" sibling.
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{_short(path.name)}.", suffix=".part")
    except OSError as exc:
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(handle)
    temp_path = Path(temp)
    try:
        yield temp_path
        if path.is_dir():
            raise ViewerError(f"cannot write {path}: it is a folder")
        # mkstemp makes the file private (0600); give it the mode a normal write would, or keep
        # the mode of the file it replaces, so a shared export stays readable by others.
        os.chmod(temp_path, _mode_for(path))
        with open(temp_path, "rb") as written:
            os.fsync(written.fileno())  # the data is on disk before the name points at it
        os.replace(temp_path, path)
    except OSError as exc:
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temp_path.unlink(missing_ok=True)


def _short(name: str, limit: int = 96) -> str:
    """The name cut to at most `limit` bytes of UTF-8 (whole characters)."""
    return (
        os.fsencode(name)[:limit].decode("utf-8", "ignore")
        if len(os.fsencode(name)) > limit
        else name
    )


def _read_umask() -> int:
    # Read once at import, while the program is single-threaded: os.umask can only be read by
    # setting it, which would briefly change it for other threads.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def write_text_atomically(path: Path | str, text: str) -> None:
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    with atomic_path(path) as temp:
        temp.write_bytes(data)
