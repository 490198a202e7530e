"""Starting the GUI from the command line: check for a display before Qt can abort on it."""

from __future__ import annotations

import logging
import os
import sys

from viewer.context import Context

NO_DISPLAY_ADVICE = (
    "article-viewer: no display found (DISPLAY/WAYLAND_DISPLAY unset). "
    "Run with QT_QPA_PLATFORM=offscreen (e.g. with --screenshot out.png), or use the CLI: article-viewer list"
)


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the user chose a platform (offscreen, vnc, ...)
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def launch_gui(args, context: Context) -> int:
    if not has_display():
        print(NO_DISPLAY_ADVICE, file=sys.stderr)
        return 1
    from viewer.ui.app import run_app

    return run_app(args, context)


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
