"""Markdown source to readable plain text (for search, safety cues and word counts).

Light, but it must read a paragraph as the reader shows it: what is indexed and classified is
what is on screen. So it hides what the display hides, by the display's own rules: elements
the sanitizer drops with their content (`DROPPED_WITH_CONTENT`, which viewer/render/markup
cleans with, so there is one list) and Markdown's reference-link definitions
(`[1]: http://x "title"`, matched with Python-Markdown's own pattern), which define a link and
are never shown. Links keep their text, images their alt text. The rendering is viewer/render's
job; tests/test_plain_reading.py checks that this text and the displayed text agree.
"""

from __future__ import annotations

import html
import re

# Tags removed together with everything inside them by the sanitizer (their content is code, not
# prose): the reader never shows it, so it is neither indexed nor classified.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "title",
        "textarea",
        "select",
        "button",
        "form",
    }
)
_DROPPED = "|".join(sorted(DROPPED_WITH_CONTENT))
# An element and its content up to its closing tag, or to the end when it is never closed (the
# HTML parser behind the sanitizer reads an unclosed <style> to the end).
_DROPPED_ELEMENT = re.compile(
    rf"<({_DROPPED})\b[^>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
# Python-Markdown's ReferenceProcessor.RE: a reference definition, consumed and never shown.
_REFERENCE_DEFINITION = re.compile(
    r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$',
    re.MULTILINE,
)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`+([^`]*)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~\"'])")
_HIDDEN = re.compile("\ue000(\\d+)\ue001")
_BLOCK_PREFIX = re.compile(r"^\s{0,3}(?:>\s?|[-*+]\s+|\d{1,9}[.)]\s+)", re.MULTILINE)


def markdown_to_plain(text: str, block: bool = True) -> str:
    """Readable text of a Markdown paragraph: links keep their text, images their alt text.

    `block=False` is for headings, where a leading "1." or "-" is text, not a list marker.
    """
    # Backslash escapes are taken out first so that escaped markup survives the passes below.
    escaped: list[str] = []

    def hide(match: re.Match) -> str:
        escaped.append(match.group(1))
        return f"\ue000{len(escaped) - 1}\ue001"

    text = _ESCAPE.sub(hide, text)
    if "<" in text:
        text = _DROPPED_ELEMENT.sub("", text)
    if block and "]:" in text:
        text = _REFERENCE_DEFINITION.sub("", text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis
        text = _EMPHASIS.sub(r"\2", text)
    if block:
        text = _BLOCK_PREFIX.sub("", text)
    text = _HIDDEN.sub(lambda m: escaped[int(m.group(1))], text)
    return html.unescape(text).strip()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]>])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+]|-(?=\s|-|$))", re.MULTILINE)
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Plain text to Markdown that renders as exactly that text (used by the importer/exports)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # Python-Markdown has no escape for "<" and "&"; entities render as the characters.
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
