"""A cold `search` without loading the library: the index says which corpus state it reflects.

Loading the library (catalogue, every file's stat, outlines) and checking the index in full
(a CRC-32 of every index file) cost most of a one-shot CLI search: 1.8 s at 50,000 articles,
against 0.16 s for FTS5. After a successful build or update, the CLI records beside the index a
stamp of the corpus (a hash of every article file's path, size and mtime, taken before the
library was loaded) and of the index files it left (size, mtime, ctime) and the system's boot.
The next `search` walks the
corpus (stat calls only, no reading; core/corpus_stamp.py, in a child process while the search
imports, opens the index and runs the query) and compares: when both match it shows what it
found in the index as it is; anything else (an edit, a new or removed file, an update by the app, another program or
schema version, a file that cannot be listed) takes the full path, which loads, updates and
checks as before and records a new stamp.

The stamp also holds the state of the code and cue files the catalogue's version covers
(`code_stamp`: size, mtime and ctime of every file beside the parsers and in the resources
folder), so a change to the parsing code or a cue re-reads as before, without a cold search
importing the catalogue (and the safety classifier with it) to compute that version.

Size and mtime are trusted for article files as the catalogue trusts them. Index files are
also compared by ctime (a write into a file changes it) and the stamp holds only within one boot
of the system (crash damage comes with a reboot); the full check, with checksums, runs at every
build, update, `index` run and app start, and on the first search after a reboot.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from viewer.core.atomic import write_text_atomically
from viewer.core.corpus_stamp import corpus_stamp
from viewer.core.resources import resources_dir

STAMP_NAME = "corpus-stamp.json"

__all__ = ["STAMP_NAME", "code_stamp", "corpus_stamp", "matches", "record", "recorded"]


def code_folders() -> list[Path]:
    """Where everything catalogue_store.catalogue_version() hashes lives: its parsing code
    (`_SOURCES`, files of viewer/core) and its cue files (`_CUE_FILES`, in the resources
    folder). A test holds the two lists inside these folders."""
    return [Path(__file__).resolve().parent.parent / "core", resources_dir()]


def code_stamp() -> str | None:
    """A hash of size, mtime and ctime of every file in `code_folders()` (not their
    subfolders): it changes whenever the catalogue's version can have changed, and more often
    (any file there), which only costs one full-path search. ctime, which no program sets back,
    catches a file replaced by one of the same size and mtime (an unpacked upgrade). None
    when a folder cannot be listed."""
    seen = []
    try:
        for folder in code_folders():
            with os.scandir(folder) as listing:
                for entry in listing:
                    if entry.is_file():
                        stat = entry.stat()
                        seen.append((entry.name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    except OSError:
        return None
    seen.sort()
    return hashlib.blake2b(repr(seen).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _files(folder: Path) -> dict[str, list[int]]:
    """Size, mtime and ctime of every file of an index generation (locks left out: they come
    and go). Writing into a file changes its ctime, which no program can set back, so damage
    that keeps size and mtime is seen here too."""
    files = {}
    for entry in os.scandir(folder):
        if entry.name != STAMP_NAME and "LOCK" not in entry.name and entry.is_file():
            stat = entry.stat()
            files[entry.name] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
    return files


def _boot() -> str | None:
    """This boot of the system (Linux). A crash can leave an index file full of NULs with its
    size and times intact (delayed allocation); a crash means a new boot, so the first search
    after one takes the full path and its checksums. None where the boot cannot be told: no
    stamp is trusted there."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def record(folder: Path, stamp: str | None, version: str | None) -> None:
    """Remember that the index in `folder` reflects the corpus state `stamp` (best effort: a
    stamp that cannot be written only means the next search takes the full path)."""
    boot = _boot()
    if stamp is None or boot is None or version is None:
        return
    try:
        data = {"version": version, "boot": boot, "corpus": stamp, "files": _files(folder)}
        write_text_atomically(folder / STAMP_NAME, json.dumps(data, separators=(",", ":")))
    except OSError:
        pass


def recorded(folder: Path, version: str | None) -> str | None:
    """The corpus stamp recorded for the index in `folder`, if the index was left as recorded
    (same files, this version and boot); None otherwise. A cold search may search the index
    before its own walk of the corpus ends and show the results if the walk gives this stamp."""
    if version is None:
        return None
    try:
        data = json.loads((folder / STAMP_NAME).read_text(encoding="utf-8"))
        if (
            isinstance(data, dict)
            and data.get("version") == version
            and data.get("boot") == _boot()
            and isinstance(data.get("corpus"), str)
            and data.get("files") == _files(folder)
        ):
            return data["corpus"]
    except (OSError, ValueError, UnicodeDecodeError):
        return None  # no stamp, or one that cannot be read: the full path
    return None


def matches(folder: Path, stamp: str | None, version: str | None) -> bool:
    """Whether the index in `folder` was left as recorded, for this corpus state and version."""
    return stamp is not None and recorded(folder, version) == stamp
