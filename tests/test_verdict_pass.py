"""A first launch's two passes (viewer/core/verdict_pass.py): the folder read without the safety
classifier, then the verdicts given in a second pass. Entries of the first pass never pass for
"no warnings"; the second gives what one classified read gives, resumes after a cancel, reads
a file changed meanwhile as it is now, and survives a broken file."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import threading

import pytest

from tests.test_background_catalogue import TEMPLATE, PausedVerdicts, bump, write_collection
from viewer.core.catalogue_builder import CatalogueBuilder, read_catalogue
from viewer.core.catalogue_store import CatalogueFile
from viewer.core.verdict_pass import VerdictPass, patch_in, pending_count

# An edit that takes the side effects out: its verdicts differ from the old text's.
CALMER = (
    TEMPLATE.format(n=2)
    .replace("Summary of article 2", "Freshly edited summary")
    .replace(
        "Nausea and constipation are common side effects of kratom.",
        "The weather was pleasant and the garden was green.",
    )
)


def first_pass(folder, cache):
    """The window's first pass over a folder never read (it follows the batches)."""
    return CatalogueBuilder(folder, cache, workers=0, classify=False).run(lambda batch: None)


def classified(folder, cache):
    """The entries one classified read gives (the reference)."""
    return {e.id: e.to_json() for e in CatalogueBuilder(folder, cache, workers=0).run().entries}


def test_the_first_pass_leaves_verdicts_pending_and_never_says_no_warnings(tmp_path):
    write_collection(tmp_path / "c", 6)
    batches = []
    library = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, classify=False).run(
        batches.append
    )
    assert batches[-1].progress.done == batches[-1].progress.total == 6
    # Every file, the first one too (the window shows it at once and asks for its verdicts in
    # a thread: viewer/ui/article_verdicts.py).
    pending = [e for e in library.entries if e.pending]
    assert len(pending) == 6
    _, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    assert pending_count(records) == 6  # pending as the catalogue keeps it, too
    # An article opened before its verdicts is classified then: its side effects are marked.
    article = library.get("article-003")
    assert [s.heading for s in article.sections if s.safety] == ["Dosage", "Side effects"]


def test_the_verdict_pass_gives_what_a_classified_read_gives(tmp_path):
    write_collection(tmp_path / "c", 8)
    first_pass(tmp_path / "c", tmp_path / "cache")
    _, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    batches = []
    VerdictPass(tmp_path / "c", tmp_path / "cache", records, workers=0, batch_seconds=0).run(
        batches.append
    )
    assert batches[0].progress.done == 0 and batches[0].progress.total == 8
    assert batches[-1].progress.done == batches[-1].progress.total == 8
    assert batches[-1].progress.describe().startswith("Checking safety: 8 of 8")
    assert sum(len(b.records) for b in batches) == 8
    trusted, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    assert pending_count(records) == 0
    expected = classified(tmp_path / "c", tmp_path / "reference")
    assert {e.id: e.to_json() for e in trusted.entries} == expected
    # The next start finds nothing to do.
    assert VerdictPass(tmp_path / "c", tmp_path / "cache", records).pending == []


def test_a_cancelled_verdict_pass_resumes_where_it_stopped(tmp_path):
    write_collection(tmp_path / "c", 12)
    first_pass(tmp_path / "c", tmp_path / "cache")
    _, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    verdicts = VerdictPass(tmp_path / "c", tmp_path / "cache", records, workers=0, batch_seconds=0)

    def on_batch(batch):
        if len(verdicts.results) >= 4:
            verdicts.cancel()

    verdicts.run(on_batch)
    assert verdicts.cancelled
    _, kept = read_catalogue(tmp_path / "c", tmp_path / "cache")
    left = pending_count(kept)
    assert 0 < left <= 12 - 4  # what was classified is kept
    # The next start: the catalogue is trusted, pending entries and all; the rest is classified.
    again = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0)
    again.run()
    assert not again.changed
    resumed = VerdictPass(tmp_path / "c", tmp_path / "cache", again.records, workers=0)
    assert len(resumed.pending) == left
    resumed.run()
    trusted, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    assert pending_count(records) == 0
    assert {e.id: e.to_json() for e in trusted.entries} == classified(
        tmp_path / "c", tmp_path / "reference"
    )


