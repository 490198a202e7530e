"""WCAG 2.x contrast between two colours, and the theme colour pairs the reader relies on.

`contrast_ratio("#1f2328", "#fdfcf8")` is the ratio of relative luminances (1 to 21) that WCAG's
success criteria 1.4.3 (text: 4.5:1) and 1.4.11 (controls, focus indicators, graphics: 3:1)
set minimums for. `page_pairs(theme)` lists what the rendered page paints on what; the window's
own colours are checked the same way from its palette (viewer/ui/appearance.py). No Qt here.
"""

from __future__ import annotations

from viewer.render.themes import theme_colors

TEXT_MINIMUM = 4.5  # WCAG AA, body-size text
GRAPHIC_MINIMUM = 3.0  # WCAG AA, user-interface components, focus indicators, meaningful graphics


def _channels(colour: str) -> tuple[float, float, float]:
    value = colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(first: str, second: str, share: float) -> str:
    """`first` moved `share` (0-1) of the way towards `second`."""
    a, b = _channels(first), _channels(second)
    return "#" + "".join(f"{round((x + (y - x) * share) * 255):02x}" for x, y in zip(a, b))


def softened(colour: str, towards: str, backgrounds: list[str], minimum: float) -> str:
    """`colour` moved as far towards `towards` as it can go while keeping `minimum` contrast with
    every background (for secondary text and control outlines that should look quieter)."""
    best = colour
    for step in range(1, 20):
        candidate = mix(colour, towards, step / 20)
        if all(contrast_ratio(candidate, bg) >= minimum for bg in backgrounds):
            best = candidate
        else:
            break
    return best


def page_pairs(theme: str) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, minimum) for everything the page of `theme` paints."""
    c = theme_colors(theme)
    page = c["background"]
    pairs = [
        (f"{name} text", c[name], page, TEXT_MINIMUM)
        for name in ("text", "muted", "heading", "link", "accent")
    ]
    pairs += [
        ("summary text", c["text"], c["summary_bg"], TEXT_MINIMUM),
        ("summary label", c["accent"], c["summary_bg"], TEXT_MINIMUM),
        ("safety label", c["safety_label"], c["safety_bg"], TEXT_MINIMUM),
        ("safety text", c["text"], c["safety_bg"], TEXT_MINIMUM),
        ("safety muted text", c["muted"], c["safety_bg"], TEXT_MINIMUM),
        ("caution label", c["caution_label"], c["caution_bg"], TEXT_MINIMUM),
        ("caution text", c["text"], c["caution_bg"], TEXT_MINIMUM),
        ("search highlight", c["text"], c["highlight"], TEXT_MINIMUM),
        ("code text", c["text"], c["code_bg"], TEXT_MINIMUM),
        # Warning sentences (render/sentence_marks.py): text and glyph on each severity's tint.
        ("warning sentence", c["text"], c["mark_warning_bg"], TEXT_MINIMUM),
        ("caution sentence", c["text"], c["mark_caution_bg"], TEXT_MINIMUM),
        ("advice sentence", c["text"], c["mark_advice_bg"], TEXT_MINIMUM),
        ("warning glyph", c["mark_glyph"], c["mark_warning_bg"], TEXT_MINIMUM),
        ("caution glyph", c["mark_glyph"], c["mark_caution_bg"], TEXT_MINIMUM),
        ("advice glyph", c["mark_glyph"], c["mark_advice_bg"], TEXT_MINIMUM),
        ("find match", c["text"], c["find"], TEXT_MINIMUM),
        ("safety border", c["safety_border"], c["safety_bg"], GRAPHIC_MINIMUM),
        ("safety border on page", c["safety_border"], page, GRAPHIC_MINIMUM),
        ("caution bar", c["caution_bar"], page, GRAPHIC_MINIMUM),
        ("table border", c["table_border"], page, GRAPHIC_MINIMUM),
    ]
    return pairs
