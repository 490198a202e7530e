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
The stemmer (PyStemmer: the Snowball algorithms in C, 1 ms to import) is loaded when the
first phrase is compiled, so opening an article from the catalogue never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

GAP = "..."
GAP_WORDS = 4
# Words (letters, digits, inner apostrophes) and the punctuation that ends a clause.
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[,;:()\[\]\u2013\u2014]|(?<=\s)-(?=\s)")
_CONTRACTIONS = {
    "can't": ("can", "not"),
    "cannot": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
    # The same without the apostrophe, as forum posts write them (holdout10: "dont drink on
    # it", "dont stop suddenly", "you cant get more than a month at a time").
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "cant": ("can", "not"),
    "shouldnt": ("should", "not"),
    "mustnt": ("must", "not"),
    "isnt": ("is", "not"),
    "arent": ("are", "not"),
}
_STEM_CACHE_LIMIT = 200_000
# What "#" accepts besides digits: "up to three times a day".
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty "
    "thirty forty fifty hundred".split()
)


class Stemmer:
    """Snowball English stems with a cache (a collection's vocabulary is small; its tokens many)."""

    def __init__(self) -> None:
        import Stemmer  # PyStemmer, lazily: see the module docstring

        self._stem = Stemmer.Stemmer("english").stemWord
        self._cache: dict[str, str] = {}
        self._split_cache: dict[str, tuple[tuple[str, str, bool], ...]] = {}

    def split(self, raw: str) -> tuple[tuple[str, str, bool], ...]:
        """The (word, stem, punctuation) triples of a word as written (see _split_word), memoised."""
        parts = self._split_cache.get(raw)
        if parts is None:
            parts = _split_word(raw, self)
            if len(self._split_cache) < _STEM_CACHE_LIMIT:
                self._split_cache[raw] = parts
        return parts

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._stem(word) if word.isalpha() else word
            if len(self._cache) < _STEM_CACHE_LIMIT:
                self._cache[word] = stem
        return stem


@dataclass(slots=True)
class Tokens:
    """A sentence's tokens as parallel lists; `punct[i]` marks clause punctuation. Where each
    token sits in the text (`starts`, `ends`) is worked out only when asked (for evidence):
    most sentences never need it."""

    words: list[str]
    stems: list[str]
    punct: list[bool]
    text: str = ""
    stemmer: Stemmer | None = None
    _spans: tuple[list[int], list[int]] | None = None

    def __len__(self) -> int:
        return len(self.words)

    @property
    def starts(self) -> list[int]:
        return self._offsets()[0]

    @property
    def ends(self) -> list[int]:
        return self._offsets()[1]

    def _offsets(self) -> tuple[list[int], list[int]]:
        if self._spans is None:
            matches = list(_TOKEN.finditer(self.text))
            if len(matches) == len(self.words):  # no contraction: one token per match
                self._spans = ([m.start() for m in matches], [m.end() for m in matches])
            elif self.stemmer is None:  # made without one: a contraction cannot be placed exactly
                self._spans = ([m.start() for m in matches], [m.end() for m in matches])
            else:
                starts: list[int] = []
                ends: list[int] = []
                for match in matches:
                    count = len(self.stemmer.split(match.group()))  # "don't": two tokens, one place
                    starts += [match.start()] * count
                    ends += [match.end()] * count
                self._spans = (starts, ends)
        return self._spans

    def span_text(self, first: int, last: int) -> str:
        """The words first..last (inclusive) as plain lower-case text, for evidence."""
        return " ".join(
            w for w, p in zip(self.words[first : last + 1], self.punct[first : last + 1]) if not p
        )


def tokenize(text: str, stem: Stemmer) -> Tokens:
    # findall and one memoised split per written word: this runs on every sentence.
    flat = [pair for piece in map(stem.split, _TOKEN.findall(text)) for pair in piece]
    return Tokens([p[0] for p in flat], [p[1] for p in flat], [p[2] for p in flat], text, stem)


