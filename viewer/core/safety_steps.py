"""Plain use steps: "Put the plaster on so that the pad sits over the corn", "Tilt your head
forward", "Breathe in gently through your nose". A step of how to take or apply the product that
names no limit, no timing rule and no harm is not a warning (tests/fixtures/safety_dev/GUIDE.md,
"Use instructions"), so the trained model may not make one of it; a step the rules find a
limit, a prohibition or a harm in still warns through them.

The words live in `resources/safety.toml` [steps]: a sentence is a plain step when its first
word is one of `verbs` and none of its words is one of `unless` (what a step avoids or forbids:
"because", "so", "never", "not" ...). Words match on their stems, like every list there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from viewer.core.safety_values import read_strings


@dataclass(frozen=True, slots=True)
class PlainSteps:
    """Which sentences are plain use steps, from the stems of their words."""

    verbs: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()

    @classmethod
    def read(cls, table: object, path: Path | str, stem: Callable[[str], str]) -> PlainSteps:
        """The [steps] table of a rules file (none: nothing is a plain step)."""
        table = table if isinstance(table, dict) else {}

        def stems(key: str) -> frozenset[str]:
            return frozenset(
                stem(word.lower()) for word in read_strings(table.get(key), f"[steps] {key}", path)
            )

        return cls(stems("verbs"), stems("unless"))

    def plain(self, stems: Sequence[str]) -> bool:
        """Whether a sentence (the stems of its words, in order) is a plain use step."""
        return bool(stems) and stems[0] in self.verbs and self.unless.isdisjoint(stems)
