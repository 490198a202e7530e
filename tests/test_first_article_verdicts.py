"""The first article of a first launch is readable at once, before its safety verdicts
(viewer/ui/article_verdicts.py): shown with "Checking safety…" and no marks, then in place with
its marks once its verdicts come, at the same reading position; a print or an export of it
before then has its warnings all the same."""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QPoint, Qt

from tests.test_background_catalogue import TEMPLATE, PausedVerdicts, write_collection
from tests.ui_support import close_window, open_window
from viewer.ui.article_verdicts import CHECKING

LONG_BACKGROUND = "\n".join(
    f"Background paragraph {i}: kratom grows as a tall tree in wet forests, with broad green leaves."
    for i in range(60)
)


class PausedArticleVerdicts:
    """The window's on-demand classification of the open article waits until released (the
    thread it runs in builds the classifier first: it waits there). Nothing else waits."""

    def __init__(self, monkeypatch) -> None:
        import viewer.core.parse_worker as parse_worker

        self.reached, self._go = threading.Event(), threading.Event()
        real = parse_worker.shared_annotators

        def annotators():
            if threading.current_thread().name.startswith("article-verdicts"):
                self.reached.set()
                self._go.wait(60)
            return real()

        monkeypatch.setattr(parse_worker, "shared_annotators", annotators)

    def release(self) -> None:
        self._go.set()


def _first_launch(qtbot, tmp_path, monkeypatch):
    paths = write_collection(tmp_path / "c", 8)
    # A long first article, so that the reader can be somewhere in the middle of it.
    text = TEMPLATE.format(n=0).replace(
        "Article 0 gives the background: kratom is a plant from Southeast Asia.", LONG_BACKGROUND
    )
    stamp = paths[0].stat().st_mtime_ns
    paths[0].write_text(text, encoding="utf-8")
    os.utime(paths[0], ns=(stamp, stamp))
    passes = PausedVerdicts(monkeypatch, at="article-003.txt")  # the whole pass stays behind
    opened = PausedArticleVerdicts(monkeypatch)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    window.resize(900, 500)
    qtbot.waitUntil(lambda: window.ui.reader.article is not None, timeout=30000)
    return window, passes, opened


def _marked_sections(window) -> list[str]:
    """The Contents panel's sections that carry the safety marker (said to screen readers)."""
    contents = window.ui.contents
    found = []
    for row in range(contents.topLevelItemCount()):
        item = contents.topLevelItem(row)
        if item.data(0, Qt.ItemDataRole.AccessibleTextRole):
            found.append(item.text(0))
    return found


def _top_line(window) -> str:
    reader = window.ui.reader
    return reader.cursorForPosition(QPoint(40, 5)).block().text()


def test_the_first_article_is_shown_checking_then_with_its_marks_where_the_reader_was(
    qtbot, tmp_path, monkeypatch
):
    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    try:
        reader, notice = window.ui.reader, window.article_verdicts.notice
        assert window.startup.mode == "build"
        assert reader.article is not None and reader.article.id == "article-000"
        assert window.library.entry("article-000").pending
        # Readable now: its text, a plain line saying it is being checked, and no marks.
        assert "Background paragraph 30" in reader.toPlainText()
        assert notice.isVisibleTo(window) and notice.text() == CHECKING
        assert notice.text().startswith("Checking safety")
        assert "no warnings" not in notice.text().lower()
        assert "\u26a0" not in reader.toPlainText()  # no "⚠ Safety" box
        assert _marked_sections(window) == []
        # The reader goes down into the long section.
        qtbot.waitUntil(opened.reached.is_set, timeout=30000)
        reader.scroll_to_section(reader.article.sections[2].anchor)
        bar = reader.verticalScrollBar()
        bar.setValue(bar.value() + 300)
        before = _top_line(window)
        assert before.startswith("Background paragraph")
        opened.release()
        # Its verdicts come: the marks, no notice, and the same paragraph at the top.
        qtbot.waitUntil(lambda: not notice.isVisibleTo(window), timeout=30000)
        assert [s.heading for s in reader.article.safety_sections] == ["Dosage", "Side effects"]
        assert "\u26a0" in reader.toPlainText()
        assert _marked_sections(window) == ["Dosage", "Side effects"]
        assert _top_line(window) == before
        assert window.ui.contents.current_anchor() == reader.article.sections[2].anchor
    finally:
        opened.release()
        passes.release()
    close_window(qtbot, window)


def test_printing_or_exporting_the_first_article_before_its_verdicts_has_its_warnings(
    qtbot, tmp_path, monkeypatch
):
    import viewer.ui.printing as printing

    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    printed = []
    monkeypatch.setattr(
        printing, "print_article", lambda parent, article, *rest: printed.append(article) or True
    )
    try:
        qtbot.waitUntil(opened.reached.is_set, timeout=30000)  # its verdicts not there yet
        assert window.article_verdicts.notice.isVisibleTo(window)
        exports = window.reading_tools.exports
        exports.ask_target = lambda article, title, count: (str(tmp_path / "a.txt"), "txt", False)
        window.export_current()
        text = (tmp_path / "a.txt").read_text(encoding="utf-8")
        assert "! SAFETY: Dosage caution" in text and "! SAFETY: Side effects" in text
        # The page was checked for it: its marks are on screen, the notice gone.
        assert not window.article_verdicts.notice.isVisibleTo(window)
        assert "\u26a0" in window.ui.reader.toPlainText()
        window.print_current()
        assert [s.heading for s in printed[-1].safety_sections] == ["Dosage", "Side effects"]
    finally:
        opened.release()
        passes.release()
    close_window(qtbot, window)


def test_printing_the_first_article_before_its_verdicts_classifies_it_first(
    qtbot, tmp_path, monkeypatch
):
    import viewer.ui.printing as printing

    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    printed = []
    monkeypatch.setattr(
        printing, "print_article", lambda parent, article, *rest: printed.append(article) or True
    )
    try:
        qtbot.waitUntil(opened.reached.is_set, timeout=30000)
        assert "\u26a0" not in window.ui.reader.toPlainText()
        window.print_current()
        assert [s.heading for s in printed[0].safety_sections] == ["Dosage", "Side effects"]
        assert not window.article_verdicts.notice.isVisibleTo(window)
    finally:
        opened.release()
        passes.release()
    close_window(qtbot, window)


def test_verdicts_of_an_article_left_meanwhile_do_not_replace_the_page_shown_now(
    qtbot, tmp_path, monkeypatch
):
    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    try:
        qtbot.waitUntil(opened.reached.is_set, timeout=30000)  # article 0 being checked
        qtbot.waitUntil(lambda: "article-002" in window.library, timeout=30000)
        window.open_place("article-002")  # pending too: shown at once, checked after the first
        assert window.ui.reader.article.id == "article-002"
        assert window.article_verdicts.notice.isVisibleTo(window)
        opened.release()
        # Article 0's verdicts come first and are dropped; article 2's then show in place.
        qtbot.waitUntil(
            lambda: not window.article_verdicts.notice.isVisibleTo(window), timeout=30000
        )
        assert window.ui.reader.article.id == "article-002"
        assert [s.heading for s in window.ui.reader.article.safety_sections] == [
            "Dosage",
            "Side effects",
        ]
        assert "Article 2 gives the background" in window.ui.reader.toPlainText()
    finally:
        opened.release()
        passes.release()
    close_window(qtbot, window)
