""" "Copy Link to Section", "Copy Section URL" and "Copy as Quote": what goes on the clipboard.

The texts come from viewer/core/annotations/citation.py; here they meet the clipboard. A quote
goes on it twice: as plain text and as `text/markdown`, so an editor that understands Markdown
pastes a block quote and everything else gets readable text. A link goes on it as the command
(text) and as the `article-viewer://` URL (a `text/uri-list`, for what takes links); "Copy
Section URL" puts the URL on as text.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QGuiApplication

from viewer.core.annotations.model import ReadingState
from viewer.ui import annotation_marks as marks

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.ui.main_window import MainWindow


OURS = "application/x-article-viewer-quote"  # marks the clipboard data this module put there


def copy_link(window: MainWindow, as_url: bool = False) -> str:
    """The link to the section on screen (the command, or with `as_url` the URL); "" when no
    article is open."""
    from viewer.core.annotations import citation  # with the first copy, not at start-up

    article = window.ui.reader.article
    if article is None:
        return ""
    anchor = window.ui.contents.current_anchor()
    url = citation.section_url(article.id, anchor)
    link = url if as_url else citation.section_link(article.id, anchor)
    data = QMimeData()
    data.setText(link)
    data.setUrls([QUrl(url)])
    data.setData(OURS, b"1")
    QGuiApplication.clipboard().setMimeData(data)
    window.statusBar().showMessage(f"Copied: {link}", 5000)
    return link


def copy_quote(
    window: MainWindow, sections: list[tuple[int, str]], state: ReadingState | None
) -> bool:
    """The selection with title, section, source file and the date it was read."""
    article, cursor = window.ui.reader.article, window.ui.reader.textCursor()
    if article is None or not cursor.hasSelection():
        window.statusBar().showMessage("Select the passage to quote first.", 5000)
        return False
    from viewer.core.annotations import citation

    text = cursor.selection().toPlainText()
    section = article.section(marks.section_at(sections, cursor.selectionStart()))
    read_on = (
        date.fromtimestamp(state.opened) if state is not None and state.opened else date.today()
    )
    cite = citation.Citation(
        article.title, section.heading if section else "", article.path, read_on
    )
    data = QMimeData()
    data.setText(citation.quote_plain(text, cite))
    data.setData("text/markdown", citation.quote_markdown(text, cite).encode("utf-8"))
    data.setData(OURS, b"1")
    QGuiApplication.clipboard().setMimeData(data)
    window.statusBar().showMessage("Copied the passage with its citation", 4000)
    return True


def release_clipboard() -> None:
    """Before the window goes: leave a quote on the clipboard as plain text only.

    PySide6 6.11 (seen here on the offscreen platform) crashes at exit when the clipboard still
    holds a QMimeData made in Python; swapping it for plain text while the app runs frees it."""
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(OURS):
        clipboard.setText(data.text())
