"""The Library: every article under a corpus folder, plus the files that could not be read.

Scanning never fails as a whole: a file that cannot be read becomes a `Problem` (path + one-line
reason) and the rest still load. Links are not followed out of the corpus folder.

There is one loading path: through a catalogue (the one on disk in the cache folder, or a
`MemoryCatalogue`), which says which files are known as they are now; only the others are
parsed. Full articles are parsed when asked for (`get`), from the catalogue's outlines.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeGuard

from viewer.core.article_files import ARTICLE_SUFFIXES, RECENT_NS  # noqa: F401 - also theirs
from viewer.core.catalogue import ArticleEntry, annotate_from_entry
from viewer.core.catalogue_store import CatalogueFile, FileRecord
from viewer.core.decode import MAX_ARTICLE_BYTES, decode_article_bytes
from viewer.core.errors import ArticleError, UnknownArticle, ViewerError
from viewer.core.gc_pause import paused_gc
from viewer.core.model import Article
from viewer.core.regular_files import NotReadable, not_regular_reason, read_regular_file
from viewer.core.slug import slugify, unique_slug
from viewer.core.topics import Taxonomy, TopicNode

log = logging.getLogger(__name__)
# Full articles a catalogued library keeps parsed (the open one, history, search hits).
RECENT_ARTICLES = 16
# Annotators run on every loaded article (topics, safety); each mutates the article in place.
Annotator = Callable[[Article], None]


@dataclass(frozen=True)
class Problem:
    path: str
    error: str

    def to_json(self) -> dict:
        return {"path": self.path, "error": self.error}


def read_article(path: Path, article_id: str, display_path: str | None = None) -> Article:
    """Load one article file; raise ArticleError with a one-line reason if it cannot be read."""
    try:
        # One byte past the limit is enough to refuse it; a huge file is never read whole, and
        # a pipe or device is never opened (it would block or never end).
        data = read_regular_file(path, MAX_ARTICLE_BYTES)
    except NotReadable as exc:
        raise ArticleError(str(exc)) from None
    # The loaders (and YAML with them) are imported with the first file read: a window that
    # shows its article from a snapshot (article_snapshot.py) paints without them.
    from viewer.core.md_loader import load_markdown
    from viewer.core.txt_loader import load_txt

    decoded = decode_article_bytes(data)
    shown = Path(display_path) if display_path else path
    loader = load_markdown if ARTICLE_SUFFIXES.get(path.suffix.lower()) == "md" else load_txt
    try:
        article = loader(decoded.text, shown, article_id)
    except RecursionError:
        raise ArticleError("the text is nested too deeply to read") from None
    if decoded.note:
        article.notes.append(decoded.note)
    if not article.sections:
        raise ArticleError("no text found in the file")
    return article


def _walk(folder: str, rel: str) -> Iterator[tuple[str, os.DirEntry | OSError]]:
    """(relative path, directory entry) of the article files under folder: each folder's files
    in name order, then its sub-folders named like articles (so that the caller reports them),
    then its sub-folders' contents; hidden names skipped, linked folders not entered. A folder
    that cannot be listed (no permission, a path over the system's limit) comes as
    (its relative path, the OSError), so that it is reported rather than silently missing.

    os.scandir rather than os.walk and pathlib: its entries know their type without a system
    call, which matters at 10,000 files (a third of a catalogued start-up went to pathlib)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as exc:
        yield rel.rstrip("/") or ".", exc
        return
    dirs: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    dirs = sorted((d for d in dirs if not d.name.startswith(".")), key=lambda d: d.name)
    for entry in sorted(files, key=lambda e: e.name):
        if not entry.name.startswith(".") and _suffix(entry.name) in ARTICLE_SUFFIXES:
            yield rel + entry.name, entry
    for entry in dirs:
        if _suffix(entry.name) in ARTICLE_SUFFIXES:
            yield rel + entry.name, entry
    for entry in dirs:
        if not entry.is_symlink():
            yield from _walk(entry.path, rel + entry.name + "/")


def displayable_path(rel: str) -> str:
    """A path as text a user can read: undecodable bytes of its name become U+FFFD."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _suffix(name: str) -> str:
    """Path(name).suffix.lower(), without building a Path."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _stem(name: str) -> str:
    """Path(name).stem, without building a Path."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _inside(path: Path, root_real: Path) -> bool:
    try:
        path.resolve().relative_to(root_real)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


class MemoryCatalogue:
    """A catalogue that lives as long as the object (catalogue_store.CatalogueFile's interface,
    without files): a library loaded without a cache folder (tests, classifiers of its own)
    takes the same loading path with one. A second load with the same object reuses what is
    unchanged, as a load does with the files on disk."""

    def __init__(self) -> None:
        self._records: dict[str, FileRecord] = {}

    def read(self) -> dict[str, FileRecord]:
        return dict(self._records)

    def write(self, records: dict[str, FileRecord]) -> None:
        self._records = dict(records)


class Catalogue(Protocol):
    """Where a library's records are remembered between loads: on disk or in memory."""

    def read(self) -> dict[str, FileRecord]: ...

    def write(self, records: dict[str, FileRecord]) -> None: ...


class Library:
    """The articles of one corpus folder, by id, with the problems met while loading.

    `entries` is every article's outline (catalogue.ArticleEntry), always at hand. The full text
    comes from `get(id)`, or article by article from `iter_articles()`; `articles` is the same
    as a sequence, parsed as it goes (prefer `entries` for outlines). Full articles are parsed
    on demand and the last `keep` of them kept (None: every one parsed, as a library loaded
    in memory keeps those its load parsed).
    """

    def __init__(
        self,
        root: Path,
        entries: list[ArticleEntry],
        problems: list[Problem],
        taxonomy: Taxonomy,
        *,
        annotators: list[Annotator] | None = None,
        stamps: Mapping[str, tuple[int, int]] | None = None,
        keep: int | None = RECENT_ARTICLES,
        parsed: Iterable[Article] = (),
        unread: int | None = 0,
    ) -> None:
        self.root = root
        # Files of the folder not read yet (a first pass under way, showing what it read so
        # far); None while it is still listing them. Not one of them is checked for safety.
        self.unread = unread
        self.problems = problems
        self.taxonomy = taxonomy
        self._entries = entries
        self._entry_by_id = {e.id: e for e in entries}
        self._annotators = annotators
        # file (relative path) -> (size, mtime_ns) it was when its entry was made
        self._stamps: Mapping[str, tuple[int, int]] = stamps if stamps is not None else {}
        self._keep = keep
        self._recent: OrderedDict[str, Article] = OrderedDict((a.id, a) for a in parsed)
        self._lock = threading.Lock()  # get() runs in the UI thread, iter_articles() in workers

    @classmethod
    def load(
        cls,
        root: Path | str,
        annotators: Iterable[Annotator] | None = None,
        taxonomy: Taxonomy | None = None,
        cache_dir: Path | str | None = None,
        catalogue: Catalogue | None = None,
    ) -> Library:
        """Load a corpus folder through a catalogue: the one in `cache_dir` (with the default
        classifiers: its version covers theirs), else `catalogue`, else a new one in memory.
        Only files the catalogue does not know as they are now are parsed."""
        root = Path(root)
        if not root.exists():
            raise ViewerError(f"corpus folder {root} does not exist")
        if not root.is_dir():
            raise ViewerError(f"corpus {root} is not a folder")
        if catalogue is None:
            if cache_dir is not None and annotators is None and taxonomy is None:
                catalogue = CatalogueFile(Path(cache_dir))
            else:
                catalogue = MemoryCatalogue()
        with paused_gc():
            return cls._load(
                root,
                catalogue,
                taxonomy or Taxonomy.load(),
                list(annotators) if annotators is not None else None,
            )

    @classmethod
    def _load(
        cls,
        root: Path,
        catalogue: Catalogue,
        taxonomy: Taxonomy,
        annotators: list[Annotator] | None,
    ) -> Library:
        remembered = catalogue.read()
        in_memory = isinstance(catalogue, MemoryCatalogue)
        records: dict[str, FileRecord] = {}
        entries: list[ArticleEntry] = []
        problems: list[Problem] = []
        parsed: list[Article] = []  # kept by a library in memory, as its files are not cached
        changed = False
        now_ns = time.time_ns()
        taken: set[str] = set()
        for rel, entry, article_id, problem in _scan(root, taken):
            if problem or entry is None:  # _scan gives no entry only with a problem
                problems.append(Problem(rel, problem))
                continue
            record = remembered.get(rel)
            size, mtime_ns = file_stamp(entry)
            if not reusable(record, size, mtime_ns, article_id):
                changed = True
                if annotators is None:  # built only if a file must be parsed
                    annotators = default_annotators()
                size = size_to_remember(size, mtime_ns, now_ns)
                try:
                    article = _parse(root / rel, article_id, rel, taxonomy, annotators)
                    record = FileRecord(size, mtime_ns, ArticleEntry.from_article(article))
                    if in_memory:
                        parsed.append(article)
                except ArticleError as exc:
                    record = FileRecord(size, mtime_ns, None, str(exc))
            records[rel] = record
            if record.entry is None:
                taken.discard(article_id)
                problems.append(Problem(rel, record.error))
            else:
                entries.append(record.entry)
        if changed or records.keys() != remembered.keys():
            catalogue.write(records)
        entries.sort(key=lambda e: (e.title.casefold(), e.id))
        stamps = {rel: (r.size, r.mtime_ns) for rel, r in records.items() if r.entry is not None}
        return cls(
            root,
            entries,
            problems,
            taxonomy,
            annotators=annotators,
            stamps=stamps,
            keep=None if in_memory else RECENT_ARTICLES,
            parsed=parsed,
        )

    # -- outlines ------------------------------------------------------------------------------

    @property
    def entries(self) -> list[ArticleEntry]:
        """Every article's outline, in title order."""
        return self._entries

    def unchecked(self) -> int:
        """How many articles are not checked for safety passages yet: entries read without the
        classifier (pending) and files not read yet. (At least one while the count of unread
        files is not known: the collection is not all here.)"""
        pending = sum(1 for e in self._entries if e.pending)
        return pending + (self.unread if self.unread is not None else 1)

    def entry(self, article_id: str) -> ArticleEntry:
        try:
            return self._entry_by_id[article_id]
        except KeyError:
            raise UnknownArticle(f"no article with id '{article_id}' in {self.root}") from None

    # -- full articles -------------------------------------------------------------------------

    @property
    def articles(self) -> Sequence[Article]:
        """All full articles in title order (parsed one by one unless kept)."""
        return _LazyArticles(self)

    def get(self, article_id: str) -> Article:
        """The full article; raises UnknownArticle if there is none (or its file is gone)."""
        entry = self.entry(article_id)
        with self._lock:
            article = self._recent.pop(article_id, None)
            if article is None:
                article = self._read_entry(entry)
            self._recent[article_id] = article
            while self._keep is not None and len(self._recent) > self._keep:
                self._recent.popitem(last=False)
        return article

    def get_unchecked(self, article_id: str) -> Article | None:
        """The article read without the safety classifier, for a page shown at once, when its
        entry is pending (its verdicts not known yet) and no classified copy is held; None
        when get() has its verdicts at hand. Not kept: get() gives it classified."""
        entry = self.entry(article_id)
        if not entry.pending or self._annotators is not None:
            return None
        with self._lock:
            if article_id in self._recent:
                return None
        try:
            return _parse(self.root / entry.path, entry.id, entry.path, self.taxonomy, [])
        except ArticleError as exc:
            raise UnknownArticle(
                f"the article '{entry.id}' ({entry.path}) cannot be read any more: {exc}"
            ) from None

    def take_recent(self, other: Library) -> None:
        """Keep the articles `other` read lately whose files this library has unchanged (the
        same entry): the window's next library after an edit elsewhere, whose reader would
        otherwise parse the open article again in the UI thread (building the classifier, when
        that file itself was saved moments ago and its stat is not trusted yet)."""
        with other._lock:
            theirs = [
                (article_id, article)
                for article_id, article in other._recent.items()
                if other._entry_by_id.get(article_id) is self._entry_by_id.get(article_id)
            ]
        with self._lock:
            merged = OrderedDict(item for item in theirs if item[0] not in self._recent)
            merged.update(self._recent)
            while self._keep is not None and len(merged) > self._keep:
                merged.popitem(last=False)
            self._recent = merged

    def adopt(self, article: Article, path: str, stamp: tuple[int, int]) -> bool:
        """Keep `article`, parsed earlier from the file `path` when it was `stamp` (size,
        mtime_ns), as get() would have parsed it: only if that is still this article's file,
        the catalogue records it so, and it is so on disk. False, keeping nothing, otherwise."""
        entry = self._entry_by_id.get(article.id)
        if entry is None or entry.path != path or self._stamps.get(path) != tuple(stamp):
            return False
        if not self.catalogued:
            return False  # a library in memory holds every article it parsed already
        if not self._unchanged(entry, self.root / entry.path):
            return False
        with self._lock:
            self._recent.setdefault(article.id, article)
        return True

    def snapshot_source(self, article: Article) -> tuple[str, tuple[int, int]] | None:
        """(file, stamp) a snapshot of `article` records: only for the article this library
        (read through the catalogue on disk) holds parsed, while its file is as the catalogue
        recorded it; None otherwise."""
        entry = self._entry_by_id.get(article.id)
        with self._lock:
            held = self._recent.get(article.id)
        if entry is None or held is not article or not self.catalogued:
            return None
        stamp = self._stamps.get(entry.path)
        if stamp is None or not self._unchanged(entry, self.root / entry.path):
            return None
        return entry.path, stamp

    @property
    def catalogued(self) -> bool:
        """Whether full articles are parsed on demand from the files (a library read through
        the catalogue on disk), rather than all held in memory as a MemoryCatalogue's are."""
        return self._keep is not None

    def recorded_stamp(self, article_id: str) -> tuple[int, int] | None:
        """(size, mtime_ns) of the file the article's entry was made from, if known."""
        entry = self._entry_by_id.get(article_id)
        return self._stamps.get(entry.path) if entry is not None else None

    def iter_articles(self, entries: Sequence[ArticleEntry] | None = None) -> Iterator[Article]:
        """Every full article in title order (or those of `entries`, in their order), parsed
        one at a time and not kept (for indexing and exports over the whole collection). A file
        that became unreadable is skipped."""
        for entry in self.entries if entries is None else entries:
            with self._lock:
                recent = self._recent.get(entry.id)
            if recent is not None:
                yield recent
                continue
            held = outline_parsed(entry)
            try:
                article = self._read_entry(entry)
            except UnknownArticle as exc:
                log.warning("%s", exc)
                continue
            if not held:  # parsed only to check this file: not kept for the whole pass
                release_outline(entry)
            yield article

    def _read_entry(self, entry: ArticleEntry) -> Article:
        path = self.root / entry.path
        try:
            if self._unchanged(entry, path):
                # The file is as catalogued: its entry already holds the classifiers' verdicts.
                article = read_article(path, entry.id, entry.path)
                if annotate_from_entry(article, entry):
                    return article
            if entry.pending and self._annotators is None:
                # Its verdicts are being given in the background (verdict_pass.py): this one
                # now, with the classifier the window's process already holds.
                from viewer.core.parse_worker import shared_annotators

                return _parse(path, entry.id, entry.path, self.taxonomy, shared_annotators())
            if self._annotators is None:
                self._annotators = default_annotators()
            return _parse(path, entry.id, entry.path, self.taxonomy, self._annotators)
        except ArticleError as exc:
            raise UnknownArticle(
                f"the article '{entry.id}' ({entry.path}) cannot be read any more: {exc}"
            ) from None

    def _unchanged(self, entry: ArticleEntry, path: Path) -> bool:
        stamp = self._stamps.get(entry.path)
        try:
            stat = path.stat()
        except OSError:
            return False
        return stamp is not None and stamp[0] >= 0 and stamp == (stat.st_size, stat.st_mtime_ns)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._entry_by_id

    def __len__(self) -> int:
        return len(self._entries)

    def topic_tree(self) -> list[TopicNode]:
        with paused_gc():
            return self.taxonomy.tree(self.entries)


class _LazyArticles(Sequence):
    """`library.articles`: each full article is parsed when asked for (unless kept)."""

    def __init__(self, library: Library) -> None:
        self._library = library

    def __len__(self) -> int:
        return len(self._library.entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._library.get(e.id) for e in self._library.entries[index]]
        return self._library.get(self._library.entries[index].id)

    def __iter__(self) -> Iterator[Article]:
        return self._library.iter_articles()


def outline_parsed(entry: ArticleEntry) -> bool:
    """Whether a catalogue entry holds its sections parsed (rather than as its outline line)."""
    return entry._sections is not None  # noqa: SLF001 - the entry's own cache, see release_outline


def release_outline(entry: ArticleEntry) -> None:
    """Let go of an entry's parsed sections when its outline line can give them again: a pass
    over every article (an index build) otherwise kept them all, 16 MB per 1,000 articles.
    Done here rather than as an ArticleEntry method so that the catalogue's version (a hash of
    catalogue.py) stays, and no user's catalogue is re-read for it."""
    if entry._outline is not None:  # noqa: SLF001
        entry._sections = None  # noqa: SLF001


def has_at_least(root, count: int) -> bool:
    """Whether the folder holds at least `count` article files (stops counting there)."""
    return sum(1 for _ in itertools.islice(_walk(str(root), ""), count)) >= count


def file_stamp(entry: os.DirEntry) -> tuple[int, int]:
    """(size, mtime_ns) of a scanned file, (-1, -1) when it cannot be stat'ed (parsing says why)."""
    try:
        stat = entry.stat()
    except OSError:
        return -1, -1
    return stat.st_size, stat.st_mtime_ns


def reusable(
    record: FileRecord | None, size: int, mtime_ns: int, article_id: str, *, pending: bool = False
) -> TypeGuard[FileRecord]:
    """Whether a remembered record still stands for the file: same stamp, same article id,
    and (unless `pending`: the window's verdict pass will give them) its safety verdicts."""
    return (
        record is not None
        and record.fresh(size, mtime_ns)
        and (
            record.entry is None
            or (record.entry.id == article_id and (pending or not record.entry.pending))
        )
    )


def size_to_remember(size: int, mtime_ns: int, now_ns: int) -> int:
    """A file changed within the clock's resolution of now could change again unseen with the
    same size and time: it is remembered as unknown (-1), so it is read next time."""
    return -1 if now_ns - mtime_ns < RECENT_NS else size


def _scan(root: Path, taken: set[str]) -> Iterator[tuple[str, os.DirEntry | None, str, str]]:
    """(relative path, directory entry, id, problem) per article file, ids given in walk order
    and recorded in `taken` (the caller releases the id of a file that turns out unreadable)."""
    root_real = root.resolve()
    for rel, entry in _walk(str(root), ""):
        if isinstance(entry, OSError):
            yield (
                displayable_path(rel),
                None,
                "",
                (f"folder cannot be read ({entry.strerror or entry}); its articles are not listed"),
            )
            continue
        shown = displayable_path(rel)
        if shown != rel:
            # A name that is not UTF-8 (an old archive, a USB stick) cannot be shown, stored in
            # JSON or the catalogue as it is: report it by a readable form of its name.
            yield shown, entry, "", "file name is not valid UTF-8; rename the file to open it"
            continue
        if entry.is_symlink() and not _inside(Path(entry.path), root_real):
            yield rel, entry, "", "link leads outside the corpus folder; not followed"
            continue
        if entry.is_dir():
            yield rel, entry, "", "is a folder named like an article file"
            continue
        if not entry.is_file():  # d_type says so without a system call for regular files
            yield rel, entry, "", _special_file_reason(entry)
            continue
        yield rel, entry, unique_slug(slugify(_stem(entry.name), fallback="article"), taken), ""


def _special_file_reason(entry: os.DirEntry) -> str:
    """Why a named pipe, device or socket (or a dangling link) in the folder is not opened."""
    try:
        return not_regular_reason(entry.stat().st_mode)  # stat never blocks, even on a pipe
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"


def _parse(
    path: Path, article_id: str, rel: str, taxonomy: Taxonomy, annotators: list[Annotator]
) -> Article:
    article = read_article(path, article_id, rel)
    taxonomy.assign(article)
    for annotate in annotators:
        annotate(article)
    return article


def default_annotators() -> list[Annotator]:
    """The classifiers every loaded article goes through: a fresh safety classifier per load."""
    # Imported here, with the first file that must be parsed: a catalogued library (every start
    # but the first) reads its verdicts from the catalogue, and the GUI paints its first article
    # without the classifier's modules (rules, model, phrase tables) loaded at all.
    from viewer.core.safety import SafetyClassifier

    return [SafetyClassifier.load().annotate]