def test_a_file_changed_during_the_verdict_pass_gets_fresh_verdicts(tmp_path):
    paths = write_collection(tmp_path / "c", 6)
    first_pass(tmp_path / "c", tmp_path / "cache")
    _, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    # Rewritten after its pending entry was made: the side effects are gone, a warning came.
    text = TEMPLATE.format(n=4).replace(
        "Nausea and constipation are common side effects of kratom.",
        "The weather was pleasant and the garden was green.",
    )
    bump(paths[4], text.replace("Summary of article 4", "Rewritten summary"))
    verdicts = VerdictPass(tmp_path / "c", tmp_path / "cache", records, workers=0)
    verdicts.run()
    trusted, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    entry = trusted.entry("article-004")
    assert not entry.pending
    assert records["article-004.txt"].mtime_ns == paths[4].stat().st_mtime_ns
    # Its verdicts are those of the file as it is now, as a classified read gives them.
    assert entry.to_json() == classified(tmp_path / "c", tmp_path / "reference")["article-004"]
    assert "Side effects" not in [s.heading for s in entry.sections if s.safety]


def test_verdicts_go_only_into_records_still_the_ones_classified(tmp_path):
    paths = write_collection(tmp_path / "c", 6)
    first_pass(tmp_path / "c", tmp_path / "cache")
    _, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    verdicts = VerdictPass(tmp_path / "c", tmp_path / "cache", records, workers=0)
    verdicts.run(save=False)
    # Meanwhile the window read article 2 again after an edit (classified, as edits are).
    bump(paths[2], CALMER)
    edited = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, remembered=records)
    edited.run()
    current = edited.records
    assert not current["article-002.txt"].entry.pending
    patched = patch_in(current, verdicts.results, verdicts.base)
    assert "article-002.txt" not in patched and len(patched) == 5
    # The edit's record stays (its new text and verdicts); every other one is classified.
    assert current["article-002.txt"].mtime_ns == paths[2].stat().st_mtime_ns
    assert pending_count(current) == 0
    again = patch_in(current, verdicts.results, verdicts.base)
    assert again == []  # nothing is still pending: a second patch changes nothing


def test_a_broken_file_in_the_middle_becomes_a_problem_and_the_rest_is_classified(tmp_path):
    paths = write_collection(tmp_path / "c", 7)
    first_pass(tmp_path / "c", tmp_path / "cache")
    _, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    bump(paths[3], "")  # emptied after the first pass read it
    VerdictPass(tmp_path / "c", tmp_path / "cache", records, workers=0).run()
    trusted, records = read_catalogue(tmp_path / "c", tmp_path / "cache")
    assert [p.path for p in trusted.problems] == ["article-003.txt"]
    assert len(trusted) == 6 and pending_count(records) == 0


@pytest.mark.slow
def test_worker_processes_give_the_verdicts_one_thread_gives(tmp_path):
    write_collection(tmp_path / "c", 10)
    for cache in ("one", "two"):
        first_pass(tmp_path / "c", tmp_path / cache)
    _, one = read_catalogue(tmp_path / "c", tmp_path / "one")
    _, two = read_catalogue(tmp_path / "c", tmp_path / "two")
    VerdictPass(tmp_path / "c", tmp_path / "one", one, workers=0).run()
    VerdictPass(tmp_path / "c", tmp_path / "two", two, workers=2, chunk=2).run()
    assert {
        e.id: e.to_json() for e in read_catalogue(tmp_path / "c", tmp_path / "one")[0].entries
    } == {e.id: e.to_json() for e in read_catalogue(tmp_path / "c", tmp_path / "two")[0].entries}


def test_the_command_line_gives_full_verdicts_of_a_folder_left_pending(tmp_path):
    write_collection(tmp_path / "c", 5)
    env_cache = tmp_path / "clicache"
    run = [sys.executable, "-m", "viewer", "--corpus", str(tmp_path / "c")]
    run += ["--cache-dir", str(env_cache)]
    subprocess.run([*run, "list", "--json"], check=True, capture_output=True)
    (corpus_cache,) = [p for p in env_cache.iterdir() if p.is_dir()]  # this corpus's folder
    for name in ("catalogue.json", "catalogue-outlines.jsonl"):
        (corpus_cache / name).unlink()
    first_pass(tmp_path / "c", corpus_cache)  # a GUI's first pass, stopped before its verdicts
    assert pending_count(CatalogueFile(corpus_cache).read()) == 5  # the first one too
    shown = json.loads(
        subprocess.run(
            [*run, "show", "article-002", "--json"], check=True, capture_output=True
        ).stdout
    )
    assert [s["heading"] for s in shown["sections"] if s["safety"]] == ["Dosage", "Side effects"]
    listed = json.loads(
        subprocess.run([*run, "list", "--json"], check=True, capture_output=True).stdout
    )
    assert all(a["safety_sections"] == 2 for a in listed["articles"])
    assert pending_count(CatalogueFile(corpus_cache).read()) == 0  # and it kept them


# -- the window ------------------------------------------------------------------------------


def slow_verdicts(monkeypatch, seconds: float) -> None:
    """Each file's verdicts take a while (the pass runs in one thread with this few files)."""
    import time

    import viewer.core.verdict_pass as verdict_module

    real = verdict_module.classify_file

    def slow(root, item):
        time.sleep(seconds)
        return real(root, item)

    monkeypatch.setattr(verdict_module, "classify_file", slow)


def test_a_first_launch_is_searchable_before_its_verdicts_and_shows_them_once_they_come(
    qtbot, tmp_path, monkeypatch
):
    from tests.ui_support import close_window, open_window

    slow_verdicts(monkeypatch, 0.3)
    write_collection(tmp_path / "c", 14)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    assert window.startup.mode == "build"
    qtbot.waitUntil(window.search_service.is_ready, timeout=60000)
    # Search works while the verdicts are still being given.
    qtbot.waitUntil(window.startup.verdicts.is_busy, timeout=30000)
    found = window.search_service.index.search("constipation", limit=50)
    assert len({h.article for h in found.hits}) == 14
    qtbot.waitUntil(lambda: window.startup.status.text().startswith("Checking safety:"))
    # The Safety panel says its list is not complete yet.
    window.ui.docks.safety.raise_()
    window.ui.docks.safety.show()
    overview = window.ui.safety.overview
    overview.build_pending()
    assert overview.model.index(0, 0).data().startswith("Still checking: ")
    # An article opened before its verdicts is shown at once, then with its marks (it is
    # checked as it opens, in a thread: article_verdicts.py), before the pass gives them.
    assert window.library.entry("article-009").pending
    window.open_place("article-009")
    qtbot.waitUntil(lambda: bool(window.ui.reader.article.safety_sections), timeout=30000)
    shown = window.ui.reader.article
    assert [s.heading for s in shown.sections if s.safety] == ["Dosage", "Side effects"]
    # Once the pass is done: no entry pending, the Safety panel lists every article's passages,
    # and the index (brought up to date in its own process) filters on them.
    qtbot.waitUntil(lambda: not window.startup.verdicts.is_busy(), timeout=60000)
    assert not any(e.pending for e in window.library.entries)
    assert window.library.entry("article-009").safety_count == 2
    overview.build_pending()
    assert not overview.model.index(0, 0).data().startswith("Still checking")

    def safety_hits():
        index = window.search_service.index
        if index is None:
            return 0
        found = index.search("constipation", limit=50, safety_only=True)
        return len({h.article for h in found.hits})

    qtbot.waitUntil(lambda: safety_hits() == 14, timeout=60000)
    close_window(qtbot, window)
    assert multiprocessing.active_children() == []


