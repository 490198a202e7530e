"""The JSON shapes of the CLI contract (ARCHITECTURE.md), built from the model in one place."""

from __future__ import annotations

from viewer.core.catalogue import ArticleEntry
from viewer.core.model import Article, Paragraph, Section, Sentence


def article_summary_json(article: Article | ArticleEntry) -> dict:
    """The `list` line of an article; its catalogue entry has all it needs."""
    return {
        "id": article.id,
        "title": article.title,
        "topics": list(article.topics),
        "path": article.path,
        "sections": len(article.sections),
        "words": article.words,
        "safety_sections": len(article.safety_sections),
        "notes": list(article.notes),
    }


def paragraph_json(paragraph: Paragraph) -> dict:
    """A paragraph with its sentence verdicts, from which its own flag and categories derive."""
    return {
        "text": paragraph.text,
        "safety": paragraph.safety,
        "categories": list(paragraph.categories),
        "cues": list(paragraph.cues),
        "sentences": [sentence_json(s) for s in paragraph.sentences],
    }


def sentence_json(sentence: Sentence) -> dict:
    return {
        "text": sentence.text,
        "safety": sentence.safety,
        "severity": sentence.severity,
        "categories": list(sentence.categories),
        "evidence": list(sentence.evidence),
        "start": sentence.start,
        "end": sentence.end,
    }


def section_json(section: Section) -> dict:
    return {
        "anchor": section.anchor,
        "heading": section.heading,
        "level": section.level,
        "kind": section.kind,
        "safety": section.safety,
        "categories": list(section.categories),
        "topics": list(section.topics),
        "paragraphs": [paragraph_json(p) for p in section.paragraphs],
    }


def article_json(article: Article) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "topics": list(article.topics),
        "path": article.path,
        "format": article.source_format,
        "metadata": _jsonable(article.metadata),
        "notes": list(article.notes),
        "sections": [section_json(s) for s in article.sections],
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # dates and the like from YAML
