"""The running QApplication, typed: `QApplication.instance()` is declared as a QCoreApplication
or None, while every widget of this package exists only under a QApplication."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def running_app() -> QApplication:
    """The QApplication this process runs (viewer/ui/app.py creates it before any widget)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication: create one before the reader's widgets")
    return app
