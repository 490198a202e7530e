"""Markdown export: front matter (title, topics, summary, source) and the article in Markdown.

It is the importer's own writer, so loading the file back with the Markdown loader gives the
same title, sections and paragraphs. The disclaimer goes into the front matter rather than the
body: a closing paragraph would become part of the conclusion when the file is read back.

What is exported is what the reader shows. A paragraph's Markdown source is kept as written
only when it holds nothing the sanitizer would change: no raw HTML, no link to a scheme other
than http(s), mailto or an in-app one, no image that is not a file beside the article. Any
other paragraph is written as the sanitized HTML the reading pane shows (Markdown passes HTML
blocks through), with images replaced by their placeholder, so no other Markdown viewer runs
or loads what ours refused. Front-matter values are text; metadata keys the reader does not
show are carried over only when they are plain scalars without markup.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from viewer.core.importer import article_to_markdown
from viewer.core.model import Article, Paragraph
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.markup import MarkdownConverter, local_image_path

# Front-matter keys this writer sets itself; the article's other metadata is carried over.
_OWN_KEYS = {"title", "topics", "summary", "source", "disclaimer"}
_SAFE_SCHEMES = {"", "http", "https", "mailto", "article"}
# A tag, comment, declaration or processing instruction ("dose < 5 g" is prose, not HTML).
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
# Inline link and image targets, and reference definitions ("[id]: target").
_TARGET = re.compile(r"\]\(\s*<?([^)]*)|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")
_BLANKS = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme


def _scheme(target: str) -> str:
    # Entities and blanks are decoded the way another renderer would: "&#106;avascript:" and
    # "java\tscript:" are javascript: links.
    cleaned = _BLANKS.sub("", html.unescape(target))
    try:
        return urlsplit(cleaned).scheme.lower()
    except ValueError:
        return "?"


def shows_as_written(text: str, article_path: str) -> bool:
    """True when the reader would show this Markdown with nothing removed or replaced."""
    if _RAW_HTML.search(text):
        return False
    for match in _TARGET.finditer(text):
        if _scheme(match.group(1) or match.group(2) or "") not in _SAFE_SCHEMES:
            return False
    for match in _IMAGE.finditer(text):
        if local_image_path(html.unescape(match.group(1)), article_path) is None:
            return False
    return "![" not in text or bool(_IMAGE.search(text))


def _plain_metadata(value) -> bool:
    if isinstance(value, str):
        return not _RAW_HTML.search(value)
    return isinstance(value, (int, float, bool)) or value is None


def article_to_markdown_export(article: Article) -> str:
    """The article as Markdown with front matter (UTF-8 text, '\\n' line ends)."""
    source = article.metadata.get("source")
    if not isinstance(source, str) or not source.strip() or _RAW_HTML.search(source):
        source = article.path
    extra = {k: v for k, v in article.metadata.items() if k not in _OWN_KEYS and _plain_metadata(v)}
    extra["disclaimer"] = DISCLAIMER
    converter = MarkdownConverter(article.path, local_images=False)

    def markdown_of(paragraph: Paragraph) -> str:
        if shows_as_written(paragraph.text, article.path):
            return paragraph.text
        return converter.convert(paragraph.text)  # sanitized, exactly as the reading pane gets it

    return article_to_markdown(article, source=source, extra=extra, markdown_of=markdown_of)
