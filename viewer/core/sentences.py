"""Sentences of a paragraph's plain text: where each starts and ends.

One splitter for every reader of sentences: the safety classifier, the catalogue's cached
sentence positions and the reading pane's marks must agree on them to the character.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (and any closing quote or bracket) followed by space and a capital,
# digit or opening quote. A blank line ends one too. A single line break inside a paragraph is
# a space (a Markdown sentence wrapped over two lines), unless the line before ends a clause
# or the next line starts like a new one (list items, whose markers plain text has dropped, and
# .txt lines start with a capital or a digit).
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
    r"|\n(?:\s*\n|(?<=[.!?:;]\n)|(?=\s*[\"'\u201c\u2018(\[]?[A-Z0-9]))\s*"
)
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "dr.", "vs.", "approx.", "no.", "st.", "mr.", "mrs.", "ms.", "u.s.", "cf."}
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a paragraph; short abbreviations do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        body = text[start : match.start()].rstrip()
        last_word = body.rsplit(None, 1)[-1].lower().lstrip("(\"'\u201c\u2018") if body else ""
        if last_word in _ABBREVIATIONS and "\n" not in match.group():
            # "No." shortens "number" only before one ("No. 5"); an FAQ's "No. It is for
            # short-term use only." is an answer and a sentence, which "No" must not negate.
            if last_word != "no." or text[match.end() : match.end() + 1].isdigit():
                continue
        if body.strip():
            spans.append((start, start + len(body)))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def is_question(text: str) -> bool:
    """A question ("Is it addictive?", "Can I drink alcohol on it?") warns of nothing itself: an
    FAQ asks it and its answer says whether there is a risk (no labelled warning in the dev set
    is a question; every question the rules flagged there was a false alarm)."""
    return text.rstrip().rstrip("\"')\u201d\u2019").endswith("?")
