"""File > Export… offers the article's highlights and notes; Print Selection… and Export
Selection… (enabled only with a selection) print and write just the selected part, with the
article's title and source line, through the same export entry points."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtGui import QTextCursor
from PySide6.QtPrintSupport import QPrinter

from tests.ui_support import close_window, open_window
from viewer.export import pdf_export
from viewer.ui import selection_export

ARTICLE = "kratom-opioid-withdrawal"
# Within one safety box, across two sentence marks (a selection that leaves a box takes whole
# boxes: Qt selects table cells whole).
FROM, TO = "dry mouth", "Long-term use or abuse"


def select_between(window, first: str, last: str) -> None:
    document = window.ui.reader.document()
    start = document.find(first)
    end = document.find(last, start)
    cursor = QTextCursor(document)
    cursor.setPosition(start.selectionStart())
    cursor.setPosition(end.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    window.ui.reader.setTextCursor(cursor)


def test_export_offers_the_highlights_and_notes(qtbot, corpus_copy, tmp_path, data_dir):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    window.ui.reader.setTextCursor(
        window.ui.reader.document().find("mild gastrointestinal discomfort")
    )
    tools.ask_note = lambda current: "<i>ask</i> about ginger"
    tools.actions["note"].trigger()
    offered = []
    for include, name in ((True, "with.html"), (False, "without.html")):
        tools.exports.ask_target = lambda article, title, count, i=include, n=name: (
            offered.append(count) or (str(tmp_path / n), "html", i)
        )
        window.ui.commands["export"].trigger()
    assert offered == [1, 1]
    with_notes = (tmp_path / "with.html").read_text(encoding="utf-8")
    assert '<mark class="hl hl-yellow">mild gastrointestinal discomfort</mark>' in with_notes
    assert "&lt;i&gt;ask&lt;/i&gt; about ginger" in with_notes
    assert "<mark" not in (tmp_path / "without.html").read_text(encoding="utf-8")
    close_window(qtbot, window)


def test_the_include_box_shows_only_when_there_are_highlights(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog

    from viewer.core.model import Article

    seen = []

    def look_and_cancel():
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QFileDialog) and w.isVisible()
        )
        box = dialog.findChild(QCheckBox, "includeAnnotations")
        seen.append((box.isVisibleTo(dialog), box.text()))
        dialog.reject()

    for count in (2, 0):
        QTimer.singleShot(100, look_and_cancel)
        assert (
            selection_export.ask_target(
                None, Article("a-b", "A", "a.md", "md"), str(tmp_path), "Export", count
            )
            is None
        )
    assert seen == [
        (True, "Include my highlights and notes (2)"),
        (False, "Include my highlights and notes (0)"),
    ]


def test_selection_commands_are_enabled_only_with_a_selection(
    qtbot, corpus_copy, tmp_path, data_dir
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    actions = window.reading_tools.actions
    assert (
        not actions["export_selection"].isEnabled() and not actions["print_selection"].isEnabled()
    )
    select_between(window, FROM, TO)
    assert actions["export_selection"].isEnabled() and actions["print_selection"].isEnabled()
    file_menu = [a.objectName() for a in window.ui.menus["File"].actions()]
    assert (
        file_menu.index("export")
        < file_menu.index("print_selection")
        < file_menu.index("export_selection")
    )
    cursor = window.ui.reader.textCursor()
    cursor.clearSelection()
    window.ui.reader.setTextCursor(cursor)
    assert not actions["export_selection"].isEnabled()
    close_window(qtbot, window)


def test_export_and_print_selection_give_just_that_part(
    qtbot, corpus_copy, tmp_path, data_dir, monkeypatch
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    select_between(window, FROM, TO)
    exports = window.reading_tools.exports
    exports.ask_target = lambda article, title, count: (str(tmp_path / "part.txt"), "txt", False)
    window.reading_tools.actions["export_selection"].trigger()
    text = (tmp_path / "part.txt").read_text(encoding="utf-8")
    assert text.startswith(window.ui.reader.article.title)
    assert "Source: kratom-opioid-withdrawal.md" in text
    flowing = " ".join(
        line.removeprefix("! ") for line in text.splitlines()
    )  # unwrapped, no side rule
    assert "dry mouth. [◆ Caution: Side effects, Dosage caution] In some cases" in flowing
    assert "Long-term use or abuse" in text
    assert (
        "Common issues include" not in text
        and "muscle pain" not in text
        and "Southeast Asian" not in text
    )

    def to_pdf(parent, article, corpus_root):  # the print dialog's printer, as a PDF file
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        pdf_export.print_article(article, printer, corpus_root)
        return True

    monkeypatch.setattr(selection_export.printing, "print_article", to_pdf)
    assert exports.print_selection()
    printed = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "printed.pdf").pages
    )
    assert (
        "dry mouth" in printed
        and "An excerpt" in printed
        and "Common issues include" not in printed
    )
    close_window(qtbot, window)


def _printed_text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_print_offers_the_highlights_and_notes_in_the_dialog(
    qtbot, corpus_copy, tmp_path, data_dir, monkeypatch
):
    """File > Print… of a highlighted article: the dialog's Highlights tab has the box (on at
    first); printed with it, the page carries the note; with it off, the page has none."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QCheckBox

    from viewer.export import printer as printer_module

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    window.ui.reader.setTextCursor(
        window.ui.reader.document().find("mild gastrointestinal discomfort")
    )
    tools.ask_note = lambda current: "<i>ask</i> about ginger"
    tools.actions["note"].trigger()
    outputs = iter([tmp_path / "with.pdf", tmp_path / "without.pdf"])

    def pdf_printer():
        made = QPrinter(QPrinter.PrinterMode.HighResolution)
        made.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        made.setOutputFileName(str(next(outputs)))
        return made

    seen = []

    def choose(include: bool):
        def exec_(dialog):
            box = dialog.findChild(QCheckBox, "includeAnnotations")
            seen.append((box.text(), box.isChecked()))
            box.setChecked(include)
            return QPrintDialog.DialogCode.Accepted

        return exec_

    monkeypatch.setattr(printer_module, "new_printer", pdf_printer)
    for include in (True, False):
        monkeypatch.setattr(QPrintDialog, "exec", choose(include))
        window.ui.commands["print"].trigger()
    assert seen == [("Include my highlights and notes (1)", True)] * 2
    assert "about ginger" in _printed_text(tmp_path / "with.pdf")
    without = _printed_text(tmp_path / "without.pdf")
    assert "about ginger" not in without and "mild gastrointestinal discomfort" in without
    close_window(qtbot, window)


