"""Copy Section URL gives the `article-viewer://` link the desktop hands back to the reader,
and the link opens that section; Copy Link to Section carries the same URL for what takes links."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from tests.ui_support import close_window, open_window
from viewer.cli import build_gui_parser
from viewer.gui_launch import resolve_links

B = "kratom-dopamine-withdrawal"


def test_copy_section_url_gives_a_link_that_opens_the_section(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=B)
    anchor = window.ui.contents.anchors()[2]
    window.open_place(B, anchor)
    window.reading_tools.actions["copy_url"].trigger()
    url = QGuiApplication.clipboard().text()
    assert url == f"article-viewer://article/{B}#{anchor}"
    assert url in window.statusBar().currentMessage()
    window.reading_tools.actions["copy_link"].trigger()  # the command as text, the URL as a link
    data = QGuiApplication.clipboard().mimeData()
    assert data.text() == f"article-viewer --article '{B}#{anchor}'"
    assert [u.toString() for u in data.urls()] == [url]
    close_window(qtbot, window)

    args = build_gui_parser().parse_args([url])  # what `Exec=article-viewer %u` passes
    resolve_links(args)
    opened = open_window(qtbot, corpus_copy, tmp_path / "other.ini", article=args.article_id)
    assert opened.ui.reader.article.id == B and opened.ui.contents.current_anchor() == anchor
    close_window(qtbot, opened)
