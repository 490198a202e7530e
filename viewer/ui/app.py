"""Starting the desktop reader: the QApplication, the settings store, the window, --screenshot.

`run_app(args, context, target)` is called by viewer/gui_launch.py once a display is known to
exist. It reads the GUI options of viewer/cli.py (ARTICLE_ID/--article, --search, --theme,
--size, --settings, --screenshot) and returns the process exit code. `target` is a file or
folder named on the command line: its folder becomes the collection (and the file is opened).
"""

from __future__ import annotations

import gc
import signal
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from viewer import APP_ID, APP_NAME
from viewer.context import Context, resolve_corpus
from viewer.gui_launch import check_linked_article
from viewer.ui.qt_app import running_app
from viewer.ui.settings import APPLICATION, KEY_CORPUS, ORGANIZATION, open_store

DESKTOP_FILE_NAME = APP_ID  # resources/desktop/article-viewer.desktop
SCREENSHOT_SIZE = (1280, 800)


def _application() -> QApplication:
    if QApplication.instance() is None:
        QGuiApplication.setDesktopFileName(DESKTOP_FILE_NAME)
        # X11 takes the window's WM_CLASS from argv[0]: under `python -m viewer` that would be
        # "__main__.py", which no desktop file or window rule matches.
        app = QApplication([APPLICATION])
    else:
        app = running_app()
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    return app


def gui_corpus(args, store: QSettings) -> Path:
    """The folder the window opens: as the command line resolves it, with the folder the reader
    opened last time in place of the bundled articles."""
    return resolve_corpus(getattr(args, "corpus", None), store.value(KEY_CORPUS))


def run_app(args, context: Context, target: Path | None = None) -> int:
    app = _application()
    store = open_store(getattr(args, "settings", None))
    open_file = ""
    if target is not None:
        folder = target if target.is_dir() else target.parent
        context = Context(folder, context.cache_dir)
        open_file = "" if target.is_dir() else str(target)
    else:
        corpus = gui_corpus(args, store)
        if corpus != context.corpus:
            context = Context(corpus, context.cache_dir)

    check_linked_article(args, context)  # an article-viewer:// link names an article of this corpus
    # No collections until the first paint (the window turns the collector back on then, see
    # StartOptions.collector_paused): start-up builds modules, widgets and the library, which
    # all stay, and some 90 collections walked them before the first paint for nothing.
    # (The command line's GUI path turned it off earlier already; a caller in Python did not.)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        window = _window(args, context, store, target, open_file)
    except BaseException:
        if was_enabled:  # no window, so nobody would switch it back on
            gc.enable()
        raise

    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        from viewer.ui.screenshot import ScreenshotTaker

        wait_for_search = bool(getattr(args, "search", None))
        taker = ScreenshotTaker(window, Path(screenshot), wait_for_search=wait_for_search)
        window.show()
        app.exec()
        return taker.exit_code
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C in the terminal quits
    window.show()
    return app.exec()


def _window(args, context: Context, store: QSettings, target: Path | None, open_file: str):
    """The main window as the command line asked for it (not shown yet)."""
    from viewer.ui.main_window import MainWindow, StartOptions

    screenshot = getattr(args, "screenshot", None)
    options = StartOptions(
        article=""
        if target is not None
        else (getattr(args, "article_option", None) or getattr(args, "article_id", None) or ""),
        open_file=open_file,
        new_corpus=target is not None,
        search=getattr(args, "search", None) or "",
        theme=getattr(args, "theme", None) or "",
        # A screenshot has a fixed default size, whatever the (possibly virtual) screen is.
        size=getattr(args, "size", None) or (SCREENSHOT_SIZE if screenshot else None),
        remember=not screenshot,
        collector_paused=True,
    )
    return MainWindow(context, store, options)