def _split_word(raw: str, stem: Stemmer) -> tuple[tuple[str, str, bool], ...]:
    """A written word as (word, stem, is clause punctuation): "Don't" -> (do, do), (not, not)."""
    if not raw[0].isalnum():  # clause punctuation is its own token and stem
        return ((raw, raw, True),)
    low = raw.lower().replace("\u2019", "'")
    parts: tuple[str, ...]
    if low in _CONTRACTIONS:
        parts = _CONTRACTIONS[low]
    elif low.endswith("n't"):
        parts = (low[:-3], "not")
    elif low.endswith("'s"):
        parts = (low[:-2],)
    else:
        parts = (low,)
    return tuple((part, stem(part), False) for part in parts)


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


@dataclass(frozen=True, slots=True, eq=False)  # identity: phrases are compared and hashed often
class Phrase:
    text: str  # as written in the rules, shown as evidence
    elements: tuple[Element, ...]
    # What the caller attaches (category and severity, a negation role ...): each caller reads
    # its own shape back, so the matcher does not constrain it (Any, not object).
    tag: Any = None


@dataclass(frozen=True, slots=True)
class Hit:
    phrase: Phrase
    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive)


def compile_phrase(text: str, stem: Stemmer, tag: Any = None) -> Phrase | None:
    """A phrase from its written form; None when it has no word to match."""
    elements: list[Element] = []
    gap = False
    for part in text.lower().replace("\u2019", "'").replace("-", " ").split():
        if part == GAP:
            gap = bool(elements)
            continue
        options = part.split("|")
        if (
            len(options) == 1
            and not options[0].endswith("*")
            and len(tokenize(options[0], stem)) > 1
        ):
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
            elements.append(
                Element(frozenset(stems), tuple(prefixes), number, gap, frozenset(exact))
            )
        gap = False
    return Phrase(text.strip(), tuple(elements), tag) if elements else None


def phrase_problem(text: str, stem: Stemmer) -> str:
    """Why part of a written phrase can never match as its writer meant, or "" when none does.

    A phrase's alternatives are single words at one place, and a hyphen or a space ends one, so
    "check up|checkup" is the two places "check" and "up|checkup", and "flare-up|flare-ups" the
    three "flare", "up|flare", "ups". Caught here: an alternation a hyphen splits, an empty
    alternative ("a||b"), an alternative the text is read as several words ("cannot" is "can
    not", "a&e" is "a" "e": only the first would be tried), and an exact word that reading never
    produces ("=it's", read as "it")."""
    lowered = text.lower().replace("\u2019", "'")
    for chunk in lowered.split():
        if "|" in chunk and "-" in chunk:
            return f"'{chunk}': a hyphen splits the alternatives (write each form as one word)"
    before: list[str] = []  # the options of the place before (none after a gap)
    for part in lowered.replace("-", " ").split():
        if part == GAP:
            before = []
            continue
        options = part.split("|")
        if len(options) > 1 and "" in options:
            return f"'{part}': an empty alternative"
        if len(options) > 1 and any(
            o in before or any(b + p == o for b in before for p in options) for o in options
        ):
            # "call 999|call an ambulance", "check up|checkup": several words meant as one
            # alternative, which would need the word twice ("call call") to match.
            return f"'{' '.join(before)} {part}': alternatives are single words, not phrases"
        before = options
        for option in options:
            exact = option.startswith("=")
            word = option[1:] if exact else option.rstrip("*")
            read = tokenize(word, stem).words
            if option == "#" or not word or (len(options) == 1 and len(read) != 1):
                continue  # one word of several tokens alone is several places ("a&e", "=don't")
            if len(read) != 1 or (exact and read[0] != word):
                shown = " ".join(read) or "nothing"
                return f"'{option}' is read as '{shown}': an alternative or exact word is one word"
    return ""


# Words so common that a phrase is better looked up by a later word ("the pill" by "pill").
_COMMON = frozenset(
    "a an the of in on to for with and or is are was were be been it its this that "
    "you your can may might could will would should must do not no at by from as".split()
)


def _anchor(phrase: Phrase) -> int:
    """The element a phrase is looked up by: the first that is not a common word, provided no
    gap comes before it (then the elements before it are checked on the tokens just before)."""
    for index, element in enumerate(phrase.elements):
        if element.gap_before:
            return 0
        if element.prefixes or element.number or element.exact or not element.stems <= _COMMON:
            return index
    return 0


