"""Reading tools in the main window: highlights and notes, bookmarks, reading progress, the
Annotations panel (made when its dock is first shown), tabs, "Copy link" and "Copy as quote".

Installed by `ReadingTools(window)` and `add_menus` (main_window.py), closed from its closeEvent;
the rest hangs off the window's signals. Storage, anchoring, export and citations are
viewer/core/annotations (no Qt); this module only connects them to widgets.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from viewer.core.annotations.anchoring import Anchored, anchor_all, make_quote, safety_under
from viewer.core.annotations.location import DATA_ENV, default_data_dir
from viewer.core.annotations.model import (
    BOOKMARKING,
    COLOURS,
    DEFAULT_COLOUR,
    Annotation,
    Quote,
    now,
)
from viewer.core.annotations.store import AnnotationStore, AnnotationStoreError
from viewer.core.errors import ViewerError
from viewer.ui import annotation_marks as marks
from viewer.ui import passage_clipboard
from viewer.ui.annotation_rows import (
    ARTICLE_ROW,
    ON_SAFETY,
    READING_LIST,
    ROW_LIMIT,
    Filter,
    Row,
    reading_list,
)
from viewer.ui.menus import dock_in_front
from viewer.ui.plain_text import plain_question
from viewer.ui.reading_actions import add_reading_menus, create_reading_actions, show_context_menu
from viewer.ui.reading_progress import ReadingProgress
from viewer.ui.safety_notes_feed import SafetyNotesFeed
from viewer.ui.tabs import ReaderTabs
from viewer.ui.window_parts import PanelOnDemand

if TYPE_CHECKING:  # only for checking: main_window imports this module; the others load on use
    from viewer.ui.annotations_panel import AnnotationsPanel
    from viewer.ui.main_window import MainWindow
    from viewer.ui.note_search import NoteHit
    from viewer.ui.selection_export import SelectionExport

SAFETY_SCAN = 5000  # annotations looked through for the "on safety passages" filter


def data_folder() -> Path:
    """$ARTICLE_VIEWER_DATA, else Qt's AppDataLocation (the same folder the command line uses)."""
    if os.environ.get(DATA_ENV):
        return default_data_dir()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else default_data_dir()


