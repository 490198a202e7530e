"""Every command of the main window, declared once: text, shortcuts, icon, tip (Frescobaldi-style).

`create_actions` turns the table into QActions keyed by name; the window connects them and
`menus.py` places them. Shortcuts prefer the platform's standard keys (`QKeySequence`
standard keys) and fall back to common ones where a platform defines none (Quit on Linux).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle

from viewer import APP_NAME
from viewer.ui.icons import STROKE, drawn_icon, themed_icon

Std = QKeySequence.StandardKey
SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    standard: Std | None = None  # the platform's standard key, when there is one
    keys: tuple[str, ...] = ()  # extra shortcuts, or the fallback when `standard` has none
    icon: str = ""  # freedesktop icon name
    fallback: str | SP | None = (
        None  # drawn icon kind or Qt standard icon if the theme has no `icon`
    )
    tip: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec(
        "open_file",
        "&Open File…",
        Std.Open,
        (),
        "document-open",
        SP.SP_FileIcon,
        "Open an article file; its folder becomes the collection",
    ),
    ActionSpec(
        "open_corpus",
        "Open &Folder…",
        None,
        ("Ctrl+Shift+O",),
        "folder-open",
        SP.SP_DirOpenIcon,
        "Read the articles of another folder",
    ),
    ActionSpec(
        "open_bundled",
        "&Bundled Articles",
        None,
        (),
        "go-home",
        None,
        f"Back to the articles that come with {APP_NAME}",
    ),
    ActionSpec(
        "print", "&Print…", Std.Print, ("Ctrl+P",), "document-print", None, "Print the open article"
    ),
    ActionSpec(
        "print_preview",
        "Print Pre&view…",
        None,
        ("Ctrl+Shift+P",),
        "document-print-preview",
        None,
        "See the printed pages of the open article",
    ),
    ActionSpec(
        "export",
        "&Export…",
        None,
        ("Ctrl+Shift+E",),
        "document-save-as",
        SP.SP_DialogSaveButton,
        "Save the open article as PDF, HTML, Markdown or plain text",
    ),
    ActionSpec(
        "quit", "&Quit", Std.Quit, ("Ctrl+Q",), "application-exit", None, f"Close {APP_NAME}"
    ),
    # Edit
    ActionSpec("copy", "&Copy", Std.Copy, (), "edit-copy", None, "Copy the selected text"),
    ActionSpec(
        "select_all",
        "Select &All",
        Std.SelectAll,
        (),
        "edit-select-all",
        None,
        "Select the whole article",
    ),
    ActionSpec(
        "find",
        "&Find in Article…",
        Std.Find,
        (),
        "edit-find",
        "find",
        "Find words in the open article",
    ),
    ActionSpec("find_next", "Find &Next", Std.FindNext, ("F3",), "go-down", "down", "Next match"),
    ActionSpec(
        "find_previous",
        "Find Pre&vious",
        Std.FindPrevious,
        ("Shift+F3",),
        "go-up",
        "up",
        "Previous match",
    ),
    ActionSpec(
        "search",
        "&Search All Articles…",
        None,
        ("Ctrl+K",),
        "system-search",
        "find",
        "Search every article in the collection",
    ),
    ActionSpec(
        "clear_highlights",
        "Clear &Highlights",
        None,
        ("Esc",),
        "",
        None,
        "Remove search highlights and close the find bar",
    ),
    # View
    ActionSpec(
        "theme_system", "Follow &System", checkable=True, tip="Light or dark, like the desktop"
    ),
    ActionSpec("theme_light", "&Light", checkable=True, tip="Dark text on a light page"),
    ActionSpec("theme_dark", "&Dark", checkable=True, tip="Light text on a dark page"),
    ActionSpec(
        "theme_high_contrast",
        "&High Contrast",
        checkable=True,
        tip="White text on black, yellow links, strong outlines",
    ),
    ActionSpec(
        "zoom_in", "Zoom &In", Std.ZoomIn, ("Ctrl++", "Ctrl+="), "zoom-in", "zoom-in", "Larger text"
    ),
    ActionSpec(
        "zoom_out", "Zoom &Out", Std.ZoomOut, ("Ctrl+-",), "zoom-out", "zoom-out", "Smaller text"
    ),
    ActionSpec(
        "zoom_reset",
        "&Actual Size",
        None,
        ("Ctrl+0",),
        "zoom-original",
        None,
        "Text at its normal size",
    ),
    ActionSpec(
        "choose_font",
        "&Font and Layout…",
        None,
        (),
        "preferences-desktop-font",
        None,
        "Font, size, line spacing and page width of the article text",
    ),
    ActionSpec(
        "reset_font", "&Default Font", None, (), "", None, "The article text in its usual font"
    ),
    ActionSpec(
        "menu_bar", "&Menu Bar", None, ("F10",), "", None, "Open the menu bar from the keyboard"
    ),
    ActionSpec(
        "full_screen",
        "F&ull Screen",
        Std.FullScreen,
        ("F11",),
        "view-fullscreen",
        None,
        "Use the whole screen",
        checkable=True,
    ),
    # Go
    ActionSpec("back", "&Back", Std.Back, ("Alt+Left",), "go-previous", "back", "Go back"),
    ActionSpec(
        "forward", "&Forward", Std.Forward, ("Alt+Right",), "go-next", "forward", "Go forward"
    ),
    ActionSpec(
        "previous_section",
        "&Previous Section",
        None,
        ("Alt+Up",),
        "go-up",
        "up",
        "Go to the previous section",
    ),
    ActionSpec(
        "next_section",
        "&Next Section",
        None,
        ("Alt+Down",),
        "go-down",
        "down",
        "Go to the next section",
    ),
    ActionSpec(
        "top",
        "&Top of Article",
        None,
        ("Ctrl+Home",),
        "go-top",
        None,
        "Go to the start of the article",
    ),
    ActionSpec(
        "end",
        "&End of Article",
        None,
        ("Ctrl+End",),
        "go-bottom",
        None,
        "Go to the end of the article",
    ),
    # Help
    ActionSpec(
        "guide",
        "User &Guide",
        Std.HelpContents,
        ("F1",),
        "help-contents",
        None,
        "How to open, find, read and print articles",
    ),
    ActionSpec(
        "shortcuts",
        "&Keyboard Shortcuts",
        None,
        ("Ctrl+/",),
        "preferences-desktop-keyboard",
        None,
        "Every key the reader understands",
    ),
    ActionSpec(
        "about",
        f"&About {APP_NAME}",
        None,
        (),
        "help-about",
        None,
        "Version, medical disclaimer and licences",
    ),
    ActionSpec("about_qt", "About &Qt", None, (), "", None, "The Qt toolkit's version and licence"),
)

THEME_ACTIONS = {
    "system": "theme_system",
    "light": "theme_light",
    "dark": "theme_dark",
    "high-contrast": "theme_high_contrast",
}


def shortcuts_for(spec: ActionSpec) -> list[QKeySequence]:
    keys = QKeySequence.keyBindings(spec.standard) if spec.standard is not None else []
    seen = {k.toString() for k in keys}
    for text in spec.keys:
        if text not in seen:
            keys.append(QKeySequence(text))
            seen.add(text)
    return keys


def create_actions(parent: QObject, stroke: str = STROKE) -> dict[str, QAction]:
    """One QAction per table row (no connections), plus an exclusive group for the themes; the
    icons drawn here (no desktop icon theme) in `stroke`, the colour for the window's palette."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.name)
        action.setShortcuts(shortcuts_for(spec))
        if spec.icon or spec.fallback is not None:
            action.setIcon(
                themed_icon(spec.icon, spec.fallback, stroke)
                if spec.fallback is not None
                else QIcon.fromTheme(spec.icon)
            )
        tip = spec.tip or spec.text.replace("&", "").rstrip("…")
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        action.setStatusTip(tip)
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    group = QActionGroup(parent)
    group.setExclusive(True)
    for name in THEME_ACTIONS.values():
        group.addAction(actions[name])
    return actions


def recolour_drawn_icons(actions: dict[str, QAction], stroke: str) -> None:
    """Redraw the icons this module draws itself (no desktop icon theme) in `stroke`, so they
    follow the light or dark theme; icons from the desktop's theme are left alone."""
    for spec in ACTIONS:
        if isinstance(spec.fallback, str) and QIcon.fromTheme(spec.icon).isNull():
            actions[spec.name].setIcon(drawn_icon(spec.fallback, stroke))
