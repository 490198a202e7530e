"""Annotations > Export Annotations…: the save dialog, and what it says when writing fails.

The writing itself is ReadingTools.export_to (viewer/core/annotations/export.py underneath),
which the tests call directly; this module is only the dialog around it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from viewer.core.errors import ViewerError
from viewer.ui.plain_text import plain_message

if TYPE_CHECKING:  # only for checking: main_window imports the reading tools, which import this
    from viewer.ui.main_window import MainWindow

FILTERS = "Markdown (*.md);;W3C Web Annotation JSON-LD (*.json)"


def export_dialog(window: MainWindow, export_to: Callable[[Path, str], Path]) -> None:
    """Ask where, then write Markdown or JSON-LD (by the name's extension or the chosen filter)."""
    folder = window.settings.export_folder or str(Path.home())
    path, chosen = QFileDialog.getSaveFileName(
        window, "Export Annotations", str(Path(folder) / "annotations.md"), FILTERS
    )
    if not path:
        return
    fmt = "json" if path.lower().endswith(".json") or "json" in chosen.lower() else "md"
    try:
        written = export_to(Path(path), fmt)
    except ViewerError as exc:
        plain_message(window, "Export Annotations", str(exc))
        return
    window.statusBar().showMessage(f"Exported annotations to {written}", 8000)
