"""Icons: the theme's icon when the desktop has one, else a Qt standard icon; the safety marker.

The safety marker is drawn here rather than taken from the icon theme so that it has the
same shape (a triangle with "!") everywhere it appears: tree, contents, search results.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

SAFETY_FILL = "#e8a317"
SAFETY_EDGE = "#7a4a00"


def themed_icon(name: str, fallback: QStyle.StandardPixmap) -> QIcon:
    """The desktop theme's icon `name` if present, else the style's standard icon."""
    icon = QIcon.fromTheme(name)
    if icon.isNull():
        icon = QApplication.style().standardIcon(fallback)
    return icon


def _triangle_pixmap(size: int) -> QPixmap:
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
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
