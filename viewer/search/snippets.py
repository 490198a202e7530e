"""Snippets: about 30 words of a section around its best match, HTML-safe, matches in <b>.

`make_snippet` is the only place search output turns article text into markup. The text is
escaped exactly once (html.escape, quotes included) and the only tags added are `<b>`/`</b>`
around words whose index term is one the query matched, so a snippet can go straight into a
rich-text label, and `&lt;script&gt;` in an article stays text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from viewer.search.schema import WORD_PATTERN, SectionAnalyzer, fold

SNIPPET_WORDS = 30
CONTEXT_BEFORE = 5     # words shown before the first match, so a snippet does not open on it
ELLIPSIS = "\u2026"
MARK_OPEN, MARK_CLOSE = "<b>", "</b>"


@dataclass
class Snippet:
    html: str
    # The distinct words (as written, lower-cased) that matched, for highlighting elsewhere.
    words: list[str] = field(default_factory=list)


def _best_start(hits: list[int], matched_terms: list[str], count: int, size: int) -> int:
    """Start of the window of `size` words holding the most distinct matched terms (then the
    most matches), opening a few words before its first match when it can."""
    best_start, best_rank = 0, (-1, -1)
    for i, first in enumerate(hits):
        start = max(0, min(first - CONTEXT_BEFORE, count - size))
        inside = [matched_terms[j] for j in range(i, len(hits)) if hits[j] < start + size]
        rank = (len(set(inside)), len(inside))
        if rank > best_rank:
            best_start, best_rank = start, rank
    return best_start


def make_snippet(text: str, terms: frozenset[str] | set[str], analyzer: SectionAnalyzer,
                 size: int = SNIPPET_WORDS) -> Snippet:
    """About `size` words of text around the best cluster of matches of terms."""
    tokens = list(WORD_PATTERN.finditer(text))
    if not tokens:
        return Snippet(html.escape(text.strip()[:200]))
    term_of = [analyzer.term(fold(m.group())) for m in tokens]
    hits = [i for i, term in enumerate(term_of) if term and term in terms]
    start = _best_start(hits, [term_of[i] for i in hits], len(tokens), size) if hits else 0
    stop = min(len(tokens), start + size)
    window_start = tokens[start].start()
    window_end = _end_of_word(text, tokens[stop - 1].end())
    parts: list[str] = [ELLIPSIS + " "] if start > 0 else []
    cursor = window_start
    words: dict[str, None] = {}
    for index in hits:
        if not start <= index < stop:
            continue
        match = tokens[index]
        parts.append(html.escape(text[cursor:match.start()]))
        parts.append(MARK_OPEN + html.escape(match.group()) + MARK_CLOSE)
        cursor = match.end()
    for index in hits:  # every matched word of the section, not only the shown ones
        words.setdefault(tokens[index].group().lower(), None)
    parts.append(html.escape(text[cursor:window_end]))
    if stop < len(tokens):
        parts.append(" " + ELLIPSIS)
    return Snippet(" ".join("".join(parts).split()), list(words))


def _end_of_word(text: str, end: int) -> int:
    """Extend past punctuation that closes the last word ("symptoms." not "symptoms")."""
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end
