"""The trained sentence model and how it combines with the rules (viewer/core/safety_model.py).

Combination is tested with small hand-made models, so that each test says exactly what the
model contributes; the bundled model is tested for what every model must do (load, be small,
score fast and exactly as the reference sum does)."""

from __future__ import annotations

import math

import pytest

from tests.safety_dev import load_seeds
from viewer.core.errors import ViewerError
from viewer.core.model import Article, Paragraph, Section
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety import MODEL_FILE, SafetyClassifier, Setting
from viewer.core.safety_model import (
    Linear,
    SentenceModel,
    WarningScorer,
    shape_features,
    train_linear,
)


@pytest.fixture(scope="module")
def rules() -> dict:
    return load_toml(resource_path("safety.toml"))


def toy(
    weights: dict[str, float],
    bias: float = -5.0,
    threshold: float = 0.5,
    keep: float = 0.0,
    keep_serious: float = 0.0,
) -> SentenceModel:
    return SentenceModel(
        Linear(bias, weights),
        threshold,
        {"side-effects": Linear(1.0, {})},
        {"caution": Linear(1.0, {})},
        keep,
        keep_serious,
    )


def test_the_model_adds_a_warning_the_rules_miss_and_says_why_in_plain_words(rules):
    text = "Move the pads to a new spot each day."
    assert not SafetyClassifier(rules).classify_sentence(text).safety
    sentence = SafetyClassifier(rules, model=toy({"w:pad": 6.0})).classify_sentence(text)
    assert (
        sentence.safety
        and sentence.severity == "caution"
        and sentence.categories == ("side-effects",)
    )
    assert sentence.evidence[0] == "model score 0.73 (warns from 0.50)"
    assert "words: pad" in sentence.evidence


@pytest.mark.parametrize(
    "text, setting",
    [
        ("The side effects of the software update are minor.", Setting()),  # a non-medical sense
        ("Side effects have not been reported.", Setting()),  # a reassurance
        (
            "Tobacco smoke contains tar, which damages the lungs.",
            Setting(),
        ),  # the harm of something else
        ("Move the pads to a new spot each day.", Setting(health=False)),  # not a health article
    ],
)
def test_the_model_cannot_overrule_the_sense_subject_and_polarity_checks(rules, text, setting):
    model = toy({"w:side": 9.0, "w:effect": 9.0, "w:pad": 9.0, "w:tar": 9.0, "w:lung": 9.0})
    assert not SafetyClassifier(rules, model=model).classify_sentence(text, setting).safety


def test_a_rule_warning_stands_unless_the_model_scores_it_below_keep(rules):
    text = "Do not exceed 400 mg of caffeine a day."
    assert (
        SafetyClassifier(rules, model=toy({}, bias=-3.0, keep=0.0)).classify_sentence(text).safety
    )
    set_aside = SafetyClassifier(rules, model=toy({}, bias=-3.0, keep=0.1)).classify_sentence(text)
    assert not set_aside.safety
    assert (
        set_aside.evidence[0].startswith("model score 0.05")
        and "cue set aside: 'do not exceed'" in set_aside.evidence
    )


