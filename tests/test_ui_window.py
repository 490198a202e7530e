"""The desktop reader driven as a reader would: tree, contents, back/forward, find, themes, zoom,
restart, links, broken files, the safety overview and a changing corpus folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui_support import (  # noqa: F401
    app_palette,
    click_contents,
    click_index,
    click_link,
    click_tree_article,
    click_tree_problem,
    close_window,
    open_window,
    tree_row,
    visible_text,
)
from viewer.render import DISCLAIMER, theme_colors
from viewer.ui import dialogs
from viewer.ui.safety_overview import PASSAGE_ROLE
from viewer.ui.topic_tree import KIND_SECTION

DOPAMINE = "kratom-dopamine-withdrawal"
PAIN = "kratom-chronic-pain-dosage"
SAFE_USE = "safe-use-and-considerations-for-kratom-in-withdrawl"
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_opening_an_article_from_the_topic_tree(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    click_tree_article(qtbot, window, PAIN)
    assert window.ui.reader.article.id == PAIN
    assert "Kratom for Chronic Pain" in window.windowTitle()
    assert "Navigating Safe and Effective Dosage" in visible_text(window)
    headings = [window.ui.contents._items[i].text(0) for i in range(len(window.ui.contents._items))]
    assert headings[0] == "Summary" and len(headings) == len(window.ui.reader.article.sections)


def test_safety_sections_carry_a_marker_in_the_contents_and_the_tree(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    article = window.ui.reader.article
    for item, section in zip(window.ui.contents._items, article.sections):
        assert (item.icon(0).cacheKey() == window.marker.cacheKey()) == section.safety
        if section.safety:
            assert "Safety" in item.toolTip(0)
    assert article.section(SAFE_USE).safety
    model = window.ui.tree_model
    rows = [n for n in model.root().walk() if n.kind == KIND_SECTION and n.anchor == SAFE_USE]
    assert rows and all(
        model.data(model.index_of(n), Qt.ItemDataRole.DecorationRole) is not None for n in rows
    )
    plain = next(n for n in model.root().walk() if n.kind == KIND_SECTION and not n.safety)
    assert model.data(model.index_of(plain), Qt.ItemDataRole.DecorationRole) is None


def test_clicking_a_contents_entry_scrolls_the_pane_and_scrolling_moves_the_highlight(
    qtbot, corpus_copy, tmp_path
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    bar = window.ui.reader.verticalScrollBar()
    assert bar.value() == 0 and window.ui.contents.current_position() == 0
    target = window.ui.reader.article.sections.index(window.ui.reader.article.section(SAFE_USE))
    click_contents(qtbot, window, target)
    assert bar.value() > 0
    assert window.ui.contents.current_position() == target
    assert window.ui.contents.current_anchor() == SAFE_USE
    assert window.ui.contents._items[target].font(0).bold()
    bar.setValue(0)  # the reader scrolls back up
    assert window.ui.contents.current_position() == 0


def test_back_and_forward_across_articles_and_sections(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    click_contents(qtbot, window, 4)
    section_scroll = window.ui.reader.verticalScrollBar().value()
    click_tree_article(qtbot, window, PAIN)
    assert window.ui.reader.article.id == PAIN
    assert window.ui.commands["back"].isEnabled() and not window.ui.commands["forward"].isEnabled()

    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Left, ALT)
    assert window.ui.reader.article.id == DOPAMINE
    assert window.ui.reader.verticalScrollBar().value() == section_scroll
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Left, ALT)
    assert window.ui.reader.verticalScrollBar().value() == 0
    assert not window.ui.commands["back"].isEnabled()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Right, ALT)
    assert window.ui.reader.verticalScrollBar().value() == section_scroll
    window.ui.commands["forward"].trigger()  # the toolbar button
    assert window.ui.reader.article.id == PAIN


def test_next_and_previous_section_keys(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Down, ALT)
    assert window.ui.contents.current_position() == 2
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Up, ALT)
    assert window.ui.contents.current_position() == 1


def test_find_in_the_article_counts_steps_and_clears(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    text = visible_text(window)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_F, CTRL)
    bar = window.ui.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "dopamine")
    total = text.lower().count("dopamine")
    assert total > 3
    assert bar.count_label.text() == f"1 of {total}"
    assert len(window.ui.reader.extraSelections()) == total
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count_label.text() == f"2 of {total}"
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)
    assert bar.count_label.text() == f"3 of {total}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    qtbot.keyClick(bar.field, Qt.Key.Key_F3, SHIFT)
    assert bar.count_label.text() == f"1 of {total}"
    qtbot.keyClick(bar.field, Qt.Key.Key_F3, SHIFT)  # wraps around
    assert bar.count_label.text() == f"{total} of {total}"
    assert window.ui.reader.textCursor().selectedText().lower() == "dopamine"

    bar.case_box.setChecked(True)
    bar.field.setText("Dopamine")
    assert bar.count_label.text().endswith(f"of {text.count('Dopamine')}")
    bar.field.setText("no-such-words-here")
    assert bar.count_label.text() == "No matches"

    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.ui.reader.extraSelections() == []


def test_switching_to_the_dark_theme_darkens_page_and_window_and_is_remembered(
    qtbot, corpus_copy, tmp_path, app_palette
):
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article=DOPAMINE)
    window.ui.menus["View"].findChild(type(window.ui.menus["View"]), "menuTheme")  # the menu exists
    window.ui.commands["theme_dark"].trigger()
    dark = theme_colors("dark")
    assert window.ui.reader.theme == "dark"
    assert window.ui.reader.palette().color(QPalette.ColorRole.Base).name() == dark["background"]
    assert dark["background"] in window.ui.reader.toHtml()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    close_window(qtbot, window)

    again = open_window(qtbot, corpus_copy, settings)
    assert again.ui.commands["theme_dark"].isChecked() and again.ui.reader.theme == "dark"
    again.ui.commands["theme_light"].trigger()
    assert (
        again.ui.reader.palette().color(QPalette.ColorRole.Base).name()
        == theme_colors("light")["background"]
    )


def test_zoom_keys_change_the_text_size(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    size = window.ui.reader.document().defaultFont().pointSizeF()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Equal, CTRL)
    assert window.ui.reader.zoom == 110
    assert window.ui.reader.document().defaultFont().pointSizeF() > size
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Minus, CTRL)
    assert window.ui.reader.zoom == 90
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_0, CTRL)
    assert window.ui.reader.zoom == 100


def test_lines_stay_near_seventy_characters_in_a_wide_window(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE, size=(2400, 900))
    frame = window.ui.reader.document().rootFrame().frameFormat()
    text_width = window.ui.reader.viewport().width() - frame.leftMargin() - frame.rightMargin()
    block = window.ui.reader.document().findBlock(
        window.ui.reader.document().find("Kratom, derived").position()
    )
    line_chars = [
        block.layout().lineAt(i).textLength() for i in range(block.layout().lineCount() - 1)
    ]
    assert frame.leftMargin() > 300 and text_width < 900
    assert line_chars and all(55 <= n <= 90 for n in line_chars)


def test_a_restart_reopens_the_same_article_position_and_layout(qtbot, corpus_copy, tmp_path):
    settings = tmp_path / "s.ini"
    window = open_window(qtbot, corpus_copy, settings, article=PAIN)
    window.ui.docks.safety.close()  # the reader closes the Safety panel
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Equal, CTRL)
    bar = window.ui.reader.verticalScrollBar()
    bar.setValue(bar.maximum() * 3 // 5)
    position, section, size = bar.value(), window.ui.contents.current_anchor(), window.size()
    close_window(qtbot, window)

    again = open_window(qtbot, corpus_copy, settings)
    assert again.ui.reader.article.id == PAIN
    assert again.size() == size
    assert abs(again.ui.reader.verticalScrollBar().value() - position) <= 2
    assert again.ui.contents.current_anchor() == section
    assert again.ui.reader.zoom == 120 and again.settings.zoom == 120
    assert not again.ui.docks.safety.isVisible() and again.ui.docks.topics.isVisible()


def _corpus_with_links(corpus):
    (corpus / "links.md").write_text(
        "---\ntitle: A page of links\n---\n\nIntro text.\n\n## Links\n\n"
        "See [the example site](https://example.org/page) or [the chronic pain article]"
        f"(article:{PAIN}#conclusion) or [the next part](#more).\n\n## More\n\nThe end.\n",
        encoding="utf-8",
    )
    return corpus


def test_external_links_ask_before_opening_and_internal_links_navigate(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    asked, opened = [], []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(
        dialogs,
        "plain_question",
        lambda parent, title, text, *rest: asked.append(text) or answer[0],
    )
    monkeypatch.setattr(
        dialogs.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    window = open_window(
        qtbot, _corpus_with_links(corpus_copy), tmp_path / "s.ini", article="links"
    )

    click_link(qtbot, window, "the example site")
    assert len(asked) == 1 and "https://example.org/page" in asked[0]
    assert opened == []
    answer[0] = QMessageBox.StandardButton.Open
    click_link(qtbot, window, "the example site")
    assert opened == ["https://example.org/page"]

    click_link(qtbot, window, "the next part")
    assert window.ui.reader.article.id == "links" and window.ui.contents.current_anchor() == "more"
    click_link(qtbot, window, "the chronic pain article")
    assert (
        window.ui.reader.article.id == PAIN and window.ui.contents.current_anchor() == "conclusion"
    )
    window.go_back()
    assert window.ui.reader.article.id == "links"


def test_the_pane_loads_nothing_remote_and_nothing_outside_the_collection(
    qtbot, corpus_copy, tmp_path
):
    inside = QImage(12, 8, QImage.Format.Format_RGB32)
    inside.fill(QColor("red"))
    inside.save(str(corpus_copy / "inside.png"))
    (tmp_path / "outside.png").write_bytes(b"\x89PNG secret")
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    image = QTextDocument.ResourceType.ImageResource.value
    reader = window.ui.reader
    for url in (
        "https://example.org/x.png",
        "http://example.org/x.css",
        "ftp://example.org/x.png",
        "../outside.png",
        (tmp_path / "outside.png").as_uri(),
    ):
        assert reader.loadResource(image, QUrl(url)) is None, url
    assert reader.loadResource(image, QUrl("inside.png")).size() == inside.size()
    assert "https://example.org/x.png" in reader.refused


def test_an_unreadable_article_shows_a_readable_error_page(qtbot, corpus_copy, tmp_path):
    (corpus_copy / "broken.md").write_bytes(b"")
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    assert window.ui.tree_model.data(tree_row(window, "problems")).startswith(
        "Could not be read (1)"
    )
    click_tree_problem(qtbot, window)
    text = visible_text(window)
    reason = window.library.problems[0].error
    assert "Cannot read broken.md" in text and reason in text
    assert window.ui.reader.article is None and window.ui.contents._items == []
    assert not window.ui.commands["print"].isEnabled()


def test_an_unknown_article_id_shows_an_error_page_not_a_crash(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article="no-such-article")
    assert "Article not found" in visible_text(window) and "no-such-article" in visible_text(window)


def test_a_renderer_failure_becomes_an_error_page(qtbot, corpus_copy, tmp_path, monkeypatch):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)

    def explode(*_args, **_kwargs):
        raise ValueError("nesting too deep")

    monkeypatch.setattr("viewer.ui.reader.render_article", explode)
    click_tree_article(qtbot, window, PAIN)
    assert "Cannot show" in visible_text(window) and "nesting too deep" in visible_text(window)


def test_the_safety_overview_leads_to_the_passage(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=PAIN)
    overview = window.ui.safety.overview
    assert overview.category_count() >= 3
    window.ui.docks.safety.raise_()
    rows = [i for i in overview.passage_indexes() if i.data(PASSAGE_ROLE).article_id == DOPAMINE]
    row = rows[-1]
    passage = row.data(PASSAGE_ROLE)
    overview.tree.expand(row.parent().parent())
    overview.tree.expand(row.parent())
    click_index(qtbot, overview.tree, row)
    assert window.ui.reader.article.id == DOPAMINE
    assert window.ui.reader.has_search_highlights()
    assert window.ui.reader.verticalScrollBar().value() > 0
    assert passage.text.split()[0] in visible_text(window)


def test_escape_clears_search_highlights_but_first_clears_a_typed_query(
    qtbot, corpus_copy, tmp_path
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    window.open_place(DOPAMINE, SAFE_USE, terms=["withdraw"])
    assert len(window.ui.reader.extraSelections()) > 3
    qtbot.mouseClick(window.ui.reader.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Escape)
    assert window.ui.reader.extraSelections() == [] and not window.ui.reader.has_search_highlights()

    window.open_place(DOPAMINE, SAFE_USE, terms=["withdraw"])
    field = window.ui.search_panel.field
    qtbot.keyClicks(field, "dose")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "" and window.ui.reader.has_search_highlights()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not window.ui.reader.has_search_highlights()


def test_a_new_file_in_the_corpus_folder_appears_in_the_tree(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    (corpus_copy / "sleep.md").write_text(
        "---\ntitle: Sleep Aids and Caffeine\n---\n\nSleep well.\n", encoding="utf-8"
    )
    qtbot.waitUntil(
        lambda: any(
            n.label == "Sleep Aids and Caffeine" for n in window.ui.tree_model.root().walk()
        ),
        timeout=10000,
    )
    assert window.ui.reader.article.id == DOPAMINE  # the reader stays where they were


@pytest.mark.slow
def test_widgets_have_accessible_names_and_the_about_box_has_the_disclaimer(
    qtbot, corpus_copy, tmp_path
):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    for widget in (
        window.ui.tree,
        window.ui.contents,
        window.ui.reader,
        window.ui.search_panel.field,
        window.ui.search_panel.results,
        window.ui.search_panel.safety_only,
        window.ui.safety.overview.tree,
        window.ui.find_bar.field,
        window.ui.toolbar,
    ):
        assert widget.accessibleName(), widget.objectName()
    about = dialogs.about_html()
    assert DISCLAIMER[:40] in about
    for name in ("Python", "Qt", "PySide6", "Whoosh", "Markdown"):
        assert f"<td>{name}</td>" in about
    for name in ("File", "Edit", "View", "Go", "Help"):
        assert name in window.ui.menus
    assert window.ui.commands["find"].shortcut().toString() == "Ctrl+F"


def test_an_article_whose_file_turns_unreadable_shows_an_error_page(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    window.watcher.stop()  # the reader clicks before the folder watcher notices
    (corpus_copy / f"{PAIN}.md").write_bytes(b"\xff\xfe\x00")
    window.open_place(PAIN)
    text = visible_text(window)
    assert "Cannot read this article" in text or "Cannot show" in text
    assert window.ui.reader.article is None
