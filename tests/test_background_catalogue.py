"""Reading a collection into its catalogue in the background (viewer/core/catalogue_builder.py):
progress to the end, a broken file in the middle, files changed while it runs, cancelling, and
worker processes giving what one thread gives."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

import viewer.core.catalogue_builder as builder_module
import viewer.core.library as library_module
from viewer.core.catalogue_builder import CatalogueBuilder, Progress, library_from_catalogue
from viewer.core.library import Library

TEMPLATE = """\
Summary of article {n}: kratom and sleep.
An introduction to article {n}, on how kratom affects sleep and rest.
- Background
- Dosage
- Side effects
Background
Article {n} gives the background: kratom is a plant from Southeast Asia.
Dosage
Doses of kratom vary; do not exceed the amount a doctor advises.
Side effects
Nausea and constipation are common side effects of kratom.
In short, article {n} says to be careful.
"""


def write_collection(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"article-{n:03d}.txt"
        path.write_text(TEMPLATE.format(n=n), encoding="utf-8")
        # An mtime well in the past: the catalogue trusts only files not changed just now.
        os.utime(path, ns=(1_600_000_000_000_000_000 + n, 1_600_000_000_000_000_000 + n))
        paths.append(path)
    return paths


def bump(path: Path, text: str) -> None:
    """Rewrite a file with a clearly newer modification time."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns - 5_000_000_000
    os.utime(path, ns=(stamp, stamp))


class PausedVerdicts:
    """The window's verdict pass (in one thread with this few files) stops before it classifies
    the file `at` and waits there until released or cancelled: an edit or a close then comes
    during the pass, every time. (The wait's timeout only keeps a failing test from hanging.)"""

    def __init__(self, monkeypatch, at: str) -> None:
        import viewer.core.verdict_pass as verdict_module

        self.at = at
        self.reached, self._go = threading.Event(), threading.Event()
        real, real_cancel = verdict_module.classify_file, verdict_module.VerdictPass.cancel

        def classify(root, item):
            if item[0] == self.at:
                self.reached.set()
                self._go.wait(60)
            return real(root, item)

        def cancel(verdicts) -> None:
            real_cancel(verdicts)
            self._go.set()  # the file it waits at is classified, then the pass stops

        monkeypatch.setattr(verdict_module, "classify_file", classify)
        monkeypatch.setattr(verdict_module.VerdictPass, "cancel", cancel)

    def release(self) -> None:
        self._go.set()


def test_progress_reaches_every_file_and_the_next_start_trusts_the_catalogue(tmp_path):
    write_collection(tmp_path / "c", 12)
    batches = []
    library = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, batch_seconds=0).run(
        batches.append
    )
    assert batches[-1].progress.done == batches[-1].progress.total == 12
    assert batches[-1].progress.fraction == 1.0
    assert sum(len(b.entries) for b in batches) == 12
    assert len(library) == 12 and not library.problems
    # Read once: the next start has every article without parsing, in the same order.
    trusted = library_from_catalogue(tmp_path / "c", tmp_path / "cache")
    assert [e.id for e in trusted.entries] == [e.id for e in library.entries]
    assert trusted.get("article-004").title == library.get("article-004").title
    again = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0)
    assert len(again.run()) == 12 and not again.changed
    # The same library a synchronous load gives.
    loaded = Library.load(tmp_path / "c", cache_dir=tmp_path / "cache2")
    assert [e.to_json() for e in loaded.entries] == [e.to_json() for e in library.entries]


def test_a_new_folder_gives_its_first_article_before_every_file_is_listed(tmp_path):
    write_collection(tmp_path / "c", 30)
    batches = []
    CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0).run(batches.append)
    first = batches[0]
    assert [e.id for e in first.entries] == ["article-000"]
    assert first.progress.total == 0 and first.progress.describe() == "Reading articles: 1 so far"
    assert batches[1].progress.total == 30  # then the whole count, as soon as it is known
    assert batches[-1].progress.done == 30
    assert sum(len(b.entries) for b in batches) == 30


def test_a_broken_file_in_the_middle_is_a_problem_and_the_rest_loads(tmp_path):
    paths = write_collection(tmp_path / "c", 9)
    paths[4].write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 50)
    library = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0).run()
    assert len(library) == 8
    assert [p.path for p in library.problems] == ["article-004.txt"]
    assert library.problems[0].error
    assert "article-005" in library and "article-004" not in library


def test_files_changed_while_it_runs_are_read_as_they_are_now(tmp_path):
    paths = write_collection(tmp_path / "c", 10)
    builder = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, batch_seconds=0)
    seen = []

    def on_batch(batch):
        seen.append(batch)
        if len(seen) == 1:  # the folder is scanned, nothing parsed yet: change a file ahead
            bump(paths[9], TEMPLATE.format(n=9).replace("Summary of article 9", "Changed ahead"))
        if len(seen) == 3:  # one file read: change it behind the builder's back
            name = batch.entries[0].path
            bump(tmp_path / "c" / name, TEMPLATE.format(n=77))

    library = builder.run(on_batch)
    assert "Changed ahead" in library.get("article-009").sections[0].plain_text
    # The file changed after it was read is seen as changed on the next pass, and read again.
    following = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0)
    again = following.run()
    assert following.changed
    changed_id = Path(seen[2].entries[0].path).stem
    assert "article 77" in again.get(changed_id).sections[0].plain_text


