"""The stamp of a corpus folder's article files, and a walk of it beside other work.

`corpus_stamp(root)` hashes every article file's relative path, size and mtime (stat calls only,
no reading): a cold `search` compares it with the stamp its index recorded (search/freshness.py)
to search without loading the library. At 50,000 files the walk costs 0.15-0.17 s, as much as
importing the search code, and a thread beside the search does not help (the search's C passes
hold the interpreter). `StampWalk.start(root)` therefore walks in a forked child process, on
the other core, while the caller imports Whoosh, opens the index and runs the query; the caller
asks for the stamp only when it must decide whether those results can be shown (issue 12).

Only a process with one thread forks (a fork beside other threads can inherit a lock held
mid-use); elsewhere, or when the child fails, the walk runs in the caller at `result()`, as it
always did. The child only walks, writes the stamp into a pipe and leaves with os._exit: it
flushes nothing of the parent's and runs none of its exit handlers.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

from viewer.core.article_files import ARTICLE_SUFFIXES, RECENT_NS

_NO_STAMP = b"-"  # the child's answer for "no stamp can vouch for this corpus" (None)
_STAMP_BYTES = 64  # more than a stamp's 32 hex digits: a longer answer is not one


def corpus_stamp(root: Path | str) -> str | None:
    """A hash of the article files under `root` (relative path, size, mtime), walked by the
    library's rules (hidden names skipped, linked folders not entered); None when something
    cannot be listed or stat'ed, or was changed so recently that it could change again unseen
    with the same size and time (the catalogue's rule), which no stamp can vouch for. Listing
    order is kept as the system gives it (a reordering only costs one full-path search)."""
    recent = time.time_ns() - RECENT_NS
    # Names, sizes and times in three flat lists hashed at C speed: a repr of one tuple per
    # file was a third of the walk's time at 50,000 files (issue 12).
    names: list[str] = []
    sizes, times = array("q"), array("q")
    pending = [(str(root), "")]
    suffixes = tuple(ARTICLE_SUFFIXES)
    try:
        while pending:
            folder, rel = pending.pop()
            for entry in _listing(folder):
                name = entry.name
                if name[0] == ".":
                    continue
                if name.lower().endswith(suffixes):
                    stat = entry.stat()
                    if stat.st_mtime_ns > recent:
                        return None
                    names.append(rel + name)
                    sizes.append(stat.st_size)
                    times.append(stat.st_mtime_ns)
                if entry.is_dir() and not entry.is_symlink():
                    names.append(f"{rel}{name}/")  # no file name ends with a slash
                    sizes.append(-1)
                    times.append(-1)
                    pending.append((os.path.join(folder, name), f"{rel}{name}/"))
    except OSError:
        return None
    digest = hashlib.blake2b(digest_size=16)
    digest.update("\0".join(names).encode("utf-8", "surrogatepass"))
    digest.update(sizes.tobytes())
    digest.update(times.tobytes())
    return digest.hexdigest()


def _listing(folder: str) -> Iterator[os.DirEntry]:
    """The entries of a folder. Where the system allows, listed through an open descriptor, so
    each file's stat looks up one name, not the whole path again (a quarter of the walk's
    system time at 50,000 files); the descriptor stays open while the caller iterates."""
    if os.scandir not in os.supports_fd:
        with os.scandir(folder) as listing:
            yield from listing
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        with os.scandir(fd) as listing:
            yield from listing
    finally:
        os.close(fd)


def can_walk_aside() -> bool:
    """Whether this process may fork a walker: Linux, and no thread but this one."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class StampWalk:
    """`corpus_stamp(root)`, computed in a child process from `start` until `result`."""

    def __init__(self, root: Path | str) -> None:
        self.root = root
        self._pid: int | None = None
        self._pipe: int | None = None
        self._stamp: str | None = None
        self._done = False
        self._child: int | None = None

    @classmethod
    def start(cls, root: Path | str, aside: bool | None = None) -> StampWalk:
        """Begin the walk: in a forked child when `aside` (by default: when can_walk_aside()),
        else lazily in this process at `result()`."""
        walk = cls(root)
        if aside if aside is not None else can_walk_aside():
            walk._fork()
        return walk

    @property
    def aside(self) -> bool:
        """Whether a child process is walking (or walked) the corpus."""
        return self._child is not None

    @property
    def child(self) -> int | None:
        """The walking child's process id, if one was started (waited for by result/close)."""
        return self._child

    def _fork(self) -> None:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:  # no processes left: walk here, later
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: walk, answer, leave without touching the parent's state
            code = 1
            try:
                os.close(read_end)
                stamp = corpus_stamp(self.root)
                os.write(write_end, _NO_STAMP if stamp is None else stamp.encode("ascii"))
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._pipe, self._child = pid, read_end, pid

    def result(self) -> str | None:
        """The stamp (waiting for the child if it is still walking); walked here when there is
        no child or it failed."""
        if not self._done:
            answered, stamp = self._collect()
            self._stamp = stamp if answered else corpus_stamp(self.root)
            self._done = True
        return self._stamp

    def close(self) -> None:
        """Wait for the child, if any, without needing its answer (no process left behind)."""
        if not self._done and self._pid is not None:
            self._collect()

    def _collect(self) -> tuple[bool, str | None]:
        """(True, the child's stamp or None for its "no stamp"), or (False, None) when there is
        no child or no usable answer."""
        if self._pid is None or self._pipe is None:
            return False, None
        chunks = []
        try:
            while chunk := os.read(self._pipe, _STAMP_BYTES + 1):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._pipe)
            self._pipe = None
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            status = 1
        self._pid = None
        answer = b"".join(chunks)
        if status != 0 or not answer or len(answer) > _STAMP_BYTES:
            return False, None
        if answer == _NO_STAMP:
            return True, None
        try:
            return True, answer.decode("ascii")
        except UnicodeDecodeError:
            return False, None
