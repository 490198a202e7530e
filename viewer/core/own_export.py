"""Reading back a Markdown file this program exported, as the article it came from (no Qt).

The Markdown export (viewer/export/markdown_export) writes what the page shows: the summary
and each safety callout as a block quote under a bold label line ("**⚠ Safety: Side
effects**"), each warning sentence after its severity glyph, a topics line under the title, and
the closing lines (the legend of the marks, the source, the disclaimer) after an HTML rule.
Read as an ordinary article, those labels and closing lines are prose, and the classifier
reads "⚠ Safety: Side effects, Dosage caution" or the disclaimer as cautions of the article.

So the export says what it is in its front matter (`EXPORT_KEY: APP_ID`), and the Markdown
loader, for such a file only, reads the page's additions as what they are: label lines and
the closing lines are left out, block quotes are read as the paragraphs they hold (the summary
box, before the first heading, as the summary again), and the severity glyphs are taken off the sentences (the classifier marks them again). Any other
Markdown file is read exactly as written. The constants here are the export's format: the
writer imports them, so the two cannot drift apart.
"""

from __future__ import annotations

import re

from viewer import APP_ID

EXPORT_KEY = "exported-by"  # front matter: which program wrote this file as an export
FOOTER_RULE = "<hr>"  # the rule before the closing lines ("* * *" would open a conclusion)
SEVERITY_GLYPHS = ("\u25b2", "\u25c6", "\u25cf")  # ▲ ◆ ●, as viewer/render/sentence_marks
GLYPH_GAP = "\u00a0"  # after a glyph: keeps it on the line of the word it marks
TOPICS_PREFIX = "Topics: "
SUMMARY_LABEL = "**Summary**"  # the summary's heading line inside its box

_QUOTE = re.compile(r"^ {0,3}> ?")
# A box's label line: the summary's, or a safety callout's or paragraph's ("⚠ Safety: ...").
_LABEL = re.compile(r"^(?:\*\*\u26a0 [^\n]*\*\*|" + re.escape(SUMMARY_LABEL) + ")$")
_GLYPH = re.compile("[" + "".join(SEVERITY_GLYPHS) + "]" + GLYPH_GAP)


def is_own_export(metadata: dict) -> bool:
    return metadata.get(EXPORT_KEY) == APP_ID


def is_footer_rule(text: str) -> bool:
    return text.strip() == FOOTER_RULE


def is_topics_line(text: str) -> bool:
    """The topics line under the title ("*Topics: a · b*"): front matter holds the topics."""
    stripped = text.strip()
    return (
        stripped.startswith("*" + TOPICS_PREFIX) and stripped.endswith("*") and "\n" not in stripped
    )


def is_summary_box(text: str) -> bool:
    """The summary box: the quoted block whose label lines include the summary's heading (the
    export writes it inside the box, under any safety label, since it opens no section)."""
    lines = text.split("\n")
    return all(_QUOTE.match(line) for line in lines) and any(
        _QUOTE.sub("", line, count=1).strip() == SUMMARY_LABEL for line in lines
    )


def paragraphs_of(text: str) -> list[str]:
    """A written paragraph as the article's paragraphs: a block quote (a box) as the
    paragraphs it holds, without its label lines; glyphs taken off the sentences."""
    lines = text.split("\n")
    if not all(_QUOTE.match(line) for line in lines):
        return [_GLYPH.sub("", text)]
    found: list[str] = []
    current: list[str] = []
    for line in [_QUOTE.sub("", line, count=1) for line in lines] + [""]:
        if line.strip():
            current.append(line)
            continue
        if current:
            paragraph = "\n".join(current)
            if not _LABEL.match(paragraph.strip()):
                found.append(_GLYPH.sub("", paragraph))
            current = []
    return found
