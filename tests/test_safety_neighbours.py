"""What the rules find next to a sentence weighs in (viewer/core/safety_sentences.py).

Warnings come in runs: the signs listed under "Get help at once if:" name no cue of their own.
Tested with small hand-made models, so that each test says exactly what the neighbours add."""

from __future__ import annotations

import pytest

from tests.test_safety_model import toy
from viewer.core.md_loader import parse_markdown
from viewer.core.model import Article, Sentence
from viewer.core.phrases import Stemmer
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety import SafetyClassifier
from viewer.core.safety_sentences import (
    AFTER,
    BEFORE,
    LEAD_WARNS,
    LISTED,
    SECTION,
    gather,
    is_list,
    neighbour_features,
)

LEAD_IN = "Stop taking it and call 111 straight away if you get:"
SIGNS = ["Your face looks puffy.", "Your skin peels in sheets."]  # no cue of their own
LEAFLET = f"""# Amoxicillin

## Taking it

It is an antibiotic. {LEAD_IN}

- {SIGNS[0]}
- {SIGNS[1]}

Most people have no problems.
"""


@pytest.fixture(scope="module")
def rules() -> dict:
    return load_toml(resource_path("safety.toml"))


def article(source: str) -> Article:
    _meta, sections, title = parse_markdown(source)
    return Article("a", title, "a.md", "md", sections)


def sentences(reading: Article) -> list[Sentence]:
    return [s for p in reading.paragraphs() for s in p.sentences]


@pytest.mark.parametrize(
    "source, listed",
    [
        ("- a rash", True),
        ("* a rash", True),
        ("1. Rinse the cup.", True),
        ("12. Rinse the cup.", True),
        ("Rinse the cup.", False),
        ("2 tablets a day.", False),
        ("-5 degrees is cold.", False),
    ],
)
def test_a_list_is_told_from_a_paragraph_by_its_marker(source, listed):
    assert is_list(source) is listed


def test_each_sentence_knows_its_section_and_the_lead_in_of_its_list():
    gathered = gather(article(LEAFLET), Stemmer())
    assert [g.sentence for g in gathered] == [
        "It is an antibiotic.",
        LEAD_IN,
        *SIGNS,
        "Most people have no problems.",
    ]
    assert [g.lead_in for g in gathered] == [-1, -1, 1, 1, -1]
    assert {g.section for g in gathered} == {0}


def test_neighbour_features_name_the_run_a_sentence_sits_in():
    warns = [False, True, False, False, True, False]
    sections = [0, 0, 0, 0, 0, 1]
    lead_ins = [-1, -1, 1, 1, -1, -1]
    features = neighbour_features(warns, sections, lead_ins)
    assert set(features[0]) == {SECTION, AFTER}  # two others of its section warn
    assert set(features[2]) == {SECTION, BEFORE, LEAD_WARNS}
    assert set(features[3]) == {SECTION, AFTER, LEAD_WARNS}
    assert set(features[4]) == set()  # only one other sentence of its section warns
    assert features[5] == ()  # the next section: these are not its neighbours
    assert neighbour_features([False, False], [0, 0], [-1, 0])[1] == (LISTED,)


def test_listed_signs_under_a_warning_lead_in_are_marked_when_the_model_weighs_it(rules):
    reading = article(LEAFLET)
    SafetyClassifier(rules, model=toy({})).annotate(reading)
    marked = {s.text for s in sentences(reading) if s.safety}
    assert LEAD_IN in marked and not marked & set(SIGNS)
    SafetyClassifier(rules, model=toy({LEAD_WARNS: 6.0})).annotate(reading)
    signs = [s for s in sentences(reading) if s.text in SIGNS]
    assert [s.safety for s in signs] == [True, True]
    assert all(s.evidence[0].startswith("model score") for s in signs)
    assert not [s for s in sentences(reading) if s.text == "Most people have no problems."][
        0
    ].safety


def test_training_reads_the_neighbours_as_classifying_does(rules):
    reading = article(LEAFLET)
    features = {p.plain[s:e]: f for p, s, e, f in SafetyClassifier(rules).features_of(reading)}
    assert LEAD_WARNS in features[SIGNS[0]] and LEAD_WARNS in features[SIGNS[1]]
    assert BEFORE in features[SIGNS[0]] and BEFORE not in features[SIGNS[1]]
    assert not set(features["Most people have no problems."]) & {LEAD_WARNS, LISTED, BEFORE}
