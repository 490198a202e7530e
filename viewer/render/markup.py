"""Paragraph text -> safe HTML: the one escaping function, Markdown, and the sanitizer.

Everything in a corpus folder is untrusted. Python-Markdown passes raw HTML through, so its
output is cleaned with nh3 (ammonia) against an allow-list that fits Qt's rich-text subset:
no script, iframe, style, object or form; no event or style attributes (so no CSS `url()`);
links only to http, https, mailto, in-app `article:` ids and `#anchors`. Images never load
from the network: a remote image becomes a visible placeholder with its alt text, and a local
one is kept only when its path stays inside the corpus folder.
"""

from __future__ import annotations

import html
import posixpath
import re
import time
from typing import Any
from urllib.parse import unquote, urlsplit

from viewer.core.plaintext import DROPPED_WITH_CONTENT as _DROPPED_WITH_CONTENT

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
# Tags removed together with everything inside them: one list, shared with the plain text that
# is indexed and classified (viewer/core/plaintext), so neither shows nor indexes their content.
DROPPED_WITH_CONTENT = set(_DROPPED_WITH_CONTENT)
LINK_SCHEMES = {"http", "https", "mailto", "article"}
REMOTE_IMAGE_NOTE = "remote image not loaded"
OUTSIDE_IMAGE_NOTE = "image outside the collection not loaded"
EXPORT_IMAGE_NOTE = "image not included"

_IMG_TAG = re.compile(r"<img\b[^>]*>")
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
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')

# One line of prose that no Markdown rule and no HTML escaping touches: it starts with a letter
# (not a list number, heading, quote or indent), ends without a space, and holds only letters,
# digits, spaces and punctuation with no meaning to Markdown or HTML (none of * _ ` [ ] < > & |
# # ~ or a backslash, no line break, tab or non-breaking space). Its HTML is the text in <p>;
# tests/test_render_plain.py checks that against the full conversion.
_PLAIN_PROSE = re.compile(
    r"[^\W\d_](?:[^\W_]|[ .,;:?!'\"()/%$@=+\-\u2018\u2019\u201c\u201d\u2013\u2014\u2026])*(?<! )"
)


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


def escape_html(text: str) -> str:
    """Plain text -> HTML text. The only escaping function: every path that writes text uses it."""
    return html.escape(text, quote=True)


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
    """Clean an HTML fragment against the allow-list (images are kept; see `resolve_images`)."""
    import nh3  # only when there is Markdown to clean (see _markdown)

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _placeholder(alt: str, note: str) -> str:
    label = f"[image: {alt} \u2014 {note}]" if alt else f"[image \u2014 {note}]"
    return f'<span class="image-placeholder">{escape_html(label)}</span>'


def local_image_path(src: str, article_path: str) -> str | None:
    """The image's path relative to the corpus folder, or None if it is not a local file inside it."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # http(s) and any other scheme: sanitize_html already kept only safe ones
    path = unquote(parts.path)
    if path.startswith("/") or "\\" in path:
        return None
    folder = (
        posixpath.dirname(article_path.replace("\\", "/"))
        if not posixpath.isabs(article_path)
        else ""
    )
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
        return None
    return joined


def resolve_images(fragment: str, article_path: str, local_images: bool = True) -> str:
    """Replace every image that must not load with a visible placeholder carrying its alt text.

    Runs on sanitized HTML, whose attributes are always double-quoted and escaped. Kept local
    images get their path relative to the corpus folder (the reading pane's base)."""

    def replace(match: re.Match) -> str:
        attrs = {name: html.unescape(value) for name, value in _ATTR.findall(match.group(0))}
        src, alt = attrs.get("src", "").strip(), attrs.get("alt", "").strip()
        if not src:
            return _placeholder(alt, "image not loaded")
        if urlsplit(src).scheme:
            return _placeholder(alt, REMOTE_IMAGE_NOTE)
        local = local_image_path(src, article_path)
        if local is None:
            return _placeholder(alt, OUTSIDE_IMAGE_NOTE)
        if not local_images:
            return _placeholder(alt, EXPORT_IMAGE_NOTE)
        size = "".join(
            f' {k}="{escape_html(attrs[k])}"'
            for k in ("width", "height")
            if attrs.get(k, "").isdigit()
        )
        return f'<img src="{escape_html(local)}" alt="{escape_html(alt)}"{size}>'

    return _IMG_TAG.sub(replace, fragment)


class MarkdownConverter:
    """Converts Markdown paragraphs to safe HTML; one per render call, reset between paragraphs,
    because a Python-Markdown instance keeps state (footnotes, references) between conversions."""

    def __init__(self, article_path: str, local_images: bool = True) -> None:
        self._md: Any = None  # a markdown.Markdown (untyped), made at the first paragraph that is not plain prose
        self._article_path = article_path
        self._local_images = local_images
        self._spent = 0.0
        self.fallbacks = 0  # paragraphs shown as plain text instead of formatted Markdown

    def convert(self, text: str) -> str:
        """Markdown -> sanitized HTML; if Markdown chokes (huge, deeply nested, too slow) the text
        is shown as is and counted in `fallbacks`, so the page can say so."""
        if (
            len(text) > MAX_MARKDOWN_CHARS
            or self._spent > RENDER_TIME_BUDGET_SECONDS
            or text.count("[") + text.count("<") > MAX_MARKUP_OPENERS
        ):
            return self._fallback(text)
        if _PLAIN_PROSE.fullmatch(text):
            # What Markdown and the sanitizer make of plain prose, without running them: most
            # paragraphs are plain, and converting them was most of opening a long article.
            return f"<p>{text}</p>"
        started = time.perf_counter()
        try:
            if self._md is None:
                self._md = _markdown()
            raw = self._md.reset().convert(text)
        except (RecursionError, ValueError, IndexError):
            self._md = _markdown()
            return self._fallback(text)
        finally:
            self._spent += time.perf_counter() - started
        cleaned = resolve_images(sanitize_html(raw), self._article_path, self._local_images).strip()
        return self._fallback(text) if _nesting_depth(cleaned) > MAX_NESTING else cleaned

    def _fallback(self, text: str) -> str:
        self.fallbacks += 1
        return plain_paragraph(text)


def _nesting_depth(fragment: str) -> int:
    depth = deepest = 0
    for match in _NESTING_TAG.finditer(fragment):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def plain_paragraph(text: str) -> str:
    """A plain-text paragraph as HTML: escaped, line breaks kept."""
    return "<p>" + escape_html(text).replace("\n", "<br>") + "</p>"
