"""View > Font and Layout: the article's font family and size, line spacing and page width.

It opens on what the article uses now (the family the page actually gets, its size in points)
and applies exactly what it shows: there is no style or weight to choose and then see ignored,
as with the stock font dialog. Size is the zoom in other words (12 pt is 100%).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from viewer.render.themes import DEFAULT_SCREEN_PT
from viewer.ui.settings import (
    LINE_SPACING_MAX,
    LINE_SPACING_MIN,
    PAGE_WIDTH_MAX,
    PAGE_WIDTH_MIN,
    ZOOM_MAX,
    ZOOM_MIN,
)

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.ui.main_window import MainWindow


@dataclass(frozen=True)
class ReadingFormat:
    family: str  # "" for the article's own serif
    size_pt: float
    line_spacing: int  # percent of the font's line height
    page_width: int  # characters per line, about


def zoom_for_size(size_pt: float) -> int:
    return max(ZOOM_MIN, min(ZOOM_MAX, round(size_pt * 100 / DEFAULT_SCREEN_PT)))


def size_for_zoom(zoom: int) -> float:
    return round(DEFAULT_SCREEN_PT * zoom / 100 * 2) / 2  # to the half point the spin box shows


class ReadingDialog(QDialog):
    def __init__(
        self,
        current: ReadingFormat,
        shown_family: str,
        default_family: str,
        parent: QWidget | None = None,
    ) -> None:
        """`shown_family` is the family the page gets now, `default_family` the one it gets
        when no family is chosen (the first installed font of the stylesheet's list)."""
        super().__init__(parent)
        self.setObjectName("readingDialog")
        self.setWindowTitle("Font and Layout")
        self._default_family = default_family
        self.family = QFontComboBox(self)
        self.family.setObjectName("fontFamily")
        self.family.setCurrentFont(QFont(shown_family))
        self.size_box = QDoubleSpinBox(self)
        self.size_box.setObjectName("fontSize")
        self.size_box.setRange(size_for_zoom(ZOOM_MIN), size_for_zoom(ZOOM_MAX))
        self.size_box.setSingleStep(0.5)
        self.size_box.setDecimals(1)
        self.size_box.setSuffix(" pt")
        self.size_box.setValue(current.size_pt)
        self.spacing = QSpinBox(self)
        self.spacing.setObjectName("lineSpacing")
        self.spacing.setRange(LINE_SPACING_MIN, LINE_SPACING_MAX)
        self.spacing.setSingleStep(10)
        self.spacing.setSuffix(" %")
        self.spacing.setValue(current.line_spacing)
        self.width_box = QSpinBox(self)
        self.width_box.setObjectName("pageWidth")
        self.width_box.setRange(PAGE_WIDTH_MIN, PAGE_WIDTH_MAX)
        self.width_box.setSingleStep(5)
        self.width_box.setSuffix(" characters")
        self.width_box.setValue(current.page_width)
        form = QFormLayout(self)
        form.addRow("&Font:", self.family)
        form.addRow("&Size:", self.size_box)
        form.addRow("&Line spacing:", self.spacing)
        form.addRow("Page &width:", self.width_box)
        note = QLabel(
            "Size also changes with Ctrl+= and Ctrl+-. Headings keep their own font.", self
        )
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults
        )
        form.addRow(buttons)

    def restore_defaults(self) -> None:
        from viewer.ui.settings import LINE_SPACING_DEFAULT, PAGE_WIDTH_DEFAULT

        self.family.setCurrentFont(QFont(self._default_family))
        self.size_box.setValue(DEFAULT_SCREEN_PT)
        self.spacing.setValue(LINE_SPACING_DEFAULT)
        self.width_box.setValue(PAGE_WIDTH_DEFAULT)

    def chosen(self) -> ReadingFormat:
        family = self.family.currentFont().family()
        if family == self._default_family:
            family = ""  # the article's own font: keep following the stylesheet's list
        return ReadingFormat(
            family, self.size_box.value(), self.spacing.value(), self.width_box.value()
        )


def choose_reading_format(
    parent: QWidget, current: ReadingFormat, shown_family: str, default_family: str
) -> ReadingFormat | None:
    dialog = ReadingDialog(current, shown_family, default_family, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def change_reading_format(window: MainWindow) -> None:
    """Format > Font…: the dialog starts from the window's settings and its choice applies."""
    from viewer.ui import dialogs

    s = window.settings
    current = ReadingFormat(s.font_family, size_for_zoom(s.zoom), s.line_spacing, s.page_width)
    reader = window.ui.reader
    chosen = dialogs.choose_font(window, current, reader.shown_family(), reader.shown_family(""))
    if chosen is not None:
        window.set_reading_format(chosen)
