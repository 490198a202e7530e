"""The search index's schema, its version, and the one text analyzer every field shares.

One Whoosh document per section. Bump SCHEMA_VERSION whenever a field, the analyzer or what
`documents.section_document` puts into a field changes: an index of another version is rebuilt
from scratch (the index is a cache, never the source of truth).

The analyzer is one pass in one class rather than Whoosh's chain of generator filters
(tokenizer | lowercase | accent fold | stop | stem): same result, about three times faster,
which is most of the index build time. Words are found in the text as written and folded one by
one (cached per written form), so fold() can read case: an acronym's plural ("RXRs") loses its
"s". Text fields keep positions (for phrases) as raw arrays
(SectionPositions) rather than Whoosh's pickled lists.
"""

from __future__ import annotations

import operator
import re
import threading
from array import array
from functools import lru_cache
from itertools import accumulate, chain
from typing import cast

import Stemmer
from whoosh.analysis import Analyzer, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.support.charset import accent_map

# 14: each generation holds its vocabulary file (term_files.py), each segment its terms file.
SCHEMA_VERSION = 14

# Whoosh's default word pattern: letters/digits, keeping "3.5" and "e.g" together.
WORD_PATTERN = re.compile(r"\w+(?:\.?\w+)*")
MIN_WORD = 1  # "vitamin D", "T cells", "G-CSF": one letter can be what is looked for
MAX_WORD = 40  # longer "words" are URLs, hashes or base64: not worth a vocabulary entry
STEM_CACHE_LIMIT = 200_000
_POSITION_TYPE = "I" if array("I").itemsize == 4 else "L"
_POSITION_SIZE = array(_POSITION_TYPE).itemsize

# Plain words search one field, `body`, which indexes the article title, the section heading
# (HEADING_REPEAT times: a word in a heading says more about a section than one in its text) and
# the text. One field means one posting list to read and score per word; searching three
# fields per word was four times slower.
HEADING_REPEAT = 3
PART_GAP = 100  # position gap between those parts: a phrase never spans two of them
DEFAULT_FIELD = "body"
# "kratom's" gives a lone "s": as common as a stop word and as empty of meaning.
STOP_WORDS_EXTRA = frozenset(("s",))
# Snowball English (PyStemmer, C) rather than Whoosh's Porter, whose step 1b misses rules
# ("activated" -> activat but "activation" -> activ, so they never met).
STEMMER_LANGUAGE = "english"
# Stemming leaves some word families apart that a reader takes as one: "dosing" and "doses" stem to
# "dose" but "dosage" to "dosag", so a search for "dosing" missed the "Dosage" sections.
STEM_FAMILIES = {"dosag": "dose"}


# Greek letters by their names: "TNF-α" is written "TNF-alpha" as often, and a keyboard types the
# latter. (Upper case ones are lowered first; the micro sign is written for mu too.)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψωϑϕϵµ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
        "sigma sigma tau upsilon phi chi psi omega theta phi epsilon mu".split(),
    )
)
FOLD_TABLE = {**accent_map, **{ord(letter): name for letter, name in _GREEK.items()}}
# The plural of an acronym: "RXRs", "mRNAs", "DCs", "iPSCs" (two capitals or more, the last letter
# before the "s" a capital or a digit). Snowball keeps the "s" when no vowel comes before it
# ("rxrs", "dcs") or only right before it ("mrnas"), so the plural never met the singular.
_ACRONYM_PLURAL = re.compile(r"\b(?=[a-z0-9]*[A-Z][a-z0-9]*[A-Z])([A-Za-z0-9]*[A-Z0-9])s\b")


def fold(text: str) -> str:
    """Lower case without accents ("Café" -> "cafe"), Greek letters named ("α" -> "alpha"), an
    acronym's plural singular ("RXRs" -> "rxr"): how every word is compared."""
    if "s" in text:
        text = _ACRONYM_PLURAL.sub(r"\1", text)
    return text.lower().translate(FOLD_TABLE)


