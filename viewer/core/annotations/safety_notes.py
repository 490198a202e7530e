"""Which notes are on which safety sentence (no Qt): the Safety panel shows them beside it.

A note "is on" a sentence when the range its highlight is anchored to overlaps the sentence's
range. Both are placed in the same text, `anchoring.article_text`: each paragraph's readable
text on its own line, which is what the classifier's sentence offsets count in. A note whose
highlight cannot be placed any more (orphaned) is on no sentence.
"""

from __future__ import annotations

from viewer.core.annotations.anchoring import anchor
from viewer.core.annotations.model import Annotation
from viewer.core.model import Article, Paragraph

# (section anchor, paragraph index in the section, sentence start in the paragraph's text):
# the same three numbers the catalogue keeps for a sentence verdict.
SentenceKey = tuple[str, int, int]


def paragraph_offsets(article: Article) -> tuple[str, list[tuple[str, int, int, Paragraph]]]:
    """article_text(article), and where each paragraph starts in it: (anchor, index, offset, paragraph)."""
    lines, offsets, at = [article.title], [], len(article.title) + 1
    for section in article.sections:
        lines.append(section.heading)
        at += len(section.heading) + 1
        for index, paragraph in enumerate(section.paragraphs):
            lines.append(paragraph.plain)
            offsets.append((section.anchor, index, at, paragraph))
            at += len(paragraph.plain) + 1
    return "\n".join(lines), offsets


def notes_by_sentence(
    article, annotations: list[Annotation]
) -> dict[SentenceKey, list[Annotation]]:
    """The notes of `article` on each of its safety sentences, in reading order of the notes."""
    notes = [
        a
        for a in annotations
        if not a.is_bookmark and a.note.strip() and a.article_id == article.id
    ]
    if not notes:
        return {}
    text, offsets = paragraph_offsets(article)
    placed = []
    for note in notes:
        where = anchor(text, note.quote)
        if where is not None:
            placed.append((where.start, where.end, note))
    placed.sort(key=lambda item: (item[0], item[2].created))
    found: dict[SentenceKey, list[Annotation]] = {}
    for section_anchor, index, offset, paragraph in offsets:
        end_of_paragraph = offset + len(paragraph.plain)
        here = [item for item in placed if item[0] < end_of_paragraph and item[1] > offset]
        if not here:
            continue
        for sentence in paragraph.sentences:
            if not sentence.safety:
                continue
            start, end = offset + sentence.start, offset + sentence.end
            on = [note for s, e, note in here if s < end and e > start]
            if on:
                found[(section_anchor, index, sentence.start)] = on
    return found
