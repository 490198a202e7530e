"""Paragraph text -> safe HTML for the page: the one escaping function, and images.

Everything in a corpus folder is untrusted. The Markdown conversion and the sanitizer (nh3
against an allow-list that fits Qt's rich-text subset) are viewer/core/conversion's, because
the text that is indexed and classified is read from the same conversion; their names are
re-exported here for the page's code. What is the page's alone is here: images never load
from the network: a remote image becomes a visible placeholder with its alt text, and a local
one is kept only when its path stays inside the corpus folder.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from viewer.core.conversion import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_SCHEMES,
    MarkdownReader,
    Reading,
    sanitize_html,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "LINK_SCHEMES",
    "MarkdownConverter",
    "escape_html",
    "local_image_path",
    "plain_paragraph",
    "resolve_images",
    "sanitize_html",
]
REMOTE_IMAGE_NOTE = "remote image not loaded"
OUTSIDE_IMAGE_NOTE = "image outside the collection not loaded"
EXPORT_IMAGE_NOTE = "image not included"

_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def escape_html(text: str) -> str:
    """Plain text -> HTML text. The only escaping function: every path that writes text uses it."""
    return html.escape(text, quote=True)


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
    """Converts Markdown paragraphs to the safe HTML the page shows; one per article (the
    reading of each paragraph is viewer/core/conversion's, which the loader keeps on the
    paragraph: `show` takes that reading and converts only a paragraph that has none)."""

    def __init__(self, article_path: str, local_images: bool = True) -> None:
        self._reader = MarkdownReader()
        self._article_path = article_path
        self._local_images = local_images
        self.fallbacks = 0  # paragraphs shown as plain text instead of formatted Markdown

    def convert(self, text: str) -> str:
        """Markdown -> sanitized HTML with images resolved; if Markdown chokes (huge, deeply
        nested, too slow) the text is shown as is and counted in `fallbacks`."""
        return self.show(self._reader.read(text))

    def show(self, reading: Reading) -> str:
        """The HTML of a paragraph's reading, for the page: images resolved or placeholders."""
        if reading.as_text:
            self.fallbacks += 1
            return plain_paragraph(reading.source)
        if "<img" not in reading.html:
            return reading.html
        return resolve_images(reading.html, self._article_path, self._local_images)


def plain_paragraph(text: str) -> str:
    """A plain-text paragraph as HTML: escaped, line breaks kept."""
    return "<p>" + escape_html(text).replace("\n", "<br>") + "</p>"
