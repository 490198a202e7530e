"""Filling a new index: in this process, or in two where the machine has two cores (issue 12).

`write_documents` adds every article's documents to a new, empty index through `BulkWriter`
(segments of bounded size, no merge), from documents made elsewhere (the first launch's parse
workers, viewer/index_feed.py) or from the library. The articles of a catalogued library are split in two runs in reading order: this process
indexes the first, a helper process (spawned, like the catalogue's parse workers) the second,
each into segments of its own (`BulkWriter`). The helper writes into a folder inside the new
generation folder; once it is done its segment files are moved beside ours and our commit lists
them after our own, so the index holds every document in the order a one-process build gives
it. Scoring reads whole-index statistics, so hits, their order and their scores are the same as
a one-process build's (tests/test_search_build.py).

Only a catalogued library is split: the helper re-reads its articles from the files and takes
the classifiers' verdicts from their catalogue entries, as `Library.iter_articles` does here. A
library held in memory (tests, small folders) is indexed in this process. If the helper cannot
start or fails, this process indexes its half too, after its own: slower, never a different
index. A cancelled build (the progress callback raising) ends the helper before the caller
removes the folder.
"""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from viewer.core.catalogue import ArticleEntry
from viewer.search.documents import FileState, article_documents, entry_state
from viewer.search.whoosh_ext.writer import BulkWriter

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    # A cold CLI search imports this module through the index and loads no library: the
    # library, the catalogue builder and the taxonomy are imported where a build needs them.
    from viewer.core.library import Library

    Documents = Iterable[tuple[str, FileState, list[dict]]]
    Progress = Callable[[int, int], None]

log = logging.getLogger(__name__)
# Below this many articles the helper's start (a new interpreter importing Whoosh, about half a
# second) costs more than it saves.
TWO_PROCESSES_FROM = 2000
PART_FOLDER = "part-2"  # inside the generation folder while the helper fills it
HANDOVER_FILE = "part-2.entries"  # beside it: the entries the helper indexes, until it reads them
POLL_SECONDS = 0.1  # how often progress is reported (and a cancel noticed) while waiting
STOP_WAIT_SECONDS = 10.0
# Outlines read between two releases of the catalogue's mapped pages (MappedPages): about
# 16 MB of pages mapped at most, at the cost of a few hundred madvise calls at 50,000 articles.
RELEASE_ENTRIES = 256


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def build_processes(library: Library, requested: int | None) -> int:
    """How many processes build `library`'s new index: 2 for a large catalogued library on a
    machine with two cores or more, else 1 (`requested` overrides the size and core checks)."""
    if not library.catalogued or len(library) < 2:
        return 1
    if requested is not None:
        return 2 if requested >= 2 else 1
    return 2 if usable_cores() >= 2 and len(library) >= TWO_PROCESSES_FROM else 1


def write_documents(
    ix,
    folder: Path,
    library: Library | None,
    documents: Documents | None,
    memory_mb: float,
    processes: int,
    progress: Progress | None,
    merge: bool = True,
) -> dict[str, FileState]:
    """Fill the new, empty index `ix` (in `folder`) and commit it; the state of every article
    written, by path. From `documents` if given (`(path, state, documents)` per article), else
    from the library's articles, the second half of them in a helper process if `processes` is
    2 (build_processes). Each process merges the segments it wrote into one (unless `merge` is
    False; BulkWriter). Nothing is committed if anything raises (a cancel from `progress`)."""
    if documents is None and library is None:
        raise ValueError("an index build needs the library or its documents")
    total = len(library) if library is not None else 0
    states: dict[str, FileState] = {}
    helper: Helper | None = None
    rest: list[ArticleEntry] = []
    if documents is None:
        assert library is not None  # noqa: S101 - checked above
        entries = library.entries
        if processes > 1:
            half = (len(entries) + 1) // 2
            helper = Helper(folder, library, entries[half:], memory_mb / 2, merge)
            if helper.start():
                entries, rest = entries[:half], entries[half:]
            else:
                helper = None
        documents = _library_documents(library, entries)
    writer = BulkWriter(ix, limitmb=memory_mb / 2 if helper else memory_mb, merge=merge)
    done = 0

    helped = [0]  # what the helper had done at the last report

    def report(more: int) -> None:
        helped[0] = more
        if progress:
            progress(done + more, total)

    if progress:
        # Asked during a segment's write too: a cancel raised by it does not wait for the write.
        writer.interrupt = lambda: report(helped[0])

    def add(articles: Documents, helping: Helper | None) -> None:
        nonlocal done
        for path, state, article_docs in articles:
            for document in article_docs:
                writer.add_document(**document)
            states[path] = state
            done += 1
            report(helping.done() if helping else 0)

    more: list = []
    try:
        add(documents, helper)
        if helper is not None:
            finished = helper.finish(report)
            if finished is None:
                assert library is not None  # noqa: S101 - a helper only for a library
                add(_library_documents(library, rest), None)  # its part, after ours: same order
            else:
                more, part_states = finished
                states.update(part_states)
    except BaseException:
        writer.cancel()
        if helper is not None:
            helper.stop()
        raise
    writer.commit(more_segments=more)
    return states


