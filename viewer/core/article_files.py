"""Which files are articles, and how recent a change the catalogue does not trust: the library's
rules, in a module of their own so that a cold search's freshness check (search/freshness.py)
reads them without importing the library and its parsers."""

from __future__ import annotations

ARTICLE_SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt"}
# Files modified this recently are not trusted to the catalogue (mtime resolution, see
# library.load).
RECENT_NS = 2_000_000_000
