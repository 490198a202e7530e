"""Sentence verdicts, one kind of error at a time (issue 11): word forms, polarity (negation and
hedge scope), sense and subject, boilerplate severity, and the phrase syntax the rules use.
Each case is a sentence a reader could meet in any health article, not one from the dev set."""

from __future__ import annotations

import pytest

from viewer.core.library import Library
from viewer.core.phrases import PhraseMatcher, Stemmer, compile_phrase, phrase_problem, tokenize
from viewer.core.safety import SafetyClassifier, Setting


@pytest.fixture(scope="module")
def classifier() -> SafetyClassifier:
    return SafetyClassifier.load()


def verdict(classifier, text: str, title: str = ""):
    return classifier.classify_sentence(text, classifier.setting_for(title) if title else Setting())


# --- 1. word forms and wording --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, category",
    [
        ("Use the lowest dose that controls your symptoms.", "dosage"),
        ("It can make you drowsy.", "side-effects"),
        ("Drowsiness is common in the first week.", "side-effects"),
        ("Eating the berries can lead to poisoning.", "side-effects"),
        ("The gel can irritate sensitive skin.", "side-effects"),
        ("People with liver problems should not use it.", "interactions"),
        ("Tell your GP if you are on warfarin.", "interactions"),
        ("Check with a pharmacist first.", "medical-supervision"),
        ("Ask your prescriber before you change the dose.", "medical-supervision"),
        ("Large single doses can cause kidney damage.", "dosage"),
        ("If you vomit blood, get help at once.", "side-effects"),
        ("It can cause a positive drug test at work.", "legal-status"),
        ("Take no more than three tablets in 24 hours.", "dosage"),
        ("Do not swim after drinking alcohol.", "dosage"),
        ("Do not go over this amount unless a doctor has said so.", "dosage"),
        # Kinds the blind split holdout2 exposed: mild reactions, legal penalties, use
        # instructions (new sentences, not the split's).
        ("A few children have a mild fever the evening after the jab.", "side-effects"),
        ("Feeling achy and shivery for a day is common.", "side-effects"),
        ("Ketamine is a Class B drug in the UK.", "legal-status"),
        ("Selling it can mean a long prison sentence.", "legal-status"),
        ("Leave the lotion on for 12 hours before washing it off.", "dosage"),
        ("Use a second course 10 days later if the rash comes back.", "dosage"),
        # Kinds holdout3 exposed (new sentences, not the split's): how and when to take or
        # apply it, a risk stated with no harm named, recaps, limits set by the pack.
        ("Take the capsule after your evening meal.", "dosage"),
        ("Take it 30 minutes before you eat.", "dosage"),
        ("Peel the plaster off after 12 hours.", "dosage"),
        ("Begin with half a sachet on the first day.", "dosage"),
        ("Some of these remedies carry real risks.", "side-effects"),
        ("Liver damage is rare, but it does happen.", "side-effects"),
        ("Taking both at once is harder on the kidneys.", "side-effects"),
        ("Drinking to relieve stress is a warning sign of dependence.", "dependence"),
        ("Call your nurse if you feel unwell after the infusion.", "side-effects"),
        ("Learn the signs of an infection.", "side-effects"),
        ("A bad cough is not a reason to give more than the leaflet says.", "dosage"),
        ("Use the syringe in the box to measure each dose.", "dosage"),
        ("Some redness where the needle went in is normal.", "side-effects"),
        ("Swallow one capsule a day with your evening meal.", "dosage"),
        ("Use the spray for up to 7 days.", "dosage"),
        ("Never refreeze insulin that has thawed.", "dosage"),
        ("Tramadol is a controlled drug.", "legal-status"),
        # An adverb inside a prohibition, cutting down alone, dependence without the word, and
        # finishing a course (round 6).
        ("Please do not just stop taking your tablets.", "dosage"),
        ("Never cut down without talking to your doctor.", "dosage"),
        ("Your body does get used to it over time.", "dependence"),
        ("Finish the whole course, even if you feel better.", "dosage"),
        # A precaution's purpose, handling it, children kept safe, a time limit, a prescription.
        ("Run the bath warm, never hot, so that it does not scald the baby.", "side-effects"),
        ("Never cut the plaster to make it smaller.", "dosage"),
        ("Keep the tablets out of reach of small children.", "interactions"),
        ("The second tablet must be taken within 12 hours of the first.", "dosage"),
        ("You need a prescription for the stronger cream.", "legal-status"),
        # Round 10: a use kept to a group, a product found to hold something else, harms in plain
        # words, a limit in minutes, pregnancy in other words, a prohibition on covering it.
        ("The spray is not intended for children under 6.", "dosage"),
        ("Some batches have even turned out to contain sibutramine.", "product-quality"),
        ("The aerosol is highly flammable.", "side-effects"),
        ("Steroid tablets can affect your kidneys and liver.", "side-effects"),
        ("Leave the cold pack on for up to 15 minutes.", "dosage"),
        ("Speak to your midwife if you are trying for a baby.", "interactions"),
        ("Do not cover the treated skin with a plaster.", "dosage"),
    ],
)
def test_the_same_warning_in_other_words_and_forms_is_found(classifier, text, category):
    sentence = verdict(classifier, text)
    assert sentence.safety and category in sentence.categories, sentence.evidence


