"""Stable, readable slugs for article ids and section anchors."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG_LENGTH = 60
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str, fallback: str = "untitled") -> str:
    """Lower-case ASCII words joined by hyphens: "Kratom's Role?" -> "kratoms-role"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("'", "")
    slug = _NON_WORD.sub("-", folded).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0] or slug[:MAX_SLUG_LENGTH]
    return slug or fallback


def unique_slug(text: str, taken: set[str], fallback: str = "untitled") -> str:
    """A slug not yet in `taken` (adds -2, -3, ...), recorded in `taken` before returning."""
    # Ids are made from slugs already (a catalogued start-up does it 10,000 times): a text that
    # is a slug already is its own slug.
    base = (
        text if len(text) <= MAX_SLUG_LENGTH and _SLUG.fullmatch(text) else slugify(text, fallback)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug
