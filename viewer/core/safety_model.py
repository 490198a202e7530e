"""A small trained sentence model that decides, with the rules, whether a sentence warns.

The rules (safety.py, resources/safety.toml) say which cues a sentence holds, what negation,
hedge or subject applies and which categories they mean; they were written against a few
articles and miss warnings worded in ways nobody listed ("Never place the pads over the
neck", "Follow the dose on the pack"). This model reads every sentence as a bag of features:
its word stems and stem pairs, its first word (imperatives: "never", "avoid", "keep"), the
kind of section it is in and the words of its heading ("How to take it"), its form (an
instruction, an amount, a time or frequency, a question or myth, a treated or prevented
condition, a bare list item), and what the rules found (a cue of this category fired, a cue
was negated, a reassurance was negated ...). Logistic regression over those features gives a
score from 0 to 1; the sentence is a warning when the score reaches the threshold. One-vs-rest
models of the same form give the categories and the severity of a warning the rules did not
name.

Weights are a small JSON file (resources/safety_model.json), written by
scripts/safety_train.py from the labelled sentences of tests/fixtures/safety_dev; nothing is
fetched or trained at run time. Pure Python and the standard library only: scoring a sentence
is a few dictionary look-ups per word.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass
from itertools import pairwise, repeat
from pathlib import Path

from viewer.core.errors import ViewerError

FORMAT_VERSION = 1
# Features from the rules (safety.py sets them) and from the sentence's place.
RULE_FIRED, RULE_NEGATED, RULE_REASSURANCE_NEGATED, RULE_ASIDE = (
    "r:fired",
    "r:negated",
    "r:unsafe",
    "r:aside",
)
RULE_HEDGE, RULE_OTHER_SUBJECT, RULE_TREATED = "r:hedge", "r:subject", "r:treated"
# 0.03 until holdout6 was trained on; 0.05 since, which keeps the warning model under 10,000
# weights (10,311 -> 9,877) at the same 10-fold CV (section P 0.786 -> 0.785, the rest equal).
# Round 6 (holdout7 trained on) pruned at 0.07 with 2 sentences a feature; round 7 (holdout8 too)
# learns a feature from 3 sentences instead, and prunes at 0.05 again.
PRUNE_BELOW = 0.05
# A word or pair is learnt from 3 training sentences (2 until holdout8 was trained on, which
# took the warning model to 10,677 weights): 6,487 weights, and a better 10-fold CV over 184
# articles (section P 0.790 -> 0.800, R 0.971 -> 0.969; sentence P 0.804 -> 0.809, R 0.907 ->
# 0.909) than pruning at 0.08 (9,993 weights: 0.791 / 0.969, 0.809 / 0.906).
MIN_COUNT = 3
# Where a sentence sits: a word of its section's heading ("h:" + stem: "How to take it",
# "Who should not take it"). Whether it is in a list, or follows a sentence the rules flagged,
# did not help under cross-validation.
HEADING = "h:"
# The sentence's form, which words alone do not carry from one article to the next: an
# instruction ("Take ...", "If ..., stop ..."), an amount, a time or frequency, a question or
# a myth, a treated or prevented condition, a bare list item ("Under-18s.").
IMPERATIVE, AMOUNT, TIMING, QUESTION, BENEFIT, SHORT = (
    "s:imp",
    "s:amount",
    "s:timing",
    "s:question",
    "s:benefit",
    "s:short",
)
# Kinds that new writers word in their own ways (session 22): a prohibition or limit anywhere in
# the sentence ("I'd never mix it with wine", "keep it to the morning", "no longer"), an
# instruction that forbids or limits against a plain step ("shake the bottle"), the grammatical
# person of a forum post (a poster's own experience, "it gave me ...", or advice passed on, "my GP
# said not to ..."), and harm said in everyday words ("awful", "bad news").
FORBIDS, LIMITS, STEP_LIMITED, STEP_PLAIN, FIRST_PERSON, TOLD, EXPERIENCED, HARSH = (
    "s:forbid",
    "s:limit",
    "s:imp-limit",
    "s:imp-plain",
    "s:first",
    "s:told",
    "s:lived",
    "s:harsh",
)
_VERBS = frozenset(
    """take use apply keep store check avoid start stop ask talk speak tell let wash fit
    rotate switch shake measure follow choose spend wear drink eat carry remember try read see
    seek get call contact treat rest space swallow chew put give limit cut reduce increase build
    finish leave go make be watch look count discuss consider wait allow stay sit protect cover
    throw dispose return report mention inform book test monitor plan hold replace change skip
    double write note bring buy find visit dilute mix shower rinse drop lower avoid stick wean
    taper aim cool warm sleep never always only""".split()
)
_OPENERS = frozenset("if when before after once while until whenever as".split())
_AMOUNT = re.compile(
    r"\d\s*(?:mg|mcg|µg|g|kg|ml|iu|micrograms?|milligrams?|grams?|tablets?|capsules?|pills?|"
    r"doses?|puffs?|drops?|sprays?|units?|teaspoons?|sachets?|patches?|pieces?|gummies|cups?|"
    r"cans?|%)(?![a-z])|\b(?:half|quarter|one|two|three) (?:a |of a )?(?:tablet|capsule|dose|gummy)",
    re.IGNORECASE,
)
_TIMING = re.compile(
    r"\b(?:once|twice|three times|four times|\d+ times) (?:a|per|each|every)\b|\b(?:a|per|each)"
    r" (?:day|night|week)\b|\bevery \d*\s*(?:hours?|days?|morning|evening|night)\b|\bdaily\b|"
    r"\b(?:before|after) (?:bed|breakfast|meals?|food|eating)\b|\bwith (?:food|a meal|meals|water)\b|"
    r"\bempty stomach\b|\b(?:hours?|minutes?|days?|weeks?) (?:before|after|apart)\b|"
    r"\b(?:more|longer) than \d+|\bno more than\b|\bup to \d+|\bat the same time\b",
    re.IGNORECASE,
)
_FORBID = re.compile(
    r"\b(?:never|don'?t|do not|must not|mustn'?t|should not|shouldn'?t|avoid|not to|"
    r"stay away from|steer clear|forget it|no way)\b",
    re.IGNORECASE,
)
_LIMIT = re.compile(
    r"\bno (?:longer|more|bigger|larger|later)\b|\bat (?:most|the most)\b|\bonly\b|"
    r"\b(?:until|within|unless)\b|\bkeep (?:it|them|each \w+) (?:to|under|below)\b|\bstick to\b|"
    r"\bso (?:that )?(?:it|they|you|your \w+) (?:does not|do not|doesn'?t|don'?t|won'?t|will not|"
    r"cannot|can'?t)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'd|i've|i'm|i'll|me|my|myself)\b", re.IGNORECASE)
_TOLD = re.compile(
    r"\b(?:said|told|warned|advised|says|tells|warns)\b(?: \w+){0,3} (?:not|never|to|that)\b",
    re.IGNORECASE,
)
_EXPERIENCED = re.compile(
    r"\b(?:gave|made|left|got|kept) me\b|\bi (?:got|had|felt|ended up|was|couldn'?t)\b|"
    r"\bmy \w+ (?:was|were|went|felt|kept)\b",
    re.IGNORECASE,
)
_HARSH = re.compile(
    r"\b(?:awful|horrible|terrible|nasty|hell|brutal|rough|wrecked|bad news|scary|grim|"
    r"miserable|dreadful|racing|pounding|a must)\b",
    re.IGNORECASE,
)
_BENEFIT = re.compile(
    r"\b(?:to|help|helps|helping|can|will) (?:treat|prevent|reduce|lower|protect|relieve|ease|"
    r"control|manage|improve|stop)\b|\b(?:lowers?|reduces?|halves?|cuts?) (?:the |your )?"
    r"(?:risk|chance)\b|\bunder control\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Linear:
    """One logistic-regression model: a bias and a weight per feature name."""

    bias: float
    weights: dict[str, float]

    def margin(self, features) -> float:
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in features)

    def score(self, features) -> float:
        return sigmoid(self.margin(features))

    def to_json(self) -> dict:
        return {
            "bias": round(self.bias, 4),
            "weights": {
                k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= PRUNE_BELOW
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Linear:
        return cls(float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()})


@dataclass(frozen=True, slots=True)
class SentenceModel:
    """Warning-or-not, plus categories and severity for warnings the rules did not name.

    Thresholds chosen by cross-validation: the model adds a warning the rules missed from
    `threshold`, and sets aside one the rules found only below `keep` (below `keep_serious`,
    a lower bar, when the rules found a serious harm: 0 means such a warning always stands)."""

    warning: Linear
    threshold: float  # a sentence the rules did not flag warns from this score
    categories: dict[str, Linear]
    severities: dict[str, Linear]
    keep: float = 0.0  # a sentence the rules flagged stays a warning unless its score is below this
    keep_serious: float = 0.0  # the same for a sentence the rules flagged with severity "warning"

    def categories_of(self, features) -> list[str]:
        scores = {name: model.score(features) for name, model in self.categories.items()}
        chosen = [name for name, s in scores.items() if s >= 0.5]
        return chosen or ([max(scores, key=lambda name: scores[name])] if scores else [])

    def severity_of(self, features) -> str:
        scores = {name: model.margin(features) for name, model in self.severities.items()}
        return max(scores, key=lambda name: scores[name]) if scores else "caution"

    def strongest_words(self, features: list[str], count: int = 3) -> list[str]:
        """The word features that pushed the score up most, as plain words for evidence."""
        get = self.warning.weights.get
        ranked = sorted(
            (f for f in set(features) if f.startswith(("w:", "b:")) and get(f, 0.0) > 0),
            key=lambda f: -get(f, 0.0),
        )
        return [f[2:] for f in ranked[:count]]

    def save(self, path: Path) -> None:
        data = {
            "version": FORMAT_VERSION,
            "threshold": round(self.threshold, 4),
            "keep": round(self.keep, 4),
            "keep_serious": round(self.keep_serious, 4),
            "warning": self.warning.to_json(),
            "categories": {k: v.to_json() for k, v in sorted(self.categories.items())},
            "severities": {k: v.to_json() for k, v in sorted(self.severities.items())},
        }
        path.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SentenceModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("version") != FORMAT_VERSION:
                raise ValueError(f"format version {data.get('version')}, expected {FORMAT_VERSION}")
            return cls(
                Linear.from_json(data["warning"]),
                float(data["threshold"]),
                {k: Linear.from_json(v) for k, v in data["categories"].items()},
                {k: Linear.from_json(v) for k, v in data["severities"].items()},
                float(data["keep"]),
                float(data["keep_serious"]),
            )
        except OSError as exc:
            raise ViewerError(
                f"cannot read the safety model {path}: {exc.strerror or exc}"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ViewerError(f"the safety model {path} is not a valid model file: {exc}") from None


class WarningScorer:
    """The warning model's margin computed straight from a sentence's stems, without building
    its feature names: the same sum as `Linear.margin(word_features(...) + signals)`, a few
    C-level dictionary look-ups per word (this runs on every sentence of a collection)."""

    def __init__(self, model: Linear) -> None:
        self.bias = model.bias
        self._words: dict[str, float] = {}
        self._pairs: dict[tuple[str, str], float] = {}
        self._first: dict[str, float] = {}
        self._other: dict[str, float] = {}
        for name, weight in model.weights.items():
            if name.startswith("w:"):
                self._words[name[2:]] = weight
            elif name.startswith("b:") and " " in name:
                first, second = name[2:].split(" ", 1)
                self._pairs[(first, second)] = weight
            elif name.startswith("first:"):
                self._first[name[6:]] = weight
            else:
                self._other[name] = weight

    def margin(self, stems: list[str], kind: str, signals) -> float:
        other = self._other.get
        total = self.bias + sum(map(self._words.get, stems, repeat(0.0)))
        if len(stems) > 1:
            total += sum(map(self._pairs.get, pairwise(stems), repeat(0.0)))
        if stems:
            total += self._first.get(stems[0], 0.0)
        if kind:
            total += other(f"kind:{kind}", 0.0)
        return total + sum(map(other, signals, repeat(0.0)))


def shape_features(text: str, words: list[str]) -> list[str]:
    """The form features of a sentence (its text, and its lower-case words without punctuation)."""
    out = []
    if words:
        first = words[0]
        if first == "do":
            first = "never" if len(words) > 1 and words[1] == "not" else ""
        elif first in _OPENERS:  # "If you are sick, take another one": the verb after the comma
            tail = text.split(",", 1)
            first = (
                tail[1].split(None, 1)[0].lower().strip("'\"")
                if len(tail) > 1 and tail[1].strip()
                else ""
            )
        if first in _VERBS:
            out.append(IMPERATIVE)
        if len(words) <= 4:
            out.append(SHORT)
    if _AMOUNT.search(text):
        out.append(AMOUNT)
    if _TIMING.search(text):
        out.append(TIMING)
    if text.rstrip().endswith("?") or (words and words[0] in ("myth", "fact")):
        out.append(QUESTION)
    if _BENEFIT.search(text):
        out.append(BENEFIT)
    forbids, limits = bool(_FORBID.search(text)), bool(_LIMIT.search(text))
    out += [FORBIDS] * forbids + [LIMITS] * limits
    if IMPERATIVE in out:
        limited = forbids or limits or AMOUNT in out or TIMING in out
        out.append(STEP_LIMITED if limited else STEP_PLAIN)
    if _FIRST_PERSON.search(text):
        out.append(FIRST_PERSON)
        if _EXPERIENCED.search(text):
            out.append(EXPERIENCED)
    if _TOLD.search(text):
        out.append(TOLD)
    if _HARSH.search(text):
        out.append(HARSH)
    return out


def place_features(heading_stems: list[str]) -> tuple[str, ...]:
    """The features of a sentence's place: the words of its section's heading."""
    return tuple(dict.fromkeys(HEADING + s for s in heading_stems))


def logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


def word_features(stems: list[str], kind: str = "") -> list[str]:
    """The features of a sentence's words (stems of its word tokens, in order)."""
    features = [f"w:{s}" for s in stems]
    features += [f"b:{a} {b}" for a, b in pairwise(stems)]
    if stems:
        features.append(f"first:{stems[0]}")
    if kind:
        features.append(f"kind:{kind}")
    return features


