"""Plain-text export: wrapped at 78 columns, headings underlined, safety passages labelled.

Meant to be read in a terminal, an e-mail or a text editor. A safety section is framed by
"!" rules with a "SAFETY:" label naming its categories and its lines indented with "! ";
a safety paragraph elsewhere gets a "[Warning: ...]" line (named after its strongest sentence,
"[Caution: ...]" without sentence verdicts) before it. Inside both, each warning sentence is
preceded by its own tag with the screen's glyph, "[▲ Warning: Interactions ...]", so the
reader sees which words the warning is. The source and the disclaimer close the file.
"""

from __future__ import annotations

import textwrap

from viewer.core.model import KIND_INTRO, KIND_SUMMARY, Article, Paragraph, Section
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.html import categories_text, passage_label_word
from viewer.render.sentence_marks import (SEVERITY_GLYPHS, has_marks, mark_label, marks_legend, sentence_text,
                                          severity_of, warning_sentences)

WIDTH = 78
_SAFETY_PREFIX = "! "


def _wrap(text: str, width: int = WIDTH, prefix: str = "") -> list[str]:
    """Wrap each source line on its own, so list items and line breaks keep their shape."""
    lines: list[str] = []
    for source_line in text.splitlines() or [""]:
        stripped = source_line.strip()
        if not stripped:
            lines.append(prefix.rstrip())
            continue
        lines.extend(textwrap.wrap(stripped, width=width - len(prefix), initial_indent=prefix,
                                   subsequent_indent=prefix, break_long_words=True,
                                   break_on_hyphens=False))
    return lines


def _underlined(text: str, char: str, prefix: str = "") -> list[str]:
    lines = _wrap(text, prefix=prefix)
    longest = max((len(line) - len(prefix) for line in lines), default=0)
    return lines + [prefix + char * max(3, longest)]


def sentence_tag(sentence) -> str:
    """'[▲ Warning: Interactions and medical conditions]', the tag before a warning sentence."""
    return f"[{SEVERITY_GLYPHS[severity_of(sentence)]} {mark_label(sentence)}]"


def marked_plain(paragraph: Paragraph) -> str:
    """The paragraph's plain text with a tag before each warning sentence. A sentence whose
    offsets do not hold (or that overlaps one already tagged) is tagged at the paragraph's start."""
    text = paragraph.plain
    inserts: list[tuple[int, str]] = []
    unplaced: list[str] = []
    taken = 0
    for sentence in warning_sentences(paragraph):
        words = sentence_text(paragraph, sentence)
        at = sentence.start if text[sentence.start:sentence.end] == words else text.find(words, taken) if words else -1
        if at < taken:
            unplaced.append(sentence_tag(sentence))
            continue
        inserts.append((at, sentence_tag(sentence)))
        taken = at + len(words)
    for at, tag in reversed(inserts):
        text = f"{text[:at]}{tag} {text[at:]}"
    return " ".join(unplaced + [text]) if unplaced else text


def _paragraph_lines(paragraph: Paragraph, prefix: str, quiet_marks: bool) -> list[str]:
    lines: list[str] = []
    if quiet_marks and paragraph.safety:
        named = categories_text(paragraph.categories)
        word = passage_label_word(paragraph)
        lines.extend(_wrap(f"[{word}: {named}]" if named else f"[{word}]", prefix=prefix))
    lines.extend(_wrap(marked_plain(paragraph), prefix=prefix))
    return lines


def _section_lines(section: Section) -> list[str]:
    lines: list[str] = []
    prefix = _SAFETY_PREFIX if section.safety else ""
    if section.safety:
        named = categories_text(section.categories)
        lines.append("!" * WIDTH)
        lines.extend(_wrap(f"SAFETY: {named}" if named else "SAFETY", prefix=prefix))
        lines.append(prefix.rstrip())
    if section.kind != KIND_INTRO:
        lines.extend(_underlined(section.heading, "-" if section.level <= 2 else "~", prefix))
        lines.append(prefix.rstrip())
    for i, paragraph in enumerate(section.paragraphs):
        if i:
            lines.append(prefix.rstrip())
        lines.extend(_paragraph_lines(paragraph, prefix, quiet_marks=not section.safety))
    if section.safety:
        lines.append("!" * WIDTH)
    return lines


def article_to_text(article: Article) -> str:
    """The article as wrapped plain text (UTF-8, '\\n' line ends, ending in a newline)."""
    blocks: list[list[str]] = [_underlined(article.title, "=")]
    if article.topics:
        blocks.append(_wrap("Topics: " + ", ".join(article.topics)))
    for section in article.sections:
        if section.kind == KIND_SUMMARY and not section.safety:
            summary = _underlined(section.heading, "-")
            for paragraph in section.paragraphs:
                summary += [""] + _paragraph_lines(paragraph, "", quiet_marks=True)
            blocks.append(summary)
        else:
            blocks.append(_section_lines(section))
    legend = _wrap(marks_legend()) + [""] if has_marks(article.paragraphs()) else []
    blocks.append(["-" * WIDTH] + legend + _wrap(f"Source: {article.path}")
                  + [""] + _wrap("Not medical advice. " + DISCLAIMER))
    return "\n\n".join("\n".join(block) for block in blocks if block).rstrip() + "\n"
