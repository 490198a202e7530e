"""An exported Markdown file opened again in the reader is the article it came from: the
page's labels (the safety callout's "⚠ Safety: …" line, the summary's), the topics line and
the closing lines (legend, source, disclaimer) add no caution marks, and every real warning
is still there with its severity and categories. A file that is not our export is read as
written, label-like lines and all."""

from __future__ import annotations

import pytest

from viewer.core.library import Library
from viewer.core.own_export import EXPORT_KEY
from viewer.export.dispatch import export_article
from viewer.render.blocks import build_blocks, outline

IDS = [
    "kratom-opioid-withdrawal",
    "kratom-chronic-pain-dosage",
    "kratom-withdrawal-hair-loss",
    "kratom-detox-hyperpigmentation",
    "kratom-dopamine-withdrawal",
]


def _warnings(article) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (" ".join(s.text.split()), s.severity, tuple(s.categories))
        for p in article.paragraphs()
        for s in p.sentences
        if s.safety
    ]


@pytest.fixture(scope="module")
def reopened(library, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exported")
    for article_id in IDS:
        export_article(library.get(article_id), "md", folder / f"{article_id}.md")
    return Library.load(folder)


@pytest.mark.parametrize("article_id", IDS)
def test_export_then_reopen_adds_no_cautions_and_keeps_the_warnings(library, reopened, article_id):
    original, again = library.get(article_id), reopened.get(article_id)
    assert _warnings(again) == _warnings(original)
    prose = " ".join(p.plain for p in again.paragraphs())
    assert "\u26a0" not in prose and "Marks:" not in prose and "Source:" not in prose
    assert "Not medical advice" not in prose and "Topics:" not in prose
    assert not any(g in prose for g in "\u25b2\u25c6\u25cf")
    # The page shows the same headings (the export writes each box's heading before it), and
    # the summary comes back as the summary, not as an introduction.
    assert [e.title for e in outline(build_blocks(again))] == [
        e.title for e in outline(build_blocks(original))
    ]
    assert [s.kind for s in again.sections] == [s.kind for s in original.sections]
    assert again.topics == original.topics and again.title == original.title


def test_a_file_that_is_not_our_export_is_read_as_written(tmp_path, library):
    exported = tmp_path / "mine.md"
    export_article(library.get("kratom-opioid-withdrawal"), "md", exported)
    text = exported.read_text(encoding="utf-8").replace(f"{EXPORT_KEY}: article-viewer\n", "")
    assert EXPORT_KEY not in text
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "mine.md").write_text(text, encoding="utf-8")
    prose = " ".join(p.plain for p in Library.load(tmp_path / "other").get("mine").paragraphs())
    assert "\u26a0 Safety:" in prose and "Not medical advice" in prose
