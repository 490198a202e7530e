"""The Search panel: typing, grouped results, corrections, the safety filter, stale answers dropped,
"still indexing", and opening a result with its words highlighted in the pane."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QStyle, QStyleOptionButton

from tests.ui_support import click_index, open_window
from viewer.search.results import Hit, SearchResult

DOPAMINE = "kratom-dopamine-withdrawal"
PAIN = "kratom-chronic-pain-dosage"
SAFE_USE = "safe-use-and-considerations-for-kratom-in-withdrawl"
DOSAGE = "navigating-safe-and-effective-dosage-of-kratom-for-chronic"


def _hit(
    article, title, section, anchor, safety=False, snippet="… the <b>dose</b> …", terms=("dose",)
):
    return Hit(
        article=article,
        title=title,
        section=section,
        anchor=anchor,
        kind="section",
        score=1.0,
        snippet=snippet,
        safety=safety,
        terms=list(terms),
    )


class FakeIndex:
    """Answers like viewer.search would; records what it was asked; can hold a query back."""

    def __init__(self):
        self.calls = []
        self.hold = {}  # query -> threading.Event that must be set before it answers

    def search(self, query, limit=50, article_id=None, safety_only=False, prefix_last_word=True):
        self.calls.append((query, safety_only))
        if query in self.hold:
            self.hold[query].wait(10)
        if query == "nothing":
            return SearchResult(query=query, corrected=None, total=0, hits=[])
        hits = [
            _hit(
                PAIN,
                "Kratom for Chronic Pain",
                "Navigating Safe and Effective Dosage",
                DOSAGE,
                True,
            ),
            _hit(
                DOPAMINE,
                "Does Kratom Increase Dopamine?",
                "Safe Use and Considerations",
                SAFE_USE,
                True,
            ),
            _hit(PAIN, "Kratom for Chronic Pain", "Introduction", "introduction"),
        ]
        if safety_only:
            hits = [h for h in hits if h.safety]
        corrected = "dose" if query == "dsoe" else None
        return SearchResult(query=query, corrected=corrected, total=len(hits), hits=hits)

    def close(self):
        pass


def _window(qtbot, corpus, tmp_path, index=None):
    window = open_window(qtbot, corpus, tmp_path / "s.ini", article=DOPAMINE, wait_for_index=True)
    window.search_service.set_index(index or FakeIndex())
    return window


def _search(qtbot, window, text):
    panel = window.ui.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=10000):
        panel.field.setFocus()
        panel.field.clear()
        qtbot.keyClicks(panel.field, text)


def test_typing_shows_results_grouped_by_article_with_a_count(qtbot, corpus_copy, tmp_path):
    window = _window(qtbot, corpus_copy, tmp_path)
    _search(qtbot, window, "dose")
    panel = window.ui.search_panel
    groups = [panel.model.item(r).text() for r in range(panel.model.rowCount())]
    assert groups == ["Kratom for Chronic Pain  (2)", "Does Kratom Increase Dopamine?  (1)"]
    assert panel.status.text() == "3 results in 2 articles."
    assert not panel.correction.isVisible() and panel.results.isVisible()


def test_typing_fast_searches_once_after_a_pause(qtbot, corpus_copy, tmp_path):
    index = FakeIndex()
    window = _window(qtbot, corpus_copy, tmp_path, index)
    _search(qtbot, window, "withdrawal")
    assert [q for q, _ in index.calls] == ["withdrawal"]


def test_a_corrected_query_says_showing_results_for(qtbot, corpus_copy, tmp_path):
    window = _window(qtbot, corpus_copy, tmp_path)
    _search(qtbot, window, "dsoe")
    assert window.ui.search_panel.correction.isVisible()
    assert "Showing results for “dose”" in window.ui.search_panel.correction.text()


def test_no_results_shows_a_clear_empty_state(qtbot, corpus_copy, tmp_path):
    window = _window(qtbot, corpus_copy, tmp_path)
    _search(qtbot, window, "nothing")
    panel = window.ui.search_panel
    assert panel.status.text().startswith("No results for “nothing”.")
    assert not panel.results.isVisible() and panel.tips.isVisible()


def test_the_safety_filter_asks_for_safety_passages_only(qtbot, corpus_copy, tmp_path):
    index = FakeIndex()
    window = _window(qtbot, corpus_copy, tmp_path, index)
    _search(qtbot, window, "dose")
    with qtbot.waitSignal(window.ui.search_panel.results_shown):
        box = window.ui.search_panel.safety_only
        option = QStyleOptionButton()
        box.initStyleOption(option)
        # Where a user clicks: the box itself (the widget may be wider than its label).
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=indicator.center())
    assert index.calls[-1] == ("dose", True)
    assert window.ui.search_panel.status.text() == "2 safety results in 2 articles."
    assert all(row.data(Qt.UserRole + 1).safety for row in window.ui.search_panel.hit_rows())


def test_an_answer_to_an_older_query_is_dropped(qtbot, corpus_copy, tmp_path):
    index = FakeIndex()
    release = index.hold["slow"] = threading.Event()
    window = _window(qtbot, corpus_copy, tmp_path, index)
    panel = window.ui.search_panel
    panel.set_query("slow")  # its answer is held back
    qtbot.waitUntil(lambda: ("slow", False) in index.calls)
    with qtbot.waitSignal(panel.results_shown):
        panel.set_query("nothing")
    release.set()
    window.search_service.wait_idle()
    qtbot.wait(50)  # let a (wrongly) delivered late answer arrive
    assert panel.status.text().startswith("No results for “nothing”")
    assert panel.model.rowCount() == 0


def test_search_says_it_is_still_indexing_and_runs_when_ready(qtbot, corpus_copy, tmp_path):
    window = open_window(
        qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE, wait_for_index=True
    )
    service = window.search_service
    service.forget_index()
    service._building = True  # as while a first build runs
    window.ui.search_panel.set_query("dose")
    assert window.ui.search_panel.status.text().startswith("Still indexing")
    with qtbot.waitSignal(window.ui.search_panel.results_shown):
        service.set_index(FakeIndex())
    assert window.ui.search_panel.model.rowCount() == 2


def test_activating_a_result_opens_the_section_and_highlights_the_words(
    qtbot, corpus_copy, tmp_path
):
    window = _window(qtbot, corpus_copy, tmp_path)
    _search(qtbot, window, "dose")
    panel = window.ui.search_panel
    first = panel.hit_rows()[0]
    click_index(qtbot, panel.results, first)
    assert window.ui.reader.article.id == PAIN
    assert window.ui.contents.current_anchor() == DOSAGE
    assert window.ui.reader.verticalScrollBar().value() > 0
    highlighted = {s.cursor.selectedText().lower() for s in window.ui.reader.extraSelections()}
    assert highlighted and all(word.startswith("dos") for word in highlighted)
    window.ui.reader.setFocus()
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_Escape)
    assert window.ui.reader.extraSelections() == []


def test_keyboard_only_search_from_the_field_to_a_result(qtbot, corpus_copy, tmp_path):
    window = _window(qtbot, corpus_copy, tmp_path)
    qtbot.keyClick(window.ui.reader, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.search_panel.field.hasFocus()
    with qtbot.waitSignal(window.ui.search_panel.results_shown):
        qtbot.keyClicks(window.ui.search_panel.field, "dose")
    qtbot.keyClick(window.ui.search_panel.field, Qt.Key.Key_Down)
    assert window.ui.search_panel.results.hasFocus()
    qtbot.keyClick(window.ui.search_panel.results, Qt.Key.Key_Return)
    assert window.ui.reader.article.id == PAIN and window.ui.contents.current_anchor() == DOSAGE


def test_the_real_index_finds_misspelt_withdrawal_and_opens_the_hit(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=PAIN, wait_for_index=True)
    assert window.search_service.is_ready(), window.search_service.error
    assert window.ui.index_status.label.text().startswith("Search ready")
    _search(qtbot, window, "withdrawl")
    panel = window.ui.search_panel
    articles = {panel.model.item(r).data(Qt.UserRole) for r in range(panel.model.rowCount())}
    assert len(articles) == 5  # every article is about withdrawal
    safe_use = next(i for i in panel.hit_rows() if i.data(Qt.UserRole + 1).anchor == SAFE_USE)
    click_index(qtbot, panel.results, safe_use)
    assert (
        window.ui.reader.article.id == DOPAMINE and window.ui.contents.current_anchor() == SAFE_USE
    )
    words = {s.cursor.selectedText().lower() for s in window.ui.reader.extraSelections()}
    assert words and all(w.startswith("withdraw") for w in words)


def test_the_first_query_after_search_ready_reads_no_norms_or_vocabulary(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    # "Search ready" means ready: the length norms and the vocabulary were computed in the build
    # worker, so the first query (and the UI thread waiting for it) does not pay for them.
    from viewer.search.evaluate import GenerationStats
    from viewer.search.spelling import Vocabulary

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=PAIN, wait_for_index=True)
    assert window.ui.index_status.label.text().startswith("Search ready")
    computed: list[str] = []
    norms, terms = GenerationStats._compute_norms, Vocabulary._read_terms

    def counted_norms(self, searcher, field):
        computed.append(f"norms of {field}")
        return norms(self, searcher, field)

    def counted_terms(reader):
        computed.append("vocabulary")
        return terms(reader)

    monkeypatch.setattr(GenerationStats, "_compute_norms", counted_norms)
    monkeypatch.setattr(Vocabulary, "_read_terms", staticmethod(counted_terms))
    _search(qtbot, window, "withdrawl dopa")
    assert window.ui.search_panel.hit_rows()
    assert computed == []


def test_the_real_index_with_safety_only_returns_safety_sections(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=PAIN, wait_for_index=True)
    window.ui.search_panel.safety_only.setChecked(True)
    _search(qtbot, window, "dose")
    rows = window.ui.search_panel.hit_rows()
    assert rows and all(r.data(Qt.UserRole + 1).safety for r in rows)
    assert "safety result" in window.ui.search_panel.status.text()


def test_closing_the_window_stops_an_index_build_in_progress(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    import viewer.search

    started, stopped = threading.Event(), []

    class SlowIndex:
        @classmethod
        def for_library(cls, library, cache_dir):
            return cls()

        def ensure_current(self, progress=None):
            started.set()
            for done in range(1, 10_000):
                try:
                    progress(done, 10_000)
                except Exception as exc:
                    stopped.append(type(exc).__name__)
                    raise
                threading.Event().wait(0.01)

    monkeypatch.setattr(viewer.search, "SearchIndex", SlowIndex)
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE)
    qtbot.waitUntil(started.is_set, timeout=10000)  # the build starts after the first paint
    assert window.search_service.is_indexing()
    assert window.ui.index_status.label.text().startswith("Indexing")
    window.close()
    assert stopped == ["BuildCancelled"]


def test_a_typo_in_the_last_word_is_corrected_while_typing(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=PAIN, wait_for_index=True)
    _search(qtbot, window, "kratom dehydratoin")  # no space typed after it: still "being typed"
    panel = window.ui.search_panel
    assert panel.correction.isVisible()
    assert "Showing results for “kratom dehydration”" in panel.correction.text()


def test_a_phrase_hit_highlights_the_phrase_and_find_looks_different(qtbot, corpus_copy, tmp_path):
    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini", article=PAIN, wait_for_index=True)
    _search(qtbot, window, '"side effects" ')
    panel = window.ui.search_panel
    click_index(qtbot, panel.results, panel.hit_rows()[0])
    selections = window.ui.reader.extraSelections()
    assert selections
    assert {" ".join(s.cursor.selectedText().lower().split()) for s in selections} == {
        "side effects"
    }
    search_look = _look(selections[0])
    window.ui.reader.set_find_matches([QTextCursor(selections[0].cursor)], -1)
    find_look = _look(window.ui.reader.extraSelections()[-1])
    assert find_look[0] != search_look[0]  # another colour
    assert search_look[1] and not find_look[1]  # search hits underlined


def _look(selection) -> tuple[str, bool]:
    char_format = selection.format
    return char_format.background().color().name(), char_format.fontUnderline()


def test_an_article_row_highlights_what_its_hits_matched_not_the_query_split_up(
    qtbot, corpus_copy, tmp_path
):
    # The search result carries its matched terms on each hit (a phrase is one entry); the
    # article row used to read a `terms` field the result does not have and fell back to the
    # query's words, so "side effects" lit up every "side" and every "effects" on their own.
    window = open_window(
        qtbot, corpus_copy, tmp_path / "s.ini", article=DOPAMINE, wait_for_index=True
    )
    _search(qtbot, window, '"side effects"')
    panel = window.ui.search_panel
    article_row = panel.model.index(0, 0)
    article_id = article_row.data(Qt.UserRole)
    matched = {
        t for hit in panel.last_result().hits if hit.article == article_id for t in hit.terms
    }
    assert matched == {"side effects"}
    with qtbot.waitSignal(panel.hit_activated) as activated:
        click_index(qtbot, panel.results, article_row)
    assert activated.args[2] == ["side effects"]
    assert window.ui.reader.article.id == article_id
    shown = {
        " ".join(s.cursor.selectedText().lower().split())
        for s in window.ui.reader.extraSelections()
    }
    assert shown == {"side effects"}
