"""Snippets: about 30 words of a section around its best match, as spans flagged match or not.

`make_snippet` finds what matched through the index's own analyzer: a word whose term the query
looked for on its own, or a run of words forming one of the query's phrases (so `"side effects"`
marks "side effects", not every "side"). The result is structure (`Snippet.spans`); `html` is the
one place search output turns article text into markup: the text escaped exactly once
(html.escape, quotes included) with `<b>`/`</b>` around the matched spans only, so a snippet can
go straight into a rich-text label and `&lt;script&gt;` in an article stays text.

Work is linear in the section's words and bounded: at most MAX_SCAN_WORDS words are looked at
(a 4 MB section repeating one word costs what its first stretch costs), and the best window is
found in one sliding pass over the matches.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from itertools import compress, islice
from operator import methodcaller

from viewer.search.schema import WORD_PATTERN, SectionAnalyzer

SNIPPET_WORDS = 30
CONTEXT_BEFORE = 5  # words shown before the first match, so a snippet does not open on it
MAX_SCAN_WORDS = 50_000
ELLIPSIS = "\u2026"
_SPACE = re.compile(r"\s+")
_GROUP = methodcaller("group")
MARK_OPEN, MARK_CLOSE = "<b>", "</b>"


@dataclass
class Snippet:
    # (text, matched) in reading order; the texts joined are the snippet as shown.
    spans: list[tuple[str, bool]] = field(default_factory=list)
    # The distinct words (as written, lower-cased) that matched, for highlighting elsewhere; a
    # matched phrase is one entry with its words separated by single spaces.
    words: list[str] = field(default_factory=list)
    # Operations spent finding the window (for the linearity test; no timing anywhere).
    steps: int = 0

    @property
    def html(self) -> str:
        return "".join(
            MARK_OPEN + html.escape(text) + MARK_CLOSE if matched else html.escape(text)
            for text, matched in self.spans
        )

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.spans)


def best_window(hits: list[int], hit_terms: list[str], count: int, size: int) -> tuple[int, int]:
    """(start, steps): the start of the window of `size` words holding the most distinct matched
    terms (then the most matches), opening a few words before its first match when it can.

    One pass with two pointers over the matches, so steps <= 2 * len(hits)."""
    best_start, best_rank = 0, (-1, -1)
    inside: dict[str, int] = {}
    end = steps = 0
    for i, first in enumerate(hits):
        start = max(0, min(first - CONTEXT_BEFORE, count - size))
        if i:  # the previous first match leaves the window
            steps += 1
            term = hit_terms[i - 1]
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
        end = max(end, i)
        while end < len(hits) and hits[end] < start + size:
            steps += 1
            inside[hit_terms[end]] = inside.get(hit_terms[end], 0) + 1
            end += 1
        rank = (len(inside), end - i)
        if rank > best_rank:
            best_start, best_rank = start, rank
    return best_start, steps


def make_snippet(
    text: str,
    terms: frozenset[str] | set[str],
    analyzer: SectionAnalyzer,
    size: int = SNIPPET_WORDS,
    phrases: list[tuple[str, ...]] | None = None,
) -> Snippet:
    """About `size` words of text around the best cluster of matches of terms and phrases."""
    tokens = list(islice(WORD_PATTERN.finditer(text), MAX_SCAN_WORDS))
    if not tokens:
        return Snippet([(" ".join(text.split())[:200], False)])
    term_of = analyzer.word_terms(list(map(_GROUP, tokens)))
    marked = list(map(terms.__contains__, term_of))  # "" (not indexed) is never a term
    runs: list[tuple[int, int]] = []  # (first token, last token) of each matched phrase
    for phrase in phrases or ():
        runs.extend(_phrase_runs(term_of, phrase, marked))
    hits = (
        list(compress(range(len(marked)), marked))
        if not runs
        else [i for i, m in enumerate(marked) if m and term_of[i]]
    )
    start, steps = (
        best_window(hits, [term_of[i] for i in hits], len(tokens), size) if hits else (0, 0)
    )
    stop = min(len(tokens), start + size)
    spans: list[tuple[str, bool]] = [(ELLIPSIS + " ", False)] if start > 0 else []
    cursor = tokens[start].start()
    window_end = _end_of_word(text, tokens[stop - 1].end())
    run_end = {first: last for first, last in runs}
    index = start
    while index < stop:
        if marked[index]:
            last = min(run_end.get(index, index), stop - 1)
            spans.append((text[cursor : tokens[index].start()], False))
            spans.append((text[tokens[index].start() : tokens[last].end()], True))
            cursor = tokens[last].end()
            index = last + 1
            continue
        index += 1
    spans.append((text[cursor:window_end], False))
    if stop < len(tokens):
        spans.append((" " + ELLIPSIS, False))
    words: dict[str, None] = {}
    in_run = {i for first, last in runs for i in range(first, last + 1)}
    for first, last in runs:  # every match of the section, not only the shown ones
        words.setdefault(" ".join(m.group().lower() for m in tokens[first : last + 1]), None)
    for i in hits:
        if i not in in_run:
            words.setdefault(tokens[i].group().lower(), None)
    return Snippet(_squeeze(spans), list(words), steps)


def _phrase_runs(
    term_of: list[str], phrase: tuple[str, ...], marked: list[bool]
) -> list[tuple[int, int]]:
    """Token ranges where the phrase's terms follow each other (words the index leaves out, such
    as stop words, may sit between them, as in the index); their tokens are marked."""
    indexed = [i for i, t in enumerate(term_of) if t]
    found = []
    n = len(phrase)
    for k in range(len(indexed) - n + 1):
        if term_of[indexed[k]] == phrase[0] and all(
            term_of[indexed[k + j]] == phrase[j] for j in range(1, n)
        ):
            first, last = indexed[k], indexed[k + n - 1]
            found.append((first, last))
            for j in range(first, last + 1):
                marked[j] = True
    return found


def _squeeze(spans: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """White space runs (line breaks in a section's text) as one space, empty spans dropped."""
    out = [(_SPACE.sub(" ", text), matched) for text, matched in spans if text]
    if out:
        out[0] = (out[0][0].lstrip(), out[0][1])
        out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return [(text, matched) for text, matched in out if text]


def _end_of_word(text: str, end: int) -> int:
    """Extend past punctuation that closes the last word ("symptoms." not "symptoms")."""
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end
