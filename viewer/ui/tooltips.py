"""Tooltips that show plain text exactly: article text in a tooltip must never become markup.

Qt guesses whether a tooltip is rich text (Qt::mightBeRichText), so a plain string holding
"<b>" would be rendered. `plain_tooltip` escapes the text and turns only its line breaks into
markup, so what shows is the text as written, on the lines it was given.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """Plain text (with line breaks) as a tooltip string that shows exactly that text."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text).replace("\n", "<br>") + "</p>"
