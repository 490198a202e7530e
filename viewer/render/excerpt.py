"""Print or export only the selected part of an article (no Qt).

The reader's selection is placed in the article's own text (`anchoring.article_text`) by its
words: the pane shows severity glyphs and box labels the article does not have, so each
selected line is cleaned of them and its words looked for, the first line nearest where the
selection was on the page. `select_article` then gives a smaller Article holding just that
part: its title, the sections it touches (headings kept, so the reader sees where it is from)
and the selected paragraphs, the first and last cut to the selection with their sentence
verdicts moved along. Every writer takes that Article as it takes a whole one, so the title
and the source line come out as usual; a notice says it is an excerpt.
"""

from __future__ import annotations

import re
from dataclasses import replace

from viewer.core.annotations.anchoring import article_text
from viewer.core.model import Article, Paragraph, Section, Sentence
from viewer.core.plaintext import escape_markdown
from viewer.core.safety_derive import derive_paragraph, derive_section

EXCERPT_NOTICE = "An excerpt: only the passage selected in the reader, not the whole article."
# Marks the reading pane draws that are not article text (severity glyphs, the safety sign).
PANE_GLYPHS = re.compile("[\u25b2\u25c6\u25cf\u26a0]")
_SPACE = re.compile(r"\s+")
PIECE = 40  # characters (spaces left out) from a line's start or end that identify it


def _squeezed(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace, and where each kept character was in `text`."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def locate_selection(article: Article, selected: str, near: float = 0.0) -> tuple[int, int] | None:
    """Where the selected text lies in article_text(article): (start, end), or None.

    `near` (0..1) is where the selection started on the page, to choose among repeated words."""
    text = article_text(article)
    flat, where = _squeezed(text)
    lines = [_SPACE.sub("", PANE_GLYPHS.sub("", line)) for line in selected.splitlines()]
    lines = [line for line in lines if line]
    if not flat or not lines:
        return None
    start_at = end_at = -1
    # The first line the article has (a label line of the pane is skipped); a line that differs
    # from the article somewhere (a formatted word) is known by its first or last characters.
    for line in lines:
        for piece in dict.fromkeys((line, line[:PIECE])):
            hits = [m.start() for m in re.finditer(f"(?={re.escape(piece)})", flat)]
            if hits:
                start_at = min(hits, key=lambda h: abs(h / len(flat) - near))
                end_at = start_at + len(piece)
                break
        if start_at >= 0:
            break
    if start_at < 0:
        return None
    for line in reversed(lines):  # the last one, from the first on
        found = next(
            (
                (at, piece)
                for piece in dict.fromkeys((line, line[-PIECE:]))
                if (at := flat.find(piece, start_at)) >= 0
            ),
            None,
        )
        if found is not None:
            end_at = max(end_at, found[0] + len(found[1]))
            break
    return where[start_at], where[end_at - 1] + 1


def _cut(paragraph: Paragraph, low: int, high: int, markdown: bool) -> Paragraph:
    """The part plain[low:high] of a paragraph, with the sentences inside it moved along."""
    plain = paragraph.plain
    while low < high and plain[low].isspace():
        low += 1
    while high > low and plain[high - 1].isspace():
        high -= 1
    piece = plain[low:high]
    sentences = []
    for sentence in paragraph.sentences:
        start, end = max(sentence.start, low) - low, min(sentence.end, high) - low
        if start < end:
            sentences.append(
                Sentence(
                    start,
                    end,
                    piece[start:end],
                    sentence.safety,
                    sentence.severity,
                    sentence.categories,
                    sentence.evidence,
                    sentence.cues,
                )
            )
    # A cut Markdown paragraph is shown as its readable words (its markup may be cut in half).
    cut = Paragraph(escape_markdown(piece) if markdown else piece, piece, sentences=sentences)
    derive_paragraph(cut)
    return cut


def select_article(article: Article, start: int, end: int) -> Article:
    """The part of the article between two offsets of article_text(article), as an Article."""
    at = len(article.title) + 1
    markdown = article.source_format == "md"
    sections: list[Section] = []
    for section in article.sections:
        heading_start = at
        at += len(section.heading) + 1
        kept = []
        for paragraph in section.paragraphs:
            low, high = max(start - at, 0), min(end - at, len(paragraph.plain))
            if low < high and paragraph.plain[low:high].strip():
                whole = low == 0 and high == len(paragraph.plain)
                kept.append(paragraph if whole else _cut(paragraph, low, high, markdown))
            at += len(paragraph.plain) + 1
        if kept or (heading_start < end and heading_start + len(section.heading) > start):
            part = replace(section, paragraphs=kept)
            if len(kept) != len(section.paragraphs) or any(
                a is not b for a, b in zip(kept, section.paragraphs)
            ):
                derive_section(part)  # its flag follows the warnings it still holds
            sections.append(part)
    return replace(article, sections=sections, notes=[*article.notes, EXCERPT_NOTICE])
