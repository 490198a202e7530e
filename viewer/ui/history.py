"""Back/forward navigation history, like a browser's, as plain Python (no Qt).

A `Place` is where the reader was: an article, optionally a section anchor, and the scroll
position. Visiting a new place drops the forward list; going back remembers where the reader
was so that forward returns to the same spot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# How many places are kept; older ones fall off the back.
DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class Place:
    """A position in the collection: article id, section anchor (or ""), scroll offset in pixels."""

    article_id: str
    anchor: str = ""
    scroll: int = 0

    def same_spot(self, other: Place | None) -> bool:
        """True when both name the same article and section (scroll offsets aside)."""
        return other is not None and (self.article_id, self.anchor) == (
            other.article_id,
            other.anchor,
        )


class History:
    """A list of places with a cursor; `current` is the place shown now."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._places: list[Place] = []
        self._index = -1
        self._limit = max(2, limit)

    @property
    def current(self) -> Place | None:
        return self._places[self._index] if self._index >= 0 else None

    def can_go_back(self) -> bool:
        return self._index > 0

    def can_go_forward(self) -> bool:
        return 0 <= self._index < len(self._places) - 1

    def visit(self, place: Place) -> None:
        """Record a new place; a repeat of the current spot only updates its scroll offset."""
        if place.same_spot(self.current):
            self._places[self._index] = place
            return
        del self._places[self._index + 1 :]
        self._places.append(place)
        if len(self._places) > self._limit:
            del self._places[0]
        self._index = len(self._places) - 1

    def update_scroll(self, scroll: int) -> None:
        """Remember how far the current place was scrolled (called before leaving it)."""
        if self.current is not None:
            self._places[self._index] = replace(self.current, scroll=scroll)

    def back(self) -> Place | None:
        if not self.can_go_back():
            return None
        self._index -= 1
        return self._places[self._index]

    def forward(self) -> Place | None:
        if not self.can_go_forward():
            return None
        self._index += 1
        return self._places[self._index]

    def forget_article(self, article_id: str) -> None:
        """Drop the places of an article that no longer exists (e.g. its file was deleted)."""
        current = self.current
        self._places = [p for p in self._places if p.article_id != article_id]
        if current is not None and current in self._places:
            self._index = self._places.index(current)
        else:
            self._index = len(self._places) - 1

    def __len__(self) -> int:
        return len(self._places)

    def snapshot(self) -> tuple[list[Place], int]:
        """The places and which one is current (to save a tab's history between runs)."""
        return list(self._places), self._index

    @classmethod
    def restored(cls, places: list[Place], index: int) -> History:
        history = cls()
        history._places = list(places[-history._limit :])
        history._index = max(
            -1, min(index - (len(places) - len(history._places)), len(history._places) - 1)
        )
        if history._places and history._index < 0:
            history._index = len(history._places) - 1
        return history
