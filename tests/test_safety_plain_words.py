"""Warnings said in plain words, and the near misses beside them: professionals by other names,
interactions without the word, what the pack says, a shelf life, a product kept to one person,
everyday words for a reaction, more verbs of a prohibition, a sign to act worded with "no", and
the reassurances, usual doses and conditions that share their words. Issue 11's kinds as
holdout16 and the 10-fold cross-validation misses over every split showed them (session 24,
round 15); each case is written for this test, none is a sentence of the dev set."""

from __future__ import annotations

import pytest

from viewer.core.safety import SafetyClassifier


@pytest.fixture(scope="module")
def classifier() -> SafetyClassifier:
    return SafetyClassifier.load()


@pytest.fixture(scope="module")
def rules() -> SafetyClassifier:
    return SafetyClassifier.load(use_model=False)


# Each of these must warn by the rules alone (the model may only add to them), in the category
# a reader would look under.
@pytest.mark.parametrize(
    "text, category",
    [
        # Professionals by other names, and other ways of sending the reader to one.
        ("If your gums keep bleeding, talk to your hygienist.", "medical-supervision"),
        ("A bite that clicks needs an orthodontist.", "medical-supervision"),
        ("Let your surgeon know that you take it.", "medical-supervision"),
        ("Ring the eye clinic if the drops sting for more than a day.", "medical-supervision"),
        ("A pain that wakes you at night is worth a GP visit.", "medical-supervision"),
        # An interaction without the word "interact".
        ("Some cough medicines change the way the tablet works.", "interactions"),
        ("St John's wort can work against the pill.", "interactions"),
        ("My pharmacist said the effects add up.", "interactions"),
        ("The cream is not right for people with broken skin.", "interactions"),
        # What the pack says, where it must not go, and when it is past its use.
        ("For external use only.", "dosage"),
        ("Follow the dose on the packet.", "dosage"),
        ("Keep the gel away from your eyes and mouth.", "dosage"),
        ("Throw the tube away 3 months after opening.", "dosage"),
        ("An out-of-date test strip may give a wrong reading.", "dosage"),
        ("Each inhaler is for one person only.", "dosage"),
        ("Take the tablet at the same time each day.", "dosage"),
        ("Wait 30 seconds before the second puff.", "dosage"),
        ("Don't double up if you miss one.", "dosage"),
        ("Take it with some food, even a biscuit.", "dosage"),
        ("Avoid sunbeds while you use the cream.", "dosage"),
        # More verbs of a prohibition, with a bare "never".
        ("Never go above two tablets in a day.", "dosage"),
        ("Do not let children use the spray.", "dosage"),
        # Everyday words for a reaction, and a harm that remains.
        ("My toes went tingly after the second dose.", "side-effects"),
        ("It can give you vivid dreams.", "side-effects"),
        ("A clear result does not rule out an infection.", "side-effects"),
        # A product adulterated in plain words.
        ("Some cheap powders are cut with fillers.", "product-quality"),
    ],
)
def test_a_warning_in_plain_words_is_found_by_the_rules(rules, classifier, text, category):
    for reader in (rules, classifier):
        sentence = reader.classify_sentence(text)
        assert sentence.safety, sentence.evidence
        assert category in sentence.categories, sentence.evidence


def test_a_sign_to_act_worded_with_no_keeps_its_limit(classifier):
    # "no improvement" negates nothing: the time limit after it stands.
    sentence = classifier.classify_sentence(
        "If there is no improvement after 10 minutes, use a second dose."
    )
    assert sentence.safety and "dosage" in sentence.categories, sentence.evidence


@pytest.mark.parametrize(
    "text",
    [
        # What care does is no advice to the reader, nor is a choice offered.
        "Your dentist will check your teeth at every visit.",
        "Ask your clinic about the other methods on offer.",
        # What a medicine works against is the condition it treats.
        "It works against most common bacteria.",
        # A benefit of a routine, not a timing rule.
        "Taking it at the same time each day helps you remember.",
        # A bottle of one's own that is no product kept to one person.
        "Take your own water bottle to the gym.",
        # A bare instruction to read the label names no limit (labelled so in four splits).
        "Always read the label.",
        # An adverb that only looks like a harm word.
        "The spray smells faintly of mint.",
        # A reassurance that names no side effect, and usual doses in other words.
        "Most side effects are mild and settle within days.",
        "The first dose is 10 mg at night.",
        "The usual starting dose is 25 mg once a day.",
        "Bladder training works well alongside the tablets.",
        # A choice left open is no use instruction.
        "You can take the capsules with or without food.",
        # A condition whose name holds a harm word.
        "Most nappy rash clears within three days.",
    ],
)
def test_a_near_miss_in_the_same_words_is_not_a_warning(classifier, text):
    sentence = classifier.classify_sentence(text)
    assert not sentence.safety, sentence.evidence


def test_a_named_condition_still_warns_through_its_own_cue(classifier):
    sentence = classifier.classify_sentence(
        "Speak to your health visitor if the nappy rash has not cleared after a week."
    )
    assert sentence.safety and "medical-supervision" in sentence.categories, sentence.evidence
