"""File > Print…, Print Preview… and Export… for the open article.

The page itself comes from viewer/export (the same renderer as the screen, in its print
palette). When the article has highlights, the print dialog gains a "Highlights" tab with an
"Include my highlights and notes" box, and the preview a toolbar toggle, both on at first
(the page then looks as the screen does), so a printout can carry them as an export does. Qt's print support and the export writers are imported only when used, so start-up
does not pay for them. Failures become a message box with a sentence, never a traceback.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from viewer.core.model import Article
from viewer.ui.plain_text import plain_message

log = logging.getLogger(__name__)
INCLUDE_LABEL = "Include my highlights and notes ({count})"


def _export_module():
    """viewer.export.dispatch, or None when it cannot be loaded."""
    try:
        return importlib.import_module("viewer.export.dispatch")
    except ImportError as exc:
        log.warning("export support unavailable: %s", exc)
        return None


def _paint(article: Article, printer, corpus_root: Path | None, highlights: tuple = ()) -> None:
    module = importlib.import_module("viewer.export.pdf_export")
    module.print_article(article, printer, corpus_root, highlights)


def _highlights_tab(dialog, count: int):
    """(the options tab, its check box) offering the reader's highlights in a print dialog."""
    from PySide6.QtWidgets import QCheckBox, QVBoxLayout

    tab = QWidget(dialog)  # owned by the dialog; its tab widget takes it over
    tab.setWindowTitle("Highlights")  # the tab's title
    include = QCheckBox(INCLUDE_LABEL.format(count=count), tab)
    include.setObjectName("includeAnnotations")
    include.setChecked(True)
    layout = QVBoxLayout(tab)
    layout.addWidget(include)
    layout.addStretch(1)
    return tab, include


def _unavailable(parent: QWidget, what: str) -> None:
    plain_message(
        parent, what, f"{what} is not available in this installation.", QMessageBox.Icon.Information
    )


def print_article(
    parent: QWidget, article: Article, corpus_root: Path | None = None, highlights: tuple = ()
) -> bool:
    """Ask for a printer and print; True when something was sent to the printer. `highlights`:
    the reader's highlights and notes (viewer/render/highlights.ExportNote), offered in the
    dialog's Highlights tab."""
    if _export_module() is None:
        _unavailable(parent, "Printing")
        return False
    from PySide6.QtPrintSupport import QPrintDialog

    from viewer.export.printer import new_printer

    printer = (
        new_printer()
    )  # the PDF's page layout, the locale's paper: the dialog may change the paper
    printer.setDocName(article.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print “{article.title}”")
    include = None
    if highlights:
        tab, include = _highlights_tab(dialog, len(highlights))
        dialog.setOptionTabs([tab])
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    chosen = highlights if include is not None and include.isChecked() else ()
    return _guarded(
        parent, "Printing failed", lambda: _paint(article, printer, corpus_root, chosen)
    )


def preview_article(
    parent: QWidget, article: Article, corpus_root: Path | None = None, highlights: tuple = ()
) -> None:
    """Print Preview…; with `highlights`, a toolbar toggle shows the page with or without them."""
    if _export_module() is None:
        _unavailable(parent, "Print preview")
        return
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from viewer.export.printer import new_printer

    printer = new_printer()
    printer.setDocName(article.title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview — {article.title}")
    include = _preview_toggle(dialog, len(highlights)) if highlights else None
    dialog.paintRequested.connect(
        lambda target: _guarded(
            parent,
            "Print preview failed",
            lambda: _paint(
                article,
                target,
                corpus_root,
                highlights if include is not None and include.isChecked() else (),
            ),
        )
    )
    from viewer.ui.dialogs import fit_to_screen

    fit_to_screen(dialog, 900, 1000)
    dialog.exec()


def _preview_toggle(dialog, count: int):
    """A checkable "highlights and notes" action on the preview's toolbar, redrawing the pages."""
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtWidgets import QToolBar

    include = QAction(INCLUDE_LABEL.format(count=count), dialog)
    include.setObjectName("includeAnnotations")
    include.setCheckable(True)
    include.setChecked(True)
    pages = dialog.findChild(QPrintPreviewWidget)
    if pages is not None:
        include.toggled.connect(lambda _on: pages.updatePreview())
    toolbar = dialog.findChild(QToolBar)
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(include)
    return include


def choose_export_target(parent: QWidget, article: Article, folder: str) -> tuple[str, str] | None:
    """(path, format) from a save dialog starting in `folder`, or None if cancelled."""
    from viewer.export.dispatch import EXPORT_FORMATS

    filters = ";;".join(f.dialog_filter for f in EXPORT_FORMATS)
    start = str(Path(folder or Path.home()) / f"{article.id}.pdf")
    path, chosen = QFileDialog.getSaveFileName(parent, f"Export “{article.title}”", start, filters)
    if not path:
        return None
    return export_target(path, chosen)


def export_target(path: str, chosen: str) -> tuple[str, str]:
    """(path, format) for a name and filter from the save dialog: the extension decides, else
    the filter (whose extension is then added)."""
    from viewer.export.dispatch import EXPORT_FORMATS, EXTENSIONS, export_format

    fmt = next((f.id for f in EXPORT_FORMATS if f.dialog_filter == chosen), None)
    fmt = EXTENSIONS.get(Path(path).suffix.lower()) or fmt or "pdf"
    if Path(path).suffix.lower() not in EXTENSIONS:
        path += export_format(fmt).extensions[0]
    return path, fmt


def export_article(
    parent: QWidget,
    article: Article,
    path: str,
    fmt: str,
    corpus_root: Path | None = None,
    options=None,
) -> bool:
    """Write the export behind a busy progress dialog; errors go to a message box. `options`:
    highlights and notes, or only a selection (viewer/render/annotated.ExportOptions)."""
    module = _export_module()
    if module is None:
        _unavailable(parent, "Export")
        return False
    progress = QProgressDialog(f"Exporting “{article.title}”…", "", 0, 0, parent)
    progress.setWindowTitle("Export")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.show()
    QApplication.processEvents()

    def advance(done: int, total: int) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(done)
        QApplication.processEvents()

    def write() -> None:
        if (
            fmt == "pdf"
        ):  # painted with Qt on this thread, a page at a time (advance() keeps it live)
            module.export_article(
                article, fmt, path, progress=advance, corpus_root=corpus_root, options=options
            )
        else:
            _in_background(lambda: module.export_article(article, fmt, path, options=options))

    try:
        return _guarded(parent, "Export failed", write)
    finally:
        progress.close()


def _in_background(job) -> None:
    """Run a pure-Python job (HTML, Markdown, text export) on a worker thread while this thread
    keeps the window painted; its exception, if any, is raised here."""
    from concurrent.futures import ThreadPoolExecutor, wait

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as pool:
        future = pool.submit(job)
        while not wait([future], timeout=0.03).done:
            QApplication.processEvents()
        future.result()


def _guarded(parent: QWidget, title: str, job) -> bool:
    from viewer.core.errors import ViewerError

    try:
        job()
    except (ViewerError, OSError) as exc:
        plain_message(parent, title, str(exc) or exc.__class__.__name__)
        return False
    except Exception as exc:  # noqa: BLE001 - a failed export must not take the reader down
        log.exception("%s", title)
        plain_message(parent, title, f"{exc.__class__.__name__}: {exc}")
        return False
    return True
