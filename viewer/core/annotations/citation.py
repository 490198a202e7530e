"""Links to a passage and quotes with a citation, as text (no Qt): what "Copy link to
section" and "Copy as quote" put on the clipboard.

A link is the command that opens the place: `article-viewer --article ID#anchor`; the app
reads the same `ID#anchor` form from --article. A quote carries title, section, source file and
the date it was read, as plain text and as Markdown (with the quoted text escaped, so an
article's text never turns into markup where the quote is pasted).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date

from viewer.core.plaintext import escape_markdown

PROGRAM = "article-viewer"


def section_link(article_id: str, anchor: str = "") -> str:
    target = f"{article_id}#{anchor}" if anchor else article_id
    return f"{PROGRAM} --article {shlex.quote(target)}"


def parse_link(link: str) -> tuple[str, str]:
    """(article id, anchor) from a copied link or a bare `ID#anchor`; ValueError if neither."""
    words = shlex.split(link.strip())
    if words and words[0] == PROGRAM:
        words = words[1:]
    if len(words) == 2 and words[0] == "--article":
        words = words[1:]
    if len(words) != 1 or not words[0] or words[0].startswith("-"):
        raise ValueError(f"not a link to an article: {link!r}")
    article_id, _hash, anchor = words[0].partition("#")
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
        return (f"*{escape_markdown(self.title)}*{where}. Source: `{self.source.replace('`', '')}`. "
                f"Read {self.read_on.isoformat()}.")


def quote_plain(text: str, citation: Citation) -> str:
    return f"“{' '.join(text.split())}”\n— {citation.plain()}\n"


def quote_markdown(text: str, citation: Citation) -> str:
    lines = [f"> {escape_markdown(line)}" if line.strip() else ">" for line in text.strip().splitlines()]
    return "\n".join(lines + [">", f"> — {citation.markdown()}"]) + "\n"
