"""The Safety dock: every warning sentence in the collection, by category, severity, article.

Each row shows its section heading over the sentence, led by its severity glyph; activating
it opens the article there with the whole sentence (or, without sentence verdicts, the whole
passage) marked. Built from the classifier's verdicts kept in the catalogue (see
viewer/ui/safety_passages.py); when nothing is flagged, the dock says so. A legend under the
list explains the marks of the reading pane: the Safety box, the tagged passage, and the glyph
and style of each severity. The reader's notes on a warning sentence are rows under it (given by
`set_notes`, kept when the rows are built again). Every tooltip is plain text (article text and
notes never become markup).

The rows are a lazy model (safety_model.py over the plain rows of safety_rows.py): a library
shown again is compared with the one shown, entry by entry, and only the rows of the articles
that changed are made again (a batch of the verdict pass: its articles), so the panel can
follow the verdict pass as it goes; what the reader opened, selected and scrolled to stays.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from viewer.core.catalogue import ArticleEntry
from viewer.core.library import Library
from viewer.core.safety_categories import SEVERITIES, SEVERITY_LABELS
from viewer.render.sentence_marks import SEVERITY_GLYPHS, SEVERITY_MEANINGS, SEVERITY_STYLES
from viewer.ui.hit_delegate import HitDelegate, RichTreeView
from viewer.ui.safety_model import (  # noqa: F401 - the roles are the panel's to name (tests)
    CATEGORY_ROLE,
    NOTE_GLYPH,
    NOTE_ROLE,
    PASSAGE_ROLE,
    ROW_EXCERPT_CHARS,
    SAFETY_GLYPH,
    SEVERITY_ROLE,
    SafetyModel,
)
from viewer.ui.safety_passages import Passage, PassageCounts
from viewer.ui.safety_rows import (
    ArticleRow,
    CategoryRow,
    Node,
    PassageRow,
    SafetyRows,
    SeverityRow,
)

INTRO = (
    "Every warning about side effects, dosage, dependence, interactions, supervision, "
    "legal status or product quality, by category and severity. Select one to read it in place."
)
NOTHING_FLAGGED = "No safety passages were found in this collection."


def still_checking(pending: int, counted: bool = True) -> str:
    """The first row while articles are not checked yet: being read for the first time, or
    waiting for the verdict pass (viewer/ui/verdicts.py)."""
    if not counted:
        return "Still checking: the collection is still being read; this list is not complete."
    noun = "article is" if pending == 1 else "articles are"
    return f"Still checking: {pending:,} {noun} not checked for safety passages yet."


def legend_html() -> str:
    """The legend, as rich text made only of our own words (no article text), each severity
    shown in the style the reading pane gives it."""
    styles = {
        "warning": "font-weight:700; text-decoration:underline",
        "caution": "text-decoration:underline",
        "advice": "font-style:italic",
    }
    rows = [
        f"<b>{SAFETY_GLYPH} Safety</b> box: a whole section about safety, bordered, its label "
        "naming the categories.",
        # (No row for the side-barred passage tag: a section holding a warning sentence is a
        # safety box, so the tag is never drawn and the legend must not promise it.)
        "Inside it, each warning sentence is marked:",
    ]
    for severity in SEVERITIES:
        label = html.escape(SEVERITY_LABELS[severity])
        rows.append(
            f"&nbsp;&nbsp;<b>{SEVERITY_GLYPHS[severity]}</b> <span style='{styles[severity]}'>{label}</span>"
            f" ({html.escape(SEVERITY_STYLES[severity])}): {html.escape(SEVERITY_MEANINGS[severity])}"
        )
    rows.append("Point at or click a mark in the article to see why it is marked.")
    return "<p style='margin:0'><b>What the marks mean</b></p>" + "".join(
        f"<p style='margin:0 0 3px 0'>{row}</p>" for row in rows
    )


# A severity's articles are shown open while it lists at most this many: each open row is laid
# out (and measured: rich text) on every change, and a collection of 10,000 lists thousands.
OPEN_ARTICLES = 30
# A library shown again is patched (only its changed articles' rows made again) unless more than
# this share of its articles changed: then all rows are made again, which is as quick.
PATCH_SHARE = 0.5
# Verdicts of the pass shown per turn of the event loop (a few ms of the UI thread each).
VERDICT_CHUNK = 200
RowKey = tuple  # what names a row across rebuilds (see _key)


def _key(node: Node) -> RowKey | None:
    """A row's name that a rebuild keeps: its category, severity, article, sentence."""
    if isinstance(node, CategoryRow):
        return ("category", node.category)
    if isinstance(node, SeverityRow):
        return ("severity", node.parent.category, node.severity)  # type: ignore[union-attr]
    if isinstance(node, ArticleRow):
        severity = node.parent
        assert isinstance(severity, SeverityRow)  # noqa: S101 - an article is in a severity
        return ("article", severity.parent.category, severity.severity, node.article_id)  # type: ignore[union-attr]
    if isinstance(node, PassageRow):
        p = node.passage
        return ("passage", node.category, p.article_id, p.anchor, p.paragraph, p.start, p.text)
    return None