def test_closing_during_the_verdict_pass_resumes_it_on_the_next_start(qtbot, tmp_path, monkeypatch):
    from tests.ui_support import close_window, open_window

    paused = PausedVerdicts(monkeypatch, at="article-005.txt")
    write_collection(tmp_path / "c", 20)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    qtbot.waitUntil(paused.reached.is_set, timeout=60000)  # past 4 of its 19 files
    close_window(qtbot, window)
    assert multiprocessing.active_children() == []
    cache = window.context.corpus_cache_dir()
    left = pending_count(CatalogueFile(cache).read())
    assert left == 14  # what it classified is kept (the file it was at, too)
    # The next start trusts the catalogue and gives the verdicts still missing.
    monkeypatch.undo()
    again = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    assert again.startup.mode == "check"
    qtbot.waitUntil(lambda: not any(e.pending for e in again.library.entries), timeout=60000)
    qtbot.waitUntil(again.startup.verdicts.is_settled, timeout=60000)  # and written
    assert pending_count(CatalogueFile(cache).read()) == 0
    close_window(qtbot, again)


def _new_text_everywhere(window) -> bool:
    entry = window.library.entry("article-002")
    return (
        not entry.pending
        and "Freshly edited summary" in window.library.get("article-002").sections[0].plain_text
        and "Freshly edited summary" in window.ui.reader.toPlainText()
    )


def _catalogue_has_the_edit(folder, cache, reference) -> None:
    """The catalogue on disk: nothing pending, the edited file as it is now with the verdicts
    of its new text, and a next start that reads nothing again."""
    trusted, records = read_catalogue(folder, cache)
    assert pending_count(records) == 0
    assert records["article-002.txt"].mtime_ns == (folder / "article-002.txt").stat().st_mtime_ns
    expected = classified(folder, reference)
    assert trusted.entry("article-002").to_json() == expected["article-002"]
    assert [s.heading for s in trusted.entry("article-002").sections if s.safety] == ["Dosage"]
    assert {e.id: e.to_json() for e in trusted.entries} == expected
    following = CatalogueBuilder(folder, cache, workers=0)
    following.run()
    assert not following.changed and following.reused == 8


def test_a_file_edited_during_the_verdict_pass_keeps_its_new_text_and_verdicts(
    qtbot, tmp_path, monkeypatch
):
    from tests.ui_support import close_window, open_window

    paths = write_collection(tmp_path / "c", 8)
    # Paused past article 2: the pass holds verdicts of its old text when the edit comes.
    paused = PausedVerdicts(monkeypatch, at="article-005.txt")
    window = open_window(
        qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5, article="article-002"
    )
    try:
        qtbot.waitUntil(paused.reached.is_set, timeout=60000)
        assert window.startup.verdicts.is_busy()
        window.open_place("article-002")
        bump(paths[2], CALMER)
        qtbot.waitUntil(lambda: _new_text_everywhere(window), timeout=30000)
    finally:
        paused.release()
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    assert _new_text_everywhere(window)
    assert not any(e.pending for e in window.library.entries)
    assert window.library.entry("article-002").safety_count == 1
    assert window.library.entry("article-003").safety_count == 2
    close_window(qtbot, window)
    _catalogue_has_the_edit(tmp_path / "c", window.context.corpus_cache_dir(), tmp_path / "ref")


