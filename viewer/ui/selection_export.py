"""Export…, Print… and Print Preview… with the reader's highlights and notes, and Print
Selection… / Export Selection….

When the article has highlights, the save dialog is Qt's own (the platform's cannot hold an
extra control) with an "Include my highlights and notes" box; otherwise it is the usual one. The selection is placed in the
article's text by viewer/render/excerpt.py; both go to the usual entry points (printing.py's
print_article and export_article) as an ExportOptions (viewer/render/annotated.py), so the
excerpt is printed and written by the same writers as a whole article.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFileDialog, QGridLayout

from viewer.core.model import Article
from viewer.ui import printing

if TYPE_CHECKING:  # imported where used: the window's first paint needs neither (about 5 ms)
    from viewer.render.annotated import ExportOptions

INCLUDE_LABEL = printing.INCLUDE_LABEL


def ask_target(
    parent, article: Article, folder: str, title: str, highlights: int
) -> tuple[str, str, bool] | None:
    """(path, format, include highlights) from a save dialog, or None when cancelled."""
    from viewer.export.dispatch import EXPORT_FORMATS

    filters = ";;".join(f.dialog_filter for f in EXPORT_FORMATS)
    dialog = QFileDialog(
        parent, title, str(Path(folder or Path.home()) / f"{article.id}.pdf"), filters
    )
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    include = QCheckBox(INCLUDE_LABEL.format(count=highlights), dialog)
    include.setObjectName("includeAnnotations")
    include.setChecked(True)
    include.setVisible(highlights > 0)
    layout = dialog.layout()
    if isinstance(layout, QGridLayout):
        layout.addWidget(include, layout.rowCount(), 0, 1, layout.columnCount())
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path, fmt = printing.export_target(dialog.selectedFiles()[0], dialog.selectedNameFilter())
    return path, fmt, highlights > 0 and include.isChecked()


class SelectionExport:
    """The export and print commands of the reading tools (`tools` is the ReadingTools)."""

    def __init__(self, tools) -> None:
        self.tools = tools
        self.window = tools.window
        self.ask_target = self._ask_target  # tests replace this

    def _ask_target(
        self, article: Article, title: str, highlights: int
    ) -> tuple[str, str, bool] | None:
        """With highlights to offer, Qt's dialog with the box; without, the usual (platform) one."""
        folder = self.window.settings.export_folder
        if highlights:
            return ask_target(self.window, article, folder, title, highlights)
        chosen = printing.choose_export_target(self.window, article, folder)
        return (*chosen, False) if chosen is not None else None

    def _highlights(self, article: Article) -> list:
        return [a for a in self.tools.store.annotations(article.id) if not a.is_bookmark]

    def export_article(self, article: Article) -> bool:
        """File > Export…: the whole article, with its highlights and notes if the reader wants."""
        article = self._checked(article)
        highlights = self._highlights(article)
        target = self.ask_target(article, f"Export “{article.title}”", len(highlights))
        if target is None:
            return False
        path, fmt, include = target
        from viewer.render.annotated import ExportOptions, notes_for_export

        options = ExportOptions(notes_for_export(article, highlights)) if include else None
        return self._write(article, path, fmt, options)

    def print_article(self, article: Article) -> bool:
        """File > Print…: the dialog offers the article's highlights and notes, if any."""
        article = self._checked(article)
        return printing.print_article(
            self.window, article, self.window.context.corpus, self._notes(article)
        )

    def preview_article(self, article: Article) -> None:
        """File > Print Preview…, with a toggle for the article's highlights and notes."""
        article = self._checked(article)
        printing.preview_article(
            self.window, article, self.window.context.corpus, self._notes(article)
        )

    def _checked(self, article: Article) -> Article:
        """The article with its safety verdicts: one shown before them is classified first
        (article_verdicts.py), never printed or written as free of warnings."""
        return self.window.article_verdicts.checked(article)

    def _notes(self, article: Article) -> tuple:
        highlights = self._highlights(article)
        if not highlights:
            return ()
        from viewer.render.annotated import notes_for_export

        return notes_for_export(article, highlights)

    def selection(self) -> tuple[int, int] | None:
        """Where the pane's selection lies in the article's text; says why not in the status bar."""
        reader, article = self.window.ui.reader, self.window.ui.reader.article
        cursor = reader.textCursor()
        if article is None or not cursor.hasSelection():
            self.window.statusBar().showMessage(
                "Select the part of the article to print or export first.", 5000
            )
            return None
        from viewer.render.excerpt import locate_selection

        near = cursor.selectionStart() / max(1, reader.document().characterCount())
        text = cursor.selection().toPlainText()  # before checked(), which may show the page again
        article = self._checked(article)
        found = locate_selection(article, text, near)
        if found is None:
            self.window.statusBar().showMessage(
                "The selection holds none of the article's own text.", 5000
            )
        return found

    def export_selection(self) -> bool:
        found = self.selection()
        article = self.window.ui.reader.article
        if found is None:
            return False
        target = self.ask_target(article, f"Export Selection of “{article.title}”", 0)
        if target is None:
            return False
        path, fmt, _include = target
        from viewer.render.annotated import ExportOptions

        return self._write(article, path, fmt, ExportOptions(selection=found))

    def print_selection(self) -> bool:
        found = self.selection()
        article = self.window.ui.reader.article
        if found is None:
            return False
        from viewer.render.excerpt import select_article

        return printing.print_article(
            self.window, select_article(article, *found), self.window.context.corpus
        )

    def _write(self, article: Article, path: str, fmt: str, options: ExportOptions | None) -> bool:
        self.window.settings.export_folder = str(Path(path).parent)
        if printing.export_article(
            self.window, article, path, fmt, self.window.context.corpus, options
        ):
            self.window.statusBar().showMessage(f"Exported to {path}", 8000)
            return True
        return False
