"""The safety classifier meets the targets of issue 11 on every labelled split present (the
tune split, the held-back test split once it is added, and the five seeds), measured by
tests/safety_eval.py against the sentence labels of tests/fixtures/safety_dev.

Targets: section recall >= 0.95 and precision >= 0.85; sentence recall >= 0.95 and precision
>= 0.80; no control article with a flagged section or sentence; the share of text flagged in
each article within 10 points of its labelled share; the seeds keep section precision and
recall at 1.0.
"""

from __future__ import annotations

import pytest

from tests.safety_dev import load_seeds, load_split, split_folders
from tests.safety_eval import Figures, evaluate

SPLITS = [folder.name for folder in split_folders()] + ["seeds"]


@pytest.fixture(scope="module", params=SPLITS)
def figures(request) -> tuple[str, Figures]:
    items = load_seeds() if request.param == "seeds" else load_split(request.param)
    return request.param, evaluate(items)


def test_sections_are_found_and_few_are_false_alarms(figures):
    split, found = figures
    report = found.report()
    if split == "seeds":
        assert found.sections.precision == 1.0 and found.sections.recall == 1.0, report
    assert found.sections.recall >= 0.95, report
    assert found.sections.precision >= 0.85, report


def test_warning_sentences_are_found_and_few_are_false_alarms(figures):
    _, found = figures
    assert found.sentence_recall.recall >= 0.95, found.report()
    assert found.sentence_precision >= 0.80, found.report()


def test_no_control_article_has_a_flag(figures):
    _, found = figures
    assert found.control_sections == 0 and found.control_sentences == 0, found.report()


def test_flagged_share_of_each_article_is_near_its_labelled_share(figures):
    _, found = figures
    assert found.max_share_gap <= 0.10, found.report(details=False)
