"""The second pass of a first launch: the safety verdicts of the entries read without them.

A folder never read before is read first without the safety classifier (four fifths of the
reading's CPU: measured 2.2 ms a file to parse and sort into topics, 9 ms to classify), so
that its articles, its tree and its search index come that much sooner. Its entries are
*pending* (catalogue.ArticleEntry.pending): no verdict in them means "not known yet".
`VerdictPass` then classifies them, in worker processes at a lower priority than the parse
workers and the index writer, and hands the classified records back as they come.

What it gives is the record the catalogue keeps for the file: a file that changed since its
pending entry was made is read again as it is now (fresh verdicts, its new size and time), one
that cannot be read any more becomes a problem, one that is gone is left to the folder's next
check. The catalogue is written once the pass ends, and when it is cancelled with what was
classified by then: the next start finds the rest still pending and resumes there (the window
writes it itself, `run(save=False)`: its records may have changed meanwhile).

A classified record replaces a record only while that record is still the one classified
(`patch_in`): pending, of the same file state and the same text. A file edited meanwhile keeps
the record its edit gave it (read and classified as it is now), whatever the pass found.

Pure Python, no Qt; viewer/ui/verdicts.py runs it for the window.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path

from viewer.core.catalogue_builder import Progress, default_workers
from viewer.core.catalogue_store import CatalogueFile, FileRecord
from viewer.core.library import size_to_remember
from viewer.core.parse_worker import (
    in_worker_processes,
    pack_entry,
    read_record,
    yield_to_the_window,
)

log = logging.getLogger(__name__)
CHUNK = 16  # files per task: about 0.15 s of a worker's time, so a cancel waits for little
BATCH_SECONDS = 1.0  # how often classified records are handed to the caller
# Below the parse workers and the index writer (5): search comes first, the verdicts after.
VERDICT_NICENESS = 10
ACTION = "Checking safety"

# (relative path, article id, size, mtime_ns) of a file whose entry is pending.
Pending = tuple[str, str, int, int]


@dataclass
class VerdictBatch:
    """Records classified since the last batch (relative path -> record), and the progress."""

    records: dict[str, FileRecord]
    progress: Progress


def pending_files(records: Mapping[str, FileRecord]) -> list[Pending]:
    """The files of `records` whose entries still wait for their verdicts, in the given order."""
    return [
        (rel, r.entry.id, r.size, r.mtime_ns)
        for rel, r in records.items()
        if r.entry is not None and r.entry.pending
    ]


def pending_count(records: Mapping[str, FileRecord]) -> int:
    return sum(1 for r in records.values() if r.entry is not None and r.entry.pending)


def is_still(current: FileRecord | None, base: FileRecord) -> bool:
    """Whether `current` is still the pending record a pass classified from `base`: pending,
    of the same size and time, and of the same text (the entry's fingerprint)."""
    return (
        current is not None
        and current.entry is not None
        and current.entry.pending
        and base.entry is not None
        and (current.size, current.mtime_ns) == (base.size, base.mtime_ns)
        and current.entry.fingerprint == base.entry.fingerprint
    )


def patch_in(
    records: dict[str, FileRecord],
    classified: Mapping[str, FileRecord],
    base: Mapping[str, FileRecord],
) -> list[str]:
    """Put the `classified` records (of pending records `base`) into `records`, in place,
    where the record there is still the one classified (is_still); the paths patched."""
    patched = []
    for rel, record in classified.items():
        old = base.get(rel)
        if old is not None and is_still(records.get(rel), old):
            records[rel] = record
            patched.append(rel)
    return patched


def lower_priority() -> None:
    yield_to_the_window(VERDICT_NICENESS)


def classify_file(root: Path, item: Pending) -> FileRecord | None:
    """The classified record of one pending file; None when the file is gone."""
    rel, article_id, size, mtime_ns = item
    try:
        info = os.stat(root / rel)
    except FileNotFoundError:
        return None
    except OSError:
        info = None
    if info is not None and (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
        # Changed since its pending entry was made: read as it is now, and remembered so.
        mtime_ns = info.st_mtime_ns
        size = size_to_remember(info.st_size, mtime_ns, time.time_ns())
    return read_record(root, rel, article_id, size, mtime_ns)[0]


def classify_chunk(root: str, chunk: list[Pending]) -> list[tuple[str, FileRecord | None]]:
    """Runs in a worker process: entries travel back packed, as the parse workers' do."""
    out: list[tuple[str, FileRecord | None]] = []
    for item in chunk:
        record = classify_file(Path(root), item)
        if record is not None and record.entry is not None:
            record = FileRecord(record.size, record.mtime_ns, pack_entry(record.entry))
        out.append((item[0], record))
    return out


class VerdictPass:
    """Classify the pending entries of `records` (see the module docstring).

    Construct, call `run()` in a worker thread; `cancel()` from any thread stops it at the next
    chunk. `results` holds the classified records so far (relative path -> record)."""

    def __init__(
        self,
        root: Path,
        cache_dir: Path,
        records: Mapping[str, FileRecord],
        *,
        workers: int | None = None,
        chunk: int = CHUNK,
        batch_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.root = Path(root)
        self.catalogue = CatalogueFile(Path(cache_dir))
        self._base = dict(records)
        self.pending = pending_files(records)
        self.workers = default_workers() if workers is None else workers
        self.chunk = chunk
        self.batch_seconds = batch_seconds
        self.results: dict[str, FileRecord] = {}
        self.cancelled = False
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(
        self, on_batch: Callable[[VerdictBatch], None] | None = None, *, save: bool = True
    ) -> dict[str, FileRecord]:
        """Classify every pending file; `on_batch` is called in this thread at most every
        `batch_seconds` and once at the end. With `save`, the catalogue is written with the
        verdicts (also when cancelled: what was classified is kept)."""
        started = time.perf_counter()
        total, last = len(self.pending), time.perf_counter()
        fresh: dict[str, FileRecord] = {}
        if on_batch is not None:  # at once: the status says what is under way
            on_batch(VerdictBatch({}, Progress(0, total, 0.0, ACTION)))
        for rel, record in self._classify_all():
            if record is not None:
                self.results[rel] = fresh[rel] = record
            done = len(self.results)
            if on_batch is not None and time.perf_counter() - last >= self.batch_seconds:
                last = time.perf_counter()
                on_batch(VerdictBatch(fresh, Progress(done, total, last - started, ACTION)))
                fresh = {}
        self.cancelled = self._stop.is_set()
        if save and self.results:
            self.catalogue.write(self.patched(self._base))
        if on_batch is not None and not self.cancelled:
            progress = Progress(total, total, time.perf_counter() - started, ACTION)
            on_batch(VerdictBatch(fresh, progress))
        return self.results

    @property
    def base(self) -> Mapping[str, FileRecord]:
        """The records the pass started from (what each classified record was classified from)."""
        return self._base

    def patched(self, records: Mapping[str, FileRecord]) -> dict[str, FileRecord]:
        """`records` with this pass's verdicts in, where a record is still the pending one the
        pass classified (a file read again meanwhile keeps its newer record)."""
        out = dict(records)
        patch_in(out, self.results, self._base)
        return out

    def _classify_all(self) -> Iterator[tuple[str, FileRecord | None]]:
        left = list(self.pending)
        if self.workers > 0 and len(left) >= self.chunk * 2:
            try:
                yield from self._in_processes(left)
                return
            except (BrokenExecutor, OSError, RuntimeError) as exc:
                log.warning("classifying in worker processes failed (%s); in one thread", exc)
                left = [item for item in left if item[0] not in self.results]
        for item in left:
            if self._stop.is_set():
                return
            yield item[0], classify_file(self.root, item)

    def _in_processes(self, pending: list[Pending]) -> Iterator[tuple[str, FileRecord | None]]:
        return in_worker_processes(
            classify_chunk,
            str(self.root),
            pending,
            (),
            workers=self.workers,
            chunk=self.chunk,
            stop=self._stop,
            initializer=lower_priority,
        )
