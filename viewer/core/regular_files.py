"""Reading files from an untrusted folder without hanging: regular files only, size-capped.

A named pipe (FIFO) called `x.md` blocks the first `open()` until someone writes to it, and a
device such as /dev/zero never ends; both would hang every command and the GUI. So a path is
checked with `os.stat` (which never blocks) before it is opened, opened with O_NONBLOCK (an
open that cannot block even if the file was swapped for a pipe in between), and checked again
on the open descriptor. At most `limit + 1` bytes are read, so a huge file costs no memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from viewer.core.errors import ViewerError

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class NotReadable(ViewerError):
    """A file that is not read: not a regular file, too large, or failing to open."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words for a one-line problem report."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular_reason(mode: int) -> str:
    return f"is {kind_of(mode)}, not a regular file; not opened"


def check_regular(path: Path | str) -> os.stat_result:
    """The file's stat if it is a regular file (links followed); NotReadable otherwise."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise NotReadable(f"cannot read the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise NotReadable(not_regular_reason(info.st_mode))
    return info


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """Up to `limit + 1` bytes of a regular file (one past the limit tells the caller it is too
    large); NotReadable for anything else, never blocking on a pipe or device."""
    check_regular(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise NotReadable(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):  # replaced between the stat and the open
            raise NotReadable(not_regular_reason(info.st_mode))
        # A regular file never blocks, so the descriptor may read normally from here on.
        os.set_blocking(descriptor, True)
        chunks, remaining = [], limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise NotReadable(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(descriptor)
