"""One article -> one typed list of blocks, the document model every output is built from.

The reading pane, print, print preview, PDF, HTML and plain text all walk this list (as
novelWriter's tokenizer feeds each of its formats), so none of them reads the article model or
Markdown on its own and they cannot drift apart. A block says what it is (title, notice,
summary, safety callout, heading, paragraph, list, table, code, footer), carries its content
(the sanitized HTML of a paragraph, the plain text of a heading or label) and its layout
intent, decided here while the list is built: `keep_with_next` (a heading, a label, the
footer's lines), `keep_with_next_if_fits` (the last paragraph, so the closing lines never stand
alone on a last page), `keep_together` (the footer: rule, legend, source and disclaimer on one page) and
`repeat_label_on_continuation` (a safety callout is labelled on every page it covers).
Pagination reads these flags; it never looks at the laid-out text. An export's highlights
are placed here too (viewer/render/highlights): marks on the blocks they cover, in each block's
own text offsets as sentence verdicts are, and a notes block before the footer, so writers draw
them as they draw caution marks. `outline` gives the headings the page shows (the PDF's
bookmarks). Imports no Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from viewer.core.model import KIND_INTRO, KIND_SECTION, KIND_SUMMARY, Article, Paragraph, Section
from viewer.core.own_export import TOPICS_PREFIX
from viewer.core.safety_categories import SEVERITY_LABELS, category_label
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.highlights import (
    ExportNote,
    HighlightMark,
    NoteItem,
    Placement,
    place_highlights,
)
from viewer.render.markup import MarkdownConverter, plain_paragraph
from viewer.render.sentence_marks import (
    has_marks,
    marks_legend,
    strongest_severity,
    warning_sentences,
)

SAFETY_GLYPH = "\u26a0"  # ⚠, with a text label beside it: never the only signal
SAFETY_LABEL = "Safety"
CAUTION_LABEL = "Caution"
SUMMARY_LABEL = "Summary"
NOT_ADVICE = "Not medical advice."


# Layout intent as one number, for outputs that carry it through their own format (the print
# document keeps it as each Qt block's user state; see viewer/export/pdf_layout). The base keeps
# it apart from "no state" (-1) and from 0.
KEEP_WITH_NEXT = 1
KEEP_TOGETHER = 2
REPEAT_LABEL = 4
KEEP_WITH_NEXT_IF_FITS = 8
_LAYOUT_BASE = 0x4C00


def layout_state(flags: int) -> int:
    """The number that stands for a set of layout flags (KEEP_WITH_NEXT | ...)."""
    return _LAYOUT_BASE | flags


def layout_flags(state: int) -> int:
    """The layout flags a number from `layout_state` stands for (0 for any other number)."""
    return state & 0xFF if state >= 0 and state & ~0xFF == _LAYOUT_BASE else 0


class BlockKind(enum.Enum):
    TITLE = "title"
    TOPICS = "topics"
    NOTICE = "notice"
    SUMMARY = "summary"  # a box holding paragraph blocks
    CALLOUT = "callout"  # a safety section: a labelled box holding a heading and paragraph blocks
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"
    TABLE = "table"
    CODE = "code"
    NOTES = "notes"  # the reader's highlights with notes, when an export asks for them
    FOOTER = "footer"


# The block kind of a converted paragraph, by the tag its sanitized HTML opens with.
_KIND_BY_OPENING = (
    ("<ul", BlockKind.LIST),
    ("<ol", BlockKind.LIST),
    ("<table", BlockKind.TABLE),
    ("<pre", BlockKind.CODE),
)


@dataclass(frozen=True)
class Block:
    """One block of the document. Text fields are plain text (outputs escape them); `html` is
    sanitized paragraph HTML, before sentence marks and styling (outputs add those)."""

    kind: BlockKind
    text: str = ""  # title, topics line, notice, heading, or the footer's source line
    html: str = ""  # paragraph kinds: the sanitized conversion the reader shows
    label: str = ""  # callout "⚠ Safety: ...", summary "Summary", a safety paragraph's tag
    anchor: str = ""  # the section anchor this block opens, if any
    level: int = 0  # heading level as displayed (2..6: the title is the only level 1)
    paragraph: Paragraph | None = None
    section: Section | None = None  # the section a heading, box or introduction opens
    children: tuple[Block, ...] = ()  # summary and callout contents
    items: tuple[str, ...] = ()  # topics: the topic names
    legend: str = ""  # footer: what the sentence marks mean, when the article has any
    # The reader's highlights on this block's text (a paragraph's plain text, a heading's or
    # the title's text), placed while building (viewer/render/highlights), like caution marks.
    highlights: tuple[HighlightMark, ...] = ()
    notes: tuple[NoteItem, ...] = ()  # the notes block: every highlight, in reading order
    keep_with_next: bool = False
    keep_together: bool = False
    repeat_label_on_continuation: bool = False
    # Weaker than keep_with_next: only when this block and the next run fit one page, and only
    # once every other flag is met (the last paragraph and the closing lines).
    keep_with_next_if_fits: bool = False

    @property
    def safety(self) -> bool:
        return self.paragraph is not None and self.paragraph.safety


@dataclass
class ArticleBlocks:
    """The blocks of one article, and how many paragraphs had to be shown as plain text."""

    article: Article
    blocks: list[Block] = field(default_factory=list)
    fallbacks: int = 0

    def walk(self):
        """Every block in reading order, box contents right after their box."""
        for block in self.blocks:
            yield block
            yield from block.children


def categories_text(categories: list[str]) -> str:
    """Reader-facing category labels joined for a label line ("Side effects, Dosage caution")."""
    return ", ".join(category_label(c) for c in categories)


def safety_label(categories: list[str]) -> str:
    """The callout label: "⚠ Safety: Side effects, Dosage caution" (or "⚠ Safety")."""
    named = categories_text(categories)
    return f"{SAFETY_GLYPH} {SAFETY_LABEL}: {named}" if named else f"{SAFETY_GLYPH} {SAFETY_LABEL}"


def passage_label_word(paragraph: Paragraph) -> str:
    """The tag word of a safety paragraph outside a safety section: its strongest sentence's
    severity ("Warning", "Caution", "Advice"), or "Caution" when there are no sentence verdicts."""
    strongest = strongest_severity(warning_sentences(paragraph))
    return SEVERITY_LABELS[strongest] if strongest else CAUTION_LABEL


def passage_label(paragraph: Paragraph) -> str:
    """'⚠ Warning: Interactions and medical conditions' for a safety paragraph's tag."""
    named = categories_text(paragraph.categories)
    word = passage_label_word(paragraph)
    return f"{SAFETY_GLYPH} {word}: {named}" if named else f"{SAFETY_GLYPH} {word}"


