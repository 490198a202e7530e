"""What a link in an article means, as plain Python (no Qt).

Internal links navigate inside the app (`#anchor`, `article:ID#anchor`, or a relative link to
another article file such as `other-article.md#anchor`); web and mail links go to the system
browser after asking; anything else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from viewer.core.slug import slugify

ANCHOR, ARTICLE, EXTERNAL, REFUSED = "anchor", "article", "external", "refused"
EXTERNAL_SCHEMES = ("http", "https", "mailto")
ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class Link:
    kind: str
    target: str = ""  # article id for ARTICLE, the URL for EXTERNAL
    anchor: str = ""


def classify_link(href: str) -> Link:
    href = href.strip()
    if not href:
        return Link(REFUSED)
    if href.startswith("#"):
        return Link(ANCHOR, anchor=unquote(href[1:]))
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme == "article":
        article_id = unquote(parts.path or parts.netloc).strip("/")
        return (
            Link(ARTICLE, article_id, unquote(parts.fragment))
            if article_id
            else Link(REFUSED, href)
        )
    if scheme in EXTERNAL_SCHEMES:
        return Link(EXTERNAL, href)
    if not scheme and not parts.netloc:
        path = PurePosixPath(unquote(parts.path))
        if path.suffix.lower() in ARTICLE_SUFFIXES:
            return Link(ARTICLE, slugify(path.stem, fallback="article"), unquote(parts.fragment))
    return Link(REFUSED, href)
