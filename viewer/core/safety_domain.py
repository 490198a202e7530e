"""Whether an article is about health at all: the check in front of every safety warning.

When it says "not health", no sentence of the article is a warning, so it is the most dangerous
point of the classifier: a health leaflet read as something else shows its reader nothing.
Two vetoes, and health in the middle (fail-safe):
1. Too little positive evidence of health for the article's length. A health article of any
   subject names a body (eye, skin, teeth, scalp, tummy), people's care (optician, dentist,
   GP), the people it is for (baby, child) or symptoms (pain, itch, infection): a text of
   `min_words` words or more naming fewer than `min_health` different words of the health
   vocabulary AND whose words are less than `min_density` health words is about something
   else, whatever that is, so this veto needs no list of the other domains (a takeover's
   "poison pill", a paint's tint "dosage", a workplace's "toxic" culture name one or two
   health words in 200). Both measures must fail: breadth alone misses a plain leaflet that
   names few different words but names them again and again (a safe-sleep leaflet: baby,
   cot, sleep, breathing), and the share of words alone a long article that names many
   health words thinly. The warning words controls borrow
   (poison, overdose, dose, withdrawal, dependence, toxic) are not in the health vocabulary,
   and the health words they borrow with them (pill, tablet, drug, addiction, prescription)
   are listed as `borrowed`: they count for the second veto's ratio but are no evidence here.
2. Another domain clearly wins: its words are counted against the vocabularies of the domains
   that borrow warning words (software "side effects", a pension "withdrawal", a lawn
   fertiliser's "dosage", a recipe's "overdose on salt"); this one also judges short texts.
Between the two, health: a short text of plain words or of no known domain, and any text that
names enough different health words unless a listed domain clearly outweighs them.

A domain's evidence is breadth, not frequency: the number of DIFFERENT words of a vocabulary
the article names. One word repeated in another sense ("prescription" of a debt) is not a
vocabulary, while a contact-lens guide names seven (eye, optician, infection, blindness,
painful) thinly spread over plain prose, and a health article of any other kind a dozen or
more. Health alone may also show by frequency (the share above), as only its words are the
subject of a leaflet's every sentence: measured over every labelled split, the controls'
share is at most 1.5% where they name few different health words, the health articles' at
least 4% (scripts/safety_domain_eval.py features). A domain wins when it names at least
`min_other` different
words of its own AND more than `ratio` times as many as the health vocabulary (when the text
names no health word at all, `min_alone` words of its own suffice). The first veto applies
from `min_words` words of text (a 50-word label may name no health word and still warn); the
share of words counts every health word each time it occurs.

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
# From this many words of text, an article naming fewer than `min_health` different health
# words (the borrowed ones aside) is not about health (measured: scripts/safety_domain_eval.py).
DEFAULT_MIN_WORDS = 150
DEFAULT_MIN_HEALTH = 6
# ... unless at least this share of its words are health words (a plain leaflet names few
# different ones, but often: "baby", "sleep", "cot" again and again).
DEFAULT_MIN_DENSITY = 0.02
# No listed domain vetoes an article naming `min_health` different health words that make up
# at least this share of its words (the labelled controls: at most 2.3%; health: 4.2% and up).
DEFAULT_SURE_DENSITY = 0.04
# What the first veto calls the article's subject when no known domain names any word.
UNKNOWN = "another subject"
_MEMO_LIMIT = 200_000
_NONE: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DomainVerdict:
    """Whether an article is read as health, and why (shown as evidence when it is not)."""

    health: bool = True
    domain: str = HEALTH  # the winning domain when it is not health
    health_words: int = 0  # different health words named
    domain_words: tuple[str, ...] = ()  # some different words of the winning domain
    words: int = 0  # words of text, when the veto was too little health for the length
    density: float = 0.0  # ... and the share of those words that are health words

    def reason(self) -> str:
        if self.health:
            return ""
        if self.words:
            shown = f" (its words are {self.domain}'s)" if self.domain != UNKNOWN else ""
            return (
                f"the article is not about health: {self.health_words} different health words "
                f"in {self.words} words, {self.density:.0%} of its words{shown}"
            )
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
        self.min_words = read_number(
            table.get("min_words", DEFAULT_MIN_WORDS), int, "[domain] min_words", path
        )
        self.min_health = read_number(
            table.get("min_health", DEFAULT_MIN_HEALTH), int, "[domain] min_health", path
        )
        self.min_density = read_number(
            table.get("min_density", DEFAULT_MIN_DENSITY), float, "[domain] min_density", path
        )
        self.sure_density = read_number(
            table.get("sure_density", DEFAULT_SURE_DENSITY), float, "[domain] sure_density", path
        )
        others = table.get("other", {})
        if not isinstance(others, dict) or not all(isinstance(v, list) for v in others.values()):
            raise ViewerError(
                f"the safety cue file {path}: [domain.other] must hold lists of words, "
                "one per domain (software = [...])"
            )
        # Vocabulary 0 is health, the last one the borrowed health words (not a domain).
        self.names: tuple[str, ...] = (HEALTH, *others)
        lists = [read_strings(table.get("health"), "[domain] health", path)]
        borrowed = read_strings(table.get("borrowed", []), "[domain] borrowed", path)
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
        self.borrowed = len(lists)
        for text in borrowed:
            phrase = compile_phrase(text, stem)
            if phrase is None or len(phrase.elements) != 1:
                raise ViewerError(
                    f"the safety cue file {path}: [domain] borrowed entries are single words, "
                    f"not '{text}'"
                )
            self._add(phrase.elements[0], self.borrowed)
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
        # (the last: the borrowed health words), and how many words of text it has.
        self._named: list[dict[str, str]] = [{} for _ in range(check.borrowed + 1)]
        self.words = 0
        # Words of text that are health words (the borrowed ones aside), every time they occur.
        self.health_tokens = 0

    def add(self, tokens: Tokens) -> None:
        domains_of, named = self._check.domains_of, self._named
        last = self._check.borrowed
        for word, stem, punct in zip(tokens.words, tokens.stems, tokens.punct):
            if not punct:
                self.words += 1
                owners = domains_of(word, stem)
                for index in owners:
                    named[index].setdefault(stem, word)
                if owners and owners[0] == 0 and owners[-1] != last:
                    self.health_tokens += 1

    def evidence(self) -> int:
        """Different health words named, the ones other domains borrow aside."""
        return len(self._named[0].keys() - self._named[-1].keys())

    def density(self) -> float:
        """The share of the text's words that are health words (the borrowed ones aside)."""
        return self.health_tokens / self.words if self.words else 0.0

    def breadth(self) -> dict[str, int]:
        """How many different words of each vocabulary the article names, by domain name."""
        return {name: len(named) for name, named in zip(self._check.names, self._named)}

    def verdict(self) -> DomainVerdict:
        """Health unless the text is long and names little of health, or one other domain
        clearly wins (see the module docstring)."""
        check = self._check
        health = len(self._named[0])
        domains = range(1, check.borrowed)
        best = max(domains, key=lambda i: len(self._named[i]), default=0)
        evidence = self.evidence()
        density = self.density()
        if (
            self.words >= check.min_words
            and evidence < check.min_health
            and density < check.min_density
        ):
            # A domain is named as the subject only when it has a vocabulary's worth of words.
            shown = best and len(self._named[best]) >= check.min_alone
            name = check.names[best] if shown else UNKNOWN
            words = tuple(sorted(self._named[best].values())) if shown else ()
            return DomainVerdict(False, name, evidence, words, self.words, density)
        # Health words make up a good share of the text, and many different ones: health,
        # whatever else it also talks about (a low-salt recipe for heart patients, a
        # runner's guide to knee pain), as no other domain's text is made of them.
        sure = evidence >= check.min_health and density >= check.sure_density
        if best and not sure:
            other = self._named[best]
            enough = check.min_alone if health == 0 else check.min_other
            if len(other) >= enough and len(other) > check.ratio * health:
                words = tuple(sorted(other.values()))
                return DomainVerdict(False, check.names[best], health, words)
        return DomainVerdict(True, HEALTH, health)
