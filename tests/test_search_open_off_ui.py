"""The search service opens and warms the index in a worker (ui/search_worker.py): nothing of
opening it (the index's files, its manifest, the vocabulary, the length norms) runs in the UI
thread, before "Search ready" or during the first query, whose answer arrives there."""

from __future__ import annotations

import threading

import viewer.search.index as index_module
import viewer.search.manifest_file as manifest_file
from viewer.core.library import Library
from viewer.search.evaluate import GenerationStats
from viewer.search.spelling import Vocabulary
from viewer.ui.search_worker import SearchService


def test_opening_the_index_and_the_first_query_run_off_the_ui_thread(
    qtbot, corpus_copy, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    library = Library.load(corpus_copy, cache_dir=cache)
    built = SearchService()
    built.build(library, cache)  # the index exists, as on every start but the first
    qtbot.waitUntil(built.is_ready, timeout=60000)
    built.close()

    opened_in: list[str] = []

    def recording(real):
        def call(*args, **kwargs):
            opened_in.append(threading.current_thread().name)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(
        index_module.whoosh_index, "open_dir", recording(index_module.whoosh_index.open_dir)
    )
    monkeypatch.setattr(manifest_file, "_parse", recording(manifest_file._parse))
    for owner, name in ((GenerationStats, "_compute_norms"), (Vocabulary, "load")):
        monkeypatch.setattr(owner, name, recording(getattr(owner, name)))
    service = SearchService()
    ready: list[bool] = []
    service.index_ready.connect(lambda: ready.append(service.index is not None))
    service.build(library, cache)
    qtbot.waitUntil(service.is_ready, timeout=60000)
    assert ready == [True]  # "Search ready" once the index is open
    answers = []
    service.results_ready.connect(lambda _query, _safety, result: answers.append(result))
    assert service.search("dopamine")
    qtbot.waitUntil(lambda: bool(answers), timeout=30000)
    assert answers[0].total > 0
    assert len(opened_in) >= 4  # opened, its manifest read, its vocabulary and norms made
    assert threading.main_thread().name not in opened_in
    service.close()
