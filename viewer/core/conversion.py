"""Markdown source -> sanitized HTML and the text it shows: the one reading of a paragraph.

The reading pane shows a Markdown paragraph as Python-Markdown's HTML cleaned by nh3 (ammonia)
against an allow-list that fits Qt's rich-text subset: no script, iframe, style, object or
form; no event or style attributes (so no CSS `url()`); links only to http, https, mailto and
in-app `article:` ids. What search indexes, the safety classifier reads and the text export
writes is the text of that same HTML (viewer/core/plaintext.html_to_plain), so a word is
indexed exactly when it is on screen. The loader reads each paragraph here once and keeps the
`Reading` on the paragraph; the renderer shows that HTML instead of converting again.

This lives in core, not render, because the loader needs it and core must not import render
(data flows down). Render adds only what is about the page: images resolved against the
collection folder, sentence marks and styling (viewer/render/markup, blocks, html).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from viewer.core.plaintext import DROPPED_WITH_CONTENT, html_to_plain

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "del",
    "strike",
    "sub",
    "sup",
    "small",
    "big",
    "code",
    "pre",
    "tt",
    "kbd",
    "samp",
    "var",
    "cite",
    "dfn",
    "abbr",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "span",
    "nobr",
}
# No `title` anywhere: Qt turns it into a rich-text tooltip over the reading pane, where an
# article's markup would be rendered (and `<img>` in it loaded) outside the sanitizer's reach.
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign"},
    "ol": {"start", "type"},
    "ul": {"type"},
}
LINK_SCHEMES = {"http", "https", "mailto", "article"}

_NESTING_TAG = re.compile(r"<(/?)(blockquote|ul|ol|dl|table)\b")
# Limits past which a paragraph is shown as plain text instead of Markdown: Python-Markdown
# slows down badly on huge or deeply nested input, and Qt lays out deep nesting poorly.
MAX_MARKDOWN_CHARS = 100_000
MAX_NESTING = 24
# Python-Markdown's inline patterns are quadratic or worse in "[" and "<" (measured: 2,000 "["
# take 0.7 s, 20,000 take 84 s; 500 take 0.04 s). Real prose has a handful per paragraph.
MAX_MARKUP_OPENERS = 400
# Formatting time one article may take; past it, the rest is shown as plain text (with a note)
# so that a pathological file cannot keep the reader waiting. A running conversion cannot be
# interrupted in-process: the size and nesting caps above bound each paragraph's cost.
RENDER_TIME_BUDGET_SECONDS = 2.0

# One line of prose that no Markdown rule and no HTML escaping touches: it starts with a letter
# (not a list number, heading, quote or indent), ends without a space, and holds only letters,
# digits, spaces and punctuation with no meaning to Markdown or HTML (none of * _ ` [ ] < > & |
# # ~ or a backslash, no line break, tab or non-breaking space). Its HTML is the text in <p>;
# tests/test_render_plain.py checks that against the full conversion.
PLAIN_PROSE = re.compile(
    r"[^\W\d_](?:[^\W_]|[ .,;:?!'\"()/%$@=+\-\u2018\u2019\u201c\u201d\u2013\u2014\u2026])*(?<! )"
)


@dataclass(frozen=True)
class Reading:
    """One paragraph as the reader shows it: the sanitized HTML of its Markdown (images not yet
    resolved against the collection) and the text of it. `as_text` when the Markdown was too
    large, nested or slow to format: the source is shown as is (html ''). `source` is the
    Markdown it was read from, so a paragraph whose text changed is read again."""

    source: str
    html: str
    plain: str
    as_text: bool = False


def _markdown():
    """A Markdown converter with our extensions. They are given as objects, not names: by name,
    Python-Markdown looks them up among installed packages' entry points, which costs more than
    the whole first render (measured 29 ms of start-up)."""
    # Imported here: an article of plain prose needs neither Markdown nor the sanitizer, and the
    # first article is on screen sooner without them (start-up).
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    # Fenced code (```): the loader keeps a fence and its lines as one paragraph, shown as code.
    return markdown.Markdown(
        extensions=[SaneListExtension(), TableExtension(), FencedCodeExtension()],
        output_format="html",
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:  # noqa: ARG001 - nh3's callback signature
    """Refuse protocol-relative URLs (`//host/x` is remote) and local-file tricks in links, and
    every `title` (nh3 allows it on all tags by default; see ALLOWED_ATTRIBUTES)."""
    if attribute == "title":
        return None
    if attribute in ("href", "src"):
        # Control characters have no place in a link; some browsers skip them, so that
        # "java&#1;script:" would read as javascript: where the sanitizer saw a relative link.
        if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value):
            return None
        stripped = value.strip()
        if stripped.startswith("//") or stripped.startswith("\\\\"):
            return None
    return value


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment against the allow-list (images are kept; render resolves them)."""
    import nh3  # only when there is Markdown to clean (see _markdown)

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def nesting_depth(fragment: str) -> int:
    depth = deepest = 0
    for match in _NESTING_TAG.finditer(fragment):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


