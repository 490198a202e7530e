"""The desktop reader (PySide6 widgets); the only layer that imports QtWidgets."""

# Before any Qt call: PySide6 6.12 on Python 3.11 drops a reference to None per void call.
from viewer import qt_none_guard  # noqa: F401