# --- training (scripts/safety_train.py; standard library only) ---------------------------------


def train_linear(
    samples: list[tuple[list[str], bool]],
    epochs: int = 30,
    l2: float = 1e-3,
    rate: float = 0.5,
    positive_weight: float = 1.0,
    seed: int = 11,
    min_count: int = MIN_COUNT,
) -> Linear:
    """Logistic regression by stochastic gradient descent with AdaGrad steps and L2 decay.

    A feature counts as often as it occurs in the sentence (as at run time); one seen in
    fewer than `min_count` training sentences is left out (a word of one article says nothing
    about the next).
    `positive_weight` weighs the warning sentences up (they are a minority, and a missed
    warning costs more)."""
    seen: dict[str, int] = {}
    for features, _ in samples:
        for f in set(features):
            seen[f] = seen.get(f, 0) + 1
    rows = [([f for f in features if seen[f] >= min_count], y) for features, y in samples]
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    bias, bias_square = 0.0, 1e-8
    order = list(range(len(rows)))
    shuffle = random.Random(seed).shuffle  # noqa: S311 - a repeatable training order, not a secret
    for _ in range(epochs):
        shuffle(order)
        for index in order:
            features, label = rows[index]
            get = weights.get
            margin = bias + sum(get(f, 0.0) for f in features)
            error = (sigmoid(margin) - (1.0 if label else 0.0)) * (
                positive_weight if label else 1.0
            )
            bias_square += error * error
            bias -= rate * error / math.sqrt(bias_square)
            for f in features:
                w = get(f, 0.0)
                g = error + l2 * w
                square = squares.get(f, 1e-8) + g * g
                squares[f] = square
                weights[f] = w - rate * g / math.sqrt(square)
    # Weights this small change no score by more than a hair; dropping them keeps the file small.
    return Linear(bias, {k: v for k, v in weights.items() if abs(v) >= PRUNE_BELOW})


def sigmoid(x: float) -> float:
    """The logistic function, without overflow for large margins."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
