"""The files of one index generation on disk: their size, mtime and checksum (what the manifest
records, so damage that keeps a file's size is found) and the removal of files a killed update
left beside the ones the manifest lists."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

from viewer.search import freshness

MANIFEST = "manifest.json"


def remove_unlisted(folder: Path, manifest: dict) -> None:
    """Delete what a failed update wrote beside the index its manifest lists (its segment, the
    writer's temporary pool folder)."""
    listed = set(manifest.get("index_files") or {})
    for path in folder.iterdir():
        if _bookkeeping(path.name) or path.name in listed:
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            pass  # still open elsewhere (Windows) or already gone: the next update tries again


def _bookkeeping(name: str) -> bool:
    """The manifest, the freshness stamp and the locks: beside the index, not part of it."""
    return name in (MANIFEST, freshness.STAMP_NAME) or "LOCK" in name


def checksums(folder: Path, known: dict | None = None) -> dict[str, list[int]]:
    """Size, mtime and CRC-32 of every index file (locks, the manifest and the stamp left out).

    The checksum finds damage that keeps size and mtime: a crash with delayed allocation
    leaves a file of the right length full of NULs. Reading costs a few ms per MB (1.8 GB at
    50,000 articles: seconds, twice an update), so `known` keeps this process's checksums by
    path, size, mtime, ctime and inode: a file with the same stat is not read again (a crash
    ends this process; a write or utime() changes the ctime). It ends holding this folder's."""
    files, seen = {}, {}
    for path in folder.iterdir():
        if _bookkeeping(path.name) or not path.is_file():
            continue
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        crc = known.get(key) if known is not None else None
        if crc is None:
            crc = _crc32(path)
        seen[key] = crc
        files[path.name] = [stat.st_size, stat.st_mtime_ns, crc]
    if known is not None:
        known.clear()
        known.update(seen)
    return files


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc
