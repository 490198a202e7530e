"""A first launch while the verdict pass runs (issue 16), as a reader sees it: an article's row
in the Topics tree and its search results show its verdicts as soon as they exist (the article
opened first, checked as it opens; the others batch by batch), and "Safety passages only" never
says "no safety passages" of articles that are only not checked yet."""

from __future__ import annotations

from tests.test_background_catalogue import PausedVerdicts, write_collection
from tests.test_first_article_verdicts import PausedArticleVerdicts
from tests.test_verdict_pass import _article_row, _search_marks, _section_mark, slow_verdicts
from tests.ui_support import close_window, open_window
from viewer.ui.hit_delegate import HIT_ROLE, UNCHECKED_ROLE


def _first_launch(qtbot, tmp_path, monkeypatch, count=8, at="article-003.txt", slow=0.0):
    write_collection(tmp_path / "c", count)
    if slow:
        slow_verdicts(monkeypatch, slow)
    passes = PausedVerdicts(monkeypatch, at=at)
    opened = PausedArticleVerdicts(monkeypatch)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    qtbot.waitUntil(lambda: window.ui.reader.article is not None, timeout=30000)
    qtbot.waitUntil(window.search_service.is_ready, timeout=60000)
    qtbot.waitUntil(passes.reached.is_set, timeout=60000)
    return window, passes, opened


def _marks(window, article_id):
    window.ui.tree.expand(_article_row(window, article_id))
    return [_section_mark(window, article_id, h) for h in ("Background", "Dosage", "Side effects")]


def _filtered(qtbot, window, query):
    """The "Safety passages only" list for `query`: its marks, and the line above it."""
    panel = window.ui.search_panel
    panel.safety_only.setChecked(True)
    return _search_marks(qtbot, window, query), panel.status.text()


def test_the_first_article_shows_checked_in_the_tree_and_results_before_the_pass_ends(
    qtbot, tmp_path, monkeypatch
):
    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    try:
        assert window.ui.reader.article.id == "article-000"
        qtbot.waitUntil(lambda: _article_row(window, "article-005") is not None)
        assert _marks(window, "article-000") == ["unchecked"] * 3  # its check is held
        opened.release()
        # Its page gets its marks, and so do its row and its results, the pass still held.
        qtbot.waitUntil(
            lambda: not window.article_verdicts.notice.isVisibleTo(window), timeout=30000
        )
        qtbot.waitUntil(lambda: _marks(window, "article-000") == ["", "safety", "safety"])
        assert window.startup.verdicts.is_busy()
        assert not window.library.entry("article-000").pending
        assert window.library.unchecked() == 7
        assert _marks(window, "article-005") == ["unchecked"] * 3
        marks = _search_marks(qtbot, window, "kratom")
        assert marks[("article-000", "Side effects")] == "safety"
        assert marks[("article-000", "Background")] == ""
        assert marks[("article-005", "Side effects")] == "unchecked"
        # The page on screen is the classified one, which the library now holds.
        assert window.library.get("article-000") is window.ui.reader.article
    finally:
        opened.release()
        passes.release()
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    close_window(qtbot, window)


def test_an_article_left_before_its_check_ended_still_shows_checked(qtbot, tmp_path, monkeypatch):
    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    try:
        window.open_place("article-002")  # before article 0's check came: article 0 is left
        opened.release()
        qtbot.waitUntil(lambda: not window.library.entry("article-002").pending, timeout=30000)
        qtbot.waitUntil(lambda: _marks(window, "article-000") == ["", "safety", "safety"])
        qtbot.waitUntil(lambda: _marks(window, "article-002") == ["", "safety", "safety"])
        assert window.ui.reader.article.id == "article-002"
        assert window.startup.verdicts.is_busy()
    finally:
        opened.release()
        passes.release()
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    close_window(qtbot, window)


def test_the_verdicts_of_the_pass_show_batch_by_batch(qtbot, tmp_path, monkeypatch):
    # A file every 0.3 s, held before the last: batches (about a second apart) come before.
    window, passes, opened = _first_launch(
        qtbot, tmp_path, monkeypatch, count=10, at="article-009.txt", slow=0.3
    )
    try:
        opened.release()
        # The first batch holds the files classified in its second (three or four of them):
        # shown then, the pass going on, not once it has ended.
        checked = ["article-001", "article-002"]
        qtbot.waitUntil(
            lambda: not any(window.library.entry(a).pending for a in checked), timeout=30000
        )
        assert window.startup.verdicts.is_busy()  # held at the last file
        assert window.library.entry("article-009").pending
        for article_id in checked:
            qtbot.waitUntil(lambda a=article_id: _marks(window, a) == ["", "safety", "safety"])
        assert _marks(window, "article-009") == ["unchecked"] * 3
        marks = _search_marks(qtbot, window, "constipation")
        assert marks[("article-002", "Side effects")] == "safety"
        assert marks[("article-009", "Side effects")] == "unchecked"
    finally:
        passes.release()
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    close_window(qtbot, window)