# --- 2. polarity: reassurance versus a warning worded with a negation -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It is not habit-forming.",
        "You cannot overdose on it.",
        "It doesn't cause drowsiness.",
        "There is no risk of dependence at these doses.",
        "Side effects are rare and mild.",
        "Serious side effects have not been reported.",
        "Large trials found no increase in side effects at the recommended amount.",
        # A contrast or a benefit spares the reader the harm it names.
        "Most skin tags are a nuisance rather than a danger.",
        "People who walk every day have fewer strokes.",
        # A combination allowed is no interaction ("should not be taken with" still warns).
        "It can be taken alongside ibuprofen.",
        # A use allowed in pregnancy (round 10; "should not be used during pregnancy" warns).
        "The cream can be used during pregnancy.",
    ],
)
def test_a_reassurance_is_not_a_warning_and_says_what_it_negated(classifier, text):
    sentence = verdict(classifier, text)
    assert not sentence.safety, sentence.evidence
    assert any(e.startswith("negated: '") for e in sentence.evidence)


@pytest.mark.parametrize(
    "text, category, severity",
    [
        ("There is no evidence that it is safe in pregnancy.", "interactions", "warning"),
        ("It is not recommended for babies.", "interactions", "warning"),
        ("Do not take it with alcohol.", "interactions", "warning"),
        ("Without food it may upset the stomach.", "side-effects", "caution"),
        ("It is not without side effects.", "side-effects", "caution"),
        ("It was not linked to liver damage, but it can cause nausea.", "side-effects", "caution"),
        ("Fewer than 1 in 50 people have a serious allergic reaction.", "side-effects", "warning"),
        ("It should not be taken with ibuprofen.", "interactions", "warning"),
        ("It is not safe for anyone, including during pregnancy.", "interactions", "warning"),
        ("The cream should not be used during pregnancy.", "interactions", "warning"),
    ],
)
def test_a_warning_worded_with_a_negation_stays_a_warning(classifier, text, category, severity):
    sentence = verdict(classifier, text)
    assert sentence.safety and category in sentence.categories, sentence.evidence
    assert sentence.severity == severity and "negated: no" in sentence.evidence


def test_a_hedge_is_evidence_and_ends_a_negations_reach(classifier):
    sentence = verdict(classifier, "Without food it may upset the stomach.")
    assert "hedge: may" in sentence.evidence
    assert "cue: 'upset the stomach' (side-effects, caution)" in sentence.evidence


def test_a_negation_inside_a_cue_is_part_of_the_cue(classifier):
    for text in ("Do not exceed the stated dose.", "Take no more than two a day."):
        sentence = verdict(classifier, text)
        assert sentence.safety and "dosage" in sentence.categories, (text, sentence.evidence)


# --- 3. sense and subject -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The side effects of the software update include a slower start-up.",
        "Apply the dosage of lawn fertiliser evenly over the grass.",
        "An early withdrawal from your pension is taxed as income.",
        "The model allows for dependence between repeated measurements.",
        # A mild fever is a reaction; hay fever and dry skin in passing are not.
        "Hay fever season starts when the grass pollen count rises.",
        "Put the pads on clean, dry skin.",
        # A colour is no reaction: "redness" is, though its stem is "red".
        "Serve it with a glass of red wine.",
    ],
)
def test_non_medical_senses_do_not_warn(classifier, text):
    sentence = verdict(classifier, text)
    assert not sentence.safety, sentence.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Tobacco smoke contains tar, which damages the lungs.",
        "Epilepsy can cause frequent seizures.",
        "Long-term insomnia can cause headaches and daytime drowsiness.",
        "It may ease nausea and headaches.",
        # A benefit: the harm it spares the reader is no warning about the product.
        "Regular exercise lowers the risk of a heart attack.",
        "Colchicine stops gout attacks within a day or two.",
        "Blood thinners are the mainstay of stroke prevention.",
        # The condition's own treatment, an attack avoided, where a medicine is given, and safe
        # for a list of readers that includes pregnancy (round 6).
        "The infection is treated with antibiotics.",
        "Taken daily, it helps you avoid asthma attacks.",
        "In hospitals it is given into a vein.",
        "It is safe for most adults, including during pregnancy.",
        "It is safe for most adults and for pregnant women.",
        # A condition defined by what it causes (round 10).
        "Gastritis is a condition that causes nausea and stomach pain.",
    ],
)
def test_the_condition_treated_and_the_harm_of_something_else_do_not_warn(classifier, text):
    sentence = verdict(classifier, text)
    assert not sentence.safety, sentence.evidence
    assert sentence.evidence  # it says what it set aside


