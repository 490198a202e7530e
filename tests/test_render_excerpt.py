"""Only the selection: the pane's selected text (with its glyphs and labels) is placed in the
article's own text, and the excerpt holds just that part, its sentence marks moved along."""

from __future__ import annotations

from viewer.core.annotations.anchoring import article_text
from viewer.export.dispatch import export_article, export_text
from viewer.render.annotated import ExportOptions
from viewer.render.excerpt import EXCERPT_NOTICE, locate_selection, select_article

ARTICLE = "kratom-opioid-withdrawal"
# As the reading pane gives it: a severity glyph inside, a box label and a heading between.
SELECTED = (
    "dry mouth. \u25c6 In some cases, individuals may experience increased heart rate, restlessness, or "
    "insomnia at higher doses. \u25b2 Long-term use ... into a withdrawal management plan.\n"
    "\u26a0 Safety: Side effects, Dosage caution\n"
    "Safe and Effective Use of Kratom for Opioid Withdrawal Symptoms\n"
    "Kratom has gained attention as a potential"
)


def test_the_selection_is_found_in_the_article_text_despite_the_panes_marks(library):
    article = library.get(ARTICLE)
    start, end = locate_selection(article, SELECTED, near=0.5)
    text = article_text(article)
    assert text[start:].startswith("dry mouth. In some cases")
    assert text[:end].endswith("Kratom has gained attention as a potential")
    assert (
        locate_selection(article, "\u26a0 Safety\n\u25b2 ", 0.5) is None
    )  # only the pane's own marks
    assert locate_selection(article, "", 0.5) is None


def test_a_repeated_phrase_is_taken_where_the_selection_was(library):
    article = library.get(ARTICLE)
    text = article_text(article)
    phrase = "potential side effects"
    first, last = text.index(phrase), text.rindex(phrase)
    assert first != last
    assert locate_selection(article, phrase, near=0.0)[0] == first
    assert locate_selection(article, phrase, near=1.0)[0] == last


def test_the_excerpt_holds_only_the_selection_with_its_marks_moved_along(library):
    article = library.get(ARTICLE)
    excerpt = select_article(article, *locate_selection(article, SELECTED, near=0.5))
    assert excerpt.title == article.title and excerpt.path == article.path
    assert [s.heading for s in excerpt.sections] == [
        "Potential Benefits and Side Effects of Using Kratom for Withdrawl",
        "Safe and Effective Use of Kratom for Opioid Withdrawal Symptoms",
    ]
    first, last = excerpt.sections[0].paragraphs[0], excerpt.sections[1].paragraphs[-1]
    assert first.plain.startswith("dry mouth. In some cases") and first.plain.endswith(
        "management plan."
    )
    assert last.plain == "Kratom has gained attention as a potential"
    for paragraph in excerpt.paragraphs():
        for sentence in paragraph.sentences:
            assert paragraph.plain[sentence.start : sentence.end] == sentence.text
    assert first.safety and "side-effects" in first.categories  # the warning it still holds
    assert not excerpt.sections[1].safety  # none of that section's warnings was selected
    assert excerpt.notes[-1] == EXCERPT_NOTICE and EXCERPT_NOTICE not in article.notes


def test_every_format_writes_the_excerpt_with_title_and_source(library, tmp_path):
    article = library.get(ARTICLE)
    options = ExportOptions(selection=locate_selection(article, SELECTED, near=0.5))
    for fmt in ("txt", "md", "html"):
        written = export_article(article, fmt, tmp_path / f"part.{fmt}", options=options).read_text(
            encoding="utf-8"
        )
        assert article.title.split(":")[0] in written and EXCERPT_NOTICE in written
        assert "increased heart rate" in written
        assert (
            "Common issues include" not in written and "soothing effect" not in written
        )  # before, after
        assert "kratom-opioid-withdrawal.md" in written or "000_" in written  # the source line
    whole = export_text(article, "txt")
    assert "Common issues include" in whole and EXCERPT_NOTICE not in whole
