"""`article-viewer annotations`: list (text and JSON) and export (Markdown, W3C JSON-LD that
validates against docs/annotations.schema.json), edits reported, a damaged database one line."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import REPO
from viewer.cli import main
from viewer.core.annotations.anchoring import article_text, make_quote
from viewer.core.annotations.location import DATA_ENV
from viewer.core.annotations.model import BOOKMARKING, Annotation
from viewer.core.annotations.store import DB_NAME, AnnotationStore
from viewer.core.library import Library

ARTICLE = "kratom-opioid-withdrawal"
SCHEMA = json.loads((REPO / "docs" / "annotations.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def annotated(corpus_copy, tmp_path, monkeypatch):
    """A corpus copy with three annotations on one article: a note, a highlight, a bookmark."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    article = Library.load(corpus_copy).get(ARTICLE)
    text = article_text(article)
    phrases = [
        "potential side effects like gastrointestinal issues, anxiety, and insomnia",
        "Southeast Asian plant used for opioid withdrawal",
    ]
    quotes = [make_quote(text, text.index(p), text.index(p) + len(p)) for p in phrases]
    store = AnnotationStore.open(tmp_path / "data", corpus_copy)
    store.save_many(
        [
            Annotation(ARTICLE, quotes[0], colour="pink").with_note("Ask about <b>insomnia</b>"),
            Annotation(ARTICLE, quotes[1], colour="green"),
            Annotation(ARTICLE, motivation=BOOKMARKING, section=article.sections[2].anchor),
        ]
    )
    store.close()
    return corpus_copy, phrases


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_highlights_notes_and_bookmarks(capsys, annotated):
    corpus, phrases = annotated
    code, out, err = _run(capsys, "--corpus", str(corpus), "annotations")
    assert code == 0, err
    assert "Kratom for Opioid Withdrawal" in out
    assert "[pink]" in out and "Ask about <b>insomnia</b>" in out and "[bookmark]" in out
    assert "orphaned" not in out


def test_json_list_and_one_article(capsys, annotated):
    corpus, _ = annotated
    code, out, err = _run(
        capsys, "--corpus", str(corpus), "annotations", "--article", ARTICLE, "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] == 3
    assert {item["articleViewer"]["status"] for item in data["annotations"]} == {
        "anchored",
        "bookmark",
    }
    code, out, err = _run(capsys, "--corpus", str(corpus), "annotations", "--article", "nope")
    assert code == 1 and "no article" in err and "Traceback" not in err


def test_an_edited_article_reports_re_anchored_and_orphaned(capsys, annotated):
    corpus, phrases = annotated
    path = corpus / f"{ARTICLE}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("anxiety, and insomnia", "anxiety, and poor sleep")  # a word changed inside
    text = text.replace("Southeast Asian plant used for opioid withdrawal", "shrub")  # passage gone
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "--corpus", str(corpus), "annotations", "--json")
    assert code == 0, err
    status = {
        item["articleViewer"]["colour"]: item["articleViewer"]["status"]
        for item in json.loads(out)["annotations"]
        if item["motivation"] != "bookmarking"
    }
    assert status == {"pink": "re-anchored", "green": "orphaned"}
    code, out, _ = _run(capsys, "--corpus", str(corpus), "annotations")
    assert "orphaned: no longer in the article" in out and phrases[1] in out


def test_export_json_validates_against_the_documented_shape(capsys, annotated, tmp_path):
    corpus, phrases = annotated
    target = tmp_path / "notes.json"
    code, out, err = _run(
        capsys,
        "--corpus",
        str(corpus),
        "annotations",
        "export",
        "--format",
        "json",
        "-o",
        str(target),
    )
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["total"] == 3
    note = next(item for item in data["items"] if "body" in item)
    assert (
        note["body"]["value"] == "Ask about <b>insomnia</b>" and note["motivation"] == "commenting"
    )
    quote = next(s for s in note["target"]["selector"] if s["type"] == "TextQuoteSelector")
    assert quote["exact"] == phrases[0]
    assert note["target"]["source"].startswith("file://") and note["target"]["source"].endswith(
        f"{ARTICLE}.md"
    )


def test_the_schema_rejects_a_broken_export():
    broken = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": "x",
        "total": 1,
        "generator": {"type": "Software", "name": "a", "version": "1"},
        "generated": "2026-01-01T00:00:00Z",
        "items": [
            {
                "id": "urn:uuid:nope",
                "type": "Annotation",
                "motivation": "highlighting",
                "created": "x",
                "modified": "x",
                "target": {"source": "a", "selector": []},
                "articleViewer": {
                    "article": "a",
                    "title": "",
                    "section": "",
                    "colour": "red",
                    "status": "anchored",
                },
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_export_markdown_for_one_article(capsys, annotated, tmp_path):
    corpus, phrases = annotated
    target = tmp_path / "notes.md"
    code, _, err = _run(
        capsys,
        "--corpus",
        str(corpus),
        "annotations",
        "export",
        "--article",
        ARTICLE,
        "-o",
        str(target),
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Annotations of {ARTICLE}")
    assert "## Kratom for Opioid Withdrawal" in text
    assert f"> {phrases[0]}" in text
    assert (
        "Note: Ask about &lt;b\\>insomnia&lt;/b\\>" in text
    )  # article text and notes never become markup
    assert "- Bookmark · section" in text


def test_export_needs_a_known_format_and_writes_nothing_on_error(capsys, annotated, tmp_path):
    corpus, _ = annotated
    code, _, err = _run(
        capsys, "--corpus", str(corpus), "annotations", "export", "-o", str(tmp_path / "a.doc")
    )
    assert code == 1 and "--format" in err
    code, _, err = _run(
        capsys,
        "--corpus",
        str(corpus),
        "annotations",
        "export",
        "--format",
        "md",
        "-o",
        str(tmp_path / "missing" / "a.md"),
    )
    assert code == 1 and "does not exist" in err and len(err.strip().splitlines()) == 1


def test_a_damaged_database_is_one_line_and_kept(capsys, corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / DB_NAME).write_bytes(b"garbage" * 500)
    code, out, err = _run(capsys, "--corpus", str(corpus_copy), "annotations")
    assert code == 1 and "damaged" in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "data" / DB_NAME).read_bytes() == b"garbage" * 500
