"""Article -> HTML for Qt's rich-text subset (and browsers), with themes. Imports no Qt.

`render_article` feeds the reading pane, the printer and every export, so what the reader sees
is what gets printed.
"""

from viewer.render.disclaimer import DISCLAIMER
from viewer.render.html import render_article, render_error
from viewer.render.themes import THEMES, stylesheet, theme_colors

__all__ = ["DISCLAIMER", "THEMES", "render_article", "render_error", "stylesheet", "theme_colors"]