class SectionAnalyzer(Analyzer):
    """Words -> folded -> stop words dropped (positions renumbered) -> Snowball English stems.

    `no_morph=True` or `tokenize=False` (Whoosh's prefix and fuzzy queries) skip stemming.
    """

    is_morph = True

    def __init__(self) -> None:
        self.stops = STOP_WORDS | STOP_WORDS_EXTRA
        self._stemmers = threading.local()  # a PyStemmer object is not to be shared by threads
        self._stems: dict[str, str] = {}
        # folded word -> its term, or "" for a word that is not indexed (stop word, too short)
        self._terms: dict[str, str] = {}
        # the same by the word as written (fold() reads its case: "RXRs" is a plural, "DOGS" not)
        self._written: dict[str, str] = {}

    def __getstate__(self) -> dict:  # the schema is pickled into the index: leave caches out
        return {"stops": self.stops}

    def __setstate__(self, state: dict) -> None:
        SectionAnalyzer.__init__(self)
        self.stops = state["stops"]

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.stops == self.stops

    def has_morph(self) -> bool:
        return True

    def stem(self, word: str) -> str:
        """The stem of an already folded word (cached: a collection repeats its words)."""
        stems = self._stems
        found = stems.get(word)
        if found is None:
            if len(stems) > STEM_CACHE_LIMIT:
                stems.clear()
            stemmed = self._stemmer().stemWord(word)
            found = stems[word] = STEM_FAMILIES.get(stemmed, stemmed)
        return found

    def _stemmer(self):
        stemmer = getattr(self._stemmers, "stemmer", None)
        if stemmer is None:
            stemmer = self._stemmers.stemmer = Stemmer.Stemmer(STEMMER_LANGUAGE)
            stemmer.maxCacheSize = 0  # self._stems is the cache
        return stemmer

    def term(self, word: str) -> str:
        """The indexed term of one folded word, or "" if the word is not indexed."""
        found = self._terms.get(word)
        if found is None:
            if len(self._terms) > STEM_CACHE_LIMIT:
                self._terms.clear()
            indexed = MIN_WORD <= len(word) <= MAX_WORD and word not in self.stops
            found = self._terms[word] = self.stem(word) if indexed else ""
        return found

    def written_term(self, word: str) -> str:
        """The indexed term of one word as written (one WORD_PATTERN match), or ""."""
        found = self._written.get(word)
        if found is None:
            if len(self._written) > STEM_CACHE_LIMIT:
                self._written.clear()
            found = self._written[word] = self.term(fold(word))
        return found

    def word_terms(self, words: list[str]) -> list[str]:
        """The term of each word as written, "" for a word the index leaves out."""
        known = list(map(self._written.get, words))  # one C-level pass when every word is known
        if None in known:
            return [self.written_term(w) for w in words]
        return cast("list[str]", known)  # no None in it

    def terms(self, text: str) -> list[str]:
        """The indexed terms of a text, in order (what the index holds for it). Words are found
        in the text as written and folded one by one, as a query's words and a snippet's are."""
        return list(filter(None, self.word_terms(WORD_PATTERN.findall(text))))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        no_morph=False,
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            token.original = token.text = fold(value)
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        stops, stem = self.stops, self.stem
        pos = start_pos
        for match in WORD_PATTERN.finditer(value):
            word = fold(match.group())
            if not MIN_WORD <= len(word) <= MAX_WORD or (removestops and word in stops):
                continue
            token.text = word if no_morph else stem(word)
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class SectionPositions(Positions):
    """Whoosh's Positions format, filled from `SectionAnalyzer.terms` in one list pass instead of
    one Token object per word through a generator chain."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, SectionAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost, encode = self.field_boost, self.encode
        for term, poslist in _positions(value, analyzer).items():
            if len(poslist) == 1:  # most words occur once in a section
                yield term, 1, boost, _encode_one_position(poslist[0])
            else:
                yield term, len(poslist), len(poslist) * boost, encode(poslist)

    def postings(self, value, analyzer: SectionAnalyzer) -> list[tuple[bytes, int, float, bytes]]:
        """What `Field.index` gives for a value (term bytes, frequency, weight, positions), as
        one list: the bulk writer's way, without two generators per value and a call per term
        between them (a tenth of a build's time)."""
        boost, encode, one = self.field_boost, self.encode, _encode_one_position
        return [
            (term.encode("utf-8"), 1, boost, one(poslist[0]))
            if len(poslist) == 1
            else (term.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist))
            for term, poslist in _positions(value, analyzer).items()
        ]

    # Positions as a raw array of deltas (Whoosh pickles a list): decoded without unpickling
    # when phrases are checked. The frequency is the array's length.
    def encode(self, poslist) -> bytes:
        return array(_POSITION_TYPE, map(operator.sub, poslist, chain((0,), poslist))).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        deltas = array(_POSITION_TYPE)
        deltas.frombytes(valuestring)
        return list(accumulate(deltas))

    def position_set(self, valuestring: bytes) -> set[int]:
        """The positions as a set (what phrase checking needs)."""
        deltas = array(_POSITION_TYPE)
        deltas.frombytes(valuestring)
        return set(accumulate(deltas))

    # A word occurring once in a section has a value of one position: phrase checking reads
    # many such values joined in one array (evaluate.py) instead of one set per section.
    single_position_size = _POSITION_SIZE

    @staticmethod
    def single_positions(joined: bytes) -> array:
        """The positions of values that each hold one position, joined."""
        positions = array(_POSITION_TYPE)
        positions.frombytes(joined)
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // _POSITION_SIZE

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


def _positions(value, analyzer: SectionAnalyzer) -> dict[str, list[int]]:
    """Each term of a value (a text, or a list of parts with a gap between them) and its
    positions."""
    positions: dict[str, list[int]] = {}
    start = 0
    for part in [value] if isinstance(value, str) else value:  # a list: parts with gaps
        terms = analyzer.terms(part)
        for pos, term in enumerate(terms, start):
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        start += len(terms) + PART_GAP
    return positions


@lru_cache(maxsize=8192)
def _encode_one_position(pos: int) -> bytes:
    return array(_POSITION_TYPE, (pos,)).tobytes()


def _text(analyzer: SectionAnalyzer) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=True)
    field.format = SectionPositions()
    return field


def build_schema() -> Schema:
    analyzer = SectionAnalyzer()
    return Schema(
        # "article-id#anchor", for callers; not searched (updates replace whole articles).
        key=STORED(),
        # The article's id: for `--article ID` and for deleting an article's sections together.
        article=ID(stored=True),
        # The source file's path relative to the corpus, for callers; not searched.
        path=STORED(),
        # Article title, stemmed, for `title:`; every section of the article carries it.
        title=_text(analyzer),
        # Section heading, stemmed, for `section:`.
        heading=_text(analyzer),
        # Section anchor (stable slug) for links into the reader.
        anchor=STORED(),
        # summary / intro / section / conclusion.
        kind=ID(stored=True),
        # Topic names (section's own, then the article's), stemmed, for `topic:`.
        topics=_text(analyzer),
        # Whether the safety classifier marked the section (`--safety-only` filters on it).
        safety=BOOLEAN(stored=True),
        # Safety categories of the section (ids from viewer.core.safety_categories).
        categories=KEYWORD(stored=True, commas=True),
        # What plain words search: title, heading (repeated) and text, stemmed, positioned for
        # phrases; only the text is stored (for snippets). See section_document.
        body=_text(analyzer),
        # Position of the section within its article (reading order), for callers.
        order=STORED(),
    )
