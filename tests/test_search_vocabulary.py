"""The index's vocabulary file (search/term_files.py): it lists exactly the terms the index
holds after a build in several segments and after updates that add, remove and merge; searches
answer the same with it, without it, and with one left from other segments (which is not used)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from tests import search_support
from viewer.core.library import Library
from viewer.search import SearchIndex, term_files
from viewer.search.index import POINTER
from viewer.search.spelling import Vocabulary
from viewer.search.whoosh_ext import writer as writers

# Misspelling variants (the seeds' "Withdrawl"), corrections, prefixes, words the index lacks.
QUERIES = [
    "withdrawal",
    "withdrawl",
    "kratim",
    "medicaton",
    "dop",
    "kratom dop",
    "hyperpigmentation",
    "symptoms withdrawl",
    "quokka",
    "zzzzunknownword",
    '"side effects"',
]


def generation(cache: Path) -> Path:
    return cache / "search" / (cache / "search" / POINTER).read_text().strip()


def index_terms(cache: Path) -> list[str]:
    """What Whoosh itself says the text field holds, over every segment."""
    with whoosh_index.open_dir(str(generation(cache))).reader() as reader:
        return sorted(Vocabulary._read_terms(reader))


def file_terms(cache: Path) -> list[str] | None:
    with whoosh_index.open_dir(str(generation(cache))).reader() as reader:
        return term_files.read_generation(generation(cache), reader)


def answers(cache: Path) -> list:
    """Everything a user sees of each query, from a searcher opened afresh."""
    index = SearchIndex(cache)
    try:
        return search_support.answers(index, QUERIES)
    finally:
        index.close()


def add_article(corpus: Path, name: str, text: str) -> None:
    (corpus / name).write_text(text, encoding="utf-8")


def test_the_file_lists_the_terms_of_every_segment_after_builds_and_updates(
    corpus_copy, tmp_path, monkeypatch
):
    # Updates write segments of a few sections; merge them early so merges are exercised too.
    monkeypatch.setattr(writers, "MERGE_FROM", 2)
    cache = tmp_path / "cache"
    index = SearchIndex.for_library(
        Library.load(corpus_copy, cache_dir=cache),
        cache,
        writer_memory_mb=0.02,
        merge_segments=False,
    )
    index.ensure_current()
    with whoosh_index.open_dir(str(generation(cache))).reader() as reader:
        assert len(reader.leaf_readers()) > 3  # the build's own segment files were used
    assert file_terms(cache) == index_terms(cache)
    steps = [
        ("quokka.txt", "Quokkas of Rottnest.\nThe quokka is a small marsupial.\n"),
        ("wombat.txt", "Wombats.\nA wombat digs burrows; wombatish habits.\n"),
        ("quokka.txt", "Quokkas of Rottnest.\nThe quokka now eats numbats.\n"),  # an edit
        ("wombat.txt", None),  # a removal
    ]
    for name, text in steps:
        if text is None:
            (corpus_copy / name).unlink()
        else:
            add_article(corpus_copy, name, text)
        index.ensure_current(Library.load(corpus_copy, cache_dir=cache))
        assert file_terms(cache) == index_terms(cache)
    assert "numbat" in index_terms(cache)
    index.close()


def test_searches_answer_the_same_with_and_without_the_file(corpus_copy, tmp_path):
    cache = tmp_path / "cache"
    index = SearchIndex.for_library(Library.load(corpus_copy, cache_dir=cache), cache)
    index.ensure_current()
    index.close()
    with_file = answers(cache)
    assert any(corrected for *_, corrected, _ in with_file)  # corrections were exercised
    assert any(hits for *_, hits in with_file)
    (generation(cache) / term_files.GENERATION_FILE).unlink()
    assert file_terms(cache) is None
    assert answers(cache) == with_file


def test_a_file_left_from_other_segments_is_not_used(corpus_copy, tmp_path):
    cache = tmp_path / "cache"
    index = SearchIndex.for_library(Library.load(corpus_copy, cache_dir=cache), cache)
    index.ensure_current()
    old = tmp_path / "old-vocabulary"
    shutil.copy(generation(cache) / term_files.GENERATION_FILE, old)
    add_article(corpus_copy, "quokka.txt", "Quokkas of Rottnest.\nThe quokka is small.\n")
    index.ensure_current(Library.load(corpus_copy, cache_dir=cache))
    index.close()
    expected = answers(cache)
    shutil.copy(old, generation(cache) / term_files.GENERATION_FILE)
    assert file_terms(cache) is None  # made for the segments before the update
    assert answers(cache) == expected
    assert [total for q, p, total, *_ in expected if q == "quokka"] == [1, 1]


@pytest.mark.parametrize("content", [b"", b"not a vocabulary\nkratom\n", b"\xff\xfe\n"])
def test_an_unreadable_file_is_ignored(corpus_copy, tmp_path, content):
    cache = tmp_path / "cache"
    index = SearchIndex.for_library(Library.load(corpus_copy, cache_dir=cache), cache)
    index.ensure_current()
    index.close()
    expected = answers(cache)
    (generation(cache) / term_files.GENERATION_FILE).write_bytes(content)
    assert file_terms(cache) is None
    assert answers(cache) == expected
