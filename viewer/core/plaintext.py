"""The text of a sanitized paragraph (for search, safety, word counts and the text export),
and the escaping that turns plain text into Markdown that shows as exactly that text.

There is one reading of a paragraph: its Markdown converted and sanitized as the reading pane
shows it (viewer/core/conversion), and the text is that HTML's text, walked with html.parser.
So what is indexed and classified is what is on screen, by construction: elements the
sanitizer drops with their content (`DROPPED_WITH_CONTENT`), reference-link definitions and
all other syntax are gone because the display has none of them; links keep their text, images
their alt text (the words the pane shows for them). tests/test_plain_reading.py checks that
this text and the displayed text agree; scripts/compare_plain_readings.py compares it with the
regex reading it replaced.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

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


class _TextOf(HTMLParser):
    """The text nodes of a sanitized fragment, an image as its alt text, a line break as one.
    A table is read a row to a line, "| cell | cell |", as plain text writes a table (a row
    of empty cells is left out), not with the layout spacing between its tags. (Rows starting
    with "|" keep the sentence splitter reading a table as before: viewer/core/sentences.)"""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._after_break = False
        self._tables = 0
        self._row: list[str] | None = None  # the cells of the table row being read

    def _add(self, text: str) -> None:
        if self._row is not None:
            self._row[-1] += text
        elif not self._tables:
            self.parts.append(text)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self._add(next((v or "" for k, v in attrs if k == "alt"), ""))
            self._after_break = False
        elif tag == "br":
            self._add(" " if self._row is not None else "\n")
            self._after_break = self._row is None
        elif tag == "table":
            self._tables += 1
        elif self._tables and tag in ("td", "th"):
            self._row = (self._row or []) + [""]

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "table":
            self._tables = max(0, self._tables - 1)
        elif self._tables and tag == "tr":
            cells = [" ".join(cell.split()) for cell in self._row or []]
            if any(cells):
                self.parts.append("| " + " | ".join(cells) + " |\n")
            self._row = None

    def handle_data(self, data):
        # Python-Markdown writes a hard break as "<br>\n": one line break, not two.
        if self._after_break and data.startswith("\n"):
            data = data[1:]
        self._after_break = False
        self._add(data)


def html_to_plain(fragment: str) -> str:
    """The text a sanitized HTML fragment shows, stripped at both ends."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts).strip()


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
