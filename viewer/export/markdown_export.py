"""Markdown export: front matter (title, topics, summary, source) and the article in Markdown.

It is the importer's own writer, so loading the file back with the Markdown loader gives the
same title, sections and paragraphs. The disclaimer goes into the front matter rather than the
body: a closing paragraph would become part of the conclusion when the file is read back.
"""

from __future__ import annotations

from viewer.core.importer import article_to_markdown
from viewer.core.model import Article
from viewer.render.disclaimer import DISCLAIMER

# Front-matter keys this writer sets itself; the article's other metadata is carried over.
_OWN_KEYS = {"title", "topics", "summary", "source", "disclaimer"}


def article_to_markdown_export(article: Article) -> str:
    """The article as Markdown with front matter (UTF-8 text, '\\n' line ends)."""
    source = article.metadata.get("source")
    if not isinstance(source, str) or not source.strip():
        source = article.path
    extra = {k: v for k, v in article.metadata.items() if k not in _OWN_KEYS}
    extra["disclaimer"] = DISCLAIMER
    return article_to_markdown(article, source=source, extra=extra)