def test_an_edit_the_verdict_pass_reads_first_shows_its_new_text(qtbot, tmp_path, monkeypatch):
    from tests.ui_support import close_window, open_window
    from viewer.ui.startup import LibraryStartup

    paths = write_collection(tmp_path / "c", 8)
    # The folder's own pass over the edit comes late (held here), after the verdict pass
    # has read the edited file as it is now: the window takes the new text from the verdicts.
    held: list[LibraryStartup] = []
    real_reload = LibraryStartup.reload

    def late_reload(self) -> bool:
        if self.mode != "small" and not held:
            held.append(self)
            return True
        return real_reload(self)

    monkeypatch.setattr(LibraryStartup, "reload", late_reload)
    paused = PausedVerdicts(monkeypatch, at="article-001.txt")
    window = open_window(
        qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5, article="article-002"
    )
    try:
        qtbot.waitUntil(paused.reached.is_set, timeout=60000)
        window.open_place("article-002")
        bump(paths[2], CALMER)
        qtbot.waitUntil(lambda: bool(held), timeout=30000)  # the watcher saw it
    finally:
        paused.release()
    qtbot.waitUntil(lambda: _new_text_everywhere(window), timeout=60000)
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    real_reload(window.startup)  # the folder's pass now: it finds the edit known
    qtbot.waitUntil(lambda: not window.startup.is_busy(), timeout=30000)
    assert _new_text_everywhere(window)
    assert not any(e.pending for e in window.library.entries)
    close_window(qtbot, window)
    _catalogue_has_the_edit(tmp_path / "c", window.context.corpus_cache_dir(), tmp_path / "ref")


def _article_row(window, article_id):
    from tests.ui_support import tree_row
    from viewer.ui.topic_tree import KIND_ALL

    window.ui.tree.expand(tree_row(window, KIND_ALL))
    return tree_row(window, "article", article_id=article_id)


def _section_mark(window, article_id, heading):
    """What the Topics tree draws beside a section: 'safety', 'unchecked' or '' (no mark)."""
    from PySide6.QtCore import Qt

    from tests.ui_support import tree_row

    model = window.ui.tree_model
    row = tree_row(window, "section", heading, article_id)
    said = model.data(row, Qt.ItemDataRole.AccessibleTextRole)
    icon = model.data(row, Qt.ItemDataRole.DecorationRole)
    if icon is None:
        return ""
    return "unchecked" if "not checked" in said else "safety" if "safety section" in said else "?"


def _search_marks(qtbot, window, query):
    """(article, section) -> 'safety', 'unchecked' or '' as the result list marks each hit."""
    from viewer.ui.hit_delegate import HIT_ROLE, UNCHECKED_ROLE

    panel = window.ui.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=30000):
        panel.set_query(query)
    marks = {}
    for row in panel.hit_rows():
        hit = row.data(HIT_ROLE)
        mark = "unchecked" if row.data(UNCHECKED_ROLE) else "safety" if hit.safety else ""
        marks[(hit.article, hit.section)] = mark
    return marks


