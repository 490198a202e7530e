"""The Safety dock's panel, made when the dock is first on screen: `window.ui.safety`.

At start the Safety panel lies behind the Search tab, so neither it nor its module is made
before the first paint (window_parts.PanelOnDemand). Until it is, what the window and the
reading tools tell it (the library to list, the notes on warning sentences) is kept here and
handed over when it is made; its signals are relayed from here, so they can be connected at
start. Once made, the rows themselves are built when the dock comes forward (`build_pending`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDockWidget, QWidget

from viewer.ui.window_parts import PanelOnDemand

if TYPE_CHECKING:  # only for checking: the panel's module loads when it is first shown
    from viewer.core.library import Library
    from viewer.ui.safety_overview import SafetyOverview

# (anchor, paragraph, sentence start) -> [(highlight id, note)], as SafetyOverview.set_notes
SentenceNotes = dict[tuple[str, int, int], list[tuple[str, str]]]


class SafetyPanel(QObject):
    """The Safety panel by proxy until it exists, then the panel itself (`overview`)."""

    # article id, anchor, text to mark ("" for a section), whether it is a passage's start only
    passage_requested = Signal(str, str, str, bool)
    note_requested = Signal(str)  # the id of the highlight a note row belongs to

    def __init__(self, dock: QDockWidget, marker: QIcon, tab_from: QWidget) -> None:
        super().__init__(dock)
        self._marker = marker
        self._tab_from = tab_from  # Tab moves from this widget to the panel's list
        self._library: tuple[Library | None] | None = None  # to show once made
        self._notes: dict[str, SentenceNotes] = {}  # by article, to hand over once made
        self._panel = PanelOnDemand(dock, self._make, self._made)
        dock.visibilityChanged.connect(self._visibility_changed)

    @property
    def overview(self) -> SafetyOverview:
        """The panel, made now if its dock was never on screen."""
        return self._panel.get()

    def is_made(self) -> bool:
        return self._panel.built is not None

    def show_library(self, library: Library | None) -> None:
        if self._panel.built is not None:
            self._panel.built.show_library(library)
        else:
            self._library = (library,)

    def on_screen(self) -> bool:
        """Whether the panel's rows are on screen (a library given now is built at once: at
        10,000 articles, seconds), rather than kept until the dock comes forward."""
        built = self._panel.built
        return built is not None and built.isVisible() and not built.visibleRegion().isEmpty()

    def set_notes(self, article_id: str, notes: SentenceNotes) -> None:
        """The notes now on one article's warning sentences (replacing what it had)."""
        if self._panel.built is not None:
            self._panel.built.set_notes(article_id, notes)
        else:
            self._notes[article_id] = notes

    def _make(self) -> SafetyOverview:
        from viewer.ui.safety_overview import SafetyOverview

        return SafetyOverview(self._marker)

    def _made(self, overview: SafetyOverview) -> None:
        overview.passage_requested.connect(self.passage_requested)
        overview.note_requested.connect(self.note_requested)
        for article_id, notes in self._notes.items():
            overview.set_notes(article_id, notes)
        self._notes = {}
        if self._library is not None:
            (library,), self._library = self._library, None
            overview.show_library(library)
        QWidget.setTabOrder(self._tab_from, overview.tree)

    def _visibility_changed(self, shown: bool) -> None:
        # After PanelOnDemand (connected first) has made the panel: its rows, now on screen.
        if shown and self._panel.built is not None:
            self._panel.built.build_pending()
