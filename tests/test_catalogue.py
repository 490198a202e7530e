"""The library catalogue: a cached outline of every article, so a large corpus is not parsed at
start-up. Same results as a plain load; reused when fresh; invalidated by file changes,
removals and cue changes; rebuilt when the file is corrupt."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

import viewer.core.library as library_module
from tests.hostile_corpus import build_hostile_corpus
from viewer.context import Context
from viewer.core import catalogue_store as catalogue_module
from viewer.core.catalogue import ArticleEntry
from viewer.core.catalogue_store import CATALOGUE_NAME, OUTLINES_NAME, catalogue_version
from viewer.core.errors import UnknownArticle
from viewer.core.library import Library, MemoryCatalogue, Problem
from viewer.jsonout import article_json

BUNDLED = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
AN_HOUR_AGO = time.time() - 3600


def _age(folder: Path) -> None:
    """Give every file an old modification time: the catalogue distrusts files changed just now."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(BUNDLED, folder)
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    _age(folder)
    return folder


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The relative paths the library parses, in order."""
    seen: list[str] = []
    real = library_module.read_article

    def counting(path, article_id, display_path=None):
        seen.append(display_path)
        return real(path, article_id, display_path)

    monkeypatch.setattr(library_module, "read_article", counting)
    return seen


def _same_as_uncached(cached: Library, plain: Library) -> None:
    assert [e.to_json() for e in cached.entries] == [
        ArticleEntry.from_article(a).to_json() for a in plain.articles
    ]
    assert cached.problems == plain.problems
    for article in plain.articles:
        assert article_json(cached.get(article.id)) == article_json(article)


def test_a_catalogued_load_gives_what_a_plain_load_gives(corpus, tmp_path, parses):
    plain = Library.load(corpus)
    parses.clear()
    first = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert len(parses) == 7
    _same_as_uncached(first, plain)
    second = Library.load(corpus, cache_dir=tmp_path / "cache")
    _same_as_uncached(second, plain)
    assert [a.id for a in second.articles] == [a.id for a in plain.articles]
    assert len(second) == len(second.articles) == 7 and "kratom-opioid-withdrawal" in second


@pytest.mark.slow
def test_hostile_files_and_problems_come_out_the_same(tmp_path):
    folder = build_hostile_corpus(tmp_path / "hostile")
    _age(folder)
    plain = Library.load(folder)
    Library.load(folder, cache_dir=tmp_path / "cache")
    _same_as_uncached(Library.load(folder, cache_dir=tmp_path / "cache"), plain)


def test_a_fresh_catalogue_is_reused_without_parsing(corpus, tmp_path, parses):
    Library.load(corpus, cache_dir=tmp_path / "cache")
    parses.clear()
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert parses == []
    assert library.topic_tree() and library.entries[0].sections
    library.get("kratom-opioid-withdrawal")  # the text is read when asked for
    assert parses == ["kratom-opioid-withdrawal.md"]


def test_a_changed_file_is_parsed_again_and_only_it(corpus, tmp_path, parses):
    words = (
        Library.load(corpus, cache_dir=tmp_path / "cache").entry("kratom-opioid-withdrawal").words
    )
    path = corpus / "kratom-opioid-withdrawal.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThree more words.\n", encoding="utf-8")
    os.utime(path, (AN_HOUR_AGO + 60, AN_HOUR_AGO + 60))
    parses.clear()
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert parses == ["kratom-opioid-withdrawal.md"]
    assert library.entry("kratom-opioid-withdrawal").words == words + 3
    parses.clear()
    Library.load(corpus, cache_dir=tmp_path / "cache")
    assert parses == []


def test_a_file_changed_just_now_is_not_trusted_to_the_catalogue(corpus, tmp_path, parses):
    (corpus / "new.txt").write_text("Summary.\nIntro.\n- A\nA\nText.\nEnd.\n", encoding="utf-8")
    Library.load(corpus, cache_dir=tmp_path / "cache")
    parses.clear()
    Library.load(corpus, cache_dir=tmp_path / "cache")
    assert parses == ["new.txt"]  # same size and time could hide a second change


def test_removed_and_added_files(corpus, tmp_path, parses):
    Library.load(corpus, cache_dir=tmp_path / "cache")
    (corpus / "kratom-opioid-withdrawal.md").unlink()
    shutil.copy(SEEDS / sorted(os.listdir(SEEDS))[2], corpus / "added.txt")
    _age(corpus)
    parses.clear()
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert parses == ["added.txt"]
    assert "kratom-opioid-withdrawal" not in library and "added" in library
    saved = json.loads((tmp_path / "cache" / CATALOGUE_NAME).read_text(encoding="utf-8"))
    assert "kratom-opioid-withdrawal.md" not in saved["files"] and "added.txt" in saved["files"]


@pytest.mark.slow
def test_changed_cues_invalidate_the_catalogue(corpus, tmp_path, parses, monkeypatch):
    Library.load(corpus, cache_dir=tmp_path / "cache")
    resources = tmp_path / "resources"
    shutil.copytree(catalogue_module.resource_path("safety.toml").parent, resources)
    before = catalogue_version()
    monkeypatch.setattr(catalogue_module, "resource_path", lambda name: resources / name)
    assert catalogue_version() == before
    with open(resources / "safety.toml", "a", encoding="utf-8") as handle:
        handle.write("\n# a reader's edit\n")
    assert catalogue_version() != before
    parses.clear()
    Library.load(corpus, cache_dir=tmp_path / "cache")
    assert len(parses) == 7


@pytest.mark.slow
def test_a_corrupt_catalogue_is_rebuilt(corpus, tmp_path, parses):
    cache = tmp_path / "cache"
    plain = Library.load(corpus)
    Library.load(corpus, cache_dir=cache)
    saved, outlines = cache / CATALOGUE_NAME, cache / OUTLINES_NAME
    good_outlines = outlines.read_bytes()
    damage = [
        (saved, b"{not json"),
        (
            saved,
            json.dumps({"version": catalogue_version(), "files": {"a.md": {"size": 1}}}).encode(),
        ),
        (saved, json.dumps([1, 2]).encode()),
        (saved, b"\x00" * 10),
        (outlines, b""),  # missing outlines
        (outlines, b'{"generation": "another"}\n' + good_outlines.split(b"\n", 1)[1]),
        (outlines, good_outlines[: len(good_outlines) // 2]),  # cut short
    ]
    for path, garbage in damage:
        Library.load(corpus, cache_dir=cache)  # a good pair again
        path.write_bytes(garbage)
        parses.clear()
        _same_as_uncached(Library.load(corpus, cache_dir=cache), plain)
        assert len(parses) == 7 + 7  # everything read afresh, then each get() in the comparison
        assert json.loads(saved.read_text(encoding="utf-8"))["version"] == catalogue_version()


def test_outlines_are_parsed_only_when_asked_for(corpus, tmp_path):
    Library.load(corpus, cache_dir=tmp_path / "cache")
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    entry = library.entry("kratom-opioid-withdrawal")
    assert entry._sections is None and entry.title and entry.section_count
    assert entry.sections and len(entry.sections) == entry.section_count


def test_unreadable_files_are_remembered_as_problems(corpus, tmp_path, parses):
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    _age(corpus)
    first = Library.load(corpus, cache_dir=tmp_path / "cache")
    parses.clear()
    second = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert parses == [] and second.problems == first.problems and second.problems


def test_colliding_names_keep_their_ids(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("a b.txt", "a-b.txt"):
        (folder / name).write_text(
            f"Summary of {name}.\nIntro.\n- X\nX\nText.\nEnd.\n", encoding="utf-8"
        )
    _age(folder)
    plain = Library.load(folder)
    Library.load(folder, cache_dir=tmp_path / "cache")
    (folder / "a b.txt").unlink()  # the other file's id must not keep its "-2"
    plain = Library.load(folder)
    _same_as_uncached(Library.load(folder, cache_dir=tmp_path / "cache"), plain)
    assert [e.id for e in Library.load(folder, cache_dir=tmp_path / "cache").entries] == ["a-b"]


def test_a_cache_folder_that_cannot_be_written_still_loads(corpus, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    library = Library.load(corpus, cache_dir=blocker / "inner")
    assert len(library) == 7


def test_get_keeps_recent_articles_and_reports_vanished_files(corpus, tmp_path):
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    article = library.get("kratom-opioid-withdrawal")
    assert library.get("kratom-opioid-withdrawal") is article
    (corpus / "kratom-dopamine-withdrawal.md").unlink()
    with pytest.raises(UnknownArticle, match="cannot be read any more"):
        library.get("kratom-dopamine-withdrawal")
    with pytest.raises(UnknownArticle):
        library.get("no-such-article")
    assert len(list(library.iter_articles())) == 6  # the vanished file is skipped


def test_the_context_loads_through_the_catalogue(corpus, tmp_path):
    context = Context(corpus, tmp_path / "cache")
    assert len(context.library()) == 7
    assert (context.corpus_cache_dir() / CATALOGUE_NAME).is_file()


def test_articles_as_catalogued_take_their_marks_from_the_catalogue(corpus, tmp_path, monkeypatch):
    plain = Library.load(corpus)
    Library.load(corpus, cache_dir=tmp_path / "cache")

    def no_classifier():
        raise AssertionError("the classifiers were built although the catalogue had the marks")

    monkeypatch.setattr(library_module, "default_annotators", no_classifier)
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    for article in plain.articles:
        # Sentence verdicts too (severity, categories, evidence): the JSON holds them all.
        assert article_json(library.get(article.id)) == article_json(article)
        assert any(
            s.safety and s.evidence
            for p in library.get(article.id).paragraphs()
            for s in p.sentences
        )


def test_a_file_changed_after_loading_is_classified_afresh(corpus, tmp_path):
    library = Library.load(corpus, cache_dir=tmp_path / "cache")
    path = corpus / "kratom-opioid-withdrawal.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nAsk your doctor before taking it.\n", encoding="utf-8"
    )
    article = library.get("kratom-opioid-withdrawal")
    expected = Library.load(corpus).get("kratom-opioid-withdrawal")
    assert article_json(article) == article_json(expected)
    assert article.sections[-1].paragraphs[-1].safety


def test_an_in_memory_catalogue_gives_the_library_the_one_on_disk_gives(corpus, tmp_path, parses):
    (corpus / "empty.txt").write_bytes(b"")  # a problem, remembered like an entry
    os.utime(corpus / "empty.txt", (AN_HOUR_AGO, AN_HOUR_AGO))
    memory = MemoryCatalogue()
    in_memory = Library.load(corpus, catalogue=memory)
    on_disk = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert [e.to_json() for e in in_memory.entries] == [e.to_json() for e in on_disk.entries]
    assert (
        in_memory.problems
        == on_disk.problems
        == [Problem("empty.txt", in_memory.problems[0].error)]
    )
    for entry in on_disk.entries:
        assert article_json(in_memory.get(entry.id)) == article_json(on_disk.get(entry.id))
    # It is a catalogue like the other: loading again with it parses only the file that changed.
    path = corpus / "kratom-opioid-withdrawal.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThree more words.\n", encoding="utf-8")
    os.utime(path, (AN_HOUR_AGO + 60, AN_HOUR_AGO + 60))
    parses.clear()
    again = Library.load(corpus, catalogue=memory)
    assert parses == ["kratom-opioid-withdrawal.md"]
    text = " ".join(s.plain_text for s in again.get("kratom-opioid-withdrawal").sections)
    assert "Three more words." in text


def test_a_catalogue_written_in_pieces_reads_back_whole(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue_module, "JSON_CHUNK", 2)  # several pieces for seven files
    (corpus / "empty.txt").write_bytes(b"")
    _age(corpus)
    first = Library.load(corpus, cache_dir=tmp_path / "cache")
    saved = json.loads((tmp_path / "cache" / CATALOGUE_NAME).read_text(encoding="utf-8"))
    assert len(saved["files"]) == 8 and saved["version"] == catalogue_version()
    again = catalogue_module.CatalogueFile(tmp_path / "cache").read()
    assert sorted(again) == sorted(saved["files"])
    # Written again from entries that point into the mapped file, it is the same catalogue.
    catalogue_module.CatalogueFile(tmp_path / "cache").write(again)
    rewritten = json.loads((tmp_path / "cache" / CATALOGUE_NAME).read_text(encoding="utf-8"))
    assert rewritten["files"] == saved["files"]
    second = Library.load(corpus, cache_dir=tmp_path / "cache")
    assert [e.to_json() for e in second.entries] == [e.to_json() for e in first.entries]
