"""First run and files: a missing X11 library is one clear line; a file path, File > Open File,
a drop on the window, Open Recent and the bundled-articles entry open what the reader expects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui_support import close_window, open_window
from viewer import cli, platform_check
from viewer.core.resources import bundled_corpus_dir
from viewer.gui_launch import launch_gui, path_argument
from viewer.ui import opening

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def _article(folder: Path, name: str, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"---\ntitle: {title}\n---\n\nIntro of {title}.\n\n## Side effects\n\nDizziness.\n",
        encoding="utf-8",
    )
    return path


def test_missing_x11_libraries_are_named_with_their_packages_in_one_line():
    missing = platform_check.missing_from_ldd(LDD_OUTPUT)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]  # the cursor library is there
    line = platform_check.advice(missing)
    assert "\n" not in line
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in line
    assert "xcb-cursor" not in line
    assert platform_check.package_for("libxcb-foo.so.2") == "libxcb-foo2"
    assert platform_check.package_for("libfoo-1.so.3") == "libfoo-1-3"


def test_the_check_applies_to_x11_sessions_only():
    assert platform_check.uses_xcb({"DISPLAY": ":0"}) is True
    assert platform_check.uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is False
    assert platform_check.uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}) is False
    assert platform_check.uses_xcb({"QT_QPA_PLATFORM": "xcb"}) is True
    assert platform_check.xcb_plugin() is None or platform_check.xcb_plugin().name == "libqxcb.so"


def test_the_gui_stops_with_the_advice_before_qt_starts(monkeypatch, capsys):
    line = platform_check.advice(["libxcb-icccm.so.4"])
    monkeypatch.setattr(platform_check, "platform_problem", lambda: line)
    started = []
    monkeypatch.setattr("viewer.ui.app.run_app", lambda *args: started.append(args) or 0)
    assert launch_gui(type("Args", (), {})(), None) == 1
    assert capsys.readouterr().err.strip() == line
    assert not started


def test_a_path_argument_names_a_file_or_folder_and_a_missing_one_is_one_line(tmp_path, capsys):
    article = _article(tmp_path / "notes", "sleep.md", "Sleep Aids")
    args = type("Args", (), {"article_id": str(article), "article_option": None})()
    assert path_argument(args) == article
    args.article_id = "kratom-opioid-withdrawal"
    assert path_argument(args) is None  # an id stays an id
    assert cli.main([str(tmp_path / "nowhere" / "x.md")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or folder" in err and "Traceback" not in err


def test_a_file_named_at_start_opens_in_its_folder_selected(qtbot, tmp_path):
    article = _article(tmp_path / "notes", "sleep.md", "Sleep Aids")
    _article(tmp_path / "notes", "other.md", "Another One")
    window = open_window(
        qtbot, article.parent, tmp_path / "s.ini", open_file=str(article), new_corpus=True
    )
    assert window.ui.reader.article.id == "sleep"
    assert window.context.corpus == article.parent
    assert window.ui.tree.currentIndex().data() == "Sleep Aids"
    assert window.settings.recent[0] == str(article.parent)


def test_file_open_file_switches_to_the_files_folder(qtbot, corpus_copy, tmp_path, monkeypatch):
    article = _article(tmp_path / "elsewhere", "sleep.md", "Sleep Aids")
    monkeypatch.setattr(opening, "choose_article_file", lambda parent, start: str(article))
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    assert window.ui.commands["open_file"].shortcut().toString() == "Ctrl+O"
    window.ui.commands["open_file"].trigger()
    assert window.ui.reader.article.id == "sleep"
    assert window.context.corpus == article.parent
    # A file of the open collection opens in place, the collection unchanged.
    inside = corpus_copy / "kratom-dopamine-withdrawal.md"
    window.open_corpus(str(corpus_copy))
    window.open_path(str(inside))
    assert (
        window.context.corpus == corpus_copy
        and window.ui.reader.article.id == "kratom-dopamine-withdrawal"
    )


def _drop(window, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = window.ui.reader.viewport()
    point = QPoint(20, 20)
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def test_dropping_an_article_file_on_the_reading_pane_opens_it(qtbot, corpus_copy, tmp_path):
    article = _article(tmp_path / "dropped", "sleep.md", "Sleep Aids")
    picture = tmp_path / "dropped" / "photo.png"
    picture.write_bytes(b"\x89PNG")
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    assert not _drop(window, picture)  # not an article: refused, nothing changes
    assert window.context.corpus == corpus_copy
    assert _drop(window, article)
    assert window.ui.reader.article.id == "sleep" and window.context.corpus == article.parent


def test_open_recent_lists_folders_newest_first_and_the_bundled_entry_returns(
    qtbot, corpus_copy, tmp_path
):
    first = _article(tmp_path / "first", "a.md", "Alpha").parent
    second = _article(tmp_path / "second", "b.md", "Beta").parent
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings)
    window.open_corpus(str(first))
    window.open_corpus(str(second))
    recent = window.ui.menus["Recent"]
    recent.aboutToShow.emit()
    labels = [a.text() for a in recent.actions()]
    assert labels[0] == f"&1 {second}" and labels[1] == f"&2 {first}"
    recent.actions()[1].trigger()
    assert window.context.corpus == first and window.ui.reader.article.id == "a"
    close_window(qtbot, window)

    again = open_window(qtbot, first, settings)
    again.ui.menus["Recent"].aboutToShow.emit()
    assert [a.text() for a in again.ui.menus["Recent"].actions()][:2] == [
        f"&1 {first}",
        f"&2 {second}",
    ]
    file_menu = [a.text() for a in again.ui.menus["File"].actions()]
    assert "&Bundled Articles" in file_menu
    again.ui.commands["open_bundled"].trigger()
    assert again.context.corpus == bundled_corpus_dir()
    assert len(again.library) == 5


def test_the_next_start_shows_what_changed_in_the_folder_while_the_reader_was_closed(
    qtbot, corpus_copy, tmp_path
):
    """A small collection starts from its catalogue, but every file is still looked at: one
    edited, one removed and one added while the reader was closed are all seen at the next start,
    and the catalogue is brought up to date for the start after."""
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings)
    ids = {entry.id for entry in window.library.entries}
    close_window(qtbot, window)
    edited = corpus_copy / "kratom-chronic-pain-dosage.md"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\n\n", "\n\nA sentence written while it was closed.\n\n", 1))
    (corpus_copy / "kratom-withdrawal-hair-loss.md").unlink()
    _article(corpus_copy, "new-article.md", "Written while closed")

    again = open_window(qtbot, corpus_copy, settings)
    titles = {entry.title for entry in again.library.entries}
    assert "Written while closed" in titles and len(again.library.entries) == len(ids)
    changed = next(e for e in again.library.entries if e.path == edited.name)
    assert again.open_place(changed.id)
    assert "A sentence written while it was closed." in again.ui.reader.toPlainText()
    close_window(qtbot, again)

    third = open_window(qtbot, corpus_copy, settings)  # from the catalogue the second start wrote
    assert {entry.title for entry in third.library.entries} == titles
    close_window(qtbot, third)