def test_cancelling_keeps_what_was_read_for_the_next_start(tmp_path):
    write_collection(tmp_path / "c", 10)
    builder = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, batch_seconds=0)
    read = []

    def on_batch(batch):
        read.extend(batch.entries)
        if len(read) >= 3:
            builder.cancel()

    assert builder.run(on_batch) is None and builder.cancelled
    kept = library_from_catalogue(tmp_path / "c", tmp_path / "cache")
    assert 3 <= len(kept) < 10
    # The next pass starts from those and reads only the rest.
    batches = []
    library = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0, batch_seconds=0).run(
        batches.append
    )
    assert len(batches[0].entries) == len(kept)
    assert len(library) == 10


def test_a_pass_over_the_changed_files_only_gives_what_a_full_pass_gives(tmp_path, monkeypatch):
    paths = write_collection(tmp_path / "c", 10)
    first = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0)
    first.run()
    bump(paths[2], TEMPLATE.format(n=2).replace("Summary of article 2", "Edited summary"))
    paths[5].unlink()
    (tmp_path / "c" / "article-new.txt").write_text(TEMPLATE.format(n=99), encoding="utf-8")
    paths[7].write_bytes(b"")  # now unreadable
    changed = {"article-002.txt", "article-005.txt", "article-new.txt", "article-007.txt"}
    parsed = []
    real = builder_module.read_record

    def counting(root, rel, *rest):
        parsed.append(rel)
        return real(root, rel, *rest)

    monkeypatch.setattr(builder_module, "read_record", counting)
    library = CatalogueBuilder(
        tmp_path / "c", tmp_path / "cache", workers=0, remembered=first.records, only=changed
    ).run()
    assert sorted(parsed) == ["article-002.txt", "article-007.txt", "article-new.txt"]
    full = CatalogueBuilder(tmp_path / "c", tmp_path / "full", workers=0).run()
    assert [e.to_json() for e in library.entries] == [e.to_json() for e in full.entries]
    assert library.problems == full.problems
    # The changed article comes parsed already: the window reopening it parses nothing.
    monkeypatch.setattr(library_module, "read_article", lambda *_: pytest.fail("parsed again"))
    assert "Edited summary" in library.get("article-002").sections[0].plain_text
    # What it wrote is the catalogue the next start trusts.
    trusted = library_from_catalogue(tmp_path / "c", tmp_path / "cache")
    assert [e.to_json() for e in trusted.entries] == [e.to_json() for e in full.entries]


def test_a_changed_path_that_is_not_a_plain_file_makes_it_a_full_pass(tmp_path):
    write_collection(tmp_path / "c", 4)
    first = CatalogueBuilder(tmp_path / "c", tmp_path / "cache", workers=0)
    first.run()
    (tmp_path / "c" / "folder.txt").mkdir()  # a folder named like an article: the scan's rules
    library = CatalogueBuilder(
        tmp_path / "c",
        tmp_path / "cache",
        workers=0,
        remembered=first.records,
        only={"folder.txt"},
    ).run()
    assert [p.path for p in library.problems] == ["folder.txt"]


@pytest.mark.slow
def test_worker_processes_give_the_same_catalogue_as_one_thread(tmp_path):
    paths = write_collection(tmp_path / "c", 10)
    paths[3].write_bytes(b"")
    in_thread = CatalogueBuilder(tmp_path / "c", tmp_path / "one", workers=0).run()
    in_processes = CatalogueBuilder(tmp_path / "c", tmp_path / "two", workers=2, chunk=2).run()
    assert [e.to_json() for e in in_processes.entries] == [e.to_json() for e in in_thread.entries]
    assert in_processes.problems == in_thread.problems


@pytest.mark.parametrize(
    ("done", "total", "elapsed", "expected"),
    [
        (0, 10_000, 0.0, "Reading articles: 0 of 10,000"),
        (
            1_000,
            10_000,
            10.0,
            "Reading articles: 1,000 of 10,000 · 100 a second · about 1 min 30 s left",
        ),
        (10_000, 10_000, 50.0, "Reading articles: 10,000 of 10,000 · 200 a second"),
    ],
)
def test_progress_says_count_rate_and_time_left(done, total, elapsed, expected):
    assert Progress(done, total, elapsed).describe() == expected


# -- the window ------------------------------------------------------------------------------


