"""The menu bar and the toolbar, assembled from the actions of actions.py and the docks.

Layout only: which action goes where. Nothing here connects or decides behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar

# (menu title, [action names, "-" for a separator, "@docks" / "@theme" / "@recent" for generated
# parts; the window fills "Open Recent" each time it opens])
MENUS = (
    (
        "&File",
        [
            "open_file",
            "open_corpus",
            "@recent",
            "open_bundled",
            "-",
            "print",
            "print_preview",
            "export",
            "-",
            "quit",
        ],
    ),
    (
        "&Edit",
        [
            "copy",
            "select_all",
            "-",
            "find",
            "find_next",
            "find_previous",
            "-",
            "search",
            "clear_highlights",
        ],
    ),
    (
        "&View",
        [
            "@theme",
            "-",
            "zoom_in",
            "zoom_out",
            "zoom_reset",
            "-",
            "choose_font",
            "reset_font",
            "-",
            "@docks",
            "-",
            "full_screen",
        ],
    ),
    ("&Go", ["back", "forward", "-", "previous_section", "next_section", "-", "top", "end"]),
    ("&Help", ["guide", "shortcuts", "-", "about", "about_qt"]),
)
TOOLBAR = (
    "back",
    "forward",
    "-",
    "previous_section",
    "next_section",
    "-",
    "zoom_out",
    "zoom_in",
    "-",
    "find",
)
DOCK_SHORTCUTS = ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5")


def dock_in_front(dock: QDockWidget) -> bool:
    """Shown and not hidden behind another panel's tab (Qt keeps a tabbed-behind dock
    "visible": its widgets only lie under the front one)."""
    return not dock.isHidden() and (
        dock.isFloating() or not dock.visibleRegion().isEmpty() or not dock.window().isVisible()
    )


def show_hide_or_raise(dock: QDockWidget) -> None:
    """Ctrl+1…: a closed panel opens, one tabbed behind another comes to the front, and one in
    front closes (the toggle Qt gives a dock would close the one behind as well)."""
    if dock.isHidden():
        dock.show()
        dock.raise_()
    elif not dock_in_front(dock):
        dock.raise_()
    else:
        dock.close()


def dock_actions(window: QMainWindow, docks: Iterable[QDockWidget]) -> list[QAction]:
    """The docks' show/hide toggles, with Ctrl+1… shortcuts in dock order."""
    actions = []
    for dock, key in zip(docks, DOCK_SHORTCUTS):
        action = QAction(dock.windowTitle(), window)
        action.setObjectName(f"toggle_{dock.objectName()}")
        action.setCheckable(True)
        action.setChecked(not dock.isHidden())
        action.setShortcut(key)
        action.setStatusTip(f"Show or hide the {dock.windowTitle()} panel")
        action.triggered.connect(lambda _checked=False, d=dock, a=action: _toggle(d, a))
        dock.toggleViewAction().toggled.connect(action.setChecked)  # closed by its own button
        actions.append(action)
    return actions


def _toggle(dock: QDockWidget, action: QAction) -> None:
    show_hide_or_raise(dock)
    action.setChecked(not dock.isHidden())


def build_menus(
    window: QMainWindow, actions: Mapping[str, QAction], toggles: Sequence[QAction]
) -> dict[str, QMenu]:
    """The menu bar from MENUS; `toggles` (dock_actions) fill View > Panels."""
    menus: dict[str, QMenu] = {}
    for title, names in MENUS:
        menu = window.menuBar().addMenu(title)
        menu.setObjectName("menu" + title.replace("&", ""))
        for name in names:
            if name == "-":
                menu.addSeparator()
            elif name == "@theme":
                theme_menu = menu.addMenu("&Theme")
                theme_menu.setObjectName("menuTheme")
                for theme_name in (
                    "theme_system",
                    "theme_light",
                    "theme_dark",
                    "theme_high_contrast",
                ):
                    theme_menu.addAction(actions[theme_name])
            elif name == "@recent":
                recent = menu.addMenu("Open &Recent")
                recent.setObjectName("menuRecent")
                menus["Recent"] = recent
            elif name == "@docks":
                panels = menu.addMenu("&Panels")
                panels.setObjectName("menuPanels")
                for action in toggles:
                    panels.addAction(action)
            else:
                menu.addAction(actions[name])
        menus[title.replace("&", "")] = menu
    return menus


def build_toolbar(window: QMainWindow, actions: Mapping[str, QAction]) -> QToolBar:
    toolbar = QToolBar("Navigation", window)
    toolbar.setObjectName("navigationToolbar")
    toolbar.setAccessibleName("Navigation toolbar")
    toolbar.setIconSize(QSize(20, 20))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    toolbar.setMovable(False)
    for name in TOOLBAR:
        if name == "-":
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[name])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