def test_safety_passages_only_lists_articles_not_checked_yet_and_follows_their_verdicts(
    qtbot, tmp_path, monkeypatch
):
    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    try:
        opened.release()
        qtbot.waitUntil(lambda: not window.library.entry("article-000").pending, timeout=30000)
        marks, line = _filtered(qtbot, window, "kratom")
        # The article checked: its safety sections only. The others: every match, marked as
        # not checked yet, and the line says so; never "no safety passages".
        assert marks[("article-000", "Side effects")] == "safety"
        assert marks[("article-000", "Dosage")] == "safety"
        assert ("article-000", "Background") not in marks
        assert marks[("article-005", "Background")] == "unchecked"
        assert marks[("article-005", "Side effects")] == "unchecked"
        assert {a for a, _ in marks} == {f"article-{n:03d}" for n in range(8)}
        assert line.startswith("2 safety results in 1 article")
        assert "not checked for safety passages yet" in line
        assert "Still checking: 7 articles are not checked yet" in line
        # A word only the unchecked sections have: listed, not "no safety passages".
        marks, line = _filtered(qtbot, window, "Southeast")
        assert set(marks.values()) == {"unchecked"} and len(marks) == 7
        assert line.startswith("No safety passages for “Southeast” in the articles checked so far")
        assert "7 matches in 7 articles not checked for safety passages yet" in line
    finally:
        passes.release()
    # The verdicts come: the same list shows each article's safety sections, and nothing more.
    panel = window.ui.search_panel

    def settled_list():
        marks = {key: mark for key, mark in _search_marks(qtbot, window, "kratom").items()}
        return set(marks.values()) == {"safety"} and len(marks) == 16

    qtbot.waitUntil(lambda: window.library.unchecked() == 0, timeout=60000)
    qtbot.waitUntil(settled_list, timeout=60000)
    assert "Still checking" not in panel.status.text()
    assert panel.status.text().startswith("16 safety results in 8 articles")
    # And once the index has the marks, the filter is the index's own, with the same list.
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    qtbot.waitUntil(lambda: not window.startup.verdicts.search_behind(), timeout=60000)
    assert settled_list()
    assert panel.status.text() == "16 safety results in 8 articles."
    _, line = _filtered(qtbot, window, "Southeast")
    assert line == "No safety passages for “Southeast”. Try without “Safety only”."
    close_window(qtbot, window)


def test_a_filtered_list_on_screen_follows_the_verdicts_as_they_come(qtbot, tmp_path, monkeypatch):
    window, passes, opened = _first_launch(qtbot, tmp_path, monkeypatch)
    panel = window.ui.search_panel
    try:
        marks, _ = _filtered(qtbot, window, "kratom")
        assert set(marks.values()) == {"unchecked"}  # nothing checked yet: all listed
        opened.release()  # article 0's verdicts come: the list on screen is searched again

        def rows():
            return {
                (r.data(HIT_ROLE).article, r.data(HIT_ROLE).section): bool(r.data(UNCHECKED_ROLE))
                for r in panel.hit_rows()
            }

        qtbot.waitUntil(lambda: ("article-000", "Background") not in rows(), timeout=30000)
        assert rows()[("article-000", "Side effects")] is False  # a safety result now
        assert rows()[("article-005", "Background")] is True
        assert panel.status.text().startswith("2 safety results in 1 article")
    finally:
        opened.release()
        passes.release()
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    close_window(qtbot, window)


def test_the_first_article_checked_while_the_folder_is_still_read_shows_checked_at_once(
    qtbot, tmp_path, monkeypatch
):
    import threading

    import viewer.core.catalogue_builder as builder_module

    write_collection(tmp_path / "c", 14)
    # The first pass stops before article 9 until released: the folder is still being read.
    reached, go = threading.Event(), threading.Event()
    real = builder_module.read_record

    def read(root, rel, *rest):
        if rel == "article-009.txt":
            reached.set()
            go.wait(60)
        return real(root, rel, *rest)

    monkeypatch.setattr(builder_module, "read_record", read)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    try:
        qtbot.waitUntil(reached.is_set, timeout=30000)
        qtbot.waitUntil(lambda: window.ui.reader.article is not None, timeout=30000)
        assert window.ui.reader.article.id == "article-000"
        qtbot.waitUntil(
            lambda: not window.article_verdicts.notice.isVisibleTo(window), timeout=30000
        )
        # Checked as it opened: its row says so now, the reading still under way.
        qtbot.waitUntil(lambda: _marks(window, "article-000") == ["", "safety", "safety"])
        assert window.startup.is_busy() and window.startup.records is None
        assert [e.id for e in window.library.entries if not e.pending] == ["article-000"]
        # (Only the first article has come from the reading so far: the rest is not read yet.)
        assert window.library.unchecked() >= 1
    finally:
        go.set()
    qtbot.waitUntil(lambda: window.library.unchecked() == 0, timeout=60000)
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    assert _marks(window, "article-000") == ["", "safety", "safety"]
    close_window(qtbot, window)
