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

import logging
from dataclasses import dataclass
from pathlib import Path

from viewer.core import context, safety_model
from viewer.core.errors import ViewerError
from viewer.core.model import Article, Paragraph, Sentence
from viewer.core.phrases import (
    GAP_WORDS,
    Hit,
    Phrase,
    PhraseMatcher,
    Stemmer,
    Tokens,
    compile_phrase,
    outermost,
    phrase_problem,
    tokenize,
)
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety_categories import SEVERITIES, ordered_categories, strongest
from viewer.core.safety_derive import derive_paragraph, derive_section
from viewer.core.safety_domain import DomainCheck, DomainTally, DomainVerdict
from viewer.core.safety_judge import judge
from viewer.core.safety_model import (
    SentenceModel,
    WarningScorer,
    logit,
    shape_features,
    sigmoid,
    word_features,
)
from viewer.core.safety_sentences import Prepared, gather, neighbour_features, words_of
from viewer.core.safety_steps import PlainSteps
from viewer.core.safety_values import read_number, read_severity, read_strings
from viewer.core.sentences import is_question, split_sentences

DEFAULT_WINDOW = 6
# Kinds of phrase in the one matcher a sentence goes through.
_WORD_INFO_LIMIT = 200_000
_RISK, _REASSURE, _TRIGGER, _IGNORE, _OFF_SENSE, _PREVIEW, _NAME, _OPENING, _DISCLAIM = range(9)
# Lists of names that warn only after a context word (see [context] in safety.toml).
_NAMED_LISTS = ("medicines", "conditions")
# A rule signal that keeps the model from making a warning (a non-medical sense, a preview).
_VETO = "r:veto"
MODEL_FILE = "safety_model.json"
log = logging.getLogger(__name__)


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
    off_health: str = ""  # why the article is not read as health (evidence), when it is not


