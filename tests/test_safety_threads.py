"""One safety classifier shared between threads gives the verdicts it gives alone.

The window classifies the first article of a first launch in a worker thread while the verdict
pass, or a print or export in the UI thread, classifies others with the same classifier. That is
safe only if nothing in it is shared mutable state beyond memo tables of pure functions (stems,
word facts, domain words) and if the stemmer cannot be entered twice at once (PyStemmer holds the
interpreter lock for a whole stemWord call). This test forces the worst case: a fresh classifier
(every memo table empty, so threads race to fill them), several threads at once, and a thread
switch interval of a microsecond, and compares every sentence's verdict with a classifier used
by one thread.
"""

from __future__ import annotations

import copy
import sys
import threading

import pytest

from tests.safety_dev import DEV_SET
from viewer.core.library import Library
from viewer.core.model import Article
from viewer.core.safety import SafetyClassifier

THREADS = 4


def _verdicts(articles: list[Article]) -> list[tuple]:
    return [
        (a.id, s.start, s.end, s.safety, s.severity, s.categories, s.evidence)
        for a in articles
        for section in a.sections
        for paragraph in section.paragraphs
        for s in paragraph.sentences
    ] + [(a.id, section.anchor, section.safety) for a in articles for section in a.sections]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Text only (no verdicts yet) of a spread of labelled articles: leaflets, forums, tables,
    controls."""
    found: list[Article] = []
    for split in ("tune", "holdout12", "holdout15"):
        found += Library.load(DEV_SET / split, annotators=[]).articles
    assert len(found) > 40
    return found


@pytest.mark.slow
def test_a_shared_classifier_classifies_as_it_does_alone(articles: list[Article]) -> None:
    alone = [copy.deepcopy(a) for a in articles]
    classifier = SafetyClassifier.load()
    for article in alone:
        classifier.annotate(article)
    expected = _verdicts(alone)
    assert any(v[3] for v in expected)  # warnings were found, so the comparison means something

    shared = SafetyClassifier.load()  # fresh: its memo tables are filled by racing threads
    copies = [[copy.deepcopy(a) for a in articles] for _ in range(THREADS)]
    failures: list[Exception] = []
    start = threading.Barrier(THREADS)

    def work(batch: list[Article]) -> None:
        try:
            start.wait()
            for article in batch:
                shared.annotate(article)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(batch,)) for batch in copies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert failures == []
    for batch in copies:
        assert _verdicts(batch) == expected
