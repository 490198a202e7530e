"""The Topics tree of a library that arrives in the background (viewer/ui/startup.py).

The tree's nodes are plain Python, so they are built in a thread and only handed to the view.
One build runs at a time and the newest library wanted wins. A change to a collection shown
whole arrives as a patch (viewer/ui/tree_patch.py: the rows that differ are removed, inserted
or redrawn, the rows open, the selection and the scroll position stay), never while a
collection is being read, whose tree grows by thousands of rows at a time: that is a new tree.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from viewer.ui.job_threads import Job, JobThreads
from viewer.ui.topic_tree import TreeNode, article_rows, build_tree
from viewer.ui.tree_patch import Plan, plan_patch, release_unused
from viewer.ui.worker_errors import report_current_exception

if TYPE_CHECKING:
    from viewer.core.library import Library
    from viewer.ui.main_window import MainWindow


class TreeBuilds(QObject):
    """The window's topic tree, built in a thread (see the module docstring)."""

    _built = Signal(int, object)  # generation, (root, rows by id, plan) or None; from the thread
    shown = Signal()  # a tree built here is in the Topics panel
    ended = Signal()  # a build ended and no newer one is wanted

    def __init__(self, window: MainWindow, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window
        self._built.connect(self._on_built)
        self._jobs = JobThreads("topic-tree")
        self._generation = 0
        self._running = False
        self._wanted: tuple[Library, bool] | None = None
        self._thread: Job | None = None

    def build(self, library: Library, *, patch: bool) -> None:
        """The tree of `library` in the view: as a patch of the tree shown if `patch` (and the
        shown tree is whole), else as a new tree."""
        if self._running:
            self._wanted = (library, patch)
            return
        self._running = True
        self._generation += 1
        generation = self._generation
        shown = self.window.ui.tree_model.root() if patch else None
        self._thread = self._jobs.submit(self._job, generation, library, shown)

    def _job(self, generation: int, library: Library, shown) -> None:  # in a tree thread
        try:
            root = build_tree(library)
            plan = plan_patch(shown, root) if shown is not None and shown.children else None
            built: tuple[TreeNode, dict[str, TreeNode] | None, Plan | None] | None
            if plan is not None:
                # The new rows the plan does not take are freed here, not in the UI thread.
                release_unused(root)
                built = (shown, None, plan)
            else:
                built = (root, article_rows(root), None)  # the rows by id: not in the UI thread
        except Exception:  # noqa: BLE001 - the tree stays as it was; the failure is reported
            report_current_exception()
            built = None
        self._built.emit(generation, built)

    def _on_built(self, generation: int, built) -> None:
        self._running = False
        if self._wanted is not None:
            (wanted, patch), self._wanted = self._wanted, None
            self.build(wanted, patch=patch)
            return  # a newer library is waiting: show that one
        if generation == self._generation and built is not None:
            root, rows, plan = built
            window = self.window
            tree = window.ui.tree
            if plan is None or window.ui.tree_model.root() is not root:
                if plan is not None:  # the tree shown changed meanwhile: the new one, whole
                    if window.library is not None:
                        self._wanted = (window.library, False)
                    self._on_built(generation, None)
                    return
                tree.reload(root, rows)
            elif not plan.is_empty():
                tree.patch(plan)
            if window.ui.reader.article is not None:
                tree.show_article(window.ui.reader.article.id)
            # What came with the change (the library's new parts) stays too: frozen, so full
            # collections need not walk it. The old tree is freed as it goes (no cycles).
            gc.freeze()
            self.shown.emit()
        self.ended.emit()

    def forget(self) -> None:
        """Another folder opens: a tree still being built (or wanted) is for the old one."""
        self._generation += 1
        self._wanted = None

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join()
        self._jobs.stop()
