"""The reading tools' commands, declared once (text, shortcuts, tip), like viewer/ui/actions.py.

viewer/ui/reading_tools.py connects them and puts them in the Annotations menu; every one has a
shortcut, so the keyboard reaches all of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QTextBrowser

from viewer.core.annotations.model import COLOURS
from viewer.ui.actions import ActionSpec, shortcuts_for

ACTIONS = (
    ActionSpec(
        "highlight", "&Highlight Selection", None, ("Ctrl+H",), tip="Highlight the selected text"
    ),
    ActionSpec(
        "note",
        "Add or Edit &Note…",
        None,
        ("Ctrl+Alt+N",),
        tip="Attach a note to the highlight at the cursor (or highlight the selection with a note)",
    ),
    ActionSpec(
        "remove_highlight",
        "&Remove Highlight",
        None,
        ("Ctrl+Shift+H",),
        tip="Remove the highlight at the cursor",
    ),
    ActionSpec(
        "bookmark_section",
        "&Bookmark This Section",
        None,
        ("Ctrl+D",),
        tip="Bookmark the section on screen",
    ),
    ActionSpec(
        "bookmark_article",
        "Bookmark This &Article",
        None,
        ("Ctrl+Shift+D",),
        tip="Bookmark the whole article",
    ),
    ActionSpec(
        "mark_read",
        "Mark as &Read",
        None,
        ("Ctrl+Shift+R",),
        tip="Mark the open article read or unread",
        checkable=True,
    ),
    ActionSpec(
        "copy_link",
        "Copy &Link to Section",
        None,
        ("Ctrl+Shift+L",),
        tip="Copy a link that opens this section: article-viewer --article ID#section",
    ),
    ActionSpec(
        "copy_url",
        "Copy Section &URL",
        None,
        ("Ctrl+Alt+L",),
        tip="Copy a URL that opens this section: article-viewer://article/ID#section",
    ),
    ActionSpec(
        "copy_quote",
        "Copy as &Quote",
        None,
        ("Ctrl+Shift+C",),
        tip="Copy the selection with title, section, source file and date read",
    ),
    ActionSpec(
        "print_selection",
        "Print &Selection…",
        None,
        ("Ctrl+Alt+P",),
        tip="Print only the selected part of the article, with its title and source",
    ),
    ActionSpec(
        "export_selection",
        "Export Se&lection…",
        None,
        ("Ctrl+Alt+Shift+E",),
        tip="Export only the selected part of the article (PDF, HTML, Markdown, text)",
    ),
    ActionSpec(
        "export_annotations",
        "E&xport Annotations…",
        None,
        ("Ctrl+Alt+E",),
        tip="Save the collection's highlights and notes as Markdown or JSON-LD",
    ),
    ActionSpec(
        "repair_annotations",
        "Set Damaged Annotations &Aside…",
        None,
        ("Ctrl+Alt+Shift+A",),
        tip="Keep the damaged annotations file aside and start a new one",
    ),
)
COLOUR_KEYS = ("Ctrl+Alt+1", "Ctrl+Alt+2", "Ctrl+Alt+3", "Ctrl+Alt+4")


def create_reading_actions(window) -> dict[str, QAction]:
    """One QAction per row and per colour, added to the window so their shortcuts work everywhere."""
    actions = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        action.setShortcuts(shortcuts_for(spec))
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip)
        action.setCheckable(spec.checkable)
        window.addAction(action)
        actions[spec.name] = action
    for colour, key in zip(COLOURS, COLOUR_KEYS):
        action = QAction(f"{colour.capitalize()} ({COLOURS[colour]})", window)
        action.setObjectName(f"highlight_{colour}")
        action.setShortcut(key)
        action.setStatusTip(f"Highlight the selection in {colour}, drawn with a {COLOURS[colour]}")
        window.addAction(action)
        actions[f"highlight_{colour}"] = action
    return actions


ANNOTATIONS_MENU = (
    "note",
    "remove_highlight",
    "-",
    "bookmark_section",
    "bookmark_article",
    "mark_read",
    "-",
    "copy_link",
    "copy_url",
    "copy_quote",
    "-",
    "export_annotations",
    "repair_annotations",
)


def add_reading_menus(
    window: QMainWindow, actions: Mapping[str, QAction], menus: dict[str, QMenu]
) -> None:
    """The Annotations menu before Help, and Print/Export Selection after File > Export…"""
    menu = QMenu("&Annotations", window)
    menu.setObjectName("menuAnnotations")
    menu.addAction(actions["highlight"])
    colours = menu.addMenu("Highlight in &Colour")
    for colour in COLOURS:
        colours.addAction(actions[f"highlight_{colour}"])
    for name in ANNOTATIONS_MENU:
        menu.addSeparator() if name == "-" else menu.addAction(actions[name])
    help_menu = menus.get("Help")
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    menus["Annotations"] = menu
    file_menu = menus.get("File")
    export = (
        next((a for a in file_menu.actions() if a.objectName() == "export"), None)
        if file_menu
        else None
    )
    if file_menu is not None and export is not None:
        after = file_menu.actions()[file_menu.actions().index(export) + 1 :]
        for name in ("print_selection", "export_selection"):
            if after:
                file_menu.insertAction(after[0], actions[name])
            else:
                file_menu.addAction(actions[name])


CONTEXT_MENU = (
    "highlight",
    "note",
    "remove_highlight",
    "copy_quote",
    "-",
    "bookmark_section",
    "copy_link",
    "copy_url",
)


def show_context_menu(reader: QTextBrowser, actions: Mapping[str, QAction], pos: QPoint) -> None:
    """The pane's own menu (Copy, Select All, link entries) with the reading tools below it."""
    menu = reader.createStandardContextMenu(pos)
    menu.addSeparator()
    for name in CONTEXT_MENU:
        menu.addSeparator() if name == "-" else menu.addAction(actions[name])
    menu.exec(reader.viewport().mapToGlobal(pos))
    menu.deleteLater()
