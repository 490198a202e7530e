"""Opening files and folders: File > Open File, Open Recent, the bundled articles, and drops.

`open_path` opens a file or folder in the window; `article_path_in` says which article (or
unreadable file) a path is once the collection is loaded; `dropped_paths` reads what was dragged
onto the window; `fill_recent_menu` lists the remembered folders; the choose_and_open_* functions
are File > Open File… and Open Folder…. Navigation itself stays in
main_window.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from viewer.core.library import ARTICLE_SUFFIXES, Library
from viewer.core.resources import bundled_corpus_dir
from viewer.ui.settings import remember_folder

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import ReaderSettings

FILE_FILTER = "Articles (*.md *.markdown *.txt);;All files (*)"


def relative_in(folder: Path, file: Path) -> str | None:
    """`file`'s path inside `folder` in the library's form ("a/b.md"), or None if outside it."""
    try:
        return file.absolute().relative_to(folder.absolute()).as_posix()
    except ValueError:
        try:
            return file.resolve().relative_to(folder.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            return None


def article_path_in(library: Library, rel: str) -> tuple[str, str]:
    """("article", id) or ("problem", reason) for a file of the library, or ("", "") if unknown."""
    for entry in library.entries:
        if entry.path == rel:
            return "article", entry.id
    for problem in library.problems:
        if problem.path == rel:
            return "problem", problem.error
    return "", ""


def openable(path: Path) -> bool:
    """A folder (a collection) or a file with an article's extension."""
    return path.is_dir() or (path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES)


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drag that the reader can open, in drag order."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if openable(p)]


def choose_article_file(parent: QWidget, start: str) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, "Open an article", start, FILE_FILTER)
    return path or None


def fill_recent_menu(
    menu: QMenu, folders: list[str], current: str, open_folder: Callable[[str], None]
) -> None:
    """The remembered folders, newest first, the one open now checked; missing ones disabled."""
    menu.clear()
    shown = [f for f in folders if f]
    if not shown:
        empty = menu.addAction("No recent folders")
        empty.setEnabled(False)
        return
    for number, folder in enumerate(shown, start=1):
        escaped = folder.replace("&", "&&")  # a "&" in a folder name is not a mnemonic
        action = menu.addAction(f"&{number} {escaped}" if number < 10 else escaped)
        action.setCheckable(True)
        action.setChecked(Path(folder) == Path(current))
        action.setEnabled(Path(folder).is_dir())
        action.setToolTip(folder if Path(folder).is_dir() else f"{folder} (no longer there)")
        action.triggered.connect(lambda _checked=False, f=folder: open_folder(f))


def open_path(window: MainWindow, path: str) -> bool:
    """What MainWindow.open_path does: `window` is the main window (open_corpus, open_place,
    show_problem, show_error_page, context and library are what this uses)."""
    target = Path(path).absolute()
    if target.is_dir():
        window.open_corpus(str(target))
        return True
    rel = relative_in(window.context.corpus, target) if window.library is not None else None
    if rel is None or not (window.context.corpus / rel).is_file():
        window.open_corpus(str(target.parent), open_first=False)
        rel = target.name
    found, detail = article_path_in(window.library, rel) if window.library is not None else ("", "")
    if found == "article":
        return window.open_place(detail)
    if found == "problem":
        window.show_problem(str(target), detail)
    else:
        window.show_error_page(
            f"Cannot open {target.name}",
            f"{target} is not an article: the reader opens .md, .markdown and .txt files.",
        )
    return False


def choose_and_open_file(window: MainWindow) -> None:
    """File > Open File…: an article file chosen in a dialog, opened as open_path does."""
    path = choose_article_file(window, str(window.context.corpus))
    if path:
        window.open_path(path)


def choose_and_open_folder(window: MainWindow) -> None:
    """File > Open Folder…: the chosen folder becomes the collection."""
    from viewer.ui import dialogs

    folder = dialogs.choose_corpus_folder(window, str(window.context.corpus))
    if folder:
        window.open_corpus(folder)


def remember_recent(settings: ReaderSettings, folder: str) -> None:
    """Put `folder` first in Open Recent (the bundled articles have their own menu entry)."""
    if Path(folder).absolute() != bundled_corpus_dir().absolute():
        settings.recent = remember_folder(settings.recent, str(Path(folder).absolute()))


def fill_recent(window: MainWindow) -> None:
    """Fill Open Recent as it opens, the open collection marked."""
    fill_recent_menu(
        window.ui.menus["Recent"],
        window.settings.recent,
        str(window.context.corpus.absolute()),
        window.open_corpus,
    )
