"""The main window: wires the docks, the reading pane, the actions and the search service.

Navigation lives here (open an article at a section, back/forward, next/previous section); each
widget only reports what the reader asked for. What the window remembers goes through
settings.py; building, menus and dialogs live in their own modules.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from viewer import APP_NAME
from viewer.context import Context
from viewer.core.errors import UnknownArticle, ViewerError
from viewer.core.library import Library
from viewer.ui import opening
from viewer.ui.actions import THEME_ACTIONS, recolour_drawn_icons
from viewer.ui.appearance import AppearanceManager, refresh_title_buttons, resolve_theme
from viewer.ui.article_snapshots import ArticleSnapshots
from viewer.ui.article_verdicts import ArticleVerdicts
from viewer.ui.corpus_watch import CorpusWatcher
from viewer.ui.history import History, Place
from viewer.ui.icons import app_icon, palette_stroke, safety_icon
from viewer.ui.links import ANCHOR, ARTICLE, EXTERNAL, classify_link
from viewer.ui.menus import dock_in_front
from viewer.ui.qt_app import drop_module_sources, running_app
from viewer.ui.reading_tools import ReadingTools
from viewer.ui.search_worker import SearchService
from viewer.ui.settings import (
    read_settings,
    save_settings,
    settings_problem,
)
from viewer.ui.startup import CHECK, LibraryStartup
from viewer.ui.topic_tree import KIND_ROOT, TreeNode, build_tree
from viewer.ui.window_commands import connect_commands
from viewer.ui.window_parts import (
    after_first_paint,
    default_dock_sizes,
    default_size,
)
from viewer.ui.window_ui import WindowParts, build_ui
from viewer.ui.worker_errors import MESSAGE_MS, WorkerErrors

if TYPE_CHECKING:  # only for checking: the dialog module loads when Format > Font… opens
    from viewer.ui.reading_dialog import ReadingFormat

log = logging.getLogger(__name__)
# Qt appends the application display name (APP_NAME) to window titles where the platform
# expects it, so titles here name only the page.
BACKGROUND_FROM = 300


@dataclass
class StartOptions:
    """What the command line asked for this run (overrides what was remembered)."""

    article: str = ""
    open_file: str = ""  # a file named on the command line: opened in its folder
    new_corpus: bool = False  # the folder comes from the command line: remember it as recent
    search: str = ""
    theme: str = ""
    size: tuple[int, int] | None = None
    remember: bool = True  # False for --screenshot: a picture must not change the user's settings
    # From this many files on, the library is read in the background (viewer/ui/startup.py);
    # None: always in the constructor.
    background_from: int | None = BACKGROUND_FROM
    # The program (app.py) switches the collector off until the first paint: start-up only
    # builds objects that stay, so its collections would walk them for nothing. The window
    # switches it back on then, after freezing what start-up built.
    collector_paused: bool = False


class MainWindow(QMainWindow):
    ready = Signal()  # the first article is shown at its remembered position

    def __init__(
        self,
        context: Context,
        store: QSettings,
        options: StartOptions | None = None,
        appearance: AppearanceManager | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.context = context
        self.store = store
        self.options = options or StartOptions()
        self.settings = read_settings(store)
        if self.options.theme:
            self.settings.theme = self.options.theme
        self.appearance = appearance or AppearanceManager(running_app())
        # Style and palette before any widget exists: set afterwards, Qt would polish every
        # widget a second time and send each a palette change (_apply_appearance then finds
        # them applied).
        self.appearance.apply(resolve_theme(self.settings.theme))
        self.library: Library | None = None
        self.history = History()
        self.is_ready = False
        self._closed = False  # closeEvent ran: the first paint's background work must not start
        self.marker = safety_icon()
        self.snapshots = ArticleSnapshots(self)  # the first article, parsed at the last start
        self.search_service = SearchService(self)
        # A worker thread's exception: one line here and the traceback in the log, never lost.
        self.worker_errors = WorkerErrors(self)
        self.worker_errors.failed.connect(
            lambda line: self.statusBar().showMessage(line, MESSAGE_MS)
        )
        self.watcher = CorpusWatcher(self)
        # Every widget, dock and action, typed and built in one place (window_ui.py).
        self.ui: WindowParts = build_ui(self, self.search_service, self.settings, self.marker)
        self._icon_stroke = palette_stroke(QApplication.palette())  # what build_ui drew in
        self.reading_tools = ReadingTools(self)  # highlights, notes, bookmarks, tabs, quotes
        self.reading_tools.add_menus(self.ui.menus)
        self.article_verdicts = ArticleVerdicts(self)  # a pending article: shown, then checked
        self.ui.menus["Recent"].aboutToShow.connect(lambda: opening.fill_recent(self))
        self.setAcceptDrops(True)  # an article file or folder dropped anywhere on the window opens
        self._connect()
        self._apply_appearance()
        self._restore_layout()
        self.startup = LibraryStartup(self, self.options.background_from)
        self.ui.search_panel.marks_behind = self.startup.verdicts.search_behind
        self.startup.open()  # the library, or (a large collection) its catalogue or nothing yet
        if self.options.new_corpus:
            self.settings.corpus = str(self.context.corpus)
            opening.remember_recent(self.settings, str(self.context.corpus))
        # The first article opens once the window is shown (_first_shown): laid out at its real
        # size and screen, a remembered scroll position lands where it was.

    def _connect(self) -> None:
        connect_commands(self)
        self.ui.tree.open_requested.connect(self.open_place)
        self.ui.tree.problem_requested.connect(self.show_problem)
        self.ui.contents.section_requested.connect(
            lambda anchor: self.open_place(self._article_id(), anchor)
        )
        self.ui.reader.section_changed.connect(self._section_changed)
        self.ui.reader.anchorClicked.connect(lambda url: self.follow_link(url.toString()))
        self.ui.reader.highlighted.connect(
            lambda url: (
                self.statusBar().showMessage(url.toString(), 4000)
                if url.toString()
                else self.statusBar().clearMessage()
            )
        )
        self.ui.search_panel.library = lambda: self.library  # its rows' safety marks follow it
        self.ui.search_panel.hit_activated.connect(
            lambda article_id, anchor, terms: self.open_place(article_id, anchor, terms=terms)
        )
        self.ui.safety.passage_requested.connect(
            lambda article_id, anchor, text, to_end: self.open_place(
                article_id, anchor, reveal=text, reveal_to_end=to_end
            )
        )
        self.search_service.index_progress.connect(self.ui.index_status.progress)
        self.search_service.index_ready.connect(
            lambda: self.ui.index_status.ready(len(self.library) if self.library else 0)
        )
        self.search_service.index_ready.connect(drop_module_sources)  # Whoosh's, once it is open
        self.search_service.index_failed.connect(self.ui.index_status.failed)
        self.watcher.changed.connect(self.reload_library)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.update_navigation()

    # -- library -----------------------------------------------------------------------------------

    def _load_library(self) -> None:
        try:
            self.library = self.context.library()
        except ViewerError as exc:
            self.library = None
            self.ui.tree.reload(TreeNode(KIND_ROOT, ""))
            self.ui.safety.show_library(None)
            self.ui.reader.show_error("Cannot open the collection", str(exc))
            self.statusBar().showMessage(str(exc))
            return
        self.ui.reader.corpus_root = self.context.corpus
        self.ui.tree.reload(build_tree(self.library))
        self.ui.safety.show_library(self.library)
        self.watcher.refresh(self.context.corpus)
        if self.is_ready:
            self._build_index()
        # else: after the first paint (_first_shown), so that start-up does not wait on Whoosh
        problems = len(self.library.problems)
        message = f"{len(self.library)} articles in {self.context.corpus}"
        if problems:
            message += (
                f"; {problems} file{'s' if problems != 1 else ''} could not be read (see Topics)"
            )
        self.statusBar().showMessage(message, 8000)

    def _build_index(self, deferred: bool = False) -> None:
        if self.library is not None:
            self.search_service.build(
                self.library, self.context.corpus_cache_dir(), deferred=deferred
            )
            if deferred and self.startup.mode == CHECK:
                self.ui.index_status.checking()  # "Indexing k of n" if the check finds work
            else:
                self.ui.index_status.progress(0, len(self.library))

    def reload_library(self) -> None:
        """The corpus folder changed: reload, keep the reader where they were if the article is still there."""
        if self.startup.reload():
            return  # a large collection: checked in the background, then shown the same way
        current, fraction = self._article_id(), self.ui.reader.scroll_fraction()
        self.context = Context(self.context.corpus, self.context.cache_dir)
        self._load_library()
        if self.library is None:
            return
        if current and current in self.library:
            self.ui.reader.article = None  # the object changed: render again
            self.open_place(current, record=False)
            self.ui.reader.set_scroll_fraction(fraction)
        elif current:
            self.history.forget_article(current)
            self.ui.reader.show_error(
                "This article is no longer in the collection",
                f"The file of “{current}” was removed or renamed.",
            )
            self.ui.contents.show_article(None)
        self.ui.search_panel.run_now()

    def open_corpus(self, folder: str, open_first: bool = True) -> None:
        self.startup.forget()
        self.context = Context(Path(folder), self.context.cache_dir)
        self.settings.corpus = folder
        opening.remember_recent(self.settings, folder)
        self.history = History()
        self.search_service.forget_index()
        self.ui.reader.article = None
        self._load_library()
        if open_first:
            self._open_first_article(use_session=False)
        self.ui.search_panel.run_now()

    def open_path(self, path: str) -> bool:
        """A folder becomes the collection; a file opens with its folder as the collection
        (unless it is inside the open one). False, with a page saying why, if it cannot."""
        return opening.open_path(self, path)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if opening.dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = opening.dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.open_path(str(paths[0]))

    def _open_first_article(self, use_session: bool = True) -> None:
        if self.library is None:
            return
        if use_session and self.options.open_file:
            self.open_path(self.options.open_file)
            return
        wanted = (self.options.article or self.settings.article) if use_session else ""
        if wanted:
            same_as_last = (
                use_session and not self.options.article and wanted == self.settings.article
            )
            article_id, _hash, anchor = wanted.partition("#")  # --article ID#section works too
            self.snapshots.restore(article_id)
            self.open_place(article_id, anchor)
            if same_as_last and not anchor and self.ui.reader.article is not None:
                self.ui.reader.set_scroll_fraction(self.settings.scroll)
                self.history.update_scroll(self.ui.reader.verticalScrollBar().value())
        elif self.library.entries:
            self.snapshots.restore(self.library.entries[0].id)
            self.open_place(self.library.entries[0].id)
        else:
            self.ui.reader.show_blank(
                "No articles here",
                f"The folder {self.context.corpus} has no .md or .txt articles. "
                "Use File > Open Folder… to choose another.",
            )

    # -- navigation --------------------------------------------------------------------------------

    def _article_id(self) -> str:
        return self.ui.reader.article.id if self.ui.reader.article is not None else ""

    def open_place(
        self,
        article_id: str,
        anchor: str = "",
        *,
        record: bool = True,
        scroll: int | None = None,
        terms: list[str] | None = None,
        reveal: str = "",
        reveal_to_end: bool = False,
    ) -> bool:
        """Show an article at a section (or scroll offset); False if it could not be shown."""
        if self.library is None:
            return False
        if record and self.ui.reader.article is not None:
            self.history.update_scroll(self.ui.reader.verticalScrollBar().value())
        try:
            article = self.article_verdicts.open(self.library, article_id)
        except UnknownArticle as exc:
            if article_id in self.library:  # catalogued, but its file went bad or away since
                self._show_error_page("Cannot read this article", f"{exc}.")
            else:
                self._show_error_page(
                    "Article not found",
                    f"There is no article “{article_id}” in {self.context.corpus}.",
                )
            return False
        if self.ui.reader.article is not article:
            try:
                self.ui.reader.show_article(article)
            except Exception as exc:  # noqa: BLE001 - a broken article is a page, not a crash
                log.exception("cannot show %s", article.path)
                self._show_error_page(f"Cannot show “{article.title}”", f"{article.path}: {exc}")
                return False
            self.ui.contents.show_article(article)
            self.ui.tree.show_article(article.id)
            self.ui.contents.set_current_position(self.ui.reader.current_section())
            self.setWindowTitle(article.title)
            if terms is None and not reveal:
                self.ui.reader.clear_search_terms()
        if terms is not None:
            self.ui.reader.set_search_terms(terms)
        if scroll is not None:
            self.ui.reader.verticalScrollBar().setValue(scroll)
        elif not anchor or not self.ui.reader.scroll_to_section(anchor):
            self.ui.reader.verticalScrollBar().setValue(0)
        if reveal:
            self.ui.reader.reveal_text(reveal, anchor, to_block_end=reveal_to_end)
        if record:
            self.history.visit(
                Place(article.id, anchor, self.ui.reader.verticalScrollBar().value())
            )
        self.update_navigation()
        return True

    def show_error_page(self, title: str, message: str) -> None:
        self._show_error_page(title, message)

    def _show_error_page(self, title: str, message: str) -> None:
        self.ui.reader.show_error(title, message)
        self.ui.contents.show_article(None)
        self.setWindowTitle(title)
        self.update_navigation()

    def show_problem(self, path: str, error: str) -> None:
        self._show_error_page(
            f"Cannot read {Path(path).name}",
            f"The reader could not open {path}: {error}. "
            "Fix or replace the file; the collection reloads by itself.",
        )

    def go_back(self) -> None:
        self._go(self.history.back)

    def go_forward(self) -> None:
        self._go(self.history.forward)

    def _go(self, step) -> None:
        if self.ui.reader.article is not None:
            self.history.update_scroll(self.ui.reader.verticalScrollBar().value())
        place = step()
        if place is not None:
            self.open_place(place.article_id, place.anchor, record=False, scroll=place.scroll)
        self.update_navigation()

    def next_section(self) -> None:
        index = self.ui.reader.next_section_index()
        if index is not None:
            self.open_place(self._article_id(), self.ui.contents.anchors()[index])

    def previous_section(self) -> None:
        index = self.ui.reader.previous_section_index()
        if index is not None:
            self.open_place(self._article_id(), self.ui.contents.anchors()[index])

    def follow_link(self, href: str) -> None:
        link = classify_link(href)
        if link.kind == ANCHOR:
            self.open_place(self._article_id(), link.anchor)
        elif link.kind == ARTICLE:
            self.open_place(link.target, link.anchor)
        elif link.kind == EXTERNAL:
            from viewer.ui import dialogs  # with the first link to the web, not at start-up

            if dialogs.confirm_external_link(self, link.target):
                dialogs.open_external(link.target)
        else:
            self.statusBar().showMessage(f"This link cannot be opened: {href}", 6000)

    def _section_changed(self, index: int) -> None:
        self.ui.contents.set_current_position(index)
        self.update_navigation()

    def update_navigation(self) -> None:
        """Back, forward, section steps, print and export enabled as the open page allows."""
        a, has_article = self.ui.commands, self.ui.reader.article is not None
        a["back"].setEnabled(self.history.can_go_back())
        a["forward"].setEnabled(self.history.can_go_forward())
        a["next_section"].setEnabled(
            has_article and self.ui.reader.next_section_index() is not None
        )
        a["previous_section"].setEnabled(
            has_article and self.ui.reader.previous_section_index() is not None
        )
        for name in ("print", "print_preview", "export"):
            a[name].setEnabled(has_article)

    # -- reading comfort ---------------------------------------------------------------------------

    def _apply_appearance(self) -> None:
        resolved = resolve_theme(self.settings.theme)
        self.appearance.apply(resolved)
        refresh_title_buttons(self.ui.docks)
        stroke = palette_stroke(QApplication.palette())
        if stroke != self._icon_stroke:  # another theme: what was drawn for the last is redone
            self._icon_stroke = stroke
            recolour_drawn_icons(self.ui.commands, stroke)
        self.ui.commands[THEME_ACTIONS[self.settings.theme]].setChecked(True)
        s = self.settings
        self.ui.reader.set_appearance(resolved, s.zoom, s.font_family, s.line_spacing, s.page_width)

    def _system_scheme_changed(self, *_args) -> None:
        self.appearance.system_changed()
        self._apply_appearance()

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        self._apply_appearance()

    def set_zoom(self, percent: int) -> None:
        self.settings.zoom = percent
        self._apply_appearance()
        self.statusBar().showMessage(f"Zoom {percent}%", 2000)

    def set_font_family(self, family: str) -> None:
        self.settings.font_family = family
        self._apply_appearance()

    def set_reading_format(self, chosen: ReadingFormat) -> None:
        """Font, size, line spacing and page width from Format > Font… (reading_dialog.py)."""
        from viewer.ui.reading_dialog import zoom_for_size

        s = self.settings
        s.font_family, s.zoom = chosen.family, zoom_for_size(chosen.size_pt)
        s.line_spacing, s.page_width = chosen.line_spacing, chosen.page_width
        self._apply_appearance()

    def focusNextPrevChild(self, next_child: bool) -> bool:  # noqa: N802 - Qt override
        """Tab skips the widgets of a panel that lies behind another panel's tab: Qt keeps them
        in the focus chain although the reader cannot see them."""
        for _ in range(64):  # the chain is finite; never loop forever on a strange layout
            if not super().focusNextPrevChild(next_child):
                return False
            focused = QApplication.focusWidget()
            if focused is None or all(
                dock_in_front(d) or not d.isAncestorOf(focused) for d in self.ui.docks
            ):
                return True
        return True

    def focus_search(self) -> None:
        self.ui.docks.search.show()
        self.ui.docks.search.raise_()
        self.ui.search_panel.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.search_panel.field.selectAll()

    def escape(self) -> None:
        if self.ui.find_bar.isVisible():
            self.ui.find_bar.close_bar()
        else:
            self.ui.reader.clear_search_terms()

    def print_current(self) -> None:
        # The dialog offers the article's highlights and notes too, as Export… does.
        if self.ui.reader.article is not None:
            self.reading_tools.exports.print_article(self.ui.reader.article)

    def preview_current(self) -> None:
        if self.ui.reader.article is not None:
            self.reading_tools.exports.preview_article(self.ui.reader.article)

    def export_current(self) -> None:
        # The dialog offers the article's highlights and notes too.
        if self.ui.reader.article is not None:
            self.reading_tools.export_article(self.ui.reader.article)

    # -- session -----------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        if not self.settings.geometry.isEmpty():
            self.restoreGeometry(self.settings.geometry)
        else:
            self.resize(
                *default_size(self.screen().availableGeometry().size() if self.screen() else None)
            )
        if self.options.size:
            self.resize(*self.options.size)
        if self.settings.window_state.isEmpty() or not self.restoreState(
            self.settings.window_state
        ):
            default_dock_sizes(self, self.ui.docks)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.is_ready:
            QTimer.singleShot(0, self._first_shown)

    def _first_shown(self) -> None:
        if self.is_ready:
            return
        if self.ui.reading_area.width() < self.width() // 2:
            # A layout remembered from a wider screen or smaller text scaling: the page keeps half.
            default_dock_sizes(self, self.ui.docks)
        waiting = self.startup.waiting_for_articles
        if waiting:
            self.startup.show_reading()  # `ready` follows when the first article is read
        else:
            self._open_first_article()
        self.is_ready = True
        # Indexing counts as under way now, but its worker starts once the article is painted:
        # its imports (Whoosh) would otherwise compete with the first paint for the interpreter.
        self._build_index(deferred=True)
        after_first_paint(self.ui.reader.viewport(), self._after_first_paint)
        if self.options.search:
            self.focus_search()
            self.ui.search_panel.set_query(self.options.search)
        self._report_unsaved_settings()
        if not waiting:
            self.ready.emit()

    def _report_unsaved_settings(self) -> None:
        """Say at start-up, not silently at exit, that this session's settings will be lost."""
        problem = settings_problem(self.store) if self.options.remember else None
        if problem:
            log.warning("%s", problem)
            self.statusBar().showMessage(problem[0].upper() + problem[1:] + ".", 15000)

    def _after_first_paint(self) -> None:
        if self.options.collector_paused:
            # First, before a worker thread starts: the index build pauses the collector itself.
            gc.freeze()  # what start-up built stays: later collections need not walk it
            gc.enable()
        drop_module_sources()  # what start-up imported was read whole, and is held: let it go
        if self._closed:
            # Closed right after its first paint (--screenshot of a large collection): its
            # checks would only be started to be cancelled, and waited for, at exit.
            return
        # The SVG icon loads Qt's SVG support (some 30 ms): after the article is on screen.
        # Set on the application, it is every window's and dialog's icon.
        QApplication.setWindowIcon(app_icon())
        self.setWindowIcon(QApplication.windowIcon())
        self.snapshots.keep_shown()  # the next start shows it without parsing its file
        # A collection still being read is indexed once it is read (startup.py starts it).
        if not self.startup.after_first_paint():
            self.search_service.start_deferred()

    def remember(self) -> None:
        """Write what the reader would expect to find next time."""
        s = self.settings
        s.article = self._article_id()
        s.anchor = self.ui.contents.current_anchor()
        s.scroll = self.ui.reader.scroll_fraction()
        s.find_case = self.ui.find_bar.case_box.isChecked()
        s.safety_only = self.ui.search_panel.safety_only.isChecked()
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        save_settings(self.store, s)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._closed = True
        if self.options.remember:
            self.remember()
        self.snapshots.keep_shown()
        self.reading_tools.close()
        self.article_verdicts.close()
        self.startup.close()
        self.watcher.stop()
        self.search_service.close()
        self.worker_errors.close()
        super().closeEvent(event)
