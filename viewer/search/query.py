"""Reading a user's query: cleaning, parsing, and widening it with the collection's vocabulary.

The syntax and how plain text is read are in reading.py. Here: the text cleaned first (control
characters dropped, over-long queries shortened, an empty `title:` ignored), and the parsed query
widened with misspelling variants and prefix completions. Nothing a user types raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from viewer.search.reading import Coordinated, QueryReader
from viewer.search.schema import DEFAULT_FIELD, WORD_PATTERN, SectionAnalyzer, fold
from viewer.search.spelling import Vocabulary

MAX_QUERY_CHARS = 500
VARIANT_BOOST = 0.6  # a misspelling variant counts, but less than the word as written
TEXT_FIELDS = frozenset(("body", "heading", "title", "topics"))
RANKED_WITHIN = frozenset(("title", "topics"))
_KNOWN_FIELDS = {
    "title",
    "topic",
    "topics",
    "section",
    "sections",
    "heading",
    "text",
    "body",
    "article",
    "kind",
    "safety",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_FIELD_THEN_SPACE = re.compile(r"\b(\w+):\s+(?=[^\s:])")
_FIELD_AT_END = re.compile(r"\b\w+:\s*$")


@dataclass
class CleanQuery:
    text: str
    notes: list[str] = field(default_factory=list)


def clean_query(raw: str) -> CleanQuery:
    """The query with control characters gone, length capped and empty field prefixes fixed."""
    notes: list[str] = []
    text = _CONTROL.sub(" ", raw or "")
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        text = cut[: cut.rfind(" ")] if " " in cut[MAX_QUERY_CHARS // 2 :] else cut
        notes.append(f"The query was shortened to its first {len(text)} characters.")

    def attach(match: re.Match) -> str:  # "title: kratom" means title:kratom
        return f"{match.group(1)}:" if match.group(1).lower() in _KNOWN_FIELDS else match.group(0)

    text = _FIELD_THEN_SPACE.sub(attach, text)
    text = _FIELD_AT_END.sub("", text)  # "title:" with nothing after it
    text = " ".join(text.split())
    if only_exclusions(text):
        notes.append(
            "A query of only excluded words (NOT word, -word) matches nothing: "
            "add a word to look for."
        )
    return CleanQuery(text, notes)


def only_exclusions(text: str) -> bool:
    """True for "NOT kratom" or "-kratom -dose": words to leave out but none to look for."""
    words = text.split()
    excluded = looked_for = 0
    negate_next = False
    for word in words:
        if word in ("AND", "OR"):
            continue
        if word == "NOT":
            negate_next = True
            continue
        if negate_next or word.startswith("-"):
            excluded += 1
        else:
            looked_for += 1
        negate_next = False
    return excluded > 0 and looked_for == 0


def with_prefix_on_last_word(text: str) -> str:
    """Mark the last word for completion, unless it is closed (space, quote, bracket) or negated."""
    if not text or not (text[-1].isalnum() or text[-1] == "_") or text.count('"') % 2:
        return text
    last = text.split()[-1]
    if last.startswith("-") or last in ("AND", "OR", "NOT"):
        return text
    return text + "*"


def parse(text: str, analyzer: SectionAnalyzer, schema=None) -> wq.Query:
    """The query for a cleaned text (reading.py says how text is read)."""
    return QueryReader(analyzer, schema).read(text)


class Expander:
    """Widens a parsed query for one search: misspelling variants and prefix completions."""

    def __init__(
        self, vocabulary: Vocabulary, reader, analyzer: SectionAnalyzer, text: str
    ) -> None:
        self.vocabulary = vocabulary
        self.reader = reader
        self.analyzer = analyzer
        # term -> the word as typed, since the parsed query only holds stems
        self.typed: dict[str, str] = {}
        for word in WORD_PATTERN.findall(text):
            folded = fold(word)
            self.typed.setdefault(analyzer.term(folded), folded)
        self._variants: dict[str, list[str]] = {}
        self._completions: dict[str, list[str]] = {}

    def expand(self, q: wq.Query) -> wq.Query:
        if isinstance(q, wq.Term) and q.fieldname in TEXT_FIELDS:
            variants = self.variants(q.text)
            if variants:
                alternatives = [
                    wq.Term(q.fieldname, v, boost=q.boost * VARIANT_BOOST) for v in variants
                ]
                return self._rank_within(q, wq.Or([q] + alternatives))
            return self._rank_within(q, q)
        if isinstance(q, wq.Phrase) and q.fieldname in TEXT_FIELDS:
            return self._rank_within(q, q)
        if isinstance(q, wq.Prefix) and q.fieldname in TEXT_FIELDS:
            terms = self.completions(q.text)
            if not terms:
                return wq.NullQuery
            return wq.Or([wq.Term(q.fieldname, t, boost=q.boost) for t in terms])
        if isinstance(q, Coordinated):
            return Coordinated([self.expand(c) for c in q.subqueries], boost=q.boost)
        if isinstance(q, wq.Or):
            return wq.Or(
                [self.expand(c) for c in q.subqueries],
                boost=q.boost,
                minmatch=q.minmatch,
                scale=q.scale,
            )
        if q.is_leaf():
            return q
        return q.apply(self.expand)

    @staticmethod
    def _rank_within(original: wq.Query, required: wq.Query) -> wq.Query:
        """`title:` and `topic:` match every section of an article or topic alike; among those,
        rank the sections whose heading or text has the words first."""
        if original.fieldname not in RANKED_WITHIN:
            return required
        if isinstance(original, wq.Phrase):
            return wq.AndMaybe(
                required, wq.Phrase(DEFAULT_FIELD, original.words, slop=original.slop)
            )
        return wq.AndMaybe(required, wq.Term(DEFAULT_FIELD, original.text))

    def variants(self, term: str) -> list[str]:
        if term not in self._variants:
            typed = self.typed.get(term)
            self._variants[term] = (
                self.vocabulary.variants(self.reader, self.analyzer, typed) if typed else []
            )
        return self._variants[term]

    def completions(self, prefix: str) -> list[str]:
        if prefix not in self._completions:
            words = WORD_PATTERN.findall(fold(prefix))
            self._completions[prefix] = (
                self.vocabulary.complete(self.reader, self.analyzer, words[0]) if words else []
            )
        return self._completions[prefix]


def positive_terms(q: wq.Query, phrases: set | None = None) -> set[str]:
    """The text terms a matching section may contain (negated parts left out), for highlighting;
    with `phrases`, phrase terms go there as sequences instead."""
    found: set[str] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, wq.Term):
            if node.fieldname in TEXT_FIELDS and isinstance(node.text, str):
                found.add(node.text)
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname in TEXT_FIELDS and phrases is not None:
                phrases.add(tuple(w for w in node.words if isinstance(w, str)))
            elif node.fieldname in TEXT_FIELDS:
                found.update(w for w in node.words if isinstance(w, str))
            return
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return found


def positive_parts(q: wq.Query) -> tuple[set[str], list[tuple[str, ...]]]:
    """(terms matched on their own, phrases as term sequences): what a hit highlights."""
    phrases: set[tuple[str, ...]] = set()
    return positive_terms(q, phrases), sorted(phrases)


def replace_words(text: str, corrections: dict[str, str]) -> str:
    """The query text with each corrected word (folded form as key) replaced, syntax kept."""

    def swap(match: re.Match) -> str:
        return corrections.get(fold(match.group()), match.group())

    return WORD_PATTERN.sub(swap, text)
