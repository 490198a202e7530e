"""The reader's notes shown in the Safety panel beside the warning sentences they are on.

The open article's notes go in as its page changes or a note is written; those of every other
article with notes go in once the Safety panel is first on screen (each of those articles is
read from its file for it: never before the first paint). Finding which sentence a note is on
is viewer/core/annotations/safety_notes.py (no Qt); this only feeds the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from viewer.core.annotations.model import Annotation
from viewer.core.annotations.safety_notes import notes_by_sentence
from viewer.core.errors import ViewerError

if TYPE_CHECKING:
    from viewer.core.annotations.store import AnnotationStore
    from viewer.ui.main_window import MainWindow


class SafetyNotesFeed:
    """Which articles' notes the Safety panel holds, and filling it."""

    def __init__(self, window: MainWindow, store: Callable[[], AnnotationStore]) -> None:
        self.window = window
        self._store = store  # the current annotation store (another corpus opens another)
        self._noted: set[str] | None = None  # articles whose notes the panel shows; None: none yet
        self._others_pending = False  # the notes of articles not open: when the panel shows

    def show(self, article, annotations: list[Annotation], panel_in_front: bool) -> None:
        """The notes of `article` (its `annotations`) in the panel; every other article's too
        once the panel is in front."""
        if self._noted is None:
            self._noted = set()
            self._others_pending = True
        if article is not None:
            self._show(article, annotations)
        if panel_in_front:
            self.show_others()

    def show_others(self) -> None:
        """Every other article's notes, once (the panel came on screen)."""
        if not self._others_pending:
            return
        self._others_pending = False
        store = self._store()
        library, article = self.window.library, self.window.ui.reader.article
        others = {a.article_id for a in store.annotations() if a.note.strip() and not a.is_bookmark}
        for article_id in sorted(others - {article.id if article is not None else ""}):
            try:
                other = (
                    library.get(article_id)
                    if library is not None and article_id in library
                    else None
                )
            except ViewerError:
                other = None
            if other is not None:
                self._show(other, store.annotations(article_id))

    def forget(self) -> None:
        """Another set of annotations (another corpus, a fresh database): none of these notes."""
        for article_id in self._noted or ():
            self.window.ui.safety.set_notes(article_id, {})
        self._noted = None

    def _show(self, article, annotations: list[Annotation]) -> None:
        found = notes_by_sentence(article, annotations)
        noted = self._noted if self._noted is not None else set()
        self._noted = noted
        if found or article.id in noted:
            self.window.ui.safety.set_notes(
                article.id,
                {place: [(a.id, a.note) for a in notes] for place, notes in found.items()},
            )
        if found:
            noted.add(article.id)
