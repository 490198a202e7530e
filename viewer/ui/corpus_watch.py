"""Watching the corpus folder: one `changed` signal shortly after files stop changing.

Editors save in bursts (write a temp file, rename, touch), so changes are collected for a
short quiet period before the window reloads the library, tree and index.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from viewer.core.library import ARTICLE_SUFFIXES

QUIET_MS = 600
MAX_WATCHED = 2000  # beyond this, folders only (file systems limit watches)


class CorpusWatcher(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None, quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(quiet_ms)
        self._timer.timeout.connect(self.changed)
        self._watcher.directoryChanged.connect(self._poke)
        self._watcher.fileChanged.connect(self._poke)
        self.root: Path | None = None

    def watch(self, root: Path) -> None:
        """Watch root, its sub-folders and its article files (replacing what was watched)."""
        self.stop()
        self.root = root
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
            self._watcher.addPaths(paths[:MAX_WATCHED])

    def stop(self) -> None:
        self._timer.stop()
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)

    def _poke(self, _path: str) -> None:
        self._timer.start()
