"""The index's manifest.json, read once and written in pieces, so an update holds no long GIL.

At 50,000 articles the manifest is 6 MB. `json.loads` and `json.dumps` of it are single C calls
that hold the interpreter for 60-350 ms each (measured: 356 and 346 ms on a loaded two-core
machine), and every one-file update read it three times (the interrupted-update clean-up, the
check, the update) and wrote it once, from a worker thread: the window's thread waited that
long for the interpreter on each edit. Here a read whose file is as it was last read or
written (same size, mtime and inode) is the dictionary already in memory, and a write encodes
the per-file entries a few hundred at a time, producing the same JSON.

The dictionaries handed out are shared: callers read them, never change them.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from pathlib import Path

from viewer.core.atomic import atomic_path
from viewer.search.index_files import MANIFEST

# Entries encoded per json.dumps call: each call holds the interpreter, so the window's
# thread gets a turn between them (some 0.3 ms each here).
CHUNK = 500
PIECE_CHARS = 64 * 1024  # of "files" parsed per json.loads call when reading (about 500 entries)
_FILES = '"files":{'
_FILES_END = '}},"index_files":'  # the last entry's end, the end of "files", the next key


def _file_key(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


class ManifestFile:
    """Reads and writes the manifests of one index's generations, keeping the last one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._key: tuple[int, int, int] | None = None
        self._manifest: dict | None = None

    def read(self, folder: Path) -> dict:
        """The manifest of `folder`; raises OSError, ValueError or UnicodeDecodeError as
        reading and parsing the file would."""
        path = Path(folder) / MANIFEST
        key = _file_key(path)
        with self._lock:
            known = self._manifest
            if known is not None and key is not None and (path, key) == (self._path, self._key):
                return known
        manifest = _parse(path)
        with self._lock:
            self._path, self._key, self._manifest = path, key, manifest
        return manifest

    def write(self, folder: Path, manifest: dict) -> None:
        """Replace the manifest of `folder` (atomically), as json.dumps(manifest) with compact
        separators would write it."""
        path = Path(folder) / MANIFEST
        with self._lock:
            self._path = self._key = self._manifest = None
        with atomic_path(path) as temp, open(temp, "w", encoding="utf-8", newline="\n") as out:
            _dump(out, manifest)
        with self._lock:
            self._path, self._key, self._manifest = path, _file_key(path), manifest


def _parse(path: Path) -> dict:
    return parse_in_pieces(path.read_text(encoding="utf-8"))


def parse_in_pieces(text: str) -> dict:
    """json.loads(text) for a manifest as _dump writes it, its "files" entries parsed some
    PIECE_CHARS at a time: one json.loads of the 6 MB at 50,000 articles held the interpreter
    for 60-350 ms in the worker opening the index, which the window waited for (the first
    query's "opening" stall). An entry ends with `}` and the next begins with `"`: `},"` with
    a bare quote is never inside a JSON string (a quote there is escaped), so a piece cut there
    is whole, and a cut anywhere else fails to parse: then the text is parsed in one go."""
    files_at = text.find(_FILES)
    end = text.rfind(_FILES_END)
    if files_at < 0 or end < files_at:
        return json.loads(text)
    try:
        manifest = json.loads(text[:files_at] + _FILES + "}}")
        files: dict = {}
        body, start = text[files_at + len(_FILES) : end + 1], 0
        while start < len(body):
            cut = body.find('},"', start + PIECE_CHARS)
            piece = body[start:] if cut < 0 else body[start : cut + 1]
            files.update(json.loads("{" + piece + "}"))
            start = len(body) if cut < 0 else cut + 2
        manifest["files"] = files
        manifest.update(json.loads("{" + text[end + len(_FILES_END) - len('"index_files":') :]))
    except ValueError:
        return json.loads(text)
    return manifest


def _dump(out, manifest: dict) -> None:
    """The manifest's JSON, its "files" entries CHUNK at a time."""
    dumps = partial(json.dumps, separators=(",", ":"))
    out.write("{")
    for number, (name, value) in enumerate(manifest.items()):
        out.write(("," if number else "") + dumps(name) + ":")
        if name != "files" or not isinstance(value, dict):
            out.write(dumps(value))
            continue
        items = list(value.items())
        out.write("{")
        for first in range(0, len(items), CHUNK):
            out.write(("," if first else "") + dumps(dict(items[first : first + CHUNK]))[1:-1])
        out.write("}")
    out.write("}")
