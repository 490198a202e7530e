"""Untrusted text in tooltips, labels and message boxes: always shown as the text it is.

Qt guesses whether a tooltip, label or message is rich text (`Qt.mightBeRichText`: a tag or
an entity near the start) and then renders it, so an article title such as `<img src='/dev/zero'>`
would make Qt load a file (or read until memory runs out). Labels and boxes are switched to
plain text; tooltips have no such switch, so text that could look like markup is escaped
(with the one escaping function) inside a paragraph that keeps its spaces and line breaks.
"""

from __future__ import annotations

from PySide6.QtGui import Qt  # QtGui's Qt namespace has mightBeRichText
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from viewer.render.markup import escape_html


def tooltip_text(text: str) -> str:
    """The tooltip string that Qt displays as exactly `text`, markup characters and all."""
    text = str(text or "")
    if "<" not in text and not Qt.mightBeRichText(text):
        return text  # Qt sees neither a tag nor an entity: shown as written
    return '<p style="white-space:pre-wrap">' + escape_html(text) + "</p>"


def plain_label(label: QLabel) -> QLabel:
    """A label that never interprets its text as markup (it may show titles, queries, paths)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_message(
    parent: QWidget | None,
    title: str,
    message: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> None:
    """A modal message box whose text is shown as written (it may quote titles or file names)."""
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def plain_question(
    parent: QWidget | None,
    title: str,
    message: str,
    buttons: QMessageBox.StandardButton,
    default: QMessageBox.StandardButton,
) -> int:
    box = QMessageBox(QMessageBox.Icon.Question, title, message, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(default)
    return box.exec()
