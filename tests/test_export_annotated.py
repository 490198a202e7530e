"""An article export with the reader's highlights and notes: marked passages (HTML <mark> by
colour, Markdown ==…== with footnotes), a notes section (HTML, PDF, text), notes escaped in
every format, an orphan still listed, and `export --with-annotations` on the command line."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from pypdf import PdfReader

from viewer.cli import main
from viewer.core.annotations.anchoring import article_text, make_quote
from viewer.core.annotations.location import DATA_ENV
from viewer.core.annotations.model import Annotation, Quote
from viewer.core.annotations.store import DB_NAME, AnnotationStore
from viewer.core.library import Library
from viewer.export.dispatch import export_article, export_text
from viewer.render.annotated import ExportOptions, notes_for_export

ARTICLE = "kratom-opioid-withdrawal"
HOSTILE = "<script>alert(1)</script> **bold** & [link](javascript:x)"
PHRASES = {
    "mild gastrointestinal discomfort": ("yellow", HOSTILE),
    "dry mouth. In some cases": ("green", ""),  # across two warning sentences (and their marks)
    "Southeast Asian plant": ("pink", "botany"),
}  # in the summary


def highlights(article) -> list[Annotation]:
    text = article_text(article)
    made = []
    for phrase, (colour, note) in PHRASES.items():
        at = text.index(phrase)
        made.append(
            Annotation(article.id, make_quote(text, at, at + len(phrase)), colour=colour).with_note(
                note
            )
        )
    return made


@pytest.fixture
def options(library):
    article = library.get(ARTICLE)
    orphan = Annotation(
        ARTICLE, Quote("a sentence that was removed from the article long ago"), colour="blue"
    ).with_note("lost one")
    return article, ExportOptions(notes_for_export(article, highlights(article) + [orphan]))


def marked(document: str, colour: str) -> str:
    """The visible text of every <mark> of a colour in the article (not its notes), joined."""
    article_part = document.split('<h2 class="notes-heading"')[0]
    pieces = re.findall(rf'<mark class="hl hl-{colour}">(.*?)</mark>', article_part)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", p)) for p in pieces)


def test_html_marks_each_passage_by_colour_and_lists_the_notes_escaped(options):
    article, opts = options
    document = export_text(article, "html", opts.annotations)
    assert marked(document, "yellow") == "mild gastrointestinal discomfort"
    assert (
        marked(document, "green") == "dry mouth. In some cases"
    )  # one mark per text run, marks kept
    assert "Southeast Asian plant" in marked(document, "pink")
    assert "mark.hl-green" in document and "wavy" in document  # told apart without colour too
    assert "<script>" not in document and "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    notes = document[
        document.index('class="notes-heading"') : document.index(
            "<hr>", document.index("notes-heading")
        )
    ]
    assert "botany" in notes and "lost one" in notes and "no longer in the article" in notes
    assert '<a href="#note-2" id="note-ref-2">[2]</a>' in document and 'id="note-2"' in notes
    assert document.count("<mark") == document.count("</mark>")
    # Nothing else changed: without the marks and notes, the text is the plain export's.
    stripped = re.sub(r'<sup class="note-ref">.*?</sup>|</?mark[^>]*>', "", document)
    stripped = (
        stripped[: stripped.index('<h2 class="notes-heading"')]
        + stripped[stripped.index("<div", stripped.index('<h2 class="notes-heading"')) :]
    )
    assert re.sub(r"mark\.hl.*\n|sup\.note-ref.*\n", "", stripped) == export_text(article, "html")


def test_markdown_marks_with_equals_and_footnotes_and_text_gets_a_notes_section(options):
    article, opts = options
    md = export_text(article, "md", opts.annotations)
    body = md[md.index("\n---\n", 4) :]
    assert "==mild gastrointestinal discomfort==[^2]" in body
    # Across two warning sentences: highlighted on each side of the second one's mark.
    assert "==dry mouth.==** ◆\u00a0**==In some cases==" in body
    assert "[^2]: " in body and "<script>" not in body and "\\*\\*bold\\*\\*" in body
    assert "==Southeast Asian plant==[^1]" in body  # the summary is in the body, as on screen
    unmarked = body[body.index("Highlights not marked in the text:") :]
    assert "- “a sentence that was removed from the article long ago”[^3]" in unmarked
    assert "Southeast" not in unmarked.split("[^1]:")[0]  # the orphan only
    text = export_text(article, "txt", opts.annotations)
    section = text[text.index("Notes and highlights") : text.index("\n" + "-" * 78)]
    assert "“mild gastrointestinal discomfort” (yellow highlight" in section
    assert f"Note: {HOSTILE}" in section  # plain text: as written
    assert "(no longer in the article)" in section and "Source:" not in section


def test_the_pdf_shows_the_marked_words_and_the_notes(options, tmp_path):
    article, opts = options
    path = export_article(article, "pdf", tmp_path / "a.pdf", options=opts)
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert (
        "Notes" in text
        and "botany" in text
        and "<script>alert(1)</script>" in text.replace("\n", " ")
    )
    plain = " ".join(
        page.extract_text()
        for page in PdfReader(export_article(article, "pdf", tmp_path / "b.pdf")).pages
    )
    assert "botany" not in plain


def test_export_with_annotations_on_the_command_line(corpus_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    article = Library.load(corpus_copy).get(ARTICLE)
    store = AnnotationStore.open(tmp_path / "data", corpus_copy)
    store.save_many(highlights(article))
    store.close()
    out = tmp_path / "a.html"
    base = ["--corpus", str(corpus_copy), "--cache-dir", str(tmp_path / "cache"), "export", ARTICLE]
    assert main(base + ["-o", str(out), "--with-annotations"]) == 0
    assert "with 3 highlights" in capsys.readouterr().out
    assert marked(out.read_text(encoding="utf-8"), "yellow") == "mild gastrointestinal discomfort"
    assert main(base + ["-o", str(tmp_path / "plain.html")]) == 0
    assert "<mark" not in (tmp_path / "plain.html").read_text(encoding="utf-8")

    (tmp_path / "data" / DB_NAME).write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / "data" / (DB_NAME + suffix)).unlink(missing_ok=True)
    capsys.readouterr()
    assert main(base + ["-o", str(tmp_path / "b.txt"), "--with-annotations"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("article-viewer: error: annotations file") and err.count("\n") == 1
    assert not (tmp_path / "b.txt").exists()


@pytest.mark.slow
def test_printed_highlights_are_the_exported_ones(corpus_copy, tmp_path, monkeypatch, capsys):
    """`print --with-annotations --to-file` gives the pages of `export --with-annotations`:
    the same marks and notes, from the same blocks."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    article = Library.load(corpus_copy).get(ARTICLE)
    store = AnnotationStore.open(tmp_path / "data", corpus_copy)
    store.save_many(highlights(article))
    store.close()
    base = ["--corpus", str(corpus_copy), "--cache-dir", str(tmp_path / "cache")]
    printed, exported = tmp_path / "printed.pdf", tmp_path / "exported.pdf"
    assert main(base + ["print", ARTICLE, "--to-file", str(printed), "--with-annotations"]) == 0
    assert main(base + ["export", ARTICLE, "-o", str(exported), "--with-annotations"]) == 0
    texts = [
        [" ".join(p.extract_text().split()) for p in PdfReader(f).pages]
        for f in (printed, exported)
    ]
    assert texts[0] == texts[1]
    assert "botany" in " ".join(texts[0]) and "Notes" in " ".join(texts[0])
