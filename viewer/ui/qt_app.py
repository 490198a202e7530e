"""The running QApplication, typed: `QApplication.instance()` is declared as a QCoreApplication
or None, while every widget of this package exists only under a QApplication. And letting go
of the module sources PySide6 reads at import (drop_module_sources)."""

from __future__ import annotations

import linecache

from PySide6.QtWidgets import QApplication


def running_app() -> QApplication:
    """The QApplication this process runs (viewer/ui/app.py creates it before any widget)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication: create one before the reader's widgets")
    return app


def drop_module_sources() -> None:
    """Let go of the source lines of every module imported so far.

    Once PySide6 is loaded, each module an `import` names is read whole through `inspect`
    (PySide6's `__feature__` support looks for the word "PySide6" in it), and linecache keeps
    those lines for the life of the process: at the first paint some 160 files, 2.5 MB of text
    and twice that in memory, and more with Whoosh. Only a traceback would read them again,
    and it reads the file anew when the lines are not cached."""
    linecache.clearcache()
