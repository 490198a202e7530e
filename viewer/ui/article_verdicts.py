"""An article opened before its safety verdicts are known: shown at once, checked in a thread.

On a first launch the collection is read without the safety classifier (viewer/ui/startup.py)
and its verdicts come in a second pass (viewer/ui/verdicts.py). Classifying the article being
opened in the UI thread cost the first page half a second (building the classifier) on top of
its parse. So an article whose entry is pending is shown read without the classifier, with a
plain line above the page ("Checking safety…": never "no warnings", never colour alone) and
its sections in the Contents panel unmarked; its verdicts are asked for in a thread (the
library's own get(), which classifies a pending entry), and when they come the page is shown
again in place, at the same reading position, and the line goes. The verdicts go to the
window's records at once too (verdicts.VerdictRunner.give): its row in the Topics tree and its
search results are shown checked then, not when the whole verdict pass ends, also when the
reader has gone on to another page meanwhile.

Whatever prints or exports the article on screen asks `checked()` first: an article still
unchecked is classified there and then, so it is never printed as free of warnings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from viewer.core.errors import ViewerError
from viewer.ui.job_threads import JobThreads

if TYPE_CHECKING:
    from viewer.core.library import Library
    from viewer.core.model import Article
    from viewer.ui.main_window import MainWindow

# The Safety panel's words for the same state (safety_overview.still_checking).
CHECKING = (
    "Checking safety… This article is not checked for safety passages yet: "
    "its marks appear in a moment."
)


class _Relay(QObject):
    done = Signal(object, object)  # the unchecked article shown, its classified one (or error)


class ArticleVerdicts(QObject):
    """The open article's verdicts when its entry is pending (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._jobs = JobThreads("article-verdicts")
        self._unchecked: Article | None = None  # the page shown without its verdicts
        self._closed = False
        self.notice = QLabel(CHECKING, window)
        self.notice.setObjectName("checkingSafety")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setContentsMargins(8, 4, 8, 4)
        self.notice.hide()
        window.ui.reading_area.insert_above(self.notice)
        # Any other page (another article, an error, the same one classified) ends the notice.
        window.ui.reader.document_replaced.connect(self._page_changed)

    def open(self, library: Library, article_id: str) -> Article:
        """The article to show for `article_id`: at once without its verdicts if they are not
        known yet (asked for in a thread), else as library.get() gives it."""
        article = library.get_unchecked(article_id)
        if article is None:
            return library.get(article_id)
        self._unchecked = article
        # Once the page is painted: building the classifier in a thread still shares the
        # interpreter with the UI thread, and would slow the first page down.
        QTimer.singleShot(0, lambda: self._submit(library, article))
        return article

    def _submit(self, library: Library, article: Article) -> None:
        if self.is_unchecked(article) and not self._closed:
            self._jobs.submit(self._classify, library, article)

    def is_unchecked(self, article: Article | None) -> bool:
        return article is not None and article is self._unchecked

    def checked(self, article: Article) -> Article:
        """`article`, classified: the one on screen is classified now if it is not yet (and
        shown so), for a print or an export never to show it as free of warnings."""
        if not self.is_unchecked(article) or self.window.library is None:
            return article
        classified = self.window.library.get(article.id)  # raises UnknownArticle if gone
        self._show(article, classified)
        self.window.startup.verdicts.give(classified)
        return classified

    def _classify(self, library: Library, article: Article) -> None:  # in its thread
        from viewer.core.parse_worker import shared_annotators

        # Built before the library's lock is taken: the UI thread reading another article
        # from the same library never waits the half second this takes.
        shared_annotators()
        try:
            classified: Article | ViewerError = library.get(article.id)
        except ViewerError as exc:
            classified = exc
        self._relay.done.emit(article, classified)

    def _on_done(self, article: Article, classified) -> None:
        shown = self.is_unchecked(article) and self.window.ui.reader.article is article
        # (Else another page came meanwhile, or a print classified it first.)
        if isinstance(classified, ViewerError):
            if shown:
                self._unchecked = None
                self.window.show_error_page("Cannot read this article", f"{classified}.")
            return
        if shown:
            self._show(article, classified)
        if not self._closed:  # whatever the page is now: the tree's row and results are its
            self.window.startup.verdicts.give(classified)

    def _show(self, article: Article, classified: Article) -> None:
        """The classified article in place of the unchecked page, where the reader was."""
        self._unchecked = None
        window, reader = self.window, self.window.ui.reader
        if reader.article is not article:
            return
        bar = reader.verticalScrollBar()
        section, value = reader.current_section(), bar.value()
        tops = reader.section_tops()
        # The boxes and labels of the marks move the text: kept at the same place in the
        # same section rather than at the same pixel.
        inside = value - tops[section] if 0 <= section < len(tops) and value > 0 else None
        reader.show_article(classified)
        window.ui.contents.show_article(classified)
        if inside is not None:
            bar.setValue(round(reader.section_tops()[section] + inside))
        window.ui.contents.set_current_position(reader.current_section())

    def _page_changed(self) -> None:
        shown = self.window.ui.reader.article
        if not self.is_unchecked(shown):
            self._unchecked = None
        self.notice.setVisible(self.is_unchecked(shown))

    def close(self) -> None:
        self._closed = True
        self._unchecked = None
        self._jobs.stop()
