"""Untrusted text bound for a terminal: control characters shown escaped, never obeyed.

A title holding `ESC ] 0 ; ... BEL` retitles the terminal window and `ESC [ 2 J` clears the
screen when `list`, `show` or `search` print it; C1 codes (U+009B is a one-character CSI) do
the same on some terminals, and bidirectional overrides make text read differently than it
is stored. Each becomes a visible escape such as `\\x1b` or `\\u202e`. JSON output needs none
of this: json.dumps already escapes control characters.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, and the bidi embedding/override/isolate
# marks and line/paragraph separators (which rearrange or break what is shown).
_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: object, multiline: bool = False) -> str:
    """The text with every control character escaped (newlines kept when `multiline`)."""
    pattern = _MULTILINE if multiline else _ONE_LINE
    return pattern.sub(_escape, str(text))
