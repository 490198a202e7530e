"""The status-bar label that tells how far the reading of a collection has come."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from viewer.core.catalogue_builder import Batch


class LibraryStatus(QLabel):
    """'Reading articles: 1,200 of 10,000 · 95 a second · about 1 min 32 s left'."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryStatus")
        self.hide()

    def show_progress(self, batch: Batch) -> None:
        self.setText(batch.progress.describe())
        self.setToolTip("The collection is being read; articles can be opened as they appear.")
        self.show()

    def done(self) -> None:
        self.hide()
