"""Keeps Python's `None` alive under PySide6/shiboken6 6.12 on Python 3.11.

shiboken6 6.12.0 returns `None` from every void Qt method without taking a reference to it
(measured here: 1,000 calls of `QLabel.setText` lower `sys.getrefcount(None)` by 1,000), and
drops one reference to `True`/`False` for every bool it passes to a Python slot (a `toggled`
signal, `Signal(bool).emit`); the interpreter aborts with "bool_dealloc" at exit. From
Python 3.12 on, `None` is immortal (PEP 683) and the missing reference is harmless; on 3.11 the
count reaches zero after a few thousand calls and the process aborts with "none_dealloc:
deallocating None". Raising these counts far out of reach is what 3.12 does by design.

Import this module before using Qt (viewer/ui does). It imports no Qt and does nothing on
Python 3.12+ or on interpreters other than CPython.
"""

from __future__ import annotations

import ctypes
import sys

# 2**40 void calls would take years at a million calls a second.
HEADROOM = 1 << 40


def protect_none() -> bool:
    """Raise the reference counts of None, True and False once per process; True if needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < HEADROOM:
            refcount.value += HEADROOM
    return True


PROTECTED = protect_none()
