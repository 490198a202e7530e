"""File menu and reading comfort: export, print preview, another corpus folder, font choice."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui_support import close_window, open_window
from viewer.ui import dialogs, printing

DOPAMINE = "kratom-dopamine-withdrawal"


def test_export_writes_the_chosen_format_and_remembers_the_folder(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    asked = []

    def save_dialog(parent, title, start, filters):
        asked.append((title, start, filters))
        return str(out_dir / "dopamine"), "Plain text (*.txt)"

    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName", save_dialog)
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article=DOPAMINE)
    window.ui.commands["export"].trigger()
    written = out_dir / "dopamine.txt"
    assert written.exists()
    assert "Does Kratom Increase Dopamine" in written.read_text(encoding="utf-8")
    assert "PDF document (*.pdf)" in asked[0][2] and asked[0][1].endswith(f"{DOPAMINE}.pdf")
    close_window(qtbot, window)

    again = open_window(qtbot, corpus_copy, settings, article=DOPAMINE)
    again.ui.commands["export"].trigger()
    assert asked[1][1].startswith(str(out_dir))  # the dialog opens where the last export went


def test_an_export_that_fails_says_why_in_a_message_box(qtbot, corpus_copy, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(
        printing.QFileDialog,
        "getSaveFileName",
        lambda *args: (str(tmp_path / "no" / "such" / "folder" / "x.html"), "Web page (*.html)"),
    )
    monkeypatch.setattr(
        printing, "plain_message", lambda parent, title, text, *icon: warnings.append((title, text))
    )
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    window.ui.commands["export"].trigger()
    assert warnings and warnings[0][0] == "Export failed" and warnings[0][1]


def test_print_preview_paints_the_article(qtbot, corpus_copy, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    target = tmp_path / "preview.pdf"

    def fake_exec(dialog):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    window.ui.commands["print_preview"].trigger()
    assert target.exists() and target.read_bytes().startswith(b"%PDF")


def test_opening_another_corpus_folder_replaces_the_collection(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    other = tmp_path / "other"
    other.mkdir()
    (other / "sleep.md").write_text(
        "---\ntitle: Sleep Aids\n---\n\nSleep aids can cause next-day drowsiness.\n"
        "\n## Side effects\n\nDrowsiness and dizziness.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "choose_corpus_folder", lambda parent, start: str(other))
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article=DOPAMINE)
    window.ui.commands["open_corpus"].trigger()
    assert window.ui.reader.article.id == "sleep"
    assert [a.id for a in window.library.articles] == ["sleep"]
    assert window.ui.tree_model.root().children[0].label == "All articles (1)"
    assert not window.ui.commands["back"].isEnabled()  # history of the other collection is gone
    close_window(qtbot, window)

    from viewer.ui.app import gui_corpus
    from viewer.ui.settings import open_store

    args = type("Args", (), {"corpus": None})()
    assert gui_corpus(args, open_store(str(settings))) == other


def test_a_chosen_font_is_used_for_the_text_and_remembered(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    from dataclasses import replace

    monkeypatch.setattr(
        dialogs,
        "choose_font",
        lambda parent, current, shown, default: replace(current, family="DejaVu Sans"),
    )
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article=DOPAMINE)
    window.ui.commands["choose_font"].trigger()
    block = window.ui.reader.document().find("Kratom, derived").charFormat()
    assert "DejaVu Sans" in (block.fontFamilies() or [block.fontFamily()])
    close_window(qtbot, window)
    again = open_window(qtbot, corpus_copy, settings)
    assert again.ui.reader.font_family == "DejaVu Sans"
    again.ui.commands["reset_font"].trigger()
    assert again.ui.reader.font_family == ""


def test_every_menu_command_has_a_keyboard_route(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    for name, menu in window.ui.menus.items():
        assert "&" in menu.title(), name  # reachable with Alt+letter
        for action in menu.actions():
            if action.isSeparator() or action.menu():
                continue
            assert "&" in action.text() or not action.shortcut().isEmpty(), action.text()
    # The docks can be toggled from the keyboard too.
    toggle = window.ui.dock_toggles[1]
    assert toggle.shortcut().toString() == "Ctrl+2"
    toggle.trigger()
    assert not window.ui.docks.contents.isVisible()
    toggle.trigger()
    assert window.ui.docks.contents.isVisible()
    assert window.focusWidget() is not None
    window.ui.tree.setFocus(Qt.FocusReason.OtherFocusReason)
    assert window.ui.tree.nextInFocusChain() is not None


def test_a_slow_text_export_keeps_the_window_responsive(qtbot, corpus_copy, tmp_path, monkeypatch):
    """HTML/Markdown/text exports run off the UI thread: events are handled while they work."""
    import threading

    from PySide6.QtCore import QTimer

    from viewer.export import dispatch

    real_export = dispatch.export_article
    threads, ticks = [], []

    def slow_export(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        threading.Event().wait(0.5)
        return real_export(*args, **kwargs)

    monkeypatch.setattr(dispatch, "export_article", slow_export)
    monkeypatch.setattr(
        printing.QFileDialog,
        "getSaveFileName",
        lambda *args: (str(tmp_path / "out.html"), "Web page (*.html)"),
    )
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start(20)
    window.ui.commands["export"].trigger()
    heartbeat.stop()
    assert threads == [False]  # the export ran on a worker thread
    assert len(ticks) >= 2  # the UI thread kept handling timer events meanwhile
    assert "Does Kratom Increase Dopamine" in (tmp_path / "out.html").read_text(encoding="utf-8")