class PhraseMatcher:
    """Finds a fixed set of phrases in tokens. Phrases are indexed by what one element accepts
    (a stem, or the first three letters of a prefix), normally the first, but a later one when
    the first are common words, so each token is tried only against the phrases that can
    match there; what a word can anchor is memoised per word."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.phrases = phrases
        self._by_stem: dict[str, list[tuple[Phrase, int]]] = {}
        self._by_prefix: dict[str, list[tuple[Phrase, int]]] = {}
        self._always: list[tuple[Phrase, int]] = []  # numbers and prefixes too short to index
        self._starting: dict[str, tuple[tuple[Phrase, int], ...]] = {}  # word -> (phrase, anchor)
        for phrase in phrases:
            anchor = _anchor(phrase)
            element = phrase.elements[anchor]
            for stem in element.stems | element.exact:
                self._by_stem.setdefault(stem, []).append((phrase, anchor))
            for prefix in element.prefixes:
                if len(prefix) >= 3:
                    self._by_prefix.setdefault(prefix[:3], []).append((phrase, anchor))
            if element.number or any(len(p) < 3 for p in element.prefixes):
                self._always.append((phrase, anchor))

    def find(self, tokens: Tokens) -> list[Hit]:
        """Every phrase occurrence (overlapping ones too), in order of their first token."""
        hits: list[Hit] = []
        words, stems, punct = tokens.words, tokens.stems, tokens.punct
        starting = self._starting
        for index, word in enumerate(words):
            if punct[index]:
                continue
            candidates = starting.get(word)
            if candidates is None:
                candidates = self._anchored_at(word, stems[index])
            for phrase, anchor in candidates:
                elements = phrase.elements
                first = index - anchor
                if anchor and (
                    first < 0 or not _before_match(elements, anchor, first, words, stems, punct)
                ):
                    continue
                if len(elements) == anchor + 1:
                    hits.append(Hit(phrase, first, index))
                    continue
                last = _match_rest(elements, anchor + 1, index, words, stems, punct)
                if last is not None:
                    hits.append(Hit(phrase, first, last))
        hits.sort(key=lambda h: h.first)
        return hits

    def anchors(self, word: str, stem: str) -> bool:
        """Can a phrase be found around this word? (A text without such a word has no hit.)"""
        found = self._starting.get(word)
        return bool(found if found is not None else self._anchored_at(word, stem))

    def _anchored_at(self, word: str, stem: str) -> tuple[tuple[Phrase, int], ...]:
        """(phrase, anchor) pairs whose anchor element accepts this word, longest first;
        memoised per word (its stem is a function of it)."""
        candidates = list(self._by_stem.get(stem, ()))
        if word != stem:  # exact words ("=timing") are keyed as written
            candidates += self._by_stem.get(word, ())
        candidates += self._by_prefix.get(word[:3], ())
        candidates += self._always
        found = [c for c in dict.fromkeys(candidates) if c[0].elements[c[1]].accepts(word, stem)]
        found.sort(key=lambda c: -len(c[0].elements))
        if len(self._starting) < _STEM_CACHE_LIMIT:
            self._starting[word] = tuple(found)
        return tuple(found)


def _before_match(
    elements: tuple[Element, ...],
    anchor: int,
    first: int,
    words: list[str],
    stems: list[str],
    punct: list[bool],
) -> bool:
    """Do the elements before the anchor match the tokens from `first` on (no gaps there)?"""
    for offset in range(anchor):
        position = first + offset
        if punct[position] or not elements[offset].accepts(words[position], stems[position]):
            return False
    return True


def _match_rest(
    elements: tuple[Element, ...],
    at: int,
    previous: int,
    words: list[str],
    stems: list[str],
    punct: list[bool],
) -> int | None:
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


def outermost(hits: list[Hit]) -> list[Hit]:
    """The hits not inside a longer hit of the same meaning ("lowest dose" hides "dose"), and
    one hit per span and meaning (two cues with one stem)."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.first, -h.last)):
        if any(
            k.phrase.tag == hit.phrase.tag and k.first <= hit.first and hit.last <= k.last
            for k in kept
        ):
            continue
        kept.append(hit)
    return kept
