"""What an ordinary health article says about normal use, and no warning: a usual or studied dose,
a plain step of how to apply a product, a bare disclaimer, a condition whose name holds a harm
word, an FAQ's one-word answer; and the warnings that must stay among them (a limit after the
usual dose, a step that forbids something, forum posts that drop the apostrophe). Issue 11's
kinds as holdout10 showed them (session 22), each case written for this test."""

from __future__ import annotations

import pytest

from viewer.core.phrases import Stemmer
from viewer.core.safety import SafetyClassifier
from viewer.core.safety_steps import PlainSteps
from viewer.core.sentences import split_sentences


@pytest.fixture(scope="module")
def classifier() -> SafetyClassifier:
    return SafetyClassifier.load()


@pytest.mark.parametrize(
    "text",
    [
        "The usual dose for adults is one 200 mg tablet twice a day.",
        "Most studies used 300 mg a day, taken in the morning.",
        "For best results use it every day for at least 6 weeks.",
        "It is fine to drink coffee with it.",
    ],
)
def test_a_usual_dose_or_a_use_allowed_is_not_a_warning(classifier, text):
    sentence = classifier.classify_sentence(text)
    assert not sentence.safety, sentence.evidence


def test_a_limit_after_the_usual_dose_still_warns(classifier):
    sentence = classifier.classify_sentence(
        "The usual dose is one or two tablets, but no more than 8 in 24 hours."
    )
    assert sentence.safety and "dosage" in sentence.categories, sentence.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Tilt your head back and put one drop in each eye.",
        "Place the strip across the bridge of your nose.",
        "Breathe in slowly through your nose.",
    ],
)
def test_a_plain_use_step_is_not_a_warning(classifier, text):
    assert not classifier.classify_sentence(text).safety


@pytest.mark.parametrize(
    "text",
    [
        "Put the patch on 5 hours before you travel.",
        "Press it firmly, but never put it on broken skin.",
        "Wash your hands afterwards, because the cream can sting your eyes.",
    ],
)
def test_a_step_with_a_limit_or_a_prohibition_still_warns(classifier, text):
    sentence = classifier.classify_sentence(text)
    assert sentence.safety, sentence.evidence


def test_a_plain_step_is_its_first_verb_without_an_avoidance_word():
    stem = Stemmer()
    steps = PlainSteps.read({"verbs": ["put", "tilt"], "unless": ["never"]}, "t.toml", stem)

    def stems(text: str) -> list[str]:
        return [stem(word) for word in text.lower().split()]

    assert steps.plain(stems("put the nozzle inside"))
    assert steps.plain(stems("tilt your head"))
    assert not steps.plain(stems("never put it on broken skin"))  # a prohibition, not a step
    assert not steps.plain(stems("put it on but never near the eyes"))
    assert not steps.plain(stems("take one capsule"))  # not one of the step verbs
    assert not PlainSteps.read(None, "t.toml", stem).plain(stems("put it on"))


def test_a_bare_disclaimer_is_not_a_warning_but_one_naming_a_professional_is(classifier):
    bare = classifier.classify_sentence(
        "This blog is for information only and is not medical advice."
    )
    assert not bare.safety, bare.evidence
    sent = classifier.classify_sentence(
        "This article is for information only, so speak to your doctor before you start."
    )
    assert sent.safety and "medical-supervision" in sent.categories, sent.evidence


def test_a_panic_attack_is_the_condition_and_its_warning_signs_still_warn(classifier):
    assert not classifier.classify_sentence("A panic attack cannot hurt you.").safety
    sign = classifier.classify_sentence(
        "Call 999 if you have chest pain and are not sure whether it is a panic attack."
    )
    assert sign.safety and sign.severity == "warning", sign.evidence


def test_an_faq_answer_no_ends_its_sentence_and_negates_nothing_after_it(classifier):
    text = "No. It is for short-term use only. See No. 5 in the list."
    spans = [text[start:end] for start, end in split_sentences(text)]
    assert spans == ["No.", "It is for short-term use only.", "See No. 5 in the list."]
    assert classifier.classify_sentence(spans[1]).safety


@pytest.mark.parametrize(
    "text, category",
    [
        ("Please dont drink on it.", "dosage"),
        ("Dont stop suddenly.", "dependence"),
        ("It made me throw up the first day.", "side-effects"),
        ("It should never hurt.", "side-effects"),
    ],
)
def test_a_forum_post_s_spelling_and_everyday_words_still_warn(classifier, text, category):
    sentence = classifier.classify_sentence(text)
    assert sentence.safety, sentence.evidence
    assert category in sentence.categories, sentence.evidence
