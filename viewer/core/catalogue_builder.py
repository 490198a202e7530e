"""Reading a corpus folder into its catalogue off the UI thread, a batch at a time.

`CatalogueBuilder.run()` does what `Library.load(root, cache_dir=...)` does (scan, reuse the
catalogue's entries of unchanged files, parse the rest, write the catalogue), but it reports
what it has read as it goes (`on_batch`), can be cancelled between files, and parses in worker
processes when the machine has more than one core (the parsing is pure Python: threads would
share one interpreter lock with the UI). On cancel, what was read so far is still written, so
the next start resumes instead of starting over.

`library_from_catalogue()` is the other half of a quick start: the library as the catalogue
last saw it, without looking at a single file (the builder then checks the files' stats).

Known difference from the synchronous load: when two new files would get the same id and the
first of them cannot be read, the second keeps the "-2" id the scan gave it (the synchronous
load, parsing in order, gives it the plain one). The next start settles it.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

# Not ProcessPoolExecutor here: its module brings multiprocessing (about 20 ms), which the
# window's first paint does not need; it is imported when worker processes start.
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.core.catalogue import ArticleEntry
from viewer.core.catalogue_store import CatalogueFile, FileRecord
from viewer.core.library import (
    ARTICLE_SUFFIXES,
    Library,
    Problem,
    _scan,
    _stem,
    _suffix,
    displayable_path,
    file_stamp,
    paused_gc,
    reusable,
    size_to_remember,
)
from viewer.core.library_order import patched_order, title_order
from viewer.core.model import Article
from viewer.core.parse_worker import (
    Extra,
    in_worker_processes,
    make_extra,
    parse_chunk,
    parse_with_extra,
    read_record,
    yield_to_the_window,
)
from viewer.core.slug import slugify, unique_slug
from viewer.core.topics import Taxonomy

log = logging.getLogger(__name__)
# Files per task sent to a worker process: big enough that the hand-over costs little next to
# the parsing (a few ms a file), small enough that a cancel waits for at most a short chunk.
CHUNK = 24
BATCH_SECONDS = 0.25  # how often what was read is handed to the caller
MAX_WORKERS = 4
KEEP_PARSED = 16  # a pass parsing this few files in its own thread hands their articles on
# What a pass over the folder found: records (None: to be parsed), pending files (rel, id, size,
# mtime_ns), reused entries, problems, and the first file if it was read at once.
_Scanned = tuple[
    dict[str, "FileRecord | None"],
    list[tuple[str, str, int, int]],
    list[ArticleEntry],
    list["Problem"],
    "FileRecord | None",
]
# Made in the worker from each parsed article, beside its entry (the search index's documents):
# a module-level function, so that it travels to a spawned worker by name.


@dataclass(frozen=True)
class Progress:
    """How far a build is: files done of total, and an estimate of the time left."""

    done: int
    total: int
    elapsed: float  # seconds since the build started
    action: str = "Reading articles"  # what the status line says is being done

    @property
    def rate(self) -> float:
        """Files per second so far (0 before the first one)."""
        return self.done / self.elapsed if self.elapsed > 0 and self.done else 0.0

    @property
    def remaining(self) -> float | None:
        """Seconds left at the rate so far; None while there is no rate yet."""
        return (self.total - self.done) / self.rate if self.rate else None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def describe(self) -> str:
        """One status-bar line: count, rate and time left."""
        if not self.total:  # still listing the files
            return f"{self.action}: {self.done:,} so far"
        text = f"{self.action}: {self.done:,} of {self.total:,}"
        if self.rate:
            text += f" · {self.rate:,.0f} a second"
        if self.remaining is not None and self.done < self.total:
            text += f" · about {_duration(self.remaining)} left"
        return text


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if minutes < 10 else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


@dataclass
class Batch:
    """What was read since the last batch: new entries and problems, and the progress."""

    entries: list[ArticleEntry]
    problems: list[Problem]
    progress: Progress
    stamps: dict[str, tuple[int, int]]  # file (relative path) -> (size, mtime_ns) it was read at


def default_workers() -> int:
    """Worker processes for parsing: one per core we may use, none on a single core (then the
    builder's own thread parses)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_WORKERS)


def library_from_catalogue(root: Path, cache_dir: Path) -> Library | None:
    """The library as its catalogue recorded it, trusted without a look at the files; None when
    there is no usable catalogue. Ids, titles, problems and file stats all come from it."""
    return read_catalogue(root, cache_dir)[0]


def read_catalogue(root: Path, cache_dir: Path) -> tuple[Library | None, dict[str, FileRecord]]:
    """library_from_catalogue(), with the records it was made from: a builder given them
    (`remembered=`) checks the files without reading the catalogue a second time."""
    with paused_gc():  # a million objects that all stay: collections would double the time
        records = CatalogueFile(cache_dir).read()
        return (_library(root, records, Taxonomy.load()) if records else None), records


def _library(
    root: Path,
    records: dict[str, FileRecord],
    taxonomy: Taxonomy,
    scan_problems: list[Problem] | None = None,
    parsed: list[Article] | None = None,
    order: list[ArticleEntry] | None = None,
) -> Library:
    """The library of these records; `scan_problems` are what the walk found that no record
    holds (a folder that cannot be listed, a link out of the folder, a name not UTF-8), and
    `parsed` full articles it starts with (of these records' entries). `order`: the entries
    in title order already (patched_order), used when it holds as many as the records."""
    entries = [r.entry for r in records.values() if r.entry is not None]
    problems = list(scan_problems or [])
    problems += [Problem(rel, r.error) for rel, r in records.items() if r.entry is None]
    if order is not None and len(order) == len(entries):
        entries = order
    else:
        entries.sort(key=title_order)
    return Library(
        root, entries, problems, taxonomy, stamps=_RecordStamps(records), parsed=parsed or ()
    )


def _stamps(records: Mapping[str, FileRecord | None]) -> dict[str, tuple[int, int]]:
    return {
        rel: (r.size, r.mtime_ns)
        for rel, r in records.items()
        if r is not None and r.entry is not None
    }


class _RecordStamps(Mapping[str, tuple[int, int]]):
    """(size, mtime_ns) by file, read from the records when asked: at 50,000 files, building
    the dictionary up front was a tenth of a second before the first paint."""

    def __init__(self, records: Mapping[str, FileRecord]) -> None:
        self._records = records

    def __getitem__(self, rel: str) -> tuple[int, int]:
        record = self._records[rel]
        if record.entry is None:
            raise KeyError(rel)
        return record.size, record.mtime_ns

    def __iter__(self) -> Iterator[str]:
        return (rel for rel, r in self._records.items() if r.entry is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class CatalogueBuilder:
    """One pass over a corpus folder: reuse what the catalogue knows, parse what it does not.

    Construct, then call `run()` in a worker thread; `cancel()` from any thread stops it at the
    next file (or chunk). After run(): `changed` says whether anything differed from the
    catalogue, `cancelled` whether it was stopped.

    `extra(article, entry)`, if given, runs where each new file is parsed (a worker process)
    and its result is handed to `on_extra` in run()'s thread as soon as it arrives: the search
    index is fed that way while the catalogue is still being read, without a second parse.
    Files the catalogue already knew (reused) get no extra: `reused` counts them.

    `only`, with `remembered`: the relative paths known to have changed (the folder watcher
    names them); only those are looked at, everything else stands as remembered, so a change
    in a 50,000-file folder costs a few files' work, not a walk over all of them. A path that
    is not a plain article file (a link, a folder, a name that is not UTF-8) makes it a full
    pass. `records` is what the pass ended with (for the next one's `remembered`).

    `classify=False`: a first pass; entries come pending, and pending entries the catalogue
    holds are reused as they are (the verdict pass, verdict_pass.py, gives their verdicts)."""

    def __init__(
        self,
        root: Path,
        cache_dir: Path,
        *,
        workers: int | None = None,
        batch_seconds: float = BATCH_SECONDS,
        chunk: int = CHUNK,
        remembered: dict[str, FileRecord] | None = None,
        extra: Extra | None = None,
        on_extra: Callable[[Any], None] | None = None,
        only: set[str] | None = None,
        scan_problems: list[Problem] | None = None,
        classify: bool = True,
        previous: Sequence[ArticleEntry] | None = None,
        version: str | None = None,
    ) -> None:
        self.root = Path(root)
        # False: the files are read without the safety classifier, their entries pending
        # (see verdict_pass.py); the first one too: the window shows it at once and asks for
        # its verdicts in a thread (viewer/ui/article_verdicts.py).
        self.classify = classify
        self.extra = extra if on_extra is not None else None
        self.on_extra = on_extra
        self.reused = 0
        # `version`: the catalogue version, if the caller has it (hashing the parsing code
        # reads some 25 files: the window's thread did that again on every edit).
        self.catalogue = CatalogueFile(Path(cache_dir), version)
        self.workers = default_workers() if workers is None else workers
        self.batch_seconds = batch_seconds
        self.chunk = chunk
        self._remembered = remembered
        self._only = only
        # With `only`: the entries of the library `remembered` made, in title order; the new
        # library's order is patched from it instead of sorting every entry again.
        self._previous = previous
        # What the walk found that no record holds; given with `only`: the last pass's.
        self.scan_problems: list[Problem] = list(scan_problems or [])
        self.records: dict[str, FileRecord] = {}
        # The few articles a small pass parsed here (a change the watcher named): the library
        # keeps them, so the window's reopening of the changed article parses nothing (and
        # builds no classifier) in the UI thread.
        self.parsed: list[Article] = []
        self._unsaved: dict[str, FileRecord] | None = None
        self.changed = False
        self.cancelled = False
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(
        self, on_batch: Callable[[Batch], None] | None = None, *, save: bool = True
    ) -> Library | None:
        """Read the folder; returns the library (None if cancelled). `on_batch` is called in
        this thread with what was read, at most every `batch_seconds`, and once at the end.
        With `save=False` the catalogue is written by `save()` instead: the window shows the
        library first, then spends the write (a large catalogue is tens of MB)."""
        started = time.perf_counter()
        remembered, self._remembered = self._remembered, None
        if remembered is None:
            remembered = self.catalogue.read()
        scanned = self._changed_only(remembered) if self._only is not None and remembered else None
        previous, self._previous = (self._previous if scanned is not None else None), None
        if scanned is None:
            scanned = self._scan_folder(remembered, on_batch, started)
        records, pending, reused, problems, early = scanned
        # A cancel during the scan leaves the files after it unseen (not gone): see below.
        listed_all = not self._stop.is_set()
        total = len(records)
        done = total - len(pending)
        self.reused = len(reused)
        self.changed = bool(pending) or records.keys() != remembered.keys()
        if on_batch is not None:
            on_batch(
                Batch(
                    reused,
                    problems,
                    Progress(done, total, time.perf_counter() - started),
                    _stamps(records),
                )
            )

        last = time.perf_counter()
        fresh: dict[str, FileRecord] = {}
        fresh_problems: list[Problem] = []
        delivered = bool(reused) or (early is not None and early.entry is not None)
        for rel, record, extra in self._parse_all(pending):
            records[rel] = record
            done += 1
            if extra is not None and self.on_extra is not None:
                self.on_extra(extra)
            if record.entry is None:
                fresh_problems.append(Problem(rel, record.error))
            else:
                fresh[rel] = record
            # The first article at once (the reader is waiting for it), then in timed batches.
            if on_batch is not None and (
                time.perf_counter() - last >= self.batch_seconds or (fresh and not delivered)
            ):
                last = time.perf_counter()
                delivered = True
                on_batch(
                    Batch(
                        [r.entry for r in fresh.values() if r.entry is not None],
                        fresh_problems,
                        Progress(done, total, last - started),
                        _stamps(fresh),
                    )
                )
                fresh, fresh_problems = {}, []
        self.cancelled = self._stop.is_set()
        complete = {rel: r for rel, r in records.items() if r is not None}
        if self.cancelled:
            # What this pass did not get to stays as it was known: the files not listed yet,
            # and the changed ones not read yet (read again next time). Writing only what was
            # scanned dropped the rest of a trusted catalogue: closing at once after a start at
            # 10,000 articles left 1,820 of them, and the next start read the others again.
            for rel, record in remembered.items():
                if rel not in complete and (rel in records or not listed_all):
                    complete[rel] = record
            self.changed = complete.keys() != remembered.keys() or any(
                record is not remembered.get(rel) for rel, record in complete.items()
            )
        self.records = complete
        if self.changed:
            # Also when cancelled: what was read is kept, and the next start reads only the rest.
            if save or self.cancelled:
                self.catalogue.write(complete)
            else:
                self._unsaved = complete
        if self.cancelled:
            return None
        if on_batch is not None:
            on_batch(
                Batch(
                    [r.entry for r in fresh.values() if r.entry is not None],
                    fresh_problems,
                    Progress(done, total, time.perf_counter() - started),
                    _stamps(fresh),
                )
            )
        order = None
        if previous is not None:
            touched = [
                (remembered.get(rel), complete.get(rel))
                for rel in self._only or ()
                if remembered.get(rel) is not complete.get(rel)
            ]
            order = patched_order(
                previous,
                [old.entry for old, _ in touched if old is not None and old.entry is not None],
                [new.entry for _, new in touched if new is not None and new.entry is not None],
            )
        return _library(
            self.root, complete, Taxonomy.load(), self.scan_problems, self.parsed, order
        )

    def save(self) -> None:
        """Write the catalogue a `run(save=False)` left unwritten (nothing if it is current)."""
        unsaved, self._unsaved = self._unsaved, None
        if unsaved is not None:
            self.catalogue.write(unsaved)

    def _scan_folder(
        self,
        remembered: dict[str, FileRecord],
        on_batch: Callable[[Batch], None] | None,
        started: float,
    ) -> _Scanned:
        """Every file of the folder: reused from `remembered` where its stat is the same,
        else pending (or, the first file of a folder never read, read at once)."""
        records: dict[str, FileRecord | None] = {}  # in walk order; None: waiting to be parsed
        pending: list[tuple[str, str, int, int]] = []  # rel, id, size, mtime_ns
        reused: list[ArticleEntry] = []
        problems: list[Problem] = []
        taken: set[str] = set()
        early: FileRecord | None = None
        now_ns = time.time_ns()
        scan_problems: list[Problem] = []
        self.scan_problems = scan_problems
        for rel, entry, article_id, problem in _scan(self.root, taken):
            if self._stop.is_set():
                break
            if problem or entry is None:  # _scan gives no entry only with a problem
                problems.append(Problem(rel, problem))
                scan_problems.append(problems[-1])
                continue
            record = remembered.get(rel)
            size, mtime_ns = file_stamp(entry)
            if reusable(record, size, mtime_ns, article_id, pending=True):
                records[rel] = record
                if record.entry is None:
                    taken.discard(article_id)
                    problems.append(Problem(rel, record.error))
                else:
                    reused.append(record.entry)
                continue
            size = size_to_remember(size, mtime_ns, now_ns)
            if on_batch is not None and not remembered and not early:
                # A folder never read: its first article at once, before the other files are
                # even listed (10,000 of them take half a second), so that the reader has a page.
                early = self._read_early(
                    rel, article_id, size, mtime_ns, problems, taken, started, on_batch
                )
                records[rel] = early
                continue
            records[rel] = None
            pending.append((rel, article_id, size, mtime_ns))
        return records, pending, reused, problems, early

    def _changed_only(self, remembered: dict[str, FileRecord]) -> _Scanned | None:
        """The remembered records with only the `only` paths looked at again; None when one
        of them needs the full pass's rules (see the class docstring)."""
        records: dict[str, FileRecord | None] = dict(remembered)
        taken = {r.entry.id for r in remembered.values() if r.entry is not None}
        pending: list[tuple[str, str, int, int]] = []
        now_ns = time.time_ns()
        for rel in sorted(self._only or ()):
            path = self.root / rel
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                old = records.pop(rel, None)
                if old is not None and old.entry is not None:
                    taken.discard(old.entry.id)
                continue
            except OSError:
                return None
            parts = rel.split("/")
            if (
                not stat.S_ISREG(info.st_mode)
                or displayable_path(rel) != rel
                or any(part.startswith(".") or not part for part in parts)
                or _suffix(parts[-1]) not in ARTICLE_SUFFIXES
            ):
                return None
            old = records.get(rel)
            if old is not None and old.entry is not None:
                article_id = old.entry.id
            else:
                article_id = unique_slug(slugify(_stem(parts[-1]), fallback="article"), taken)
            if reusable(old, info.st_size, info.st_mtime_ns, article_id, pending=True):
                continue
            size = size_to_remember(info.st_size, info.st_mtime_ns, now_ns)
            records[rel] = None
            pending.append((rel, article_id, size, info.st_mtime_ns))
        waiting = {item[0] for item in pending}
        reused = [
            r.entry
            for rel, r in records.items()
            if r is not None and r.entry is not None and rel not in waiting
        ]
        problems = list(self.scan_problems)
        problems += [
            Problem(rel, r.error) for rel, r in records.items() if r is not None and r.entry is None
        ]
        return records, pending, reused, problems, None

    def _read_early(
        self,
        rel: str,
        article_id: str,
        size: int,
        mtime_ns: int,
        problems: list[Problem],
        taken: set[str],
        started: float,
        on_batch: Callable[[Batch], None],
    ) -> FileRecord:
        record, article = read_record(self.root, rel, article_id, size, mtime_ns, self.classify)
        if record.entry is None:
            taken.discard(article_id)  # as the synchronous load does: the next file may have it
            problems.append(Problem(rel, record.error))
            return record
        # The total is not known yet (0): the status says "so far".
        on_batch(
            Batch(
                [record.entry],
                [],
                Progress(1, 0, time.perf_counter() - started),
                {rel: (size, mtime_ns)},
            )
        )
        # Only then the extra: making it may import the search engine, which the page need not wait for.
        extra = make_extra(self.extra, article, record.entry, rel)
        if extra is not None and self.on_extra is not None:
            self.on_extra(extra)
        return record

    def _parse_all(self, pending: list[tuple[str, str, int, int]]):
        """(rel, record) of every pending file, in the order they finish: in worker processes
        when there are enough files and cores, else (or if the pool breaks) in this thread."""
        left = {item[0]: item for item in pending}
        if self.workers > 0 and len(pending) >= self.chunk * 2:
            # The first file here, while the workers start: the reader gets an article sooner.
            first = pending[0]
            yield (first[0], *parse_with_extra(self.root, *first, self.extra, self.classify))
            del left[first[0]]
            try:
                for rel, record, extra in self._parse_in_processes(pending[1:]):
                    left.pop(rel, None)
                    yield rel, record, extra
            except (BrokenExecutor, OSError, RuntimeError) as exc:  # BrokenProcessPool's base
                # A worker died or could not start (a main module without the __main__ guard,
                # no /dev/shm): the rest is read here, only slower.
                log.warning(
                    "parsing in worker processes failed (%s); continuing in one thread", exc
                )
        keep = len(left) <= KEEP_PARSED and self.classify  # never an article without verdicts
        for item in list(left.values()):
            if self._stop.is_set():
                return
            record, article = read_record(self.root, *item, self.classify)
            if keep and article is not None and record.entry is not None:
                self.parsed.append(article)
            made = (
                make_extra(self.extra, article, record.entry, item[0])
                if article is not None and record.entry
                else None
            )
            yield item[0], record, made

    def _parse_in_processes(self, pending: list[tuple[str, str, int, int]]):
        return in_worker_processes(
            parse_chunk,
            str(self.root),
            pending,
            (self.extra, self.classify),
            workers=self.workers,
            chunk=self.chunk,
            stop=self._stop,
            initializer=yield_to_the_window,
        )
