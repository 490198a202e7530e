"""Negation, hedging and subject scope in one sentence, after NegEx / ConText (Chapman et al.;
medspaCy's ConText is the reference implementation): trigger phrases open a scope that runs
forward ("not", "no evidence", "without") or backward ("... are rare", "... have not been
reported") over at most `window` words, and ends early at clause punctuation or a terminator
("but", "however", "which"). A hedge ("may", "can", "could") also ends a forward scope: in
"without food it may upset the stomach" the harm is not what "without" negates.

What a negation does depends on what it reaches (the polarity rule of this app):
- a risk cue ("habit-forming", "overdose") is negated: a reassurance ("it is not
  habit-forming", "you cannot overdose");
- a reassurance cue ("safe", "recommended", "suitable") is negated into a warning ("no evidence
  that it is safe in pregnancy", "not recommended for babies"); the negation is spent on it, so
  risk cues later in the same scope ("pregnancy", "babies") stand;
- words that are part of a cue or of a pseudo-trigger ("do not exceed", "no more than", "not
  only") are not triggers at all.
Subject modifiers ("tobacco", "symptom of") take a whole clause: the harm is of something else.
A benefit verb ("eases", "relieves") takes a forward scope like a negation: what it reaches is
the condition being treated ("it eases insomnia"), not a harm of the product. That scope is the
verb's object, so it also ends at a verb of its own ("to ease one is a warning sign of
dependence": the sign is no object of "ease"). A benefit noun after the harm ("stroke
prevention") takes a backward scope the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.phrases import Hit, Tokens

# Roles a trigger phrase has (the tag of its Phrase).
PRE, POST, PSEUDO, TERMINATE, HEDGE = "pre", "post", "pseudo", "terminate", "hedge"
# A negating prefix ("non-drowsy", "non-habit-forming") reaches only the word it is written on:
# in "use a non-slip mat and take care getting in" the care is not negated.
PREFIX = "prefix"
SUBJECT, SUBJECT_BREAK, TREATS = "subject", "subject-break", "treats"
TREATS_AFTER, TREATS_END = "treats-after", "treats-end"  # "stroke prevention"; "... is ..."
TOPIC = "topic"  # a condition opening the sentence: its subject up to a "but"


@dataclass(frozen=True, slots=True)
class Scoped:
    """What the context rules decided about one target hit (a risk or a reassurance cue)."""

    hit: Hit
    negated_by: str = ""  # the negation phrase whose scope covers it
    subject: str = ""  # the other subject it is about ("tobacco")
    treated_by: str = ""  # the benefit verb whose object it is ("eases insomnia")


def _role(hit: Hit) -> str:
    """A trigger's role: its phrase's tag, or the second item of a (kind, role) tag."""
    tag = hit.phrase.tag
    return tag[1] if isinstance(tag, tuple) else tag


def _overlaps(a: Hit, b: Hit) -> bool:
    return a.first <= b.last and b.first <= a.last


def resolve(
    tokens: Tokens, risks: list[Hit], reassurances: list[Hit], triggers: list[Hit], window: int
) -> tuple[list[Scoped], list[Scoped], list[str]]:
    """(risks, reassurances, hedges) with the negation and subject each target falls under.
    Subjects reach over a clause that only SUBJECT_BREAK triggers (and ; : brackets) end."""
    targets = risks + reassurances
    pseudo = [t for t in triggers if _role(t) == PSEUDO]
    live = [t for t in triggers if _role(t) != PSEUDO and not any(_overlaps(t, p) for p in pseudo)]
    # A trigger inside a cue is part of the cue ("no more than", "do not exceed").
    negations = [
        t
        for t in live
        if _role(t) in (PRE, POST, PREFIX) and not any(_overlaps(t, c) for c in targets)
    ]
    ends = {t.first for t in live if _role(t) == TERMINATE}
    hedge_hits = [t for t in live if _role(t) == HEDGE]
    hedge_starts = {t.first for t in hedge_hits}
    punct = tokens.punct

    def forward(trigger: Hit, also_ends: frozenset[int] = frozenset()) -> range:
        position, words = trigger.last + 1, 0
        while position < len(punct) and words < window:
            if punct[position] or position in ends or position in hedge_starts:
                break
            if position in also_ends:
                break
            words += 1
            position += 1
        return range(trigger.last + 1, position)

    def backward(trigger: Hit) -> range:
        position, words = trigger.first - 1, 0
        while position >= 0 and words < window:
            if punct[position] or position in ends:
                break
            words += 1
            position -= 1
        return range(position + 1, trigger.first)

    # A cue that holds a negation of its own ("do not double", "never be put") is a prohibition,
    # and another negation before it does not undo it: "No, don't double up", "it is not
    # sterile and should never be put on a wound".
    own = [t for t in live if _role(t) in (PRE, POST, PREFIX)]
    prohibitions = {i for i, r in enumerate(risks) if any(_overlaps(t, r) for t in own)}
    negated_risk: dict[int, str] = {}
    negated_reassurance: dict[int, str] = {}
    for trigger in negations:
        role = _role(trigger)
        if role == PREFIX:
            scope = range(trigger.last + 1, min(trigger.last + 2, len(punct)))
        else:
            scope = forward(trigger) if role == PRE else backward(trigger)
        if not scope:
            continue
        spent_at = None
        if role != POST:
            # The negation takes the first target it reaches: a reassurance first ("no evidence
            # that it is safe in pregnancy") is negated into a warning, and the risks after it
            # stand; a risk first ("no increase in side effects at the recommended amount") is
            # negated, and the reassurance after it stays a reassurance.
            first_risk = min((r.first for r in risks if r.first in scope), default=None)
            reached = [
                i
                for i, r in enumerate(reassurances)
                if r.first in scope and (first_risk is None or r.first < first_risk)
            ]
            if reached:
                spent_at = min(reassurances[i].first for i in reached)
                for i in reached:
                    negated_reassurance.setdefault(i, trigger.phrase.text)
        for i, risk in enumerate(risks):
            if i in prohibitions:
                continue
            inside = risk.first in scope if role != POST else risk.last in scope
            if inside and (spent_at is None or risk.first < spent_at):
                negated_risk.setdefault(i, trigger.phrase.text)
    treated: dict[int, str] = {}
    object_ends = frozenset(t.first for t in live if _role(t) == TREATS_END)
    for trigger in (t for t in live if _role(t) in (TREATS, TREATS_AFTER)):
        after = _role(trigger) == TREATS_AFTER
        scope = backward(trigger) if after else forward(trigger, object_ends)
        for i, risk in enumerate(risks):
            if (risk.last if after else risk.first) in scope:
                treated.setdefault(i, trigger.phrase.text)
    subjects = [t for t in live if _role(t) in (SUBJECT, TOPIC)]
    if subjects:
        breaks = {t.first for t in live if _role(t) == SUBJECT_BREAK}
        clause_of = _clauses(tokens, breaks, joined_clauses=True)
        topic_clause_of = _clauses(tokens, breaks, joined_clauses=False)
    risk_out = []
    for i, risk in enumerate(risks):
        subject = next(
            (
                s.phrase.text
                for s in subjects
                if not _overlaps(s, risk)
                and (
                    topic_clause_of[s.first] == topic_clause_of[risk.first]
                    if _role(s) == TOPIC
                    else clause_of[s.first] == clause_of[risk.first]
                )
            ),
            "",
        )
        risk_out.append(Scoped(risk, negated_risk.get(i, ""), subject, treated.get(i, "")))
    reassurance_out = [
        Scoped(r, negated_reassurance.get(i, "")) for i, r in enumerate(reassurances)
    ]
    hedges = list(dict.fromkeys(h.phrase.text for h in hedge_hits))
    return risk_out, reassurance_out, hedges


def _clauses(tokens: Tokens, ends: set[int], joined_clauses: bool) -> list[int]:
    """A clause number per token: a subject reaches across commas but not past a terminator
    ("but", "however") or a semicolon, colon or bracket; with `joined_clauses`, not past a
    comma and a joiner either (", and withdrawal symptoms may include"), unless a pronoun
    carries the subject on (", and it raises the risk")."""
    number, out = 0, []
    words = tokens.words
    for index, (word, is_punct) in enumerate(zip(words, tokens.punct)):
        joined = (
            joined_clauses
            and word == ","
            and index + 1 < len(words)
            and words[index + 1] in _CLAUSE_JOINERS
            and (index + 2 >= len(words) or words[index + 2] not in _CARRIERS)
        )
        if index in ends or (is_punct and word != ",") or joined:
            number += 1
        out.append(number)
    return out


# After a comma these start a new clause, with a subject of its own ("..., and withdrawal
# symptoms may include ...").
_CLAUSE_JOINERS = frozenset({"and", "but", "so", "or", "while", "yet"})
_CARRIERS = frozenset({"it", "this", "they", "these", "that"})
