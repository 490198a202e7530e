"""The Markdown export is written from the block list (issue 13): it looks like the reading pane
(title, topics, boxes with their labels, marked warning sentences, the closing lines), and
apart from those additions it is the Markdown the export wrote before from the model: the
importer's writer, which the export used to be (viewer/core/importer.article_to_markdown)."""

from __future__ import annotations

import re

import markdown
import pytest

from tests.conftest import BUNDLED_IDS
from viewer.core.importer import CONCLUSION_BREAK, article_to_markdown
from viewer.core.model import Article, Paragraph, Section
from viewer.export.markdown_export import FOOTER_RULE, article_to_markdown_export
from viewer.render.blocks import safety_label
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.sentence_marks import SEVERITY_GLYPHS, warning_sentences

_MARK = re.compile("[" + "".join(SEVERITY_GLYPHS.values()) + r"]\u00a0(\*\*?)(.+?)\1", re.DOTALL)


def _body(markdown: str) -> str:
    return markdown[markdown.index("\n---\n", 4) + 5 :].strip("\n")


def _unquoted(chunk: str) -> list[str]:
    lines = [line[2:] if line.startswith("> ") else line.lstrip(">") for line in chunk.split("\n")]
    return "\n".join(lines).split("\n\n")


def _without_the_additions(markdown: str, article) -> list[str]:
    """The export's paragraphs with what it adds to the old export taken out: the title and
    topics lines, the summary box (the old export kept the summary in front matter), box labels
    and quoting, sentence marks and the closing lines; "## Conclusion" was a thematic break."""
    body = _body(markdown)
    body = body[: body.rindex(FOOTER_RULE)].strip("\n")
    out: list[str] = []
    for chunk in body.split("\n\n"):
        if chunk.startswith("# ") or chunk.startswith("*Topics: "):
            continue
        if chunk.startswith(">"):
            parts = _unquoted(chunk)
            if "**Summary**" in parts[:2]:
                continue
            assert parts[0].startswith("**\u26a0 "), parts[0]  # a box opens with its label
            out.extend(parts[1:])
        elif chunk == "## Conclusion" and any(s.heading == "Conclusion" for s in article.sections):
            out.append(CONCLUSION_BREAK)
        else:
            out.append(chunk)
    return [_MARK.sub(r"\2", part) for part in out]


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
def test_the_markdown_export_is_the_old_export_plus_the_pane_s_look(library, article_id):
    article = library.get(article_id)
    exported = article_to_markdown_export(article)
    old = _body(article_to_markdown(article)).split("\n\n")
    assert _without_the_additions(exported, article) == old


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
def test_the_markdown_export_shows_what_the_pane_shows(library, article_id):
    article = library.get(article_id)
    exported = _body(article_to_markdown_export(article))
    assert exported.startswith(f"# {article.title.split(':')[0]}")
    for section in article.safety_sections:  # each safety box under its label
        assert f"> **{safety_label(section.categories)}**" in exported
    marked = [s for p in article.paragraphs() for s in warning_sentences(p)]
    assert len(_MARK.findall(exported)) == len(marked) > 0  # every warning sentence, once
    closing = exported[exported.rindex(FOOTER_RULE) :]
    assert "Marks: " in closing and f"Source: {article.path}" in closing.replace("\\", "")
    assert "**Not medical advice.**" in closing and DISCLAIMER[:40] in closing


def test_tables_stay_markdown_and_titles_and_topics_stay_text():
    article = Article(
        id="t",
        title="A *title* <b>",
        path="t.md",
        source_format="md",
        sections=[
            Section(
                "s",
                "Doses",
                2,
                "section",
                [Paragraph("| Dose | When |\n|---|---|\n| 5 mg | Morning |")],
            )
        ],
        topics=["<i>x</i>"],
    )
    exported = _body(article_to_markdown_export(article))
    assert "| Dose | When |\n|---|---|\n| 5 mg | Morning |" in exported  # a table as written
    shown = markdown.markdown(exported, extensions=["tables"])
    assert "<h1>A *title* &lt;b&gt;</h1>" in shown
    assert "<em>Topics: &lt;i&gt;x&lt;/i&gt;</em>" in shown and "<td>5 mg</td>" in shown
