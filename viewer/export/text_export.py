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

from viewer.core.model import Paragraph
from viewer.render.blocks import (
    SAFETY_GLYPH,
    ArticleBlocks,
    Block,
    BlockKind,
    build_blocks,
    categories_text,
    disclaimer_text,
)
from viewer.render.highlights import ExportNote
from viewer.render.sentence_marks import (
    SEVERITY_GLYPHS,
    mark_label,
    sentence_text,
    severity_of,
    warning_sentences,
)

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
        lines.extend(
            textwrap.wrap(
                stripped,
                width=width - len(prefix),
                initial_indent=prefix,
                subsequent_indent=prefix,
                break_long_words=True,
                break_on_hyphens=False,
            )
        )
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
        at = (
            sentence.start
            if text[sentence.start : sentence.end] == words
            else text.find(words, taken)
            if words
            else -1
        )
        if at < taken:
            unplaced.append(sentence_tag(sentence))
            continue
        inserts.append((at, sentence_tag(sentence)))
        taken = at + len(words)
    for at, tag in reversed(inserts):
        text = f"{text[:at]}{tag} {text[at:]}"
    return " ".join(unplaced + [text]) if unplaced else text


def _tag(label: str) -> str:
    """'[Warning: Side effects]' from the block's label '⚠ Warning: Side effects'."""
    return f"[{label.removeprefix(SAFETY_GLYPH).strip()}]"


def _paragraph_lines(block: Block, prefix: str) -> list[str]:
    if block.paragraph is None:
        return []
    lines = _wrap(_tag(block.label), prefix=prefix) if block.label else []
    return lines + _wrap(marked_plain(block.paragraph), prefix=prefix)


def _heading_lines(block: Block, prefix: str = "") -> list[str]:
    level = block.section.level if block.section is not None else block.level
    return _underlined(block.text, "-" if level <= 2 else "~", prefix)


def _callout_lines(block: Block) -> list[str]:
    prefix = _SAFETY_PREFIX
    named = categories_text(block.section.categories) if block.section is not None else ""
    lines = (
        ["!" * WIDTH]
        + _wrap(f"SAFETY: {named}" if named else "SAFETY", prefix=prefix)
        + [prefix.rstrip()]
    )
    first = True
    for child in block.children:
        if child.kind == BlockKind.HEADING:
            lines.extend(_heading_lines(child, prefix))
        else:
            if not first:
                lines.append(prefix.rstrip())
            lines.extend(_paragraph_lines(child, prefix))
            first = False
            continue
        lines.append(prefix.rstrip())
    return lines + ["!" * WIDTH]


def _block_lines(block: Block) -> list[str]:
    kind = block.kind
    if kind == BlockKind.TITLE:
        return _underlined(block.text, "=")
    if kind == BlockKind.TOPICS:
        return _wrap("Topics: " + ", ".join(block.items))
    if kind == BlockKind.NOTICE:
        return _wrap(block.text)
    if kind == BlockKind.HEADING:
        return _heading_lines(block)
    if kind == BlockKind.SUMMARY:
        heading = block.section.heading if block.section is not None else block.label
        lines = _underlined(heading, "-")
        for child in block.children:
            lines += [""] + _paragraph_lines(child, "")
        return lines
    if kind == BlockKind.CALLOUT:
        return _callout_lines(block)
    if kind == BlockKind.NOTES:
        return _notes_lines(block)
    if kind == BlockKind.FOOTER:
        legend = _wrap(block.legend) + [""] if block.legend else []
        return ["-" * WIDTH] + legend + _wrap(block.text) + [""] + _wrap(disclaimer_text())
    return _paragraph_lines(block, "")


def _notes_lines(block: Block) -> list[str]:
    """ "Notes and highlights": every highlight, its colour and section, and its note."""
    lines = ["Notes and highlights", "-" * len("Notes and highlights")]
    for number, item in enumerate(block.notes, 1):
        where = f", {item.section}" if item.section else ""
        state = " (no longer in the article)" if item.orphaned else ""
        lines.append("")
        lines.extend(
            textwrap.wrap(
                f"[{number}] \u201c{item.quote}\u201d ({item.colour} highlight{where}){state}",
                width=WIDTH,
                subsequent_indent="    ",
            )
        )
        for position, line in enumerate(item.note.strip().splitlines()):
            lines.extend(
                textwrap.wrap(
                    line,
                    width=WIDTH,
                    initial_indent="    Note: " if position == 0 else "    ",
                    subsequent_indent="    ",
                )
                or [""]
            )
    return lines


def blocks_to_text(blocks: ArticleBlocks) -> str:
    """The blocks as wrapped plain text (UTF-8, '\\n' line ends, ending in a newline)."""
    chunks = [_block_lines(b) for b in blocks.blocks]
    return "\n\n".join("\n".join(chunk) for chunk in chunks if chunk).rstrip() + "\n"


def article_to_text(article, highlights: tuple[ExportNote, ...] = ()) -> str:
    """The article as wrapped plain text, from its blocks (with a notes section when the
    reader's highlights are given)."""
    return blocks_to_text(build_blocks(article, highlights=highlights))