class SafetyOverview(QWidget):
    """Category -> article -> passages; emits where a chosen passage lives."""

    # article id, anchor, text to mark ("" for a section), whether it is a passage's start only
    passage_requested = Signal(str, str, str, bool)
    note_requested = Signal(str)  # the id of the highlight a note row belongs to

    def __init__(self, marker: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyOverview")
        self._marker = marker
        self._pending: tuple[Library | None] | None = None  # a library not yet shown (show_library)
        self._root: object = None  # the folder of the library the rows are of
        # Of that library: whether there is one, and its files not read yet (Library.unread).
        self._library = False
        self._unread: int | None = 0
        # The rows the reader (or the panel) opened and closed, by name: kept across rebuilds.
        self._open: set[RowKey] = set()
        self._closed: set[RowKey] = set()
        self._auto: set[RowKey] = set()  # opened by default (so closed by default when grown)
        self._defaults = False  # opening rows by default now (not the reader)
        # Verdicts of the pass not shown yet (show_verdicts), with their counts, by id.
        self._queued: list[ArticleEntry] = []
        self._counted: dict[str, PassageCounts] = {}
        self._draining = False  # a turn of the event loop will show more of them
        self.intro = QLabel(INTRO, self)
        self.intro.setWordWrap(True)
        self.model = SafetyModel(marker, self)
        self.tree = RichTreeView(self)
        self.tree.setObjectName("safetyTree")
        self.tree.setAccessibleName("Safety passages by category")
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(HitDelegate(self.tree, marker, marker_column=False))
        self.tree.setIndentation(14)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the counts at the end
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.legend = QLabel(legend_html(), self)
        self.legend.setObjectName("safetyLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Legend of the safety marks")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.legend)
        self.tree.clicked.connect(self._activate)
        self.tree.activated.connect(self._activate)
        self.tree.expanded.connect(lambda index: self._opened(index, True))
        self.tree.collapsed.connect(lambda index: self._opened(index, False))

    def show_library(self, library: Library | None) -> None:
        """Show this library's passages: now if the dock is on screen, else when it first is
        (a tab most starts never open). A library like the one shown (the verdict pass's
        next, an edit) changes only the rows of its changed articles."""
        self._pending = (library,)
        # A dock behind another's tab counts as visible, but has nothing on screen.
        if self.isVisible() and not self.visibleRegion().isEmpty():
            self.build_pending()

    def build_pending(self) -> None:
        """Build the rows of a library given to show_library while off screen (the window calls
        this when the dock comes to the front)."""
        if self._pending is not None:
            (library,), self._pending = self._pending, None
            self._build(library)

    def _build(self, library: Library | None) -> None:
        # The window's library holds every verdict the pass gave so far (verdicts.py takes a
        # batch into its records before the panel sees it): the queue has nothing newer.
        self._queued, self._counted = [], {}
        entries = library.entries if library is not None else []
        rows = self.model.rows
        shown = rows.entries
        if library is not None and shown and library.root == self._root:
            come = [e for e in entries if shown.get(e.id) is not e]
            # The same ids as shown, unless the count differs or one changed is new.
            same = len(shown) == len(entries) and all(e.id in shown for e in come)
            gone = set() if same else shown.keys() - {e.id for e in entries}
            if len(come) + len(gone) <= PATCH_SHARE * max(len(entries), 1):
                self._unread = library.unread
                self._patch(come, gone)
                return
        self._root = library.root if library is not None else None
        self._library = library is not None
        self._unread = library.unread if library is not None else 0
        self._rebuild(entries)

    def show_verdicts(
        self, entries: list[ArticleEntry], counted: Mapping[str, PassageCounts] | None = None
    ) -> None:
        """The entries of a batch of the verdict pass (`counted`: their passage_counts by id,
        worked out in its thread), shown in the rows now: the window shows its library only
        every few seconds on a large collection, and the Safety panel follows the pass as it
        goes. Before the rows of a library are built, the library brings them."""
        if self._pending is not None or not self.model.rows.entries:
            return
        self._queued += entries
        self._counted.update(counted or {})
        self._show_queued()

    def _show_queued(self) -> None:
        """Some of the verdicts queued now (VERDICT_CHUNK articles), the rest in later turns of
        the event loop: a batch of 1,000 at once held the UI thread 30-50 ms, and a chunk holds
        it a few, the reader's clicks and keys handled in between."""
        chunk, self._queued = self._queued[:VERDICT_CHUNK], self._queued[VERDICT_CHUNK:]
        counted = {e.id: c for e in chunk if (c := self._counted.pop(e.id, None)) is not None}
        shown = self.model.rows.entries
        self._patch([e for e in chunk if shown.get(e.id) is not e], (), counted)
        if self._queued and not self._draining:
            self._draining = True
            QTimer.singleShot(0, self._next_chunk)

    def _next_chunk(self) -> None:
        self._draining = False
        if self._queued:
            self._show_queued()

    def _patch(
        self,
        come: list[ArticleEntry],
        gone: Iterable[str],
        counted: Mapping[str, PassageCounts] | None = None,
    ) -> None:
        """Only the rows of the articles `come` and `gone` change; the rest stay as they are."""
        anchor = self._scroll_anchor()
        with self.model.changing() as rows:
            made = rows.update(come, gone, counted)
            rows.set_message(self._message(rows))
        self._open_new(made)
        self._keep_scroll(anchor)

    def _rebuild(self, entries: list[ArticleEntry]) -> None:
        current = self.tree.currentIndex()
        selected = _key(self.model.node(current)) if current.isValid() else None
        rows = SafetyRows()
        rows.notes = self.model.rows.notes  # (the notes are the reader's, not the library's)
        made = rows.update(entries)
        rows.set_message(self._message(rows))
        self.model.reset(rows)
        self._open_new(made)
        if selected is not None and (found := self._find(selected)) is not None:
            self.tree.setCurrentIndex(self.model.index_of(found))

    def _message(self, rows: SafetyRows) -> str | None:
        """The first row: how many are not checked yet (as Library.unchecked counts them, of
        the entries shown: a batch of verdicts may be ahead of the window's library)."""
        # Not read yet, or read without their verdicts (a first launch): not the whole story,
        # and never "nothing found".
        if self._library:
            pending = rows.pending + (self._unread if self._unread is not None else 1)
            if pending:
                return still_checking(pending, self._unread is not None)
        return None if rows.categories() else NOTHING_FLAGGED

    def _open_new(self, made: list[Node]) -> None:
        """Open the new rows the reader had open (by name), and by default: the first category
        (when none is open), and the severities and articles of a group listing few articles
        (every row open is laid out and measured on each change; 10,000 articles list thousands
        under one severity, which the reader opens if they want them)."""
        rows = self.model.rows
        categories = rows.categories()
        opened_before = self._open | self._auto
        any_open = any(("category", c.category) in opened_before for c in categories)
        noted = {place[0] for place in rows.notes}
        # Whether the reader ever opened or closed an article row: else a big group's new
        # article rows need no look (they start closed), and a batch makes thousands.
        chosen = any(k[0] == "article" for k in self._open) or any(
            k[0] == "article" for k in self._closed
        )
        grown: set[Node] = set()
        self._defaults = True  # (what opens now is the panel's doing, not the reader's)
        try:
            for node in made:
                if isinstance(node, ArticleRow):
                    severity = node.parent
                    grown.add(severity)  # type: ignore[arg-type]
                    big = len(severity.children) > OPEN_ARTICLES  # type: ignore[union-attr]
                    if big and not chosen and node.article_id not in noted:
                        continue
                key = _key(node)
                if key in self._closed:
                    continue
                if key in self._open:
                    opened = True
                elif isinstance(node, CategoryRow):
                    opened = not any_open and node is categories[0]
                elif isinstance(node, SeverityRow):
                    opened = len(node.children) <= OPEN_ARTICLES
                elif isinstance(node, ArticleRow):
                    opened = len(node.parent.children) <= OPEN_ARTICLES  # type: ignore[union-attr]
                else:
                    opened = True
                if opened:
                    self.tree.setExpanded(self.model.index_of(node), True)
                if isinstance(node, ArticleRow) and node.article_id in noted:
                    self._open_noted(node)
            for severity in grown:  # opened by the panel while it listed few: not any more
                key = _key(severity)
                if key in self._auto and len(severity.children) > OPEN_ARTICLES:
                    self.tree.setExpanded(self.model.index_of(severity), False)
        finally:
            self._defaults = False

    def _open_noted(self, article: ArticleRow) -> None:
        """A sentence with notes shows them (its article's rows made now, if they were not)."""
        for passage in self.model.rows.children_of(article):
            if passage.children and _key(passage) not in self._closed:
                self.tree.setExpanded(self.model.index_of(passage), True)

    def _opened(self, index: QModelIndex, opened: bool) -> None:
        node = self.model.node(index)
        key = _key(node)
        if key is None:
            return
        if self._defaults:  # the panel's default: a reader's choice is kept over it
            (self._auto.add if opened else self._auto.discard)(key)
            if not opened:
                self._open.discard(key)
            return
        self._auto.discard(key)
        (self._open if opened else self._closed).add(key)
        (self._closed if opened else self._open).discard(key)
        if opened and isinstance(node, ArticleRow):
            self._open_noted(node)

    def _find(self, key: RowKey) -> Node | None:
        """The row named `key` now, if there is one."""
        rows = self.model.rows
        if key[0] in ("category", "severity"):
            for category in rows.categories():
                if category.category == key[1]:
                    if key[0] == "category":
                        return category
                    return next((s for s in category.children if _key(s) == key), None)
            return None
        for article in rows.articles_of(key[3] if key[0] == "article" else key[2]):
            if key[0] == "article" and _key(article) == key:
                return article
            if key[0] == "passage":
                found = [p for p in rows.children_of(article) if _key(p) == key]
                if found:
                    return found[0]
        return None

    def _scroll_anchor(self) -> tuple[Node, int] | None:
        """The row at the top of the list and where it is, when the list is scrolled: rows
        put in above it must not move what the reader is looking at."""
        if self.tree.verticalScrollBar().value() == 0:
            return None
        top = self.tree.indexAt(QPoint(1, 1))
        if not top.isValid():
            return None
        return self.model.node(top), self.tree.visualRect(top).top()

    def _keep_scroll(self, anchor: tuple[Node, int] | None) -> None:
        if anchor is None:
            return
        node, top = anchor
        if not node.attached(self.model.rows.root):
            return
        self.tree.doItemsLayout()  # (the layout the change asked for, now rather than later)
        moved = self.tree.visualRect(self.model.index_of(node)).top() - top
        bar = self.tree.verticalScrollBar()
        bar.setValue(bar.value() + moved)

    def set_notes(
        self, article_id: str, notes: dict[tuple[str, int, int], list[tuple[str, str]]]
    ) -> None:
        """The notes now on the warning sentences of one article: (anchor, paragraph, sentence
        start) -> [(highlight id, note text)]. Replaces what that article had."""
        rows = self.model.rows
        given = {(article_id, *where): list(listed) for where, listed in notes.items() if listed}
        places = {p for p in rows.notes if p[0] == article_id} | set(given)
        with self.model.changing():
            changed = [
                row for place in places for row in rows.set_notes(place, given.get(place, []))
            ]
        for row in changed:
            if row.children:
                self.tree.setExpanded(self.model.index_of(row), True)

    def note_rows(self) -> list[tuple[str, str]]:
        """(sentence, note row text) for every note shown, in panel order (tests, accessibility)."""
        model = self.model
        return [
            (index.data(PASSAGE_ROLE).text, model.index(r, 0, index).data())
            for index in self.passage_indexes()
            for r in range(model.rowCount(index))
        ]

    def category_count(self) -> int:
        self.build_pending()
        return len(self.model.rows.categories())

    def passage_indexes(self) -> list[QModelIndex]:
        """Every sentence (or passage) row, in panel order."""
        self.build_pending()
        index_of = self.model.index_of
        return [
            index_of(passage)
            for category in self.model.rows.categories()
            for severity in category.children
            for article in severity.children
            for passage in self.model.rows.children_of(article)
        ]

    def _activate(self, index: QModelIndex) -> None:
        if index.data(NOTE_ROLE):
            self.note_requested.emit(index.data(NOTE_ROLE))
            return
        passage: Passage | None = index.data(PASSAGE_ROLE)
        if passage is None:
            return
        text = passage.text if passage.paragraph >= 0 else ""
        # A sentence is marked as it is; a passage known by its start, to its paragraph's end.
        self.passage_requested.emit(
            passage.article_id, passage.anchor, text, not passage.is_sentence
        )
