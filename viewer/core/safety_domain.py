"""Whether an article is about health at all: the check in front of every safety warning.

When it says "not health", no sentence of the article is a warning, so it is the most dangerous
point of the classifier: a health leaflet read as something else shows its reader nothing.
It is therefore fail-safe by design. An article is about health UNLESS there is positive
evidence that it is about something else: its words are counted against a broad health
vocabulary and against the vocabularies of the domains that borrow warning words (software
"side effects", a pension "withdrawal", a lawn fertiliser's "dosage", a debt's "prescription",
a recipe's "overdose on salt"), and only when one of those domains clearly wins is the
article vetoed. A short text, a text of plain words, a text of no known domain: all health.

Evidence is breadth, not frequency: the number of DIFFERENT words of a vocabulary the article
names. One word repeated in another sense ("prescription" of a debt) is not a vocabulary,
while a contact-lens guide names a dozen health words (eye, optician, infection, cornea)
thinly spread over plain prose. A domain wins when it names at least `min_other` different
words of its own AND more than `ratio` times as many as the health vocabulary (when the text
names no health word at all, `min_alone` words of its own suffice).

The vocabularies are the `[domain]` table of resources/safety.toml (or a user's own rules
file), one word a line in the phrase syntax of phrases.py ("word" any form of its stem,
"word*" any word so beginning, "=word" exactly this word); a reader can add to any of them.

Pure Python, no Qt; built once per classifier, nothing global. What a word belongs to is
memoised per written word (a collection's vocabulary is small, its tokens many).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from viewer.core.errors import ViewerError
from viewer.core.phrases import Element, Stemmer, Tokens, compile_phrase
from viewer.core.safety_values import read_number, read_strings

HEALTH = "health"
# A domain must name at least this many different words of its own to veto health ...
DEFAULT_MIN_OTHER = 6
# ... and more than this many times as many as the health vocabulary.
DEFAULT_RATIO = 1.5
# A text that names no health word at all needs only this many of another domain's (a short
# release note: "install", "server", "upgrade"; a health text always names some).
DEFAULT_MIN_ALONE = 3
_MEMO_LIMIT = 200_000
_NONE: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DomainVerdict:
    """Whether an article is read as health, and why (shown as evidence when it is not)."""

    health: bool = True
    domain: str = HEALTH  # the winning domain when it is not health
    health_words: int = 0  # different health words named
    domain_words: tuple[str, ...] = ()  # some different words of the winning domain

    def reason(self) -> str:
        if self.health:
            return ""
        shown = ", ".join(self.domain_words[:4])
        return (
            f"the article is about {self.domain}, not health ({len(self.domain_words)} "
            f"{self.domain} words such as {shown}; {self.health_words} health words)"
        )


class DomainCheck:
    """The health vocabulary and the borrowing domains' vocabularies of one rules file."""

    def __init__(self, table: object, path: Path | str, stem: Stemmer) -> None:
        if table is None:
            table = {}
        if not isinstance(table, dict):
            raise ViewerError(f"the safety cue file {path}: [domain] must be a table")
        self.min_other = read_number(
            table.get("min_other", DEFAULT_MIN_OTHER), int, "[domain] min_other", path
        )
        self.ratio = read_number(table.get("ratio", DEFAULT_RATIO), float, "[domain] ratio", path)
        self.min_alone = read_number(
            table.get("min_alone", DEFAULT_MIN_ALONE), int, "[domain] min_alone", path
        )
        others = table.get("other", {})
        if not isinstance(others, dict) or not all(isinstance(v, list) for v in others.values()):
            raise ViewerError(
                f"the safety cue file {path}: [domain.other] must hold lists of words, "
                "one per domain (software = [...])"
            )
        self.names: tuple[str, ...] = (HEALTH, *others)
        lists = [read_strings(table.get("health"), "[domain] health", path)]
        lists += [read_strings(v, f"[domain.other] {k}", path) for k, v in others.items()]
        self.stemmer = stem
        # The stems and exact words each vocabulary owns, and its prefixes keyed by their first
        # three letters (so a new word is tried against a handful of prefixes, not all of them).
        self._by_stem: dict[str, set[int]] = {}
        self._prefixes: dict[str, list[tuple[str, int]]] = {}
        for index, words in enumerate(lists):
            for text in words:
                phrase = compile_phrase(text, stem)
                if phrase is None or len(phrase.elements) != 1:
                    raise ViewerError(
                        f"the safety cue file {path}: [domain] entries are single words, "
                        f"not '{text}'"
                    )
                self._add(phrase.elements[0], index)
        self._memo: dict[str, tuple[int, ...]] = {}

    def _add(self, element: Element, index: int) -> None:
        for key in element.stems | element.exact:
            self._by_stem.setdefault(key, set()).add(index)
        for prefix in element.prefixes:
            self._prefixes.setdefault(prefix[:3], []).append((prefix, index))

    def domains_of(self, word: str, stem: str) -> tuple[int, ...]:
        """The vocabularies (indexes into `names`) a word belongs to, memoised per word."""
        found = self._memo.get(word)
        if found is None:
            owners = set(self._by_stem.get(stem, ())) | set(self._by_stem.get(word, ()))
            for key in {word[:1], word[:2], word[:3]}:
                owners.update(i for p, i in self._prefixes.get(key, ()) if word.startswith(p))
            found = tuple(sorted(owners)) if owners else _NONE
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[word] = found
        return found

    def tally(self) -> DomainTally:
        return DomainTally(self)


class DomainTally:
    """The different words of each vocabulary an article names, gathered sentence by sentence."""

    def __init__(self, check: DomainCheck) -> None:
        self._check = check
        # Per vocabulary: each different stem named, with the word as first written (evidence).
        self._named: list[dict[str, str]] = [{} for _ in check.names]

    def add(self, tokens: Tokens) -> None:
        domains_of, named = self._check.domains_of, self._named
        for word, stem, punct in zip(tokens.words, tokens.stems, tokens.punct):
            if not punct:
                for index in domains_of(word, stem):
                    named[index].setdefault(stem, word)

    def breadth(self) -> dict[str, int]:
        """How many different words of each vocabulary the article names, by domain name."""
        return {name: len(named) for name, named in zip(self._check.names, self._named)}

    def verdict(self) -> DomainVerdict:
        """Health unless one other domain clearly wins (see the module docstring)."""
        check = self._check
        health = len(self._named[0])
        best = max(range(1, len(self._named)), key=lambda i: len(self._named[i]), default=0)
        if best:
            other = self._named[best]
            enough = check.min_alone if health == 0 else check.min_other
            if len(other) >= enough and len(other) > check.ratio * health:
                words = tuple(sorted(other.values()))
                return DomainVerdict(False, check.names[best], health, words)
        return DomainVerdict(True, HEALTH, health)
