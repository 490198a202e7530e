"""The desktop reader (PySide6 widgets); the only layer that imports QtWidgets."""
