"""The safety classifier's figures on every labelled split, measured by tests/safety_eval.py
against the sentence labels of tests/fixtures/safety_dev.

Issue 11's targets: section recall >= 0.95 and precision >= 0.85; sentence recall >= 0.95 and
precision >= 0.80; no control article with a flagged section or sentence; the share of text
flagged in each article within 10 points of its labelled share; the seeds keep section
precision and recall at 1.0.

The floors below are the shipped classifier's figures on each split, each with a comment
saying where it comes from; a floor may go down only with the reason stated. The history of the
rounds (what each trained on, what it changed, its blind and cross-validated figures, and the
criteria it was judged by) is docs/SAFETY_ROUNDS.md; add a paragraph there with each round.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.safety_dev import SPLITS as LABELLED_SPLITS
from tests.safety_dev import load_seeds, load_split, split_folders
from tests.safety_eval import Figures, evaluate


@dataclass(frozen=True)
class Bar:
    section_recall: float
    section_precision: float
    sentence_recall: float
    sentence_precision: float
    share_gap: float
    control_flags: int = 0  # flagged sections and sentences allowed in control articles


TARGETS = Bar(
    section_recall=0.95,
    section_precision=0.85,
    sentence_recall=0.95,
    sentence_precision=0.80,
    share_gap=0.10,
)
# The dev and holdout splits with the trained model (2026-12-01, `scripts/safety_eval.py dev
# holdout --brief`): dev section P 0.841 R 1.000, sentence P 0.891 R 0.983, largest share gap
# 18.0 points (warfarin); holdout section P 0.920 R 1.000, sentence P 0.913 R 0.996, gap 15.0
# (malaria). Training figures (see above), held as floors so that a change can only improve
# them: the rules' serious cues always stand, and some fire on background sentences (a clot
# causing a stroke in the warfarin article, "rat poison" in its history).
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.812 R 1.000, sentence P
# 0.859 R 0.983, gap 18.0.
# Session 26 round 17 (holdout17 trained on, the model retrained): section P 0.831 R 1.000,
# sentence P 0.881 R 0.983, gap 13.5. Section precision floor 0.84 -> 0.83 and share gap 0.13 ->
# 0.14: the retrained model keeps "first sold as a rat poison in 1948" (a serious cue at 0.04,
# over the 0.03 bar), which flags the warfarin guide's history section.
# Session 26 round 17 with neighbour features, adding from 0.5 (was 0.55): the model adds more,
# so training precision and share gaps dip where recall was already 1.0; section P 0.821, sentence P 0.877 (R 0.983), gap 13.5.
DEV_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.82,
    sentence_recall=0.97,
    sentence_precision=0.87,
    share_gap=0.14,
)
# Session 20 (see the docstring) measured holdout at section P 0.904 R 1.000, sentence P 0.903
# R 0.993, gap 15.9 points (malaria, where dosing times are now read as cautions).
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.874 R 1.000, sentence P
# 0.870 R 0.993, gap 18.1.
# Session 26 round 17 (holdout17 trained on, the model retrained): section P 0.890 R 1.000,
# sentence P 0.871 R 0.996, gap 18.1. Section precision floor 0.89 -> 0.88 and sentence
# precision 0.88 -> 0.87: the retrained model, which learnt holdout17's many cautions, keeps
# three background sentences whose rule cues it set aside before (scores 0.06 to 0.07 at the
# 0.06 bar: "too much of the kind called LDL builds up", "it is hard to get too much magnesium
# from food", "around 9 in 100 users get pregnant in a year").
HOLDOUT_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.88,
    sentence_recall=0.98,
    sentence_precision=0.87,
    share_gap=0.19,
)
# holdout2, a training split since session 19 round 2 (see the docstring): training figures,
# held as floors so that a change can only improve them.
# Session 20 regularised the model more (chosen by cross-validation, see the docstring), which
# fits its training splits less tightly: holdout2 measured section P 0.887 R 1.000, sentence P
# 0.907 R 0.996, gap 18.5 points (was 0.903 / 0.989, 0.922 / 0.989, 15.6).
# Session 20 round 4 (retrained with holdout4 and holdout5, a better 10-fold CV): section P 0.879
# R 1.000, sentence P 0.907 R 0.996, gap 15.6; the one section more is the dry-eye introduction,
# "can make your eyes feel ... sore" now kept at model score 0.13 (0.1 sets a caution aside).
# Session 21 round 6 (holdout7 trained on; the model sets a rule's caution aside only below 0.06,
# chosen by 10-fold CV for recall, so it fits its training splits less tightly): section P 0.870
# R 1.000, sentence P 0.892 R 0.996, gap 18.5.
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.839 R 1.000, sentence P
# 0.872 R 0.996, gap 18.5.
# Session 26 round 17 (holdout17 trained on, the model retrained): section P 0.870 R 1.000,
# sentence P 0.890 R 0.996, gap 18.5. Sentence precision floor 0.89 -> 0.88 and share gap 0.16
# -> 0.19: the retrained model keeps rule cues it set aside before, at 0.06 to 0.08 over the 0.06
# bar ("isn't a substitute for professional advice" in the nasal-decongestant spray's
# disclaimer, whose gap is the 18.5; "ask your GP to refer you to the NHS audiology service";
# "for best results, take it every day for at least 8 weeks").
# Session 26 round 17 with neighbour features, adding from 0.5 (was 0.55): the model adds more,
# so training precision and share gaps dip where recall was already 1.0; section P 0.855 R 1.000, sentence P 0.887 R 0.996.
HOLDOUT2_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.85,
    sentence_recall=0.99,
    sentence_precision=0.88,
    share_gap=0.19,
)
# holdout3, a training split since session 20 (see the docstring): training figures measured,
# held as floors so that a change can only improve them.
# Session 21 round 6: section P 0.973 R 1.000, sentence P 0.954 R 1.000, gap 10.5.
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.973 R 1.000, sentence P
# 0.945 R 1.000, gap 10.5.
HOLDOUT3_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.97,
    sentence_recall=0.99,
    sentence_precision=0.94,
    share_gap=0.11,
    # 0 since the positive-evidence veto: the recipe's "overdose on salt" no longer flags.
    control_flags=0,
)
# holdout4, a training split since session 20 round 4 (see the docstring): training figures
# (`scripts/safety_eval.py holdout4 --brief`: section P 0.810 R 1.000, sentence P 0.891
# R 0.979, gap 34.2 points, the home pregnancy test), held as floors so that a change can only
# improve them. Before it was trained on: 0.698 / 0.938, 0.770 / 0.859, gap 41.8.
# Session 20 round 5 (holdout6's kinds, the same kinds found here: anaphylaxis or an asthma attack
# described, a pregnancy tested for): section P 0.821 R 1.000, sentence P 0.905 R 0.979, gap 30.6.
# Session 21 round 6 (cautions set aside only below 0.06): section P 0.810 R 1.000, sentence P
# 0.900 R 0.979, gap 30.6.
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.790 R 1.000, sentence P
# 0.887 R 0.979, gap 30.6.
HOLDOUT4_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.79,
    sentence_recall=0.97,
    sentence_precision=0.88,
    share_gap=0.31,
)
# holdout5, a training split since session 20 round 4: training figures (section P 0.837
# R 0.976, sentence P 0.912 R 0.984, gap 21.9 points), held as floors. Blind, before it was
# trained on: 0.714 / 0.952, 0.784 / 0.867, gap 38.1 (tick bites).
# Session 21 round 6 (cautions set aside only below 0.06): section P 0.804 R 0.976, sentence P
# 0.886 R 0.984, gap 25.3 (benzoyl peroxide).
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.820 R 0.976, sentence P
# 0.891 R 0.977, gap 25.3.
# Session 22 round 9 (holdout10 and its kinds; a plain use step is no longer made a warning):
# section P 0.820 R 0.976, sentence P 0.891 R 0.977, gap 25.3.
# Session 23 round 13 (holdout13 and holdout14 trained on, the model retrained): section P 0.788
# R 0.976, sentence P 0.872 R 0.977, gap 25.3 (the same warnings found, a section more flagged).
# With round 13's word forms of a mild reaction, retrained: section P 0.774 R 0.976, sentence P
# 0.866 R 0.977 (the model now keeps, at its 0.06 bar, a poster's "the cramps are so bad").
HOLDOUT5_FLOORS = Bar(
    section_recall=0.97,
    section_precision=0.80,
    sentence_recall=0.97,
    sentence_precision=0.87,
    share_gap=0.32,
)
# holdout6, a training split since session 20 round 5: training figures (`scripts/safety_eval.py
# holdout6 --brief`: section P 0.905 R 1.000, sentence P 0.918 R 1.000, gap 13.5 points), held
# as floors. Blind, before it was trained on: 0.717 / 1.000, 0.726 / 0.945, gap 29.2 (the
# cold-sore cream page).
# Session 21 round 6 (cautions set aside only below 0.06): section P 0.884 R 1.000, sentence P
# 0.909 R 1.000, gap 13.5.
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.864 R 1.000, sentence P
# 0.900 R 1.000, gap 13.5.
# Session 22 round 8: retrained with holdout9 alone, section P 0.844 R 1.000, sentence P 0.891
# R 1.000 (an introduction more flagged); with the round's sentence-form features, 0.864 / 1.000,
# 0.900 / 1.000, gap 13.5, as before.
# Session 22 round 9 (holdout10 and its kinds): section P 0.864 R 1.000, sentence P 0.900
# R 1.000, gap 7.5.
# Session 23 round 12 (rounds 10 and 11 merged, retrained): section P 0.844 R 1.000 (the
# b12-injection clinic's "What is vitamin B12" flagged), sentence P 0.891 R 1.000, gap 7.5.
HOLDOUT6_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.84,
    sentence_recall=0.99,
    sentence_precision=0.89,
    share_gap=0.08,
)
# holdout7, a training split since session 21 round 6: training figures (`scripts/safety_eval.py
# holdout7 --brief`: section P 0.780 R 0.848, sentence P 0.817 R 0.882, 6 control sections and 8
# sentences flagged, gap 41.1 points), held as floors. Blind, before it was trained on: 0.672 /
# 0.848, 0.708 / 0.800, 19 control flags, gap 41.1. What is left is mostly the domain check's
# (viewer/core/safety_domain.py, reworked on another branch): the paint-tint and workplace
# controls read as health, the baby sleep-position leaflet as not about health.
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.852 R 1.000, sentence P
# 0.844 R 0.964, 0 control flags (the domain check now vetoes the paint-tint and workplace
# controls and reads the safe-sleep leaflet as health), gap 28.8.
# Session 26 round 17 (holdout17 trained on, the model retrained): section P 0.852 R 1.000,
# sentence P 0.857 R 0.991 (three warnings more found), gap 28.8. Sentence precision floor 0.86
# -> 0.85: the retrained model keeps a ketone meter's table row "Above 3.0 mmol/L | Too high"
# (0.04, over the serious bar) and "a real shortage can cause hair thinning" (0.07).
HOLDOUT7_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.85,
    sentence_recall=0.96,
    sentence_precision=0.85,
    share_gap=0.29,
    control_flags=0,
)
# holdout8, a training split since session 21 round 7: training figures, held as floors. Blind,
# before it was trained on: section P 0.750 R 0.944, sentence P 0.741 R 0.839, gap 26.9; with
# round 6 (the second of its two evaluations): 0.758 / 0.926, 0.756 / 0.826, gap 22.5.
# Session 21, rounds 6 and 7 merged (retrained on the merge): section P 0.844 R 1.000, sentence P
# 0.873 R 1.000, gap 15.9.
# Session 26 round 17 (holdout17 trained on, the model retrained): section P 0.885 R 1.000,
# sentence P 0.899 R 1.000, gap 15.9. Sentence precision floor 0.90 -> 0.89: the retrained model
# keeps "stir one level scoop into your favourite drink once a day" (0.06), a product's plain
# dose that holdout8 labels no warning and holdout17's dosing labels taught it to keep.
HOLDOUT8_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.88,
    sentence_recall=0.99,
    sentence_precision=0.89,
    share_gap=0.16,
)
# holdout9, a training split since session 22 round 8: training figures (`scripts/safety_eval.py
# holdout9 --brief`: section P 0.905 R 0.983, sentence P 0.900 R 0.987, 0 control flags, gap 20.6
# points, pelvic-floor-after-birth), held as floors; retrained with it and nothing else: 0.891 /
# 0.983, 0.895 / 0.987. Blind, before it was trained on: round 6 0.761 / 0.931, 0.794 / 0.796;
# round 7 0.750 / 0.931, 0.778 / 0.815, gap 21.4.
# After the merge with round 9 (model retrained on both): 0.891 / 0.983, 0.910 / 0.981.
HOLDOUT9_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.92,
    sentence_recall=0.98,
    sentence_precision=0.92,
    share_gap=0.21,
)
# holdout10, a training split since session 22 round 9: training figures, held as floors. Blind,
# before it was trained on (round 7): section P 0.712 R 1.000, sentence P 0.767 R 0.880, gap
# 24.1 points; retrained with it and nothing else changed: 0.737 / 1.000, 0.843 / 0.965, gap
# 19.1; with its kinds (round 9): section P 0.857 R 1.000, sentence P 0.926 R 0.986, gap 14.1.
# Session 23 round 12: section P 0.857 R 1.000, sentence P 0.925 R 0.979, gap 14.1.
# Session 23 round 13 (holdout13 and holdout14 trained on, the model retrained): section P 0.857
# R 1.000, sentence P 0.926 R 0.986, gap 15.3.
# Session 26 round 17 with neighbour features, adding from 0.5 (was 0.55): the model adds more,
# so training precision and share gaps dip where recall was already 1.0; sentence P 0.921 R 1.000, gap 15.3.
HOLDOUT10_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.85,
    sentence_recall=0.98,
    sentence_precision=0.92,
    share_gap=0.16,
)
# holdout11, written blind in session 22 (second writer), evaluated twice: round 8 section P
# 0.765 R 0.951, sentence P 0.815 R 0.876, gap 18.7; round 9 (shipped) 0.812 / 0.951, 0.828 /
# 0.876, gap 18.7 (postnatal-depression-leaflet 52.1% flagged vs 33.4% labelled).
# A training split since session 23 round 12 (round 10's branch trained on it; round 10 alone
# did not ship): training figures (`scripts/safety_eval.py holdout11 --brief`: section P 0.837
# R 1.000, sentence P 0.900 R 0.983, 0 control flags, gap 10.5 points), held as floors. On round
# 10's branch: 0.837 / 1.000, 0.893 / 0.983; retrained with it and nothing else: 0.851 / 0.976,
# 0.892 / 0.959, gap 12.7. With round 11 alone (not trained on it): 0.830 / 0.951, 0.836 / 0.884.
# Session 26 round 17 with neighbour features, adding from 0.5 (was 0.55): the model adds more,
# so training precision and share gaps dip where recall was already 1.0; sentence P 0.908 R 1.000, gap 16.0.
HOLDOUT11_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.83,
    sentence_recall=0.98,
    sentence_precision=0.90,
    share_gap=0.17,
)
# holdout12, a training split since session 23 round 11: training figures (`scripts/safety_eval.py
# holdout12 --brief`: section P 0.980 R 1.000, sentence P 0.950 R 1.000, 0 control flags, gap 10.6
# points, the carers' medicines leaflet), held as floors. Blind, before it was trained on (round
# 9): section P 0.852 R 0.939, sentence P 0.824 R 0.912, gap 16.5; retrained with it and nothing
# else changed: 0.889 / 0.980, 0.885 / 0.978, gap 12.4.
# Session 23 round 13 (holdout13 and holdout14 trained on, the model retrained): section P 0.961
# R 1.000, sentence P 0.944 R 1.000, gap 15.4.
HOLDOUT12_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.98,
    sentence_recall=0.99,
    sentence_precision=0.95,
    share_gap=0.11,
)
# holdout13, written blind in session 23 (second writer), evaluated twice: round 9 section P
# 0.839 R 0.945, sentence P 0.846 R 0.836, gap 15.5 (ondansetron-sickness-leaflet 74.9% flagged
# vs 59.4% labelled); round 11 (shipped) 0.825 / 0.945, 0.834 / 0.836, gap 15.5. Not trained on.
# Its floors are what round 12 (shipped after it) measures, looked at once to set them, not to
# decide anything: section P 0.839 R 0.945, sentence P 0.834 R 0.836, gap 15.5.
# A training split since session 23 round 13: training figures (`scripts/safety_eval.py
# holdout13 --brief`), held as floors; retrained with it and nothing else changed: section P
# 0.857 R 0.982, sentence P 0.890 R 0.967, 0 control flags, gap 16.4; with round 13's kinds
# (the floors): section P 0.915 R 0.982, sentence P 0.918 R 0.967, gap 16.4.
HOLDOUT13_FLOORS = Bar(
    section_recall=0.98,
    section_precision=0.93,
    sentence_recall=0.96,
    sentence_precision=0.92,
    share_gap=0.17,
    control_flags=0,
)
# holdout14, written blind in session 23 (third writer), evaluated twice: round 11 section P
# 0.797 R 0.979, sentence P 0.788 R 0.853, gap 17.7 (mupirocin-nasal-ointment-leaflet 66.5% vs
# 48.8%); round 12 (shipped) 0.783 / 0.979, 0.790 / 0.860, gap 17.7.
# A training split since session 23 round 13: training figures (`scripts/safety_eval.py
# holdout14 --brief`), held as floors; retrained with it and nothing else changed: section P
# 0.857 R 1.000, sentence P 0.855 R 0.977, 0 control flags, gap 20.9; with round 13's kinds
# (the floors): section P 0.873 R 1.000, sentence P 0.873 R 0.977, gap 20.9.
HOLDOUT14_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.87,
    sentence_recall=0.97,
    sentence_precision=0.87,
    share_gap=0.21,
    control_flags=0,
)
# holdout15, written blind in session 23 (fourth writer), evaluated twice: round 12 section P
# 0.789 R 0.938, sentence P 0.729 R 0.832, 2 control sections and 2 sentences flagged (the
# spreadsheet tutorial's "overdose of nested IFs" and "toxic circular references" read as
# health), gap 27.4 (nicotinamide-skin-listicle 51.5% flagged vs 24.1% labelled); round 13
# (shipped) 0.750 / 0.938, 0.722 / 0.832, the same 2 + 2 control flags, gap 31.1.
# A training split since session 24 round 14: training figures (`scripts/safety_eval.py
# holdout15 --brief`: section P 0.889 R 1.000, sentence P 0.860 R 0.979, 0 control flags, the
# spreadsheet tutorial now software's, gap 24.6 points), held as floors.
# Session 26 round 17 with neighbour features, adding from 0.5 (was 0.55): the model adds more,
# so training precision and share gaps dip where recall was already 1.0; sentence P 0.839 R 1.000.
HOLDOUT15_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.86,
    sentence_recall=0.97,
    sentence_precision=0.83,
    share_gap=0.25,
    control_flags=0,
)
# holdout16, written blind in session 24 (first writer), evaluated twice: round 13 section P
# 0.850 R 0.919, sentence P 0.782 R 0.739, 0 control flags, gap 20.6 (at-home-clear-aligners-blog
# 28.1% flagged vs 48.6% labelled); rules alone 0.882 / 0.811, 0.804 / 0.584; round 14 (shipped)
# 0.872 / 0.919, 0.790 / 0.727, 0 control flags, gap 20.6, rules alone the same as round 13's. A training split
# since session 24 round 15: training figures (`scripts/safety_eval.py holdout16 --brief`:
# section P 0.917 R 1.000, sentence P 0.932 R 0.963, 0 control flags, gap 11.1 points), held as
# floors. Its seven .txt articles are read with their sections since round 15 (an outline item
# in sentence case, "Posting it back", heads its block: txt_loader.split_units); with that
# reading main's classifier measures section P 0.825 R 0.945, sentence P 0.779 R 0.745.
# Session 26 round 17 with neighbour features, adding from 0.5 (was 0.55): the model adds more,
# so training precision and share gaps dip where recall was already 1.0; sentence P 0.933 R 0.981, gap 13.8.
HOLDOUT16_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.9,
    sentence_recall=0.96,
    sentence_precision=0.92,
    share_gap=0.14,
    control_flags=0,
)
# holdout17, written blind in session 24 (second writer), evaluated twice: round 14 section P
# 0.800 R 0.914, sentence P 0.820 R 0.822, 0 control flags, gap 18.7 (its six .txt articles read
# as one introduction each by round 14's loader); round 16 (shipped) 0.804 / 0.938, 0.796 /
# 0.842, 0 control flags, gap 20.2 (bee-wasp-sting-first-aid 62.6% flagged vs 42.4% labelled).
# A training split since session 26 round 17: training figures (`scripts/safety_eval.py
# holdout17 --brief`: section P 0.857 R 1.000, sentence P 0.856 R 0.993, 0 control flags, gap
# 17.6 points), held as floors (until then its floors were round 16's blind figures).
HOLDOUT17_FLOORS = Bar(
    section_recall=0.99,
    section_precision=0.85,
    sentence_recall=0.99,
    sentence_precision=0.85,
    share_gap=0.18,
    control_flags=0,
)
SPLITS = [folder.name for folder in split_folders()] + ["seeds"]


def bar_for(split: str) -> Bar:
    floors = {
        "dev": DEV_FLOORS,
        "holdout": HOLDOUT_FLOORS,
        "holdout2": HOLDOUT2_FLOORS,
        "holdout3": HOLDOUT3_FLOORS,
        "holdout4": HOLDOUT4_FLOORS,
        "holdout5": HOLDOUT5_FLOORS,
        "holdout6": HOLDOUT6_FLOORS,
        "holdout7": HOLDOUT7_FLOORS,
        "holdout8": HOLDOUT8_FLOORS,
        "holdout9": HOLDOUT9_FLOORS,
        "holdout10": HOLDOUT10_FLOORS,
        "holdout11": HOLDOUT11_FLOORS,
        "holdout12": HOLDOUT12_FLOORS,
        "holdout13": HOLDOUT13_FLOORS,
        "holdout14": HOLDOUT14_FLOORS,
        "holdout15": HOLDOUT15_FLOORS,
        "holdout16": HOLDOUT16_FLOORS,
        "holdout17": HOLDOUT17_FLOORS,
    }
    return floors.get(split, TARGETS)


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
    split, found = figures
    flags = found.control_sections + found.control_sentences
    assert flags <= bar_for(split).control_flags, found.report()


def test_flagged_share_of_each_article_is_near_its_labelled_share(figures):
    split, found = figures
    assert found.max_share_gap <= bar_for(split).share_gap, found.report(details=False)


def test_the_dev_and_held_back_splits_are_present_and_measured():
    # The figures above only mean something while their articles are in the repo, and every
    # held-back split has floors of its own rather than the bare targets.
    assert set(LABELLED_SPLITS) <= set(SPLITS)
    assert set(LABELLED_SPLITS) - {"tune"} <= {
        split for split in SPLITS if bar_for(split) != TARGETS
    }