class MarkdownReader:
    """Reads the Markdown of one article; one per article, because a Python-Markdown instance
    keeps state (footnotes, references) between conversions and the time budget is per article."""

    def __init__(self) -> None:
        self._md: Any = None  # a markdown.Markdown (untyped), made at the first paragraph that is not plain prose
        self._spent = 0.0
        self._references: dict[str, tuple[str, str | None]] = {}
        self.fallbacks = 0  # paragraphs shown as plain text instead of formatted Markdown

    def learn_references(self, texts: list[str]) -> None:
        """Take in the article's reference-link definitions (`[1]: http://x "title"`), so that
        `[text][1]` is a link in every paragraph, as in one Markdown document (the loader
        converts each paragraph on its own). Read by Python-Markdown itself, from the
        paragraphs that may hold one."""
        for text in texts:
            if "]:" in text and self.sanitized(text) is not None and self._md is not None:
                self._references.update(self._md.references)
        self.fallbacks = 0

    def sanitized(self, text: str) -> str | None:
        """Markdown -> sanitized HTML, or None when the text must be shown as is (huge, deeply
        nested, too slow to convert: counted in `fallbacks`, so the page can say so)."""
        if (
            len(text) > MAX_MARKDOWN_CHARS
            or self._spent > RENDER_TIME_BUDGET_SECONDS
            or text.count("[") + text.count("<") > MAX_MARKUP_OPENERS
        ):
            self.fallbacks += 1
            return None
        if PLAIN_PROSE.fullmatch(text):
            # What Markdown and the sanitizer make of plain prose, without running them: most
            # paragraphs are plain, and converting them was most of opening a long article.
            return f"<p>{text}</p>"
        started = time.perf_counter()
        try:
            if self._md is None:
                self._md = _markdown()
            self._md.reset()
            self._md.references.update(self._references)
            raw = self._md.convert(text)
        except (RecursionError, ValueError, IndexError):
            self._md = None
            self.fallbacks += 1
            return None
        finally:
            self._spent += time.perf_counter() - started
        cleaned = sanitize_html(raw).strip()
        if nesting_depth(cleaned) > MAX_NESTING:
            self.fallbacks += 1
            return None
        return cleaned

    def read(self, text: str) -> Reading:
        """The paragraph as shown: its HTML and the text of it (the source itself when shown as
        plain text; the text alone, without running anything, for plain prose)."""
        html = self.sanitized(text)
        if html is None:
            return Reading(text, "", text.strip(), as_text=True)
        # Text with no tag or entity that came back as one paragraph of itself (plain prose) is
        # its own text: no need to parse the HTML.
        shown_as_is = "<" not in text and "&" not in text and html == f"<p>{text}</p>"
        plain = text if shown_as_is else html_to_plain(html)
        return Reading(text, html, plain)

    def read_inline(self, text: str) -> str:
        """The text of a heading or title as Markdown reads it (as a heading: a leading "1." or
        "-" is text, not a list). Headings are shown as this text."""
        if PLAIN_PROSE.fullmatch(text) or not text.strip():
            return text.strip()
        line = " ".join(text.split())
        body = line.rstrip("#")
        # Closing hashes are the heading syntax's; the loader took those off already, so any
        # left ("C#") are text and stay it, escaped.
        html = self.sanitized("# " + body + "\\#" * (len(line) - len(body)))
        return text.strip() if html is None else html_to_plain(html)
