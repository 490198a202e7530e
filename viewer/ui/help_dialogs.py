"""Help > User Guide and Help > Keyboard Shortcuts.

The shortcuts list is generated from the action table (actions.py), the panel toggles and the
keys the reading pane handles itself, so it cannot drift from what the keys do. The guide is
resources/help/guide.md, shown with Qt's own Markdown support (our text, not an article's).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME
from viewer.core.resources import resource_path
from viewer.ui.actions import ACTIONS

# Keys the reading pane and the search box handle without an action of their own.
BUILT_IN_KEYS = (
    ("Scroll the article by a screen", "Page Down, Page Up, Space"),
    ("Move between the window's parts", "Tab, Shift+Tab"),
    ("Open the selected search result", "Enter"),
    ("From the search box to the results", "Down"),
)


# Keys with a name of their own; other unmodified names ("Open", "Copy", "Zoom In") are the
# dedicated keys of some keyboards, which the platform's standard bindings include: not listed.
NAMED_KEYS = {"Esc", "Backspace", "Del", "Ins", "Home", "End", "Space", "Enter", "Return", "Tab"}


def _typed(text: str) -> bool:
    return (
        "+" in text
        or text in NAMED_KEYS
        or (text[:1] == "F" and text[1:].isdigit())
        or len(text) == 1
    )


def _keys(action: QAction) -> str:
    texts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
    return ", ".join(t for t in texts if _typed(t))


def shortcut_rows(actions: dict[str, QAction], toggles: list[QAction]) -> list[tuple[str, str]]:
    """(command, keys) for every command that has a key, in menu-table order."""
    rows = []
    for spec in ACTIONS:
        action = actions.get(spec.name)
        if action is not None and _keys(action):
            rows.append((spec.text.replace("&", "").rstrip("…"), _keys(action)))
    for toggle in toggles:
        rows.append(
            (
                f"Show, bring forward or hide the {toggle.text().replace('&', '')} panel",
                _keys(toggle),
            )
        )
    rows.extend(BUILT_IN_KEYS)
    return rows


def _dialog(parent: QWidget, title: str, name: str) -> tuple[QDialog, QVBoxLayout]:
    from viewer.ui.dialogs import fit_to_screen

    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    fit_to_screen(dialog, 620, 640)
    return dialog, layout


def shortcuts_dialog(
    parent: QWidget, actions: dict[str, QAction], toggles: list[QAction]
) -> QDialog:
    dialog, layout = _dialog(parent, "Keyboard Shortcuts", "shortcutsDialog")
    rows = shortcut_rows(actions, toggles)
    table = QTableWidget(len(rows), 2, dialog)
    table.setObjectName("shortcutsTable")
    table.setAccessibleName("Keyboard shortcuts")
    table.setHorizontalHeaderLabels(["Command", "Keys"])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    for row, (command, keys) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(command))
        table.setItem(row, 1, QTableWidgetItem(keys))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    layout.insertWidget(0, table)
    return dialog


def guide_dialog(parent: QWidget) -> QDialog:
    dialog, layout = _dialog(parent, f"{APP_NAME} Guide", "guideDialog")
    browser = QTextBrowser(dialog)
    browser.setObjectName("guideText")
    browser.setAccessibleName("User guide")
    browser.setOpenLinks(False)
    try:
        text = resource_path("help/guide.md").read_text(encoding="utf-8")
    except OSError as exc:
        text = f"The guide could not be read ({exc.strerror or exc}); see the README."
    browser.setMarkdown(text)
    layout.insertWidget(0, browser)
    return dialog
