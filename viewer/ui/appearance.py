"""Light, dark and high contrast for the whole window: which theme "system" means, the palette
built from the theme's colours, and a style that draws the few controls Fusion draws too faintly.

The reading pane takes its colours from the renderer's theme; the rest of the window (docks,
menus, lists) gets a palette from `CHROME` and the same theme colours, so a dark page never sits
inside a glaring light frame. The palette is always ours, never the desktop's: its contrast is
known (tests/test_contrast.py computes every pair against WCAG AA), the desktop's is not.
`ContrastStyle` (Fusion underneath) draws check boxes and text fields with a visible outline
and the dock panels' float/close buttons in the window's text colour; Fusion's own are about
1.2:1 and 1.4-3:1 against a dark window.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption

from viewer.render import theme_colors
from viewer.render.contrast import GRAPHIC_MINIMUM, contrast_ratio, softened
from viewer.ui.icons import drawing_canvas

THEMES = ("light", "dark", "high-contrast")
# Window chrome per theme; the text, page and link colours come from the theme's CSS file.
CHROME = {
    "light": {
        "window": "#f0efeb",
        "button": "#e6e5e0",
        "alternate": "#f5f4ef",
        "tooltip": "#ffffff",
        "highlight": "#1a5fb4",
        "highlighted_text": "#ffffff",
        "inactive_highlight": "#1a5fb4",
        "inactive_highlighted_text": "#ffffff",
        "disabled": "#6e737a",
        "light": "#ffffff",
        "midlight": "#e0dfda",
        "mid": "#a8a7a2",
        "dark": "#8a8985",
        "shadow": "#5c5b58",
    },
    "dark": {
        "window": "#2b2d31",
        "button": "#34363b",
        "alternate": "#26282c",
        "tooltip": "#34363b",
        # A light selection with dark text: a mid blue cannot be 3:1 from the dark window and
        # carry white text at 4.5:1 at once.
        "highlight": "#8ab4f8",
        "highlighted_text": "#131417",
        "inactive_highlight": "#3a4a60",
        "inactive_highlighted_text": "#ffffff",
        "disabled": "#9a9ea6",
        "light": "#45484e",
        "midlight": "#3a3d42",
        "mid": "#2f3135",
        "dark": "#1a1b1e",
        "shadow": "#000000",
    },
    "high-contrast": {
        "window": "#000000",
        "button": "#666666",
        "alternate": "#141414",
        "tooltip": "#000000",
        "highlight": "#1aebff",
        "highlighted_text": "#000000",
        "inactive_highlight": "#1aebff",
        "inactive_highlighted_text": "#000000",
        "disabled": "#c0c0c0",
        "light": "#ffffff",
        "midlight": "#c0c0c0",
        "mid": "#808080",
        "dark": "#ffffff",
        "shadow": "#ffffff",
    },
}


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(choice: str) -> str:
    """ "light", "dark" or "high-contrast" for a choice that may also be "system"."""
    if choice == "system":
        return "dark" if system_prefers_dark() else "light"
    return choice if choice in THEMES else "light"


def chrome_colours(theme: str) -> dict[str, str]:
    """Every colour of the window for a theme, by role name (what the palette is built from)."""
    page = theme_colors(theme)
    chrome = dict(CHROME[theme])
    chrome.update(text=page["text"], base=page["background"], link=page["link"])
    # Secondary text (search tips, snippets' context, placeholders): quieter, still 4.5:1.
    # High contrast keeps even secondary text at AAA (7:1).
    minimum = 7.0 if theme == "high-contrast" else 4.6
    chrome["muted"] = softened(
        page["text"], chrome["window"], [chrome["window"], page["background"]], minimum
    )
    chrome["control"] = control_colour(page["text"], chrome["window"], page["background"])
    return chrome


def control_colour(text: str, window: str, base: str) -> str:
    """Outlines of check boxes and text fields: as quiet as 3:1 against both backgrounds allows
    (a little over, for rounding), or 7:1 when the palette itself is high contrast."""
    minimum = 7.0 if contrast_ratio(text, window) >= 15 else GRAPHIC_MINIMUM + 0.5
    return softened(text, window, [window, base], minimum)


def theme_palette(theme: str) -> QPalette:
    c = chrome_colours(theme)
    palette = QPalette()
    group, role = QPalette.ColorGroup, QPalette.ColorRole
    roles = {
        role.Window: c["window"],
        role.WindowText: c["text"],
        role.Base: c["base"],
        role.AlternateBase: c["alternate"],
        role.ToolTipBase: c["tooltip"],
        role.ToolTipText: c["text"],
        role.PlaceholderText: c["muted"],
        role.Text: c["text"],
        role.Button: c["button"],
        role.ButtonText: c["text"],
        role.BrightText: "#ffffff",
        role.Highlight: c["highlight"],
        role.HighlightedText: c["highlighted_text"],
        role.Link: c["link"],
        role.LinkVisited: c["link"],
        role.Light: c["light"],
        role.Midlight: c["midlight"],
        role.Mid: c["mid"],
        role.Dark: c["dark"],
        role.Shadow: c["shadow"],
    }
    for which, colour in roles.items():
        palette.setColor(which, QColor(colour))
    for which in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(group.Disabled, which, QColor(c["disabled"]))
    palette.setColor(group.Inactive, role.Highlight, QColor(c["inactive_highlight"]))
    palette.setColor(group.Inactive, role.HighlightedText, QColor(c["inactive_highlighted_text"]))
    return palette


def dark_palette() -> QPalette:
    return theme_palette("dark")


def light_palette() -> QPalette:
    return theme_palette("light")


def _control_colour(palette: QPalette) -> QColor:
    text, window, base = (
        palette.color(r).name()
        for r in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window, QPalette.ColorRole.Base)
    )
    return QColor(control_colour(text, window, base))


def _title_button_pixmap(kind: str, colour: QColor, size: int = 16) -> QPixmap:
    pixmap, painter = drawing_canvas(size)
    painter.setPen(QPen(colour, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    m = size * 0.25
    if kind == "close":
        painter.drawLine(QPointF(m, m), QPointF(size - m, size - m))
        painter.drawLine(QPointF(size - m, m), QPointF(m, size - m))
    else:  # float: two overlapping windows
        painter.drawRect(QRectF(m + 2, m - 1, size * 0.42, size * 0.36))
        painter.drawRect(QRectF(m - 1, m + 3, size * 0.42, size * 0.36))
    painter.end()
    return pixmap


class ContrastStyle(QProxyStyle):
    """Fusion, with check boxes and dock title buttons drawn in colours of known contrast."""

    _TITLE_BUTTONS = {
        QStyle.StandardPixmap.SP_TitleBarCloseButton: "close",
        QStyle.StandardPixmap.SP_DockWidgetCloseButton: "close",
        QStyle.StandardPixmap.SP_TitleBarNormalButton: "float",
    }

    def __init__(self) -> None:
        super().__init__("Fusion")
        # Title-button icons by (kind, colour, disabled colour): Qt asks for one per button of
        # every dock, and again after a theme change; each would draw two pixmaps at start-up.
        self._title_icons: dict[tuple[str, int, int], QIcon] = {}

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 - Qt override
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            self._draw_check_box(option, painter)
            return
        if element == QStyle.PrimitiveElement.PE_FrameLineEdit:
            self._draw_field_frame(option, painter)
            return
        super().drawPrimitive(element, option, painter, widget)

    def _draw_field_frame(self, option: QStyleOption, painter: QPainter) -> None:
        """A text field's outline at 3:1 (Fusion's is ~1.3:1 on dark), the focus colour when
        focused, so the search box can be found on any theme."""
        palette = option.palette
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        colour = (
            palette.color(QPalette.ColorRole.Highlight) if focused else _control_colour(palette)
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        width = 2.0 if focused else 1.0
        painter.setPen(QPen(colour, width))
        inset = width / 2
        painter.drawRoundedRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset), 2, 2)
        painter.restore()

    def _draw_check_box(self, option: QStyleOption, painter: QPainter) -> None:
        palette = option.palette
        rect = QRectF(option.rect).adjusted(1, 1, -1, -1)
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        outline = (
            _control_colour(palette)
            if enabled
            else palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        )
        painter.setPen(QPen(outline, 1.5))
        painter.drawRoundedRect(rect, 2, 2)
        mark = QPen(
            palette.color(QPalette.ColorRole.Text),
            2.0,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
            Qt.PenJoinStyle.RoundJoin,
        )
        painter.setPen(mark)
        w, h, x, y = rect.width(), rect.height(), rect.x(), rect.y()
        if option.state & QStyle.StateFlag.State_On:
            painter.drawPolyline(
                [
                    QPointF(x + w * 0.22, y + h * 0.52),
                    QPointF(x + w * 0.42, y + h * 0.72),
                    QPointF(x + w * 0.78, y + h * 0.28),
                ]
            )
        elif option.state & QStyle.StateFlag.State_NoChange:
            painter.drawLine(QPointF(x + w * 0.25, y + h / 2), QPointF(x + w * 0.75, y + h / 2))
        painter.restore()

    def standardIcon(self, standard, option=None, widget=None) -> QIcon:  # noqa: N802 - Qt override
        kind = self._TITLE_BUTTONS.get(standard)
        if kind is None:
            return super().standardIcon(standard, option, widget)
        palette = option.palette if option is not None else QApplication.palette()
        colour = palette.color(QPalette.ColorRole.WindowText)
        disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        key = (kind, colour.rgba(), disabled.rgba())
        if key not in self._title_icons:
            icon = QIcon()
            icon.addPixmap(_title_button_pixmap(kind, colour))
            icon.addPixmap(_title_button_pixmap(kind, disabled), QIcon.Mode.Disabled)
            self._title_icons[key] = icon
        return self._title_icons[key]


class AppearanceManager:
    """Applies a resolved theme to the application: our style once, then the theme's palette."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self.applied = ""

    def system_changed(self) -> None:
        """The desktop switched between light and dark: "system" must be resolved again."""
        self.applied = ""

    def apply(self, resolved: str) -> None:
        if resolved == self.applied:
            return
        if not isinstance(self._app.style(), ContrastStyle):
            self._app.setStyle(ContrastStyle())
        self._app.setPalette(theme_palette(resolved))
        self.applied = resolved


def refresh_title_buttons(docks) -> None:
    """Give the docks' float/close buttons icons in the new palette's colours (Qt asks the style
    for them only when a dock is created)."""
    from PySide6.QtWidgets import QAbstractButton

    pixmaps = {
        "qt_dockwidget_closebutton": QStyle.StandardPixmap.SP_DockWidgetCloseButton,
        "qt_dockwidget_floatbutton": QStyle.StandardPixmap.SP_TitleBarNormalButton,
    }
    for dock in docks:
        for button in dock.findChildren(QAbstractButton):
            standard = pixmaps.get(button.objectName())
            if standard is not None:
                button.setIcon(dock.style().standardIcon(standard, None, dock))
