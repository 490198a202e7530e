"""Search relevance on the bundled corpus: the section a reader means comes first.

One index is built for the module (the corpus is read-only here); each test asks a question a
reader would and checks the first hit, or what all hits have in common.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import BUNDLED_CORPUS
from viewer.core.library import Library
from viewer.search import SearchIndex

WITHDRAWAL_ARTICLES = {
    "kratom-opioid-withdrawal",
    "kratom-chronic-pain-dosage",
    "kratom-withdrawal-hair-loss",
    "kratom-detox-hyperpigmentation",
    "kratom-dopamine-withdrawal",
}
MISSPELT_HEADINGS = {
    ("kratom-opioid-withdrawal", "potential-benefits-and-side-effects-of-using-kratom-for"),
    ("kratom-dopamine-withdrawal", "safe-use-and-considerations-for-kratom-in-withdrawl"),
}


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load(BUNDLED_CORPUS)


@pytest.fixture(scope="module")
def index(library, tmp_path_factory) -> SearchIndex:
    index = SearchIndex.for_library(library, tmp_path_factory.mktemp("relevance-cache"))
    index.ensure_current()
    yield index
    index.close()


def first(index: SearchIndex, query: str, **options) -> tuple[str, str]:
    result = index.search(query, **options)
    assert result.hits, f"no hits for {query!r}"
    return result.hits[0].article, result.hits[0].anchor


@pytest.mark.parametrize(
    "query, article, anchor",
    [
        # single distinctive words
        (
            "hyperpigmentation",
            "kratom-detox-hyperpigmentation",
            "exploring-the-science-behind-kratom-and-its-impact-on",
        ),
        (
            "dopamine",
            "kratom-dopamine-withdrawal",
            "does-kratom-increase-dopamine-exploring-the-science",
        ),
        (
            "dosage",
            "kratom-chronic-pain-dosage",
            "navigating-safe-and-effective-dosage-of-kratom-for-chronic",
        ),
        (
            "mechanisms",
            "kratom-withdrawal-hair-loss",
            "mechanisms-behind-kratoms-efficacy-in-withdrawal",
        ),
        (
            "euphoria",
            "kratom-dopamine-withdrawal",
            "does-kratom-increase-dopamine-exploring-the-science",
        ),
        (
            "follicles",
            "kratom-withdrawal-hair-loss",
            "mechanisms-behind-kratoms-efficacy-in-withdrawal",
        ),
        (
            "heroin",
            "kratom-dopamine-withdrawal",
            "understanding-opioid-withdrawal-and-kratoms-role",
        ),
        (
            "grams",
            "kratom-chronic-pain-dosage",
            "navigating-safe-and-effective-dosage-of-kratom-for-chronic",
        ),
        (
            "precautions",
            "kratom-detox-hyperpigmentation",
            "safe-kratom-use-for-opioid-detox-dosage-sources-and",
        ),
        (
            "Efficacy",
            "kratom-withdrawal-hair-loss",
            "mechanisms-behind-kratoms-efficacy-in-withdrawal",
        ),
        # several words
        (
            "hair loss",
            "kratom-withdrawal-hair-loss",
            "managing-opioid-withdrawal-with-kratom-potential-risks-and",
        ),
        (
            "side effects",
            "kratom-opioid-withdrawal",
            "potential-benefits-and-side-effects-of-using-kratom-for",
        ),
        (
            "increase dopamine",
            "kratom-dopamine-withdrawal",
            "does-kratom-increase-dopamine-exploring-the-science",
        ),
        (
            "natural alternative",
            "kratom-withdrawal-hair-loss",
            "understanding-kratom-a-natural-alternative",
        ),
        (
            "heart disease",
            "kratom-opioid-withdrawal",
            "safe-and-effective-use-of-kratom-for-opioid-withdrawal",
        ),
        (
            "skin discoloration",
            "kratom-detox-hyperpigmentation",
            "exploring-the-science-behind-kratom-and-its-impact-on",
        ),
        (
            "third-party lab testing",
            "kratom-detox-hyperpigmentation",
            "safe-kratom-use-for-opioid-detox-dosage-sources-and",
        ),
        # phrases
        (
            '"reward system"',
            "kratom-dopamine-withdrawal",
            "understanding-opioid-withdrawal-and-kratoms-role",
        ),
        (
            '"dry mouth"',
            "kratom-opioid-withdrawal",
            "potential-benefits-and-side-effects-of-using-kratom-for",
        ),
        (
            '"chronic pain"',
            "kratom-chronic-pain-dosage",
            "navigating-safe-and-effective-dosage-of-kratom-for-chronic",
        ),
        # fields
        (
            "section:dopamine",
            "kratom-dopamine-withdrawal",
            "does-kratom-increase-dopamine-exploring-the-science",
        ),
        (
            "topic:hyperpigmentation",
            "kratom-detox-hyperpigmentation",
            "exploring-the-science-behind-kratom-and-its-impact-on",
        ),
        (
            "title:dosage",
            "kratom-chronic-pain-dosage",
            "navigating-safe-and-effective-dosage-of-kratom-for-chronic",
        ),
        (
            "title: hair",
            "kratom-withdrawal-hair-loss",
            "managing-opioid-withdrawal-with-kratom-potential-risks-and",
        ),
    ],
)
def test_the_section_about_it_comes_first(index, query, article, anchor):
    assert first(index, query) == (article, anchor)


def test_stems_find_other_forms_of_a_word(index, library):
    # "dosing" is in one section; "dose", "doses" and "dosage" are in others, and all match:
    # a reader searching "dosing" wants the sections about dosage first.
    result = index.search("dosing", limit=50)
    words = {w for hit in result.hits for w in hit.terms}
    assert {"dosing", "doses", "dose", "dosage"} <= words
    assert result.total >= 3
    assert (result.hits[0].article, result.hits[0].anchor) == (
        "kratom-chronic-pain-dosage",
        "navigating-safe-and-effective-dosage-of-kratom-for-chronic",
    )
    # Every hit really contains one of the forms.
    for hit in result.hits:
        text = library.get(hit.article).section(hit.anchor).plain_text.lower()
        assert re.search(r"\bdos(e|es|ing|ed|age|ages)\b", text)


def test_accents_and_case_do_not_matter(index):
    assert first(index, "DOPAMINE") == first(index, "dopamine")
    assert first(index, "hyperpigmentatión") == first(index, "hyperpigmentation")


def test_withdrawal_finds_the_sections_headed_withdrawl(index):
    result = index.search("withdrawal", limit=100)
    found = {(hit.article, hit.anchor) for hit in result.hits}
    assert MISSPELT_HEADINGS <= found


def test_withdrawl_finds_every_article_about_withdrawal(index):
    result = index.search("withdrawl", limit=100)
    assert result.corrected is None  # the word is in the collection: no correction, a wider match
    assert {hit.article for hit in result.hits} == WITHDRAWAL_ARTICLES
    # The sections that spell it that way come first: they match the word as typed.
    assert {(h.article, h.anchor) for h in result.hits[:2]} == MISSPELT_HEADINGS


@pytest.mark.parametrize(
    "typo, corrected, article, anchor",
    [
        ("kratim", "kratom", None, None),
        (
            "hyperpigmentaton",
            "hyperpigmentation",
            "kratom-detox-hyperpigmentation",
            "exploring-the-science-behind-kratom-and-its-impact-on",
        ),
        (
            "dopamne",
            "dopamine",
            "kratom-dopamine-withdrawal",
            "does-kratom-increase-dopamine-exploring-the-science",
        ),
        (
            "follicels",
            "follicles",
            "kratom-withdrawal-hair-loss",
            "mechanisms-behind-kratoms-efficacy-in-withdrawal",
        ),
    ],
)
def test_typos_are_corrected(index, typo, corrected, article, anchor):
    result = index.search(typo)
    assert result.corrected == corrected
    assert result.hits and result.total > 0
    if article:
        assert (result.hits[0].article, result.hits[0].anchor) == (article, anchor)


def test_a_correction_keeps_the_rest_of_the_query(index):
    result = index.search("kratim dehydration")
    assert result.corrected == "kratom dehydration"
    both = [hit for hit in result.hits if {"kratom", "dehydration"} <= set(hit.terms)]
    assert both and {hit.article for hit in both} == {"kratom-withdrawal-hair-loss"}
    # sections with both words first, then sections with one of them
    assert result.hits[: len(both)] == both


def test_words_that_all_match_nothing_fall_back_to_any_of_them(index):
    result = index.search("euphoria dehydration")  # never in one section
    assert result.corrected is None
    assert {hit.article for hit in result.hits} == {
        "kratom-dopamine-withdrawal",
        "kratom-withdrawal-hair-loss",
    }


def test_nothing_found_either_way_is_no_hits_not_an_error(index):
    result = index.search("xylophone zqwvx")
    assert result.total == 0 and result.hits == [] and result.corrected is None


def test_or_finds_either_word(index):
    result = index.search("euphoria OR dehydration", limit=50)
    assert {hit.article for hit in result.hits} == {
        "kratom-dopamine-withdrawal",
        "kratom-withdrawal-hair-loss",
    }


@pytest.mark.parametrize("query", ["dopamine NOT serotonin", "dopamine -serotonin"])
def test_not_and_minus_exclude_a_word(index, library, query):
    result = index.search(query, limit=50)
    assert result.hits
    for hit in result.hits:
        text = library.get(hit.article).section(hit.anchor).plain_text.lower()
        assert "dopamine" in text and "serotonin" not in text
    assert result.total < index.search("dopamine", limit=50).total


def test_title_field_limits_hits_to_that_article(index):
    result = index.search('title:"chronic pain"', limit=50)
    assert result.total == 6
    assert {hit.article for hit in result.hits} == {"kratom-chronic-pain-dosage"}


def test_last_word_completes_while_typing(index):
    assert first(index, "hyperpigm", prefix_last_word=True)[0] == "kratom-detox-hyperpigmentation"
    assert first(index, "kratom folli", prefix_last_word=True) == (
        "kratom-withdrawal-hair-loss",
        "mechanisms-behind-kratoms-efficacy-in-withdrawal",
    )
    # Typing past the stem still matches ("medica" -> medication, medical).
    assert index.search("medica", prefix_last_word=True).total > 0
    # A finished word (followed by a space) is not completed.
    assert (
        index.search("dopa ", prefix_last_word=True).total == 0
        or index.search("dopa ", prefix_last_word=True).corrected is not None
    )


def test_a_word_the_collection_lacks_is_not_called_no_words_while_typing(index):
    # The panel searches with the last word as a prefix; when no word starts with it, the
    # query still has a word: no results (or a correction), never "no words to search for".
    from viewer.search.engine import NOTHING_TO_SEARCH

    for typed in ("dizziness", "kratom dizziness"):
        result = index.search(typed, prefix_last_word=True)
        assert NOTHING_TO_SEARCH not in result.notes, typed
        assert result.total == index.search(typed).total
    typo = index.search("insomnai", prefix_last_word=True)
    assert typo.corrected and typo.total > 0
    assert NOTHING_TO_SEARCH in index.search("?!", prefix_last_word=True).notes


def test_search_within_one_article(index):
    result = index.search("withdrawal", article_id="kratom-withdrawal-hair-loss", limit=50)
    assert result.total == 6
    assert {hit.article for hit in result.hits} == {"kratom-withdrawal-hair-loss"}


def test_safety_only_returns_safety_sections(index, library):
    everything = index.search("kratom", limit=100)
    safety = index.search("kratom", limit=100, safety_only=True)
    expected = sum(1 for a in library.articles for s in a.sections if s.safety)
    assert safety.total == expected
    assert all(hit.safety for hit in safety.hits)
    assert safety.total <= everything.total


def test_hits_carry_what_the_reader_shows(index, library):
    result = index.search("euphoria")
    hit = result.hits[0]
    section = library.get(hit.article).section(hit.anchor)
    assert hit.title == library.get(hit.article).title
    assert hit.section == section.heading and hit.kind == section.kind
    assert hit.safety == section.safety and hit.score > 0
    assert "<b>euphoria</b>" in hit.snippet
    assert hit.terms == ["euphoria"]
    assert 20 <= len(re.sub(r"<[^>]+>", "", hit.snippet).split()) <= 35


def test_result_json_has_the_documented_shape(index):
    data = index.search("kratim", limit=2).to_json()
    assert {"query", "corrected", "total", "hits"} <= set(data)
    assert data["query"] == "kratim" and data["corrected"] == "kratom"
    for hit in data["hits"]:
        assert {
            "article",
            "title",
            "section",
            "anchor",
            "kind",
            "score",
            "snippet",
            "safety",
        } <= set(hit)
        assert isinstance(hit["safety"], bool) and isinstance(hit["score"], float)
