"""Import plain-text articles (seed layout) as Markdown with YAML front matter.

The text is kept exactly as written (typos included); only Markdown-significant characters are
escaped so that the Markdown renders to the same words. Layout: front matter (title, topics,
summary, source), the intro, `## ` headings with their paragraphs, and `* * *` before the
conclusion (the seed layout's unlabelled last paragraph). The Markdown loader reads this back to
the same sections.
"""

from __future__ import annotations

from viewer.core.frontmatter import dump_front_matter
from viewer.core.model import (
    DEFAULT_HEADINGS,
    KIND_CONCLUSION,
    KIND_INTRO,
    KIND_SUMMARY,
    Article,
)
from viewer.core.plaintext import escape_markdown

CONCLUSION_BREAK = "* * *"


def article_to_markdown(
    article: Article,
    source: str | None = None,
    extra: dict | None = None,
) -> str:
    """The article as Markdown with front matter; the Markdown loader reads it back unchanged.
    (The Markdown export is not this: it writes the article's blocks, viewer/export.)"""
    metadata: dict = {"title": article.title}
    if article.topics:
        metadata["topics"] = list(article.topics)
    summary = article.summary
    if summary:
        metadata["summary"] = summary
    if source:
        metadata["source"] = source
    metadata.update(extra or {})
    parts = [dump_front_matter(metadata).rstrip("\n")]
    for section in article.sections:
        if section.kind == KIND_SUMMARY:
            continue
        if section.kind == KIND_CONCLUSION and section.heading == DEFAULT_HEADINGS[KIND_CONCLUSION]:
            parts.append(CONCLUSION_BREAK)
        elif section.kind != KIND_INTRO:
            parts.append(
                "#" * max(2, min(section.level, 6)) + " " + escape_markdown(section.heading)
            )
        for paragraph in section.paragraphs:
            if article.source_format != "md":
                parts.append(escape_markdown(paragraph.text))
            else:
                parts.append(paragraph.text)
    return "\n\n".join(parts).rstrip("\n") + "\n"
