"""What each command of the main window does: its actions (actions.py) connected to the window.

The window keeps navigation and state; this module only says which method a command calls,
so the wiring is read in one place (Frescobaldi keeps its actions and their use apart the same way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viewer.core.resources import bundled_corpus_dir
from viewer.ui import opening
from viewer.ui.actions import THEME_ACTIONS
from viewer.ui.settings import zoom_step

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def connect_commands(window: MainWindow) -> None:
    """Connect every command of `window.ui.commands` to what it does in `window`."""
    a = window.ui.commands
    a["open_corpus"].triggered.connect(lambda: opening.choose_and_open_folder(window))
    a["open_file"].triggered.connect(lambda: opening.choose_and_open_file(window))
    a["open_bundled"].triggered.connect(lambda: window.open_corpus(str(bundled_corpus_dir())))
    a["print"].triggered.connect(window.print_current)
    a["print_preview"].triggered.connect(window.preview_current)
    a["export"].triggered.connect(window.export_current)
    a["quit"].triggered.connect(window.close)
    a["copy"].triggered.connect(window.ui.reader.copy)
    a["select_all"].triggered.connect(window.ui.reader.selectAll)
    a["find"].triggered.connect(window.ui.find_bar.open_bar)
    a["find_next"].triggered.connect(window.ui.find_bar.find_next)
    a["find_previous"].triggered.connect(window.ui.find_bar.find_previous)
    a["search"].triggered.connect(window.focus_search)
    a["clear_highlights"].triggered.connect(window.escape)
    for theme, name in THEME_ACTIONS.items():
        a[name].triggered.connect(lambda _checked=False, t=theme: window.set_theme(t))
    a["zoom_in"].triggered.connect(lambda: window.set_zoom(zoom_step(window.settings.zoom, +1)))
    a["zoom_out"].triggered.connect(lambda: window.set_zoom(zoom_step(window.settings.zoom, -1)))
    a["zoom_reset"].triggered.connect(lambda: window.set_zoom(zoom_step(window.settings.zoom, 0)))
    a["choose_font"].triggered.connect(lambda: _choose_font(window))
    a["reset_font"].triggered.connect(lambda: window.set_font_family(""))
    a["full_screen"].toggled.connect(
        lambda on: window.showFullScreen() if on else window.showNormal()
    )
    a["menu_bar"].triggered.connect(lambda: _open_menu_bar(window))
    window.addAction(a["menu_bar"])  # in no menu (it opens them), so its key needs the window
    a["top"].triggered.connect(lambda: window.ui.reader.verticalScrollBar().setValue(0))
    a["end"].triggered.connect(
        lambda: window.ui.reader.verticalScrollBar().setValue(
            window.ui.reader.verticalScrollBar().maximum()
        )
    )
    for name in ("top", "end"):  # Ctrl+Home/End of the reading pane; lists and fields keep theirs
        a[name].setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.ui.reading_area.addAction(a[name])
    a["back"].triggered.connect(window.go_back)
    a["forward"].triggered.connect(window.go_forward)
    a["next_section"].triggered.connect(window.next_section)
    a["previous_section"].triggered.connect(window.previous_section)
    a["about"].triggered.connect(lambda: _about(window))
    a["guide"].triggered.connect(lambda: _help(window, guide=True))
    a["shortcuts"].triggered.connect(lambda: _help(window, guide=False))
    a["about_qt"].triggered.connect(QApplication.aboutQt)


# The dialogs' modules load when a dialog is first asked for, not with the window.


def _about(window: MainWindow) -> None:
    from viewer.ui import dialogs

    dialogs.show_about(window)


def _help(window: MainWindow, guide: bool) -> None:
    from viewer.ui import help_dialogs

    if guide:
        help_dialogs.guide_dialog(window).exec()
    else:
        help_dialogs.shortcuts_dialog(window, window.ui.commands, window.ui.dock_toggles).exec()


def _choose_font(window: MainWindow) -> None:
    from viewer.ui.reading_dialog import change_reading_format  # the dialog: only when asked

    change_reading_format(window)


def _open_menu_bar(window: MainWindow) -> None:
    """F10, as on most desktops: the first menu opens, arrows move on from there."""
    bar = window.menuBar()
    bar.setFocus(Qt.FocusReason.ShortcutFocusReason)
    bar.setActiveAction(bar.actions()[0])
