"""The collection's vocabulary, read from the index: spelling corrections, misspelling variants
and prefix expansion for search-as-you-type.

The vocabulary is the set of indexed terms (Snowball stems) of the searchable text fields. Typos are
looked for on the word as the user typed it (one edit away: a letter missing, extra, swapped or
wrong) and kept when the edited word's stem is in the collection, so "medicaton" becomes
"medication" even though the index only knows "medic". Words two edits away fall back to
Whoosh's Levenshtein automaton over the stems.

Correction is bounded: only a word the index does not know, is all letters and does not look like
an acronym or a code (PGK, G-CSF, B12) is corrected; the one-edit candidates are a fixed set,
the two-edit search keeps the first letter (Whoosh's automaton walks only the terms starting with
it, not the whole vocabulary) and runs only for words of MIN_TWO_EDITS letters or more, and
answers are remembered per word for the generation (search-as-you-type repeats them).

Misspelling *variants* handle typos inside the collection: the seeds spell "Withdrawl" in two
headings. A word and a known word one insertion, deletion or transposition away are variants of
each other when one is much rarer than the other; a query for either also matches the other (at a
lower weight). Substitutions are left out because they mostly join real words ("affect"/"effect"),
and so are pairs whose stems are further apart than their words ("dosing"/"doing").
"""

from __future__ import annotations

import bisect
import string
import threading
from collections.abc import Callable

from viewer.search.schema import SectionAnalyzer

TEXT_FIELDS = ("body",)  # indexes title, heading and text together (see schema)
MIN_VARIANT_LENGTH = 7  # shorter words have too many real neighbours ("pain"/"paint")
VARIANT_RATIO = 5  # one form must be this many times rarer to count as a misspelling
MAX_VARIANTS = 3
MIN_PREFIX = 2  # a one-letter prefix would match a large part of the vocabulary
MAX_PREFIX_TERMS = 24  # the most frequent completions of a prefix
MAX_PREFIX_CANDIDATES = 400
PREFIX_STEM_SLACK = 4  # typed past the stem: "medica" still matches "medic" (medication)
LETTERS = string.ascii_lowercase
MIN_TWO_EDITS = 5  # shorter words are two edits from too many others
TWO_EDIT_PREFIX = 1  # letters the two-edit search keeps (typos rarely hit the first)
CACHE_LIMIT = 20_000  # remembered corrections and variants per generation


def looks_like_code(word: str) -> bool:
    """An acronym, code or name typed as such (PGK, mTOR, B12, 5-HT): never "corrected"."""
    capitals = sum(c.isupper() for c in word)
    return any(c.isdigit() for c in word) or capitals >= 2 or len(word) <= 2


