"""Watching the corpus folder: one `changed` signal shortly after files stop changing.

Editors save in bursts (write a temp file, rename, touch), so changes are collected for a
short quiet period (QUIET_MS) before the window reloads the library, tree and index. Through
inotify, once every changed file has been closed by its writer (or moved in, or removed), the
save is known to be over and the wait is shorter (SETTLED_MS): a tenth of the way to an edit
shown in under 2 s at 50,000 articles.

On Linux the folders are watched through inotify (viewer/core/folder_events.py): one watch per
folder sees every file in it created, removed, renamed or rewritten in place, by name, so a
50,000-file collection costs one watch and no walk over its files, and `take_changes()` says
which article files changed (the window re-reads only those). Elsewhere Qt's watcher is used:
folders, plus the files themselves while there are few enough (file systems limit watches);
it cannot say which file changed, so `take_changes()` gives None (look at everything).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QSocketNotifier, QTimer, Signal

from viewer.core.folder_events import FolderEvents
from viewer.core.library import ARTICLE_SUFFIXES

QUIET_MS = 600
# Through inotify, once every file changed was closed by its writer (or moved in or removed),
# the save is over: a shorter wait still gathers a burst (rename, then touch) into one reload.
SETTLED_MS = 150
MAX_WATCHED = 2000  # Qt's watcher: beyond this, folders only (file systems limit watches)


class CorpusWatcher(QObject):
    changed = Signal()

    def __init__(
        self, parent: QObject | None = None, quiet_ms: int = QUIET_MS, use_inotify: bool = True
    ) -> None:
        super().__init__(parent)
        self._use_inotify = use_inotify
        self._events: FolderEvents | None = None  # made by watch(), closed by stop()
        self._notifier: QSocketNotifier | None = None
        # Qt's watcher only where inotify is not used (made by watch()): on Linux it is never
        # needed, and making one at start-up (its private engine object) cost the first paint.
        self._watcher: QFileSystemWatcher | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(quiet_ms)
        self._quiet_ms, self._settled_ms = quiet_ms, min(SETTLED_MS, quiet_ms)
        self._writing: set[str] = set()  # files being written (inotify): wait the full time
        self._timer.timeout.connect(self.changed)
        self.root: Path | None = None
        # Relative paths of the article files changed since take_changes(); None: unknown.
        self._changed: set[str] | None = set()

    @property
    def uses_inotify(self) -> bool:
        """Whether the folder is watched through inotify (after watch())."""
        return self._events is not None

    def watch(self, root: Path) -> None:
        """Watch root, its sub-folders and (with Qt's watcher, if few) its article files,
        replacing what was watched."""
        self.stop()
        self.root = root
        self._changed = set()
        self._writing = set()
        self._events = FolderEvents.create() if self._use_inotify else None
        if self._events is not None:
            self._notifier = QSocketNotifier(self._events.fd, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._read_events)
            for folder in _folders(str(root)):
                self._events.add(folder)
            return
        folders, files = [str(root)], list[str]()
        suffixes = tuple(ARTICLE_SUFFIXES)
        for folder, dirs, names in os.walk(root, followlinks=False):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            folders.extend(os.path.join(folder, d) for d in dirs)
            if len(files) <= MAX_WATCHED:  # beyond, files are not watched: no need to list them
                # str methods, not Path: this runs at start-up, over every file of the corpus
                files.extend(
                    os.path.join(folder, n)
                    for n in names
                    if n.lower().endswith(suffixes) and not n.startswith(".")
                )
        paths = folders + (files if len(folders) + len(files) <= MAX_WATCHED else [])
        if paths:
            self._qt_watcher().addPaths(paths[:MAX_WATCHED])

    def _qt_watcher(self) -> QFileSystemWatcher:
        if self._watcher is None:
            self._watcher = QFileSystemWatcher(self)
            self._watcher.directoryChanged.connect(self._poke)
            self._watcher.fileChanged.connect(self._poke)
        return self._watcher

    def refresh(self, root: Path) -> None:
        """Make sure root is watched: through inotify, watching it already is enough (new
        sub-folders are added as they appear, and watching again could miss a change made
        meanwhile); Qt's watcher is set again, so that new files are watched too."""
        if self._events is None or self.root != root:
            self.watch(root)

    def take_changes(self) -> set[str] | None:
        """The article files (relative to the root) changed since the last call, or None when
        that is not known (Qt's watcher, lost events, a folder changed): check them all."""
        changed, self._changed = self._changed, set()
        return changed

    def stop(self) -> None:
        """Stop watching (the inotify instance is closed: a process may have only 128)."""
        self._timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._events is not None:
            self._events.close()
            self._events = None
        if self._watcher is not None:
            watched = self._watcher.files() + self._watcher.directories()
            if watched:
                self._watcher.removePaths(watched)

    def _read_events(self, *_args) -> None:
        if self._events is None or self.root is None:
            return
        changes = self._events.read()
        for folder in changes.folders:  # a new sub-folder: its files are watched from now on
            if not os.path.basename(folder).startswith("."):
                for inner in _folders(folder):
                    self._events.add(inner)
        for path, writing in changes.writing.items():
            if writing:
                self._writing.add(path)
            else:
                self._writing.discard(path)
        root = str(self.root)
        relevant: set[str] = set()
        unknown = changes.lost or bool(changes.folders)
        for path in changes.paths:
            rel = os.path.relpath(path, root)
            parts = rel.split(os.sep)
            if any(p.startswith(".") for p in parts):
                continue  # hidden files and folders are not articles (editors' swap files)
            if _is_article(parts[-1]):
                relevant.add(rel.replace(os.sep, "/"))
            elif rel == "." or os.path.isdir(path) or not os.path.exists(path):
                # The folder itself, a sub-folder, or something gone whose kind is unknown
                # (a removed sub-folder): what changed beneath it is not known by name.
                unknown = unknown or rel == "." or "." not in parts[-1]
        if unknown:
            self._changed = None
        elif relevant and self._changed is not None:
            self._changed |= relevant
        if unknown or relevant:
            settled = not unknown and not self._writing
            self._timer.start(self._settled_ms if settled else self._quiet_ms)

    def _poke(self, _path: str) -> None:
        self._changed = None  # Qt's watcher does not say which file
        self._timer.start(self._quiet_ms)


def _is_article(name: str) -> bool:
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in ARTICLE_SUFFIXES


def _folders(root: str) -> list[str]:
    """root and its sub-folders (hidden ones and links left out), listed with os.scandir: the
    entries know their type, so the files of a large folder cost no system call each."""
    found, pending = [], [root]
    while pending:
        folder = pending.pop()
        found.append(folder)
        if _no_sub_folders(folder):
            continue  # 50,000 files in one folder are not listed for nothing
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    try:
                        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                            pending.append(entry.path)
                    except OSError:
                        continue
        except OSError:
            continue
    return found


def _no_sub_folders(folder: str) -> bool:
    """True when the folder's link count says it has no sub-folders: on the usual Unix file
    systems a folder has 2 links plus one per sub-folder (as find's leaf optimisation uses);
    others (btrfs says 1, Windows 1) are listed."""
    try:
        return os.stat(folder).st_nlink == 2
    except OSError:
        return False
