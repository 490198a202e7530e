"""Reading-position maths for the reading pane, as plain Python (no Qt).

Which section is on screen (for the table of contents), which section is next or previous
(for Go > Next/Previous Section), how much of the document is scrolled (remembered between
runs), and how wide the side margins must be for a readable line length.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

# A heading counts as "reached" once it is within this share of the viewport from the top,
# so that the contents switch to a section as soon as its heading is comfortably in view.
REACHED_FRACTION = 0.25
# A readable measure: about 70 characters per line.
MEASURE_CHARS = 70
MIN_SIDE_MARGIN = 16


def current_section(tops: Sequence[float], scroll: float, viewport: float, maximum: float) -> int:
    """Index of the section being read, given each section heading's top (ascending), or -1.

    At the very top the first section is current. At the very end of the document the last
    heading that is on screen wins: a short last section can never reach the top of the
    viewport, yet it is what the reader is looking at.
    """
    if not tops:
        return -1
    if scroll <= 0:
        # At the top (and always in an article too short to scroll) the reader is at its start,
        # even when a short intro lets later headings into the top of the pane.
        return 0
    if maximum > 0 and scroll >= maximum - 1:
        visible = bisect_right(tops, scroll + viewport - 1) - 1
        return max(visible, 0)
    reached = bisect_right(tops, scroll + viewport * REACHED_FRACTION) - 1
    return max(reached, 0)


def next_section(tops: Sequence[float], current: int) -> int | None:
    """The section after `current`, or None at the last one."""
    following = current + 1
    return following if 0 <= following < len(tops) else None


def previous_section(tops: Sequence[float], current: int, scroll: float) -> int | None:
    """The section before; if the reader is inside a section below its heading, its own start."""
    if current < 0 or not tops:
        return None
    if scroll > tops[current] + 2:
        return current
    return current - 1 if current > 0 else None


def scroll_fraction(value: int, maximum: int) -> float:
    """How far down the document is scrolled, 0.0 to 1.0 (stable across window sizes)."""
    if maximum <= 0:
        return 0.0
    return min(max(value / maximum, 0.0), 1.0)


def scroll_value(fraction: float, maximum: int) -> int:
    """The scroll bar value for a remembered fraction."""
    fraction = min(max(fraction, 0.0), 1.0)
    return round(fraction * max(maximum, 0))


def side_margin(
    viewport_width: float,
    char_width: float,
    chars: int = MEASURE_CHARS,
    minimum: float = MIN_SIDE_MARGIN,
) -> float:
    """Left/right margin that keeps lines near `chars` characters wide, centred in the pane."""
    measure = char_width * chars
    return max(minimum, (viewport_width - measure) / 2)
