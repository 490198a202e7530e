"""Phrase matching over posting lists (viewer/search/phrases.py): the sections it finds, and the
weights it hands back for them, are those a section-by-section check finds, for any mix of words
occurring once or many times, repeated words, and exact or sloppy phrases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.search.phrases import in_sequence, matching
from viewer.search.schema import SectionPositions

FORMAT = SectionPositions()

# Per section (a docnum), per word of the phrase: its sorted positions, or none (not there).
positions = st.lists(st.integers(0, 40), min_size=0, max_size=6, unique=True).map(sorted)


@st.composite
def phrase_postings(draw):
    words = draw(st.integers(2, 4))
    docs = draw(st.lists(st.integers(0, 10_000), min_size=1, max_size=60, unique=True))
    sections = {doc: [draw(positions) for _ in range(words)] for doc in sorted(docs)}
    if draw(st.booleans()):  # a repeated word: the same postings twice ("pain pain")
        for lists in sections.values():
            lists[-1] = list(lists[0])
    return sections, draw(st.sampled_from([1, 1, 2, 3]))


def _postings(sections: dict[int, list[list[int]]], word: int) -> tuple[list, list, list]:
    held = [(doc, lists[word]) for doc, lists in sections.items() if lists[word]]
    return (
        [doc for doc, _ in held],
        [float(len(p)) + doc / 1e5 for doc, p in held],  # a weight telling sections apart
        [FORMAT.encode(p) for _, p in held],
    )


@settings(max_examples=300, deadline=None)
@given(phrase_postings())
def test_the_sections_found_are_those_a_section_by_section_check_finds(case):
    sections, slop = case
    words = len(next(iter(sections.values())))
    postings = [_postings(sections, w) for w in range(words)]
    expected = [
        doc
        for doc, lists in sections.items()
        if all(lists) and in_sequence([set(p) for p in lists], slop)
    ]
    docs, weights = matching(postings, slop, FORMAT)
    assert docs == expected
    for (ids, word_weights, _), found in zip(postings, weights):
        weight_of = dict(zip(ids, word_weights))
        assert found == [weight_of[doc] for doc in expected]


def test_words_side_by_side_across_sections_are_no_phrase():
    # The last word of one section and the first of the next section's numbering never join:
    # each section's positions start from 0 again.
    postings = [
        ([5, 6], [1.0, 1.0], [FORMAT.encode([7, 30]), FORMAT.encode([2])]),
        ([5, 6], [1.0, 1.0], [FORMAT.encode([3]), FORMAT.encode([0, 8])]),
    ]
    assert matching(postings, 1, FORMAT)[0] == []
    postings[1] = ([5, 6], [1.0, 2.0], [FORMAT.encode([3]), FORMAT.encode([0, 3])])
    assert matching(postings, 1, FORMAT) == ([6], [[1.0], [2.0]])
