"""A changed library shown in the Topics tree as the few rows that changed, not a new tree.

After an edit the tree's thread builds the new tree (startup.py) and `plan_patch` compares it
with the one on screen, level by level over the rows built so far: rows are matched by what
they stand for (an article by its id, a topic by its name), unchanged rows are kept as they
are, and what differs becomes a short plan: rows to remove, rows to insert, rows whose text or
outline changed. `apply_patch` carries the plan out in the UI thread through the model's
begin/endRemoveRows, begin/endInsertRows and dataChanged, so the view keeps its expanded rows,
its selection and its scroll position, and nothing walks 50,000 rows there: a model reset made
the view drop and lay out everything again (140-180 ms of the UI thread at 50,000 articles).

The plan is made in the tree's thread (the comparison walks every row under "All articles");
only rows a reader has expanded are compared below the top, since the others were never
shown. A plan that would move many rows (a collection still being read) is not made: the
caller shows the new tree instead.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from viewer.core.topics import TopicNode

if TYPE_CHECKING:  # topic_tree imports this module
    from viewer.ui.topic_tree import TopicTreeModel, TreeNode

MAX_STRUCTURAL_OPS = 64  # more removals/insertions in one level: a new tree is cheaper
MAX_MOVED_ROWS = 2000  # rows removed or inserted in all: likewise
RELEASE_CHUNK = 1000  # a topic's old (article, sections) pairs freed per step


@dataclass
class Level:
    """What changes among one parent's children: (start, end, new rows) replacements, in the
    old rows' numbering, applied from the last one back so the earlier numbers stay right."""

    parent: TreeNode
    replacements: list[tuple[int, int, list[TreeNode]]] = field(default_factory=list)


@dataclass
class Plan:
    levels: list[Level] = field(default_factory=list)
    updates: list[tuple[TreeNode, TreeNode]] = field(default_factory=list)  # (shown, new)
    moved: int = 0  # rows removed plus rows inserted

    def is_empty(self) -> bool:
        return not self.updates and not any(level.replacements for level in self.levels)


def _key(node: TreeNode) -> Hashable:
    """What a row stands for, whatever its text says (a topic's label carries its count)."""
    kind = node.kind
    if kind in ("article", "section"):
        return (kind, node.article_id, node.anchor)
    if kind == "topic":
        return (kind, node.tooltip)  # the topic's name
    if kind == "problem":
        return (kind, node.label)  # the file's path
    return (kind,)


def _same_text(old: TreeNode, new: TreeNode) -> bool:
    return (
        old.label == new.label
        and old.tooltip == new.tooltip
        and old.safety == new.safety
        and old.pending == new.pending
        and old.error == new.error
    )


def _same_outline(old: TreeNode, new: TreeNode) -> bool:
    """Whether an article row shows the same outline: the library keeps the entry object of
    an unchanged file, so an identity test is enough (and costs nothing at 50,000 rows)."""
    if old.kind != "article":
        return True
    if old.source is None or new.source is None:
        return False
    return old.source[0] is new.source[0]


def _is_built(node: TreeNode) -> bool:
    return node.fill is None


def plan_patch(old_root: TreeNode, new_root: TreeNode) -> Plan | None:
    """The changes that make the tree under `old_root` show what `new_root` does; None when
    showing `new_root` instead is the better way (too much changed). Reads the old tree only."""
    plan = Plan()
    if not _plan_level(old_root, new_root, plan):
        return None
    return plan


