"""Paragraph and section safety flags, derived from their sentences' verdicts: a paragraph warns
when one of its sentences does, and a section is a safety section exactly when it holds a
warning sentence (never by its heading alone)."""

from __future__ import annotations

from viewer.core.model import Paragraph, Section
from viewer.core.safety_categories import ordered_categories


def derive_paragraph(paragraph: Paragraph) -> None:
    """A paragraph's flag, categories and cues, from its sentences."""
    warnings = [s for s in paragraph.sentences if s.safety]
    paragraph.safety = bool(warnings)
    paragraph.categories = ordered_categories({c for s in warnings for c in s.categories})
    paragraph.cues = list(dict.fromkeys(c for s in warnings for c in s.cues))


def derive_section(section: Section) -> None:
    """A section is a safety section exactly when it holds a warning sentence."""
    section.safety = any(p.safety for p in section.paragraphs)
    section.categories = ordered_categories({c for p in section.paragraphs for c in p.categories})
