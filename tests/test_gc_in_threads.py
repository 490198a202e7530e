"""A worker thread building many objects that stay (gc_pause.paused_gc: the tree of a large
collection) meets no full collection that walks what it built: each one it starts finds it
frozen (a collection over 300,000 new rows held the interpreter, and the window, 122 ms)."""

from __future__ import annotations

import gc
import threading

from viewer.core.gc_pause import paused_gc


class _Row:
    __slots__ = ("children", "label")

    def __init__(self, label: str) -> None:
        self.label, self.children = label, []


def test_full_collections_a_building_thread_starts_walk_none_of_its_rows():
    walked: list[int] = []
    built: list[_Row] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start" and info.get("generation") == 2:
            walked.append(len(gc.get_objects(generation=2)))

    def build() -> None:
        with paused_gc():
            gc.callbacks.append(watch)  # after the block's own: it sees what a collection walks
            try:
                for n in range(300_000):
                    built.append(_Row(str(n)))
                gc.collect()  # a full collection, as the allocations would start one
            finally:
                gc.callbacks.remove(watch)

    thread = threading.Thread(target=build)
    thread.start()
    thread.join()
    assert walked  # the thread did start full collections
    assert max(walked) < 10_000  # and none of them had its 300,000 rows to walk
    assert len(built) == 300_000
