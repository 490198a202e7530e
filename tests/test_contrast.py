"""Seeing: every text and control colour of the light, dark and high-contrast themes meets WCAG
AA (4.5:1 text, 3:1 controls and focus), computed from the theme files and the palette code;
and what is painted on screen (check box, dock buttons, the reading pane's focus ring) uses them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QCheckBox

from tests.ui_support import app_palette, close_window, open_window  # noqa: F401
from viewer.render import THEMES, theme_colors
from viewer.render.contrast import GRAPHIC_MINIMUM, TEXT_MINIMUM, contrast_ratio, page_pairs
from viewer.ui.appearance import ContrastStyle, chrome_colours, theme_palette

G, R = QPalette.ColorGroup, QPalette.ColorRole


def test_the_formula_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", THEMES)
def test_everything_the_page_paints_meets_aa(theme):
    failing = [
        (what, round(contrast_ratio(fg, bg), 2), minimum)
        for what, fg, bg, minimum in page_pairs(theme)
        if contrast_ratio(fg, bg) < minimum
    ]
    assert failing == []


def _palette_pairs(palette: QPalette):
    def c(group, role):
        return palette.color(group, role).name()

    for group in (G.Active, G.Inactive):
        yield "window text", c(group, R.WindowText), c(group, R.Window), TEXT_MINIMUM
        yield "list text", c(group, R.Text), c(group, R.Base), TEXT_MINIMUM
        yield "alternate rows", c(group, R.Text), c(group, R.AlternateBase), TEXT_MINIMUM
        yield "button text", c(group, R.ButtonText), c(group, R.Button), TEXT_MINIMUM
        yield "tooltip", c(group, R.ToolTipText), c(group, R.ToolTipBase), TEXT_MINIMUM
        yield "muted text on lists", c(group, R.PlaceholderText), c(group, R.Base), TEXT_MINIMUM
        yield "muted text on panels", c(group, R.PlaceholderText), c(group, R.Window), TEXT_MINIMUM
        yield "selected text", c(group, R.HighlightedText), c(group, R.Highlight), TEXT_MINIMUM
        yield "links", c(group, R.Link), c(group, R.Base), TEXT_MINIMUM
    # Focus indicators (line edits, the reading pane's ring) and the current selection.
    yield "focus on panels", c(G.Active, R.Highlight), c(G.Active, R.Window), GRAPHIC_MINIMUM
    yield "focus on lists", c(G.Active, R.Highlight), c(G.Active, R.Base), GRAPHIC_MINIMUM


@pytest.mark.parametrize("theme", THEMES)
def test_every_palette_pair_meets_aa(theme):
    palette = theme_palette(theme)
    failing = [
        (what, fg, bg, round(contrast_ratio(fg, bg), 2))
        for what, fg, bg, minimum in _palette_pairs(palette)
        if contrast_ratio(fg, bg) < minimum
    ]
    assert failing == []
    chrome = chrome_colours(theme)
    for background in (chrome["window"], chrome["base"]):
        assert (
            contrast_ratio(chrome["control"], background) >= GRAPHIC_MINIMUM
        )  # check box outlines
        assert (
            contrast_ratio(chrome["text"], background) >= GRAPHIC_MINIMUM
        )  # dock float/close buttons


def test_the_high_contrast_theme_declares_every_colour_the_others_do():
    assert (
        set(theme_colors("high-contrast"))
        == set(theme_colors("light"))
        == set(theme_colors("dark"))
    )
    hc = theme_colors("high-contrast")
    assert contrast_ratio(hc["text"], hc["background"]) >= 15
    assert contrast_ratio(hc["link"], hc["background"]) >= 7


def _strongest_contrast_in(image, rect, background: str) -> float:
    best = 1.0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            best = max(best, contrast_ratio(QColor(image.pixel(x, y)).name(), background))
    return best


@pytest.mark.parametrize("theme", ["dark", "light", "high-contrast"])
def test_the_check_box_outline_is_visible_on_screen(qtbot, app_palette, theme):  # noqa: F811
    style = ContrastStyle()
    box = QCheckBox("Safety passages only")
    box.setStyle(style)
    box.setPalette(theme_palette(theme))
    box.setAutoFillBackground(True)
    qtbot.addWidget(box)
    box.show()
    image = box.grab().toImage()
    indicator = style.subElementRect(style.SubElement.SE_CheckBoxIndicator, _option(box), box)
    window = theme_palette(theme).color(R.Window).name()
    assert _strongest_contrast_in(image, indicator, window) >= GRAPHIC_MINIMUM


def _option(box):
    from PySide6.QtWidgets import QStyleOptionButton

    option = QStyleOptionButton()
    box.initStyleOption(option)
    return option


def test_dock_buttons_and_the_reading_pane_focus_ring_in_the_dark_theme(
    qtbot, corpus_copy, tmp_path, app_palette
):  # noqa: F811
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", theme="dark")
    background = theme_palette("dark").color(R.Window).name()
    from PySide6.QtWidgets import QAbstractButton

    buttons = [
        b
        for b in window.ui.docks.topics.findChildren(QAbstractButton)
        if b.objectName() in ("qt_dockwidget_closebutton", "qt_dockwidget_floatbutton")
    ]
    assert len(buttons) == 2
    for button in buttons:
        image = button.icon().pixmap(16, 16).toImage()
        assert _strongest_contrast_in(image, image.rect(), background) >= GRAPHIC_MINIMUM

    area = window.centralWidget()
    window.ui.tree.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: not window.ui.reader.hasFocus())
    edge = QPoint(window.ui.reader.geometry().center().x(), window.ui.reader.geometry().top() - 1)
    before = QColor(area.grab().toImage().pixel(edge)).name()
    window.ui.reader.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.ui.reader.hasFocus)
    after = QColor(area.grab().toImage().pixel(edge)).name()
    assert before == background
    assert contrast_ratio(after, background) >= GRAPHIC_MINIMUM
    close_window(qtbot, window)


def test_the_current_find_match_colour_meets_aa():
    from viewer.ui.reader import FIND_CURRENT_COLOUR

    assert contrast_ratio("#000000", FIND_CURRENT_COLOUR) >= TEXT_MINIMUM  # drawn with black text


@pytest.mark.parametrize("theme", THEMES)
def test_toolbar_icons_and_the_safety_marker_stand_out_from_every_background(theme):
    from viewer.ui.icons import SAFETY_EDGE, SAFETY_FILL, toolbar_stroke

    palette = theme_palette(theme)
    stroke = toolbar_stroke(palette.color(R.ButtonText), palette.color(R.Button))
    for role in (R.Window, R.Button):
        assert contrast_ratio(stroke, palette.color(role).name()) >= GRAPHIC_MINIMUM
    # The triangle's fill carries it on dark backgrounds, its edge on light ones.
    for role in (R.Window, R.Base, R.AlternateBase):
        background = palette.color(role).name()
        assert (
            max(contrast_ratio(SAFETY_FILL, background), contrast_ratio(SAFETY_EDGE, background))
            >= GRAPHIC_MINIMUM
        )


@pytest.mark.parametrize("theme", THEMES)
def test_the_search_field_outline_is_visible_on_screen(qtbot, theme):
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit()
    field.setStyle(ContrastStyle())
    field.setPalette(theme_palette(theme))
    field.setPlaceholderText("Search all articles")
    qtbot.addWidget(field)
    field.resize(200, 30)
    field.show()
    image = field.grab().toImage()
    left_edge = QRect(0, image.height() // 2 - 2, 3, 4)
    window = theme_palette(theme).color(R.Window).name()
    base = theme_palette(theme).color(R.Base).name()
    assert _strongest_contrast_in(image, left_edge, window) >= GRAPHIC_MINIMUM
    assert _strongest_contrast_in(image, left_edge, base) >= GRAPHIC_MINIMUM


def test_the_high_contrast_theme_is_chosen_from_the_view_menu_and_remembered(
    qtbot, corpus_copy, tmp_path, app_palette
):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article="kratom-dopamine-withdrawal")
    theme_menu = window.findChild(type(window.ui.menus["View"]), "menuTheme")
    assert "&High Contrast" in [a.text() for a in theme_menu.actions()]
    window.ui.commands["theme_high_contrast"].trigger()
    assert QApplication.palette().color(R.Window).name() == "#000000"
    assert (
        window.ui.reader.palette().color(R.Base).name()
        == theme_colors("high-contrast")["background"]
    )
    close_window(qtbot, window)
    again = open_window(qtbot, corpus_copy, settings)
    assert (
        again.ui.commands["theme_high_contrast"].isChecked()
        and again.ui.reader.theme == "high-contrast"
    )
