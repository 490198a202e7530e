"""Warning sentences are marked themselves, by severity and never by colour alone, in the pane's
HTML and in every export; the reason for a mark is plain text; article text never becomes markup."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from PySide6.QtGui import QFont, QTextDocument

from viewer.core.conversion import MarkdownReader
from viewer.core.model import Article, Paragraph, Section, Sentence
from viewer.core.safety_categories import SEVERITIES, category_label
from viewer.export.dispatch import export_article
from viewer.export.text_export import article_to_text
from viewer.render import THEMES, render_article
from viewer.render.markup import MarkdownConverter
from viewer.render.sentence_marks import SEVERITY_GLYPHS, UNPLACED_NOTE, mark_sentences


def _plain(source: str) -> str:
    """The paragraph's text as the loader reads it (the sanitized conversion's text)."""
    return MarkdownReader().read(source).plain


# Text layout and PDF painting use fonts, which need a QGuiApplication.
pytestmark = pytest.mark.usefixtures("qapp")

WARNING = "Never combine it with alcohol or opioids, since breathing can stop."
CAUTION = "Some people feel drowsy for a day."
ADVICE = "Ask a pharmacist if unsure."
EVIDENCE = {
    "warning": ("cue: combine ... with", "negated: no"),
    "caution": ("cue: drowsy", "negated: no"),
    "advice": ("cue: ask a pharmacist", "negated: no"),
}
CATEGORIES = {
    "warning": ("interactions",),
    "caution": ("side-effects",),
    "advice": ("medical-supervision",),
}


def verdict(
    plain: str, text: str, severity: str = "", evidence: tuple[str, ...] | None = None
) -> Sentence:
    start = plain.index(text)
    return Sentence(
        start,
        start + len(text),
        text,
        bool(severity),
        severity,
        CATEGORIES.get(severity, ()),
        EVIDENCE.get(severity, ()) if evidence is None else evidence,
    )


def paragraph(
    source: str,
    marked: dict[str, str],
    quiet: tuple[str, ...] = (),
    source_format: str = "md",
    evidence: tuple[str, ...] | None = None,
) -> Paragraph:
    """A paragraph with the given sentences judged: `marked` maps a severity to its sentence."""
    plain = _plain(source) if source_format == "md" else source
    sentences = [verdict(plain, text, severity, evidence) for severity, text in marked.items()]
    sentences += [verdict(plain, text) for text in quiet]
    categories = sorted({c for s in sentences for c in s.categories})
    return Paragraph(
        source,
        plain,
        safety=bool(marked),
        categories=categories,
        sentences=sorted(sentences, key=lambda s: s.start),
    )


def three_severities(source_format: str = "md") -> Paragraph:
    source = f"It is a tea. {WARNING} {CAUTION} {ADVICE}"
    return paragraph(
        source,
        {"warning": WARNING, "caution": CAUTION, "advice": ADVICE},
        ("It is a tea.",),
        source_format,
    )


def article(*sections: Section, source_format: str = "md") -> Article:
    return Article("t", "Test article", "t.md", source_format, list(sections), topics=["Sleep"])


def safety_section(p: Paragraph, anchor: str = "risks", kind: str = "section") -> Section:
    return Section(
        anchor,
        "Risks" if kind == "section" else "Summary",
        2,
        kind,
        [p],
        safety=True,
        categories=list(p.categories),
    )


def qt_document(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(html)
    return document


def fragments(document: QTextDocument):
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            yield iterator.fragment()
            iterator += 1
        block = block.next()


def marked_runs(document: QTextDocument) -> dict[str, list]:
    """Text of each marked run by its tooltip's first line, with its char format."""
    runs: dict[str, list] = {}
    for fragment in fragments(document):
        tip = fragment.charFormat().toolTip()
        if tip:
            runs.setdefault(tip.splitlines()[0], []).append(
                (fragment.text(), fragment.charFormat())
            )
    return runs


def shown(html: str) -> str:
    return " ".join(qt_document(html).toPlainText().split())


# -- the reading pane's HTML -------------------------------------------------------------------------