def test_a_serious_rule_warning_is_set_aside_only_below_its_own_lower_bar(rules):
    # The rules read "heart attack" as a serious harm; a model that scores the sentence low.
    text = "In rare cases it can bring on a heart attack."
    low = {"w:rare": -4.0}  # scores 0.0003
    assert SafetyClassifier(rules).classify_sentence(text).severity == "warning"
    kept = SafetyClassifier(rules, model=toy(low, bias=-4.0, keep=0.3)).classify_sentence(text)
    assert kept.safety  # keep_serious 0: a serious warning always stands
    aside = SafetyClassifier(rules, model=toy(low, bias=-4.0, keep=0.3, keep_serious=0.2))
    assert not aside.classify_sentence(text).safety


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Take omeprazole once a day, before breakfast.", {"s:imp", "s:timing", "s:imp-limit"}),
        (
            "If you are sick within an hour of a dose, take another one.",
            {"s:imp", "s:limit", "s:imp-limit"},
        ),
        ("Do not take it.", {"s:imp", "s:short", "s:forbid", "s:imp-limit"}),
        (
            "Start with half a tablet to see how it affects you.",
            {"s:imp", "s:amount", "s:imp-limit"},
        ),
        ("Most caffeine pills contain 50 mg, 100 mg or 200 mg.", {"s:amount"}),
        ("Does it damage your kidneys?", {"s:question"}),
        ("Myth: protein shakes damage kidneys.", {"s:question"}),
        ("It helps keep asthma under control.", {"s:benefit"}),
        ("Statins can halve the chance of a heart attack.", {"s:benefit"}),
        ("Under-18s.", {"s:short"}),
        ("Do fat burners work in the long run for most people?", {"s:question"}),
        # Session 22: a plain step against one that limits, and a forum post's person.
        ("Shake the bottle well before use.", {"s:imp", "s:imp-plain"}),
        ("Hold it on the wart for 20 seconds no longer.", {"s:imp", "s:limit", "s:imp-limit"}),
        ("I would never mix it with wine.", {"s:forbid", "s:first"}),
        ("My GP said not to drive on it.", {"s:forbid", "s:first", "s:told"}),
        ("It gave me awful headaches.", {"s:first", "s:lived", "s:harsh"}),
    ],
)
def test_the_form_of_a_sentence_is_a_feature(text, expected):
    words = [w.lower() for w in text.replace(",", " ").replace(".", " ").split()]
    assert set(shape_features(text, [w.strip("?:") for w in words])) == expected


def test_the_heading_of_a_sentence_s_section_weighs_in(rules):
    def article(heading: str) -> Article:
        # (Not "space the tablets evenly": a caution of the rules since round 17.)
        section = Section("s", heading, 2, "section", [Paragraph("Chew the tablets well.")])
        return Article("a", "Amoxicillin", "a.md", "md", [section])

    classifier = SafetyClassifier(rules, model=toy({"h:take": 6.0}))
    under, elsewhere = article("How to take it"), article("History")
    classifier.annotate(under)
    classifier.annotate(elsewhere)
    assert under.sections[0].safety and not elsewhere.sections[0].safety
    assert under.sections[0].paragraphs[0].sentences[0].evidence[0].startswith("model score")


def test_the_fast_scorer_gives_the_reference_sum_on_every_seed_sentence():
    model = SentenceModel.load(resource_path(MODEL_FILE))
    scorer = WarningScorer(model.warning)
    classifier = SafetyClassifier.load(use_model=False)
    checked = 0
    for item in load_seeds(annotators=[]).values():
        for _, _, _, features in classifier.features_of(item.article):
            stems = [f[2:] for f in features if f.startswith("w:")]
            kind = next((f[5:] for f in features if f.startswith("kind:")), "")
            signals = [f for f in features if not f.startswith(("w:", "b:", "first:", "kind:"))]
            assert math.isclose(
                scorer.margin(stems, kind, signals), model.warning.margin(features), abs_tol=1e-9
            )
            checked += 1
    assert checked > 100


def test_the_bundled_model_is_a_small_file_that_loads():
    path = resource_path(MODEL_FILE)
    assert path.stat().st_size < 400_000
    model = SentenceModel.load(path)
    assert 0 < model.keep < model.threshold < 1
    # A sanity bound; the file size above is the bar (round 17 with neighbour features: 10,045).
    assert 100 < len(model.warning.weights) < 12_000


def test_a_broken_model_file_is_one_clear_error(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"version": 1, "threshold": 0.4}', encoding="utf-8")
    with pytest.raises(ViewerError) as caught:
        SafetyClassifier.load(model=path)
    assert str(caught.value).startswith(f"the safety model {path} is not a valid model file")
    assert "\n" not in str(caught.value)


def test_training_separates_what_the_features_separate():
    samples = [(["w:never", f"w:x{i}"], True) for i in range(20)] + [
        (["w:often", f"w:y{i}"], False) for i in range(20)
    ]
    model = train_linear(samples, min_count=2)
    assert model.score(["w:never"]) > 0.8
    assert model.score(["w:often"]) < 0.2
    assert "w:x1" not in model.weights  # seen once: left out
