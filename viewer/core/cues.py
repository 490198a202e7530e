"""Matching cue words and phrases in text, shared by the topic and safety classifiers.

A cue is a word or phrase, matched case-insensitively on word boundaries, with simple English
inflections (s, es, ed, ing) allowed on its last word. A cue ending in `*` matches any ending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _cue_pattern(cue: str) -> str:
    cue = cue.strip().lower()
    wildcard = cue.endswith("*")
    words = cue.rstrip("*").split()
    body = r"[\s\-]+".join(re.escape(w) for w in words)
    body = body.replace("\u2019", "'").replace("'", "['\u2019]")
    ending = r"\w*" if wildcard else r"(?:s|es|ed|ing|d)?"
    return rf"(?<![\w]){body}{ending}(?![\w])"


@dataclass(frozen=True)
class CueHit:
    cue: str
    start: int
    end: int


class CueMatcher:
    """Finds which of a fixed set of cues occur in a text, and where."""

    def __init__(self, cues: list[str]) -> None:
        self.cues = [c for c in dict.fromkeys(c.strip() for c in cues) if c]
        # Longest cues first so that "side effect" wins over "effect" at the same place.
        ordered = sorted(self.cues, key=len, reverse=True)
        self._by_group = ordered
        self._regex = re.compile("|".join(f"({_cue_pattern(c)})" for c in ordered), re.IGNORECASE) if ordered else None

    def find(self, text: str) -> list[CueHit]:
        if self._regex is None:
            return []
        hits = []
        for match in self._regex.finditer(text):
            cue = self._by_group[match.lastindex - 1]
            hits.append(CueHit(cue, match.start(), match.end()))
        return hits

    def matched(self, text: str) -> list[str]:
        """The distinct cues found, in order of first occurrence."""
        return list(dict.fromkeys(hit.cue for hit in self.find(text)))
