"""The small dialogs of the main window: About, "open this link?", font and folder choice.

Each is a function so that tests can replace it (monkeypatch) and the window stays wiring only.
Versions are read from package metadata, so the About box does not import Whoosh or Markdown.
"""

from __future__ import annotations

import html
import platform

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from viewer import APP_NAME, __version__
from viewer.render import DISCLAIMER
from viewer.ui.plain_text import plain_message, plain_question


def _package_version(*names: str) -> str:
    from importlib import metadata  # only for the About box; importing it costs start-up time

    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def versions() -> list[tuple[str, str]]:
    return [
        (APP_NAME, __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Whoosh", _package_version("Whoosh-Reloaded", "Whoosh")),
        ("Markdown", _package_version("Markdown")),
    ]


def about_html() -> str:
    from viewer.ui.licences import OWN_LICENCE, components

    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>&nbsp;&nbsp;{html.escape(value)}</td></tr>"
        for name, value in versions()
    )
    libraries = "".join(
        f"<tr><td>{html.escape(name)}&nbsp;&nbsp;</td><td>{html.escape(version)}&nbsp;&nbsp;</td>"
        f"<td>{html.escape(licence)}</td></tr>"
        for name, version, licence in components()
    )
    return (
        f"<h3>{APP_NAME} {html.escape(__version__)}</h3>"
        "<p>An offline reader for a local collection of health articles, with search and "
        "highlighted safety passages.</p>"
        f"<p><b>Not medical advice.</b> {html.escape(DISCLAIMER)}</p>"
        f"<table>{rows}</table>"
        f"<p>{APP_NAME} is free software under the {OWN_LICENCE} licence. It is built on:</p>"
        f"<table>{libraries}</table>"
        "<p>Licences… shows every licence in full.</p>"
    )


def show_about(parent: QWidget) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html())
    box.setObjectName("aboutBox")
    licences = box.addButton("&Licences…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    # An ActionRole button closes the box too; reopen nothing, just show the texts after it.
    box.exec()
    if box.clickedButton() is licences:
        licences_dialog(parent).exec()


def licences_dialog(parent: QWidget):
    """Every licence in full, as plain text in a scrolling window sized to the screen."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

    from viewer.ui.licences import full_text

    dialog = QDialog(parent)
    dialog.setObjectName("licencesDialog")
    dialog.setWindowTitle("Licences")
    layout = QVBoxLayout(dialog)
    text = QPlainTextEdit(dialog)
    text.setObjectName("licencesText")
    text.setReadOnly(True)
    text.setPlainText(full_text())
    layout.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    fit_to_screen(dialog, 700, 720)
    return dialog


def fit_to_screen(dialog: QWidget, width: int, height: int, share: float = 0.9) -> tuple[int, int]:
    """Size a dialog to `width` x `height`, but never past `share` of its screen's available
    area (a 900x1000 preview runs off a 1000-pixel screen, more so with large text scaling)."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or dialog.screen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * share))
        height = min(height, int(available.height() * share))
    dialog.resize(width, height)
    return width, height


def confirm_external_link(parent: QWidget, url: str) -> bool:
    """Ask before leaving the app for the web; True when the reader agrees."""
    answer = plain_question(
        parent,
        "Open in your web browser?",
        f"This link leads outside the collection:\n\n{url}\n\nOpen it in your web browser?",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Open


def open_external(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


def choose_font(parent: QWidget, current, shown_family: str, default_family: str):
    """View > Font and Layout: a ReadingFormat (family, size, spacing, width), or None if
    cancelled. It starts from `current` and applies all it shows (reading_dialog.py)."""
    from viewer.ui.reading_dialog import choose_reading_format

    return choose_reading_format(parent, current, shown_family, default_family)


def choose_corpus_folder(parent: QWidget, start: str) -> str | None:
    folder = QFileDialog.getExistingDirectory(parent, "Open a folder of articles", start)
    return folder or None


def warn(parent: QWidget, title: str, message: str) -> None:
    plain_message(parent, title, message)
