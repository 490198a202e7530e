"""Starting the GUI from the command line: check for a display, and for the system libraries
Qt needs to open a window on it, before Qt can abort with a message a reader cannot act on.

A file or folder given in place of an article id opens it: a folder as the collection, a file
with its folder as the collection and the file selected. The desktop's URL handler (`%u` in the
.desktop file) gives either an `article-viewer://article/ID#anchor` link, read as
`--article ID#anchor`, or a file as a path or a `file:` URL.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from viewer.context import Context
from viewer.core.errors import ViewerError

NO_DISPLAY_ADVICE = (
    "article-viewer: no display found (DISPLAY/WAYLAND_DISPLAY unset). "
    "Run with QT_QPA_PLATFORM=offscreen (e.g. with --screenshot out.png), or use the CLI: article-viewer list"
)
ARTICLE_FILE_SUFFIXES = (".md", ".markdown", ".txt")


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the user chose a platform (offscreen, vnc, ...)
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def looks_like_path(text: str) -> bool:
    """An argument meant as a file or folder rather than an article id (ids have no / or suffix)."""
    return (
        os.sep in text
        or "/" in text
        or text.lower().endswith(ARTICLE_FILE_SUFFIXES)
        or text in (".", "..")
    )


def path_argument(args) -> Path | None:
    """The file or folder named by ARTICLE_ID/--article, if it names one; raises if it names a
    path that does not exist (rather than looking for an article called "/home/…/x.md")."""
    text = getattr(args, "article_option", None) or getattr(args, "article_id", None) or ""
    if not text or not looks_like_path(text):
        return None
    path = Path(text).expanduser()
    if path.is_dir() or path.is_file():
        return path.absolute()
    if os.path.exists(text) or os.sep in text or "/" in text:
        raise ViewerError(f"no such file or folder: {text}")
    return None  # a bare "notes.md": perhaps an article id after all


def resolve_links(args) -> None:
    """URLs given as ARTICLE_ID or --article become what the reader opens: an app link its
    `ID#anchor` (the id kept in `args.linked_article`, so an unknown one can be refused in one
    line), a local `file:` URL its path. A malformed or hostile link is refused (ViewerError)."""
    args.linked_article = ""
    for name in ("article_option", "article_id"):
        text = getattr(args, name, None) or ""
        if not text:
            continue
        # Here, not at the top: a start that names no article does not need the module.
        from viewer.core.annotations.citation import is_app_url, parse_url

        if is_app_url(text):
            try:
                article_id, anchor = parse_url(text.strip())
            except ValueError as exc:
                raise ViewerError(str(exc)) from None
            setattr(args, name, f"{article_id}#{anchor}" if anchor else article_id)
            args.linked_article = article_id
        elif text.lower().startswith("file:"):
            setattr(args, name, str(file_url_path(text)))


def file_url_path(url: str) -> Path:
    """The local path of a `file:` URL (what a desktop may pass for `%u`); ViewerError for a
    remote one (another host) or one that is not a plain path."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    path = unquote(parts.path)
    if (
        parts.netloc not in ("", "localhost")
        or parts.query
        or not path.startswith("/")
        or "\0" in path
    ):
        raise ViewerError(f"only local files can be opened: {url[:80]}")
    return Path(path)


def check_linked_article(args, context: Context) -> None:
    """An app link to an article the collection does not have: one line, exit 1 (not a window
    that opens on something else)."""
    linked = getattr(args, "linked_article", "")
    if linked and linked not in context.library():
        raise ViewerError(f"no article '{linked}' in {context.corpus}")


def launch_gui(args, context: Context) -> int:
    resolve_links(args)
    if not has_display():
        print(NO_DISPLAY_ADVICE, file=sys.stderr)
        return 1
    from viewer.platform_check import platform_problem

    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    target = path_argument(args)
    from viewer.ui.qt_app import quicken_import_checks

    quicken_import_checks()  # before the window's modules are imported
    from viewer.ui.app import run_app

    return run_app(args, context, target)


def finish_process(code: int) -> None:
    """End the GUI's process at once, without the interpreter's teardown (which at 10,000
    articles spends over 100 ms freeing objects the system frees anyway). Only for the real
    program, after the window has closed: by then the settings, the catalogue and the index
    are written (the window's closeEvent waits for them); here only the streams are flushed."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
