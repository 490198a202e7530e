"""Article markup never renders in tooltips or labels (issue 17, point 2): titles, headings,
topics and messages are shown as the text they are, and no `<img` reaches Qt through them."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import (
    Qt,  # QtGui adds mightBeRichText to the Qt namespace
    QTextDocument,
)
from PySide6.QtWidgets import QLabel

from tests.ui_support import close_window, open_window
from tests.xss_vectors import BUILTIN_VECTORS, chunks, load_vectors
from viewer.render.markup import sanitize_html
from viewer.ui.plain_text import tooltip_text

pytestmark = pytest.mark.usefixtures("qapp")
ESCAPED_PREFIX = '<p style="white-space:pre-wrap">'


def _shown(tooltip: str) -> QTextDocument:
    """What Qt's tooltip shows for a string: rich text when it guesses so, else the plain text."""
    document = QTextDocument()
    if Qt.mightBeRichText(tooltip):
        document.setHtml(tooltip)
    else:
        document.setPlainText(tooltip)
    return document


def _has_image(document: QTextDocument) -> bool:
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            if iterator.fragment().charFormat().isImageFormat():
                return True
            iterator += 1
        block = block.next()
    return False


def _assert_plain(tooltip: str) -> None:
    """Either Qt sees no markup at all, or the only markup is our wrapper around escaped text."""
    assert "<img" not in tooltip.lower()
    if Qt.mightBeRichText(tooltip):
        assert tooltip.startswith(ESCAPED_PREFIX) and tooltip.endswith("</p>"), tooltip
        assert "<" not in tooltip[len(ESCAPED_PREFIX) : -len("</p>")], tooltip
    assert not _has_image(_shown(tooltip))


def test_every_vector_as_a_tooltip_is_shown_as_written():
    for vector in load_vectors():
        tooltip = tooltip_text(vector)
        _assert_plain(tooltip)
        shown = _shown(tooltip).toPlainText().replace("\u00a0", " ")
        assert shown == vector.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n"), (
            vector
        )


def test_the_sanitizer_drops_title_attributes_qt_would_make_rich_tooltips():
    for vector in BUILTIN_VECTORS:
        quoted = vector.replace('"', "&quot;")
        for markup in (
            f'<a href="https://example.org/" title="{quoted}">x</a>',
            f'<abbr title="{quoted}">y</abbr>',
            f'<img src="a.png" title="{quoted}">',
            f'<span title="{quoted}">z</span>',
        ):
            assert "title=" not in sanitize_html(markup)


def _sample() -> list[str]:
    """The built-in vectors and an even sample of the public lists (a GUI window per vector
    would take minutes; the pure check above covers every vector)."""
    vectors = load_vectors()
    builtin = set(BUILTIN_VECTORS)
    return BUILTIN_VECTORS + [v for v in vectors[::25] if v not in builtin]


def _hostile_corpus(root) -> tuple:
    corpus = root / "corpus"
    corpus.mkdir()
    titles = []
    for number, group in enumerate(chunks(_sample(), 6)):
        title, topic, *headings = group + ["Heading"] * (6 - len(group))
        titles.append(title)
        body = "".join(
            f"## {heading.replace(chr(10), ' ')}\n\nAlpha: kratom may cause nausea and dependence; "
            "ask a doctor before combining it with other drugs.\n\n"
            for heading in headings
        )
        front = f"---\ntitle: {json.dumps(title)}\ntopics: [{json.dumps(topic)}]\n---\n"
        (corpus / f"hostile-{number}.md").write_text(
            front + "Intro alpha.\n\n" + body, encoding="utf-8"
        )
    return corpus, titles


def _model_tooltips(model, parent=QModelIndex()) -> list[str]:
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        if tip:
            found.append(str(tip))
        found.extend(_model_tooltips(model, index))
    return found


@pytest.mark.slow
def test_titles_headings_and_topics_stay_plain_in_every_tooltip_and_label(qtbot, tmp_path):
    corpus, titles = _hostile_corpus(tmp_path)
    window = open_window(qtbot, corpus, tmp_path / "s.ini", wait_for_index=True)
    try:
        assert len(window.library.articles) == len(titles), [
            p.error for p in window.library.problems
        ][:3]
        panel = window.ui.search_panel
        with qtbot.waitSignal(panel.results_shown, timeout=20000):
            panel.set_query("alpha")
        window.ui.safety.overview.build_pending()
        tooltips = (
            _model_tooltips(window.ui.tree_model)
            + _model_tooltips(panel.model)
            + _model_tooltips(window.ui.safety.overview.model)
        )
        for article in window.library.articles:
            window.open_place(article.id)
            tooltips += _model_tooltips(window.ui.contents.model())
        shown = {_shown(tip).toPlainText() for tip in tooltips}
        for title in titles:  # the check saw the hostile text itself, not only our own labels
            assert any(title.strip() in text for text in shown), title
        for tip in tooltips:
            _assert_plain(tip)
        for label in window.findChildren(QLabel):
            if label.text() and label.textFormat() != Qt.TextFormat.PlainText:
                assert not Qt.mightBeRichText(label.text()) or "<img" not in label.text().lower(), (
                    label.text()
                )
        assert panel.status.textFormat() == Qt.TextFormat.PlainText
        assert panel.correction.textFormat() == Qt.TextFormat.PlainText
    finally:
        close_window(qtbot, window)