def test_print_of_an_article_without_highlights_has_no_highlights_tab(
    qtbot, corpus_copy, tmp_path, data_dir, monkeypatch
):
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QCheckBox

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    boxes = []

    def exec_(dialog):
        boxes.append(dialog.findChild(QCheckBox, "includeAnnotations"))
        return QPrintDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    window.ui.commands["print"].trigger()
    assert boxes == [None]
    close_window(qtbot, window)


def test_print_preview_toggles_the_highlights_and_notes(
    qtbot, corpus_copy, tmp_path, data_dir, monkeypatch
):
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from viewer.ui import printing

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=ARTICLE)
    tools = window.reading_tools
    window.ui.reader.setTextCursor(
        window.ui.reader.document().find("mild gastrointestinal discomfort")
    )
    tools.actions["highlight_yellow"].trigger()
    painted = []
    monkeypatch.setattr(
        printing,
        "_paint",
        lambda article, target, corpus_root, highlights=(): painted.append(len(highlights)),
    )

    def exec_(dialog):
        toggle = dialog.findChild(QAction, "includeAnnotations")
        pages = dialog.findChild(QPrintPreviewWidget)
        pages.updatePreview()  # shown: drawn with the highlights
        toggle.setChecked(False)  # redrawn without them
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    window.ui.commands["print_preview"].trigger()
    assert painted[0] == 1 and painted[-1] == 0
    close_window(qtbot, window)
