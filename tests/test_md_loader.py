"""The Markdown loader: front matter, headings of both styles, intro, conclusion, metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core.errors import ArticleError
from viewer.core.importer import article_to_markdown
from viewer.core.library import read_article
from viewer.core.md_loader import load_markdown


def load(text: str, name: str = "doc.md"):
    return load_markdown(text, Path(name), "doc")


def test_front_matter_title_topics_summary_and_other_metadata():
    article = load(
        "---\ntitle: Sleep Aids\ntopics: [Sleep, Safety]\nsummary: Short.\nauthor: Ann\n"
        "date: 2024-01-02\n---\nIntro text.\n\n## Melatonin\n\nBody.\n"
    )
    assert article.title == "Sleep Aids"
    assert article.topics == ["Sleep", "Safety"]
    assert article.summary == "Short."
    assert article.metadata["author"] == "Ann"
    assert str(article.metadata["date"]) == "2024-01-02"
    assert [(s.kind, s.heading) for s in article.sections] == [
        ("summary", "Summary"),
        ("intro", "Introduction"),
        ("section", "Melatonin"),
    ]


def test_topics_as_comma_separated_string():
    assert load("---\ntopics: Sleep, Caffeine\n---\n# T\n\ntext\n").topics == ["Sleep", "Caffeine"]


def test_atx_and_setext_headings_with_levels():
    article = load(
        "# Title\n\nIntro.\n\nPart One\n========\n\nA.\n\nPart Two\n--------\n\nB.\n\n"
        "### Deep ###\n\nC.\n"
    )
    assert article.title == "Title"  # the first level-1 heading is the title
    assert [(s.heading, s.level) for s in article.sections if s.kind == "section"] == [
        ("Part One", 1),
        ("Part Two", 2),
        ("Deep", 3),
    ]
    assert article.sections[0].kind == "intro"
    assert [p.text for p in article.sections[0].paragraphs] == ["Intro."]


def test_without_title_anywhere_the_file_name_is_used():
    assert load("Just text.\n", "my-notes_file.md").title == "My notes file"


def test_hash_lines_inside_fenced_code_are_not_headings():
    article = load("# T\n\n## Code\n\n```\n# not a heading\n\nstill code\n```\n\nAfter.\n")
    code = article.sections[-1]
    assert code.heading == "Code"
    assert code.paragraphs[0].text.startswith("```\n# not a heading\n\nstill code")
    assert code.paragraphs[-1].text == "After."


def test_thematic_break_before_the_last_paragraphs_marks_the_conclusion():
    article = load("# T\n\n## A\n\nBody.\n\n* * *\n\nFinal words.\n")
    assert [(s.kind, s.heading) for s in article.sections][-1] == ("conclusion", "Conclusion")
    assert article.sections[-1].paragraphs[0].text == "Final words."


def test_a_conclusion_heading_is_a_conclusion():
    article = load("# T\n\n## A\n\nBody.\n\n## In conclusion\n\nDone.\n")
    assert article.sections[-1].kind == "conclusion"
    assert article.sections[-1].heading == "In conclusion"


def test_anchors_are_unique_within_an_article():
    article = load("# T\n\n## Same\n\na\n\n## Same\n\nb\n\n## Summary\n\nc\n")
    anchors = [s.anchor for s in article.sections]
    assert len(anchors) == len(set(anchors))
    assert anchors == ["same", "same-2", "summary"]


def test_plain_text_strips_markup_but_keeps_words():
    article = load(
        "# T\n\nSee **bold** and [a link](http://x.org) and ![alt text](i.png) and `code`.\n"
    )
    paragraph = article.sections[0].paragraphs[0]
    assert paragraph.text.startswith("See **bold**")
    assert paragraph.plain == "See bold and a link and alt text and code."


@pytest.mark.parametrize(
    "front, reason",
    [
        ("---\ntitle: [unclosed\n---\nx\n", "not valid YAML"),
        ("---\n- just\n- a list\n---\nx\n", "must be a mapping"),
        ("---\na: &x [1]\nb: *x\n---\nx\n", "aliases are not allowed"),
        ("---\nx: !!python/object/apply:os.system ['echo hi']\n---\nx\n", "not valid YAML"),
    ],
)
def test_bad_front_matter_is_a_one_line_error(tmp_path, front, reason):
    path = tmp_path / "bad.md"
    path.write_text(front)
    with pytest.raises(ArticleError) as info:
        read_article(path, "bad")
    assert reason in str(info.value) and "\n" not in str(info.value)


def test_bundled_corpus_matches_the_seeds_it_was_imported_from(seeds_dir):
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for md_path in sorted(corpus.glob("*.md")):
        md = read_article(md_path, "md")
        seed = read_article(seeds_dir / md.metadata["source"], "seed")
        assert [(s.kind, s.heading, [p.plain for p in s.paragraphs]) for s in md.sections] == [
            (s.kind, s.heading, [p.text for p in s.paragraphs]) for s in seed.sections
        ]
        assert md.title and md.topics


def test_importer_output_round_trips(seeds_dir, tmp_path):
    seed = read_article(seeds_dir / "003_e3c51f6344bccb7e.txt", "seed")
    seed.topics = ["Opioid withdrawal"]
    path = tmp_path / "out.md"
    path.write_text(article_to_markdown(seed, source="003.txt"))
    again = read_article(path, "out")
    assert again.title == seed.title and again.topics == ["Opioid withdrawal"]
    assert again.metadata["source"] == "003.txt"
    assert [[p.plain for p in s.paragraphs] for s in again.sections] == [
        [p.text for p in s.paragraphs] for s in seed.sections
    ]


def test_markdown_special_characters_in_plain_text_survive_import(tmp_path):
    text = (
        "Summary with *stars* and <b>tags</b> & AT&T.\nIntro 1. not a list; a_b_c.\n"
        "- One\n- Two\nOne\n# not a heading [x](y)\nTwo\nBody two.\nMore two.\nThe end.\n"
    )
    source = tmp_path / "s.txt"
    source.write_text(text)
    seed = read_article(source, "s")
    out = tmp_path / "s.md"
    out.write_text(article_to_markdown(seed))
    again = read_article(out, "s")
    assert [[p.plain for p in s.paragraphs] for s in again.sections] == [
        [p.text for p in s.paragraphs] for s in seed.sections
    ]
