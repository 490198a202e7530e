"""The article the window showed, kept parsed in the corpus's cache folder, so that the next
start shows it without reading and parsing its file: the first paint then needs neither the
Markdown and text loaders nor YAML (about a tenth of the window's start-up).

A cache like the catalogue beside it, never the source of truth: a snapshot is used only for
the article it was made of, when the catalogue records that article's file as it was then and
the file is still so on disk (Library.adopt checks), and when the code and cue files the
catalogue's version covers are the ones that made it (their sizes and times: a stat each, not
the read and hash of the catalogue's own version). Anything else, or a damaged or foreign
file, is ignored and the article is parsed as always. It is a pickle: the cache folder is the
reader's own and already holds the search index, whose table of contents Whoosh pickles.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from pathlib import Path

from viewer.core.catalogue_store import _CUE_FILES, _SOURCES, CATALOGUE_VERSION
from viewer.core.model import Article
from viewer.core.resources import resource_path

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "open-article.pickle"
SNAPSHOT_FORMAT = 1  # bump when what is stored changes in a way the code stamp cannot see


def code_stamp() -> tuple:
    """What the snapshot's article was made by: the format, the catalogue's version number and
    the size and modification time of every file the catalogue's version hashes."""
    here = Path(__file__).resolve().parent
    files = [here / name for name in _SOURCES] + [resource_path(name) for name in _CUE_FILES]
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            stamps.append((path.name, -1, -1))
        else:
            stamps.append((path.name, stat.st_size, stat.st_mtime_ns))
    return (SNAPSHOT_FORMAT, CATALOGUE_VERSION, tuple(stamps))


def save(cache_dir: Path, article: Article, path: str, stamp: tuple[int, int]) -> None:
    """Keep `article`, made from the corpus file `path` when it had `stamp` (size, mtime_ns).
    A cache: a failure to write is logged, never raised."""
    record = {
        "code": code_stamp(),
        "id": article.id,
        "path": path,
        "stamp": tuple(stamp),
        "article": article,
    }
    try:
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Written beside, then renamed over: a reader never sees half a file. No fsync: a file
        # lost to a crash is only a start that parses its article again.
        handle, temp = tempfile.mkstemp(dir=cache_dir, prefix=f".{SNAPSHOT_NAME}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, cache_dir / SNAPSHOT_NAME)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        log.debug("article snapshot not written", exc_info=True)


def load(cache_dir: Path, article_id: str) -> tuple[Article, str, tuple[int, int]] | None:
    """(article, file path, stamp) of the snapshot if it holds `article_id` made by this code;
    None otherwise. Whether the file is still as it was is the library's to say."""
    try:
        data = (cache_dir / SNAPSHOT_NAME).read_bytes()
    except OSError:
        return None
    try:
        record = pickle.loads(data)  # noqa: S301 - the reader's own cache folder (see above)
        if not isinstance(record, dict) or record.get("id") != article_id:
            return None
        if record.get("code") != code_stamp():
            return None
        article, path, stamp = record["article"], record["path"], record["stamp"]
    except Exception:  # noqa: BLE001 - a damaged or foreign snapshot is only a slower start
        log.debug("article snapshot unreadable", exc_info=True)
        return None
    if not isinstance(article, Article) or article.id != article_id or not isinstance(path, str):
        return None
    if not (isinstance(stamp, tuple) and len(stamp) == 2):
        return None
    return article, path, (int(stamp[0]), int(stamp[1]))
