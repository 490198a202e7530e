"""The running QApplication, typed: `QApplication.instance()` is declared as a QCoreApplication
or None, while every widget of this package exists only under a QApplication. And the module
sources PySide6 reads at import: read as bytes (quicken_import_checks), let go of
(drop_module_sources)."""

from __future__ import annotations

import importlib
import linecache
from types import ModuleType

from PySide6.QtWidgets import QApplication

# The function of PySide6.support.feature that tells whether a module's source names PySide6.
PYSIDE_SOURCE_CHECK = "_mod_uses_pyside"


def running_app() -> QApplication:
    """The QApplication this process runs (viewer/ui/app.py creates it before any widget)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication: create one before the reader's widgets")
    return app


def drop_module_sources() -> None:
    """Let go of the source lines of every module imported so far.

    Once PySide6 is loaded, each module an `import` names is read whole through `inspect`
    (PySide6's `__feature__` support looks for the word "PySide6" in it), and linecache keeps
    those lines for the life of the process: at the first paint some 160 files, 2.5 MB of text
    and twice that in memory, and more with Whoosh. Only a traceback would read them again,
    and it reads the file anew when the lines are not cached."""
    linecache.clearcache()


def quicken_import_checks() -> None:
    """Make PySide6's look at each newly imported module a plain read of its file.

    Once PySide6 is loaded, every module an `import` names is checked for the word "PySide6"
    (its `__feature__` support, PYSIDE-2029) through `inspect.getsource`: tokenize, linecache and
    a join of the lines, for each of the ~190 modules the window imports before its first paint
    (30-40 ms of the main thread's CPU on a loaded two-core machine, where a bare window's 32
    modules cost 5). The same test on the file's bytes gives the same answer for any source
    file (the word is ASCII, and Python source is in an ASCII-compatible encoding) at the cost
    of one read; a module that is not a plain .py file is left to PySide6's own check. A
    PySide6 without that function (measured on 6.11) is left as it is."""
    try:
        feature = importlib.import_module("PySide6.support.feature")
    except ImportError:
        return
    check = getattr(feature, PYSIDE_SOURCE_CHECK, None)
    if not callable(check) or hasattr(check, "pyside_check"):
        return  # not there, or quick already

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as handle:
                    return b"PySide6" in handle.read()
            except OSError:
                pass
        return bool(check(module))

    uses_pyside.pyside_check = check  # type: ignore[attr-defined]  # PySide6's own
    setattr(feature, PYSIDE_SOURCE_CHECK, uses_pyside)  # looked up by name at each import