def _library_documents(library: Library, entries: Sequence[ArticleEntry]) -> Iterator:
    # One article parsed at a time: a large collection is never all in memory. Each state is
    # the catalogue's fingerprint, as an update compares: not a second one computed over the
    # whole article again. The catalogue's mapped outline pages read for an article are let
    # go once it is indexed (MappedPages), so they do not add up in this process's memory.
    released = MappedPages()
    try:
        for article in library.iter_articles(entries):
            entry = library.entry(article.id)
            yield article.path, entry_state(entry), article_documents(article)
            released.passed(entry)
    finally:
        released.flush()


class MappedPages:
    """Lets go of the catalogue's mapped outline pages a build has read: each article's
    verdicts come from its outline, and the helper's handover packs its half of them. Held,
    they count in this process's memory until the build ends: all 220 MB at 50,000 articles.
    MADV_DONTNEED on a read-only file mapping drops them from this process (read again, they
    come back from the page cache). The whole mapping is let go, not the lines passed: a build
    goes by title, not in file order, and a page let go comes back with its neighbours when
    the next outline is read from it."""

    def __init__(self) -> None:
        self._map: mmap.mmap | None = None
        self._passed = 0

    def passed(self, entry: ArticleEntry) -> None:
        where = entry.mapped_range()
        if where is None or not isinstance(where[0], mmap.mmap):
            return  # re-read since the catalogue was (its outline is its own bytes)
        data = where[0]
        if data is not self._map:
            self.flush()
            self._map = data
        # Counted in entries, not bytes: each outline read out of file order maps its
        # neighbours' pages too (the kernel's fault-around, 64 kB), whatever its own size.
        self._passed += 1
        if self._passed >= RELEASE_ENTRIES:
            self.flush()
            self._map = data

    def flush(self) -> None:
        data, self._map, self._passed = self._map, None, 0
        if data is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        try:
            data.madvise(mmap.MADV_DONTNEED)
        except (OSError, ValueError):
            pass  # closed (the catalogue was replaced), or not supported: they stay a while