@pytest.mark.parametrize("source_format", ["md", "txt"])
@pytest.mark.parametrize("theme", THEMES)
def test_each_severity_has_its_glyph_and_its_own_text_style(theme, source_format):
    html = render_article(
        article(safety_section(three_severities(source_format)), source_format=source_format),
        theme=theme,
    )
    text = shown(html)
    for severity, sentence in (("warning", WARNING), ("caution", CAUTION), ("advice", ADVICE)):
        assert (
            f"{SEVERITY_GLYPHS[severity]} {sentence}" in text
        )  # shown() makes the narrow gap a space
    assert "\u25b2 It is a tea" not in text and text.count("\u25b2") == 1
    runs = marked_runs(qt_document(html))
    styles = {}
    for severity in SEVERITIES:
        (key,) = [k for k in runs if k.startswith(SEVERITY_GLYPHS[severity])]
        words = [(t, f) for t, f in runs[key] if t.strip() not in SEVERITY_GLYPHS.values()]
        assert "".join(t for t, _ in words).strip() in (WARNING, CAUTION, ADVICE)
        styles[severity] = {
            (f.fontWeight() >= QFont.Weight.Bold, f.fontUnderline(), f.fontItalic())
            for _, f in words
        }
    # Not colour alone: weight, underline and slant differ from one severity to the next.
    assert styles == {
        "warning": {(True, True, False)},
        "caution": {(False, True, False)},
        "advice": {(False, False, True)},
    }


def test_marks_find_a_sentence_through_markdown_emphasis_links_and_entities():
    source = "Kratom is a leaf. Do **not** mix it with [alcohol](https://example.org) & sedatives. Then rest."
    p = paragraph(
        source,
        {"warning": "Do not mix it with alcohol & sedatives."},
        ("Kratom is a leaf.", "Then rest."),
    )
    html = render_article(article(safety_section(p)))
    runs = marked_runs(qt_document(html))
    (key,) = runs
    assert "".join(t for t, _ in runs[key]) == "\u25b2\u00a0Do not mix it with alcohol & sedatives."
    document = qt_document(html)
    assert any(
        f.charFormat().anchorHref() == "https://example.org" and f.text() == "alcohol"
        for f in fragments(document)
    )
    assert "Kratom is a leaf. \u25b2 Do not mix it" in shown(html)


@pytest.mark.parametrize(
    "source_format, source",
    [
        ("txt", "Never take 5 <b>tablets</b> & <script>x</script> at once."),
        (
            "md",
            "Never take 5 &lt;b&gt;tablets&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt; at once.",
        ),
    ],
)
def test_article_text_in_a_marked_sentence_stays_text(source_format, source):
    plain = _plain(source) if source_format == "md" else source
    p = paragraph(source, {"warning": plain}, source_format=source_format)
    html = render_article(article(safety_section(p), source_format=source_format))
    assert "<script>" not in html and "<b>tablets" not in html
    assert "Never take 5 <b>tablets</b> & <script>x</script> at once." in shown(html)


def test_evidence_quoting_markup_reaches_the_tooltip_as_plain_text():
    p = paragraph(
        f"{WARNING}", {"warning": WARNING}, evidence=('cue: "<b>combine</b>" with', "negated: no")
    )
    html = render_article(article(safety_section(p)))
    assert "<b>combine</b>" not in html
    tip = next(iter(marked_runs(qt_document(html)).values()))[0][1].toolTip()
    assert tip.splitlines() == [
        f"\u25b2 Warning: {category_label('interactions')}",
        "Warning means serious harm: overdose, dependence, interactions, pregnancy, children, the law.",
        'cue: "<b>combine</b>" with',
        "negated: no",
    ]


def test_a_sentence_that_cannot_be_found_marks_its_paragraph():
    source = "Mix nothing with it. Keep it dry."
    plain = _plain(source)
    ghost = Sentence(
        0, 10, "Wholly different words here.", True, "warning", ("interactions",), ("cue: x",)
    )
    p = Paragraph(source, plain, True, ["interactions"], sentences=[ghost])
    html = render_article(article(safety_section(p)))
    runs = marked_runs(qt_document(html))
    (key,) = runs
    assert "".join(t for t, _ in runs[key]) == "\u25b2\u00a0Mix nothing with it. Keep it dry."
    assert UNPLACED_NOTE in runs[key][0][1].toolTip()
    assert "Wholly different words here." in runs[key][0][1].toolTip()