def _opcodes(old_keys: list, new_keys: list) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two key lists, over the part between their common first and last
    keys only (after one edit, all but a row or two): SequenceMatcher itself is slow on
    50,000 keys."""
    start, limit = 0, min(len(old_keys), len(new_keys))
    while start < limit and old_keys[start] == new_keys[start]:
        start += 1
    end_old, end_new = len(old_keys), len(new_keys)
    while end_old > start and end_new > start and old_keys[end_old - 1] == new_keys[end_new - 1]:
        end_old -= 1
        end_new -= 1
    middle = SequenceMatcher(None, old_keys[start:end_old], new_keys[start:end_new], autojunk=False)
    codes = [("equal", 0, start, 0, start)] if start else []
    codes += [
        (tag, i1 + start, i2 + start, j1 + start, j2 + start)
        for tag, i1, i2, j1, j2 in middle.get_opcodes()
    ]
    if end_old < len(old_keys):
        codes.append(("equal", end_old, len(old_keys), end_new, len(new_keys)))
    return codes


def _plan_level(old_parent: TreeNode, new_parent: TreeNode, plan: Plan) -> bool:
    old_rows = list(old_parent._children)  # noqa: SLF001 - the rows built so far, as they are
    new_rows = new_parent.children
    old_keys = [_key(n) for n in old_rows]
    new_keys = [_key(n) for n in new_rows]
    level = Level(old_parent)
    pairs: list[tuple[TreeNode, TreeNode]] = []
    if old_keys == new_keys:
        pairs = list(zip(old_rows, new_rows))
    else:
        for tag, i1, i2, j1, j2 in _opcodes(old_keys, new_keys):
            if tag == "equal":
                pairs += zip(old_rows[i1:i2], new_rows[j1:j2])
            else:
                level.replacements.append((i1, i2, new_rows[j1:j2]))
                plan.moved += (i2 - i1) + (j2 - j1)
        if len(level.replacements) > MAX_STRUCTURAL_OPS or plan.moved > MAX_MOVED_ROWS:
            return False
    plan.levels.append(level)
    for old, new in pairs:
        if old.kind == "article" or not _is_built(old):
            # Its rows were never shown (or are one article's sections): they are made again
            # from the new outline when the row changed; a topic's always take the new ones.
            if old.kind == "topic" or not (_same_text(old, new) and _same_outline(old, new)):
                plan.updates.append((old, new))
            continue
        if not _same_text(old, new):
            plan.updates.append((old, new))
        if not _plan_level(old, new, plan):
            return False
    return True


def release_unused(new_root: TreeNode) -> None:
    """Free the rows of a planned-against tree that the plan does not take (the 50,000 rows
    under its "All articles"), a thousand at a time, in the thread that planned: the plan
    holds what it takes, and the rest freed at once in the UI thread was a stall of its own."""
    for node in new_root._children:  # noqa: SLF001
        if node.kind == "all":
            node.take_apart()


def apply_patch(model: TopicTreeModel, plan: Plan) -> tuple[list[tuple[str, str]], list[object]]:
    """Carry `plan` out on the tree shown by `model` (UI thread). Returns the (old, new) labels
    of rows whose label changed, so that the view can keep them expanded, and what the rows no
    longer hold (the old topics' article lists: 200,000 pairs at 50,000 articles), for the
    caller to let go of in another thread."""
    discarded: list[object] = []
    for level in plan.levels:
        for start, end, rows in reversed(level.replacements):
            discarded.append(_replace_rows(model, level.parent, start, end, rows))
    relabelled: list[tuple[str, str]] = []
    for old, new in plan.updates:
        if old.label != new.label:
            relabelled.append((old.label, new.label))
        shows_other = old.kind == "article" or not _same_text(old, new)
        old.label, old.tooltip, old.safety, old.pending, old.error = (
            new.label,
            new.tooltip,
            new.safety,
            new.pending,
            new.error,
        )
        if old.kind == "article" or not _is_built(old):
            discarded.append(old.source)
            discarded.append(_take_rows_of(model, old, new))
        if shows_other:  # (a topic's new articles, not yet shown, change nothing on screen)
            index = model.index_of(old)
            model.dataChanged.emit(index, index)
    return relabelled, discarded


def _take_rows_of(model: TopicTreeModel, old: TreeNode, new: TreeNode) -> list[TreeNode]:
    """`old` shows what `new` holds below it: lazily if its rows were never built, else the
    built rows are replaced (one article's sections, or a topic expanded meanwhile). Returns
    the rows taken out."""
    if not _is_built(old):
        old.fill, old.source = new.fill, new.source
        if _is_built(new):  # nothing lazy to take: its rows, which nobody was shown
            old.fill = None
            for child in new._children:  # noqa: SLF001
                old.add(child)
        return []
    old.source = new.source
    return _replace_rows(model, old, 0, len(old._children), list(new.children))  # noqa: SLF001


def release(discarded: list[object]) -> None:
    """Let go of what apply_patch returned, a piece at a time (run in a thread): each old
    topic's list of articles is one short cascade of deallocations, and removed rows are taken
    apart RELEASE_CHUNK at a time, so the interpreter passes to the UI thread in between."""
    while discarded:
        item = discarded.pop()
        if isinstance(item, list):
            while item:
                node = item.pop()
                node.take_apart()
                del node
        elif isinstance(item, TopicNode):
            # Only the row being patched held it (each tree makes its own topics).
            articles = item.articles
            while articles:
                del articles[-RELEASE_CHUNK:]
        del item


def _replace_rows(
    model: TopicTreeModel, parent: TreeNode, start: int, end: int, rows: list[TreeNode]
) -> list[TreeNode]:
    """Rows start..end of `parent` replaced by `rows`; returns the rows taken out."""
    children = parent._children  # noqa: SLF001 - the model's own rows
    index = model.index_of(parent)
    removed = children[start:end]
    if end > start:
        model.beginRemoveRows(index, start, end - 1)
        del children[start:end]
        _renumber(children, start)
        model.endRemoveRows()
    if rows:
        model.beginInsertRows(index, start, start + len(rows) - 1)
        parent.adopt(start, rows)
        model.endInsertRows()
    return removed


def _renumber(children: list[TreeNode], start: int) -> None:
    for row in range(start, len(children)):
        children[row]._row = row  # noqa: SLF001
