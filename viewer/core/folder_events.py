"""Linux inotify on folders, through ctypes: which files of a watched folder changed, by name.

Qt's QFileSystemWatcher watches a folder for files appearing, disappearing and being renamed,
but not for a file being rewritten in place (it does not ask inotify for IN_MODIFY on folders),
so it must watch every file to see edits, and file systems limit watches (8,192 by default on
many systems): beyond a couple of thousand files an edit went unseen. inotify itself reports
every change inside a watched folder, with the file's name, for one watch per folder, so a
collection of 50,000 files in one folder costs one watch, and the window learns which file
changed instead of re-checking all of them.

`FolderEvents` is the thin wrapper: `add(folder)`, a file descriptor to wait on, `read()` for
the changes since the last read. It exists only on Linux; elsewhere `FolderEvents.create()`
returns None and the window keeps Qt's watcher. No Qt here (viewer/core imports none).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import struct
import sys
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
FOLDER_MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
)
_HEADER = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then the name)


def _libc() -> ctypes.CDLL:
    """The C library: the process's own symbols (libc is always loaded), else by name.
    ctypes.util.find_library("c") runs `ldconfig -p` in a subprocess, which every start of the
    window paid before its first paint."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.inotify_init1  # noqa: B018 - present, or AttributeError: look the library up
        return libc
    except (OSError, AttributeError):
        from ctypes.util import find_library

        return ctypes.CDLL(find_library("c") or "libc.so.6", use_errno=True)


@dataclass
class Changes:
    """What one read found: changed paths, new folders to watch, and whether events were lost
    (the kernel's queue overflowed, or a watched folder went away): then anything may have
    changed."""

    paths: set[str] = field(default_factory=set)
    folders: list[str] = field(default_factory=list)
    lost: bool = False
    # Per file, whether its last event left it being written (created or modified, not closed
    # yet: False after the writer closed it, or it was moved in or removed): a save is done.
    writing: dict[str, bool] = field(default_factory=dict)


class FolderEvents:
    """An inotify instance watching folders (not their sub-folders: add each)."""

    def __init__(self, libc: ctypes.CDLL, fd: int) -> None:
        self._libc = libc
        self.fd = fd
        self._folders: dict[int, str] = {}  # watch descriptor -> folder

    @classmethod
    def create(cls) -> FolderEvents | None:
        """An instance, or None where inotify is not available (not Linux, or no more
        instances allowed): the caller falls back to its own way of watching."""
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = _libc()
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            log.info("inotify unavailable: %s", os.strerror(ctypes.get_errno()))
            return None
        return cls(libc, fd)

    def add(self, folder: str) -> bool:
        """Watch one folder; False if it cannot be (gone, no permission, the watch limit)."""
        wd = self._libc.inotify_add_watch(
            self.fd, os.fsencode(folder), ctypes.c_uint32(FOLDER_MASK)
        )
        if wd < 0:
            code = ctypes.get_errno()
            level = logging.WARNING if code == errno.ENOSPC else logging.DEBUG
            log.log(level, "cannot watch %s: %s", folder, os.strerror(code))
            return False
        self._folders[wd] = folder
        return True

    @property
    def folders(self) -> list[str]:
        return list(self._folders.values())

    def read(self) -> Changes:
        """The changes queued since the last read (nothing if none: it never blocks)."""
        changes = Changes()
        while True:
            try:
                data = os.read(self.fd, 256 * 1024)
            except BlockingIOError:
                return changes
            except OSError as exc:
                log.debug("reading inotify events: %s", exc)
                changes.lost = True
                return changes
            if not data:
                return changes
            self._parse(data, changes)

    def _parse(self, data: bytes, changes: Changes) -> None:
        offset = 0
        while offset + _HEADER.size <= len(data):
            wd, mask, _cookie, length = _HEADER.unpack_from(data, offset)
            offset += _HEADER.size
            name = os.fsdecode(data[offset : offset + length].rstrip(b"\0"))
            offset += length
            if mask & IN_Q_OVERFLOW:
                changes.lost = True
                continue
            folder = self._folders.get(wd)
            if mask & IN_IGNORED:
                self._folders.pop(wd, None)
                continue
            if folder is None:
                continue
            if mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                changes.lost = True  # a watched folder moved or went: look at everything
                continue
            path = os.path.join(folder, name) if name else folder
            changes.paths.add(path)
            if not mask & IN_ISDIR:
                if mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE):
                    changes.writing[path] = False
                elif mask & (IN_MODIFY | IN_CREATE):
                    changes.writing[path] = True
            if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO):
                changes.folders.append(path)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            self._folders.clear()