def plain_text_notice(count: int) -> str:
    paragraphs = "1 paragraph is" if count == 1 else f"{count} paragraphs are"
    return (
        f"{paragraphs} shown as plain text: the Markdown was too large, too deeply nested "
        "or too slow to format safely."
    )


def source_line(article: Article) -> str:
    source = f"Source: {article.path}"
    original = article.metadata.get("source")
    if isinstance(original, str) and original.strip():
        source += f" (from {original.strip()})"
    return source


class _Builder:
    """Builds one article's blocks; holds the per-call Markdown converter (no shared state)."""

    def __init__(self, article: Article, local_images: bool, placement: Placement) -> None:
        self.article = article
        self.placement = placement
        self.converter = (
            MarkdownConverter(article.path, local_images) if article.source_format == "md" else None
        )
        levels = [s.level for s in article.sections if s.kind == KIND_SECTION]
        # The title is the only h1: shift section levels so the shallowest becomes h2.
        self.level_shift = max(0, 2 - min(levels)) if levels else 0

    def paragraph(self, paragraph: Paragraph, anchor: str = "", tagged: bool = True) -> Block:
        reading = paragraph.reading
        if self.converter is None:
            html = plain_paragraph(paragraph.text)
        elif reading is not None and reading.source == paragraph.text:
            html = self.converter.show(reading)  # read once by the loader: what was indexed
        else:
            html = self.converter.convert(paragraph.text)
        kind = next(
            (k for opening, k in _KIND_BY_OPENING if html.startswith(opening)), BlockKind.PARAGRAPH
        )
        label = passage_label(paragraph) if tagged and paragraph.safety else ""
        return Block(
            kind,
            html=html,
            label=label,
            anchor=anchor,
            paragraph=paragraph,
            highlights=self.placement.on(id(paragraph)),
        )

    def heading(self, section: Section, anchor: str) -> Block:
        level = min(6, max(2, section.level + self.level_shift))
        return Block(
            BlockKind.HEADING,
            text=section.heading,
            anchor=anchor,
            level=level,
            section=section,
            keep_with_next=True,
            highlights=self.placement.on(id(section)),
        )

    def section(self, section: Section) -> list[Block]:
        if section.safety:  # a safety summary too: its warning must not look like a précis
            inner = [] if section.kind == KIND_INTRO else [self.heading(section, "")]
            inner += [self.paragraph(p, tagged=False) for p in section.paragraphs]
            return [
                Block(
                    BlockKind.CALLOUT,
                    label=safety_label(section.categories),
                    anchor=section.anchor,
                    section=section,
                    children=tuple(inner),
                    repeat_label_on_continuation=True,
                )
            ]
        if section.kind == KIND_SUMMARY:
            return [
                Block(
                    BlockKind.SUMMARY,
                    label=SUMMARY_LABEL,
                    anchor=section.anchor,
                    section=section,
                    children=tuple(self.paragraph(p) for p in section.paragraphs),
                )
            ]
        if section.kind == KIND_INTRO:
            if not section.paragraphs:  # an intro without paragraphs still needs its anchor
                return [Block(BlockKind.PARAGRAPH, anchor=section.anchor, section=section)]
            first = replace(self.paragraph(section.paragraphs[0], section.anchor), section=section)
            return [first] + [self.paragraph(p) for p in section.paragraphs[1:]]
        return [self.heading(section, section.anchor)] + [
            self.paragraph(p) for p in section.paragraphs
        ]

    def build(self) -> ArticleBlocks:
        article = self.article
        blocks = [Block(BlockKind.TITLE, text=article.title, highlights=self.placement.on("title"))]
        if article.topics:
            blocks.append(
                Block(
                    BlockKind.TOPICS,
                    text=TOPICS_PREFIX + " \u00b7 ".join(article.topics),
                    items=tuple(article.topics),
                )
            )
        blocks.extend(Block(BlockKind.NOTICE, text=note) for note in article.notes)
        notices_at = len(blocks)
        for section in article.sections:
            blocks.extend(self.section(section))
        fallbacks = self.converter.fallbacks if self.converter is not None else 0
        if fallbacks:
            blocks.insert(notices_at, Block(BlockKind.NOTICE, text=plain_text_notice(fallbacks)))
        # The closing lines must not stand alone on a last page: the last paragraph goes with
        # them (inside a box too: the box then breaks before it).
        blocks[-1] = _last_kept_with_footer(blocks[-1])
        if self.placement.notes:  # after the last paragraph, which still keeps with the footer
            blocks.append(Block(BlockKind.NOTES, notes=tuple(self.placement.notes)))
        legend = marks_legend() if has_marks(article.paragraphs()) else ""
        blocks.append(
            Block(BlockKind.FOOTER, text=source_line(article), legend=legend, keep_together=True)
        )
        return ArticleBlocks(article, blocks, fallbacks)


