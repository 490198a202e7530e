"""The Library: scanning a folder, stable ids, problems instead of crashes, no escaping links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from viewer.core.errors import UnknownArticle, ViewerError
from viewer.core.library import Library

GOOD_TXT = "Summary line.\nIntro text here.\n- Alpha Part\n- Beta Part\nAlpha Part\nA body.\nBeta Part\nB body.\nB more.\nThe end.\n"


def test_bundled_corpus_loads_five_articles_with_topics():
    library = Library.load(Path(__file__).resolve().parent.parent / "corpus")
    assert len(library) == 5 and library.problems == []
    assert {a.id for a in library.articles} == {
        "kratom-opioid-withdrawal",
        "kratom-chronic-pain-dosage",
        "kratom-withdrawal-hair-loss",
        "kratom-detox-hyperpigmentation",
        "kratom-dopamine-withdrawal",
    }
    for article in library.articles:
        assert "Opioid withdrawal" in article.topics
    assert "Dopamine" in library.get("kratom-dopamine-withdrawal").topics
    assert "Hyperpigmentation" in library.get("kratom-detox-hyperpigmentation").topics
    assert "Hair loss" in library.get("kratom-withdrawal-hair-loss").topics


def test_mixed_folder_in_odd_encodings_loads_and_broken_files_become_problems(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "plain.txt").write_text(GOOD_TXT)
    (tmp_path / "sub" / "crlf-bom.txt").write_bytes(
        b"\xef\xbb\xbf" + GOOD_TXT.replace("\n", "\r\n").encode()
    )
    (tmp_path / "sub" / "deeper" / "legacy.txt").write_bytes(
        GOOD_TXT.replace("Intro", "Caf\u00e9").encode("cp1252")
    )
    (tmp_path / "notes.markdown").write_text("---\ntitle: Notes\n---\n## H\n\ntext\n")
    (tmp_path / "broken.md").write_text("---\ntitle: [oops\n---\ntext\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.md").write_text("# hidden\n")
    library = Library.load(tmp_path)
    assert sorted(a.path for a in library.articles) == [
        "notes.markdown",
        "plain.txt",
        "sub/crlf-bom.txt",
        "sub/deeper/legacy.txt",
    ]
    problems = {p.path: p.error for p in library.problems}
    assert set(problems) == {"broken.md", "empty.txt", "image.md", "folder.md"}
    assert "YAML" in problems["broken.md"]
    assert problems["empty.txt"] == "file is empty"
    assert "binary" in problems["image.md"]
    assert "folder" in problems["folder.md"]
    assert all("\n" not in error for error in problems.values())
    legacy = next(a for a in library.articles if a.path.endswith("legacy.txt"))
    assert "decoded as cp1252" in legacy.notes[0]
    assert "Caf\u00e9" in legacy.sections[1].paragraphs[0].text


def test_ids_are_stable_slugs_unique_within_the_corpus(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "Sleep Aids.md").write_text("# One\n\ntext\n")
    (tmp_path / "b" / "sleep-aids.txt").write_text(GOOD_TXT)
    (tmp_path / "-dash \u00e9t\u00e9.md").write_text("# Odd name\n\ntext\n")
    first = sorted(a.id for a in Library.load(tmp_path).articles)
    second = sorted(a.id for a in Library.load(tmp_path).articles)
    assert first == second == ["dash-ete", "sleep-aids", "sleep-aids-2"]


def test_links_out_of_the_corpus_are_not_followed(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\nprivate\n")
    (outside / "folder").mkdir()
    (outside / "folder" / "more.md").write_text("# More\n\nprivate\n")
    (corpus / "inside.md").write_text("# Inside\n\ntext\n")
    os.symlink(outside / "secret.md", corpus / "link.md")
    os.symlink(outside / "folder", corpus / "linked-folder")
    os.symlink(corpus / "inside.md", corpus / "alias.md")  # a link inside the corpus is fine
    library = Library.load(corpus)
    assert sorted(a.path for a in library.articles) == ["alias.md", "inside.md"]
    assert [p.path for p in library.problems] == ["link.md"]
    assert "outside the corpus" in library.problems[0].error


def test_unknown_id_and_missing_folder_are_clear_errors(tmp_path):
    library = Library.load(tmp_path)
    assert len(library) == 0
    with pytest.raises(UnknownArticle, match="no article with id 'nope'"):
        library.get("nope")
    with pytest.raises(ViewerError, match="does not exist"):
        Library.load(tmp_path / "missing")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ViewerError, match="is not a folder"):
        Library.load(tmp_path / "file.txt")


def test_topic_tree_is_topic_then_article_then_sections_of_that_topic():
    library = Library.load(Path(__file__).resolve().parent.parent / "corpus")
    tree = {node.name: node for node in library.topic_tree()}
    assert "Opioid withdrawal" in tree
    neuro = tree["Neurochemistry"]
    assert "Dopamine" in [child.name for child in neuro.children]
    dopamine = next(c for c in neuro.children if c.name == "Dopamine")
    article, anchors = next(
        (a, s) for a, s in dopamine.articles if a.id == "kratom-dopamine-withdrawal"
    )
    assert "does-kratom-increase-dopamine-exploring-the-science" in anchors
    assert all("Dopamine" in article.section(anchor).topics for anchor in anchors)


def test_article_without_front_matter_topics_gets_its_sections_topics(tmp_path):
    (tmp_path / "a.md").write_text(
        "# Coffee\n\n## Dopamine and mood\n\nCaffeine raises dopamine a little.\n"
    )
    article = Library.load(tmp_path).articles[0]
    assert article.topics == ["Dopamine"]
    assert "Dopamine" in article.sections[-1].topics
