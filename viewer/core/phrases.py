"""Words and phrases matched on stems: the tokens of a sentence, and the cue phrases of the
safety rules (resources/safety.toml) found among them.

A sentence becomes tokens: words (lower case, with their Snowball English stem, so "drowsy"
and "drowsiness", "poison" and "poisoning", "irritate" and "irritation" meet) and the clause
punctuation that bounds a negation's reach. Contractions are opened ("don't" -> do not,
"cannot" -> can not) so that the negation rules see one form. Hyphens separate words.

A phrase is a sequence of elements, each one of:
  word        any word with the same stem ("dose" finds doses, dosing)
  word*       any word beginning so ("pregnan*" finds pregnant and pregnancy)
  a|b|c       any of these at this place ("doctor|gp|pharmacist")
  =word       exactly this word, no other form ("=timing": not "time", which has its stem)
  #           a number, in digits or words ("three")
  ...         up to GAP_WORDS other words, not across a comma, colon or bracket
The stemmer (snowballstemmer, pure Python) is imported when the first phrase is compiled, so
opening an article from the catalogue never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GAP = "..."
GAP_WORDS = 4
# Words (letters, digits, inner apostrophes) and the punctuation that ends a clause.
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[,;:()\[\]\u2013\u2014]|(?<=\s)-(?=\s)")
_CONTRACTIONS = {"can't": ("can", "not"), "cannot": ("can", "not"), "won't": ("will", "not"),
                 "shan't": ("shall", "not"), "ain't": ("is", "not")}
_STEM_CACHE_LIMIT = 200_000
# What "#" accepts besides digits: "up to three times a day".
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty "
                         "thirty forty fifty hundred".split())


class Stemmer:
    """Snowball English stems with a cache (a collection's vocabulary is small; its tokens many)."""

    def __init__(self) -> None:
        from snowballstemmer.english_stemmer import EnglishStemmer  # lazy: see the module docstring

        self._stem = EnglishStemmer().stemWord
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._stem(word) if word.isalpha() else word
            if len(self._cache) < _STEM_CACHE_LIMIT:
                self._cache[word] = stem
        return stem


@dataclass(slots=True)
class Tokens:
    """A sentence's tokens as parallel lists; `punct[i]` marks clause punctuation."""

    words: list[str]
    stems: list[str]
    starts: list[int]
    ends: list[int]
    punct: list[bool]

    def __len__(self) -> int:
        return len(self.words)

    def span_text(self, first: int, last: int) -> str:
        """The words first..last (inclusive) as plain lower-case text, for evidence."""
        return " ".join(w for w, p in zip(self.words[first:last + 1], self.punct[first:last + 1]) if not p)


def tokenize(text: str, stem: Stemmer) -> Tokens:
    words, stems, starts, ends, punct = [], [], [], [], []
    for match in _TOKEN.finditer(text):
        raw = match.group().lower().replace("\u2019", "'")
        start, end = match.span()
        if raw[0].isalnum():
            if raw in _CONTRACTIONS:
                parts = _CONTRACTIONS[raw]
            elif raw.endswith("n't"):
                parts = (raw[:-3], "not")
            elif raw.endswith("'s"):
                parts = (raw[:-2],)
            else:
                parts = (raw,)
            for part in parts:
                words.append(part)
                stems.append(stem(part))
                starts.append(start)
                ends.append(end)
                punct.append(False)
        else:
            words.append(raw)
            stems.append(raw)
            starts.append(start)
            ends.append(end)
            punct.append(True)
    return Tokens(words, stems, starts, ends, punct)


@dataclass(frozen=True, slots=True)
class Element:
    """One place of a phrase: stems it accepts, word prefixes it accepts, or any number."""

    stems: frozenset[str]
    prefixes: tuple[str, ...]
    number: bool = False
    gap_before: bool = False
    exact: frozenset[str] = frozenset()

    def accepts(self, word: str, stem: str) -> bool:
        if stem in self.stems or word in self.exact:
            return True
        if self.number and (word[:1].isdigit() or word in NUMBER_WORDS):
            return True
        return any(word.startswith(p) for p in self.prefixes)


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str  # as written in the rules, shown as evidence
    elements: tuple[Element, ...]
    tag: object = None  # what the caller attaches (category and severity, a negation role ...)


@dataclass(frozen=True, slots=True)
class Hit:
    phrase: Phrase
    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive)