def _last_kept_with_footer(block: Block) -> Block:
    if block.children:
        return replace(
            block, children=block.children[:-1] + (_last_kept_with_footer(block.children[-1]),)
        )
    if block.kind == BlockKind.PARAGRAPH and block.html.startswith("<p>"):
        return replace(block, keep_with_next_if_fits=True)
    return block


def build_blocks(
    article: Article, local_images: bool = True, highlights: tuple[ExportNote, ...] = ()
) -> ArticleBlocks:
    """The article's blocks, built once per render from the model and the sanitized conversion.

    `local_images=False` replaces even local images with a placeholder (for exports that must
    not point at files outside themselves). `highlights` (the reader's, for an export) become
    marks on the blocks they cover and a notes block before the footer."""
    return _Builder(article, local_images, place_highlights(article, highlights)).build()


@dataclass(frozen=True)
class OutlineEntry:
    """One heading as the page shows it: its words, its displayed level, the anchor it is at."""

    title: str
    level: int
    anchor: str


def outline(blocks: ArticleBlocks) -> list[OutlineEntry]:
    """The headings the page shows, in reading order (a PDF's bookmarks): every heading block
    (one inside a safety callout at the callout's anchor, which its label keeps on the same
    page) and the summary box's label. A section the page shows no heading for (an
    introduction) has no entry, so the outline lists only what the reader can see."""
    entries: list[OutlineEntry] = []
    for block in blocks.blocks:
        if block.kind == BlockKind.HEADING:
            entries.append(OutlineEntry(block.text, block.level, block.anchor))
        elif block.kind == BlockKind.SUMMARY:
            entries.append(OutlineEntry(block.label, 2, block.anchor))
        elif block.kind == BlockKind.CALLOUT:
            entries.extend(
                OutlineEntry(child.text, child.level, child.anchor or block.anchor)
                for child in block.children
                if child.kind == BlockKind.HEADING
            )
    return entries


def disclaimer_text() -> str:
    return f"{NOT_ADVICE} {DISCLAIMER}"
