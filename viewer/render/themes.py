"""Themes for the rendered article: colours and stylesheets from `resources/themes/`.

Each theme file (`light.css`, `dark.css`, `high-contrast.css`, and `print.css` for paper) declares its colours as
CSS custom properties in a `:root { --name: value; }` block, followed by any extra rules.
`base.css` holds the layout shared by all of them and refers to colours as `var(--name)`.
Qt's rich-text engine has no CSS variables, so `stylesheet()` substitutes the values; the files
stay valid CSS that a user can read and edit. Nothing here imports Qt.
"""

from __future__ import annotations

import re
from functools import cache

from viewer.core.errors import ViewerError
from viewer.core.resources import resource_path

THEMES = ("light", "dark", "high-contrast")
PRINT_THEME = "print"
# Body text size: a screen is read from further away than paper.
DEFAULT_SCREEN_PT = 12.0
DEFAULT_PRINT_PT = 10.5

_ROOT_BLOCK = re.compile(r":root\s*\{(.*?)\}", re.DOTALL)
_DECLARATION = re.compile(r"--([a-z0-9-]+)\s*:\s*([^;]+);")
_VAR = re.compile(r"var\(--([a-z0-9-]+)\)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def _check_theme(theme: str) -> str:
    if theme not in THEMES and theme != PRINT_THEME:
        raise ViewerError(f"unknown theme '{theme}' (choose from {', '.join(THEMES)})")
    return theme


@cache
def _theme_file(theme: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """(colour declarations, extra rules) of one theme file; cached because files are read-only."""
    path = resource_path(f"themes/{theme}.css")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ViewerError(f"cannot read the theme file {path}: {exc.strerror or exc}") from None
    text = _COMMENT.sub("", text)
    root = _ROOT_BLOCK.search(text)
    colours = (
        tuple((m.group(1), m.group(2).strip()) for m in _DECLARATION.finditer(root.group(1)))
        if root
        else ()
    )
    rules = _ROOT_BLOCK.sub("", text).strip()
    return colours, rules


@cache
def _base_css() -> str:
    path = resource_path("themes/base.css")
    try:
        return _COMMENT.sub("", path.read_text(encoding="utf-8")).strip()
    except OSError as exc:
        raise ViewerError(f"cannot read the stylesheet {path}: {exc.strerror or exc}") from None


def theme_colors(theme: str) -> dict[str, str]:
    """Colours of a theme by name with underscores: background, text, muted, heading, link,
    accent, rule, summary_bg, summary_border, safety_bg, safety_border, safety_label,
    caution_bg, caution_bar, caution_label, mark_glyph, mark_warning_bg, mark_caution_bg,
    mark_advice_bg, highlight, find, code_bg, table_border. A fresh dict each call."""
    colours, _ = _theme_file(_check_theme(theme))
    return {name.replace("-", "_"): value for name, value in colours}


def stylesheet(
    theme: str = "light", for_print: bool = False, base_font_pt: float | None = None
) -> str:
    """The stylesheet for a theme (for_print uses the print palette whatever the theme)."""
    name = PRINT_THEME if for_print else _check_theme(theme)
    colours, rules = _theme_file(name)
    size = base_font_pt or (DEFAULT_PRINT_PT if for_print else DEFAULT_SCREEN_PT)
    values = dict(colours)
    values["base-size"] = f"{size:g}pt"

    def resolve(match: re.Match) -> str:
        return values.get(match.group(1), "inherit")

    css = _base_css() + ("\n" + rules if rules else "")
    return _VAR.sub(resolve, css)


def palette_for(theme: str, for_print: bool = False) -> dict[str, str]:
    """The colours the renderer writes into HTML attributes (bgcolor) for this output."""
    return theme_colors(PRINT_THEME if for_print else theme)
