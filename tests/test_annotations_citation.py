"""Links to a section and quotes with a citation, as the clipboard gets them (no Qt)."""

from __future__ import annotations

import shlex
from datetime import date

import pytest

from viewer.core.annotations.citation import (
    Citation,
    parse_link,
    quote_markdown,
    quote_plain,
    section_link,
)


def test_a_link_survives_the_shell_and_parses_back():
    link = section_link("kratom-dopamine-withdrawal", "safe-use")
    assert shlex.split(link) == [
        "article-viewer",
        "--article",
        "kratom-dopamine-withdrawal#safe-use",
    ]
    assert parse_link(link) == ("kratom-dopamine-withdrawal", "safe-use")
    assert parse_link("kratom-dopamine-withdrawal#safe-use") == (
        "kratom-dopamine-withdrawal",
        "safe-use",
    )
    assert parse_link(section_link("a-b")) == ("a-b", "")
    with pytest.raises(ValueError):
        parse_link("article-viewer --screenshot x.png")


def test_a_quote_carries_its_citation_and_article_text_stays_text_in_markdown():
    cite = Citation("Kratom *and* sleep", "Side effects", "corpus/a.md", date(2026, 3, 4))
    text = "Take **no more** than\n[the dose](http://x)"
    plain = quote_plain(text, cite)
    assert plain == (
        "“Take **no more** than [the dose](http://x)”\n— Kratom *and* sleep, section “Side effects”. "
        "Source: corpus/a.md. Read 2026-03-04.\n"
    )
    markdown = quote_markdown(text, cite)
    assert markdown.splitlines()[0] == r"> Take \*\*no more\*\* than"
    assert markdown.splitlines()[1] == r"> \[the dose\](http://x)"
    assert (
        markdown.splitlines()[-1]
        == r"> — *Kratom \*and\* sleep*, “Side effects”. Source: `corpus/a.md`. Read 2026-03-04."
    )
