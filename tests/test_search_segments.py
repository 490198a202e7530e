"""A build merges the segments it flushed (whoosh_ext/merging.py): the merged index holds the same
documents, postings and lengths as the segments did, so every query gives the same hits with the
same scores; a build leaves one segment per build process whatever its memory limit; an update
after a merged build finds the changed text; its vocabulary file lists exactly its terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from benchmarks.corpus_gen import write_corpus
from tests import search_support
from tests.test_search_build import segment_count
from tests.test_search_vocabulary import file_terms, index_terms
from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.index import POINTER
from viewer.search.whoosh_ext import merging

# Words common and rare, several words, phrases, OR, NOT, fields, a misspelling, prefixes.
QUERIES = [
    "kratom",
    "dosage",
    "withdrawal symptoms",
    "chronic pain relief",
    '"side effects"',
    '"blood pressure"',
    "anxiety OR insomnia",
    "pain NOT opioid",
    "title:dopamine",
    "section:withdrawal",
    "topic:sleep",
    "withdrawl",
    "dop",
    "liver damage caffeine",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Library:
    """80 generated articles (480 sections): common words span many posting blocks."""
    corpus = tmp_path_factory.mktemp("generated") / "corpus"
    write_corpus(corpus, 80, 11)
    return Library.load(corpus)


def build(library: Library, cache: Path, **kwargs) -> SearchIndex:
    index = SearchIndex.for_library(library, cache, **kwargs)
    index.rebuild()
    return index


def generation(cache: Path) -> Path:
    return cache / "search" / (cache / "search" / POINTER).read_text().strip()


def contents(cache: Path) -> dict:
    """Everything the index holds, by global document number: stored fields, field lengths
    and totals, and every term's postings (document, weight, positions)."""
    with whoosh_index.open_dir(str(generation(cache))).reader() as reader:
        schema = reader.schema
        scorable = [name for name, field in schema.items() if field.scorable]
        documents = [
            (
                reader.stored_fields(docnum),
                [reader.doc_field_length(docnum, name) for name in scorable],
            )
            for docnum in range(reader.doc_count_all())
        ]
        # Segment by segment (a term asked of the whole index opens every segment's matcher).
        postings: dict[tuple, list] = {}
        for sub, offset in reader.leaf_readers():
            for fieldname in sub.indexed_field_names():
                for term in sub.lexicon(fieldname):
                    matcher = sub.postings(fieldname, term)
                    found = postings.setdefault((fieldname, term), [])
                    while matcher.is_active():
                        found.append((matcher.id() + offset, matcher.weight(), matcher.value()))
                        matcher.next()
        totals = {name: reader.field_length(name) for name in scorable}
        limits = {
            name: (reader.min_field_length(name), reader.max_field_length(name))
            for name in scorable
        }
    return {"documents": documents, "postings": postings, "totals": totals, "limits": limits}


def exact_answers(index: SearchIndex) -> list:
    """What a user sees of each query, the scores unrounded."""
    seen = search_support.answers(index, QUERIES)
    for query in QUERIES:
        result = index.search(query, limit=100)
        seen.append((query, [(h.article, h.anchor, h.score) for h in result.hits]))
    return seen


@pytest.mark.slow  # three builds of 80 articles, every posting of each read back
def test_a_merged_build_holds_and_finds_what_its_segments_did(generated, tmp_path, monkeypatch):
    # Segments of about a hundred sections: both ways of moving a segment's blocks are used,
    # a short block joined with its neighbours (rare words), a block kept as it is (common).
    used = {"joined": 0, "moved": 0}
    for name, key in (("joined_blocks", "joined"), ("moved_block", "moved")):
        original = getattr(merging, name)

        def counting(*args, _original=original, _key=key):
            used[_key] += 1
            return _original(*args)

        monkeypatch.setattr(merging, name, counting)
    split = build(generated, tmp_path / "split", writer_memory_mb=0.2, merge_segments=False)
    merged = build(generated, tmp_path / "merged", writer_memory_mb=0.2)
    whole = build(generated, tmp_path / "whole", writer_memory_mb=512)
    assert segment_count(tmp_path / "split") > 3
    assert segment_count(tmp_path / "merged") == segment_count(tmp_path / "whole") == 1
    assert used["joined"] and used["moved"]
    assert contents(tmp_path / "merged") == contents(tmp_path / "split")
    assert contents(tmp_path / "merged") == contents(tmp_path / "whole")
    found = exact_answers(merged)
    assert found == exact_answers(split) == exact_answers(whole)
    assert sum(len(hits) for *_, hits in found) > 200
    for index in (split, merged, whole):
        index.close()


def test_the_merged_segments_files_are_gone_and_its_vocabulary_is_its_terms(generated, tmp_path):
    index = build(generated, tmp_path / "cache", writer_memory_mb=0.2)
    assert segment_count(tmp_path / "cache") == 1
    folder = generation(tmp_path / "cache")
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        (segment,) = [sub.segment() for sub, _ in reader.leaf_readers()]
    segment_files = {p.name.split(".")[0] for p in folder.iterdir() if "LOCK" not in p.name}
    assert {name for name in segment_files if name.startswith("MAIN_")} == {f"MAIN_{segment.segid}"}
    assert not [p for p in folder.iterdir() if p.is_dir()]  # no writer's temporary folder
    assert file_terms(tmp_path / "cache") == index_terms(tmp_path / "cache")
    index.close()


def test_an_update_after_a_merged_build_finds_the_changed_text(corpus_copy, tmp_path):
    cache = tmp_path / "cache"
    library = Library.load(corpus_copy, cache_dir=cache)
    index = SearchIndex.for_library(library, cache, writer_memory_mb=0.02)
    index.ensure_current()
    assert segment_count(cache) == 1
    assert index.search("dopamine").total > 0
    changed = next(corpus_copy.glob("*.md"))
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "\nA numbat was seen nearby.\n", encoding="utf-8")
    stats = index.ensure_current(Library.load(corpus_copy, cache_dir=cache))
    assert stats.changed == 1 and not stats.rebuilt
    assert segment_count(cache) == 2  # the merged build's, and the update's own
    assert index.search("numbat").total == 1
    assert file_terms(cache) == index_terms(cache)
    fresh = SearchIndex.for_library(Library.load(corpus_copy), tmp_path / "fresh")
    fresh.rebuild()
    # The same hits with the same scores as a build from scratch of the edited collection
    # (equal scores may come in another order: the edited article's sections come last).
    for query in ["numbat", "dopamine withdrawal", '"side effects"', "kratom OR caffeine"]:
        ours, theirs = index.search(query, limit=100), fresh.search(query, limit=100)
        assert ours.total == theirs.total
        assert sorted((h.article, h.anchor, round(h.score, 9)) for h in ours.hits) == sorted(
            (h.article, h.anchor, round(h.score, 9)) for h in theirs.hits
        )
    index.close()
    fresh.close()


def test_only_a_builds_segments_are_merged(generated, tmp_path):
    index = build(generated, tmp_path / "cache", writer_memory_mb=0.2, merge_segments=False)
    ix = whoosh_index.open_dir(str(generation(tmp_path / "cache")))
    segments = ix._segments()  # noqa: SLF001 - the segments as the table of contents lists them
    segments[0].delete_document(0)
    with pytest.raises(ValueError, match="deletions"):
        merging.merge_segments(ix.storage, ix.schema, segments[0].codec(), "MAIN", segments)
    index.close()