@pytest.mark.parametrize(
    "text",
    [
        # A name holding a cue word, a diet's fit, a sales line, a condition common in pregnancy.
        "A sexual health clinic can test you for free.",
        "Emergency contraception does not stop your next period.",
        "This blend is not suitable for vegans.",
        "Book a free consultation with our team.",
        "Spotting is common in pregnancy.",
    ],
)
def test_a_name_or_a_sales_line_holding_a_cue_word_does_not_warn(classifier, text):
    sentence = verdict(classifier, text)
    assert not sentence.safety, sentence.evidence
    assert any(e.startswith("not about the product: ") for e in sentence.evidence)


def test_the_product_itself_is_no_interaction(classifier):
    title = "SSRI Antidepressants: How They Work"
    assert not verdict(classifier, "Most people take an SSRI for several weeks.", title).safety
    sentence = verdict(classifier, "Do not take SSRIs with St John's wort.", title)
    assert sentence.safety and "interactions" in sentence.categories


@pytest.mark.parametrize(
    "text",
    ["Is it habit-forming?", "Can I drink alcohol while I take it?", "Is it safe for babies?"],
)
def test_a_question_is_not_a_warning_its_answer_is(classifier, text):
    assert not verdict(classifier, text).safety
    answer = verdict(classifier, "No: do not drink alcohol while you take it.")
    assert answer.safety and "interactions" in answer.categories, answer.evidence


def test_a_preview_of_the_article_is_not_a_warning(classifier):
    assert not verdict(
        classifier, "In this article we will discuss side effects and safe dosage."
    ).safety
    # The first line of a forum thread or a leaflet says what it is about (round 6).
    assert not verdict(classifier, "A forum thread about coming off sertraline.").safety
    assert not verdict(classifier, "Patient information on using the cream for itchy skin.").safety


@pytest.mark.parametrize(
    "text",
    [
        "This article is for information only and is not a substitute for medical advice.",
        "Please note that this guide does not replace advice from a qualified professional.",
        "This post is for informational purposes only.",
    ],
)
def test_a_disclaimer_is_advice_not_a_preview(classifier, text):
    sentence = verdict(classifier, text)
    assert sentence.safety and sentence.severity == "advice", sentence.evidence
    assert "medical-supervision" in sentence.categories


def test_a_health_app_and_a_medicine_s_version_keep_their_medical_sense(classifier):
    for text in (
        "If you are unsure whether the sleep app is suitable for you, ask your GP.",
        "Do not take the over-the-counter version for more than 14 days without asking a doctor.",
    ):
        assert verdict(classifier, text).safety, text


def test_an_article_that_is_not_about_health_has_no_warnings(tmp_path):
    (tmp_path / "release.md").write_text(
        "---\ntitle: Release notes 4.2\n---\n\n## What changed\n\nThe update has side effects: "
        "some settings reset. Do not install it on a shared server without a backup. Check with "
        "your administrator before starting the upgrade. The recommended dosage of coffee for the "
        "release team is high.\n",
        encoding="utf-8",
    )
    article = Library.load(tmp_path).articles[0]
    assert not any(s.safety for s in article.sections)
    sentences = [s for p in article.paragraphs() for s in p.sentences]
    assert sentences and not any(s.safety for s in sentences)


# --- 4. severity: boilerplate advice against specific warnings --------------------------------


def test_boilerplate_advice_weighs_as_advice_and_a_named_risk_as_a_warning(classifier):
    advice = verdict(classifier, "Check with your doctor before starting any supplement.")
    assert (
        advice.safety
        and advice.severity == "advice"
        and advice.categories == ("medical-supervision",)
    )
    warning = verdict(classifier, "Do not combine it with antidepressants.")
    assert warning.safety and warning.severity == "warning" and "interactions" in warning.categories
    mild = verdict(classifier, "Some people get mild nausea or a headache.")
    assert mild.safety and mild.severity == "caution"
    both = verdict(classifier, "Ask your doctor first if you take blood thinners.")
    assert both.severity == "warning" and {"interactions", "medical-supervision"} <= set(
        both.categories
    )


