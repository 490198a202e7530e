"""The typed block list (viewer/render/blocks): one per article, with the layout intent set while
it is built, and that intent, not the laid-out text, is what pagination follows."""

from __future__ import annotations

import pytest

from viewer.core.model import Article, Paragraph, Section
from viewer.core.safety_categories import category_label
from viewer.export.pdf_export import build_print_document
from viewer.export.pdf_layout import flags_of, keeps_with_next
from viewer.render.blocks import KEEP_TOGETHER, REPEAT_LABEL, BlockKind, build_blocks


def _article() -> Article:
    return Article(
        id="a",
        title="Title",
        path="a.md",
        source_format="md",
        topics=["Sleep"],
        notes=["A note about the file."],
        sections=[
            Section("summary", "Summary", 2, "summary", [Paragraph("In short.")]),
            Section("intro", "Introduction", 2, "intro", [Paragraph("Opening words.")]),
            Section(
                "how",
                "How",
                2,
                "section",
                [
                    Paragraph("- one\n- two"),
                    Paragraph("| a | b |\n|---|---|\n| 1 | 2 |"),
                    Paragraph("```\ncode\n```"),
                ],
            ),
            Section(
                "risks",
                "Risks",
                2,
                "section",
                [Paragraph("Take care.", safety=True, categories=["dosage"])],
                safety=True,
                categories=["dosage"],
            ),
            Section("end", "Conclusion", 2, "conclusion", [Paragraph("Closing words.")]),
        ],
    )


def test_blocks_are_typed_in_reading_order():
    blocks = build_blocks(_article()).blocks
    assert [b.kind for b in blocks] == [
        BlockKind.TITLE,
        BlockKind.TOPICS,
        BlockKind.NOTICE,
        BlockKind.SUMMARY,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.LIST,
        BlockKind.TABLE,
        BlockKind.CODE,
        BlockKind.CALLOUT,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.FOOTER,
    ]
    callout = blocks[9]
    assert callout.label == f"\u26a0 Safety: {category_label('dosage')}"
    assert [c.kind for c in callout.children] == [BlockKind.HEADING, BlockKind.PARAGRAPH]
    assert blocks[4].anchor == "intro" and blocks[5].anchor == "how"


def test_layout_intent_is_set_while_building():
    blocks = build_blocks(_article()).blocks
    assert all(b.keep_with_next for b in blocks if b.kind == BlockKind.HEADING)
    assert blocks[9].repeat_label_on_continuation
    assert blocks[-1].kind == BlockKind.FOOTER and blocks[-1].keep_together
    # The last paragraph goes with the closing lines when it can.
    assert blocks[-2].keep_with_next_if_fits and not blocks[-2].keep_with_next


@pytest.mark.usefixtures("qapp")
def test_pagination_reads_the_flags_not_the_text():
    article = _article()
    # Article text that looks like a label is just text: it is not kept with what follows.
    article.sections[1].paragraphs.append(
        Paragraph("\u26a0 Safety: this line is the article's own words.")
    )
    document, _device = build_print_document(article, 560.0, 700.0)
    flagged = {}
    block = document.begin()
    while block.isValid():
        flagged[block.text().lstrip("\u200b")] = flags_of(block)
        block = block.next()
    assert not flagged["\u26a0 Safety: this line is the article's own words."]
    assert keeps_with_next(_find(document, "How"))
    assert flagged[f"\u26a0 Safety: {category_label('dosage')}"] & REPEAT_LABEL
    assert any(
        text.startswith("Not medical advice.") and flags & KEEP_TOGETHER
        for text, flags in flagged.items()
    )


def _find(document, text):
    block = document.begin()
    while block.isValid() and block.text().lstrip("\u200b") != text:
        block = block.next()
    return block
