"""The Safety panel follows the verdict pass: rows appear as batches of verdicts arrive, with
the "Still checking" count going down, and what the reader opened, closed and selected stays as
it was; activation still opens the right sentence, notes come with their sentence, and a
hostile title is shown as text in every tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt

from tests.safety_panel_support import mixed, pending, write_articles
from viewer.ui.icons import safety_icon
from viewer.ui.plain_text import tooltip_text
from viewer.ui.safety_overview import CATEGORY_ROLE, NOTE_ROLE, PASSAGE_ROLE, SafetyOverview


@pytest.fixture
def panel(qtbot):
    overview = SafetyOverview(safety_icon())
    qtbot.addWidget(overview)
    overview.resize(380, 700)
    overview.show()
    qtbot.waitExposed(overview)
    return overview


def texts(overview: SafetyOverview, parent: QModelIndex = QModelIndex()) -> list:
    """Every row's text with its children's, as the panel lists them."""
    model = overview.model
    return [
        (model.index(r, 0, parent).data(), texts(overview, model.index(r, 0, parent)))
        for r in range(model.rowCount(parent))
    ]


def first_row(overview: SafetyOverview) -> str:
    return overview.model.index(0, 0).data()


def articles_listed(overview: SafetyOverview) -> set[str]:
    return {i.data(PASSAGE_ROLE).article_id for i in overview.passage_indexes()}


def category(overview: SafetyOverview, name: str) -> QModelIndex:
    model = overview.model
    return next(
        model.index(r, 0)
        for r in range(model.rowCount())
        if model.index(r, 0).data(CATEGORY_ROLE) == name
    )


def test_rows_appear_as_verdict_batches_arrive(qtbot, tmp_path, panel):
    library = write_articles(tmp_path / "c", 10)
    entries = library.entries
    first_launch = mixed(library, {e.id: pending(e) for e in entries})
    panel.show_library(first_launch)
    assert (
        first_row(panel) == "Still checking: 10 articles are not checked for safety passages yet."
    )
    assert panel.category_count() == 0
    # A batch of three: their rows, and seven still to check.
    panel.show_verdicts(entries[:3])
    assert first_row(panel).startswith("Still checking: 7 articles are not")
    assert articles_listed(panel) == {e.id for e in entries[:3]}
    # The counts are worked out in the pass's thread: the panel takes them as given.
    from viewer.ui.safety_passages import passage_counts

    panel.show_verdicts(entries[3:9], {e.id: passage_counts(e) for e in entries[3:9]})
    assert first_row(panel).startswith("Still checking: 1 article is not")
    assert articles_listed(panel) == {e.id for e in entries[:9]}
    # The window's next library has them all: the last one's rows come, the first row goes,
    # and the panel lists what one built from that library lists.
    panel.show_library(library)
    assert not first_row(panel).startswith("Still checking")
    fresh = SafetyOverview(safety_icon())
    qtbot.addWidget(fresh)
    fresh.show_library(library)
    fresh.build_pending()
    assert texts(panel) == texts(fresh)
    assert panel.category_count() == 4


def test_a_big_batch_comes_in_chunks_and_the_next_library_takes_over(
    qtbot, tmp_path, panel, monkeypatch
):
    import viewer.ui.safety_overview as overview_module

    monkeypatch.setattr(overview_module, "VERDICT_CHUNK", 2)
    library = write_articles(tmp_path / "c", 10)
    entries = library.entries
    waiting = {e.id: pending(e) for e in entries}
    panel.show_library(mixed(library, waiting))
    panel.show_verdicts(entries[:7])
    assert articles_listed(panel) == {"a00", "a01"}  # the first chunk at once, the rest later
    qtbot.waitUntil(lambda: len(articles_listed(panel)) == 7)
    assert first_row(panel).startswith("Still checking: 3 articles are not")
    # A library shown while chunks wait has them all (the window's records took the batch).
    panel.show_verdicts(entries[7:])
    panel.show_library(mixed(library, {"a09": waiting["a09"]}))
    assert articles_listed(panel) == {e.id for e in entries[:9]}
    qtbot.wait(20)
    assert articles_listed(panel) == {e.id for e in entries[:9]}
    assert first_row(panel).startswith("Still checking: 1 article is not")


def test_open_and_closed_rows_and_the_selection_stay_as_batches_arrive(tmp_path, panel):
    library = write_articles(tmp_path / "c", 8)
    entries = library.entries
    panel.show_library(mixed(library, {e.id: pending(e) for e in entries[:4]}))
    tree = panel.tree
    side_effects, dosage = category(panel, "side-effects"), category(panel, "dosage")
    assert tree.isExpanded(side_effects) and not tree.isExpanded(dosage)  # the first opens
    tree.collapse(side_effects)
    tree.expand(dosage)
    chosen = next(i for i in panel.passage_indexes() if i.parent().parent().parent() == dosage)
    chosen_passage, article_row = chosen.data(PASSAGE_ROLE), chosen.parent().row()
    tree.setCurrentIndex(chosen)
    # Rows come before the chosen one (its article is later in the title order).
    panel.show_verdicts(entries[:4])
    assert articles_listed(panel) == {e.id for e in entries}
    assert not tree.isExpanded(category(panel, "side-effects"))
    assert tree.isExpanded(category(panel, "dosage"))
    assert tree.currentIndex().data(PASSAGE_ROLE) == chosen_passage
    assert chosen_passage.article_id == "a04" and article_row == 0
    assert tree.currentIndex().parent().row() == 4  # (moved down by the four that came)
    # A rebuild (another library altogether) keeps them by name too.
    panel._root = None  # noqa: SLF001 - as if another folder were shown, then this one again
    panel.show_library(library)
    assert not tree.isExpanded(category(panel, "side-effects"))
    assert tree.isExpanded(category(panel, "dosage"))
    assert tree.currentIndex().data(PASSAGE_ROLE) == chosen_passage


def test_activating_a_row_that_came_with_a_batch_opens_its_sentence(qtbot, tmp_path, panel):
    library = write_articles(tmp_path / "c", 6)
    entries = library.entries
    panel.show_library(mixed(library, {e.id: pending(e) for e in entries}))
    panel.show_verdicts(entries[2:4])
    row = next(i for i in panel.passage_indexes() if i.data(PASSAGE_ROLE).article_id == "a03")
    passage = row.data(PASSAGE_ROLE)
    with qtbot.waitSignal(panel.passage_requested) as opened:
        panel.tree.activated.emit(row)
    assert opened.args == ["a03", passage.anchor, passage.text, False]
    assert passage.text == "Kratom may cause nausea and constipation."


def test_a_note_shows_under_its_sentence_once_its_verdicts_come(tmp_path, panel):
    library = write_articles(tmp_path / "c", 4)
    entries = library.entries
    panel.show_library(mixed(library, {e.id: pending(e) for e in entries}))
    # The reader's note on a sentence of a02, before the pass reached it.
    panel.set_notes("a02", {("side-effects", 0, 0): [("h1", "ginger <tea>?")]})
    assert panel.note_rows() == []
    panel.show_verdicts(entries[2:3])
    assert panel.note_rows() == [
        ("Kratom may cause nausea and constipation.", "\u270e Note: ginger <tea>?")
    ]
    note = next(
        panel.model.index(0, 0, i) for i in panel.passage_indexes() if panel.model.rowCount(i)
    )
    assert note.data(NOTE_ROLE) == "h1" and panel.tree.isExpanded(note.parent())
    panel.show_verdicts(entries[:2])  # other batches leave it where it is
    assert [n for _s, n in panel.note_rows()] == ["\u270e Note: ginger <tea>?"]
    panel.set_notes("a02", {})
    assert panel.note_rows() == []


def test_tooltips_show_a_hostile_title_as_text(tmp_path, panel):
    library = write_articles(tmp_path / "c", 2, hostile=True)
    panel.show_library(mixed(library, {e.id: pending(e) for e in library.entries}))
    panel.show_verdicts(library.entries)
    row = panel.passage_indexes()[0]
    title = row.data(PASSAGE_ROLE).article_title
    assert "<img src='/dev/zero'>" in title
    for index in (row, row.parent()):
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith('<p style="white-space:pre-wrap">') and "<img" not in tip
        assert "&lt;img src=" in tip
    assert row.parent().data(Qt.ItemDataRole.ToolTipRole) == tooltip_text(title)


def test_rows_coming_above_do_not_move_what_the_reader_looks_at(qtbot, tmp_path, panel):
    library = write_articles(tmp_path / "c", 24)
    entries = library.entries
    panel.show_library(mixed(library, {e.id: pending(e) for e in entries[:8]}))
    tree = panel.tree
    later = next(i for i in panel.passage_indexes() if i.data(PASSAGE_ROLE).article_id == "a16")
    tree.scrollTo(later, tree.ScrollHint.PositionAtTop)
    top = tree.indexAt(tree.viewport().rect().topLeft() + QPoint(1, 1))
    shown, offset = top.data(), tree.visualRect(top).top()
    assert tree.verticalScrollBar().value() > 0
    panel.show_verdicts(entries[:8])  # their rows come above it
    qtbot.wait(10)
    top = tree.indexAt(tree.viewport().rect().topLeft() + QPoint(1, 1))
    assert top.data() == shown and tree.visualRect(top).top() == offset


def test_the_panel_on_screen_lists_the_verdicts_as_the_pass_gives_them(
    qtbot, tmp_path, monkeypatch
):
    from tests.test_background_catalogue import PausedVerdicts, write_collection
    from tests.test_verdict_pass import slow_verdicts
    from tests.ui_support import close_window, open_window

    write_collection(tmp_path / "c", 8)
    # A batch a second (verdict_pass.BATCH_SECONDS): one of the first four files at least,
    # then the pass waits before the seventh.
    slow_verdicts(monkeypatch, 0.3)
    paused = PausedVerdicts(monkeypatch, at="article-006.txt")
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    try:
        window.ui.docks.safety.show()
        window.ui.docks.safety.raise_()
        qtbot.waitUntil(window.ui.safety.on_screen, timeout=30000)
        overview = window.ui.safety.overview
        qtbot.waitUntil(paused.reached.is_set, timeout=60000)
        # Before the pass ends: the rows of the articles checked so far, and how many are not.
        qtbot.waitUntil(lambda: len(articles_listed(overview)) >= 4, timeout=30000)
        assert window.startup.verdicts.is_busy()
        assert first_row(overview).startswith("Still checking: ")
        assert len(articles_listed(overview)) < 8
    finally:
        paused.release()
    qtbot.waitUntil(lambda: not window.startup.verdicts.is_busy(), timeout=60000)
    qtbot.waitUntil(lambda: len(articles_listed(overview)) == 8, timeout=30000)
    assert not first_row(overview).startswith("Still checking")
    close_window(qtbot, window)