def compile_phrase(text: str, stem: Stemmer, tag: object = None) -> Phrase | None:
    """A phrase from its written form; None when it has no word to match."""
    elements: list[Element] = []
    gap = False
    for part in text.lower().replace("\u2019", "'").replace("-", " ").split():
        if part == GAP:
            gap = bool(elements)
            continue
        options = part.split("|")
        if len(options) == 1 and not options[0].endswith("*") and len(tokenize(options[0], stem)) > 1:
            # "a&e", "st john's": one written word, several tokens; each is a place of its own.
            for index, word in enumerate(tokenize(options[0], stem).stems):
                elements.append(Element(frozenset({word}), (), False, gap and index == 0))
            gap = False
            continue
        stems, prefixes, number, exact = set(), [], False, set()
        for option in options:
            if option.startswith("=") and option[1:]:
                exact.add(option[1:])
            elif option == "#":
                number = True
            elif option.endswith("*") and option.rstrip("*"):
                prefixes.append(option.rstrip("*"))
            elif option:
                stems.update(tokenize(option, stem).stems[:1])
        if stems or prefixes or number or exact:
            elements.append(Element(frozenset(stems), tuple(prefixes), number, gap, frozenset(exact)))
        gap = False
    return Phrase(text.strip(), tuple(elements), tag) if elements else None


class PhraseMatcher:
    """Finds a fixed set of phrases in tokens. Phrases are indexed by what their first element
    accepts (a stem, or the first three letters of a prefix), so each token is tried only
    against the phrases that can start there."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.phrases = phrases
        self._by_stem: dict[str, list[Phrase]] = {}
        self._by_prefix: dict[str, list[Phrase]] = {}
        self._always: list[Phrase] = []  # numbers and prefixes too short to index
        # Longest first, so that at one place the fuller phrase is reported first.
        for phrase in sorted(phrases, key=lambda p: -len(p.elements)):
            first = phrase.elements[0]
            for stem in first.stems | first.exact:
                self._by_stem.setdefault(stem, []).append(phrase)
            for prefix in first.prefixes:
                if len(prefix) >= 3:
                    self._by_prefix.setdefault(prefix[:3], []).append(phrase)
            if first.number or any(len(p) < 3 for p in first.prefixes):
                self._always.append(phrase)

    def find(self, tokens: Tokens) -> list[Hit]:
        """Every phrase occurrence (overlapping ones too), in order of their first token."""
        hits: list[Hit] = []
        words, stems, punct = tokens.words, tokens.stems, tokens.punct
        by_stem, by_prefix = self._by_stem, self._by_prefix
        for index, stem in enumerate(stems):
            if punct[index]:
                continue
            word = words[index]
            candidates = by_stem.get(stem)
            if word != stem and word in by_stem:  # exact words ("=timing") are keyed as written
                candidates = (candidates or []) + by_stem[word]
            prefixed = by_prefix.get(word[:3]) if by_prefix else None
            if prefixed:
                candidates = (candidates or []) + prefixed
            if self._always:
                candidates = (candidates or []) + self._always
            if not candidates:
                continue
            seen = set()
            for phrase in candidates:
                if id(phrase) in seen:
                    continue
                seen.add(id(phrase))
                if not phrase.elements[0].accepts(word, stem):
                    continue
                last = _match_rest(phrase.elements, 1, index, words, stems, punct)
                if last is not None:
                    hits.append(Hit(phrase, index, last))
        return hits


def _match_rest(elements: tuple[Element, ...], at: int, previous: int, words: list[str],
                stems: list[str], punct: list[bool]) -> int | None:
    """The last token of a match of elements[at:] after token `previous`, or None."""
    if at == len(elements):
        return previous
    element = elements[at]
    reach = GAP_WORDS + 1 if element.gap_before else 1
    position = previous + 1
    for _ in range(reach):
        if position >= len(words) or punct[position]:
            return None
        if element.accepts(words[position], stems[position]):
            found = _match_rest(elements, at + 1, position, words, stems, punct)
            if found is not None:
                return found
        position += 1
    return None