class SafetyClassifier:
    """Gives every sentence of an article its safety verdict, from the rules of a safety.toml."""

    def __init__(
        self, rules: dict, path: Path | str = "safety.toml", model: SentenceModel | None = None
    ) -> None:
        self.model = model
        if model is not None:
            self._scorer = WarningScorer(model.warning)
            # Scores compared as margins, without an exp per sentence.
            self._add_from = logit(model.threshold)
            self._keep_from = logit(model.keep) if model.keep > 0 else float("-inf")
            self._keep_serious_from = (
                logit(model.keep_serious) if model.keep_serious > 0 else float("-inf")
            )
        self._stem = Stemmer()
        self.window = read_number(
            rules.get("scope", {}).get("window", DEFAULT_WINDOW), int, "window", path
        )
        # Fail-safe: health unless another domain's vocabulary clearly wins (safety_domain.py).
        self.domain = DomainCheck(rules.get("domain"), path, self._stem)
        self._steps = PlainSteps.read(rules.get("steps"), path, self._stem)
        phrases = []
        # Phrases of the file that can never match as written (phrases.phrase_problem): each is
        # logged as a warning when the rules are read, so that a reader's own cue that finds
        # nothing says why; the rules still load.
        self.problems: list[str] = []

        def add(texts, kind, tag=None):
            for text in texts:
                problem = phrase_problem(text, self._stem)
                if problem:
                    self.problems.append(
                        f"{path}: the phrase '{text}' will not match as written: {problem}"
                    )
                    log.warning("%s", self.problems[-1])
                phrase = compile_phrase(text, self._stem, (kind, tag))
                if phrase is not None:
                    phrases.append(phrase)

        categories = rules.get("category", {})
        if not isinstance(categories, dict) or not categories:
            raise ViewerError(f"the safety cue file {path} defines no [category.*] tables")
        contexts = rules.get("context", {})
        self._contexts = {
            kind: frozenset(
                self._stem(w.lower())
                for w in read_strings(contexts.get(kind), f"[context] {kind}", path)
            )
            for kind in _NAMED_LISTS
        }
        for name, table in categories.items():
            if not isinstance(table, dict):
                raise ViewerError(f"the safety cue file {path}: [category.{name}] must be a table")
            default = read_severity(table.get("severity", "warning"), f"[category.{name}]", path)
            add(
                read_strings(table.get("cues"), f"[category.{name}] cues", path),
                _RISK,
                Cue(name, default),
            )
            for kind in _NAMED_LISTS:
                add(
                    read_strings(table.get(kind), f"[category.{name}] {kind}", path),
                    _NAME,
                    (Cue(name, default), kind),
                )
            for severity in SEVERITIES:
                add(
                    read_strings(table.get(severity), f"[category.{name}] {severity}", path),
                    _RISK,
                    Cue(name, severity),
                )
        for key in ("prohibition", "reassurance"):
            table = rules.get(key, {})
            category = str(table.get("category", "dosage"))
            cue = Cue(category, read_severity(table.get("severity", "warning"), f"[{key}]", path))
            add(
                read_strings(table.get("cues"), f"[{key}] cues", path),
                _RISK if key == "prohibition" else _REASSURE,
                cue,
            )
        negation = rules.get("negation", {})
        for role, key in (
            (context.PRE, "pre"),
            (context.PREFIX, "prefixes"),
            (context.POST, "post"),
            (context.PSEUDO, "pseudo"),
            (context.TERMINATE, "terminators"),
            (context.HEDGE, "hedges"),
        ):
            add(read_strings(negation.get(key), f"[negation] {key}", path), _TRIGGER, role)
        subject = rules.get("subject", {})
        add(read_strings(subject.get("other"), "[subject] other", path), _TRIGGER, context.SUBJECT)
        add(
            read_strings(subject.get("breakers"), "[subject] breakers", path),
            _TRIGGER,
            context.SUBJECT_BREAK,
        )
        for role, key in (
            (context.TREATS, "treats"),
            (context.TREATS_AFTER, "treats_after"),
            (context.TREATS_END, "treats_end"),
        ):
            add(read_strings(subject.get(key), f"[subject] {key}", path), _TRIGGER, role)
        add(read_strings(subject.get("conditions"), "[subject] conditions", path), _OPENING)
        self._opening_words = read_number(
            subject.get("opening_words", 0), int, "[subject] opening_words", path
        )
        self._harm_categories = frozenset(
            read_strings(subject.get("categories"), "[subject] categories", path)
        )
        add(
            read_strings(rules.get("ignore", {}).get("contexts"), "[ignore] contexts", path),
            _IGNORE,
        )
        add(
            read_strings(rules.get("sense", {}).get("non_health"), "[sense] non_health", path),
            _OFF_SENSE,
        )
        preview = rules.get("preview", {})
        add(read_strings(preview.get("phrases"), "[preview] phrases", path), _PREVIEW)
        add(read_strings(preview.get("disclaimers"), "[preview] disclaimers", path), _DISCLAIM)
        # Two matchers, so that most sentences are settled by a glance at their words: one for
        # what can make a warning, one for what qualifies it.
        kinds = {kind: [p for p in phrases if p.tag[0] == kind] for kind in range(_DISCLAIM + 1)}
        self._targets = PhraseMatcher(kinds[_RISK] + kinds[_REASSURE] + kinds[_NAME])
        self._qualifiers = PhraseMatcher(
            [
                p
                for k in (_TRIGGER, _IGNORE, _OFF_SENSE, _PREVIEW, _OPENING, _DISCLAIM)
                for p in kinds[k]
            ]
        )
        self._all = PhraseMatcher(self._targets.phrases + self._qualifiers.phrases)  # one pass
        self._word_info: dict[str, bool] = {}

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        """Every phrase of the rules, as compiled (scripts/safety_cue_check.py reads them)."""
        return tuple(self._all.phrases)

    @property
    def stemmer(self) -> Stemmer:
        return self._stem

    @classmethod
    def load(
        cls, path: Path | str | None = None, model: Path | str | None = None, use_model: bool = True
    ) -> SafetyClassifier:
        """Read the rules (the bundled resources/safety.toml unless a path is given) and the
        trained sentence model (the bundled resources/safety_model.json unless a path is given;
        none with `use_model=False`: the rules alone)."""
        sentence_model = None
        if use_model:
            sentence_model = SentenceModel.load(Path(model) if model else resource_path(MODEL_FILE))
        path = Path(path) if path else resource_path("safety.toml")
        try:
            data = load_toml(path)
        except OSError as exc:
            raise ViewerError(
                f"cannot read the safety cue file {path}: {exc.strerror or exc}"
            ) from None
        except ValueError as exc:
            raise ViewerError(f"the safety cue file {path} is not valid TOML: {exc}") from None
        return cls(data, path, sentence_model)

    # --- sentences ----------------------------------------------------------------------------

    def classify_sentence(self, text: str, setting: Setting = Setting()) -> Sentence:
        """The verdict on one sentence (offsets relative to it), read in `setting`."""
        return self._classify(text, 0, len(text), setting)

    def setting_for(self, title: str, domain: DomainVerdict = DomainVerdict()) -> Setting:
        return Setting(domain.health, frozenset(tokenize(title, self._stem).stems), domain.reason())

    def classify_paragraph(self, plain: str, setting: Setting = Setting()) -> list[Sentence]:
        """The verdicts on the sentences of one paragraph's plain text, offsets into it."""
        return [
            self._classify(plain[start:end], start, end, setting)
            for start, end in split_sentences(plain)
        ]

    def _screen(self, tokens: Tokens) -> bool:
        """Whether any word can anchor a cue: most sentences of an ordinary article hold no
        cue, and this settles them from a memoised per-word fact."""
        info, learn = self._word_info, self._learn
        for word, stem in zip(tokens.words, tokens.stems):
            found = info.get(word)
            if found is None:
                found = learn(word, stem)
            if found:
                return True
        return False

    def _learn(self, word: str, stem: str) -> bool:
        item = word[0].isalnum() and self._targets.anchors(word, stem)
        if len(self._word_info) < _WORD_INFO_LIMIT:
            self._word_info[word] = item
        return item

    def _classify(
        self,
        sentence: str,
        start: int,
        end: int,
        setting: Setting,
        tokens: Tokens | None = None,
        has_target: bool | None = None,
        kind: str = "",
        place: tuple[str, ...] = (),
        ruled: tuple[Sentence, tuple[str, ...]] | None = None,
    ) -> Sentence:
        if tokens is None:
            tokens = tokenize(sentence, self._stem)
        if has_target is None:
            has_target = self._screen(tokens)
        signals: tuple[str, ...]
        if not has_target:
            verdict, signals = Sentence(start, end, sentence), ()
        elif ruled is not None:  # read already (_prepare)
            verdict, signals = ruled
        else:
            verdict, signals = self._verdict(
                sentence, start, end, tokens, self._all.find(tokens), setting
            )
        if self.model is None or _VETO in signals or not setting.health:
            return verdict
        return self._decide(verdict, signals + place, tokens, kind, setting, has_target)

    def _decide(
        self,
        verdict: Sentence,
        signals: tuple[str, ...],
        tokens: Tokens,
        kind: str,
        setting: Setting,
        checked: bool,
    ) -> Sentence:
        """The trained model's say on a sentence the rules have read (safety_model.py; `signals`
        holds the rules' findings and the sentence's place): it adds
        warnings the rules missed (score from `threshold`) and sets aside the rules' warnings it
        scores below `keep`; the rules still give the categories, severity and evidence of what
        they found."""
        model = self.model
        if model is None:  # classify() asks only with a model loaded
            return verdict
        stems, words = words_of(tokens)
        signals += tuple(shape_features(verdict.text, words))
        margin = self._scorer.margin(stems, kind, signals)
        if not verdict.safety:
            warns = margin >= self._add_from
        else:
            warns = margin >= (
                self._keep_serious_from if verdict.severity == "warning" else self._keep_from
            )
        if not warns and not verdict.safety:
            return verdict  # the common case: settled without building a feature name
        said = f"model score {sigmoid(margin):.2f} (warns from {model.threshold:.2f})"
        if not warns:
            if not verdict.safety:
                return verdict
            aside = tuple(f"cue set aside: '{c}'" for c in verdict.cues)
            return Sentence(verdict.start, verdict.end, verdict.text, evidence=(said,) + aside)
        if verdict.safety:
            return Sentence(
                verdict.start,
                verdict.end,
                verdict.text,
                True,
                verdict.severity,
                verdict.categories,
                verdict.evidence + (said,),
                verdict.cues,
            )
        if self._steps.plain(stems) or (
            self._vetoed(verdict.text, tokens, setting) if not checked else self._off_sense(tokens)
        ):
            # A plain use step, or a non-medical sense or a preview, which the rules had no
            # cause to look for; where they found no cue, a sentence that names two or more
            # words of another domain ("apply the dosage of lawn fertiliser over the grass":
            # "apply the" warns in the model) - one alone is too often a health sense ("a bug
            # called C. difficile").
            return verdict
        features = word_features(stems, kind) + list(signals)
        words = model.strongest_words(features)
        evidence = (said,) + ((f"words: {', '.join(words)}",) if words else ()) + verdict.evidence
        return Sentence(
            verdict.start,
            verdict.end,
            verdict.text,
            True,
            model.severity_of(features),
            tuple(ordered_categories(model.categories_of(features))),
            evidence,
        )

    def _off_sense(self, tokens: Tokens) -> bool:
        hits = {
            h.phrase.text for h in self._qualifiers.find(tokens) if h.phrase.tag[0] == _OFF_SENSE
        }
        return len(hits) >= 2

    def _vetoed(self, text: str, tokens: Tokens, setting: Setting) -> bool:
        kinds = {hit.phrase.tag[0] for hit in self._qualifiers.find(tokens)}
        preview = _PREVIEW in kinds and _DISCLAIM not in kinds
        return _OFF_SENSE in kinds or preview or not setting.health or is_question(text)

    def _verdict(
        self, text: str, start: int, end: int, tokens: Tokens, hits: list[Hit], setting: Setting
    ) -> tuple[Sentence, tuple[str, ...]]:
        """The rules' verdict, and what they found as features for the model (safety_model.py)."""
        by_kind: dict[int, list[Hit]] = {}
        for hit in hits:
            by_kind.setdefault(hit.phrase.tag[0], []).append(hit)
        named = [
            Hit(
                Phrase(h.phrase.text, h.phrase.elements, (_RISK, h.phrase.tag[1][0])),
                h.first,
                h.last,
            )
            for h in by_kind.get(_NAME, [])
            if self._in_context(tokens, h, h.phrase.tag[1][1])
            and not setting.product.intersection(tokens.stems[h.first : h.last + 1])
        ]
        risks = outermost(by_kind.get(_RISK, []) + named)
        reassurances = outermost(by_kind.get(_REASSURE, []))
        if not risks and not reassurances:
            return Sentence(start, end, text), ()

        def words(hit: Hit) -> str:
            return text[tokens.starts[hit.first] : tokens.ends[hit.last]]

        # A condition opening the sentence is its subject ("Epilepsy can cause seizures").
        triggers = by_kind.get(_TRIGGER, []) + [
            Hit(
                Phrase(h.phrase.text, h.phrase.elements, (_TRIGGER, context.TOPIC)), h.first, h.last
            )
            for h in by_kind.get(_OPENING, [])
            if h.first < self._opening_words
        ]
        scoped_risks, scoped_reassurances, hedges = context.resolve(
            tokens, risks, reassurances, triggers, self.window
        )
        fired, set_aside = judge(
            scoped_risks,
            scoped_reassurances,
            by_kind.get(_IGNORE, []),
            words,
            self._harm_categories,
        )
        # Whole-sentence reasons why nothing in it warns.
        reason = ""
        if by_kind.get(_OFF_SENSE):
            reason = f"non-medical sense: '{words(by_kind[_OFF_SENSE][0])}'"
        elif by_kind.get(_PREVIEW) and not by_kind.get(_DISCLAIM):
            reason = f"a preview of the article: '{words(by_kind[_PREVIEW][0])}'"
        elif not setting.health:
            reason = setting.off_health or "the article is not about health"
        elif is_question(text):
            reason = "a question: its answer says whether it warns"
        signals = [safety_model.RULE_HEDGE] if hedges else []
        signals += [f"r:cue:{c.category}:{c.severity}" for _, c in fired]
        signals += [safety_model.RULE_FIRED] if fired else []
        signals += [safety_model.RULE_NEGATED for s in scoped_risks if s.negated_by]
        signals += [
            safety_model.RULE_REASSURANCE_NEGATED for s in scoped_reassurances if s.negated_by
        ]
        signals += [safety_model.RULE_OTHER_SUBJECT for s in scoped_risks if s.subject]
        signals += [safety_model.RULE_TREATED for s in scoped_risks if s.treated_by]
        signals += [safety_model.RULE_ASIDE] if set_aside else []
        # The sense and subject checks stand against the model too: when every harm the rules
        # found is the condition treated or the harm of something else, nothing here warns.
        about_else = not fired and any(
            (s.subject or s.treated_by)
            and not s.negated_by
            and s.hit.phrase.tag[1].category in self._harm_categories
            for s in scoped_risks
        )
        # So does a reassurance: the rules negated every cue they found ("side effects have not
        # been reported") and found no negated word of safety ("not recommended").
        reassured = not fired and any(s.negated_by for s in scoped_risks)
        if reason or about_else or reassured:
            signals.append(_VETO)
        if fired and reason:
            fired, set_aside = [], set_aside + [reason]
        evidence = list(
            dict.fromkeys(f"cue: '{said}' ({c.category}, {c.severity})" for said, c in fired)
        )
        if fired:
            evidence.append("negated: no")
            evidence += [f"hedge: {h}" for h in hedges]
        evidence += set_aside
        return Sentence(
            start,
            end,
            text,
            bool(fired),
            strongest(c.severity for _, c in fired),
            tuple(ordered_categories({c.category for _, c in fired})),
            tuple(evidence),
            tuple(dict.fromkeys(" ".join(said.lower().split()) for said, _ in fired)),
        ), tuple(signals)

    def _in_context(self, tokens: Tokens, hit: Hit, kind: str) -> bool:
        """Is a context word of this kind among the few words before the name, in its clause?"""
        wanted = self._contexts[kind]
        position = hit.first - 1
        while (
            position >= 0 and hit.first - position <= GAP_WORDS + 1 and not tokens.punct[position]
        ):
            if tokens.stems[position] in wanted:
                return True
            position -= 1
        return False

    def features_of(self, article: Article) -> list[tuple[Paragraph, int, int, list[str]]]:
        """(paragraph, start, end, model features) of every sentence the model would read: the
        sentences of a health article that no veto settles (scripts/safety_train.py trains on
        these, so training sees exactly what classifying does)."""
        prepared, setting = self._prepare(article)
        out: list[tuple[Paragraph, int, int, list[str]]] = []
        if not setting.health:
            return out
        for item in prepared:
            signals = item.ruled[1] if item.ruled else ()
            if _VETO in signals or (
                not item.has_target and self._vetoed(item.sentence, item.tokens, setting)
            ):
                continue
            stems, words = words_of(item.tokens)
            if safety_model.RULE_FIRED not in signals and self._steps.plain(stems):
                continue  # a plain use step the rules found nothing in: the model may not add it
            features = word_features(stems, item.kind) + list(signals) + list(item.place)
            out.append(
                (
                    item.paragraph,
                    item.start,
                    item.end,
                    features + shape_features(item.sentence, words),
                )
            )
        return out

    # --- articles -----------------------------------------------------------------------------

    def annotate(self, article: Article) -> None:
        """Set, in place, the sentence verdicts of every paragraph and the flags derived from them."""
        prepared, setting = self._prepare(article)
        for section in article.sections:
            for paragraph in section.paragraphs:
                paragraph.sentences = []
        for item in prepared:
            # From its tokens on, a Prepared holds _classify's arguments in their order.
            item.paragraph.sentences.append(
                self._classify(item.sentence, item.start, item.end, setting, *item[4:])
            )
        for section in article.sections:
            for paragraph in section.paragraphs:
                derive_paragraph(paragraph)
            derive_section(section)

    def _prepare(self, article: Article) -> tuple[list[Prepared], Setting]:
        """The tokens, place and rules' reading of every sentence, and the setting they are read
        in (a health article unless its words clearly belong to another domain:
        safety_domain.py). In a health article the place also holds what the rules found next
        to the sentence (safety_sentences.py)."""
        gathered = gather(article, self._stem)
        tally = self.domain.tally()
        for item in gathered:
            tally.add(item.tokens)
        setting = self.setting_for(article.title, tally.verdict())
        prepared = []
        for g in gathered:
            has_target = self._screen(g.tokens)
            ruled = (
                self._verdict(
                    g.sentence, g.start, g.end, g.tokens, self._all.find(g.tokens), setting
                )
                if has_target
                else None
            )
            prepared.append(
                Prepared(
                    g.paragraph,
                    g.sentence,
                    g.start,
                    g.end,
                    g.tokens,
                    has_target,
                    g.kind,
                    g.place,
                    ruled,
                )
            )
        if not setting.health:
            return prepared, setting
        warns = [p.ruled is not None and safety_model.RULE_FIRED in p.ruled[1] for p in prepared]
        sections = [g.section for g in gathered]
        neighbours = neighbour_features(warns, sections, [g.lead_in for g in gathered])
        return [
            p._replace(place=p.place + extra) if extra else p
            for p, extra in zip(prepared, neighbours)
        ], setting

    def domain_of(self, article: Article) -> DomainVerdict:
        """Whether the article is read as about health, and why not when it is not."""
        return self.domain_tally(article).verdict()

    def domain_tally(self, article: Article) -> DomainTally:
        """The different words of each vocabulary the article names (for measuring the check)."""
        tally = self.domain.tally()
        for paragraph in article.paragraphs():
            tally.add(tokenize(paragraph.plain, self._stem))
        return tally
