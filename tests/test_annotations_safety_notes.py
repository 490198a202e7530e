"""Which notes are on which safety sentence: a note is on a sentence when its highlight's
anchored range overlaps the sentence's; an orphaned or plain highlight is on none."""

from __future__ import annotations

from viewer.core.annotations.anchoring import article_text, make_quote
from viewer.core.annotations.model import Annotation, Quote
from viewer.core.annotations.safety_notes import notes_by_sentence, paragraph_offsets

ARTICLE = "kratom-opioid-withdrawal"
SECTION = "potential-benefits-and-side-effects-of-using-kratom-for"
SENTENCE = "Common issues include mild gastrointestinal discomfort, nausea, and dry mouth."


def note_on(article, phrase: str, note: str) -> Annotation:
    text = article_text(article)
    at = text.index(phrase)
    return Annotation(article.id, make_quote(text, at, at + len(phrase)), note=note).with_note(note)


def test_the_offsets_walk_the_same_text_the_highlights_are_placed_in(library):
    article = library.get(ARTICLE)
    text, offsets = paragraph_offsets(article)
    assert text == article_text(article)
    for _anchor, _index, offset, paragraph in offsets:
        assert text[offset : offset + len(paragraph.plain)] == paragraph.plain


def test_a_note_on_part_of_a_warning_sentence_is_on_that_sentence_only(library):
    article = library.get(ARTICLE)
    note = note_on(article, "mild gastrointestinal discomfort", "Ask about ginger")
    found = notes_by_sentence(article, [note])
    assert list(found) == [(SECTION, 1, 61)]
    paragraph = article.section(SECTION).paragraphs[1]
    assert paragraph.plain[61:].startswith(SENTENCE)
    assert found[(SECTION, 1, 61)] == [note]


def test_a_note_across_two_sentences_is_on_both_and_a_plain_highlight_on_none(library):
    article = library.get(ARTICLE)
    across = note_on(article, "dry mouth. In some cases", "two at once")
    plain = Annotation(ARTICLE, note_on(article, "nausea", "x").quote)  # no note
    found = notes_by_sentence(article, [across, plain])
    assert sorted(found) == [(SECTION, 1, 61), (SECTION, 1, 140)]


def test_a_note_outside_any_warning_or_orphaned_is_on_no_sentence(library):
    article = library.get(ARTICLE)
    outside = note_on(article, "Southeast Asian plant", "botany")
    orphan = Annotation(
        ARTICLE, Quote("words that are nowhere in this article at all, not even close"), note="lost"
    ).with_note("lost")
    elsewhere = Annotation("another-article", outside.quote, note="other").with_note("other")
    assert notes_by_sentence(article, [outside, orphan, elsewhere]) == {}
