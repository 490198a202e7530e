"""Markdown export: the article's blocks (viewer/render/blocks) as Markdown, looking like the
reading pane: title, topics, notices, the summary box, headings, safety callouts with their
label, the warning sentences marked, tables, code, and the closing lines (what the marks mean,
the source, the disclaimer). Front matter keeps the title, topics, source and disclaimer and
the article's other plain metadata, for tools that read it.

What is exported is what the reader shows. A paragraph's Markdown source is kept as written
only when it holds nothing the sanitizer would change: no raw HTML, no link to a scheme other
than http(s), mailto or an in-app one, no image that is not a file beside the article. Any
other paragraph is written as the sanitized HTML the reading pane shows (Markdown passes HTML
blocks through), with images replaced by their placeholder, so no other Markdown viewer runs
or loads what ours refused. A paragraph with warning sentences is written from its plain text
with each sentence marked as on paper (its glyph, then the sentence in bold, or in italics for
advice), or, when it carries formatting, as its marked HTML. Boxes are block quotes; a box's
heading is written before it, so that the file read back by the Markdown loader has the same
sections. Every piece of text is escaped: article text never becomes markup here.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from viewer import APP_ID
from viewer.core.frontmatter import dump_front_matter
from viewer.core.model import KIND_SUMMARY, Article, Paragraph
from viewer.core.own_export import EXPORT_KEY, FOOTER_RULE
from viewer.core.plaintext import escape_markdown
from viewer.core.safety_categories import SEVERITIES, SEVERITY_LABELS
from viewer.render.blocks import (
    NOT_ADVICE,
    ArticleBlocks,
    Block,
    BlockKind,
    build_blocks,
)
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.highlight_html import mark_look
from viewer.render.highlights import ExportNote, HighlightMark
from viewer.render.markup import local_image_path
from viewer.render.sentence_marks import (
    GLYPH_GAP,
    SEVERITY_GLYPHS,
    SEVERITY_MEANINGS,
    mark_sentences,
    sentence_text,
    severity_of,
    warning_sentences,
)

# Front-matter keys this writer sets itself; the article's other metadata is carried over.
_OWN_KEYS = {"title", "topics", "summary", "source", "disclaimer", EXPORT_KEY}
_SAFE_SCHEMES = {"", "http", "https", "mailto", "article"}
# A tag, comment, declaration or processing instruction ("dose < 5 g" is prose, not HTML).
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
# Inline link and image targets, and reference definitions ("[id]: target").
_TARGET = re.compile(r"\]\(\s*<?([^)]*)|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")
_BLANKS = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme
# How a marked sentence is emphasised, by severity: the screen's bold and italics (Markdown has
# no underline); the glyph before it tells warning from caution.
_EMPHASIS = {"warning": "**", "caution": "**", "advice": "*"}


def _scheme(target: str) -> str:
    # Entities and blanks are decoded the way another renderer would: "&#106;avascript:" and
    # "java\tscript:" are javascript: links.
    cleaned = _BLANKS.sub("", html.unescape(target))
    try:
        return urlsplit(cleaned).scheme.lower()
    except ValueError:
        return "?"


def shows_as_written(text: str, article_path: str) -> bool:
    """True when the reader would show this Markdown with nothing removed or replaced."""
    if _RAW_HTML.search(text):
        return False
    for match in _TARGET.finditer(text):
        if _scheme(match.group(1) or match.group(2) or "") not in _SAFE_SCHEMES:
            return False
    for match in _IMAGE.finditer(text):
        if local_image_path(html.unescape(match.group(1)), article_path) is None:
            return False
    return "![" not in text or bool(_IMAGE.search(text))


def _plain_metadata(value) -> bool:
    if isinstance(value, str):
        return not _RAW_HTML.search(value)
    return isinstance(value, (int, float, bool)) or value is None


def _quoted(markdown: str) -> str:
    """Markdown inside a block quote (a box)."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in markdown.split("\n"))


def _is_bare_text(fragment: str) -> bool:
    """True when the page shows this HTML as one paragraph of text with no formatting in it."""
    return fragment.startswith("<p>") and fragment.endswith("</p>") and "<" not in fragment[3:-4]


