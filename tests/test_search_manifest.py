"""The index's manifest: an update in place does not parse it again (at 50,000 articles each
parse held the interpreter, and the window, for a tenth of a second or more), what is written
is the same JSON as before, and a manifest another process replaced is read afresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import viewer.search.manifest_file as manifest_file
from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.index import MANIFEST, POINTER

ARTICLE = """Zebra crossings slow traffic near schools.
An introduction about zebra crossings and quokka habitats.
- Quokka Sightings
Quokka Sightings
The quokka is a small marsupial that lives on Rottnest Island.
In the end, stripes and quokkas have little in common.
"""


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def load(corpus: Path, cache: Path) -> Library:
    return Library.load(corpus, cache_dir=cache)


def manifest_path(cache: Path) -> Path:
    return cache / "search" / (cache / "search" / POINTER).read_text().strip() / MANIFEST


def counting_parses(monkeypatch) -> list[Path]:
    """The manifests read from disk from now on."""
    parsed: list[Path] = []
    real = Path.read_text

    def read_text(path: Path, *args, **kwargs) -> str:
        if path.name == MANIFEST:
            parsed.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    return parsed


def test_updates_in_place_do_not_parse_the_manifest_again(corpus_copy, cache, monkeypatch):
    index = SearchIndex.for_library(load(corpus_copy, cache), cache)
    index.ensure_current()
    parsed = counting_parses(monkeypatch)
    for number in range(3):  # three edits, as the window takes them in
        (corpus_copy / "zebra.txt").write_text(ARTICLE + f"Edit {number}.\n", encoding="utf-8")
        stats = index.ensure_current(load(corpus_copy, cache))
        assert (stats.added + stats.changed, stats.rebuilt) == (1, False)
    assert parsed == []  # it wrote each manifest, and knows what it wrote
    assert index.search("quokka").hits[0].article == "zebra"


def test_the_manifest_written_is_the_json_it_always_was(corpus_copy, cache):
    index = SearchIndex.for_library(load(corpus_copy, cache), cache)
    index.ensure_current()
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    index.ensure_current(load(corpus_copy, cache))
    text = manifest_path(cache).read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, separators=(",", ":"))
    assert "zebra.txt" in manifest["files"] and len(manifest["files"]) == 6


def test_a_manifest_written_in_pieces_matches_json_dumps(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest_file, "CHUNK", 2)  # several pieces, and a short last one
    files = {f"{n:03}-é.txt": {"article": f"a{n}", "sections": n} for n in range(7)}
    manifest = {"schema": 1, "generation": 3, "files": files, "index_files": {"x": [1, 2, 3]}}
    manifest_file.ManifestFile().write(tmp_path, manifest)
    text = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    assert text == json.dumps(manifest, separators=(",", ":"))
    manifest["files"] = {}
    manifest_file.ManifestFile().write(tmp_path, manifest)
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8")) == manifest


def test_a_manifest_another_process_replaced_is_read_afresh(corpus_copy, cache, monkeypatch):
    first = SearchIndex.for_library(load(corpus_copy, cache), cache)
    first.ensure_current()
    other = SearchIndex.for_library(load(corpus_copy, cache), cache)  # another process's
    (corpus_copy / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    assert other.ensure_current(load(corpus_copy, cache)).added == 1
    parsed = counting_parses(monkeypatch)
    stats = first.ensure_current(load(corpus_copy, cache))
    assert not stats.touched  # it saw the other's manifest, which lists the new file
    assert manifest_path(cache) in parsed
    assert first.search("quokka").hits[0].article == "zebra"


def test_a_manifest_read_in_pieces_is_what_json_loads_reads(tmp_path, monkeypatch):
    # Pieces of a few entries each; paths that hold the very marks the pieces are cut at.
    monkeypatch.setattr(manifest_file, "PIECE_CHARS", 1)
    odd = ['ab},"c.txt', 'x}},"index_files":.md', "plain.txt", 'q\\"},".md', "é},.txt"]
    for files in (
        {name: {"article": f"a{n}", "sections": n} for n, name in enumerate(odd)},
        {f"{n:03}.txt": {"article": f"a{n}", "sections": n} for n in range(9)},
        {},
    ):
        manifest = {"schema": 1, "generation": 3, "files": files, "index_files": {"x": [1, 2]}}
        manifest_file.ManifestFile().write(tmp_path, manifest)
        text = (tmp_path / MANIFEST).read_text(encoding="utf-8")
        read = manifest_file.parse_in_pieces(text)
        assert read == json.loads(text) == manifest
        assert list(read) == list(manifest)  # the keys in their order too
