"""The annotation database: survives a restart, keeps corpora apart, migrates old files, and
a damaged or locked file never stops the app nor gets lost."""

from __future__ import annotations

import sqlite3

import pytest

from viewer.core.annotations.model import BOOKMARKING, Annotation, Quote, ReadingState, minutes_left
from viewer.core.annotations.store import (
    DB_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    AnnotationStore,
    AnnotationStoreError,
    schema_version,
)


def _highlight(article="a1", exact="kratom eases withdrawal", note="", colour="yellow", start=10):
    return Annotation(
        article, Quote(exact, "before ", " after", start, start + len(exact)), colour=colour
    ).with_note(note)


def test_saved_annotations_are_there_after_reopening(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = AnnotationStore.open(tmp_path / "data", corpus)
    assert store.problem == "" and store.available and not store.read_only
    first, second = _highlight(note="check the dose"), _highlight("a2", "nausea", start=3)
    store.save_many([first, second])
    store.close()

    again = AnnotationStore.open(tmp_path / "data", corpus)
    assert again.annotations("a1") == [first]
    assert {a.id for a in again.annotations()} == {first.id, second.id}
    assert again.get(first.id).note == "check the dose"
    assert again.get(first.id).motivation == "commenting"
    with sqlite3.connect(tmp_path / "data" / DB_NAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_corpora_never_mix(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    AnnotationStore.open(tmp_path, one).save(_highlight())
    assert AnnotationStore.open(tmp_path, two).annotations() == []
    # The same folder reached through another spelling of its path is the same corpus.
    assert len(AnnotationStore.open(tmp_path, tmp_path / "one" / ".." / "one").annotations()) == 1


def test_filter_by_article_colour_and_words_in_quote_or_note(tmp_path):
    store = AnnotationStore.open(tmp_path, tmp_path)
    store.save_many(
        [
            _highlight("a1", "liver damage", note="ask the doctor", colour="pink"),
            _highlight("a1", "sleep improved", colour="green"),
            _highlight("a2", "liver enzymes", colour="pink"),
            Annotation("a2", motivation=BOOKMARKING),
        ]
    )
    assert {a.quote.exact for a in store.search(text="liver")} == {"liver damage", "liver enzymes"}
    assert [a.quote.exact for a in store.search(text="DOCTOR")] == ["liver damage"]
    assert [a.quote.exact for a in store.search(article_id="a1", colour="green")] == [
        "sleep improved"
    ]
    assert len(store.search(motivation=BOOKMARKING)) == 1
    assert store.search(text="100%_") == []  # LIKE wildcards in the words are taken literally


def test_edit_and_delete(tmp_path):
    store = AnnotationStore.open(tmp_path, tmp_path)
    item = _highlight()
    store.save(item)
    store.save(item.with_note("now with a note"))
    assert [a.note for a in store.annotations()] == ["now with a note"]
    store.delete(item.id)
    assert store.annotations() == []


def test_reading_state_round_trip_and_minutes_left(tmp_path):
    store = AnnotationStore.open(tmp_path, tmp_path)
    assert store.reading_state("a1") == ReadingState("a1")
    store.set_reading_state(ReadingState("a1", 0.5, True, 1234.0))
    assert store.reading_state("a1") == ReadingState("a1", 0.5, True, 1234.0)
    assert minutes_left(2300, 0.5, words_per_minute=230) == 5
    assert minutes_left(2300, 1.0) == 0
    assert minutes_left(10, 0.0) == 1


def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        conn.execute("INSERT INTO corpora (path) VALUES (?)", (str(tmp_path.resolve()),))
        conn.execute(
            "INSERT INTO annotations (id, corpus, article, motivation, exact, created, modified) "
            "VALUES ('x1', 1, 'a1', 'highlighting', 'old words', 0, 0)"
        )
    store = AnnotationStore.open(tmp_path, tmp_path)
    assert store.problem == ""
    assert [a.quote.exact for a in store.annotations()] == ["old words"]
    store.set_reading_state(ReadingState("a1", 0.25))  # the table added by migration 2
    assert schema_version(path) == SCHEMA_VERSION


def test_a_damaged_file_is_reported_kept_and_set_aside_only_on_request(tmp_path):
    path = tmp_path / DB_NAME
    garbage = b"this is not a database at all" * 200
    path.write_bytes(garbage)
    store = AnnotationStore.open(tmp_path, tmp_path)
    assert not store.available and store.corrupt
    assert "damaged" in store.problem and "\n" not in store.problem
    assert store.annotations() == []
    with pytest.raises(AnnotationStoreError):
        store.save(_highlight())
    assert path.read_bytes() == garbage  # untouched until the user agrees

    aside = store.set_aside_and_start_fresh()
    assert aside.read_bytes() == garbage
    assert store.available and store.problem == ""
    store.save(_highlight())
    assert len(store.annotations()) == 1


def test_a_locked_database_still_shows_annotations_read_only(tmp_path):
    store = AnnotationStore.open(tmp_path, tmp_path)
    store.save(_highlight())
    store.close()
    other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program is writing
    try:
        locked = AnnotationStore.open(tmp_path, tmp_path, timeout=0.1)
        assert len(locked.annotations()) == 1
        with pytest.raises(AnnotationStoreError) as raised:
            locked.save(_highlight("a9"))
        assert "locked" in str(raised.value) and "\n" not in str(raised.value)
        assert locked.read_only and "locked" in locked.problem
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_newer_schema_is_opened_read_only(tmp_path):
    AnnotationStore.open(tmp_path, tmp_path).save(_highlight())
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    store = AnnotationStore.open(tmp_path, tmp_path)
    assert store.read_only and "newer version" in store.problem
    assert len(store.annotations()) == 1
