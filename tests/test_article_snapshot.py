"""The snapshot of the article shown last (viewer/core/article_snapshot.py): the next start takes
that article from it only while its file, the catalogue and the code are as they were; in any
other case the article is parsed from its file, as without a snapshot."""

from __future__ import annotations

import os
from pathlib import Path

from viewer.core import article_snapshot
from viewer.core.library import Library


def _library(corpus: Path, cache: Path) -> Library:
    return Library.load(corpus, cache_dir=cache)


def _snapshot_first(corpus: Path, cache: Path) -> str:
    """Start once: parse the first article and keep it as the snapshot (as the window does)."""
    library = _library(corpus, cache)
    article = library.get(library.entries[0].id)
    source = library.snapshot_source(article)
    assert source is not None
    article_snapshot.save(cache, article, *source)
    return article.id


def _age(path: Path) -> None:
    """Date a file a minute back: a file changed in the last moments is never trusted by its
    stamp (the catalogue re-reads it), which these tests do not mean to exercise."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))


def test_the_next_start_takes_the_article_from_the_snapshot_as_it_was_parsed(corpus_copy, tmp_path):
    for path in corpus_copy.iterdir():
        _age(path)
    cache = tmp_path / "cache"
    article_id = _snapshot_first(corpus_copy, cache)

    library = _library(corpus_copy, cache)
    found = article_snapshot.load(cache, article_id)
    assert found is not None and library.adopt(*found)
    adopted = library.get(article_id)
    assert adopted is found[0]  # not parsed again
    parsed = _library(corpus_copy, tmp_path / "other-cache").get(article_id)
    assert adopted == parsed


def test_an_article_whose_file_changed_is_parsed_again(corpus_copy, tmp_path):
    for path in corpus_copy.iterdir():
        _age(path)
    cache = tmp_path / "cache"
    article_id = _snapshot_first(corpus_copy, cache)
    library = _library(corpus_copy, cache)
    path = corpus_copy / library.entry(article_id).path
    path.write_text(path.read_text(encoding="utf-8") + "\nA new last paragraph.\n", "utf-8")
    _age(path)

    library = _library(corpus_copy, cache)  # the catalogue now records the new file
    found = article_snapshot.load(cache, article_id)
    assert found is not None
    assert not library.adopt(*found)
    assert "A new last paragraph." in library.get(article_id).sections[-1].paragraphs[-1].text


def test_a_snapshot_of_other_code_or_another_article_or_damaged_is_not_used(
    corpus_copy, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    article_id = _snapshot_first(corpus_copy, cache)
    other_id = _library(corpus_copy, cache).entries[1].id
    assert article_snapshot.load(cache, other_id) is None

    monkeypatch.setattr(article_snapshot, "SNAPSHOT_FORMAT", article_snapshot.SNAPSHOT_FORMAT + 1)
    assert article_snapshot.load(cache, article_id) is None
    monkeypatch.undo()
    assert article_snapshot.load(cache, article_id) is not None

    (cache / article_snapshot.SNAPSHOT_NAME).write_bytes(b"not a snapshot")
    assert article_snapshot.load(cache, article_id) is None


def test_a_library_in_memory_gives_no_snapshot_source(corpus_copy):
    library = Library.load(corpus_copy)  # no cache folder: every article parsed, none recorded
    article = library.get(library.entries[0].id)
    assert library.snapshot_source(article) is None
