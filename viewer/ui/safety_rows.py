"""The Safety dock's rows as plain Python: category > severity > article > sentence > note.

Built from safety_passages.group_passages and patched article by article: when some articles
get their verdicts (a batch of the verdict pass) or change, only their rows are taken out and
put in again, each article placed by bisection in the library's order (title, then id), so an
update costs what the changed articles hold, not the whole collection. An article's rows are
counted from its verdicts (safety_passages.passage_counts), and its sentence rows made only
when it is opened: making every sentence's row of 10,000 articles took a second. No Qt here:
the model of safety_model.py shows these rows, and asks only for those a view lays out.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping

from viewer.core.catalogue import ArticleEntry
from viewer.core.library_order import title_order
from viewer.core.safety_categories import SEVERITIES
from viewer.ui.safety_passages import (
    NO_SEVERITY,
    Passage,
    PassageCounts,
    _category_order,
    category_title,
    group_passages,
    passage_counts,
)

# (article id, section anchor, paragraph index, sentence start): where a sentence is
SentencePlace = tuple[str, str, int, int]
_SEVERITY_ORDER = {severity: n for n, severity in enumerate([*SEVERITIES, NO_SEVERITY])}


class Node:
    """A row: its parent, its children, and its place among its parent's children (`row`,
    numbered again only when asked after a change: an update may insert a thousand rows
    among ten thousand, and renumbering after each would cost their product)."""

    __slots__ = ("parent", "children", "row", "numbered")

    def __init__(self, parent: Node | None) -> None:
        self.parent = parent
        self.children: list[Node] = []
        self.row = 0
        self.numbered = False  # (its children are numbered when first asked)

    def changed(self) -> None:
        """Its children were added, removed or moved: their rows are numbered when next asked."""
        self.numbered = False

    def position(self) -> int:
        parent = self.parent
        if parent is not None and not parent.numbered:
            for n, child in enumerate(parent.children):
                child.row = n
            parent.numbered = True
        return self.row

    def attached(self, root: Node) -> bool:
        """Whether this row is still in the tree of `root` (not taken out by an update)."""
        node: Node | None = self
        while node is not None and node is not root:
            parent = node.parent
            if parent is None or node.position() >= len(parent.children):
                return False
            if parent.children[node.row] is not node:
                return False
            node = parent
        return node is root


class MessageRow(Node):
    """The first row while the list is not complete, or when nothing is flagged."""

    __slots__ = ("text",)

    def __init__(self, parent: Node, text: str) -> None:
        super().__init__(parent)
        self.text = text


class CategoryRow(Node):
    __slots__ = ("category", "label", "passages", "whole", "articles")

    def __init__(self, parent: Node, category: str, label: str) -> None:
        super().__init__(parent)
        self.category, self.label = category, label
        self.passages = 0  # rows under it (a sentence with two categories is in both)
        self.whole = 0  # of them, whole passages (no sentence verdict): "passages", not "warnings"
        self.articles: dict[str, int] = {}  # article id -> its severity rows here

    @property
    def order(self) -> tuple[int, str]:
        return _category_order(self.category)


class SeverityRow(Node):
    __slots__ = ("severity", "passages", "keys")

    def __init__(self, parent: CategoryRow, severity: str) -> None:
        super().__init__(parent)
        self.severity = severity
        self.passages = 0
        # Its articles' title_order keys, beside its children: bisected in C without a key
        # function (called 13 times per insertion among 8,000 articles, it was a third of a batch)
        self.keys: list[tuple] = []


class ArticleRow(Node):
    """An article under one severity of one category; its sentence rows are made when first
    asked for (`SafetyRows.children_of`): most articles of a large collection are never opened."""

    __slots__ = ("entry", "key", "count", "made")

    def __init__(self, parent: SeverityRow, entry: ArticleEntry, key: tuple, count: int) -> None:
        # (Node's fields set here, not by super(): a batch makes thousands of these.)
        self.parent, self.children, self.row, self.numbered = parent, [], 0, False
        self.entry, self.key, self.count = entry, key, count
        self.made = False

    @property
    def article_id(self) -> str:
        return self.entry.id

    @property
    def title(self) -> str:
        return self.entry.title


class PassageRow(Node):
    __slots__ = ("passage", "category", "shown")

    def __init__(self, parent: ArticleRow, passage: Passage, category: str) -> None:
        super().__init__(parent)
        self.passage, self.category = passage, category
        self.shown: object = None  # what the delegate draws (made when first asked, then kept)

    @property
    def place(self) -> SentencePlace | None:
        p = self.passage
        return (p.article_id, p.anchor, p.paragraph, p.start) if p.is_sentence else None


class NoteRow(Node):
    __slots__ = ("ident", "note")

    def __init__(self, parent: PassageRow, ident: str, note: str) -> None:
        super().__init__(parent)
        self.ident, self.note = ident, note


class SafetyRows:
    """Every row of the panel, with the articles they came from (see the module docstring)."""

    def __init__(self) -> None:
        self.root = Node(None)
        self.message: MessageRow | None = None
        self.entries: dict[str, ArticleEntry] = {}  # article id -> the entry its rows are of
        self.pending = 0  # of them, read without their verdicts (not checked yet)
        self._categories: dict[str, CategoryRow] = {}
        self._articles: dict[str, list[ArticleRow]] = {}  # article id -> its rows, everywhere
        self.notes: dict[SentencePlace, list[tuple[str, str]]] = {}  # -> [(highlight id, note)]
        # Rows taken out since the model last looked: it keeps them alive a while longer (an
        # index is a bare pointer to its row).
        self.retired: list[Node] = []

    def categories(self) -> list[CategoryRow]:
        return [c for c in self.root.children if isinstance(c, CategoryRow)]

    def children_of(self, node: Node) -> list[Node]:
        """A row's children, an article's sentence rows made now if they were not yet."""
        if isinstance(node, ArticleRow) and not node.made:
            self._make_passages(node)
        return node.children

    def set_message(self, text: str | None) -> None:
        """The first row's text, or no first row (None)."""
        if text is None:
            if self.message is not None:
                self.root.children.remove(self.message)
                self.root.changed()
                self.message.parent = None
                self.retired.append(self.message)
                self.message = None
            return
        if self.message is None:
            self.message = MessageRow(self.root, text)
            self.root.children.insert(0, self.message)
            self.root.changed()
        self.message.text = text

    def update(
        self,
        come: Iterable[ArticleEntry],
        gone: Iterable[str] = (),
        counted: Mapping[str, PassageCounts] | None = None,
    ) -> list[Node]:
        """The rows of the articles `come` (new, or replacing what they had) and none for the
        ids `gone`; returns the rows made (category, severity and article rows), so that the
        panel can open the new ones as it opens new rows. `counted`: the passage_counts of
        entries of `come` by id, if known (worked out in the verdict pass's thread)."""
        come = list(come)
        entries = self.entries
        for article_id in [*gone, *(e.id for e in come)]:
            self._take_out(article_id)
            old = entries.pop(article_id, None)
            self.pending -= old is not None and old.pending
        made: list[Node] = []
        counted = counted or {}
        # (category, severity) -> [(title order, entry, count)]: each severity's new rows at once
        listed: dict[tuple[str, str], list[tuple[tuple, ArticleEntry, int]]] = {}
        for entry in come:
            entries[entry.id] = entry
            self.pending += entry.pending
            counts = counted.get(entry.id)
            if counts is None:
                counts = passage_counts(entry)
            if counts:
                key = title_order(entry)
                for pair, count in counts.items():
                    listed.setdefault(pair, []).append((key, entry, count))
        for (category, severity), new in listed.items():
            category_row = self._category(category, made)
            self._add(self._severity(category_row, severity, made), new, made)
        return made

    def _add(
        self, severity: SeverityRow, new: list[tuple[tuple, ArticleEntry, int]], made: list[Node]
    ) -> None:
        """Article rows into a severity, in the library's order (title, then id)."""
        category = severity.parent
        assert isinstance(category, CategoryRow)  # noqa: S101 - a severity is in a category
        articles, everywhere = category.articles, self._articles
        keys, children = severity.keys, severity.children
        rows = []
        for key, entry, count in new:
            row = ArticleRow(severity, entry, key, count)
            rows.append(row)
            articles[entry.id] = articles.get(entry.id, 0) + 1
            everywhere.setdefault(entry.id, []).append(row)
        # Each by bisection: sorting the rows of 10,000 articles again, or merging the new ones
        # in (which touches every row), was slower than a list insertion each, even for 1,000.
        for row in rows:
            at = bisect_left(keys, row.key)
            keys.insert(at, row.key)
            children.insert(at, row)
        total = sum(row.count for row in rows)
        severity.passages += total
        category.passages += total
        if severity.severity == NO_SEVERITY:
            category.whole += total
        severity.changed()
        made += rows

    def _category(self, category: str, made: list[Node]) -> CategoryRow:
        found = self._categories.get(category)
        if found is not None:
            return found
        found = self._categories[category] = CategoryRow(
            self.root, category, category_title(category)
        )
        orders = [r.order for r in self.categories()]
        at = bisect_left(orders, found.order) + (self.message is not None)
        self.root.children.insert(at, found)
        self.root.changed()
        made.append(found)
        return found

    def _severity(self, category: CategoryRow, severity: str, made: list[Node]) -> SeverityRow:
        for row in category.children:
            if row.severity == severity:  # type: ignore[attr-defined]
                return row  # type: ignore[return-value]
        found = SeverityRow(category, severity)
        orders = [_SEVERITY_ORDER[r.severity] for r in category.children]  # type: ignore[attr-defined]
        category.children.insert(bisect_left(orders, _SEVERITY_ORDER[severity]), found)
        category.changed()
        made.append(found)
        return found

    def _make_passages(self, row: ArticleRow) -> None:
        severity = row.parent
        assert isinstance(severity, SeverityRow)  # noqa: S101 - an article is in a severity
        category = severity.parent
        assert isinstance(category, CategoryRow)  # noqa: S101 - a severity is in a category
        row.made = True
        for group in group_passages([row.entry]):
            if group.category != category.category:
                continue
            for passage in group.passages:
                if passage.severity == severity.severity:
                    passage_row = PassageRow(row, passage, category.category)
                    row.children.append(passage_row)
                    place = passage_row.place
                    if place is not None and place in self.notes:
                        self._put_notes(passage_row, self.notes[place])
        row.changed()

    def _take_out(self, article_id: str) -> None:
        for row in self._articles.pop(article_id, []):
            self.retired.append(row)
            severity = row.parent
            assert isinstance(severity, SeverityRow)  # noqa: S101 - an article is in a severity
            category = severity.parent
            assert isinstance(category, CategoryRow)  # noqa: S101 - a severity is in a category
            at = bisect_left(severity.keys, row.key)
            if not (at < len(severity.children) and severity.children[at] is row):
                at = severity.children.index(row)  # (not where its key puts it: the slow way)
            del severity.children[at]
            del severity.keys[at]
            severity.changed()
            severity.passages -= row.count
            category.passages -= row.count
            if severity.severity == NO_SEVERITY:
                category.whole -= row.count
            left = category.articles.pop(article_id) - 1
            if left:
                category.articles[article_id] = left
            if not severity.children:
                category.children.remove(severity)
                category.changed()
            if not category.children:
                self.root.children.remove(category)
                self.root.changed()
                del self._categories[category.category]

    def articles_of(self, article_id: str) -> list[ArticleRow]:
        """The article's rows (one per category and severity it has warnings in)."""
        return list(self._articles.get(article_id, []))

    def passage_rows(self, place: SentencePlace) -> list[PassageRow]:
        """The sentence rows made so far of the sentence at `place` (one per category)."""
        return [
            child
            for row in self._articles.get(place[0], [])
            if row.made
            for child in row.children
            if isinstance(child, PassageRow) and child.place == place
        ]

    def set_notes(self, place: SentencePlace, notes: list[tuple[str, str]]) -> list[PassageRow]:
        """The notes on one sentence (kept for rows made later too); the rows that show it."""
        if notes:
            self.notes[place] = list(notes)
        else:
            self.notes.pop(place, None)
        rows = self.passage_rows(place)
        for row in rows:
            self._put_notes(row, notes)
        return rows

    def _put_notes(self, row: PassageRow, notes: list[tuple[str, str]]) -> None:
        for old in row.children:
            old.parent = None
        self.retired += row.children
        row.children = [NoteRow(row, ident, note) for ident, note in notes]
        row.changed()
