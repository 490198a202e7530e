"""Loader for Markdown articles: YAML front matter, ATX and setext headings, paragraphs.

Every heading becomes a section with its level; text before the first heading is the intro; the
first level-1 heading is the title when front matter gives none (and an opening H1 that repeats
the front matter's title is dropped, so the title shows once). A `summary` in front matter is
the summary section. Paragraphs after a closing thematic break (`* * *`) at the end form the
conclusion, which is how the importer writes the seed layout's unlabelled last paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path

from viewer.core import own_export
from viewer.core.conversion import MarkdownReader
from viewer.core.frontmatter import as_list, as_text, split_front_matter
from viewer.core.model import (
    DEFAULT_HEADINGS,
    KIND_CONCLUSION,
    KIND_INTRO,
    KIND_SECTION,
    KIND_SUMMARY,
    Article,
    Paragraph,
    Section,
)
from viewer.core.plaintext import escape_markdown
from viewer.core.slug import unique_slug

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"^ {0,3}((\*[ \t]*){3,}|(-[ \t]*){3,}|(_[ \t]*){3,})$")
_CONCLUSION_HEADINGS = {
    "conclusion",
    "conclusions",
    "in conclusion",
    "final thoughts",
    "summary and conclusion",
}


class _Block:
    """A parsed block: a heading (level > 0), a paragraph, or a thematic break."""

    __slots__ = ("level", "text", "is_break")

    def __init__(self, text: str, level: int = 0, is_break: bool = False) -> None:
        self.text, self.level, self.is_break = text, level, is_break


def _blocks(body: str) -> list[_Block]:
    blocks: list[_Block] = []
    paragraph: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if paragraph:
            blocks.append(_Block("\n".join(paragraph).strip("\n")))
            paragraph.clear()

    for line in body.split("\n"):
        if fence is not None:
            paragraph.append(line)
            if line.strip().startswith(fence):
                fence = None
                flush()
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)[0] * 3
            paragraph.append(line)
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            blocks.append(_Block((atx.group(2) or "").strip(), level=len(atx.group(1))))
            continue
        setext = _SETEXT.match(line)
        if setext and len(paragraph) == 1 and paragraph[0].strip() and not line.startswith("    "):
            heading = paragraph.pop()
            blocks.append(_Block(heading.strip(), level=1 if setext.group(1)[0] == "=" else 2))
            continue
        if _BREAK.match(line) and not paragraph:
            blocks.append(_Block("", is_break=True))
            continue
        if not line.strip():
            flush()
        else:
            paragraph.append(line)
    flush()
    return [b for b in blocks if b.is_break or b.level or b.text.strip()]


def parse_markdown(text: str) -> tuple[dict, list[Section], str]:
    """(metadata, sections, title-from-H1-or-''). Every heading and paragraph is read through
    the conversion the reader shows (viewer/core/conversion), one reader per article."""
    metadata, body = split_front_matter(text)
    reader = MarkdownReader()
    blocks = _blocks(body)
    exported_summary: list[str] = []
    if own_export.is_own_export(metadata):
        blocks, exported_summary = _as_exported_from(blocks)
    reader.learn_references([b.text for b in blocks if not b.level and not b.is_break])
    taken: set[str] = set()
    title = ""
    given = as_text(metadata.get("title"))
    first_h1 = next((b for b in blocks if b.level == 1), None)
    if not given:
        if first_h1 is not None and first_h1.text:
            title = reader.read_inline(first_h1.text)
            blocks.remove(first_h1)
    elif (
        first_h1 is not None
        and blocks
        and blocks[0] is first_h1
        and _same_title(reader.read_inline(first_h1.text), given)
    ):
        blocks.remove(first_h1)  # the front matter's title written again as the H1: show it once
    sections: list[Section] = []
    summary = as_text(metadata.get("summary"))
    if summary:
        # Front matter holds plain text: escape it so the paragraph's Markdown renders as written.
        sections.append(
            _section(
                KIND_SUMMARY,
                DEFAULT_HEADINGS[KIND_SUMMARY],
                2,
                [escape_markdown(summary)],
                taken,
                reader,
            )
        )
    elif exported_summary:
        sections.append(
            _section(
                KIND_SUMMARY, DEFAULT_HEADINGS[KIND_SUMMARY], 2, exported_summary, taken, reader
            )
        )
    # A thematic break followed only by paragraphs, at the very end, opens the conclusion.
    last_break = max((i for i, b in enumerate(blocks) if b.is_break), default=-1)
    tail_is_conclusion = (
        last_break >= 0
        and any(b.level for b in blocks[:last_break])
        and blocks[last_break + 1 :]
        and not any(b.level or b.is_break for b in blocks[last_break + 1 :])
    )
    first_heading = next((i for i, b in enumerate(blocks) if b.level), len(blocks))
    intro = [b.text for b in blocks[:first_heading] if not b.is_break]
    if intro:
        sections.append(_section(KIND_INTRO, DEFAULT_HEADINGS[KIND_INTRO], 2, intro, taken, reader))
    current: Section | None = None
    for i, block in enumerate(blocks):
        if i < first_heading:
            continue
        if tail_is_conclusion and i == last_break:
            current = _section(
                KIND_CONCLUSION, DEFAULT_HEADINGS[KIND_CONCLUSION], 2, [], taken, reader
            )
            sections.append(current)
        elif block.is_break:
            continue
        elif block.level:
            heading = reader.read_inline(block.text) or "(untitled section)"
            kind = (
                KIND_CONCLUSION
                if heading.casefold().strip(" :.") in _CONCLUSION_HEADINGS
                else KIND_SECTION
            )
            current = _section(kind, heading, block.level, [], taken, reader)
            sections.append(current)
        elif current is not None:
            current.paragraphs.append(_paragraph(block.text, reader))
    return metadata, sections, title


def _as_exported_from(blocks: list[_Block]) -> tuple[list[_Block], list[str]]:
    """A file this program exported, read as the article it came from (viewer/core/own_export):
    no closing lines, no topics line, boxes read as their paragraphs without labels, and the
    summary box before the first heading as the summary's paragraphs (returned apart)."""
    end = next((i for i, b in enumerate(blocks) if own_export.is_footer_rule(b.text)), len(blocks))
    first_heading = next((i for i, b in enumerate(blocks) if b.level > 1), len(blocks))
    kept: list[_Block] = []
    summary: list[str] = []
    for index, block in enumerate(blocks[:end]):
        if block.level or block.is_break:
            kept.append(block)
        elif index < first_heading and not summary and own_export.is_summary_box(block.text):
            summary = own_export.paragraphs_of(block.text)
        elif not (index < first_heading and own_export.is_topics_line(block.text)):
            kept.extend(_Block(text) for text in own_export.paragraphs_of(block.text))
    return kept, summary


