"""Light and dark for the whole window: which theme "system" means, and the matching palette.

The reading pane takes its colours from the renderer's theme; the rest of the window (docks,
menus, lists) gets a palette built from the same colours, so a dark page never sits inside a
glaring light frame. The system's own palette is kept and restored when it already matches.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from viewer.render import theme_colors

# Window chrome for the dark theme: a little lighter than the page, so the page stands out.
DARK_WINDOW = "#2b2d31"
DARK_BUTTON = "#34363b"
DARK_ALTERNATE = "#26282c"
DARK_HIGHLIGHT = "#3d6fb4"


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(choice: str) -> str:
    """"light" or "dark" for a choice of "system", "light" or "dark"."""
    if choice == "system":
        return "dark" if system_prefers_dark() else "light"
    return "dark" if choice == "dark" else "light"


def dark_palette() -> QPalette:
    colours = theme_colors("dark")
    palette = QPalette()
    text = QColor(colours["text"])
    disabled = QColor("#7c8088")
    roles = {
        QPalette.ColorRole.Window: QColor(DARK_WINDOW),
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: QColor(colours["background"]),
        QPalette.ColorRole.AlternateBase: QColor(DARK_ALTERNATE),
        QPalette.ColorRole.ToolTipBase: QColor(DARK_BUTTON),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor(colours["muted"]),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(DARK_BUTTON),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ffffff"),
        QPalette.ColorRole.Highlight: QColor(DARK_HIGHLIGHT),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor(colours["link"]),
        QPalette.ColorRole.LinkVisited: QColor(colours["link"]),
        QPalette.ColorRole.Light: QColor("#45484e"),
        QPalette.ColorRole.Midlight: QColor("#3a3d42"),
        QPalette.ColorRole.Mid: QColor("#2f3135"),
        QPalette.ColorRole.Dark: QColor("#1a1b1e"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor("#3a4a60"))
    return palette


def light_palette() -> QPalette:
    palette = QApplication.style().standardPalette()
    colours = theme_colors("light")
    palette.setColor(QPalette.ColorRole.Link, QColor(colours["link"]))
    return palette


class AppearanceManager:
    """Applies a resolved theme to the application palette; remembers the system's own."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._system_palette = QPalette(app.palette())
        self._system_dark = system_prefers_dark()
        self._overridden = False
        self.applied = ""

    def system_changed(self) -> None:
        """The desktop switched between light and dark: take its new palette if ours is its own."""
        if not self._overridden:
            self._system_palette = QPalette(self._app.palette())
        self._system_dark = system_prefers_dark()
        self.applied = ""

    def apply(self, resolved: str) -> None:
        if resolved == self.applied:
            return
        self._overridden = (resolved == "dark") != self._system_dark
        if not self._overridden:
            palette = self._system_palette
        else:
            if self._app.style().name().lower() not in ("fusion",):
                self._app.setStyle("Fusion")  # native styles may ignore a custom palette
            palette = dark_palette() if resolved == "dark" else light_palette()
        self._app.setPalette(palette)
        self.applied = resolved
