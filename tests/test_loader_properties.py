"""Property tests: any text loads without an exception and no non-blank line is lost."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from viewer.core.conversion import MarkdownReader
from viewer.core.errors import ArticleError
from viewer.core.md_loader import load_markdown
from viewer.core.plaintext import escape_markdown
from viewer.core.txt_loader import load_txt


def _plain(source: str) -> str:
    """The paragraph's text as the loader reads it (the sanitized conversion's text)."""
    return MarkdownReader().read(source).plain


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    ),
    max_size=60,
)
SEEDISH_LINE = st.one_of(
    LINE,
    LINE.map(lambda s: "- " + s),
    st.sampled_from(
        ["Alpha Part", "Beta Part", "- Alpha Part", "- Beta Part", "\u201cQuoted", "end\u201d", ""]
    ),
)
TEXTS = st.lists(SEEDISH_LINE, max_size=25).map("\n".join)


def txt_model_text(article) -> str:
    parts = list(article.outline)
    for section in article.sections:
        parts.append(section.heading)
        parts.extend(p.text for p in section.paragraphs)
    return "\n".join(parts)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_loads_as_txt_and_keeps_every_non_blank_line(text):
    article = load_txt(text, Path("t.txt"), "t")
    kept = txt_model_text(article)
    for line in text.split("\n"):
        content = line.strip().strip('\u201c\u201d"').strip()
        bullet = re.match(r"^[-*\u2022]\s+(.*)$", content)
        if bullet:
            content = bullet.group(1).strip()
        assert content in kept, f"lost line {line!r}"


MD_LINE = st.one_of(
    LINE,
    st.sampled_from(
        [
            "# Title",
            "## Part",
            "### Deep",
            "Setext",
            "======",
            "------",
            "* * *",
            "```",
            "~~~",
            "- item",
            "1. one",
            "> quote",
            "---",
            "title: x",
            "",
            "    code",
        ]
    ),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MD_LINE, max_size=25).map("\n".join))
@example("<A>\n=")  # a setext title that is only an HTML tag: sanitized away, as on screen
@example("0\x030\n=")  # a control character between two words of a setext title
@example("0\x030\n=")  # a control character between two words of a title: a space, not "00"
def test_any_text_loads_as_markdown_and_keeps_every_word(text):
    try:
        article = load_markdown(text, Path("t.md"), "t")
    except ArticleError:
        assert text.startswith("---")  # only a front matter block can be refused
        return
    kept = " ".join(
        [article.title, str(article.metadata)]
        + [s.heading + " " + " ".join(p.text for p in s.paragraphs) for s in article.sections]
    )
    kept_words = set(re.findall(r"\w+", kept))
    if text.startswith("---"):
        return  # keys and values moved into metadata/title, checked by the unit tests
    # A word inside an HTML tag ("<A>") is markup, which the reader sanitizes away, not text.
    # A control character in a heading is dropped by the display (Python-Markdown), so the
    # words either side of it are one word on the page, as in the model ("0\x030" is "00").
    shown = re.sub(r"<[^<>\n]*>", " ", text)
    for run in re.findall(r"[\w\x00-\x08\x0e-\x1f\x7f]+", shown):
        as_written = re.findall(r"\w+", run)
        joined = re.findall(r"\w+", _CONTROL.sub("", run))
        assert set(as_written) <= kept_words or set(joined) <= kept_words, f"lost words {run!r}"


# Control characters are left out: the display (Python-Markdown) drops them, so they are in
# neither the page nor its plain text.
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200))
def test_escaped_text_comes_back_as_the_same_plain_text(text):
    line = " ".join(text.split())
    assert _plain(escape_markdown(line)) == line.strip()
