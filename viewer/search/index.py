"""SearchIndex: the on-disk Whoosh index of one corpus, kept current and repaired when damaged.

Layout inside `index_dir` (the `search` folder in a corpus's cache folder):

    CURRENT            name of the live generation folder (replaced atomically)
    gen-<id>/          a Whoosh index plus manifest.json (schema version; per article file: id,
                       content fingerprint, sections; size, mtime and CRC-32 of every index file)
                       and VOCABULARY, its text field's terms (term_files.py)
    UPDATE_LOCK        Whoosh file lock held by whoever builds or updates

The index is a cache. It is rebuilt from scratch into a new generation folder, which then
becomes CURRENT, when it is missing, of another schema version, or fails its check (files
changed behind our back, a crash between a commit and its manifest, a file whose content no
longer matches its checksum although size and mtime do, anything unreadable). A folder left by
a killed build is removed by the next writer; a full disk during an update leaves the old index
as it was.
Otherwise it is updated in place by the set difference of the manifest and the library: the
library's catalogue compares each file's size and mtime (and re-reads a changed file), the index
compares paths and content fingerprints, and re-indexes only what was added or changed. Only
the holder of UPDATE_LOCK writes (others wait up to `lock_timeout`, then carry on with the index
as it is); readers never take it and keep the files they opened, so they go on working.
"""

from __future__ import annotations

import functools
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.util.filelock import try_for

from viewer.core.atomic import write_text_atomically
from viewer.core.errors import ViewerError
from viewer.core.gc_pause import collector_off
from viewer.core.regular_files import NotReadable, read_regular_file
from viewer.search import freshness, index_files, term_files
from viewer.search.documents import FileState, article_documents, entry_state
from viewer.search.engine import QueryRunner
from viewer.search.evaluate import GenerationStats
from viewer.search.manifest_file import ManifestFile
from viewer.search.reopening import reopen
from viewer.search.results import SearchResult, UpdateStats
from viewer.search.schema import DEFAULT_FIELD, SCHEMA_VERSION, SectionAnalyzer, build_schema
from viewer.search.spelling import TEXT_FIELDS, Vocabulary

if TYPE_CHECKING:  # a cold search never loads the library, nor imports it
    from viewer.core.library import Library

log = logging.getLogger(__name__)
INDEX_FOLDER = "search"
POINTER = "CURRENT"
MANIFEST = index_files.MANIFEST
LOCK_NAME = "UPDATE_LOCK"
# How long to wait for another process's build or update before searching the index as it is:
# a first build of a large collection takes a minute or two.
LOCK_TIMEOUT = 180.0
LOCKED_OUT = "another process is updating it; searching the index as it is"
# What the build's writer holds before it writes a segment out (its estimate of its own postings;
# two build processes get half each). Measured at 50,000 articles: one process, 160 peaked at
# 667 MB and 96 at 632 MB; two processes (library loaded: 159 MB), 509 and 492 MB, the first
# growing about 2 MB per 1,000 articles while the held postings stay under their limit.
WRITER_MEMORY_MB = 96
# An update that would delete and re-add at least this many articles, and more than half of
# them, builds a new index instead: a build runs in two processes with bounded memory, while
# one update writer re-adding 50,000 changed articles (a new classifier changes every one)
# held 830 MB and ran for over half an hour in one process.
REBUILD_AT = 1000
Progress = Callable[[int, int], None]


class IndexUnavailable(Exception):
    """The index cannot be opened (missing or damaged); `reason` says which."""