# --- the phrase syntax of safety.toml -----------------------------------------------------------


@pytest.fixture(scope="module")
def stem() -> Stemmer:
    return Stemmer()


def _matches(stem, phrase: str, text: str) -> bool:
    return bool(PhraseMatcher([compile_phrase(phrase, stem)]).find(tokenize(text, stem)))


def test_phrases_match_stems_prefixes_alternatives_numbers_and_gaps(stem):
    assert _matches(stem, "poison", "accidental poisoning")
    assert _matches(stem, "pregnan*", "pregnant women")
    assert _matches(stem, "ask|tell ... doctor|gp", "tell your own GP")
    assert _matches(stem, "up to # times", "up to three times a day")
    assert _matches(stem, "up to # times", "up to 3 times a day")
    assert not _matches(
        stem, "ask ... doctor", "ask questions, and a doctor answers"
    )  # no gap across a comma
    assert _matches(stem, "=timing", "the timing matters") and not _matches(
        stem, "=timing", "over time"
    )
    assert _matches(stem, "do not take", "Don't take it") and _matches(
        stem, "can not", "you cannot"
    )
    assert _matches(stem, "habit forming", "habit-forming")


@pytest.mark.parametrize(
    "phrase, text",
    [
        # Several words written as one alternative: the phrase needs "check" before "up|checkup".
        ("book ... check up|checkup", "book a checkup"),
        ("call 999|call an ambulance", "call an ambulance"),
        # A hyphen splits an alternation into places: "flare", "up|flare", "ups".
        ("flare-up|flare-ups", "a flare-up"),
        # An alternative read as two words ("can not"), an exact word read otherwise ("it").
        ("cannot|never swallow", "you cannot swallow it"),
        ("=it's unsafe", "it's unsafe"),
        ("stick to # |one", "stick to one"),
    ],
)
def test_a_phrase_that_cannot_match_as_written_is_reported_when_the_rules_load(
    stem, caplog, phrase, text
):
    assert phrase_problem(phrase, stem)
    assert not _matches(stem, phrase, text)  # what the writer meant is not found
    rules = {"category": {"dosage": {"cues": ["no more than", phrase]}}}
    with caplog.at_level("WARNING", logger="viewer.core.safety"):
        classifier = SafetyClassifier(rules, "my-safety.toml")
    assert len(classifier.problems) == 1 and phrase in classifier.problems[0]
    assert "my-safety.toml" in caplog.text and phrase in caplog.text
    assert classifier.classify_sentence("Take no more than 4 a day.").safety  # the rest loads


@pytest.mark.parametrize(
    "phrase",
    [
        "do|should not take|use",
        "is|are|was|were rare",
        "a&e",
        "st john's wort",
        "=timing",
        "=don't",
    ],
)
def test_well_formed_phrases_report_no_problem(stem, phrase):
    assert phrase_problem(phrase, stem) == ""


def test_every_phrase_of_the_bundled_rules_can_match_as_written():
    assert SafetyClassifier.load(use_model=False).problems == []


_PLAIN_PROSE = (
    "The bottle is small enough to carry in a coat pocket or a handbag. Most people keep one at "
    "home and one at work, and the label lists the date it was opened. "
) * 14


def _long_article(tmp_path, name: str, title: str, body: str) -> list:
    (tmp_path / name).write_text(
        f"---\ntitle: {title}\n---\n\n## About\n\n{_PLAIN_PROSE}\n\n## Using it\n\n{body}\n",
        encoding="utf-8",
    )
    article = Library.load(tmp_path).articles[0]
    return [s for p in article.paragraphs() for s in p.sentences]


def test_a_long_leaflet_with_thinly_spread_health_words_still_warns(tmp_path):
    # A leaflet on eye drops or hearing aids names many health words, each once or twice, over
    # plenty of plain prose: their share is small, their variety is not.
    sentences = _long_article(
        tmp_path,
        "drops.md",
        "Lubricating eye drops",
        "Ask a pharmacist which drops suit you, and tell your GP about any other medicine you "
        "use. Symptoms of an allergy or an infection need a check. Stop using the drops and see "
        "a doctor at once if the pain gets worse.",
    )
    assert any(s.safety for s in sentences)