def test_an_unplaced_sentence_beside_placed_ones_gets_a_glyph_at_the_paragraph_start():
    source = f"Keep it dry. {WARNING}"
    p = paragraph(source, {"warning": WARNING})
    ghost = Sentence(0, 5, "Nothing like this.", True, "advice", ("medical-supervision",), ())
    p.sentences.append(ghost)
    html = render_article(article(safety_section(p)))
    assert shown(html).split("Risks ")[1].startswith(f"\u25cf Keep it dry. \u25b2 {WARNING}")


class _Nesting(HTMLParser):
    """Fails on an end tag that does not close the innermost open element."""

    VOID = {"br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing open"


def test_a_sentence_across_a_list_is_marked_without_breaking_the_html():
    source = "A *b* [c](https://e.org) d.\n\n- one item is risky here\n- two"
    fragment = (
        '<p>A <em>b</em> <a href="https://e.org">c</a> d.</p>\n'
        "<ul>\n<li>one item is risky here</li>\n<li>two</li>\n</ul>"
    )
    plain = _plain(source)
    start = plain.index("d.")
    p = Paragraph(
        source,
        plain,
        True,
        ["dosage"],
        sentences=[Sentence(start, plain.index("risky") + 5, "", True, "caution", ("dosage",), ())],
    )
    marked = mark_sentences(fragment, p)
    checker = _Nesting()
    checker.feed(marked)
    checker.close()
    assert checker.open == []
    assert (
        marked.count('class="mark mark-caution"') == 2
    )  # one span per text node, none across tags
    assert " ".join(qt_document(marked).toPlainText().replace("\u25c6", "").split()) == " ".join(
        qt_document(fragment).toPlainText().split()
    )


def test_a_paragraph_without_warning_sentences_is_left_as_it_was():
    p = paragraph("Plain words. More words.", {}, ("Plain words.", "More words."))
    assert mark_sentences("<p>Plain words. More words.</p>", p) == "<p>Plain words. More words.</p>"


# -- boxes and tags --------------------------------------------------------------------------------


def test_a_safety_flagged_summary_is_a_safety_callout_not_the_summary_box():
    p = paragraph(f"A tea. {WARNING}", {"warning": WARNING}, ("A tea.",))
    html = render_article(
        article(
            safety_section(p, "summary", "summary"),
            Section("more", "More", 2, "section", [Paragraph("Text.")]),
        )
    )
    assert 'class="summary"' not in html and 'class="safety"' in html
    assert f"\u26a0 Safety: {category_label('interactions')} Summary A tea. \u25b2" in shown(html)


def test_a_safety_paragraph_elsewhere_is_tagged_by_its_strongest_sentence():
    quiet = Section("how", "How it works", 2, "section", [three_severities()])
    mild = paragraph(f"{CAUTION} {ADVICE}", {"caution": CAUTION, "advice": ADVICE})
    html = render_article(article(quiet, Section("use", "Use", 2, "section", [mild])))
    text = shown(html)
    assert f"\u26a0 Warning: {category_label('interactions')}" in text
    assert (
        f"\u26a0 Caution: {category_label('medical-supervision')}, {category_label('side-effects')}"
        in text
    )


# -- exports -------------------------------------------------------------------------------------------


def test_text_export_tags_each_warning_sentence():
    lines = article_to_text(article(safety_section(three_severities()))).splitlines()
    text = " ".join(" ".join(line.removeprefix("! ") for line in lines).split())
    assert f"It is a tea. [\u25b2 Warning: {category_label('interactions')}] {WARNING}" in text
    assert f"[\u25c6 Caution: {category_label('side-effects')}] {CAUTION}" in text
    assert f"[\u25cf Advice: {category_label('medical-supervision')}] {ADVICE}" in text


def test_text_export_tags_a_paragraph_elsewhere_by_its_strongest_sentence():
    quiet = Section("how", "How it works", 2, "section", [three_severities()])
    text = article_to_text(article(quiet))
    assert "[Warning: " in text and "[Caution: " not in text.split("[\u25b2")[0]


def test_html_export_keeps_the_marks_and_their_reasons(tmp_path):
    target = tmp_path / "t.html"
    export_article(article(safety_section(three_severities())), "html", target)
    html = target.read_text(encoding="utf-8")
    for severity in SEVERITIES:
        assert f'<span class="mark mark-{severity}" title="{SEVERITY_GLYPHS[severity]} ' in html
    assert "span.mark-warning { font-weight: 700; text-decoration: underline;" in html


def test_pdf_export_prints_the_glyphs_before_the_sentences(tmp_path):
    target = tmp_path / "t.pdf"
    export_article(article(safety_section(three_severities())), "pdf", target)
    text = unicodedata.normalize(
        "NFKC", "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    )
    flat = " ".join(text.split())
    for glyph, sentence in (
        (SEVERITY_GLYPHS["warning"], WARNING),
        (SEVERITY_GLYPHS["caution"], CAUTION),
        (SEVERITY_GLYPHS["advice"], ADVICE),
    ):
        at = flat.find(glyph)
        assert at >= 0, glyph
        assert " ".join(flat[at + 1 :].split())[:20] == sentence[:20]


# -- any Markdown, any sentence ------------------------------------------------------------------------

MARKDOWN_PIECES = [
    "word",
    "Dose",
    "two",
    " ",
    " ",
    ". ",
    "**",
    "*",
    "_",
    "`",
    "[",
    "](https://e.org)",
    "<b>",
    "</b>",
    "&",
    "&amp;",
    "&lt;i&gt;",
    "\n",
    "\n\n- ",
    "\n1. ",
    "> ",
    "![alt](x.png)",
    "\\*",
    '"',
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(MARKDOWN_PIECES), min_size=1, max_size=30),
    st.integers(0, 400),
    st.integers(1, 400),
    st.sampled_from(SEVERITIES),
)
def test_marking_any_markdown_keeps_its_html_whole_and_its_text_unchanged(
    pieces, start, length, severity
):
    source = "".join(pieces)
    fragment = MarkdownConverter("t.md").convert(source)
    plain = _plain(source)
    start = min(start, max(0, len(plain) - 1))
    end = min(len(plain), start + length)
    sentence = Sentence(
        start, end, plain[start:end], True, severity, ("dosage",), ("cue: <b>x</b>",)
    )
    marked = mark_sentences(
        fragment, Paragraph(source, plain, True, ["dosage"], sentences=[sentence])
    )
    checker = _Nesting()
    checker.feed(marked)
    checker.close()
    assert checker.open == _open_left(fragment)
    assert "<b>x</b>" not in marked
    # (toPlainText gives the glyph's no-break space as a space)
    unmarked = qt_document(marked).toPlainText().replace(SEVERITY_GLYPHS[severity] + " ", "")
    assert " ".join(unmarked.split()) == " ".join(qt_document(fragment).toPlainText().split())


def _open_left(fragment: str) -> list[str]:
    checker = _Nesting()
    checker.feed(fragment)
    checker.close()
    return checker.open


# -- real verdicts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["corpus", "tests/fixtures/safety_dev/tune"])
def test_every_warning_the_classifier_finds_is_marked_word_for_word(folder):
    from tests.conftest import REPO
    from viewer.core.library import Library

    library = Library.load(REPO / folder)
    warned = marked = 0
    for found in library.articles:
        html = render_article(found)
        warned += sum(len([s for s in p.sentences if s.safety]) for p in found.paragraphs())
        marked += html.count('class="mark-glyph')
        assert UNPLACED_NOTE not in html, found.id
    assert warned > 20 and marked == warned


def test_paper_and_files_say_what_the_marks_mean():
    marked = article(safety_section(three_severities()))
    legend = (
        "Marks: \u25b2 Warning (bold, underlined): serious harm: overdose, dependence, interactions, "
        "pregnancy, children, the law; \u25c6 Caution (underlined): common mild side effects and dosing "
        "limits; \u25cf Advice (italic): general advice to ask a professional."
    )
    assert legend in shown(render_article(marked, for_print=True))
    assert legend in " ".join(article_to_text(marked).split())
    assert legend not in shown(
        render_article(marked)
    )  # the screen has the panel's legend and tooltips
    unmarked = article(Section("s", "S", 2, "section", [Paragraph("Plain words.")]))
    assert "Marks:" not in shown(render_article(unmarked, for_print=True)) + article_to_text(
        unmarked
    )
