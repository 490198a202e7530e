"""The main window's parts as one typed object, built in one place: `window.ui`.

As in Qt for Python's documentviewer example (`self.ui = Ui_MainWindow(); self.ui.setupUi(self)`),
every widget, dock and action that the window and its helpers reach is a field of `WindowParts`,
so a type checker sees each of them and a reader finds where each is made. `build_ui` makes
them, in the order Qt needs (docks before View > Panels, actions before menus and toolbar);
the window then connects them (window_commands.py, `MainWindow._connect`).

The reading tools (ReadingTools: highlights, tabs, reading progress) fill the Annotations dock
and add their own menu; what they build stays theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar

from viewer.ui.actions import create_actions
from viewer.ui.find_bar import FindBar
from viewer.ui.icons import palette_stroke, unreadable_icon
from viewer.ui.menus import build_menus, build_toolbar, dock_actions
from viewer.ui.reader import ReaderView
from viewer.ui.safety_dock import SafetyPanel
from viewer.ui.search_panel import SearchPanel
from viewer.ui.search_worker import SearchService
from viewer.ui.settings import ReaderSettings
from viewer.ui.toc import ContentsView
from viewer.ui.topic_tree import KIND_ROOT, TopicTreeModel, TopicTreeView, TreeNode
from viewer.ui.window_parts import Docks, IndexStatus, ReadingArea, build_docks, set_focus_chain


@dataclass
class WindowParts:
    """What the main window is made of, by name."""

    reader: ReaderView  # the reading pane
    find_bar: FindBar  # find in the article, below the pane
    reading_area: ReadingArea  # the pane and find bar in their focus ring (central widget)
    tree_model: TopicTreeModel
    tree: TopicTreeView  # the Topics panel
    contents: ContentsView  # the Contents panel
    search_panel: SearchPanel
    safety: SafetyPanel  # the Safety panel (`safety.overview`), made when first on screen
    docks: Docks  # the side panels' docks by name
    # Not `actions`: that name is QWidget.actions(), the list of actions added to a widget.
    commands: dict[str, QAction]  # every command of actions.py, by name
    dock_toggles: list[QAction]  # View > Panels, Ctrl+1…
    menus: dict[str, QMenu]  # by title without "&" ("File", "View", …, "Recent")
    toolbar: QToolBar
    index_status: IndexStatus  # "Indexing…" / "Search ready" in the status bar


def build_ui(
    window: QMainWindow, search: SearchService, settings: ReaderSettings, marker: QIcon
) -> WindowParts:
    """Make the window's parts and put them in place: the reading pane with its find bar in the
    middle, the side panels in docks, the menus, the toolbar and the status bar's index corner."""
    # The palette is the theme's already (MainWindow applies it first): icons drawn once.
    commands = create_actions(window, palette_stroke(QApplication.palette()))
    reader = ReaderView(window)
    find_bar = FindBar(reader, window)
    find_bar.case_box.setChecked(settings.find_case)
    reading_area = ReadingArea(reader, find_bar, window)
    window.setCentralWidget(reading_area)
    # Not the warning triangle: that is the safety marker, and a broken file is not a caution.
    tree_model = TopicTreeModel(TreeNode(KIND_ROOT, ""), marker, unreadable_icon(), window)
    tree = TopicTreeView(tree_model)
    contents = ContentsView(marker)
    search_panel = SearchPanel(search, marker)
    search_panel.safety_only.setChecked(settings.safety_only)
    docks = build_docks(window, tree, contents, search_panel)
    safety = SafetyPanel(docks.safety, marker, tab_from=search_panel.results)
    set_focus_chain(
        window,
        (
            tree,
            contents,
            reader,
            find_bar.field,
            search_panel.field,
            search_panel.safety_only,
            search_panel.results,  # then the Safety list, once it is made (safety_dock.py)
        ),
    )
    dock_toggles = dock_actions(window, docks)
    menus = build_menus(window, commands, dock_toggles)
    toolbar = build_toolbar(window, commands)
    index_status = IndexStatus(window)
    window.statusBar().addPermanentWidget(index_status)
    return WindowParts(
        reader=reader,
        find_bar=find_bar,
        reading_area=reading_area,
        tree_model=tree_model,
        tree=tree,
        contents=contents,
        search_panel=search_panel,
        safety=safety,
        docks=docks,
        commands=commands,
        dock_toggles=dock_toggles,
        menus=menus,
        toolbar=toolbar,
        index_status=index_status,
    )
