"""Which of a sentence's cues fire once their scope is read (safety.py's rules, last step).

A risk cue is set aside when it is negated, inside a phrase that is not about the product, or
(for a harm) the condition treated or the harm of something else; a negated reassurance ("not
recommended", "no evidence ... safe") fires as a warning. Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from viewer.core import context
from viewer.core.phrases import Hit


def judge(
    risks: list[context.Scoped],
    reassurances: list[context.Scoped],
    ignored: list[Hit],
    words: Callable[[Hit], str],
    harm_categories: Collection[str],
) -> tuple[list[tuple[str, Any]], list[str]]:
    """(the cues that fire, as (the words, the cue's meaning); why each other cue was set
    aside). `words` gives a hit's text; the meaning is the phrase's tag (safety.Cue)."""
    fired: list[tuple[str, Any]] = []
    set_aside: list[str] = []
    for scoped in risks:
        hit, cue = scoped.hit, scoped.hit.phrase.tag[1]
        ignore = next((i for i in ignored if i.first <= hit.last and hit.first <= i.last), None)
        harm = cue.category in harm_categories
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
