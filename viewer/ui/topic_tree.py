"""The Topics dock: topic -> article -> sections, plus "All articles" and unreadable files.

The tree is built as plain `TreeNode`s (testable without Qt, the pattern of Qt's
editabletreemodel example), shown through a thin read-only QAbstractItemModel.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from viewer.core.gc_pause import paused_gc
from viewer.core.library import Library
from viewer.core.topics import OutlinedArticle, TopicNode
from viewer.ui.icons import pending_icon
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_passages import safety_tooltip
from viewer.ui.tree_patch import Plan, apply_patch, release

KIND_ROOT, KIND_ALL, KIND_TOPIC, KIND_ARTICLE, KIND_SECTION = (
    "root",
    "all",
    "topic",
    "article",
    "section",
)
KIND_PROBLEMS, KIND_PROBLEM = "problems", "problem"
NOT_CHECKED = "Not checked for safety passages yet"
ALL_ARTICLES = "All articles"
UNREADABLE = "Could not be read"
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
EXPAND_ALL_LIMIT = 1000  # "All articles" is expanded at start only up to this many rows
RELEASE_CHUNK = 1000  # rows freed per step when an old tree is taken apart (TreeNode.take_apart)


class TreeNode:
    """One row of the tree; `article_id`/`anchor` say where activating it leads.

    `fill`, when given, adds the node's children the first time anyone asks for them, from
    `source` (what they are made of): a collection of 10,000 articles has some 200,000 section
    rows, and only the few a reader expands are ever built. Slots, and one shared `fill`
    function rather than a closure per row: 50,000 article rows are then some 15 MB less.

    A child reaches its parent through a weak reference (one per parent, shared by its
    children), so a tree holds no reference cycle: a tree the view lets go of is freed at once
    by reference counting. The window freezes long-lived objects for the collector
    (gc_pause.paused_gc) and never thaws them; a tree in cycles would stay frozen forever."""

    __slots__ = (
        "kind",
        "label",
        "article_id",
        "anchor",
        "safety",
        "pending",
        "tooltip",
        "error",
        "fill",
        "source",
        "_children",
        "_row",
        "_parent",
        "_self_ref",
        "__weakref__",
    )

    def __init__(
        self,
        kind: str,
        label: str,
        article_id: str = "",
        anchor: str = "",
        safety: bool = False,
        tooltip: str = "",
        error: str = "",
        *,
        fill: Callable[[TreeNode], None] | None = None,
        source: Any = None,
        pending: bool = False,
    ) -> None:
        self.kind, self.label, self.article_id, self.anchor = kind, label, article_id, anchor
        self.safety, self.tooltip, self.error = safety, tooltip, error
        # Not checked for safety passages yet (a pending entry): never drawn as "no warnings".
        self.pending = pending
        self.fill, self.source = fill, source
        self._children: list[TreeNode] = []
        self._row = 0
        self._parent: weakref.ref[TreeNode] | None = None
        self._self_ref: weakref.ref[TreeNode] | None = None  # made when a first child is added

    def __repr__(self) -> str:
        return f"TreeNode({self.kind!r}, {self.label!r}, {self.article_id!r}, {self.anchor!r})"

    @property
    def parent(self) -> TreeNode | None:
        return self._parent() if self._parent is not None else None

    @property
    def children(self) -> list[TreeNode]:
        if self.fill is not None:
            fill, self.fill = self.fill, None
            fill(self)
        return self._children

    def has_children(self) -> bool:
        return self.fill is not None or bool(self._children)

    def add(self, child: TreeNode) -> TreeNode:
        if self._self_ref is None:
            self._self_ref = weakref.ref(self)
        child._parent = self._self_ref
        child._row = len(self._children)  # kept, so that row() is not a search among siblings
        self._children.append(child)
        return child

    def row(self) -> int:
        return self._row if self._parent is not None else 0

    def adopt(self, start: int, rows: list[TreeNode]) -> None:
        """Take `rows` (made for another tree) as children from row `start` on."""
        if self._self_ref is None:
            self._self_ref = weakref.ref(self)
        for child in rows:
            child._parent = self._self_ref  # noqa: SLF001 - another node of this class
        children = self._children
        children[start:start] = rows
        for row in range(start, len(children)):
            children[row]._row = row  # noqa: SLF001

    def take_apart(self) -> None:
        """Free the rows below, RELEASE_CHUNK at a time (in a thread): each step is a short
        C-level cascade, and the interpreter passes to other threads between steps."""
        stack: list[TreeNode] = [self]
        while stack:
            node: TreeNode = stack.pop()
            children = node._children
            while children:
                batch: list[TreeNode] = children[-RELEASE_CHUNK:]
                del children[-RELEASE_CHUNK:]
                stack.extend(filter(TreeNode.has_built_children, batch))
                del batch  # the rows without rows of their own go now

    def has_built_children(self) -> bool:
        return bool(self._children)

    def walk(self, built_only: bool = False):
        """This node and all below it; with `built_only`, without building lazy children."""
        yield self
        for child in self._children if built_only else self.children:
            yield from child.walk(built_only)


def _add_article(
    parent: TreeNode, article: OutlinedArticle, anchors: Sequence[str] | None = None
) -> None:
    safety_count = article.safety_count
    pending = getattr(article, "pending", False)  # an entry read without the classifier
    tip = article.title + (
        f"\n{safety_count} safety section{'s' if safety_count != 1 else ''}" if safety_count else ""
    )
    parent.add(
        TreeNode(
            KIND_ARTICLE,
            article.title,
            article.id,
            tooltip=f"{article.title}\n{NOT_CHECKED}" if pending else tip,
            fill=_add_sections,
            source=(article, anchors),
            pending=pending,
        )
    )


def _add_sections(node: TreeNode) -> None:
    # The source stays: a later tree's patch (tree_patch.py) tells by it whether the row's
    # outline changed.
    article, anchors = node.source
    wanted = set(anchors) if anchors else None
    pending = getattr(article, "pending", False)
    for section in article.sections:
        if wanted is not None and section.anchor not in wanted:
            continue
        tip = safety_tooltip(section.categories) if section.safety else section.heading
        node.add(
            TreeNode(
                KIND_SECTION,
                section.heading,
                article.id,
                section.anchor,
                section.safety,
                f"{section.heading}\n{NOT_CHECKED}" if pending else tip,
                pending=pending,
            )
        )


def _add_topic(parent: TreeNode, topic: TopicNode) -> None:
    parent.add(
        TreeNode(
            KIND_TOPIC,
            f"{topic.name} ({topic.article_count()})",
            tooltip=topic.name,
            fill=_add_topic_articles,
            source=topic,
        )
    )


def _add_topic_articles(node: TreeNode) -> None:
    topic = node.source
    for child in topic.children:
        _add_topic(node, child)
    for article, anchors in topic.articles:
        _add_article(node, article, anchors)


def build_tree(library: Library) -> TreeNode:
    """The whole tree for a library: All articles, the topics, then any unreadable files."""
    with paused_gc():  # thousands of nodes that all stay: collections would find nothing
        return _build_tree(library)


def _build_tree(library: Library) -> TreeNode:
    root = TreeNode(KIND_ROOT, "")
    # Outlines only (library.entries): a large collection is not parsed to draw its tree.
    everything = root.add(
        TreeNode(
            KIND_ALL,
            f"{ALL_ARTICLES} ({len(library.entries)})",
            tooltip="Every article in the collection",
        )
    )
    for article in library.entries:
        _add_article(everything, article)
    for topic in library.topic_tree():
        _add_topic(root, topic)
    if library.problems:
        problems = root.add(
            TreeNode(
                KIND_PROBLEMS,
                f"{UNREADABLE} ({len(library.problems)})",
                tooltip="Files in the corpus folder that could not be read",
            )
        )
        for problem in library.problems:
            problems.add(
                TreeNode(
                    KIND_PROBLEM,
                    problem.path,
                    tooltip=f"{problem.path}: {problem.error}",
                    error=problem.error,
                )
            )
    return root


class TopicTreeModel(QAbstractItemModel):
    """A read-only view of a TreeNode hierarchy."""

    def __init__(self, root: TreeNode, marker: QIcon, warning: QIcon, parent=None) -> None:
        super().__init__(parent)
        self._root = root
        self._marker = marker
        self._warning = warning
        self._pending_icon: QIcon | None = None

    def set_root(self, root: TreeNode) -> None:
        self.beginResetModel()
        old, self._root = self._root, root
        self.endResetModel()
        # Not before the reset is over (the view may still look at the rows it had), and not
        # here: freeing 100,000 rows at once is one C-level cascade that held the UI thread
        # (and any thread, the GIL) for some 100 ms.
        if old.has_children():
            threading.Thread(target=old.take_apart, name="old-tree", daemon=True).start()

    def root(self) -> TreeNode:
        return self._root

    def node(self, index: QModelIndex | QPersistentModelIndex) -> TreeNode:
        return index.internalPointer() if index.isValid() else self._root

    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()
    ) -> QModelIndex:
        node = self.node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()):  # noqa: D401 - Qt override
        if not index.isValid():
            return QModelIndex()
        parent = self.node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 1

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        # Without building them: the view asks this of every row it draws.
        if parent.isValid() and parent.column() != 0:
            return False
        return self.node(parent).has_children()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid():
            return None
        node = self.node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(node.tooltip or node.label)
        if role == Qt.ItemDataRole.DecorationRole:
            if node.safety:
                return self._marker
            if node.pending:
                if self._pending_icon is None:  # drawn when first needed (a first launch)
                    self._pending_icon = pending_icon()
                return self._pending_icon
            if node.kind == KIND_PROBLEM:
                return self._warning
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if node.pending:
                return f"{node.label}, not checked for safety passages yet"
            return f"{node.label}, safety section" if node.safety else node.label
        if role == NODE_ROLE:
            return node
        return None

    def index_of(self, node: TreeNode) -> QModelIndex:
        return (
            QModelIndex()
            if node is self._root or node.parent is None
            else self.createIndex(node.row(), 0, node)
        )


class TopicTreeView(QTreeView):
    """The tree widget: activating a row (click, Enter) asks the window to open that place."""

    open_requested = Signal(str, str)  # article id, anchor ("" for the top)
    problem_requested = Signal(str, str)  # file path, reason

    def __init__(self, model: TopicTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topicTree")
        self.setAccessibleName("Topics")
        self.setAccessibleDescription("Topics, articles and their sections; press Enter to open")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setModel(model)
        self._model = model  # model() is typed as any QAbstractItemModel
        self._rows_by_id: dict[str, TreeNode] | None = None
        self._releasing: queue.SimpleQueue | None = None  # what patches let go of (patch)
        # Labels of the rows expanded, kept as the view expands and collapses them: asking the
        # view row by row at each reload walked every built row (50,000 under "All articles")
        # through two Qt calls each, seconds of the UI thread after each edit.
        self._expanded: set[str] = set()
        self.expanded.connect(self._on_expanded)
        self.collapsed.connect(self._on_collapsed)
        self.clicked.connect(self._open)
        self.activated.connect(self._open)
        self._expand_all_articles()

    def _on_expanded(self, index: QModelIndex) -> None:
        self._expanded.add(self._model.node(index).label)

    def _on_collapsed(self, index: QModelIndex) -> None:
        self._expanded.discard(self._model.node(index).label)

    def _open(self, index: QModelIndex) -> None:
        node: TreeNode = self._model.node(index)
        if node.kind in (KIND_ARTICLE, KIND_SECTION):
            self.open_requested.emit(node.article_id, node.anchor)
        elif node.kind == KIND_PROBLEM:
            self.problem_requested.emit(node.label, node.error)

    def reload(self, root: TreeNode, rows: dict[str, TreeNode] | None = None) -> None:
        """Show a new tree, with the rows that were open opened again; `rows`: its
        article_rows(), if made already."""
        expanded, self._expanded = self._expanded, set()  # the rows expanded below add theirs
        self._rows_by_id = rows
        self._model.set_root(root)
        self._expand_all_articles()
        if not expanded:
            return
        # Level by level, so that only rows that were open before get their children built.
        level = [root]
        while level:
            below = []
            for node in level:
                for child in node.children:
                    if child.label in expanded:
                        self.expand(self._model.index_of(child))
                        below.append(child)
            level = below

    def patch(self, plan: Plan) -> None:
        """Show a changed library by changing only the rows that differ (tree_patch.py): the
        rows expanded, the selection and the scroll position stay as they are."""
        rows = self._rows_by_id
        listed = [level for level in plan.levels if level.parent.kind == KIND_ALL]
        if rows is not None:
            for level in listed:
                for start, end, _new in level.replacements:
                    for node in level.parent._children[start:end]:  # noqa: SLF001
                        if rows.get(node.article_id) is node:
                            del rows[node.article_id]
        relabelled, discarded = apply_patch(self._model, plan)
        for old_label, new_label in relabelled:
            if old_label in self._expanded:
                self._expanded.discard(old_label)
                self._expanded.add(new_label)
        # Freed in a thread, as set_root frees an old tree (a C-level cascade of deallocations);
        # one thread for the view's life: starting one waits for it to start, for the GIL.
        if self._releasing is None:
            self._releasing = queue.SimpleQueue()
            threading.Thread(
                target=_release_forever, args=(self._releasing,), name="old-rows", daemon=True
            ).start()
        self._releasing.put(discarded)
        if rows is not None:
            for level in listed:
                for _start, _end, new in level.replacements:
                    for node in new:
                        rows.setdefault(node.article_id, node)

    def _expand_all_articles(self) -> None:
        """ "All articles" starts open in a collection small enough to browse that way; laying
        out thousands of rows would cost the start-up more than it helps."""
        index = self._model.index(0, 0)
        if index.isValid() and self._model.rowCount(index) <= EXPAND_ALL_LIMIT:
            self.expand(index)

    def show_article(self, article_id: str) -> None:
        """Select the article's row under "All articles" without opening anything. With that
        row's parent collapsed it is only marked selected: making it current scrolls to it,
        and scrolling expands the parent, which lays out every row under it (50,000 rows,
        half a second) for a row the reader did not ask to see."""
        node = self._article_rows().get(article_id)
        if node is None:
            return
        index = self._model.index_of(node)
        selection = self.selectionModel()
        if not self.isExpanded(index.parent()):
            selection.select(index, selection.SelectionFlag.ClearAndSelect)
            return
        selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def _article_rows(self) -> dict[str, TreeNode]:
        """The rows under "All articles" by article id, made once per tree (a search among
        50,000 rows on every article opened was a stall of its own)."""
        if self._rows_by_id is None:
            self._rows_by_id = article_rows(self._model.root())
        return self._rows_by_id


def _release_forever(discarded: queue.SimpleQueue) -> None:  # the view's "old-rows" thread
    while True:
        release(discarded.get())


def article_rows(root: TreeNode) -> dict[str, TreeNode]:
    """The rows under "All articles" by article id (the tree's thread makes it beside the
    tree: 50,000 rows are tens of milliseconds of the UI thread)."""
    rows: dict[str, TreeNode] = {}
    children = root.children
    if children and children[0].kind == KIND_ALL:
        for node in children[0].children:
            rows.setdefault(node.article_id, node)
    return rows