def marked_markdown(paragraph: Paragraph, highlights: tuple[HighlightMark, ...] = ()) -> str:
    """The paragraph's plain text as Markdown with each warning sentence marked: its glyph, then
    the sentence emphasised. A sentence whose words cannot be found (or that overlaps one
    already marked) puts its glyph at the paragraph's start instead. The reader's highlights
    are ==marked== inside (one stretch per side of a sentence's mark, so the emphasis and the
    highlight never cross), each followed by its footnote reference."""
    plain = paragraph.plain
    out: list[str] = []
    unplaced: list[str] = []
    at = 0
    for sentence in warning_sentences(paragraph):
        words = sentence_text(paragraph, sentence).strip()
        start = plain.find(words, max(at, sentence.start)) if words else -1
        if start < 0 and words:
            start = plain.find(words, at)
        glyph = SEVERITY_GLYPHS[severity_of(sentence)]
        if start < at:
            unplaced.append(glyph)
            continue
        mark = _EMPHASIS[severity_of(sentence)]
        out.append(_highlighted(plain, at, start, highlights))
        out.append(
            f"{glyph}{GLYPH_GAP}{mark}"
            f"{_highlighted(plain, start, start + len(words), highlights)}{mark}"
        )
        at = start + len(words)
    out.append(_highlighted(plain, at, len(plain), highlights))
    lead = "".join(f"{glyph}{GLYPH_GAP}" for glyph in unplaced)
    return lead + "".join(out)


def _highlighted(text: str, start: int, end: int, highlights: tuple[HighlightMark, ...]) -> str:
    """text[start:end] escaped, the highlights' parts in it ==marked== (spacing at their edges
    left outside, where Markdown needs it)."""
    out, at = [], start
    for mark in sorted(highlights, key=lambda m: m.start):
        left, right = max(mark.start, start), min(mark.end, end)
        piece = text[left:right]
        if left >= right or not piece.strip():
            continue
        left += len(piece) - len(piece.lstrip())
        right -= len(piece) - len(piece.rstrip())
        out.append(escape_markdown(text[at:left]))
        out.append(f"=={escape_markdown(text[left:right])}==")
        if mark.last and mark.number and mark.end <= end:
            out.append(f"[^{mark.number}]")
        at = right
    out.append(escape_markdown(text[at:end]))
    return "".join(out)


def marks_legend() -> str:
    """What the marks mean, in the styles this file gives them (the page's legend names an
    underline, which Markdown has not)."""
    looks = {"**": "bold", "*": "italic"}
    return (
        "Marks: "
        + "; ".join(
            f"{SEVERITY_GLYPHS[s]} {SEVERITY_LABELS[s]} ({looks[_EMPHASIS[s]]}): {SEVERITY_MEANINGS[s]}"
            for s in SEVERITIES
        )
        + "."
    )


