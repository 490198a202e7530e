"""The safety classifier: which sentences warn the reader, how strongly, about what, and why.

Every sentence of every paragraph gets a verdict (model.Sentence): warning or not, a severity
(warning / caution / advice), the categories, and the evidence in plain words (the cues that
fired, the negation or hedge that applied, why a cue was set aside). Paragraph and section flags
derive from the sentences: a section is a safety section only when it holds a warning sentence.

The rules live in `resources/safety.toml` (documented at its top), so a reader can see and
extend them: cue phrases matched on stems (phrases.py), a NegEx/ConText-style negation and
hedging scope (context.py) that tells a reassurance from a warning worded with a negation, a
sense check against non-medical senses, the harms of something else, and an article-level check
that the text is about health at all.

Pure Python, no Qt. A classifier is built once per library load and passed in; nothing here is
global or mutable after loading (the stem cache only memoises a pure function).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from viewer.core import context
from viewer.core.errors import ViewerError
from viewer.core.model import Article, Paragraph, Section, Sentence
from viewer.core.phrases import GAP_WORDS, Hit, Phrase, PhraseMatcher, Stemmer, Tokens, compile_phrase, tokenize
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety_categories import CATEGORY_LABELS, SEVERITIES

DEFAULT_WINDOW = 6
DEFAULT_MIN_HEALTH_SHARE = 0.01
# A sentence ends at . ! ? (and any closing quote or bracket) followed by space and a capital,
# digit or opening quote; or at a line break (bullet lists, .txt lines).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n+")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "dr.", "vs.", "approx.", "no.", "st.", "mr.", "mrs.", "ms.", "u.s.", "cf."})
# Kinds of phrase in the one matcher a sentence goes through.
_RISK, _REASSURE, _TRIGGER, _IGNORE, _OFF_SENSE, _HEALTH, _PREVIEW, _NAME, _OPENING = range(9)
# Lists of names that warn only after a context word (see [context] in safety.toml).
_NAMED_LISTS = ("medicines", "conditions")


@dataclass(frozen=True, slots=True)
class Cue:
    """What a risk cue means: its category and the severity of a sentence it fires in."""

    category: str
    severity: str


@dataclass(frozen=True, slots=True)
class Setting:
    """What a sentence is read against: whether its article is about health at all, and the
    stems of the article's title (the product: "SSRIs" in an article on SSRIs is no interaction)."""

    health: bool = True
    product: frozenset[str] = frozenset()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a paragraph; short abbreviations do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        words = text[start:match.start()].split()
        last_word = words[-1].lower().lstrip("(\"'\u201c\u2018") if words else ""
        if last_word in _ABBREVIATIONS and "\n" not in match.group():
            continue
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def ordered_categories(categories) -> list[str]:
    """Categories in the order readers see them everywhere (safety_categories.py)."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(c for c in set(categories) if c not in CATEGORY_LABELS)


def strongest(severities) -> str:
    present = set(severities)
    return next((s for s in SEVERITIES if s in present), "")


class SafetyClassifier:
    """Gives every sentence of an article its safety verdict, from the rules of a safety.toml."""

    def __init__(self, rules: dict, path: Path | str = "safety.toml") -> None:
        self._stem = Stemmer()
        self.window = _number(rules.get("scope", {}).get("window", DEFAULT_WINDOW), int, "window", path)
        domain = rules.get("domain", {})
        self.min_health_share = _number(domain.get("min_share", DEFAULT_MIN_HEALTH_SHARE), float,
                                        "[domain] min_share", path)
        phrases = []

        def add(texts, kind, tag=None):
            for text in texts:
                phrase = compile_phrase(text, self._stem, (kind, tag))
                if phrase is not None:
                    phrases.append(phrase)

        categories = rules.get("category", {})
        if not isinstance(categories, dict) or not categories:
            raise ViewerError(f"the safety cue file {path} defines no [category.*] tables")
        contexts = rules.get("context", {})
        self._contexts = {kind: frozenset(self._stem(w.lower()) for w in
                                          _strings(contexts.get(kind), f"[context] {kind}", path))
                          for kind in _NAMED_LISTS}
        for name, table in categories.items():
            if not isinstance(table, dict):
                raise ViewerError(f"the safety cue file {path}: [category.{name}] must be a table")
            default = _severity(table.get("severity", "warning"), f"[category.{name}]", path)
            add(_strings(table.get("cues"), f"[category.{name}] cues", path), _RISK, Cue(name, default))
            for kind in _NAMED_LISTS:
                add(_strings(table.get(kind), f"[category.{name}] {kind}", path), _NAME, (Cue(name, default), kind))
            for severity in SEVERITIES:
                add(_strings(table.get(severity), f"[category.{name}] {severity}", path), _RISK,
                    Cue(name, severity))
        for key in ("prohibition", "reassurance"):
            table = rules.get(key, {})
            category = str(table.get("category", "dosage"))
            cue = Cue(category, _severity(table.get("severity", "warning"), f"[{key}]", path))
            add(_strings(table.get("cues"), f"[{key}] cues", path), _RISK if key == "prohibition" else _REASSURE, cue)
        negation = rules.get("negation", {})
        for role, key in ((context.PRE, "pre"), (context.POST, "post"), (context.PSEUDO, "pseudo"),
                          (context.TERMINATE, "terminators"), (context.HEDGE, "hedges")):
            add(_strings(negation.get(key), f"[negation] {key}", path), _TRIGGER, role)
        subject = rules.get("subject", {})
        add(_strings(subject.get("other"), "[subject] other", path), _TRIGGER, context.SUBJECT)
        add(_strings(subject.get("breakers"), "[subject] breakers", path), _TRIGGER, context.SUBJECT_BREAK)
        add(_strings(subject.get("treats"), "[subject] treats", path), _TRIGGER, context.TREATS)
        add(_strings(subject.get("conditions"), "[subject] conditions", path), _OPENING)
        self._opening_words = _number(subject.get("opening_words", 0), int, "[subject] opening_words", path)
        self._harm_categories = frozenset(_strings(subject.get("categories"), "[subject] categories", path))
        add(_strings(rules.get("ignore", {}).get("contexts"), "[ignore] contexts", path), _IGNORE)
        add(_strings(rules.get("sense", {}).get("non_health"), "[sense] non_health", path), _OFF_SENSE)
        add(_strings(domain.get("health"), "[domain] health", path), _HEALTH)
        add(_strings(rules.get("preview", {}).get("phrases"), "[preview] phrases", path), _PREVIEW)
        self._matcher = PhraseMatcher(phrases)

    @classmethod
    def load(cls, path: Path | str | None = None) -> SafetyClassifier:
        """Read the rules (the bundled resources/safety.toml unless a path is given)."""
        path = Path(path) if path else resource_path("safety.toml")
        try:
            data = load_toml(path)
        except OSError as exc:
            raise ViewerError(f"cannot read the safety cue file {path}: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise ViewerError(f"the safety cue file {path} is not valid TOML: {exc}") from None
        return cls(data, path)

    # --- sentences ----------------------------------------------------------------------------

    def classify_sentence(self, text: str, setting: Setting = Setting()) -> Sentence:
        """The verdict on one sentence (offsets relative to it), read in `setting`."""
        tokens = tokenize(text, self._stem)
        return self._verdict(text, 0, len(text), tokens, self._matcher.find(tokens), setting)

    def setting_for(self, title: str, health: bool = True) -> Setting:
        return Setting(health, frozenset(tokenize(title, self._stem).stems))

    def classify_paragraph(self, plain: str, setting: Setting = Setting()) -> list[Sentence]:
        """The verdicts on the sentences of one paragraph's plain text, offsets into it."""
        out = []
        for start, end in split_sentences(plain):
            sentence = plain[start:end]
            tokens = tokenize(sentence, self._stem)
            out.append(self._verdict(sentence, start, end, tokens, self._matcher.find(tokens), setting))
        return out

    def _verdict(self, text: str, start: int, end: int, tokens: Tokens, hits: list[Hit],
                 setting: Setting) -> Sentence:
        by_kind: dict[int, list[Hit]] = {}
        for hit in hits:
            by_kind.setdefault(hit.phrase.tag[0], []).append(hit)
        named = [Hit(Phrase(h.phrase.text, h.phrase.elements, (_RISK, h.phrase.tag[1][0])), h.first, h.last)
                 for h in by_kind.get(_NAME, []) if self._in_context(tokens, h, h.phrase.tag[1][1])
                 and not setting.product.intersection(tokens.stems[h.first:h.last + 1])]
        risks = _outermost(by_kind.get(_RISK, []) + named)
        reassurances = _outermost(by_kind.get(_REASSURE, []))
        if not risks and not reassurances:
            return Sentence(start, end, text)

        def words(hit: Hit) -> str:
            return text[tokens.starts[hit.first]:tokens.ends[hit.last]]

        # A condition opening the sentence is its subject ("Epilepsy can cause seizures").
        triggers = by_kind.get(_TRIGGER, []) + [
            Hit(Phrase(h.phrase.text, h.phrase.elements, (_TRIGGER, context.TOPIC)), h.first, h.last)
            for h in by_kind.get(_OPENING, []) if h.first < self._opening_words]
        scoped_risks, scoped_reassurances, hedges = context.resolve(
            tokens, risks, reassurances, triggers, self.window)
        fired, set_aside = self._judge(scoped_risks, scoped_reassurances, by_kind.get(_IGNORE, []), words)
        # Whole-sentence reasons why nothing in it warns.
        reason = ""
        if by_kind.get(_OFF_SENSE):
            reason = f"non-medical sense: '{words(by_kind[_OFF_SENSE][0])}'"
        elif by_kind.get(_PREVIEW):
            reason = f"a preview of the article: '{words(by_kind[_PREVIEW][0])}'"
        elif not setting.health:
            reason = "the article is not about health"
        if fired and reason:
            fired, set_aside = [], set_aside + [reason]
        evidence = list(dict.fromkeys(f"cue: '{said}' ({c.category}, {c.severity})" for said, c in fired))
        if fired:
            evidence.append("negated: no")
            evidence += [f"hedge: {h}" for h in hedges]
        evidence += set_aside
        return Sentence(start, end, text, bool(fired), strongest(c.severity for _, c in fired),
                        tuple(ordered_categories({c.category for _, c in fired})), tuple(evidence),
                        tuple(dict.fromkeys(" ".join(said.lower().split()) for said, _ in fired)))

    def _judge(self, risks: list[context.Scoped], reassurances: list[context.Scoped],
               ignored: list[Hit], words) -> tuple[list[tuple[str, Cue]], list[str]]:
        """(the cues that fire, as (words, meaning); why each other cue was set aside)."""
        fired: list[tuple[str, Cue]] = []
        set_aside: list[str] = []
        for scoped in risks:
            hit, cue = scoped.hit, scoped.hit.phrase.tag[1]
            ignore = next((i for i in ignored if i.first <= hit.last and hit.first <= i.last), None)
            harm = cue.category in self._harm_categories
            if scoped.negated_by:
                set_aside.append(f"negated: '{words(hit)}' by '{scoped.negated_by}'")
            elif ignore is not None:
                set_aside.append(f"not about the product: '{words(hit)}' in '{words(ignore)}'")
            elif scoped.subject and harm:
                set_aside.append(f"about something else: '{words(hit)}' ({scoped.subject})")
            elif scoped.treated_by and harm:
                set_aside.append(f"the condition treated: '{words(hit)}' ({scoped.treated_by})")
            else:
                fired.append((words(hit), cue))
        for scoped in reassurances:
            if scoped.negated_by:  # "not recommended", "no evidence ... safe": a warning
                fired.append((f"{scoped.negated_by} ... {words(scoped.hit)}", scoped.hit.phrase.tag[1]))
        return fired, set_aside

    def _in_context(self, tokens: Tokens, hit: Hit, kind: str) -> bool:
        """Is a context word of this kind among the few words before the name, in its clause?"""
        wanted = self._contexts[kind]
        position = hit.first - 1
        while position >= 0 and hit.first - position <= GAP_WORDS + 1 and not tokens.punct[position]:
            if tokens.stems[position] in wanted:
                return True
            position -= 1
        return False

    # --- articles -----------------------------------------------------------------------------

    def is_health_text(self, health_words: int, words: int) -> bool:
        """An article is about health when enough of its words are health words."""
        return words > 0 and health_words / words >= self.min_health_share

    def annotate(self, article: Article) -> None:
        """Set, in place, the sentence verdicts of every paragraph and the flags derived from them."""
        prepared = []
        health_words = words = 0
        for section in article.sections:
            for paragraph in section.paragraphs:
                for start, end in split_sentences(paragraph.plain):
                    sentence = paragraph.plain[start:end]
                    tokens = tokenize(sentence, self._stem)
                    hits = self._matcher.find(tokens)
                    words += len(tokens)
                    health_words += sum(1 for h in hits if h.phrase.tag[0] == _HEALTH)
                    prepared.append((paragraph, sentence, start, end, tokens, hits))
        setting = self.setting_for(article.title, self.is_health_text(health_words, words))
        for section in article.sections:
            for paragraph in section.paragraphs:
                paragraph.sentences = []
        for paragraph, sentence, start, end, tokens, hits in prepared:
            paragraph.sentences.append(self._verdict(sentence, start, end, tokens, hits, setting))
        for section in article.sections:
            for paragraph in section.paragraphs:
                derive_paragraph(paragraph)
            derive_section(section)


