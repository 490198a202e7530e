"""Icons: the desktop theme's icon when it has one, else a simple drawn one; the safety marker.

Drawn icons keep the toolbar coherent where no icon theme exists (Windows, macOS, minimal
Linux sessions, offscreen). The safety marker is always drawn here so that it has the same
shape (a triangle with "!") everywhere: tree, contents, search results, safety overview.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QStyle

SAFETY_FILL = "#e8a317"
SAFETY_EDGE = "#7a4a00"
# A mid grey reads on light and dark toolbars alike; the window recolours the toolbar's icons
# to its theme's text colour (see `toolbar_stroke`).
STROKE = "#6b7078"
DRAWN = ("back", "forward", "up", "down", "zoom-in", "zoom-out", "find")


def themed_icon(
    name: str, fallback: str | QStyle.StandardPixmap | None = None, stroke: str = STROKE
) -> QIcon:
    """The desktop theme's icon `name` if present, else a drawn icon (in `stroke`) or the
    style's standard one."""
    icon = QIcon.fromTheme(name) if name else QIcon()
    if not icon.isNull() or fallback is None:
        return icon
    if isinstance(fallback, str):
        return drawn_icon(fallback, stroke)
    return QApplication.style().standardIcon(fallback)


def drawing_canvas(size: int) -> tuple[QPixmap, QPainter]:
    """A transparent, antialiased pixmap of `size` logical pixels at 2x, and its painter."""
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _draw(kind: str, painter: QPainter, s: float, stroke: str = STROKE) -> None:
    pen = QPen(
        QColor(stroke),
        max(1.6, s / 11),
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    m = s * 0.2
    if kind in ("back", "forward", "up", "down"):
        path = QPainterPath()
        # An arrow pointing right, turned for the other directions.
        path.moveTo(m, s / 2)
        path.lineTo(s - m, s / 2)
        path.moveTo(s / 2 + s * 0.05, m + s * 0.02)
        path.lineTo(s - m, s / 2)
        path.lineTo(s / 2 + s * 0.05, s - m - s * 0.02)
        angle = {"forward": 0, "back": 180, "down": 90, "up": -90}[kind]
        painter.translate(s / 2, s / 2)
        painter.rotate(angle)
        painter.translate(-s / 2, -s / 2)
        painter.drawPath(path)
        return
    # A magnifying glass; with + or - for zoom.
    radius = s * 0.27
    centre = QPointF(s * 0.42, s * 0.42)
    painter.drawEllipse(centre, radius, radius)
    handle = radius * 0.72
    painter.drawLine(
        QPointF(centre.x() + handle, centre.y() + handle), QPointF(s - m * 0.7, s - m * 0.7)
    )
    if kind in ("zoom-in", "zoom-out"):
        arm = radius * 0.55
        thin = QPen(pen)
        thin.setWidthF(pen.widthF() * 0.85)
        painter.setPen(thin)
        painter.drawLine(
            QPointF(centre.x() - arm, centre.y()), QPointF(centre.x() + arm, centre.y())
        )
        if kind == "zoom-in":
            painter.drawLine(
                QPointF(centre.x(), centre.y() - arm), QPointF(centre.x(), centre.y() + arm)
            )


def drawn_icon(kind: str, stroke: str = STROKE) -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32):
        pixmap, painter = drawing_canvas(size)
        _draw(kind, painter, float(size), stroke)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def palette_stroke(palette: QPalette) -> str:
    """The drawn icons' stroke for the toolbar of a window in `palette`."""
    return toolbar_stroke(
        palette.color(QPalette.ColorRole.ButtonText), palette.color(QPalette.ColorRole.Button)
    )


def toolbar_stroke(text: QColor, background: QColor) -> str:
    """The stroke for drawn icons on a toolbar: its text colour, softened a fifth towards the
    background, so icons stand out on a dark toolbar as well as a light one."""
    mix = 0.2
    return QColor(
        round(text.red() * (1 - mix) + background.red() * mix),
        round(text.green() * (1 - mix) + background.green() * mix),
        round(text.blue() * (1 - mix) + background.blue() * mix),
    ).name()


def _triangle_pixmap(size: int) -> QPixmap:
    pixmap, painter = drawing_canvas(size)
    inset = size * 0.08
    path = QPainterPath(QPointF(size / 2, inset))
    path.lineTo(size - inset, size - inset)
    path.lineTo(inset, size - inset)
    path.closeSubpath()
    painter.setPen(QPen(QColor(SAFETY_EDGE), max(1.0, size / 16)))
    painter.setBrush(QBrush(QColor(SAFETY_FILL)))
    painter.drawPath(path)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(6, int(size * 0.6)))
    painter.setFont(font)
    painter.setPen(QColor("#1a1a1a"))
    # The "!" sits in the wider lower part of the triangle.
    painter.drawText(QRectF(0, size * 0.22, size, size * 0.78), Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return pixmap


def safety_icon() -> QIcon:
    """The safety marker: an amber warning triangle with an exclamation mark."""
    icon = QIcon()
    for size in (16, 20, 24, 32):
        icon.addPixmap(_triangle_pixmap(size))
    return icon


def pending_icon() -> QIcon:
    """For what is not checked for safety passages yet: a grey ring with three dots ("not
    known yet"), unlike both the triangle and no mark at all."""
    icon = QIcon()
    for size in (16, 20, 24, 32):
        pixmap, painter = drawing_canvas(size)
        s = float(size)
        painter.setPen(QPen(QColor(STROKE), max(1.0, s / 14)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(s * 0.1, s * 0.1, s * 0.8, s * 0.8))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(STROKE)))
        for x in (0.32, 0.5, 0.68):
            painter.drawEllipse(QPointF(s * x, s * 0.5), s * 0.06, s * 0.06)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def app_icon() -> QIcon:
    """The application's icon (resources/icons/article-viewer.svg), for windows and the desktop."""
    from viewer.core.resources import resource_path

    return QIcon(str(resource_path("icons/article-viewer.svg")))


def unreadable_icon() -> QIcon:
    """For a file that could not be read: a page with a red cross, unlike the safety triangle."""
    icon = QIcon()
    for size in (16, 20, 24, 32):
        pixmap, painter = drawing_canvas(size)
        s = float(size)
        painter.setPen(QPen(QColor("#4a4f57"), max(1.0, s / 16)))
        painter.setBrush(QBrush(QColor("#f4f4f2")))
        painter.drawRect(QRectF(s * 0.18, s * 0.08, s * 0.56, s * 0.8))
        painter.setPen(
            QPen(QColor("#c01c28"), max(1.6, s / 9), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        painter.drawLine(QPointF(s * 0.5, s * 0.52), QPointF(s * 0.88, s * 0.9))
        painter.drawLine(QPointF(s * 0.88, s * 0.52), QPointF(s * 0.5, s * 0.9))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def blank_icon(like: QIcon) -> QIcon:
    """A transparent icon with the sizes of `like`, to keep rows without a marker aligned."""
    icon = QIcon()
    for size in like.availableSizes() or [QSize(16, 16)]:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        icon.addPixmap(pixmap)
    return icon
