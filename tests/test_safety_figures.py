"""The safety classifier's figures on every labelled split, measured by tests/safety_eval.py
against the sentence labels of tests/fixtures/safety_dev.

Issue 11's targets: section recall >= 0.95 and precision >= 0.85; sentence recall >= 0.95 and
precision >= 0.80; no control article with a flagged section or sentence; the share of text
flagged in each article within 10 points of its labelled share; the seeds keep section
precision and recall at 1.0.

The tune split and the seeds meet them. The dev split does NOT yet, even though the model was
trained on it: the rules' serious cues always stand (a statistical model may not silence a
named serious harm), and several of them fire on dev's background sentences (a stroke in a
section on blood pressure, diabetes in an article on glucose meters). Dev is held to floors
measured on it (below), so that a change can only improve them, and to the target it meets
(no control flags). Read these
figures for what they are: the trained sentence model (resources/safety_model.json) was trained
on exactly these sentences, and the rules were written looking at them, so they are TRAINING
figures. They show the classifier reproduces its labels (and catch a change that breaks that);
they are not an estimate for unseen articles. That estimate is leave-one-article-out
cross-validation (`scripts/safety_eval.py --cross-validate`), too slow for a unit test, and
the held-back split that decides issue 11 (`holdout/`, written blind; its figures are the
honest estimate, held as floors below). Before the model, the dev split (then the held-back
test split) stood at section P 0.713 R 0.826, sentence P 0.762 R 0.644, share gap 27.6 points.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.safety_dev import load_seeds, load_split, split_folders
from tests.safety_eval import Figures, evaluate


@dataclass(frozen=True)
class Bar:
    section_recall: float
    section_precision: float
    sentence_recall: float
    sentence_precision: float
    share_gap: float


TARGETS = Bar(
    section_recall=0.95,
    section_precision=0.85,
    sentence_recall=0.95,
    sentence_precision=0.80,
    share_gap=0.10,
)
# The dev split with the trained model (2026-12-01, `scripts/safety_eval.py dev --brief`):
# section P 0.841 R 1.000, sentence P 0.895 R 0.983, largest share gap 14.8 points. Training
# figures (see above); before the model it stood at the figures in the docstring.
DEV_FLOORS = Bar(
    section_recall=0.95,
    section_precision=0.84,
    sentence_recall=0.95,
    sentence_precision=0.80,
    share_gap=0.15,
)
# The held-back split (`holdout/`, written blind by an engineer who never saw the classifier, and
# never opened by the people who tuned it), first run 2026-12-01 after the merge of the trained
# model (`scripts/safety_eval.py holdout --brief`): section P 0.841 R 0.913, sentence P 0.765
# R 0.746, 0 control flags, largest share gap 24.5 points (rules alone: section P 0.835 R 0.827,
# sentence P 0.767 R 0.657, gap 29.6). Below the targets: these are floors, so a change
# can only improve them, not the goal. Whoever tunes against holdout/ must write a new one.
HOLDOUT_FLOORS = Bar(
    section_recall=0.91,
    section_precision=0.84,
    sentence_recall=0.74,
    sentence_precision=0.76,
    share_gap=0.25,
)
SPLITS = [folder.name for folder in split_folders()] + ["seeds"]


def bar_for(split: str) -> Bar:
    return {"dev": DEV_FLOORS, "holdout": HOLDOUT_FLOORS}.get(split, TARGETS)


@pytest.fixture(scope="module", params=SPLITS)
def figures(request) -> tuple[str, Figures]:
    items = load_seeds() if request.param == "seeds" else load_split(request.param)
    return request.param, evaluate(items)


def test_sections_are_found_and_few_are_false_alarms(figures):
    split, found = figures
    bar, report = bar_for(split), found.report()
    if split == "seeds":
        assert found.sections.precision == 1.0 and found.sections.recall == 1.0, report
    assert found.sections.recall >= bar.section_recall, report
    assert found.sections.precision >= bar.section_precision, report


def test_warning_sentences_are_found_and_few_are_false_alarms(figures):
    split, found = figures
    bar = bar_for(split)
    assert found.sentence_recall.recall >= bar.sentence_recall, found.report()
    assert found.sentence_precision >= bar.sentence_precision, found.report()


def test_no_control_article_has_a_flag(figures):
    _, found = figures
    assert found.control_sections == 0 and found.control_sentences == 0, found.report()


def test_flagged_share_of_each_article_is_near_its_labelled_share(figures):
    split, found = figures
    assert found.max_share_gap <= bar_for(split).share_gap, found.report(details=False)


def test_the_dev_and_held_back_splits_are_present_and_measured():
    # The floors above only mean something while their articles are in the repo.
    assert {"tune", "dev", "holdout"} <= set(SPLITS)