def edits1(word: str, substitutions: bool = True) -> set[str]:
    """Every string one edit from word (deletion, transposition, insertion, substitution)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b for a, b in splits for c in LETTERS)
    if substitutions:
        edits.update(a + c + b[1:] for a, b in splits if b for c in LETTERS)
    edits.discard(word)
    return edits


class Vocabulary:
    """The indexed terms of the text fields of one index generation (read-only once built)."""

    def __init__(
        self,
        terms: list[str] | None = None,
        stored: Callable[[object], list[str] | None] | None = None,
    ) -> None:
        """`terms`: the vocabulary; None to read it when first needed. `stored(reader)` gives
        the sorted terms from the generation's vocabulary file (term_files), or None when it
        has no usable one: then the index itself is asked about each word (a one-shot CLI
        search asks about its few words instead of reading every segment's terms)."""
        self._sorted: list[str] | None = None
        self._known: frozenset[str] | None = None
        self._load_lock = threading.Lock()
        self._stored = stored
        if terms is not None:
            self._set(terms)
        self._corrections: dict[str, str | None] = {}
        self._variants: dict[str, list[str]] = {}

    def _set(self, terms) -> None:
        self._sorted = sorted(set(terms))
        self._known = frozenset(self._sorted)

    @classmethod
    def from_reader(cls, reader) -> Vocabulary:
        return cls(cls._read_terms(reader))

    @staticmethod
    def _read_terms(reader) -> list[str]:
        indexed = set(reader.indexed_field_names())
        terms: set[str] = set()
        for field in TEXT_FIELDS:
            if field in indexed:
                terms.update(
                    t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(field)
                )
        return list(terms)

    def _from_file(self, reader) -> bool:
        """Whether every term is known now, read from the vocabulary file if not yet tried."""
        if self._known is None and self._stored is not None:
            with self._load_lock:
                stored, self._stored = self._stored, None
                if self._known is None and stored is not None:
                    terms = stored(reader)
                    if terms is not None:  # sorted and unique as written (term_files)
                        self._sorted, self._known = terms, frozenset(terms)
        return self._known is not None

    def load(self, reader) -> None:
        """Read every term now (a worker thread does this before the app says "Search ready")."""
        if self._known is None and not self._from_file(reader):
            with self._load_lock:
                if self._known is None:
                    self._set(self._read_terms(reader))

    def terms(self, reader) -> list[str]:
        self.load(reader)
        return self._sorted or []  # set by load()

    def knows(self, reader, term: str) -> bool:
        """Whether the term is in the collection: from the set of all terms (the vocabulary
        file's, or all read), else from the index itself."""
        if self._from_file(reader):
            return term in (self._known or frozenset())
        return any((field, term) in reader for field in TEXT_FIELDS)

    @staticmethod
    def doc_frequency(reader, term: str) -> int:
        """In how many sections the term occurs, counting the field where it is most common."""
        return max(reader.doc_frequency(field, term) for field in TEXT_FIELDS)

    def correct(self, reader, analyzer: SectionAnalyzer, word: str) -> str | None:
        """The known word nearest to a folded word that the collection does not contain.

        None when the word is known, not searchable (a stop word) or has no near neighbour.
        """
        if word in self._corrections:
            return self._corrections[word]
        found = self._correct(reader, analyzer, word)
        if len(self._corrections) > CACHE_LIMIT:
            self._corrections.clear()
        self._corrections[word] = found
        return found

    def _correct(self, reader, analyzer: SectionAnalyzer, word: str) -> str | None:
        term = analyzer.term(word)
        if not term or self.knows(reader, term) or not word.isalpha():
            return None
        best: tuple[int, str] | None = None
        for candidate in edits1(word):
            candidate_term = analyzer.term(candidate)
            if candidate_term and self.knows(reader, candidate_term):
                ranked = (self.doc_frequency(reader, candidate_term), candidate)
                if (
                    best is None
                    or ranked[0] > best[0]
                    or (ranked[0] == best[0] and candidate < best[1])
                ):
                    best = ranked
        if best is not None:
            return best[1]
        if len(word) < MIN_TWO_EDITS:
            return None
        # Two edits away: ask the automaton over the stems (the answer is a stem, which
        # the caller may show in a better form found in the text).
        found: list[str] = []
        for field in TEXT_FIELDS:
            found.extend(
                t.decode("utf-8") if isinstance(t, bytes) else t
                for t in reader.terms_within(field, term, 2, prefix=TWO_EDIT_PREFIX)
            )
        found = [t for t in set(found) if len(t) >= 3]
        if not found:
            return None
        return max(found, key=lambda t: (self.doc_frequency(reader, t), [-ord(c) for c in t]))

    def variants(self, reader, analyzer: SectionAnalyzer, word: str) -> list[str]:
        """Terms that are likely misspellings of the folded word, or that it misspells."""
        found = self._variants.get(word)
        if found is None:
            found = self._find_variants(reader, analyzer, word)
            if len(self._variants) > CACHE_LIMIT:
                self._variants.clear()
            self._variants[word] = found
        return found

    def _find_variants(self, reader, analyzer: SectionAnalyzer, word: str) -> list[str]:
        if len(word) < MIN_VARIANT_LENGTH or not word.isalpha():
            return []
        term = analyzer.term(word)
        if not term or not self.knows(reader, term):
            return []
        frequency = None
        found: list[tuple[int, str]] = []
        seen = {term}
        for candidate in edits1(word, substitutions=False):
            candidate_term = analyzer.term(candidate)
            if (
                not candidate_term
                or candidate_term in seen
                or not self.knows(reader, candidate_term)
            ):
                continue
            seen.add(candidate_term)
            # The stems must be one edit apart too: "dosing"/"doing" are, but "dose"/"do" not.
            if candidate_term not in edits1(term, substitutions=False):
                continue
            if frequency is None:
                frequency = self.doc_frequency(reader, term)
            other = self.doc_frequency(reader, candidate_term)
            if other >= VARIANT_RATIO * frequency or frequency >= VARIANT_RATIO * other:
                found.append((other, candidate_term))
        found.sort(reverse=True)
        return [t for _, t in found[:MAX_VARIANTS]]

    def complete(self, reader, analyzer: SectionAnalyzer, prefix: str) -> list[str]:
        """Terms a folded, partly typed word may become: the most frequent terms starting with it,
        plus a stem the prefix has typed past ("medica" -> "medic")."""
        if len(prefix) < MIN_PREFIX:
            return []
        terms = self.terms(reader)
        known = self._known or frozenset()  # set by terms()
        start = bisect.bisect_left(terms, prefix)
        stop = bisect.bisect_left(terms, prefix + "\uffff")
        candidates = terms[start : min(stop, start + MAX_PREFIX_CANDIDATES)]
        if len(candidates) > MAX_PREFIX_TERMS:
            candidates = sorted(candidates, key=lambda t: -self.doc_frequency(reader, t))
            candidates = candidates[:MAX_PREFIX_TERMS]
        chosen = list(candidates)
        whole = analyzer.term(prefix)
        if whole and whole in known and whole not in chosen:
            chosen.append(whole)
        for length in range(len(prefix) - 1, max(3, len(prefix) - PREFIX_STEM_SLACK) - 1, -1):
            stem = prefix[:length]
            if stem in known and stem not in chosen:
                chosen.append(stem)
                break
        return chosen
