"""The library catalogue on disk: every article's entry, cached per corpus, so that a large
collection is not parsed at start-up.

Two files in the corpus's cache folder: `catalogue.json` holds, per file, its size and
modification time with the head of its entry (id, title, topics, words, ...) or the reason it
could not be read; `catalogue-outlines.jsonl` holds each entry's sections as one line of JSON,
which the entry parses only when asked (catalogue.ArticleEntry). Both carry a generation id,
so a pair that does not belong together is never used.

It is a cache, never the source of truth: a version that covers the parsing code and the cue
files (topics.toml, safety.toml) invalidates it when either changes, and an unreadable,
half-written or foreign file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from viewer.core.atomic import atomic_path
from viewer.core.catalogue import ArticleEntry
from viewer.core.errors import ViewerError
from viewer.core.resources import resource_path

log = logging.getLogger(__name__)

# Bump when the files' shape or meaning changes in a way the source hash below cannot see.
CATALOGUE_VERSION = 3  # 3: per-sentence safety verdicts in each section
CATALOGUE_NAME = "catalogue.json"
OUTLINES_NAME = "catalogue-outlines.jsonl"
# The code whose output the catalogue stores: a change to any of them makes entries stale.
_SOURCES = (
    "catalogue.py",
    "catalogue_store.py",
    "context.py",
    "conversion.py",
    "cues.py",
    "decode.py",
    "frontmatter.py",
    "md_loader.py",
    "model.py",
    "own_export.py",
    "phrases.py",
    "plaintext.py",
    "safety.py",
    "safety_categories.py",
    "safety_derive.py",
    "safety_domain.py",
    "safety_model.py",
    "safety_steps.py",
    "safety_values.py",
    "sentences.py",
    "slug.py",
    "topics.py",
    "txt_loader.py",
)
_CUE_FILES = ("topics.toml", "safety.toml", "safety_model.json")


@dataclass(slots=True)
class FileRecord:
    """What the catalogue remembers about one file: its stat, and its entry or why it failed."""

    size: int
    mtime_ns: int
    entry: ArticleEntry | None = None
    error: str = ""

    def fresh(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


def catalogue_version() -> str:
    """This code's catalogue version: the format number plus a hash of the parsing code and the
    cue files, so that editing a cue (or the classifier) re-reads every article once."""
    digest = hashlib.blake2b(digest_size=12)
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        digest.update(_read(here / name))
    for name in _CUE_FILES:
        digest.update(_read(resource_path(name)))
    return f"{CATALOGUE_VERSION}-{digest.hexdigest()}"


def _map(path: Path):
    """The outlines file, memory-mapped where that is safe: entries slice their own line out of
    it when first asked, so only the pages of outlines in use are ever in memory (a 10,000-
    article collection has 20 MB of them). On Windows a mapped file cannot be replaced, and
    the catalogue is replaced when it changes: there it is read whole."""
    if sys.platform == "win32":
        return path.read_bytes()
    with open(path, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty, or a file system that cannot map
            return handle.read()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"missing:" + str(path).encode("utf-8", "surrogatepass")


class CatalogueFile:
    """Reads and writes one corpus's catalogue in its cache folder."""

    def __init__(self, cache_dir: Path, version: str | None = None) -> None:
        self.path = Path(cache_dir) / CATALOGUE_NAME
        self.outlines_path = Path(cache_dir) / OUTLINES_NAME
        self.version = version or catalogue_version()

    def read(self) -> dict[str, FileRecord]:
        """Records by relative path; empty when missing, of another version, or unreadable."""
        try:
            data = json.loads(self.path.read_bytes())
            if not isinstance(data, dict) or data.get("version") != self.version:
                return {}
            outlines = _map(self.outlines_path)
            first = outlines.find(b"\n")  # (mmap has find, not index)
            if first < 0:
                return {}
            if json.loads(outlines[:first]) != {"generation": data["generation"]}:
                return {}  # the two files were not written together
            records = {}
            for rel, item in data["files"].items():
                if len(item) == 3:
                    records[rel] = FileRecord(int(item[0]), int(item[1]), None, str(item[2]))
                    continue
                size, mtime_ns, head, start, end = item
                if (
                    not (first < start <= end <= len(outlines))
                    or type(size) is not int
                    or type(mtime_ns) is not int
                ):
                    return {}
                records[rel] = FileRecord(
                    size, mtime_ns, ArticleEntry.from_head(head, (outlines, start, end))
                )
            return records
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # A half-written or foreign file is a cache miss: the library is read afresh.
            log.info("catalogue %s unreadable (%s); rebuilding it", self.path, exc)
            return {}

    def write(self, records: dict[str, FileRecord]) -> None:
        """Replace both files (outlines first, then the catalogue that points into them); a cache
        that cannot be written is only logged.

        Streamed, a line at a time: at 50,000 articles the outlines are 200 MB, and building
        them as one bytes object (with the mapped pages they came from) took the window's
        memory from 120 MB to 790 MB for the length of a write, and held the interpreter for
        seconds. The pages of the mapped outlines read along the way are let go as it goes."""
        import uuid  # with the first write: a start from a current catalogue writes none

        generation = uuid.uuid4().hex
        files: dict[str, list] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.outlines_path) as temp, open(temp, "wb") as out:
                header = json.dumps({"generation": generation}).encode("ascii") + b"\n"
                out.write(header)
                position = len(header)
                released = _Release()
                for rel, record in records.items():
                    if record.entry is None:
                        files[rel] = [record.size, record.mtime_ns, record.error]
                        continue
                    line = record.entry.outline_line()
                    files[rel] = [
                        record.size,
                        record.mtime_ns,
                        record.entry.head(),
                        position,
                        position + len(line),
                    ]
                    out.write(line)
                    out.write(b"\n")
                    position += len(line) + 1
                    released.passed(record.entry)
                released.flush()
            with atomic_path(self.path) as temp, open(temp, "w", encoding="utf-8") as out:
                _write_json(out, self.version, generation, files)
        except (OSError, ViewerError) as exc:
            log.warning("cannot write the catalogue %s: %s", self.path, exc)


