"""A cold `search` searches the index without loading the library when the corpus is as the
index recorded it, with the same output, and takes the full path (load, update, check) otherwise."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.freshness import corpus_stamp


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def search(capsys, corpus: Path, cache: Path, *args) -> tuple[int, str, str]:
    code = main(["--corpus", str(corpus), "--cache-dir", str(cache), "search", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refuse_library(monkeypatch) -> None:
    """Loading the library fails loudly from now on: what a cold search must not need."""

    def refuse(*args, **kwargs):
        raise AssertionError("the library was loaded")

    monkeypatch.setattr(Library, "load", refuse)


def age(path: Path, seconds: float = 60.0) -> None:
    """An edit made a while ago (a file changed just now is never trusted to a stamp)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))


def test_a_second_search_does_not_load_the_library_and_answers_the_same(
    corpus_copy, cache, capsys, monkeypatch
):
    first = search(capsys, corpus_copy, cache, "kratim", "--json", "--limit", "5")
    text = search(capsys, corpus_copy, cache, "side effects")
    refuse_library(monkeypatch)
    assert search(capsys, corpus_copy, cache, "kratim", "--json", "--limit", "5") == first
    assert search(capsys, corpus_copy, cache, "side effects") == text
    data = json.loads(first[1])
    assert data["corrected"] == "kratom" and data["hits"] and all(h["spans"] for h in data["hits"])


def test_an_edit_a_new_and_a_removed_file_are_seen_by_the_next_search(corpus_copy, cache, capsys):
    assert json.loads(search(capsys, corpus_copy, cache, "quokka", "--json")[1])["total"] == 0
    new = corpus_copy / "quokka.txt"
    new.write_text("Quokkas of Rottnest.\nThe quokka is a small marsupial.\n", encoding="utf-8")
    age(new)
    assert json.loads(search(capsys, corpus_copy, cache, "quokka", "--json")[1])["total"] == 1
    new.write_text(
        "Quokkas of Rottnest.\nThe quokka is a small marsupial near a wombat.\n", encoding="utf-8"
    )
    age(new)
    assert json.loads(search(capsys, corpus_copy, cache, "wombat", "--json")[1])["total"] == 1
    new.unlink()
    assert json.loads(search(capsys, corpus_copy, cache, "quokka", "--json")[1])["total"] == 0


def test_an_unknown_article_is_still_one_line_and_exit_1(corpus_copy, cache, capsys):
    search(capsys, corpus_copy, cache, "kratom")
    code, out, err = search(capsys, corpus_copy, cache, "kratom", "--article", "no-such-article")
    assert code == 1 and out == "" and err.count("\n") == 1 and "no-such-article" in err


def test_a_known_article_filter_searches_cold(corpus_copy, cache, capsys, monkeypatch):
    search(capsys, corpus_copy, cache, "kratom")
    expected = search(
        capsys, corpus_copy, cache, "kratom", "--json", "--article", "kratom-dopamine-withdrawal"
    )
    refuse_library(monkeypatch)
    assert (
        search(
            capsys,
            corpus_copy,
            cache,
            "kratom",
            "--json",
            "--article",
            "kratom-dopamine-withdrawal",
        )
        == expected
    )


def test_a_removed_index_file_takes_the_full_path_and_is_rebuilt(corpus_copy, cache, capsys):
    search(capsys, corpus_copy, cache, "kratom")
    folder = next((cache).glob("*/search/gen-*"))
    next(folder.glob("*.trm")).unlink()
    code, out, err = search(capsys, corpus_copy, cache, "dopamine", "--json")
    assert code == 0 and json.loads(out)["total"] > 0
    assert "search index rebuilt" in err and "Traceback" not in err


def test_an_update_by_someone_else_voids_the_stamp(corpus_copy, cache, capsys, tmp_path):
    search(capsys, corpus_copy, cache, "kratom")
    index_cache = next(cache.glob("*/search")).parent
    stamp = corpus_stamp(corpus_copy)
    index = SearchIndex(index_cache)
    assert index.reflects(stamp)
    new = corpus_copy / "quokka.txt"
    new.write_text("Quokkas of Rottnest.\nThe quokka is a small marsupial.\n", encoding="utf-8")
    age(new)
    assert not index.reflects(corpus_stamp(corpus_copy))  # the corpus moved on
    index.ensure_current(Library.load(corpus_copy, cache_dir=index_cache))  # as the app does
    assert not index.reflects(corpus_stamp(corpus_copy))  # the index changed without a stamp
    index.close()
    assert json.loads(search(capsys, corpus_copy, cache, "quokka", "--json")[1])["total"] == 1


def test_a_file_changed_just_now_is_not_trusted_to_a_stamp(corpus_copy):
    assert corpus_stamp(corpus_copy) is not None
    (corpus_copy / "fresh.txt").write_text("Fresh.\nJust written.\n", encoding="utf-8")
    assert corpus_stamp(corpus_copy) is None
    shutil.rmtree(corpus_copy)
    assert corpus_stamp(corpus_copy) is None