class ReadingTools:
    """The annotations of the open corpus on the page and in the panel, and the commands on them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.reader = window.ui.reader
        self.store = AnnotationStore.open(data_folder(), window.context.corpus)
        self.colour = DEFAULT_COLOUR
        self._placed: dict[str, Anchored] = {}
        self._items: dict[str, Annotation] = {}
        self._status: dict[str, str] = {}  # id -> "anchored" / "re-anchored" / "orphaned"
        self._sections: list[tuple[int, str]] = []
        # The placed marks as disjoint pieces.
        self._spans: list[tuple[int, int, QTextCharFormat]] = []
        self._drawn: tuple[int, ...] | None = None  # which of them the pane has now
        self._text = ""
        self._article = ""
        self._statuses_checked = False
        self._orphans: set[str] = set()
        self._safety: dict[str, tuple[str, ...]] = {}  # id -> safety categories its quote covers
        self.notes = SafetyNotesFeed(window, lambda: self.store)  # notes in the Safety panel
        self.actions = create_reading_actions(window)
        self.dock = window.ui.docks.annotations  # made with the others (window_ui.py), empty
        # Its panel is made when the dock is first on screen (behind Safety's tab at first).
        self._panel = PanelOnDemand(self.dock, self._make_panel, self._panel_made)
        self.reading = ReadingProgress(window, lambda: self.store, self.actions["mark_read"])
        self.progress = self.reading.label
        self.tabs = ReaderTabs(window)
        self._exports: SelectionExport | None = None  # with the first print or export
        self._connect()
        if self.store.problem:
            QTimer.singleShot(0, lambda: window.statusBar().showMessage(self.store.problem, 15000))
        self.actions["repair_annotations"].setEnabled(self.store.corrupt)

    def add_menus(self, menus: dict[str, QMenu]) -> None:
        """An Annotations menu before Help, and the tab commands in the Go menu."""
        add_reading_menus(self.window, self.actions, menus)
        self.tabs.add_menu_entries(menus.get("Go"))

    @property
    def exports(self) -> SelectionExport:
        """Print and export of the article or a selection: made (and loaded) when first used."""
        if self._exports is None:
            from viewer.ui.selection_export import SelectionExport

            self._exports = SelectionExport(self)
        return self._exports

    def _export_annotations(self) -> None:
        from viewer.ui.annotation_files import export_dialog

        export_dialog(self.window, self.export_to)

    def _connect(self) -> None:
        a = self.actions
        a["highlight"].triggered.connect(lambda: self.highlight(self.colour))
        for colour in COLOURS:
            a[f"highlight_{colour}"].triggered.connect(lambda _c=False, c=colour: self.highlight(c))
        a["note"].triggered.connect(self.edit_note)
        a["remove_highlight"].triggered.connect(self.remove_highlight)
        a["bookmark_section"].triggered.connect(lambda: self.bookmark(section=True))
        a["bookmark_article"].triggered.connect(lambda: self.bookmark(section=False))
        a["copy_link"].triggered.connect(self.copy_link)
        a["copy_url"].triggered.connect(lambda: self.copy_link(as_url=True))
        a["copy_quote"].triggered.connect(self.copy_quote)
        a["export_annotations"].triggered.connect(self._export_annotations)
        for name in ("print_selection", "export_selection"):  # only with a selection to print
            a[name].triggered.connect(lambda _c=False, n=name: getattr(self.exports, n)())
            a[name].setEnabled(False)
            self.reader.copyAvailable.connect(a[name].setEnabled)
        a["repair_annotations"].triggered.connect(self.repair)
        self.reader.document_replaced.connect(self.page_changed)
        self.reader.cursorPositionChanged.connect(self._cursor_moved)
        self.reader.verticalScrollBar().valueChanged.connect(self._draw_visible)
        self.reader.verticalScrollBar().rangeChanged.connect(self._draw_visible)
        self.window.ui.safety.note_requested.connect(self.open_annotation)
        self.window.ui.search_panel.note_source = self.note_hits
        self.window.ui.search_panel.note_activated.connect(self.open_annotation)
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.customContextMenuRequested.connect(
            lambda pos: show_context_menu(self.reader, self.actions, pos)
        )
        self.dock.visibilityChanged.connect(self._dock_visibility)
        self.window.ui.docks.safety.visibilityChanged.connect(
            lambda shown: self.notes.show_others() if shown else None
        )

    # -- the Annotations panel, once it is made ---------------------------------------------

    def _make_panel(self) -> AnnotationsPanel:
        from viewer.ui.annotations_panel import AnnotationsPanel  # loaded with its first showing

        return AnnotationsPanel(self.rows)

    def _dock_visibility(self, shown: bool) -> None:
        # The panel was made just before (PanelOnDemand hears of it first).
        if shown and self._panel.built is not None:
            self._panel.built.refresh()

    def _panel_made(self, panel: AnnotationsPanel) -> None:
        panel.set_current_article(self._article)
        panel.open_requested.connect(self.open_annotation)

    @property
    def panel(self) -> AnnotationsPanel:
        """The Annotations panel, made now if its dock was never on screen."""
        return self._panel.get()

    def _refresh_panel(self) -> None:
        """List the rows again if the panel is on screen (it lists them when it comes forward)."""
        if self._panel.built is not None and self._panel_on_screen():
            self._panel.built.refresh()

    # -- the open page ------------------------------------------------------------------------

    def page_changed(self) -> None:
        """A new page is on screen: place its highlights again over the text it shows now."""
        article = self.reader.article
        self._placed, self._items = {}, {}
        self._follow_corpus()
        if article is None:
            self._text, self._sections, self._article = "", [], ""
            self._spans, self._drawn = [], None
            if self._panel.built is not None:
                self._panel.built.set_current_article("")
            self.reading.show()
            return
        self._text = self.reader.toPlainText()
        self._sections = marks.anchor_positions(
            self.reader.document(), [s.anchor for s in article.sections]
        )
        items = [a for a in self.store.annotations(article.id) if not a.is_bookmark]
        self._items = {a.id: a for a in items}
        for ident in self._items:
            self._safety.pop(ident, None)  # worked out again from this version of the text
        self._placed, orphans = anchor_all(self._text, {a.id: a.quote for a in items})
        for ident, where in self._placed.items():
            self._status[ident] = "anchored" if where.exact else "re-anchored"
        for ident in orphans:
            self._status[ident] = "orphaned"
        self._draw()
        self._safety_notes(article)
        if article.id != self._article:
            self._article = article.id
            self.reading.opened(article.id)
            self._orphans = set()
        if orphans and set(orphans) != self._orphans:  # a new article, or an edit lost a passage
            self._orphans = set(orphans)
            self.window.statusBar().showMessage(
                f"{len(orphans)} highlight{'s' if len(orphans) != 1 else ''} could not be placed in this "
                "version of the article; see the Annotations panel",
                10000,
            )
        if self._panel.built is not None:
            self._panel.built.set_current_article(article.id)
        self._refresh_panel()

    def _safety_notes(self, article) -> None:
        """The Safety panel's notes for this article (see safety_notes_feed.py)."""
        items = list(self._items.values()) if article is not None else []
        self.notes.show(article, items, dock_in_front(self.window.ui.docks.safety))

    def _panel_on_screen(self) -> bool:
        # A dock behind another dock's tab still counts as visible to isVisible().
        return self.dock.isVisible() and not self.dock.visibleRegion().isEmpty()

    def _follow_corpus(self) -> None:
        """Another corpus folder was opened: its annotations are another set."""
        if str(self.window.context.corpus.resolve()) != self.store.corpus_key:
            self.store.close()
            self.store = AnnotationStore.open(data_folder(), self.window.context.corpus)
            self._status, self._statuses_checked, self._article = {}, False, ""
            self.notes.forget()
            self.tabs.reset()
            self.actions["repair_annotations"].setEnabled(self.store.corrupt)

    def _draw(self) -> None:
        theme = self.reader.theme
        formats: dict[
            tuple[str, bool], QTextCharFormat
        ] = {}  # one format per look, shared by its marks
        spans: list[tuple[int, int, QTextCharFormat]] = []
        for ident, where in sorted(self._placed.items(), key=lambda kv: kv[1].start):
            item = self._items[ident]
            look = (item.colour, bool(item.note.strip()))
            if look not in formats:
                formats[look] = marks.mark_format(look[0], theme, look[1])
            spans.append((where.start, where.end, formats[look]))
        self._spans, self._drawn = marks.flatten(spans), None
        self._draw_visible()
        noted = sum(1 for i in self._placed if self._items[i].note.strip())
        self.reader.setAccessibleDescription(
            f"The text of the open article; {len(self._placed)} highlights, {noted} with notes"
        )

    def _draw_visible(self, *_args) -> None:
        """Hand the pane only the marks within half a screen of what is shown: Qt walks every
        extra selection for every block it paints, so 500 marks would slow each repaint ~20-fold."""
        viewport = self.reader.viewport()
        height = max(1, viewport.height())
        top = self.reader.cursorForPosition(QPoint(0, -height // 2)).position()
        bottom = self.reader.cursorForPosition(
            QPoint(viewport.width(), height + height // 2)
        ).position()
        shown = tuple(
            i for i, (start, end, _f) in enumerate(self._spans) if start <= bottom and end >= top
        )
        if shown == self._drawn:
            return
        self._drawn = shown
        document = self.reader.document()
        self.reader.set_annotation_marks([marks.mark(document, *self._spans[i]) for i in shown])

    def highlight_at(self, position: int) -> Annotation | None:
        for ident, where in self._placed.items():
            if where.start <= position <= where.end:
                return self._items[ident]
        return None

    def _cursor_moved(self) -> None:
        found = self.highlight_at(self.reader.textCursor().position()) if self._placed else None
        if found is not None:
            self.window.statusBar().showMessage(marks.spoken(found), 6000)

    # -- highlights and notes -----------------------------------------------------------------

    def _selection_quote(self) -> tuple[Quote, str] | None:
        cursor = self.reader.textCursor()
        if self.reader.article is None or not cursor.hasSelection():
            return None
        quote = make_quote(
            self._text or self.reader.toPlainText(), cursor.selectionStart(), cursor.selectionEnd()
        )
        if not quote.exact:
            return None
        return quote, marks.section_at(self._sections, quote.start)

    def _save(self, annotation: Annotation) -> bool:
        try:
            self.store.save(annotation)
        except AnnotationStoreError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return False
        return True

    def highlight(self, colour: str, note: str = "") -> Annotation | None:
        """Highlight the selection (or recolour the highlight it is exactly on)."""
        self.colour = colour
        selected = self._selection_quote()
        if selected is None:
            self.window.statusBar().showMessage(
                "Select some text in the article to highlight it.", 5000
            )
            return None
        quote, section = selected
        article = self.reader.article
        if article is None:  # a selection is only ever made on an article
            return None
        same = next(
            (
                self._items[i]
                for i, w in self._placed.items()
                if (w.start, w.end) == (quote.start, quote.end)
            ),
            None,
        )
        if same is not None:
            item = Annotation(**{**same.__dict__, "colour": colour, "modified": now()})
        else:
            item = Annotation(article.id, quote, colour=colour, section=section)
        if note:
            item = item.with_note(note)
        if not self._save(item):
            return None
        self._items[item.id] = item
        self._placed[item.id] = Anchored(quote.start, quote.end)
        self._status[item.id] = "anchored"
        self._draw()
        self._safety_notes(self.reader.article)
        self._refresh_panel()
        self.window.statusBar().showMessage(marks.spoken(item), 4000)
        return item

    def ask_note(self, current: str) -> str | None:
        """The note dialog (tests replace this); None when cancelled."""
        text, ok = QInputDialog.getMultiLineText(
            self.window, "Note", "Note on this highlight:", current
        )
        return text if ok else None

    def edit_note(self) -> None:
        cursor = self.reader.textCursor()
        existing = self.highlight_at(
            cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        )
        if existing is None and not cursor.hasSelection():
            self.window.statusBar().showMessage(
                "Select text or put the cursor in a highlight to add a note.", 5000
            )
            return
        note = self.ask_note(existing.note if existing else "")
        if note is None:
            return
        if existing is None:
            self.highlight(self.colour, note)
            return
        updated = existing.with_note(note)
        if self._save(updated):
            self._items[updated.id] = updated
            self._draw()
            self._safety_notes(self.reader.article)
            self._refresh_panel()

    def remove_highlight(self) -> None:
        cursor = self.reader.textCursor()
        existing = self.highlight_at(
            cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        )
        if existing is None:
            self.window.statusBar().showMessage("There is no highlight at the cursor.", 5000)
            return
        try:
            self.store.delete(existing.id)
        except AnnotationStoreError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return
        self._items.pop(existing.id, None)
        self._placed.pop(existing.id, None)
        self._draw()
        self._safety_notes(self.reader.article)
        self._refresh_panel()

    def bookmark(self, section: bool) -> Annotation | None:
        article = self.reader.article
        if article is None:
            return None
        anchor = self.window.ui.contents.current_anchor() if section else ""
        item = Annotation(article.id, motivation=BOOKMARKING, section=anchor, colour=DEFAULT_COLOUR)
        if self._save(item):
            found = article.section(anchor) if anchor else None
            heading = found.heading if found is not None else article.title
            self.window.statusBar().showMessage(f"Bookmarked: {heading}", 4000)
            self._refresh_panel()
            return item
        return None

    # -- the Annotations panel ---------------------------------------------------------------

    def _check_all_statuses(self) -> None:
        """Once, when the panel first lists other articles: which of their highlights still place."""
        if self._statuses_checked or self.window.library is None:
            return
        self._statuses_checked = True
        from viewer.core.annotations.collect import place_all  # with the panel, not at start-up

        for placed in place_all(self.window.library, self.store.annotations()):
            self._status.setdefault(placed.annotation.id, placed.status)
            self._safety.setdefault(placed.annotation.id, placed.safety)

    def _safety_of(self, item: Annotation) -> tuple[str, ...]:
        """The safety categories a highlight of the open article covers (remembered per page)."""
        article = self.reader.article
        if item.id not in self._safety and article is not None and item.article_id == article.id:
            where = self._placed.get(item.id)
            self._safety[item.id] = (
                safety_under(article, self._text[where.start : where.end]) if where else ()
            )
        return self._safety.get(item.id, ())

    def rows(self, wanted: Filter) -> list[Row]:
        if wanted.motivation == READING_LIST:
            return reading_list(self.window.library, self.store, wanted)
        self._check_all_statuses()
        library, article = self.window.library, self.reader.article
        headings = {s.anchor: s.heading for s in article.sections} if article is not None else {}
        rows, on_safety = [], wanted.motivation == ON_SAFETY
        found = self.store.search(
            wanted.article_id,
            wanted.colour,
            wanted.text,
            "" if on_safety else wanted.motivation,
            limit=SAFETY_SCAN if on_safety else ROW_LIMIT + 1,
        )
        for a in found:
            safety = () if a.is_bookmark else self._safety_of(a)
            if on_safety and not safety:
                continue
            title = a.article_id
            if library is not None and a.article_id in library:
                title = library.entry(a.article_id).title
            shown = article is not None and a.article_id == article.id
            section = headings.get(a.section, "") if shown else ""
            status = "bookmark" if a.is_bookmark else self._status.get(a.id, "")
            rows.append(Row(a, title, status, section, safety))
        return rows

    def note_hits(self, query: str) -> list[NoteHit]:
        """The Search panel's Notes scope: highlights whose note or quote holds every word."""
        from viewer.ui.note_search import note_hits  # with the first search of the notes

        return note_hits(self.window.library, self.store, query, ROW_LIMIT + 1)

    def open_annotation(self, annotation_id: str) -> None:
        if annotation_id.startswith(ARTICLE_ROW):  # the reading list: continue where they stopped
            article_id = annotation_id[len(ARTICLE_ROW) :]
            state = self.store.reading_state(article_id)
            if self.window.open_place(article_id) and 0 < state.fraction and not state.read:
                self.reader.set_scroll_fraction(state.fraction)
            return
        item = self.store.get(annotation_id)
        if item is None or not self.window.open_place(item.article_id, item.section):
            return
        where = self._placed.get(item.id)
        if where is None:
            if not item.is_bookmark:
                self.window.statusBar().showMessage(
                    f"This passage is no longer in the article: “{' '.join(item.quote.exact.split())[:80]}”",
                    10000,
                )
            return
        cursor = self.reader.textCursor()
        cursor.setPosition(where.start)
        cursor.setPosition(where.end, cursor.MoveMode.KeepAnchor)
        self.reader.setTextCursor(cursor)
        self.reader.ensureCursorVisible()

    # -- links and quotes -----------------------------------------------------------------------

    def copy_link(self, as_url: bool = False) -> str:
        return passage_clipboard.copy_link(self.window, as_url)

    def copy_quote(self) -> None:
        passage_clipboard.copy_quote(self.window, self._sections, self.reading.state)

    # -- export and repair ----------------------------------------------------------------------

    def export_article(self, article) -> bool:
        """File > Export…: the article, with its highlights and notes if the reader wants them."""
        return self.exports.export_article(article)

    def export_to(self, path: Path, fmt: str, article_id: str = "") -> Path:
        from viewer.core.annotations.collect import place_all  # only when exporting
        from viewer.core.annotations.export import write_export

        if self.window.library is None:
            raise ViewerError("no collection is open")
        placed = place_all(self.window.library, self.store.annotations(article_id or None))
        label = f"Annotations in {self.window.context.corpus.resolve().name}"
        return write_export(placed, fmt, path, label)

    def confirm_repair(self) -> bool:
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        answer = plain_question(
            self.window,
            "Damaged annotations file",
            f"{self.store.problem}.\n\nKeep the damaged file aside (renamed, not deleted) "
            "and start a new, empty annotations file?",
            yes | no,
            no,
        )
        return answer == yes

    def repair(self) -> None:
        if not self.store.corrupt or not self.confirm_repair():
            return
        try:
            aside = self.store.set_aside_and_start_fresh()
        except OSError as exc:
            self.window.statusBar().showMessage(
                f"Cannot set the annotations file aside: {exc}", 10000
            )
            return
        self.actions["repair_annotations"].setEnabled(self.store.corrupt)
        self.notes.forget()
        self.window.statusBar().showMessage(
            f"The damaged annotations file was kept as {aside}", 10000
        )
        self.page_changed()

    def save_progress(self) -> None:
        self.reading.save()

    def close(self) -> None:
        passage_clipboard.release_clipboard()
        self.reading.save()
        if self.window.options.remember:
            self.tabs.save_session(self.window.store)
        self.store.close()