def test_articles_not_checked_yet_never_show_as_free_of_warnings(qtbot, tmp_path, monkeypatch):
    from tests.test_first_article_verdicts import PausedArticleVerdicts
    from tests.ui_support import close_window, open_window

    write_collection(tmp_path / "c", 8)
    paused = PausedVerdicts(monkeypatch, at="article-000.txt")
    opened = PausedArticleVerdicts(monkeypatch)  # the first article's own check waits too
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    try:
        qtbot.waitUntil(paused.reached.is_set, timeout=60000)
        qtbot.waitUntil(window.search_service.is_ready, timeout=60000)
        # Every article waits for its verdicts, the first one shown too (checked on its own
        # as it opens: article_verdicts.py, held here).
        assert [e.id for e in window.library.entries if not e.pending] == []
        assert window.library.unchecked() == 8
        qtbot.waitUntil(lambda: _article_row(window, "article-005") is not None)
        # Topics: the unchecked article and its sections carry the "not checked" mark, where
        # no mark at all would read as "no safety passages".
        window.ui.tree.expand(_article_row(window, "article-005"))
        window.ui.tree.expand(_article_row(window, "article-000"))
        assert _section_mark(window, "article-005", "Side effects") == "unchecked"
        assert _section_mark(window, "article-005", "Background") == "unchecked"
        assert _section_mark(window, "article-000", "Side effects") == "unchecked"
        assert _section_mark(window, "article-000", "Background") == "unchecked"
        # The Safety panel says how many are still to check.
        window.ui.docks.safety.show()
        window.ui.docks.safety.raise_()
        overview = window.ui.safety.overview
        overview.build_pending()
        assert overview.model.index(0, 0).data() == (
            "Still checking: 8 articles are not checked for safety passages yet."
        )
        # Search results: "checking safety…", never a plain row for an unchecked article.
        marks = _search_marks(qtbot, window, "constipation")
        assert marks[("article-005", "Side effects")] == "unchecked"
        assert marks[("article-000", "Side effects")] == "unchecked"
    finally:
        opened.release()
        paused.release()
    # The verdicts come: every mark is a verdict now, in the tree, the panel and the results.
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    assert window.library.unchecked() == 0
    qtbot.waitUntil(lambda: _section_mark(window, "article-005", "Side effects") == "safety")
    window.ui.tree.expand(_article_row(window, "article-005"))
    assert _section_mark(window, "article-005", "Background") == ""
    overview.build_pending()
    assert not overview.model.index(0, 0).data().startswith("Still checking")
    marks = _search_marks(qtbot, window, "constipation")
    assert set(marks.values()) == {"safety"} and len(marks) == 8
    close_window(qtbot, window)


def test_a_collection_being_read_for_the_first_time_is_never_said_to_be_free_of_warnings(
    qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings

    import viewer.core.catalogue_builder as builder_module
    from tests.test_first_article_verdicts import PausedArticleVerdicts
    from tests.ui_support import close_window
    from viewer.context import Context
    from viewer.ui.main_window import MainWindow, StartOptions
    from viewer.ui.safety_overview import NOTHING_FLAGGED

    write_collection(tmp_path / "c", 14)
    # The first pass stops before article 9 until released: read so far, 0-8; unread, 9-13.
    reached, go = threading.Event(), threading.Event()
    real = builder_module.read_record

    def read(root, rel, *rest):
        if rel == "article-009.txt":
            reached.set()
            go.wait(60)
        return real(root, rel, *rest)

    monkeypatch.setattr(builder_module, "read_record", read)
    # The first article's own check (article_verdicts.py) waits too: once it ends, that article
    # is shown checked at once, and the entries below would no longer all be pending.
    opened = PausedArticleVerdicts(monkeypatch)
    context = Context(tmp_path / "c", tmp_path / "cache")
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, store, StartOptions(background_from=5))
    qtbot.addWidget(window)
    try:
        # Before anything is read: an empty list, which is not "nothing found".
        assert window.startup.mode == "build" and len(window.library) == 0
        assert window.library.unchecked() >= 1
        overview = window.ui.safety.overview
        overview.build_pending()
        assert overview.model.index(0, 0).data().startswith("Still checking: the collection")
        window.show()
        qtbot.waitUntil(reached.is_set, timeout=30000)
        qtbot.waitUntil(lambda: len(window.library) >= 1, timeout=30000)
        library = window.library  # whatever part of the reading the window holds now
        assert library.unchecked() >= 1
        assert all(e.pending for e in library.entries)
        if library.unread is not None:
            assert library.unchecked() == 14  # the first one too (article_verdicts.py)
        overview.show_library(library)
        overview.build_pending()
        assert overview.model.index(0, 0).data().startswith("Still checking")
        assert overview.model.index(0, 0).data() != NOTHING_FLAGGED
    finally:
        opened.release()
        go.set()
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    qtbot.waitUntil(lambda: len(window.library) == 14 and window.library.unchecked() == 0)
    close_window(qtbot, window)