def test_one_health_word_repeated_in_another_sense_does_not_make_a_health_article(tmp_path):
    # Scots law's "prescription" of a debt: one health word repeated, against the vocabulary
    # of the law (court, creditor, sheriff, solicitor, statute), which wins.
    sentences = _long_article(
        tmp_path,
        "debts.md",
        "Prescription of debts",
        "Under Scots law, prescription ends a debt after five years. The prescription period "
        "restarts when you pay or when the creditor raises a court action. Do not sign anything "
        "that restarts prescription before you ask a solicitor. Prescription of a debt is a "
        "defence the sheriff will hear, and the statute says it cannot be waived in advance.",
    )
    assert sentences and not any(s.safety for s in sentences)


# --- round 14 kinds (holdout15's misses and false alarms; resources/safety.toml "round 14") ---
# Each kind: sentences that must come out as labelled, and a near miss the rule must not take.


@pytest.mark.parametrize(
    "text",
    [
        # A condition defined by the kind of condition it is, or named at the sentence's start.
        "Rosacea is a type of inflammation that causes flushing and redness of the face.",
        "Eczema is a type of dermatitis that causes dry, itchy patches.",
        "Low iron can make you feel tired and dizzy.",
        "Gout attacks often start at night.",
        # A comparison that spares the reader a harm.
        "It is less likely to cause drowsiness than older tablets.",
        # A forum post's attribution line, whose poster's name holds cue words.
        "sore_throat_mum wrote:",
    ],
)
def test_round_14_descriptions_comparisons_and_forum_names_do_not_warn(classifier, text):
    sentence = verdict(classifier, text)
    assert not sentence.safety, sentence.evidence
    assert sentence.evidence  # it says what it set aside


@pytest.mark.parametrize(
    "text, category",
    [
        # The near misses of the kinds above: a product's own kind, a harm reported with it, a
        # comparison that still names the harm, a poster's warning without "wrote".
        ("It is a type of medicine that causes drowsiness.", "side-effects"),
        ("Heart attacks have been reported with high doses.", "side-effects"),
        ("It can make you sleepy, though less than older tablets.", "side-effects"),
        ("sore_throat_mum: never give aspirin to a child under 16.", "interactions"),
    ],
)
def test_round_14_near_misses_still_warn(classifier, text, category):
    sentence = verdict(classifier, text)
    assert sentence.safety, sentence.evidence
    assert category in sentence.categories, sentence.evidence


# --- round 17 kinds (holdout17's and the CV misses; resources/safety.toml "round 17") ----------
# Read by the rules alone, so that each asserts the rule itself; sentences of no labelled split.


@pytest.fixture(scope="module")
def rules_alone() -> SafetyClassifier:
    return SafetyClassifier.load(use_model=False)


@pytest.mark.parametrize(
    "text, category",
    [
        # A prohibition is not undone by an earlier negation, nor a limit worded with "never".
        ("No, don't crush the tablets.", "dosage"),
        ("It is not a toy and should never be given to a child to play with.", "dosage"),
        ("Use two sprays a day but never more than the leaflet says.", "dosage"),
        ("My nurse said never to stop the injections without a plan.", "dosage"),
        ("Never heat the pack in a microwave.", "dosage"),
        # A warning sign worded with "without" is no reassurance; natural is no proof of safety.
        ("A stroke can come on without warning.", "side-effects"),
        ("Plant-based does not mean harmless.", "side-effects"),
        # A review booked, care needed quickly, a professional by another name.
        ("Book a medication review with your pharmacist before you travel.", "medical-supervision"),
        ("A burn on a baby needs treatment straight away.", "medical-supervision"),
        ("Ask your physiotherapist before you start running again.", "medical-supervision"),
        # Flare-ups, dosing limits and timing, children's reach.
        ("Hot drinks can flare the rash up.", "side-effects"),
        ("Use the drops for 7 days only.", "dosage"),
        ("Keep the bottle up high, where a toddler cannot get it.", "interactions"),
    ],
)
def test_round_17_kinds_warn(rules_alone, text, category):
    sentence = rules_alone.classify_sentence(text)
    assert sentence.safety, sentence.evidence
    assert category in sentence.categories, sentence.evidence


@pytest.mark.parametrize(
    "text",
    [
        # The near misses each round 17 rule was narrowed by: a reassurance's own hedge, a
        # booking alone, a non-medical stem, a preview's noun, a clot explained, background use.
        "Running is not for everyone, but most people can start with a walk.",
        "Book an appointment online at any of our clinics.",
        "Take the cost into account when you choose a brand.",
        "A bottle warmer has a fitted cover.",
        "A clot is a clump of blood cells.",
        "When someone stops using alcohol after years, the body has to adjust.",
    ],
)
def test_round_17_near_misses_do_not_warn(rules_alone, text):
    sentence = rules_alone.classify_sentence(text)
    assert not sentence.safety, sentence.evidence
