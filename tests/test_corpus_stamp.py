"""The corpus walk of a cold search, run in a child process beside the search: it gives the
same stamp as a walk in the process itself, says "no stamp" the same way, falls back to walking
in the process when the child fails, leaves no child behind, and a search whose walk disagrees
with the index shows the corpus as it is, not what the index held."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.core import corpus_stamp as stamp_module
from viewer.core.corpus_stamp import StampWalk, can_walk_aside, corpus_stamp


def age(path: Path, seconds: float = 60.0) -> None:
    """An edit made a while ago (a file changed just now is never trusted to a stamp)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))


def waited_for(walk: StampWalk) -> bool:
    """Whether the walk's child, if it had one, is gone (reaped, not a zombie)."""
    if walk.child is None:
        return True
    try:
        os.waitpid(walk.child, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("aside", [True, False])
def test_the_walk_gives_the_stamp_of_the_corpus_as_it_is(corpus_copy, aside):
    before = corpus_stamp(corpus_copy)
    walk = StampWalk.start(corpus_copy, aside=aside)
    assert walk.aside is aside
    assert walk.result() == before and before is not None
    assert waited_for(walk)
    note = corpus_copy / "note.txt"
    note.write_text("A note.\nWritten a while ago.\n", encoding="utf-8")
    age(note)
    changed = StampWalk.start(corpus_copy, aside=aside).result()
    assert changed == corpus_stamp(corpus_copy) and changed != before


def test_no_stamp_is_told_apart_from_a_failed_walk(corpus_copy):
    (corpus_copy / "fresh.txt").write_text("Fresh.\nJust written.\n", encoding="utf-8")
    walk = StampWalk.start(corpus_copy, aside=True)
    assert walk.aside and walk.result() is None


def test_a_child_that_fails_leaves_the_walk_to_this_process(corpus_copy, monkeypatch):
    parent = os.getpid()
    real = stamp_module.corpus_stamp

    def fails_in_the_child(root):
        if os.getpid() != parent:
            raise RuntimeError("the child broke")
        return real(root)

    monkeypatch.setattr(stamp_module, "corpus_stamp", fails_in_the_child)
    walk = StampWalk.start(corpus_copy, aside=True)
    assert walk.aside and walk.result() == real(corpus_copy)
    assert waited_for(walk)


def test_a_walk_nobody_asks_for_leaves_no_process_behind(corpus_copy):
    walk = StampWalk.start(corpus_copy, aside=True)
    walk.close()
    assert waited_for(walk)
    assert walk.result() == corpus_stamp(corpus_copy)  # asked after all: walked here


def test_a_process_with_other_threads_walks_in_itself():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not can_walk_aside()
    finally:
        release.set()
        other.join()


def test_a_search_whose_walk_sees_an_edit_shows_the_edit(
    corpus_copy, tmp_path, capsys, monkeypatch
):
    cache = tmp_path / "cache"

    def search(*args) -> dict:
        code = main(["--corpus", str(corpus_copy), "--cache-dir", str(cache), "search", *args])
        assert code == 0
        return json.loads(capsys.readouterr().out)

    assert search("quokka", "--json")["total"] == 0  # builds the index, records the stamp
    walks: list[StampWalk] = []
    start = StampWalk.start

    def walk_aside(root, aside=None):
        walks.append(start(root, aside=True))
        return walks[-1]

    monkeypatch.setattr(StampWalk, "start", walk_aside)
    new = corpus_copy / "quokka.txt"
    new.write_text("Quokkas of Rottnest.\nThe quokka is a small marsupial.\n", encoding="utf-8")
    age(new)
    # The index, searched before the walk ends, knows no quokka; the walk says the corpus moved
    # on, so the search takes the full path and finds it.
    assert search("quokka", "--json")["total"] == 1
    assert search("quokka", "--json")["total"] == 1  # and cold again, from the new stamp
    assert len(walks) == 2 and all(walk.aside and waited_for(walk) for walk in walks)
