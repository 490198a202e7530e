"""Anchoring highlights by quote: they find their place again after the article changes, and
the ones that cannot be placed are reported as orphans, never dropped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.annotations.anchoring import anchor, anchor_all, article_text, make_quote

TEXT = (
    "Kratom is a tree native to Southeast Asia. Its leaves contain alkaloids.\n"
    "Side effects include nausea, constipation and, at high doses, sedation.\n"
    "Dependence can develop with daily use. Speak to a doctor before stopping opioids.\n"
    "Side effects include nausea, constipation and, at high doses, sedation.\n"
    "The end."
)


def _quote_of(text: str, phrase: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return make_quote(text, start, start + len(phrase))


def test_unchanged_text_anchors_at_the_same_place():
    quote = _quote_of(TEXT, "Dependence can develop with daily use.")
    found = anchor(TEXT, quote)
    assert (found.start, found.end, found.exact) == (quote.start, quote.end, True)


def test_selection_edges_are_trimmed_of_spaces():
    start = TEXT.index(" Its leaves")
    quote = make_quote(TEXT, start, start + len(" Its leaves "))
    assert quote.exact == "Its leaves"
    assert quote.prefix.endswith("Asia. ") and quote.suffix.startswith(" contain")


def test_a_paragraph_inserted_before_moves_the_highlight_with_its_text():
    quote = _quote_of(TEXT, "Speak to a doctor before stopping opioids.")
    edited = "A new opening paragraph, written later, that pushes everything down.\n" + TEXT
    found = anchor(edited, quote)
    assert edited[found.start : found.end] == quote.exact and found.exact
    assert found.start == quote.start + len(
        "A new opening paragraph, written later, that pushes everything down.\n"
    )


def test_a_repeated_phrase_keeps_the_copy_that_was_highlighted():
    second = _quote_of(TEXT, "at high doses", occurrence=1)
    edited = "Inserted line.\n" + TEXT
    found = anchor(edited, second)
    assert found.start == edited.index("at high doses", edited.index("at high doses") + 1)


def test_a_word_changed_inside_re_anchors_fuzzily():
    quote = _quote_of(
        TEXT, "Dependence can develop with daily use. Speak to a doctor before stopping opioids."
    )
    edited = TEXT.replace("daily use", "regular use")
    found = anchor(edited, quote)
    assert found is not None and not found.exact
    assert edited[found.start : found.end].startswith("Dependence can develop with regular use.")
    assert edited[found.start : found.end].endswith("stopping opioids.")


def test_a_short_quote_with_a_word_added_re_anchors_by_its_context():
    quote = _quote_of(TEXT, "leaves contain alkaloids")
    edited = TEXT.replace("leaves contain alkaloids", "leaves contain many alkaloids")
    found = anchor(edited, quote)
    assert found is not None and not found.exact
    assert edited[found.start : found.end] == "leaves contain many alkaloids"


def test_a_passage_that_was_removed_is_orphaned_not_dropped():
    quotes = {
        "kept": _quote_of(TEXT, "Its leaves contain alkaloids."),
        "gone": _quote_of(TEXT, "Dependence can develop with daily use."),
    }
    edited = TEXT.replace("Dependence can develop with daily use. ", "")
    placed, orphans = anchor_all(edited, quotes)
    assert list(placed) == ["kept"] and orphans == ["gone"]


def test_a_rewritten_passage_is_orphaned():
    quote = _quote_of(TEXT, "Dependence can develop with daily use.")
    edited = TEXT.replace(
        "Dependence can develop with daily use.", "Habits may form if taken every day."
    )
    assert anchor(edited, quote) is None


def test_article_text_holds_every_heading_and_paragraph(library):
    article = library.get("kratom-opioid-withdrawal")
    text = article_text(article)
    for section in article.sections:
        assert section.heading in text
        for paragraph in section.paragraphs:
            assert paragraph.plain in text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abc de\n", min_size=1, max_size=300), st.data())
def test_any_selection_of_unchanged_text_anchors_to_the_same_words(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = make_quote(text, start, end)
    found = anchor(text, quote)
    if not quote.exact:
        assert found is None
    else:
        assert text[found.start : found.end] == quote.exact


def test_a_long_passage_rewritten_between_the_same_neighbours_is_orphaned():
    passage = "Side effects include nausea, constipation and, at high doses, sedation."
    text = (
        "Kratom is a tree native to Southeast Asia.\n"
        + passage
        + "\nThe end of the article is here."
    )
    quote = _quote_of(text, passage)
    edited = text.replace(
        passage, "Users report feeling sick, being blocked up and, with large amounts, drowsy."
    )
    assert anchor(edited, quote) is None
