"""Tabs over the one reading pane: each tab is its own back/forward history and position.

A tab bar above the page (shown once there are two tabs) switches which History the window
navigates with; switching shows that history's current place at its scroll offset. Ctrl+click
or middle click on a link or a tree row opens it in a new tab; Ctrl+T opens the page shown in a
new tab, Ctrl+W closes one, Ctrl+Tab / Ctrl+PgDn and Ctrl+Shift+Tab / Ctrl+PgUp switch. The
tabs and their positions are saved in the settings and restored at the next start.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTabBar

from viewer.ui.history import History, Place
from viewer.ui.links import ANCHOR, ARTICLE, classify_link

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.ui.main_window import MainWindow

log = logging.getLogger(__name__)
KEY_TABS = "session/tabs"
MAX_TABS_SAVED = 50
TITLE_CHARS = 28
TAB_ACTIONS = (
    ("new_tab", "New &Tab", ("Ctrl+T",), "Open the page shown in a new tab"),
    ("close_tab", "&Close Tab", ("Ctrl+W",), "Close this tab"),
    ("next_tab", "Ne&xt Tab", ("Ctrl+Tab", "Ctrl+PgDown"), "Show the next tab"),
    ("previous_tab", "Pre&vious Tab", ("Ctrl+Shift+Tab", "Ctrl+PgUp"), "Show the previous tab"),
)


def tab_title(title: str) -> str:
    short = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
    return short.replace("&", "&&")  # a lone & would become a keyboard mnemonic


class ReaderTabs(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.histories: list[History] = [window.history]
        self.current = 0
        self.bar = QTabBar(window)
        self.bar.setObjectName("readerTabs")
        self.bar.setAccessibleName("Open articles")
        self.bar.setTabsClosable(True)
        self.bar.setDocumentMode(True)
        self.bar.setExpanding(False)
        self.bar.setElideMode(Qt.TextElideMode.ElideRight)
        self.bar.addTab("")
        self.bar.hide()
        window.ui.reading_area.insert_above(self.bar)
        self.actions: dict[str, QAction] = {}
        for name, text, keys, tip in TAB_ACTIONS:
            action = QAction(text, window)
            action.setObjectName(name)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setStatusTip(tip)
            window.addAction(action)
            self.actions[name] = action
        self.actions["new_tab"].triggered.connect(self.duplicate)
        self.actions["close_tab"].triggered.connect(lambda: self.close_tab(self.current))
        self.actions["next_tab"].triggered.connect(lambda: self.step(+1))
        self.actions["previous_tab"].triggered.connect(lambda: self.step(-1))
        self.bar.currentChanged.connect(self.switch_to)
        self.bar.tabCloseRequested.connect(self.close_tab)
        window.windowTitleChanged.connect(self._retitle)
        window.ready.connect(self._restore_when_ready)
        window.ui.reader.viewport().installEventFilter(self)
        window.ui.tree.viewport().installEventFilter(self)

    def add_menu_entries(self, menu: QMenu | None) -> None:
        if menu is None:
            return
        menu.addSeparator()
        for name, *_rest in TAB_ACTIONS:
            menu.addAction(self.actions[name])

    def reset(self) -> None:
        """Another corpus folder was opened: the other tabs' pages are not in it."""
        self.histories, self.current = [self.window.history], 0
        blocked = self.bar.blockSignals(True)
        while self.bar.count() > 1:
            self.bar.removeTab(self.bar.count() - 1)
        self.bar.setCurrentIndex(0)
        self.bar.blockSignals(blocked)
        self.bar.hide()

    def count(self) -> int:
        return len(self.histories)

    # -- opening and switching -----------------------------------------------------------------

    def _keep_position(self) -> None:
        if self.window.ui.reader.article is not None:
            self.window.history.update_scroll(self.window.ui.reader.verticalScrollBar().value())
        self.histories[self.current] = self.window.history

    def open_in_new_tab(self, article_id: str, anchor: str = "") -> bool:
        self._keep_position()
        self.histories.append(History())
        self._add_tab_widget(article_id)
        self._activate(len(self.histories) - 1, load=False)
        return self.window.open_place(article_id, anchor)

    def duplicate(self) -> None:
        """Ctrl+T: the page on screen, at the same spot, in a new tab."""
        place = self.window.history.current
        if place is None:
            return
        self._keep_position()
        self.histories.append(History.restored([place], 0))
        self._add_tab_widget(place.article_id)
        self._activate(len(self.histories) - 1)

    def _add_tab_widget(self, article_id: str) -> None:
        blocked = self.bar.blockSignals(True)
        title = article_id
        if self.window.library is not None and article_id in self.window.library:
            title = self.window.library.entry(article_id).title
        self.bar.addTab(tab_title(title))
        self.bar.blockSignals(blocked)
        self.bar.setVisible(self.count() > 1)

    def switch_to(self, index: int) -> None:
        if 0 <= index < self.count() and index != self.current:
            self._keep_position()
            self._activate(index)

    def _activate(self, index: int, load: bool = True) -> None:
        self.current = index
        blocked = self.bar.blockSignals(True)
        self.bar.setCurrentIndex(index)
        self.bar.blockSignals(blocked)
        self.window.history = self.histories[index]
        place = self.window.history.current
        if load and place is not None:
            self.window.open_place(
                place.article_id, place.anchor, record=False, scroll=place.scroll
            )
        self.window.update_navigation()

    def step(self, direction: int) -> None:
        if self.count() > 1:
            self.switch_to((self.current + direction) % self.count())

    def close_tab(self, index: int) -> None:
        if self.count() <= 1 or not 0 <= index < self.count():
            return
        if index != self.current:
            self._keep_position()
        self.histories.pop(index)
        blocked = self.bar.blockSignals(True)
        self.bar.removeTab(index)
        self.bar.blockSignals(blocked)
        self.bar.setVisible(self.count() > 1)
        if index == self.current:
            self._activate(min(index, self.count() - 1))
        elif index < self.current:
            self.current -= 1
            self._activate(self.current, load=False)

    def _retitle(self, title: str) -> None:
        if self.window.ui.reader.article is not None:
            self.bar.setTabText(self.current, tab_title(self.window.ui.reader.article.title))

    # -- Ctrl+click and middle click -----------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.MouseButtonRelease:
            return False
        wants_tab = event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if not wants_tab:
            return False
        target = self._target_at(watched, event.position().toPoint())
        if target is None:
            return False
        self.open_in_new_tab(*target)
        return True

    def _target_at(self, viewport, pos) -> tuple[str, str] | None:
        window = self.window
        if viewport is window.ui.reader.viewport():
            href = window.ui.reader.anchorAt(pos)
            link = classify_link(href) if href else None
            if link is not None and link.kind == ARTICLE:
                return link.target, link.anchor
            if link is not None and link.kind == ANCHOR and window.ui.reader.article is not None:
                return window.ui.reader.article.id, link.anchor
            return None
        index = window.ui.tree.indexAt(pos)
        if not index.isValid():
            return None
        node = window.ui.tree_model.node(index)
        article_id = getattr(node, "article_id", "")
        return (article_id, getattr(node, "anchor", "") or "") if article_id else None

    # -- session -------------------------------------------------------------------------------

    def save_session(self, store) -> None:
        self._keep_position()
        tabs = []
        for history in self.histories[:MAX_TABS_SAVED]:
            places, index = history.snapshot()
            tabs.append(
                {"places": [[p.article_id, p.anchor, p.scroll] for p in places], "index": index}
            )
        store.setValue(
            KEY_TABS, json.dumps({"tabs": tabs, "current": min(self.current, MAX_TABS_SAVED - 1)})
        )
        store.sync()

    def _restore_when_ready(self) -> None:
        raw = self.window.store.value(KEY_TABS)
        if not isinstance(raw, str) or not raw or self.window.library is None:
            return
        try:
            data = json.loads(raw)
            saved = [
                History.restored(
                    [
                        Place(str(a), str(s), int(y))
                        for a, s, y in tab["places"]
                        if str(a) in self.window.library
                    ],
                    int(tab["index"]),
                )
                for tab in data["tabs"]
            ]
            current = int(data["current"])
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("settings: ignoring the saved tabs (%s)", exc)
            return
        saved = [h for h in saved if h.current is not None]
        if len(saved) < 1:
            return
        current = max(0, min(current, len(saved) - 1))
        shown = self.window.history.current
        kept = saved[current].current
        if shown is not None and kept is not None and kept.article_id == shown.article_id:
            # The window already opened this tab's article at its remembered spot: keep that spot.
            places, index = saved[current].snapshot()
            places[index] = shown
            saved[current] = History.restored(places, index)
        elif shown is not None:
            saved[current] = History.restored([shown], 0)  # --article asked for another page
        self.histories = saved
        blocked = self.bar.blockSignals(True)
        while self.bar.count():
            self.bar.removeTab(0)
        for history in saved:
            place = history.current
            if place is not None:  # kept above: every saved tab has a current place
                self.bar.addTab(tab_title(self.window.library.entry(place.article_id).title))
        self.bar.blockSignals(blocked)
        self.bar.setVisible(self.count() > 1)
        self.current = -1
        self._activate(current, load=False)