# Items of the catalogue's "files" encoded per call: each call holds the interpreter, so that
# a write in a worker thread leaves the window's thread a turn between calls.
JSON_CHUNK = 500
# Mapped outline pages read by a write are handed back to the system every this many bytes.
RELEASE_BYTES = 8 << 20


def _write_json(out, version: str, generation: str, files: dict[str, list]) -> None:
    """The catalogue's JSON, as json.dumps(...) of the whole would write it, in chunks."""
    dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    out.write(f'{{"version":{dumps(version)},"generation":{dumps(generation)},"files":{{')
    items = list(files.items())
    for first in range(0, len(items), JSON_CHUNK):
        if first:
            out.write(",")
        out.write(dumps(dict(items[first : first + JSON_CHUNK]))[1:-1])
    out.write("}}")


class _Release:
    """Lets go of the pages of a mapped outlines file that a write has read through: they
    were only passed on to the new file (MADV_DONTNEED on a read-only file mapping drops
    them from this process; read again, they come back from the page cache)."""

    def __init__(self) -> None:
        self._map: mmap.mmap | None = None
        self._start = 0
        self._end = 0

    def passed(self, entry: ArticleEntry) -> None:
        where = entry.mapped_range()
        if where is None or not isinstance(where[0], mmap.mmap):
            return
        data, start, end = where
        if data is not self._map or start < self._end:
            self.flush()
            self._map, self._start = data, start
        self._end = end
        if self._end - self._start >= RELEASE_BYTES:
            self.flush()

    def flush(self) -> None:
        data, self._map = self._map, None
        if data is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        page = mmap.PAGESIZE
        start = self._start // page * page
        try:
            data.madvise(mmap.MADV_DONTNEED, start, self._end - start)
        except (OSError, ValueError):
            pass  # closed, or a platform without it: the pages only stay a while longer
        self._start = self._end


class ReadCatalogue:
    """The catalogue file of `cache_dir`, whose records were read already (a `Catalogue` for
    Library.load): written as the file, when the check finds a change."""

    def __init__(self, cache_dir: Path, records: dict[str, FileRecord]) -> None:
        self._cache, self._records = cache_dir, records

    def read(self) -> dict[str, FileRecord]:
        return self._records

    def write(self, records: dict[str, FileRecord]) -> None:
        CatalogueFile(self._cache).write(records)
