"""Finding things in the rendered page: a passage by its words, a section's anchor, and the
reason of the sentence mark under a point.

The page is rendered rich text while what the panels hold is plain text, so a passage is found
by its words whatever lies between them (spacing, punctuation, a severity glyph). The reason of
a mark is the plain text the renderer put in its `title` (Qt keeps it as the tooltip of the
characters' format); it is shown as plain text by the reader, never as markup.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPointF, QRegularExpression, Qt
from PySide6.QtGui import QTextCursor, QTextDocument

# Words of a passage the pane looks for to reveal it: enough to tell passages apart, few
# enough for a quick search.
REVEAL_WORDS = 60


def words_pattern(text: str) -> QRegularExpression:
    """A pattern for the words of `text` whatever lies between them in the page."""
    words = re.findall(r"\w+", text)[:REVEAL_WORDS]
    # The closing punctuation belongs to the sentence (a full stop, a closing quote).
    return QRegularExpression(
        r"\b" + r"\W+".join(re.escape(w) for w in words) + r"[^\s\w]*",
        QRegularExpression.PatternOption.UseUnicodePropertiesOption,
    )


def anchor_cursor(document: QTextDocument, anchor: str) -> QTextCursor:
    """A cursor at a section anchor (at the top of the page when there is none)."""
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if anchor in fragment.charFormat().anchorNames():
                cursor.setPosition(fragment.position())
                return cursor
            iterator += 1
        block = block.next()
    return cursor


def reason_at(document: QTextDocument, point: QPointF) -> str:
    """The reason of the mark on the character at a document point ("" when there is none)."""
    position = document.documentLayout().hitTest(point, Qt.HitTestAccuracy.ExactHit)
    if position < 0:
        return ""
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    # A cursor's format is that of the character before it: select the one at the point.
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
    return cursor.charFormat().toolTip()