def _same_title(heading: str, title: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold().strip(" .:")

    return norm(heading) == norm(title)


def _paragraph(text: str, reader: MarkdownReader) -> Paragraph:
    reading = reader.read(text)
    paragraph = Paragraph(text=text, reading=reading)
    # Set after construction: a paragraph the reader shows no words of (only a <style>, a
    # reference definition) has empty plain text, not its source (the model's default).
    paragraph.plain = reading.plain
    return paragraph


def _section(
    kind: str,
    heading: str,
    level: int,
    paragraphs: list[str],
    taken: set[str],
    reader: MarkdownReader,
) -> Section:
    """A section; `heading` is already plain text (read_inline), the paragraphs Markdown."""
    anchor_source = {
        KIND_SUMMARY: "summary",
        KIND_INTRO: "introduction",
        KIND_CONCLUSION: "conclusion",
    }.get(kind)
    anchor = unique_slug(anchor_source or heading, taken, fallback="section")
    return Section(
        anchor=anchor,
        heading=heading,
        level=level,
        kind=kind,
        paragraphs=[_paragraph(p, reader) for p in paragraphs],
    )


def load_markdown(text: str, path: Path, article_id: str) -> Article:
    metadata, sections, h1_title = parse_markdown(text)
    title = as_text(metadata.get("title")) or h1_title or _title_from_name(path)
    known = {"title", "topics", "summary"}
    return Article(
        id=article_id,
        title=title,
        path=str(path),
        source_format="md",
        sections=sections,
        topics=as_list(metadata.get("topics")),
        metadata={k: v for k, v in metadata.items() if k not in known},
    )


def _title_from_name(path: Path) -> str:
    return re.sub(r"[_-]+", " ", path.stem).strip().capitalize() or "Untitled"
