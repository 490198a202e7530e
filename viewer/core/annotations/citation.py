"""Links to a passage and quotes with a citation, as text (no Qt): what "Copy link to
section" and "Copy as quote" put on the clipboard.

A link is the command that opens the place: `article-viewer --article ID#anchor`; the app
reads the same `ID#anchor` form from --article. The same place as a URL, for the desktop's URL
handler (resources/desktop/article-viewer.desktop): `article-viewer://article/ID#anchor`. A URL
is read strictly (`parse_url`): it comes from anything that can make a link (a web page, a
mail), so only that one shape, with an id and an anchor made of URL-safe characters, is taken. A quote carries title, section, source file and
the date it was read, as plain text and as Markdown (with the quoted text escaped, so an
article's text never turns into markup where the quote is pasted).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote, urlsplit

from viewer.core.plaintext import escape_markdown

PROGRAM = "article-viewer"
SCHEME = "article-viewer"  # registered as x-scheme-handler/article-viewer by the .desktop file
URL_HOST = "article"
MAX_URL = 1024  # ids and anchors are slugs of at most ~60 characters; a longer URL is not ours
# What an id or an anchor may hold once decoded: URL-unreserved characters, no dot-only names.
_NAME = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}")
_URL_CHARS = re.compile(r"[A-Za-z0-9._~%/#:-]+")  # what the URL itself may contain, undecoded


def section_link(article_id: str, anchor: str = "") -> str:
    target = f"{article_id}#{anchor}" if anchor else article_id
    return f"{PROGRAM} --article {shlex.quote(target)}"


def parse_link(link: str) -> tuple[str, str]:
    """(article id, anchor) from a copied link, its URL form or a bare `ID#anchor`; ValueError
    if none of them."""
    if is_app_url(link):
        return parse_url(link.strip())
    words = shlex.split(link.strip())
    if words and words[0] == PROGRAM:
        words = words[1:]
    if len(words) == 2 and words[0] == "--article":
        words = words[1:]
    if len(words) != 1 or not words[0] or words[0].startswith("-"):
        raise ValueError(f"not a link to an article: {link!r}")
    article_id, _hash, anchor = words[0].partition("#")
    return article_id, anchor


def section_url(article_id: str, anchor: str = "") -> str:
    """`article-viewer://article/ID#anchor`, the form a browser or a desktop hands to the app."""
    url = f"{SCHEME}://{URL_HOST}/{quote(article_id, safe='')}"
    return f"{url}#{quote(anchor, safe='')}" if anchor else url


def is_app_url(text: str) -> bool:
    """Does this argument use the app's URL scheme (well formed or not)?"""
    return text.strip().lower().startswith(SCHEME + ":")


def _shown(text: str) -> str:
    """A refused URL as one short, printable line for the error message."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= 80 else printable[:77] + "..."


def parse_url(url: str) -> tuple[str, str]:
    """(article id, anchor) from `article-viewer://article/ID#anchor`; ValueError (one line)
    for anything else: another scheme or host, a user, port or query, more path, encoded
    slashes or control characters, names that are not plain URL-safe words."""
    refused = ValueError(
        f"not an article link (expected {SCHEME}://{URL_HOST}/ID#section): {_shown(url)}"
    )
    if len(url) > MAX_URL or not _URL_CHARS.fullmatch(url):
        raise refused
    try:
        parts = urlsplit(url)
    except ValueError:
        raise refused from None
    if (
        parts.scheme.lower() != SCHEME
        or parts.netloc.lower() != URL_HOST
        or parts.query
        or "#" in parts.fragment
        or not parts.path.startswith("/")
    ):
        raise refused
    try:
        article_id, anchor = (
            unquote(parts.path[1:], errors="strict"),
            unquote(parts.fragment, errors="strict"),
        )
    except UnicodeDecodeError:  # percent-escapes that are not UTF-8
        raise refused from None
    if not _NAME.fullmatch(article_id) or (anchor and not _NAME.fullmatch(anchor)):
        raise refused
    return article_id, anchor


@dataclass(frozen=True)
class Citation:
    title: str
    section: str
    source: str
    read_on: date

    def plain(self) -> str:
        where = f", section “{self.section}”" if self.section else ""
        return f"{self.title}{where}. Source: {self.source}. Read {self.read_on.isoformat()}."

    def markdown(self) -> str:
        where = f", “{escape_markdown(self.section)}”" if self.section else ""
        return (
            f"*{escape_markdown(self.title)}*{where}. Source: `{self.source.replace('`', '')}`. "
            f"Read {self.read_on.isoformat()}."
        )


def quote_plain(text: str, citation: Citation) -> str:
    return f"“{' '.join(text.split())}”\n— {citation.plain()}\n"


def quote_markdown(text: str, citation: Citation) -> str:
    lines = [
        f"> {escape_markdown(line)}" if line.strip() else ">" for line in text.strip().splitlines()
    ]
    return "\n".join(lines + [">", f"> — {citation.markdown()}"]) + "\n"