class _Writer:
    """Blocks -> Markdown for one article."""

    def __init__(self, article: Article) -> None:
        self.article = article

    def paragraph(self, block: Block) -> str:
        paragraph = block.paragraph
        if paragraph is None:
            return ""
        if warning_sentences(paragraph) or block.highlights:
            if self.article.source_format != "md" or _is_bare_text(block.html):
                return marked_markdown(paragraph, block.highlights)
            # Formatted: its marked, sanitized HTML (Markdown passes HTML through).
            return mark_sentences(block.html, paragraph, block.highlights, mark_look)
        if self.article.source_format != "md":
            return escape_markdown(paragraph.text)
        if shows_as_written(paragraph.text, self.article.path):
            return paragraph.text
        return block.html  # sanitized, exactly as the reading pane gets it

    def labelled(self, block: Block) -> str:
        """A paragraph, in a box under its tag when it is a safety paragraph of its own."""
        text = self.paragraph(block)
        if not block.label:
            return text
        return _quoted(f"**{escape_markdown(block.label)}**\n\n{text}")

    def heading(self, block: Block) -> str:
        return "#" * block.level + " " + self.text(block)

    def text(self, block: Block) -> str:
        return _highlighted(block.text, 0, len(block.text), block.highlights)

    def box(self, block: Block) -> str:
        """The summary box or a safety callout: the label and the paragraphs quoted. A section's
        heading is written before its box (see the module docstring); the summary's, which
        opens no section of the file, stays inside, under the label."""
        inner = [f"**{escape_markdown(block.label)}**"]
        before = ""
        for child in block.children:
            if child.kind != BlockKind.HEADING:
                inner.append(self.labelled(child))
            elif block.section is not None and block.section.kind == KIND_SUMMARY:
                inner.append(f"**{escape_markdown(child.text)}**")
            else:
                before = self.heading(child) + "\n\n"
        return before + _quoted("\n\n".join(part for part in inner if part))

    def footer(self, block: Block) -> str:
        lines = [FOOTER_RULE]
        if block.legend:
            lines.append(escape_markdown(marks_legend()))
        lines.append(escape_markdown(block.text))
        lines.append(f"**{NOT_ADVICE}** {escape_markdown(DISCLAIMER)}")
        return "\n\n".join(lines)

    def block(self, block: Block) -> str:
        kind = block.kind
        if kind == BlockKind.TITLE:
            return "# " + self.text(block)
        if kind in (BlockKind.TOPICS, BlockKind.NOTICE):
            return f"*{escape_markdown(block.text)}*"
        if kind == BlockKind.HEADING:
            return self.heading(block)
        if kind in (BlockKind.SUMMARY, BlockKind.CALLOUT):
            return self.box(block)
        if kind == BlockKind.FOOTER:
            return self.footer(block)
        if kind == BlockKind.NOTES:
            return _notes(block)
        return self.labelled(block)

    def body(self, blocks: ArticleBlocks) -> str:
        return "\n\n".join(part for part in map(self.block, blocks.blocks) if part)


def _notes(block: Block) -> str:
    """The orphaned highlights listed (with their footnote reference: a footnote nothing
    refers to is dropped), then a footnote for every note."""
    lines: list[str] = []
    orphans = [item for item in block.notes if item.orphaned]
    if orphans:
        lines += ["Highlights not marked in the text:", ""]
        for item in orphans:
            ref = f"[^{item.number}]" if item.number else ""
            lines.append(f"- \u201c{escape_markdown(item.quote)}\u201d{ref}")
        lines.append("")
    for item in block.notes:
        if item.number:
            quoted = escape_markdown(item.quote)
            lines.append(f"[^{item.number}]: {_md_note(item.note)} (on \u201c{quoted}\u201d)")
    return "\n".join(lines).rstrip("\n")


def _md_note(note: str) -> str:
    """A note as one footnote: each line escaped, continuation lines indented."""
    lines = [escape_markdown(line.strip()) for line in note.strip().splitlines() if line.strip()]
    return "\n    ".join(lines)


def blocks_to_markdown(blocks: ArticleBlocks) -> str:
    """The blocks as Markdown with front matter (UTF-8 text, '\\n' line ends)."""
    article = blocks.article
    source = article.metadata.get("source")
    if not isinstance(source, str) or not source.strip() or _RAW_HTML.search(source):
        source = article.path
    metadata: dict = {"title": article.title}
    if article.topics:
        metadata["topics"] = list(article.topics)
    metadata["source"] = source
    metadata.update(
        {k: v for k, v in article.metadata.items() if k not in _OWN_KEYS and _plain_metadata(v)}
    )
    metadata["disclaimer"] = DISCLAIMER
    # Said so that the reader, opening this file, reads the page's labels and closing lines as
    # what they are, not as the article's prose (viewer/core/own_export).
    metadata[EXPORT_KEY] = APP_ID
    front = dump_front_matter(metadata).rstrip("\n")
    return f"{front}\n\n{_Writer(article).body(blocks)}".rstrip("\n") + "\n"


def article_to_markdown_export(article: Article, highlights: tuple[ExportNote, ...] = ()) -> str:
    """The article as Markdown with front matter, from its blocks (images not included), with
    the reader's highlights ==marked== and their notes as footnotes when given."""
    return blocks_to_markdown(build_blocks(article, local_images=False, highlights=highlights))