def test_a_new_large_folder_opens_at_once_and_fills_in_the_background(
    qtbot, tmp_path, caplog, monkeypatch
):
    from tests.ui_support import close_window, open_window
    from viewer.ui.topic_tree import KIND_ALL

    real_save = CatalogueBuilder.save

    def slow_save(self):  # a large catalogue takes a while to write
        time.sleep(1.0)
        real_save(self)

    monkeypatch.setattr(CatalogueBuilder, "save", slow_save)
    from viewer.ui.library_status import LibraryStatus

    said = []  # the reading's status lines (the verdict pass's come after them)
    real_progress = LibraryStatus.show_progress

    def show_progress(self, batch):
        said.append(batch.progress.describe())
        real_progress(self, batch)

    monkeypatch.setattr(LibraryStatus, "show_progress", show_progress)

    write_collection(tmp_path / "c", 14)
    (tmp_path / "c" / "article-007.txt").write_bytes(b"")
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    assert window.startup.mode == "build"
    qtbot.waitUntil(
        lambda: window.ui.reader.article is not None, timeout=30000
    )  # the first one read
    qtbot.waitUntil(lambda: not window.startup.is_busy(), timeout=60000)
    qtbot.waitUntil(window.search_service.is_ready, timeout=60000)
    assert len(window.library) == 13
    # Searchable: the index written while reading has every readable article.
    found = window.search_service.index.search("constipation", limit=50)
    assert sorted({h.article for h in found.hits}) == sorted(e.id for e in window.library.entries)
    assert window.ui.index_status.label.text() == "Search ready · 13 articles"
    # It is the index written while reading (checked against the catalogue written first),
    # not one built afresh after it.
    assert "fed while reading failed" not in caplog.text
    assert [p.path for p in window.library.problems] == ["article-007.txt"]
    assert said[-1].startswith("Reading articles: 14 of 14")
    # Then the safety verdicts of the articles read without them, and the status goes.
    qtbot.waitUntil(lambda: not window.startup.verdicts.is_busy(), timeout=60000)
    assert window.startup.status.isHidden()
    qtbot.waitUntil(
        lambda: any(
            n.kind == KIND_ALL and n.label == "All articles (13)"
            for n in window.ui.tree_model.root().children
        )
    )
    close_window(qtbot, window)
    # The next start trusts the catalogue that was written, and checks it in the background.
    again = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    assert again.startup.mode == "check" and len(again.library) == 13
    assert again.ui.reader.article is not None
    close_window(qtbot, again)


@pytest.mark.slow
def test_closing_the_window_stops_the_reading_and_keeps_a_usable_catalogue(qtbot, tmp_path):
    from tests.ui_support import close_window, open_window

    write_collection(tmp_path / "c", 60)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5)
    qtbot.waitUntil(
        lambda: window.startup.is_busy() or window.ui.reader.article is not None, timeout=30000
    )
    thread = window.startup._thread
    close_window(qtbot, window)
    assert not window.startup.is_busy()
    assert thread is None or not thread.is_alive()
    kept = library_from_catalogue(tmp_path / "c", window.context.corpus_cache_dir())
    assert kept is None or 0 < len(kept) <= 60
    # No worker or index-writer process outlives the window, and no half-written index stays.
    assert multiprocessing.active_children() == []
    search = window.context.corpus_cache_dir() / "search"
    generations = sorted(p.name for p in search.glob("gen-*"))
    current = (search / "CURRENT").read_text().strip() if (search / "CURRENT").exists() else None
    assert generations == ([current] if current else [])
    # A later start finishes the job.
    again = CatalogueBuilder(tmp_path / "c", window.context.corpus_cache_dir(), workers=0).run()
    assert len(again) == 60


def test_a_file_edited_in_a_large_open_collection_shows_its_new_text(qtbot, tmp_path, monkeypatch):
    from tests.ui_support import close_window, open_window

    paths = write_collection(tmp_path / "c", 8)
    # A first launch: the edit comes while its verdict pass runs (past the open article).
    paused = PausedVerdicts(monkeypatch, at="article-005.txt")
    window = open_window(
        qtbot, tmp_path / "c", tmp_path / "settings.ini", background_from=5, article="article-002"
    )
    try:
        qtbot.waitUntil(paused.reached.is_set, timeout=60000)
        window.open_place("article-002")
        assert window.ui.reader.article.id == "article-002"
        bump(
            paths[2],
            TEMPLATE.format(n=2).replace("Summary of article 2", "Freshly edited summary"),
        )
        qtbot.waitUntil(
            lambda: (
                "Freshly edited summary" in window.library.get("article-002").sections[0].plain_text
            ),
            timeout=30000,
        )
        # The open article is shown again, as it is now.
        qtbot.waitUntil(
            lambda: "Freshly edited summary" in window.ui.reader.toPlainText(), timeout=10000
        )
    finally:
        paused.release()
    # The pass's verdicts, given from the text it read before the edit, do not bring it back.
    qtbot.waitUntil(window.startup.verdicts.is_settled, timeout=60000)
    assert not any(e.pending for e in window.library.entries)
    assert "Freshly edited summary" in window.library.get("article-002").sections[0].plain_text
    assert "Freshly edited summary" in window.ui.reader.toPlainText()
    close_window(qtbot, window)
