"""Odd and hostile input: malformed queries never raise, snippets never let article text through
as markup."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BUNDLED_CORPUS
from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.query import clean_query, with_prefix_on_last_word
from viewer.search.schema import SectionAnalyzer
from viewer.search.snippets import MAX_SCAN_WORDS, make_snippet

MALFORMED = [
    '"unbalanced quote',
    'unbalanced quote"',
    '"',
    '""',
    '"""',
    "(kratom",
    "kratom)",
    ")(",
    "((()))",
    "[",
    "]",
    "{",
    "}",
    "[kratom TO",
    "AND",
    "OR",
    "NOT",
    "AND OR NOT",
    "kratom AND",
    "OR kratom",
    "NOT NOT",
    "title:",
    "title: ",
    "topic:",
    "section:",
    "title:title:",
    "nosuchfield:kratom",
    "a:b:c",
    ":",
    "::",
    "*",
    "**",
    "kratom*",
    "*kratom",
    "?",
    "kratom?",
    "^",
    "kratom^",
    "kratom^x",
    "~",
    "kratom~",
    '"kratom withdrawal"~',
    '"kratom withdrawal"~x',
    "-",
    "--",
    "+",
    "-kratom",
    "+-kratom",
    "\\",
    "kratom\\",
    "\x00",
    "\x07kratom\x1b[31m",
    "kratom\u200b\u202ewithdrawal",
    "\ud800",
    "k" * 10_000,
    "kratom " * 2_000,
    "(" * 500 + "kratom",
    "title:(" * 200,
    "'",
    "'kratom",
    "ß",
    "İstanbul",
    "\u0301",
    "日本語",
    "🙂 kratom",
    "<script>alert(1)</script>",
    "&amp;",
    "% _",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    index = SearchIndex.for_library(
        Library.load(BUNDLED_CORPUS), tmp_path_factory.mktemp("query-cache")
    )
    index.ensure_current()
    yield index
    index.close()


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_give_hits_or_a_note_never_an_error(index, query):
    for prefix in (False, True):
        result = index.search(query, prefix_last_word=prefix)
        assert result.query == query
        assert result.total >= len(result.hits)
        assert result.hits or result.total == 0
        data = result.to_json()  # serialisable, shape intact
        assert isinstance(data["notes"], list)


def test_a_very_long_query_is_shortened_with_a_note(index):
    result = index.search("kratom " * 2_000)
    assert result.total > 0
    assert any("shortened" in note for note in result.notes)


def test_a_query_of_nothing_searchable_says_so(index):
    for query in ("AND", "the of and", "title:", "!!!"):
        result = index.search(query)
        assert result.total == 0 and result.notes


def test_a_lone_field_prefix_is_ignored_and_the_rest_searched(index):
    assert index.search("kratom title:").total == index.search("kratom").total


def test_hyphenated_words_are_words_not_exclusions(index):
    assert index.search("7-hydroxymitragynine").total > 0
    assert index.search("pain-relieving").total > 0


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("kratom withdrawl\"()[]{}:*?^~+-\\'ANDORNT title topic section \x00\n\t")
        ),
        max_size=60,
    )
)
def test_fuzzed_queries_never_raise(index, query):
    result = index.search(query, limit=3, prefix_last_word=True)
    assert result.total >= len(result.hits)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_any_unicode_query_never_raises(index, query):
    index.search(query, limit=2)


def test_clean_query_drops_control_characters_and_empty_fields():
    assert clean_query("\x00kratom\x1b title:").text == "kratom"
    assert clean_query("title:   dosage").text == "title:dosage"
    assert clean_query("kratom " * 1000).notes


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("kratom dop", "kratom dop*"),
        ("kratom ", "kratom "),
        ('"kratom dop', '"kratom dop'),
        ("kratom -dop", "kratom -dop"),
        ("title:kra", "title:kra*"),
        ("dopamine)", "dopamine)"),
        ("", ""),
    ],
)
def test_only_a_word_being_typed_is_completed(typed, expected):
    assert with_prefix_on_last_word(typed) == expected


# -- snippets ----------------------------------------------------------------------------------


def test_snippet_escapes_text_once_and_marks_matches():
    analyzer = SectionAnalyzer()
    text = 'Dosing <script>alert("x")</script> & more &amp; doses of R&D, said "Tom" O\'Neil.'
    snippet = make_snippet(text, {"dose"}, analyzer)
    assert "<script>" not in snippet.html and "&lt;script&gt;" in snippet.html
    assert (
        "&amp; more" in snippet.html and "&amp;amp;" in snippet.html
    )  # "&amp;" in the text stays text
    assert "<b>Dosing</b>" in snippet.html and "<b>doses</b>" in snippet.html
    # The only tags are our marks; unescaping them gives the text back.
    assert set(re.findall(r"<[^>]*>", snippet.html)) == {"<b>", "</b>"}
    assert html.unescape(re.sub(r"</?b>", "", snippet.html)) == " ".join(text.split())
    assert snippet.words == ["dosing", "doses"]


