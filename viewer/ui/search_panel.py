"""The Search dock: a query box, a "Safety only" filter, and results grouped by article.

The "Notes" scope searches the reader's notes and highlights instead (viewer/ui/note_search.py,
through the `note_source` the reading tools set); its rows open the article at the highlight.

Search runs as you type (debounced ~150 ms) through `SearchService` workers. Each result shows
the section heading, a snippet with the matched words in bold and the safety marker; a line
above says how many were found, "Showing results for …" when a typo was corrected, or that the
index is still being built. Activating a result asks the window to open it.

On a first launch the index is written before the safety verdicts (viewer/ui/verdicts.py), and
takes them only after the whole verdict pass. Meanwhile the rows' marks follow the window's
library (search_results.hit_safety: "checking safety…" for an article not checked yet), and
"Safety passages only" is not the index's filter, which would hide every article not checked
yet and say "no safety passages": the query is searched unfiltered and the panel keeps the
sections the library knows are about safety and, marked "checking safety…", those of articles
not checked yet, saying how many are still being checked. Each batch of verdicts updates the
marks in place, and such a filtered list is searched again (`verdicts_changed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from viewer.ui import note_search
from viewer.ui import search_results as sr
from viewer.ui.hit_delegate import HIT_ROLE, UNCHECKED_ROLE, HitDelegate, RichTreeView
from viewer.ui.plain_text import plain_label, tooltip_text
from viewer.ui.search_worker import DEFAULT_LIMIT, SearchService

if TYPE_CHECKING:  # viewer.search (and Whoosh) load in the workers, not at start-up
    from viewer.core.library import Library
    from viewer.search.results import SearchResult

DEBOUNCE_MS = 150
NOTE_ROWS = 200  # notes and highlights listed at most
# Matches searched when "Safety passages only" is filtered here (the index's marks lag the
# verdicts): the sections checked and not about safety are left out of them.
FILTERED_HERE_LIMIT = 4 * DEFAULT_LIMIT
TIPS = (
    "Tips: “exact phrase”, word OR word, -word to exclude, title:word, section:word. "
    "Misspellings are corrected."
)


class SearchField(QLineEdit):
    """Down arrow or Enter moves to the results; Escape clears the query."""

    to_results = Signal()

    def event(self, event) -> bool:  # noqa: D401 - Qt override
        # Escape clears a typed query here rather than triggering the window's Escape action.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and event.key() == Qt.Key.Key_Escape
            and self.text()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_results.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Query box, filter and grouped results."""

    hit_activated = Signal(str, str, list)  # article id, anchor, words to highlight
    results_shown = Signal()  # a query's results (or its empty state) are on screen
    note_activated = Signal(str)  # the id of a highlight found in the Notes scope

    def __init__(
        self, service: SearchService, marker: QIcon, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._service = service
        # The window's library, whose verdicts the rows' safety marks follow (set by the window).
        self.library: Callable[[], Library | None] = lambda: None
        # Whether the index's safety marks may lag the library's verdicts (set by the window).
        self.marks_behind: Callable[[], bool] = lambda: False
        self._filter_here = False  # the results asked for are filtered by the panel
        self._keep_scroll: int | None = None  # where the list was, searched again for verdicts
        self._last_result: SearchResult | None = None
        self.field = SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setAccessibleName("Search all articles")
        self.field.setPlaceholderText("Search all articles")
        self.field.setClearButtonEnabled(True)
        self.safety_only = QCheckBox("Safety passages only", self)
        self.safety_only.setObjectName("safetyOnly")
        self.safety_only.setAccessibleName("Show only safety passages")
        self.safety_only.setToolTip(
            "Only sections about side effects, dosage, interactions and other cautions"
        )
        self.notes_scope = QCheckBox("Notes", self)
        self.notes_scope.setObjectName("notesScope")
        self.notes_scope.setAccessibleName(
            "Search your notes and highlights instead of the articles"
        )
        self.notes_scope.setToolTip(
            "Search your notes and the text of your highlights instead of the articles"
        )
        self.note_source: note_search.NoteSource | None = None
        self.correction = plain_label(QLabel(self))  # quotes the query
        self.correction.setObjectName("searchCorrection")
        self.correction.setWordWrap(True)
        self.correction.hide()
        self.status = plain_label(QLabel(self))
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")
        self.tips = QLabel(TIPS, self)
        self.tips.setObjectName("searchTips")
        self.tips.setWordWrap(True)
        # Quieter than the results, but not "disabled" grey (1.6:1): the palette's muted text.
        self.tips.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model = QStandardItemModel(self)
        self.results = RichTreeView(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setHeaderHidden(True)
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results, marker))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # A scroll bar that appears once the rows are laid out narrows them, and every rich row
        # is measured again: with it always there, a result list is laid out once (stalls).
        self.results.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.results.setIndentation(12)
        # Article rows end with their hit count: shorten long titles in the middle to keep it.
        self.results.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.results.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.field)
        layout.addWidget(self.safety_only)
        layout.addWidget(self.notes_scope)  # its own line: side by side they widen the dock
        layout.addWidget(self.correction)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.tips)
        layout.addStretch(0)  # takes the space while the results list is hidden

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.to_results.connect(self._focus_results)
        self.safety_only.toggled.connect(lambda _on: self.run_now())
        self.notes_scope.toggled.connect(self._scope_changed)
        self.results.clicked.connect(self._activate)
        self.results.activated.connect(self._activate)
        service.results_ready.connect(self._show_results)
        service.search_failed.connect(self._show_failure)
        service.index_ready.connect(self.run_now)
        service.index_failed.connect(lambda _message: self.run_now())
        self._show_status(sr.summary_line("", 0, 0, 0, indexing=service.is_indexing()))

    def set_query(self, text: str) -> None:
        """Put a query in the box and search at once (used by --search and tests)."""
        blocked = self.field.blockSignals(True)
        self.field.setText(text)
        self.field.blockSignals(blocked)
        self.run_now()

    def query(self) -> str:
        return self.field.text()

    def run_now(self) -> None:
        self._timer.stop()
        query = self.field.text()
        if not query.strip():
            self.model.clear()
            self._last_result = None
            self.correction.hide()
            self._set_has_results(False)
            self._show_status(sr.summary_line("", 0, 0, 0, indexing=self._service.is_indexing()))
            self.results_shown.emit()
            return
        if self.notes_scope.isChecked():
            self._show_notes(query)
            return
        safety_only = self.safety_only.isChecked()
        self._filter_here = safety_only and self.marks_behind()
        limit = FILTERED_HERE_LIMIT if self._filter_here else DEFAULT_LIMIT
        if self._service.search(query, safety_only and not self._filter_here, limit):
            return  # results arrive through _show_results
        if self._service.is_indexing():
            self._show_status(
                f"Still indexing… “{query.strip()}” will be searched when the index is ready."
            )
        else:
            reason = self._service.error or "the search index could not be opened"
            self._show_status(sr.INDEX_UNAVAILABLE.format(reason=reason))
            self.results_shown.emit()

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    def _set_has_results(self, has: bool) -> None:
        self.results.setVisible(has)
        self.tips.setVisible(not has)

    def _show_failure(self, query: str, message: str) -> None:
        self.model.clear()
        self._set_has_results(False)
        self.correction.hide()
        self._show_status(f"Could not search for “{query.strip()}”: {message}")
        self.results_shown.emit()

    def _scope_changed(self, notes: bool) -> None:
        self.safety_only.setEnabled(not notes)  # notes have no safety filter of their own
        self.field.setPlaceholderText(
            "Search your notes and highlights" if notes else "Search all articles"
        )
        self.run_now()

    def _show_notes(self, query: str) -> None:
        hits = self.note_source(query)[: NOTE_ROWS + 1] if self.note_source is not None else []
        more, hits = len(hits) > NOTE_ROWS, hits[:NOTE_ROWS]
        self._last_result = None
        self.correction.hide()
        articles = note_search.fill(self.model, hits, query)
        self.results.expandAll()
        self._set_has_results(bool(hits))
        self._show_status(note_search.summary(query, len(hits), articles, more))
        self.results_shown.emit()

    def _show_results(self, query: str, safety_only: bool, result: SearchResult) -> None:
        if self.notes_scope.isChecked():
            return  # a section search that finished after the scope changed to notes
        self._last_result = result
        hits = list(result.hits)
        library = self.library()
        filtered = None
        if self._filter_here and self.safety_only.isChecked():
            filtered = sr.safety_filtered(library, hits)
            hits = filtered.safe + filtered.unchecked
        groups = sr.group_hits(hits)
        self.model.clear()
        for group in groups:
            title = QStandardItem(f"{group.title}  ({len(group.hits)})")
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            title.setData(group.article_id, Qt.ItemDataRole.UserRole)
            title.setToolTip(tooltip_text(group.title))
            for hit in group.hits:
                row = QStandardItem(hit.section)
                _mark_row(row, hit, sr.hit_safety(library, hit))
                row.setToolTip(tooltip_text(f"{group.title} — {hit.section}"))
                title.appendRow(row)
            self.model.appendRow(title)
        self.results.expandAll()
        total = result.total
        line = sr.correction_line(query, result.corrected)
        notes = [str(note) for note in result.notes]
        line = " ".join([line] + notes).strip()
        self.correction.setText(line)
        self.correction.setVisible(bool(line))
        self._set_has_results(bool(hits))
        indexing = self._service.is_indexing()
        if filtered is not None:
            still = library.unchecked() if library is not None else 0
            looked_at = len(result.hits) if result.total > len(result.hits) else 0
            status = sr.filtered_line(query, filtered, still, looked_at, indexing=indexing)
        else:
            status = sr.summary_line(
                query, total, len(hits), len(groups), safety_only=safety_only, indexing=indexing
            )
        self._show_status(status)
        if self._keep_scroll is not None:
            keep, self._keep_scroll = self._keep_scroll, None
            bar = self.results.verticalScrollBar()
            QTimer.singleShot(0, lambda: bar.setValue(keep))  # once the rows are laid out
        self.results_shown.emit()

    def verdicts_changed(self) -> None:
        """The window's library has new verdicts (the verdict pass, an article checked as it
        opened): the rows' marks follow in place; a list filtered here is searched again."""
        if self._last_result is None or self.notes_scope.isChecked():
            return
        if self._filter_here and self.safety_only.isChecked():
            self._keep_scroll = self.results.verticalScrollBar().value()
            self.run_now()
            return
        library = self.library()
        for index in self.hit_rows():
            row = self.model.itemFromIndex(index)
            hit = row.data(HIT_ROLE)
            if hit is not None:
                _mark_row(row, hit, sr.hit_safety(library, hit))

    def last_result(self) -> SearchResult | None:
        return self._last_result

    def hit_rows(self) -> list[QModelIndex]:
        rows: list[QModelIndex] = []
        for group_row in range(self.model.rowCount()):
            group = self.model.index(group_row, 0)
            rows.extend(self.model.index(r, 0, group) for r in range(self.model.rowCount(group)))
        return rows

    def _focus_results(self) -> None:
        rows = self.hit_rows()
        if rows:
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            self.results.setCurrentIndex(rows[0])

    def _activate(self, index: QModelIndex) -> None:
        if index.data(note_search.NOTE_HIT_ROLE):
            self.note_activated.emit(index.data(note_search.NOTE_HIT_ROLE))
            return
        hit = index.data(HIT_ROLE)
        if hit is not None:
            terms = [t for t in hit.terms if t] or self._terms(hit.article)
            self.hit_activated.emit(hit.article, hit.anchor or "", terms)
        else:
            article_id = index.data(Qt.ItemDataRole.UserRole)
            if article_id:
                self.hit_activated.emit(article_id, "", self._terms(article_id))

    def _terms(self, article_id: str) -> list[str]:
        """The words to highlight in an article: what its hits matched (a phrase stays one
        entry, a corrected or stemmed word is the text's own), else the query's words."""
        result = self._last_result
        words: list[str] = []
        for hit in result.hits if result is not None else []:
            if hit.article == article_id:
                words.extend(term for term in hit.terms if term and term not in words)
        if not words:
            query = (result.corrected or self.field.text()) if result else self.field.text()
            words = [
                w.strip('"()')
                for w in query.split()
                if w and not w.startswith("-") and w.upper() not in ("AND", "OR", "NOT")
            ]
            words = [w.split(":", 1)[-1] for w in words]
        return [w for w in words if w]


def _mark_row(row: QStandardItem, hit, safety: bool | None) -> None:
    """A hit's row as the library has its section: a safety section, not one, or (None) its
    article not checked for safety passages yet."""
    unchecked = safety is None
    if (not unchecked and safety != hit.safety) or bool(row.data(UNCHECKED_ROLE)) != unchecked:
        # The row's own copy: a new object, so the delegate measures it again.
        hit = replace(hit, safety=hit.safety if unchecked else safety)
    row.setData(hit, HIT_ROLE)
    row.setData(unchecked, UNCHECKED_ROLE)
    said = ", not checked for safety passages yet" if unchecked else ""
    if safety:
        said = ", safety section"
    row.setData(f"{hit.section}{said}", Qt.ItemDataRole.AccessibleTextRole)