def test_the_code_stamp_covers_every_file_the_catalogue_version_hashes():
    from viewer.core import catalogue_store
    from viewer.core.resources import resource_path
    from viewer.search.freshness import code_folders

    code, cues = code_folders()
    assert all((code / name).is_file() for name in catalogue_store._SOURCES)
    assert all(resource_path(name).parent == cues for name in catalogue_store._CUE_FILES)


def test_a_changed_cue_file_or_parser_voids_the_stamp(
    corpus_copy, cache, capsys, monkeypatch, tmp_path
):
    # Edited classifier rules re-read every article (the catalogue's version), so a cold search
    # must not trust an index made with the old ones, even a file of the same size and mtime.
    from viewer.search import freshness

    code, cues = tmp_path / "core", tmp_path / "resources"
    code.mkdir()
    cues.mkdir()
    (code / "safety.py").write_text("RULES = 1\n", encoding="utf-8")
    (cues / "safety.toml").write_text("[cue]\nword = 'a'\n", encoding="utf-8")
    monkeypatch.setattr(freshness, "code_folders", lambda: [code, cues])
    search(capsys, corpus_copy, cache, "kratom")
    index = SearchIndex(next(cache.glob("*/search")).parent)
    stamp = corpus_stamp(corpus_copy)
    assert index.reflects(stamp)
    (code / "safety.py").write_text("RULES = 2\n", encoding="utf-8")
    assert not index.reflects(stamp)
    search(capsys, corpus_copy, cache, "kratom")  # the full path records the new state
    assert index.reflects(stamp)
    cue = cues / "safety.toml"
    before = cue.stat()
    cue.write_text("[cue]\nword = 'b'\n", encoding="utf-8")  # same size
    os.utime(cue, ns=(before.st_atime_ns, before.st_mtime_ns))  # and mtime: a new ctime
    assert not index.reflects(stamp)
    index.close()


def test_a_stamp_holds_within_one_boot_and_for_untouched_index_files(
    corpus_copy, cache, capsys, monkeypatch
):
    from viewer.search import freshness

    search(capsys, corpus_copy, cache, "kratom")
    index = SearchIndex(next(cache.glob("*/search")).parent)
    stamp = corpus_stamp(corpus_copy)
    assert index.reflects(stamp)
    monkeypatch.setattr(freshness, "_boot", lambda: "another-boot")  # after a crash and reboot
    assert not index.reflects(stamp)
    monkeypatch.undo()
    damaged = next(next(cache.glob("*/search/gen-*")).glob("*.pst"))
    info = damaged.stat()
    damaged.write_bytes(b"\0" * info.st_size)  # same size, same mtime: a new ctime
    os.utime(damaged, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert not index.reflects(stamp)
    index.close()


# Modules a cold one-shot search has no use for: the network stack Whoosh's compat module pulls in
# for a download helper, asyncio (through the cached_property package), Whoosh's English
# morphology tables, the library and its parsers, the catalogue and the safety classifier, the
# index builders and writers, the export and annotation commands.
NOT_FOR_A_COLD_SEARCH = (
    "urllib.request",
    "http.client",
    "asyncio",
    "whoosh.lang.morph_en",
    "viewer.core.library",
    "viewer.core.md_loader",
    "viewer.core.catalogue",
    "viewer.core.safety",
    "viewer.search.building",
    "viewer.search.whoosh_ext.writer",
    "viewer.export.dispatch",
    "viewer.cli_annotations",
)
_COLD_CHILD = """
import sys
from viewer.cli import main
code = main(["--corpus", sys.argv[1], "--cache-dir", sys.argv[2], "search", "kratom", "--json"])
print("\\nLOADED", [m for m in sys.argv[3].split(",") if m in sys.modules], code)
"""


def test_a_cold_search_process_imports_only_what_it_uses(corpus_copy, cache, capsys):
    import subprocess
    import sys

    search(capsys, corpus_copy, cache, "kratom")  # builds the index and records the stamp
    done = subprocess.run(
        [sys.executable, "-c", _COLD_CHILD, str(corpus_copy), str(cache)]
        + [",".join(NOT_FOR_A_COLD_SEARCH)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    assert json.loads(out[: out.index("\nLOADED")])["hits"]
    assert out.rstrip().endswith("LOADED [] 0"), out[out.index("\nLOADED") :]


_STAND_INS_CHILD = """
import viewer.search  # the app imports Whoosh only through viewer.search, as here
import whoosh.compat
from whoosh.query.terms import variations

assert "ran" in variations("running")  # the real tables, loaded when first asked
try:
    whoosh.compat.urlretrieve("http://example.invalid/", "/dev/null")
except OSError as error:
    assert "offline" in str(error), error
else:
    raise AssertionError("urlretrieve reached for the network")
"""


def test_what_whoosh_imported_through_stand_ins_still_works():
    # In a fresh interpreter: another test module may have imported Whoosh directly before
    # viewer.search, which the app never does.
    import subprocess
    import sys

    # (Deleted sections, read through the cached_property stand-in, are tests/test_search_index's.)
    done = subprocess.run(
        [sys.executable, "-c", _STAND_INS_CHILD], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