def write_handover(path: Path, library: Library, entries: Sequence[ArticleEntry]) -> None:
    """The helper's entries, written to `path` one at a time: their stamps, their count, then
    each entry packed (parse_worker.pack_entry: head and outline bytes). Packed all at once,
    they were 110 MB of outline bytes held beside the pages they were read from (another
    110 MB): the main process's peak at 50,000 articles. The pages are let go as they go."""
    from viewer.core.parse_worker import pack_entry

    released = MappedPages()
    with open(path, "wb") as file:

        def dump(value) -> None:
            # A pickle of its own per value: each is read back on its own (read_handover), so
            # none may refer to another through a shared memo (which would also keep every
            # packed entry alive; clearing a Pickler's memo each time cost a millisecond).
            file.write(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

        dump({e.path: library.recorded_stamp(e.id) for e in entries})  # by file, as Library's
        dump(len(entries))
        for entry in entries:
            dump(pack_entry(entry))
            released.passed(entry)
    released.flush()


def read_handover(path: Path) -> tuple[dict, list[ArticleEntry]]:
    """(stamps by path, entries) as write_handover wrote them (in the helper process)."""
    with open(path, "rb") as file:
        stamps = pickle.load(file)  # noqa: S301 - written by this program for this process
        count = pickle.load(file)  # noqa: S301
        # Unpickled, each packed entry is an ArticleEntry again (parse_worker.pack_entry).
        entries = [cast("ArticleEntry", pickle.load(file)) for _ in range(count)]  # noqa: S301
    return stamps, entries


class Helper:
    """The second build process: indexes `entries` (in their order) into segments of its own."""

    def __init__(
        self,
        folder: Path,
        library: Library,
        entries: Sequence[ArticleEntry],
        memory_mb: float,
        merge: bool = True,
    ) -> None:
        self.part = folder / PART_FOLDER
        self.folder = folder
        # The entries go to the helper in a file, not as the process's arguments: those would
        # stay in this process's memory for the whole build (40 MB at 50,000 articles).
        self.handover = folder / HANDOVER_FILE
        write_handover(self.handover, library, entries)
        import multiprocessing  # here: a cold CLI search imports this module, and needs none

        context = multiprocessing.get_context("spawn")  # as the parse workers: Qt may run here
        self._counter = context.Value("i", 0, lock=False)  # articles it has indexed
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=build_part,
            name="index-build-2",
            daemon=True,
            args=(
                str(library.root),
                str(self.part),
                str(self.handover),
                memory_mb,
                merge,
                self._counter,
                send,
            ),
        )
        self._send = send

    def start(self) -> bool:
        """False if the process cannot start (then the caller indexes the entries itself)."""
        try:
            self._process.start()
        except (OSError, RuntimeError) as exc:  # no /dev/shm, a main module without its guard
            log.warning("a second index build process cannot start (%s); building in one", exc)
            return False
        self._send.close()  # ours: only the helper writes to it
        return True

    def done(self) -> int:
        return int(self._counter.value)

    def finish(self, waiting: Callable[[int], None]) -> tuple[list, dict[str, FileState]] | None:
        """Wait for the helper (calling `waiting(done)` meanwhile: it may raise to cancel), move
        its segment files into the generation folder; its segments and file states, or None if
        it failed (then the caller indexes its entries)."""
        reply = None
        while reply is None:
            waiting(self.done())
            if self._receive.poll(POLL_SECONDS):
                try:
                    reply = self._receive.recv()
                except (EOFError, OSError):
                    break
            elif not self._process.is_alive() and not self._receive.poll(0):
                break
        self._process.join(STOP_WAIT_SECONDS)
        if self._process.is_alive():
            self.stop()
        self._receive.close()
        self.handover.unlink(missing_ok=True)
        if reply is None or reply[0] != "built":
            log.warning(
                "the second index build process failed (%s); building its part here",
                reply[1] if reply else "it ended without a word",
            )
            shutil.rmtree(self.part, ignore_errors=True)
            return None
        _, segments, states = reply
        from whoosh.filedb.filestore import FileStorage

        storage = FileStorage(str(self.part))
        for segment in segments:
            for name in segment.list_files(storage):
                os.replace(self.part / name, self.folder / name)
        shutil.rmtree(self.part, ignore_errors=True)
        return segments, states

    def stop(self) -> None:
        """End the helper (a cancelled or failed build); its folder goes with the caller's."""
        if self._process.pid is None:
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(STOP_WAIT_SECONDS)
        self._receive.close()


def build_part(
    root: str,
    part: str,
    handover: str,
    memory_mb: float,
    merge: bool,
    counter,
    send: Connection,
) -> None:
    """The helper process: the entries' articles into segments in `part`; sends ("built",
    segments, file states) or ("failed", message)."""
    from whoosh import index as whoosh_index

    from viewer.core.gc_pause import collector_off
    from viewer.core.library import Library
    from viewer.core.topics import Taxonomy
    from viewer.search.schema import build_schema

    try:
        # Written by Helper just before this process started, in the folder being built.
        stamps, entries = read_handover(Path(handover))
        os.unlink(handover)
        known = {k: v for k, v in stamps.items() if v is not None}
        library = Library(Path(root), list(entries), [], Taxonomy.load(), stamps=known)
        states: dict[str, FileState] = {}
        with collector_off():  # as the first process's build (SearchIndex._write)
            Path(part).mkdir()
            ix = whoosh_index.create_in(part, build_schema())
            writer = BulkWriter(ix, limitmb=memory_mb, merge=merge)
            try:
                for article in library.iter_articles():
                    for document in article_documents(article):
                        writer.add_document(**document)
                    states[article.path] = entry_state(library.entry(article.id))
                    counter.value += 1
            except BaseException:
                writer.cancel()
                raise
            segments = writer.finish_segments()
        send.send(("built", segments, states))
    except Exception as exc:  # noqa: BLE001 - reported to the first process, which builds this part
        send.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
