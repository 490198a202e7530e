"""The corpus folder watcher (viewer/ui/corpus_watch.py): an edit in place, a new file in a new
sub-folder and a removed file are seen and named; an editor's hidden swap file is not a change;
and in a large open collection, a file edited in place reaches the window with only that file
read again."""

from __future__ import annotations

import sys

import viewer.core.catalogue_builder as builder_module
from tests.test_background_catalogue import TEMPLATE, write_collection
from viewer.ui.corpus_watch import CorpusWatcher

ON_LINUX = sys.platform.startswith("linux")


def _watcher(qtbot, folder, **options) -> CorpusWatcher:
    watcher = CorpusWatcher(quiet_ms=50, **options)
    watcher.watch(folder)
    return watcher


def test_edits_in_place_new_files_in_new_folders_and_removals_are_named(qtbot, tmp_path):
    paths = write_collection(tmp_path / "c", 3)
    watcher = _watcher(qtbot, tmp_path / "c")
    assert watcher.uses_inotify == ON_LINUX
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        with open(paths[1], "a", encoding="utf-8") as handle:  # no rename, no new time set
            handle.write("One more line.\n")
    expected_edit = {"article-001.txt"} if ON_LINUX else None
    assert watcher.take_changes() == expected_edit
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        (tmp_path / "c" / "sub").mkdir()
    watcher.take_changes()  # a new folder: not known by name what is in it
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        (tmp_path / "c" / "sub" / "later.md").write_text("# Later\n\nText.\n", encoding="utf-8")
    assert watcher.take_changes() == ({"sub/later.md"} if ON_LINUX else None)
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        paths[0].unlink()
    assert watcher.take_changes() == ({"article-000.txt"} if ON_LINUX else None)
    watcher.stop()


def test_a_hidden_swap_file_is_not_a_change(qtbot, tmp_path):
    write_collection(tmp_path / "c", 2)
    watcher = _watcher(qtbot, tmp_path / "c")
    with qtbot.assertNotEmitted(watcher.changed, wait=300):
        (tmp_path / "c" / ".article-000.txt.swp").write_bytes(b"swap")
    watcher.stop()


def test_without_inotify_every_change_means_look_at_everything(qtbot, tmp_path):
    write_collection(tmp_path / "c", 2)
    watcher = _watcher(qtbot, tmp_path / "c", use_inotify=False)
    assert not watcher.uses_inotify
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        (tmp_path / "c" / "new.txt").write_text(TEMPLATE.format(n=5), encoding="utf-8")
    assert watcher.take_changes() is None
    watcher.stop()


def test_an_edit_in_place_in_a_large_collection_reaches_the_window_alone(
    qtbot, tmp_path, monkeypatch
):
    from tests.ui_support import close_window, open_window

    paths = write_collection(tmp_path / "c", 12)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5)
    qtbot.waitUntil(
        lambda: len(window.library) == 12 and not window.startup.is_busy(), timeout=60000
    )
    close_window(qtbot, window)
    # The next start trusts the catalogue; its check finds nothing changed.
    window = open_window(
        qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5, article="article-004"
    )
    assert window.startup.mode == "check"
    # Its check of every file's stat, after the first paint, has run (and found nothing), and
    # the verdicts the first window's close left pending are given (their pass reads files).
    qtbot.waitUntil(
        lambda: (
            window.startup.records is not None
            and not window.startup.is_busy()
            and window.startup.verdicts.is_settled()
        ),
        timeout=60000,
    )
    read = []
    real = builder_module.read_record

    def counting(root, rel, *rest):
        read.append(rel)
        return real(root, rel, *rest)

    monkeypatch.setattr(builder_module, "read_record", counting)
    with open(paths[4], "w", encoding="utf-8") as handle:  # rewritten in place, as `>` does
        handle.write(TEMPLATE.format(n=4).replace("Summary of article 4", "Rewritten in place"))
    qtbot.waitUntil(lambda: "Rewritten in place" in window.ui.reader.toPlainText(), timeout=15000)
    assert window.ui.reader.article.id == "article-004"
    if ON_LINUX:  # the watcher named the file: nothing else was read again
        assert read == ["article-004.txt"]
    close_window(qtbot, window)


def test_files_in_existing_sub_folders_are_watched_too(qtbot, tmp_path):
    deeper = tmp_path / "c" / "sub" / "deeper"
    write_collection(deeper, 1)
    write_collection(tmp_path / "c", 1)
    watcher = _watcher(qtbot, tmp_path / "c")
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        with open(deeper / "article-000.txt", "a", encoding="utf-8") as handle:
            handle.write("One more line.\n")
    assert watcher.take_changes() == ({"sub/deeper/article-000.txt"} if ON_LINUX else None)
    watcher.stop()


def test_an_edit_in_a_large_collection_is_shown_then_searchable_and_saved(qtbot, tmp_path):
    from tests.ui_support import close_window, open_window
    from viewer.core.catalogue_builder import read_catalogue

    write_collection(tmp_path / "c", 12)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5)
    qtbot.waitUntil(lambda: not window.startup.is_busy(), timeout=60000)
    close_window(qtbot, window)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5)
    qtbot.waitUntil(
        lambda: (
            window.startup.records is not None
            and not window.startup.is_busy()
            and window.search_service.is_ready()
        ),
        timeout=60000,
    )
    path = tmp_path / "c" / window.ui.reader.article.path  # the open article's file
    with open(path, "a", encoding="utf-8") as handle:  # appended in place
        handle.write("\nThe zqxedited word closes it.\n")
    qtbot.waitUntil(lambda: "zqxedited" in window.ui.reader.toPlainText(), timeout=15000)

    def found() -> bool:
        index = window.search_service.index
        return index is not None and bool(index.search("zqxedited").hits)

    qtbot.waitUntil(found, timeout=30000)  # the index update follows the reopening
    close_window(qtbot, window)  # and the pass's catalogue is written by the time it closes
    _, records = read_catalogue(window.context.corpus, window.context.corpus_cache_dir())
    assert records[window.ui.reader.article.path].mtime_ns == path.stat().st_mtime_ns


def test_a_finished_save_is_taken_at_once_a_file_still_open_for_writing_is_waited_for(
    qtbot, tmp_path
):
    write_collection(tmp_path / "c", 2)
    # Through inotify a closed file ends the wait long before the 20 s quiet time; Qt's
    # watcher (elsewhere) cannot tell, and waits its whole quiet time, short here.
    watcher = CorpusWatcher(quiet_ms=20000 if ON_LINUX else 50)
    watcher.watch(tmp_path / "c")
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        with open(tmp_path / "c" / "article-000.txt", "a", encoding="utf-8") as handle:
            handle.write("One more line.\n")
    assert watcher.take_changes() == ({"article-000.txt"} if ON_LINUX else None)
    with open(tmp_path / "c" / "article-001.txt", "a", encoding="utf-8") as handle:
        handle.write("Half a line")
        handle.flush()  # written, still open: the save is not over
        if ON_LINUX:
            with qtbot.assertNotEmitted(watcher.changed, wait=1500):
                pass
        handle.write(" and the rest.\n")
    with qtbot.waitSignal(watcher.changed, timeout=5000):  # closed: taken at once
        pass
    assert watcher.take_changes() == ({"article-001.txt"} if ON_LINUX else None)
    watcher.stop()
