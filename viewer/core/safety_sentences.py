"""An article's sentences as the safety classifier reads them, and what the rules found next
to each, as features for the trained sentence model.

`gather` walks an article's sections and paragraphs once: each sentence with its tokens, its
section's kind and heading features, and where it sits (its section, the lead-in of the list
it is an item of). Warnings come in runs: a safety section holds several, and a list of signs under "Get help at
once if:" is a list of warnings whose items name no cue of their own ("a rash that spreads").
A sentence is read in that light through a few features naming its neighbours as the rules
read them (safety.py computes the rules' verdicts; safety_model.py weighs the features). The
neighbours are read by the rules alone, never by the model, so that training
(scripts/safety_train.py, which reads sentences with the rules) sees exactly what classifying
does, and one sentence's score never depends on another's.

Pure Python, no Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from viewer.core.model import Article, Paragraph, Sentence
from viewer.core.phrases import Stemmer, Tokens, tokenize
from viewer.core.safety_model import place_features
from viewer.core.sentences import split_sentences

BEFORE, AFTER = "c:before", "c:after"  # the sentence just before / after in the section warns
SECTION = "c:section"  # two or more other sentences of the section warn
LEAD_WARNS, LISTED = "c:lead-warns", "c:listed"  # a list item whose lead-in warns / does not
_MARKERS = ("- ", "* ", "+ ")


def is_list(source: str) -> bool:
    """Whether a paragraph's source text is a list (Markdown or seed-layout bullets, numbers)."""
    head = source.lstrip()[:5]
    return head[:2] in _MARKERS or (head[:1].isdigit() and ". " in head)


def is_lead_in(sentence: str) -> bool:
    """Whether a paragraph's last sentence introduces what follows ("Stop and get help if:")."""
    return sentence.rstrip().endswith(":")


def neighbour_features(
    warns: Sequence[bool], sections: Sequence[int], lead_ins: Sequence[int]
) -> list[tuple[str, ...]]:
    """The neighbour features of each sentence of an article, in order: `warns[i]` says whether
    the rules found a warning in sentence i, `sections[i]` its section's number, `lead_ins[i]`
    the sentence introducing the list it is an item of (-1 when it is not a listed item)."""
    per_section = Counter(number for number, warning in zip(sections, warns) if warning)
    last = len(warns) - 1
    out = []
    for i, number in enumerate(sections):
        features = []
        if per_section[number] - warns[i] >= 2:
            features.append(SECTION)
        if i > 0 and sections[i - 1] == number and warns[i - 1]:
            features.append(BEFORE)
        if i < last and sections[i + 1] == number and warns[i + 1]:
            features.append(AFTER)
        if lead_ins[i] >= 0:
            features.append(LEAD_WARNS if warns[lead_ins[i]] else LISTED)
        out.append(tuple(features))
    return out


class Gathered(NamedTuple):
    """One sentence of an article, where it sits, before any verdict."""

    paragraph: Paragraph
    sentence: str
    start: int  # offsets into paragraph.plain
    end: int
    tokens: Tokens
    kind: str  # its section's kind (intro, body, conclusion ...)
    place: tuple[str, ...]  # its section heading's features (safety_model.place_features)
    section: int  # its section's number in the article
    lead_in: int  # the index of the sentence introducing its list, or -1 if not a listed item


class Prepared(NamedTuple):
    """A sentence ready for the classifier's verdict (SafetyClassifier._prepare)."""

    paragraph: Paragraph
    sentence: str
    start: int
    end: int
    tokens: Tokens
    has_target: bool  # a word of it can anchor a cue (else the rules find nothing in it)
    kind: str
    place: tuple[str, ...]  # its section heading's features, and its neighbours'
    ruled: tuple[Sentence, tuple[str, ...]] | None  # the rules' verdict and signals


def gather(article: Article, stem: Stemmer) -> list[Gathered]:
    """Every sentence of an article, in reading order."""
    out: list[Gathered] = []
    for number, section in enumerate(article.sections):
        place = place_features(words_of(tokenize(section.heading, stem))[0])
        lead = -1
        for paragraph in section.paragraphs:
            listed = is_list(paragraph.text)
            for start, end in split_sentences(paragraph.plain):
                sentence = paragraph.plain[start:end]
                tokens = tokenize(sentence, stem)
                out.append(
                    Gathered(
                        paragraph,
                        sentence,
                        start,
                        end,
                        tokens,
                        section.kind,
                        place,
                        number,
                        lead if listed else -1,
                    )
                )
            if not listed:  # a list's items keep the lead-in of the paragraph before the list
                lead = len(out) - 1 if out and is_lead_in(out[-1].sentence) else -1
    return out


def words_of(tokens: Tokens) -> tuple[list[str], list[str]]:
    """(stems, lower-case words) of a sentence's word tokens, without its punctuation."""
    if True not in tokens.punct:
        return tokens.stems, tokens.words
    kept = [i for i, p in enumerate(tokens.punct) if not p]
    return [tokens.stems[i] for i in kept], [tokens.words[i] for i in kept]