def test_snippet_is_about_thirty_words_around_the_best_match():
    analyzer = SectionAnalyzer()
    words = [f"filler{n}" for n in range(200)]
    words[120] = "euphoria"
    snippet = make_snippet(" ".join(words), {"euphoria"}, analyzer)
    shown = re.sub(r"</?b>", "", snippet.html).split()
    assert shown[0] == "\u2026" and shown[-1] == "\u2026"
    assert 28 <= len(shown) - 2 <= 32
    assert "<b>euphoria</b>" in snippet.html
    assert shown.index("euphoria") < 10  # some context before the match, most of it after


def test_snippet_without_a_match_in_the_text_starts_at_the_beginning():
    snippet = make_snippet("First words of the section. " * 20, {"absent"}, SectionAnalyzer())
    assert snippet.html.startswith("First words") and "<b>" not in snippet.html


def test_article_markup_in_a_real_index_comes_out_escaped(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    # A plain-text article keeps its text literally: markup in it is text to show, not to run.
    (corpus / "plain-markup.txt").write_text(
        "Summary of R&D on <b>zanzibar</b> tokens.\n"
        "An intro about the zanzibar question & its answers.\n"
        "- First Heading Here\n- Second Heading Here\n"
        "First Heading Here\n"
        "Kratom <script>alert('x')</script> & <img src=x onerror=alert(1)> zanzibar tokens.\n"
        "Second Heading Here\nNothing much.\nMore text.\n"
        "The conclusion.\n",
        encoding="utf-8",
    )
    # Markdown drops raw HTML from its readable text; what remains is escaped the same way.
    (corpus / "md-markup.md").write_text(
        "---\ntitle: Markup & Mischief\n---\n\n## Tags <b>inside</b>\n\n"
        "Kratom <script>alert('x')</script> & <img src=x onerror=alert(1)> quagga tokens.\n",
        encoding="utf-8",
    )
    index = SearchIndex.for_library(Library.load(corpus), tmp_path / "cache")
    index.ensure_current()
    hits = {hit.anchor: hit for hit in index.search("zanzibar", limit=10).hits}
    hit = hits["first-heading-here"]
    assert hit.article == "plain-markup"
    assert "<script>" not in hit.snippet and "<img" not in hit.snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;img" in hit.snippet
    assert set(re.findall(r"<[^>]*>", hit.snippet)) == {"<b>", "</b>"}
    summary = hits["summary"].snippet
    assert (
        "R&amp;D on &lt;b&gt;<b>zanzibar</b>&lt;/b&gt;" in summary
    )  # their <b> is text, ours marks
    md_hit = index.search("quagga").hits[0]
    assert md_hit.title == "Markup & Mischief" and md_hit.article == "md-markup"
    assert (
        set(re.findall(r"<[^>]*>", md_hit.snippet)) == {"<b>", "</b>"} and "&amp;" in md_hit.snippet
    )
    index.close()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("NOT kratom", True),
        ("-kratom -dose", True),
        ("kratom NOT dose", False),
        ("kratom -dose", False),
        ("NOT", False),
        ("third-party", False),
    ],
)
def test_a_query_of_only_exclusions_is_recognised(query, expected):
    from viewer.search.query import only_exclusions

    assert only_exclusions(query) is expected


def test_snippet_work_is_linear_in_matches_and_bounded():
    # A section repeating one word used to cost time quadratic in its matches (63 s for 3.9 MB).
    analyzer = SectionAnalyzer()
    for repeats in (1_000, 4_000, 16_000):
        snippet = make_snippet("kratom " * repeats, {"kratom"}, analyzer)
        assert 0 < snippet.steps <= 2 * repeats
        assert snippet.html.startswith("<b>kratom</b> <b>kratom</b>")
    huge = make_snippet("kratom " * 400_000, {"kratom"}, analyzer)
    assert huge.steps <= 2 * MAX_SCAN_WORDS  # beyond the scan bound, no more work


def test_snippet_spans_flag_what_matched():
    snippet = make_snippet(
        "Kratom may cause side effects; the side road.",
        {"kratom"},
        SectionAnalyzer(),
        phrases=[("side", "effect")],
    )
    assert snippet.spans == [
        ("Kratom", True),
        (" may cause ", False),
        ("side effects", True),
        ("; the side road.", False),
    ]
    assert snippet.words == ["side effects", "kratom"]


def test_a_phrase_query_marks_the_phrase_not_its_words(index):
    result = index.search('"side effects"')
    assert result.hits
    for hit in result.hits:
        marked = [text.lower() for text, matched in hit.spans if matched]
        assert marked and all(
            " ".join(m.split()) in ("side effects", "side effect") for m in marked
        )
        assert hit.terms and all(t.startswith("side effect") for t in hit.terms)