def _outermost(hits: list[Hit]) -> list[Hit]:
    """The hits not inside a longer hit of the same meaning ("lowest dose" hides "dose"), and
    one hit per span and meaning (two cues with one stem)."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.first, -h.last)):
        if any(k.phrase.tag == hit.phrase.tag and k.first <= hit.first and hit.last <= k.last for k in kept):
            continue
        kept.append(hit)
    return kept


def derive_paragraph(paragraph: Paragraph) -> None:
    """A paragraph's flag, categories and cues, from its sentences."""
    warnings = [s for s in paragraph.sentences if s.safety]
    paragraph.safety = bool(warnings)
    paragraph.categories = ordered_categories({c for s in warnings for c in s.categories})
    paragraph.cues = list(dict.fromkeys(c for s in warnings for c in s.cues))


def derive_section(section: Section) -> None:
    """A section is a safety section exactly when it holds a warning sentence."""
    section.safety = any(p.safety for p in section.paragraphs)
    section.categories = ordered_categories({c for p in section.paragraphs for c in p.categories})


def _number(value, kind, where: str, path):
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ViewerError(f"the safety cue file {path}: {where} must be a number") from None


def _severity(value, where: str, path) -> str:
    if value not in SEVERITIES:
        raise ViewerError(f"the safety cue file {path}: {where} severity must be one of {', '.join(SEVERITIES)}")
    return value


def _strings(value, where: str, path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ViewerError(f"the safety cue file {path} needs a list of words for {where}")
    return value
