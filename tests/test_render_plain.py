"""Plain prose skips Markdown (viewer/core/conversion.py `PLAIN_PROSE`): the shortcut must give
exactly what Markdown plus the sanitizer give, for every text it takes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import conversion
from viewer.render import markup

# Letters, digits and every kind of punctuation, Markdown's and HTML's included, so that the
# generator also makes the texts the shortcut must refuse.
ALPHABET = st.sampled_from(
    list("abcXYZ019 .,;:?!'\"()/%$@=+-*_`[]<>&\\|#~\n\t\u00a0\u2019\u201c\u201d\u2014\u2026é")
)


def full_conversion(text: str) -> str:
    converter = markup.MarkdownConverter("a.md")
    saved = conversion.PLAIN_PROSE
    conversion.PLAIN_PROSE = re.compile(r"(?!)")  # never plain: always the real conversion
    try:
        return converter.convert(text)
    finally:
        conversion.PLAIN_PROSE = saved


@pytest.mark.parametrize(
    "text",
    [
        "Kratom may help with withdrawal.",
        'It\'s "quoted" (twice) - or not?',
        "Use e.g. 50% of $5 at x@y.org",
        "See http://example.org/a/b.",
        "a+b=c",
        "Ellipsis… and dashes — – ok",
        "Two  spaces inside",
        "Ünïcödé prose",
        "Capital start then 1. list-like inside",
    ],
)
def test_plain_prose_is_converted_as_markdown_would(text):
    assert conversion.PLAIN_PROSE.fullmatch(text)
    assert markup.MarkdownConverter("a.md").convert(text) == full_conversion(text)


@pytest.mark.parametrize(
    "text",
    [
        "1. A list",
        "- a bullet",
        "# Heading",
        "> quote",
        "    code",
        "word *emphasis*",
        "snake_case",
        "a & b",
        "a < b",
        "line\nbreak",
        "trailing space ",
        "tab\there",
        "non\u00a0breaking",
        "a | table",
        "`code`",
        "[link](x)",
        "back\\slash",
    ],
)
def test_markdown_and_html_are_not_taken_for_plain_prose(text):
    assert not conversion.PLAIN_PROSE.fullmatch(text)


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=60))
def test_whatever_the_shortcut_takes_it_converts_exactly(text):
    if conversion.PLAIN_PROSE.fullmatch(text):
        assert markup.MarkdownConverter("a.md").convert(text) == full_conversion(text)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(conversion.PLAIN_PROSE, fullmatch=True))
def test_texts_made_from_the_shortcut_pattern_convert_exactly(text):
    assert markup.MarkdownConverter("a.md").convert(text) == full_conversion(text)
