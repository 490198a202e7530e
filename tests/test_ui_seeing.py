"""Seeing, beyond colour: the page keeps half the window when text is scaled up, dialogs fit the
screen, Markdown titles show once with ruled tables and shaded code, the Contents follow short
articles and line up, unreadable files look and read unlike safety passages, and every article
ends with its source and the "not medical advice" notice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument, QTextFrame, QTextTable
from PySide6.QtWidgets import QDialog

from tests.ui_support import click_tree_problem, close_window, open_window, tree_row, visible_text
from viewer.core.library import Library
from viewer.render import DISCLAIMER, render_article, theme_colors
from viewer.ui.dialogs import fit_to_screen
from viewer.ui.window_parts import side_panel_widths

TABLE_ARTICLE = """---
title: Sleep Aids Compared
---

# Sleep Aids Compared

Some sleep aids cause next-day drowsiness.

## Doses

| Aid | Usual dose |
| --- | --- |
| Melatonin | 0.5-3 mg |
| Valerian | 300-600 mg |

```
sleep_log = []
```
"""


def _table_library(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "sleep.md").write_text(TABLE_ARTICLE, encoding="utf-8")
    return folder


def _tables(document: QTextDocument) -> list[QTextTable]:
    found = []

    def walk(frame: QTextFrame) -> None:
        for child in frame.childFrames():
            if isinstance(child, QTextTable):
                found.append(child)
            walk(child)

    walk(document.rootFrame())
    return found


def test_a_front_matter_title_repeated_as_h1_shows_once_and_tables_and_code_are_styled(
    qapp, tmp_path
):
    article = Library.load(_table_library(tmp_path)).get("sleep")
    assert [s.heading for s in article.sections] == ["Introduction", "Doses"]
    document = QTextDocument()
    document.setHtml(render_article(article, theme="light"))
    assert document.toPlainText().count("Sleep Aids Compared") == 1
    data = [t for t in _tables(document) if t.rows() == 3 and t.columns() == 2]
    assert data, "the Markdown table is a 3x2 table"
    fmt = data[0].format()
    assert fmt.border() >= 1 and fmt.cellPadding() >= 4
    # Code that is no instruction to the reader: a dosing instruction ("take with water") is a
    # caution the safety classifier marks, and the mark's colour would hide the code's.
    code = document.find("sleep_log = []")
    assert code.charFormat().background().color().name() == theme_colors("light")["code_bg"]


def test_side_panels_shrink_so_the_page_keeps_half_the_window_at_scale_factor_two(
    qtbot, corpus_copy, tmp_path
):
    # QT_SCALE_FACTOR=2 on a 1280x900 screen is a 640x450 window in Qt's logical pixels.
    for width in (640, 800, 1280, 1600):
        left, right = side_panel_widths(width)
        assert left + right <= width // 2
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", size=(640, 450))
    assert window.centralWidget().width() >= window.width() // 2


def test_dialogs_are_sized_to_the_available_screen(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    available = dialog.screen().availableGeometry()
    width, height = fit_to_screen(dialog, 900, available.height() + 500)
    assert height <= available.height() * 0.9 and width <= available.width()
    assert dialog.height() == height


def test_in_an_article_too_short_to_scroll_the_first_section_is_current(qtbot, tmp_path):
    folder = tmp_path / "short"
    folder.mkdir()
    (folder / "short.md").write_text(
        "---\ntitle: Short Note\n---\n\nA short intro.\n\n## First part\n\n"
        "One line.\n\n## Second part\n\nAnother line.\n\n## Third\n\nLast.\n",
        encoding="utf-8",
    )
    window = open_window(qtbot, folder, tmp_path / "s.ini", size=(1280, 900))
    assert window.ui.reader.verticalScrollBar().maximum() == 0
    assert window.ui.contents.current_position() == 0


def test_contents_rows_line_up_with_and_without_the_safety_marker(qtbot, corpus_copy, tmp_path):
    window = open_window(
        qtbot, corpus_copy, tmp_path / "s.ini", article="kratom-dopamine-withdrawal"
    )
    items = window.ui.contents._items
    safety = [i for i, s in zip(items, window.ui.reader.article.sections) if s.safety]
    plain = [i for i, s in zip(items, window.ui.reader.article.sections) if not s.safety]
    assert safety and plain
    heights = {window.ui.contents.visualItemRect(i).height() for i in items}
    assert len(heights) == 1
    size = window.ui.contents.iconSize() if window.ui.contents.iconSize().isValid() else None
    assert all(not i.icon(0).isNull() for i in plain)  # a blank icon keeps the indent
    if size is not None:
        assert {i.icon(0).actualSize(size) for i in items} == {safety[0].icon(0).actualSize(size)}


def test_an_unreadable_file_has_its_own_icon_and_a_page_that_says_what_is_wrong(
    qtbot, corpus_copy, tmp_path
):
    (corpus_copy / "broken.md").write_text(
        "---\ntitle: [Broken\ntopics: x\n---\n\nText.\n", encoding="utf-8"
    )
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    model = window.ui.tree_model
    problem_icon = model.data(tree_row(window, "problems"), Qt.ItemDataRole.DecorationRole)
    window.ui.tree.expand(tree_row(window, "problems"))
    row_icon = model.data(tree_row(window, "problem"), Qt.ItemDataRole.DecorationRole)
    for icon in (problem_icon, row_icon):
        if icon is not None:
            assert icon.cacheKey() != window.marker.cacheKey()
    assert row_icon is not None
    click_tree_problem(qtbot, window)
    text = visible_text(window)
    assert "The reader could not open broken.md: front matter is not valid YAML: " in text
    assert "opened on line 2 is never closed" in text
    for jargon in ("<unicode string>", "^", "<stream end>"):
        assert jargon not in text
    assert text.rstrip().endswith("the collection reloads by itself.")


def test_the_end_of_an_article_names_its_source_and_says_it_is_not_medical_advice(
    qtbot, corpus_copy, tmp_path
):
    window = open_window(
        qtbot, corpus_copy, tmp_path / "s.ini", article="kratom-dopamine-withdrawal"
    )
    text = visible_text(window)
    assert "Source: kratom-dopamine-withdrawal.md" in text
    assert (
        text.rstrip().endswith(DISCLAIMER.rstrip())
        or DISCLAIMER[:60] in text[-len(DISCLAIMER) - 200 :]
    )
    close_window(qtbot, window)


@pytest.mark.slow
def test_a_layout_remembered_from_a_wide_window_still_leaves_the_page_half(
    qtbot, corpus_copy, tmp_path
):
    settings = tmp_path / "s.ini"
    wide = open_window(qtbot, corpus_copy, settings, size=(1800, 900))
    wide.resizeDocks(
        [wide.ui.docks.topics, wide.ui.docks.search], [520, 520], Qt.Orientation.Horizontal
    )
    close_window(qtbot, wide)
    narrow = open_window(qtbot, corpus_copy, settings, size=(640, 450))
    assert narrow.centralWidget().width() >= narrow.width() // 2