class SearchIndex:
    """The search index of one corpus. Thread-safe: each thread searches with its own searcher."""

    def __init__(
        self,
        cache_dir: Path | str,
        library: Library | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
        writer_memory_mb: float = WRITER_MEMORY_MB,
        library_loader: Callable[[], Library] | None = None,
        build_processes: int | None = None,
        rebuild_at: int = REBUILD_AT,
        merge_segments: bool = True,
    ) -> None:
        """`cache_dir` is the corpus's cache folder (Context.corpus_cache_dir()); the index keeps
        its files in a `search` folder inside it. `library` is what a damaged index is rebuilt
        from (ensure_current and rebuild also set it); without one, `library_loader` is called
        for it only if a search finds the index damaged (a cold CLI search never loads it
        otherwise). `writer_memory_mb` bounds what a build holds in memory before it writes a
        segment out (two build processes share it). `build_processes` (1 or 2) overrides how
        many processes build a new index (by default two for a large catalogued library on a
        machine with two cores: building.build_processes). An update touching at least
        `rebuild_at` articles, and most of them, is made a build (REBUILD_AT). A build merges the
        segments each process wrote into one unless `merge_segments` is False (for tests:
        the same hits either way)."""
        self.cache_dir = Path(cache_dir)
        self.index_dir = self.cache_dir / INDEX_FOLDER
        self.lock_timeout = lock_timeout
        self.writer_memory_mb = writer_memory_mb
        self.build_processes = build_processes
        self.rebuild_at = rebuild_at
        self.merge_segments = merge_segments
        self._library = library
        self._library_loader = library_loader
        self._analyzer = SectionAnalyzer()
        self._lock = threading.RLock()  # this process's writers, and the shared caches
        self._local = threading.local()  # per thread: (generation folder, searcher)
        self._searchers: list = []
        # (index folder, Whoosh generation) -> what searches of that generation share
        self._generation: tuple[tuple, Vocabulary, GenerationStats] | None = None
        # Checksums of index files computed here (_index_files): not read again by an update.
        self._checksums: dict[tuple, int] = {}
        # The manifest last read or written (6 MB at 50,000 articles): not parsed again by each
        # update, whose worker would hold the interpreter (and the window) that long.
        self._manifests = ManifestFile()

    @classmethod
    def for_library(cls, library: Library, cache_dir: Path | str, **kwargs) -> SearchIndex:
        """The index of `library` in its corpus cache folder (Context.corpus_cache_dir())."""
        return cls(cache_dir, library, **kwargs)

    # -- building and updating -------------------------------------------------------------

    def ensure_current(
        self, library: Library | None = None, progress: Progress | None = None
    ) -> UpdateStats:
        """Build the index if it is missing or unusable, else bring it up to date."""
        return self._write(library, progress, force_rebuild=None)

    def rebuild(
        self,
        library: Library | None = None,
        progress: Progress | None = None,
        reason: str = "requested",
    ) -> UpdateStats:
        """Build the index from scratch (into a new folder, then swapped in)."""
        return self._write(library, progress, force_rebuild=reason)

    def build_from_documents(
        self,
        documents: Iterable[tuple[str, FileState, list[dict]]],
        progress: Progress | None = None,
    ) -> UpdateStats:
        """Build the index from scratch from documents made elsewhere (the catalogue's parse
        workers: `(path, FileState, article_documents)` per article, as they come), so that no
        article is parsed a second time. Nothing is kept if the iterable raises."""
        return self._write(None, progress, force_rebuild="first build", documents=documents)

    def _write(self, library, progress, force_rebuild: str | None, documents=None) -> UpdateStats:
        library = library or self._library
        if library is None and documents is None:
            raise ViewerError("the search index needs the article library to build from")
        self._library = library
        started = time.perf_counter()
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ViewerError(
                f"cannot create the search index folder {self.index_dir}: {exc.strerror or exc}"
            ) from None
        with self._lock:
            lock = self._file_lock()
            if lock is None:
                return self._locked_out(started)
            try:
                with collector_off():
                    self._clear_interrupted_update()
                    problem = force_rebuild or self._problem()
                    if problem:
                        stats = self._build(library, progress, problem, documents)
                    else:
                        stats = self._update(library, progress)
                # Holding the lock, no other builder is filling a folder: any but CURRENT's is
                # left over from a killed build.
                self._remove_old_generations(keep=self._current_dir().name)
            finally:
                lock.release()
        stats.seconds = time.perf_counter() - started
        return stats

    def _file_lock(self):
        """Whoosh's file lock on the index folder, or None if another process keeps it."""
        from whoosh.filedb.filestore import FileStorage

        try:
            lock = FileStorage(str(self.index_dir)).lock(LOCK_NAME)
            return lock if try_for(lock.acquire, timeout=self.lock_timeout, delay=0.05) else None
        except OSError:
            return None

    def _locked_out(self, started: float) -> UpdateStats:
        try:
            manifest = self._read_manifest(self._current_dir())
        except IndexUnavailable:
            raise ViewerError(
                f"the search index in {self.index_dir} is being built by another "
                "process (or its folder is not writable); try again shortly"
            ) from None
        files = manifest["files"].values()
        return UpdateStats(
            articles=len(files),
            sections=sum(f["sections"] for f in files),
            reason=LOCKED_OUT,
            seconds=time.perf_counter() - started,
        )

    def _build(
        self, library: Library | None, progress: Progress | None, reason: str, documents=None
    ) -> UpdateStats:
        # Imported by a build, not by a cold search: the catalogue, the safety classifier and the
        # writers are most of what a one-shot `search` would otherwise import.
        from viewer.search.building import build_processes, write_documents

        folder = self.index_dir / f"gen-{uuid.uuid4().hex[:12]}"
        processes = (
            build_processes(library, self.build_processes)
            if library is not None and documents is None
            else 1
        )
        try:
            folder.mkdir()
            ix = whoosh_index.create_in(str(folder), build_schema())
            states = write_documents(
                ix,
                folder,
                library,
                documents,
                self.writer_memory_mb,
                processes,
                progress,
                merge=self.merge_segments,
            )
            self._write_manifest(folder, ix, states)
            pointer = self.index_dir / POINTER
            if pointer.is_dir() and not pointer.is_symlink():
                shutil.rmtree(pointer)  # something made a folder of it: the pointer is ours
            write_text_atomically(pointer, folder.name + "\n")
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise ViewerError(
                f"cannot write the search index in {self.index_dir}: {exc.strerror or exc}"
            ) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._remove_old_generations(keep=folder.name)
        return UpdateStats(
            articles=len(states),
            sections=sum(s.sections for s in states.values()),
            added=len(states),
            rebuilt=True,
            reason=reason,
        )

    def _update(self, library: Library, progress: Progress | None) -> UpdateStats:
        folder = self._current_dir()
        manifest = self._read_manifest(folder)
        old = {path: FileState.from_json(data) for path, data in manifest["files"].items()}
        # Outlines carry the content fingerprint: only added or changed articles are parsed.
        new = {entry.path: entry_state(entry) for entry in library.entries}
        added = [path for path in new if path not in old]
        removed = [path for path in old if path not in new]
        changed = [path for path in new if path in old and new[path] != old[path]]
        if not (added or removed or changed):
            return UpdateStats(articles=len(new), sections=sum(s.sections for s in new.values()))
        touched = len(added) + len(removed) + len(changed)
        if touched >= self.rebuild_at and 2 * touched > len(new):
            return self._build(library, progress, "most articles changed")
        states = {path: old[path] for path in old if path in new and path not in changed}
        try:
            self._apply_update(
                folder, library, old, new, states, (added, removed, changed), progress
            )
        except OSError as exc:  # a full disk, most often: what was written is thrown away
            index_files.remove_unlisted(folder, manifest)
            raise ViewerError(
                f"cannot update the search index in {self.index_dir}: "
                f"{exc.strerror or exc}; the previous index is kept"
            ) from None
        return UpdateStats(
            articles=len(states),
            sections=sum(s.sections for s in states.values()),
            added=len(added),
            changed=len(changed),
            removed=len(removed),
        )

    def _apply_update(
        self,
        folder: Path,
        library: Library,
        old: dict,
        new: dict,
        states: dict,
        difference: tuple[list, list, list],
        progress: Progress | None,
    ) -> None:
        added, removed, changed = difference
        from viewer.search.whoosh_ext.writer import UpdateWriter  # only a writer needs it

        ix = whoosh_index.open_dir(str(folder))
        writer = UpdateWriter(ix, timeout=self.lock_timeout, limitmb=self.writer_memory_mb)
        try:
            for path in removed + changed:
                writer.delete_by_term("article", old[path].article)
            todo = added + changed
            for done, path in enumerate(todo, 1):
                try:
                    article = library.get(new[path].article)
                except ViewerError:  # unreadable since the library was loaded: next time
                    continue
                for document in article_documents(article):
                    writer.add_document(**document)
                states[path] = new[path]
                if progress:
                    progress(done, len(todo))
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit()
        except BaseException:
            try:
                writer.writelock.release()  # a failed commit keeps Whoosh's lock otherwise
            except Exception:  # noqa: BLE001, S110 - already released
                pass
            raise
        self._write_manifest(folder, ix, states)

    # -- cold searches (freshness.py) -----------------------------------------------------

    def record_corpus_stamp(self, stamp: str | None) -> None:
        """Remember that the current index reflects the corpus state `stamp`
        (freshness.corpus_stamp, taken before the library this index was last brought up to
        date with was loaded)."""
        try:
            folder = self._current_dir()
        except IndexUnavailable:
            return
        freshness.record(folder, stamp, _stamp_version())

    def reflects(self, stamp: str | None) -> bool:
        """Whether the index is as recorded for corpus state `stamp`: then it can be searched
        without loading the library (a file changed since or an update by anyone says no)."""
        try:
            folder = self._current_dir()
        except IndexUnavailable:
            return False
        return freshness.matches(folder, stamp, _stamp_version())

    def recorded_corpus_stamp(self) -> str | None:
        """The corpus state the index was recorded for, if the index is still as recorded
        (its files, schema, code and cue files, this boot); None when it is not or nothing was
        recorded. `reflects(s)` is `recorded_corpus_stamp() == s` for a stamp s."""
        try:
            folder = self._current_dir()
        except IndexUnavailable:
            return None
        return freshness.recorded(folder, _stamp_version())

    def has_article(self, article_id: str) -> bool:
        """Whether the index holds sections of this article."""
        searcher, _, _ = self._open_for_search()
        return searcher.reader().doc_frequency("article", article_id) > 0

    # -- checking --------------------------------------------------------------------------

    def _current_dir(self) -> Path:
        try:
            name = read_regular_file(self.index_dir / POINTER, 4096).decode("utf-8").strip()
        except (NotReadable, UnicodeDecodeError) as exc:
            if not (self.index_dir / POINTER).exists():
                raise IndexUnavailable("there is no index yet") from None
            raise IndexUnavailable(
                f"its {POINTER} file cannot be used ({str(exc).split(';')[0]})"
            ) from None
        folder = self.index_dir / name
        if not name.startswith("gen-") or "/" in name or "\\" in name or not folder.is_dir():
            raise IndexUnavailable("the index folder is missing")
        return folder

    def _read_manifest(self, folder: Path) -> dict:
        try:
            manifest = self._manifests.read(folder)
            if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
                raise ValueError("not a manifest")
        except (OSError, ValueError, UnicodeDecodeError):
            raise IndexUnavailable("the index has no readable manifest") from None
        return manifest

    def _problem(self) -> str | None:
        """Why the current index cannot be used as it is, or None if it can."""
        try:
            folder = self._current_dir()
            manifest = self._read_manifest(folder)
        except IndexUnavailable as exc:
            return str(exc)
        if manifest.get("schema") != SCHEMA_VERSION:
            return (
                f"index schema version {manifest.get('schema')}, this program uses {SCHEMA_VERSION}"
            )
        recorded = {k: list(v) for k, v in (manifest.get("index_files") or {}).items()}
        if not recorded or index_files.checksums(folder, self._checksums) != recorded:
            return "index files were changed, damaged or are incomplete"
        try:
            ix = whoosh_index.open_dir(str(folder))
            if ix.latest_generation() != manifest.get("generation"):
                return "the last update did not finish"
            with ix.searcher() as searcher:
                expected = sum(int(f["sections"]) for f in manifest["files"].values())
                if searcher.doc_count() != expected:
                    return "the index does not hold what its manifest lists"
                if expected:
                    searcher.stored_fields(0)
                    searcher.stored_fields(searcher.reader().doc_count_all() - 1)
        except Exception as exc:  # noqa: BLE001 - any failure to read means: rebuild
            return f"the index cannot be read ({type(exc).__name__})"
        return None

    def _write_manifest(self, folder: Path, ix, states: dict[str, FileState]) -> None:
        # Before the checksums: the vocabulary file is an index file like the others.
        term_files.write_generation(folder, ix, TEXT_FIELDS)
        manifest = {
            "schema": SCHEMA_VERSION,
            "generation": ix.latest_generation(),
            "files": {path: state.to_json() for path, state in sorted(states.items())},
            "index_files": index_files.checksums(folder, self._checksums),
        }
        self._manifests.write(folder, manifest)

    def _clear_interrupted_update(self) -> None:
        """Remove what a killed update left beside the files the manifest lists (its segment,
        its pool's runs), which would make the check rebuild the whole index. Holding the lock."""
        try:
            folder = self._current_dir()
            manifest = self._read_manifest(folder)
        except IndexUnavailable:
            return
        if manifest.get("index_files"):
            index_files.remove_unlisted(folder, manifest)

    def _remove_old_generations(self, keep: str) -> None:
        for folder in self.index_dir.glob("gen-*"):
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)  # open elsewhere on Windows: next time

    # -- searching -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        article_id: str | None = None,
        safety_only: bool = False,
        prefix_last_word: bool = False,
    ) -> SearchResult:
        """Ranked section hits for a query (see viewer.search for the query syntax)."""
        for attempt in range(3):
            try:
                searcher, vocabulary, stats = self._open_for_search()
                runner = QueryRunner(
                    searcher,
                    vocabulary,
                    stats,
                    self._analyzer,
                    limit=limit,
                    article_id=article_id,
                    safety_only=safety_only,
                    prefix_last_word=prefix_last_word,
                )
                # A query over most sections of 50,000 articles makes millions of short-lived
                # tuples: the collector ran a generation-0 pass every 700 of them (89 ms in
                # all in one query, sampled in the GUI's search thread, holding the interpreter
                # while the UI waited) and found nothing to free. They go by reference
                # counting; the collector is as it was once the query returns.
                with collector_off():
                    return runner.run(query)
            except ViewerError:
                raise
            except Exception as exc:  # noqa: BLE001 - a damaged index raises anything: OSError, EOFError,
                # struct/zlib/pickle errors, Whoosh's own, even TypeError from a garbled length file
                self._drop_searcher()
                if attempt == 0 and not isinstance(exc, IndexUnavailable):
                    continue  # swapped or updated under us: open again
                if self._library is None and self._library_loader is not None:
                    self._library = self._library_loader()
                if self._library is None:
                    raise ViewerError(
                        f"the search index in {self.index_dir} cannot be used "
                        f"({exc}); run 'article-viewer index --rebuild'"
                    ) from None
                if attempt == 2:
                    raise ViewerError(
                        f"the search index in {self.index_dir} cannot be read "
                        f"even after rebuilding it ({type(exc).__name__})"
                    ) from None
                reason = (
                    str(exc)
                    if isinstance(exc, IndexUnavailable)
                    else f"the index could not be read ({type(exc).__name__})"
                )
                log.warning("search index in %s: %s; rebuilding it", self.index_dir, reason)
                self.rebuild(reason=reason)
        raise AssertionError("unreachable")

    def prepare(self) -> None:
        """Open the index and compute what the first search would (vocabulary, length norms),
        so that a worker thread pays for it before the app says "Search ready"."""
        searcher, vocabulary, stats = self._open_for_search()
        vocabulary.load(searcher.reader())
        stats.norms(searcher, DEFAULT_FIELD)

    def _open_for_search(self):
        folder = self._current_dir()
        cached = getattr(self._local, "state", None)
        # Not Searcher.refresh(): it reuses segment readers by segment id, so deletions committed
        # since (same segment, new deleted set) would stay invisible.
        if cached is not None and cached[0] == folder and cached[1].up_to_date():
            searcher = cached[1]
        else:
            try:
                # A generation after an update keeps the readers of the segments it did not
                # change (reopening.py), so the old searcher is let go only afterwards.
                previous = cached[1] if cached is not None and cached[0] == folder else None
                fresh, _ = reopen(whoosh_index.open_dir(str(folder)), previous)
                self._drop_searcher()
                searcher = self._remember(folder, fresh)
            except Exception as exc:  # noqa: BLE001 - an unopenable index is a damaged one
                self._drop_searcher()
                raise IndexUnavailable(
                    f"the index cannot be opened ({type(exc).__name__})"
                ) from None
        vocabulary, stats = self._shared_for(folder, searcher)
        return searcher, vocabulary, stats

    def _shared_for(self, folder: Path, searcher) -> tuple[Vocabulary, GenerationStats]:
        """The vocabulary and scoring statistics of the searcher's generation (built once)."""
        key = (str(folder), searcher.reader().generation())
        with self._lock:
            if self._generation is None or self._generation[0] != key:
                self._generation = (
                    key,
                    # read when first needed, from the generation's file if it has a good one
                    Vocabulary(stored=functools.partial(term_files.read_generation, folder)),
                    GenerationStats(searcher),
                )
            return self._generation[1], self._generation[2]

    def _remember(self, folder: Path, searcher):
        self._local.state = (folder, searcher)
        with self._lock:
            self._searchers.append(searcher)
        return searcher

    def _forget(self, searcher) -> None:
        with self._lock:
            if searcher in self._searchers:
                self._searchers.remove(searcher)
        try:
            searcher.close()
        except Exception:  # noqa: BLE001, S110 - closing a damaged reader may fail; it is gone anyway
            pass

    def _drop_searcher(self) -> None:
        cached = getattr(self._local, "state", None)
        self._local.state = None
        if cached is not None:
            self._forget(cached[1])

    def close(self) -> None:
        """Close every searcher this object opened (call when the app shuts down)."""
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            try:
                searcher.close()
            except Exception:  # noqa: BLE001, S110 - shutting down: a reader that fails to close is gone
                pass
        self._local = threading.local()


def _stamp_version() -> str | None:
    """What else a recorded stamp depends on: the index schema, and the parsing code and cue
    files (the catalogue's version covers them: a change there re-reads every article), by
    their file stats (freshness.code_stamp), not by importing the catalogue to hash them."""
    code = freshness.code_stamp()
    return None if code is None else f"{SCHEMA_VERSION}/{code}"
