"""The safety development set is sound: it loads, and every label points at real text.

Figures on the set (precision, recall) are only worth something if each labelled sentence is
a sentence the reader sees, once, with a valid severity and categories; these tests keep the
set honest as articles are added (the dev split is checked the same way).
"""

from __future__ import annotations

import pytest

from tests.safety_dev import (
    DEV_SET,
    SEEDS_LABELS,
    STYLES,
    LabelledArticle,
    load_seeds,
    load_split,
    normalise,
    read_labels,
    split_folders,
)
from viewer.core.safety_categories import CATEGORY_LABELS, SEVERITIES

SPLIT_NAMES = [folder.name for folder in split_folders()]
ARTICLE_SUFFIXES = (".md", ".txt")


def _loaded(split: str) -> dict[str, LabelledArticle]:
    # The text only: the set is checked independently of the classifier it measures.
    return load_seeds(annotators=[]) if split == "seeds" else load_split(split, annotators=[])


@pytest.fixture(scope="module", params=SPLIT_NAMES + ["seeds"])
def labelled(request) -> tuple[str, dict[str, LabelledArticle]]:
    return request.param, _loaded(request.param)


def test_the_tune_split_and_the_seed_labels_exist():
    assert "tune" in SPLIT_NAMES
    assert SEEDS_LABELS.is_file()
    assert (DEV_SET / "GUIDE.md").is_file()


@pytest.mark.parametrize("split", SPLIT_NAMES)
def test_every_article_file_loads_without_problems_and_has_labels(split):
    from viewer.core.library import Library

    folder = DEV_SET / split
    files = sorted(p for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES)
    library = Library.load(folder, annotators=[])
    assert library.problems == []
    assert len(library) == len(files)
    assert all(not article.notes for article in library.articles)
    # Label keys are the file names without extension, and they are the article ids.
    assert (
        set(read_labels(folder / "labels.toml"))
        == {p.stem for p in files}
        == {a.id for a in library.articles}
    )


@pytest.mark.parametrize("split", SPLIT_NAMES)
def test_each_split_has_both_formats_both_styles_and_control_articles(split):
    folder = DEV_SET / split
    assert {p.suffix for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES} == set(
        ARTICLE_SUFFIXES
    )
    items = load_split(split, annotators=[]).values()
    assert {item.style for item in items} == set(STYLES)
    assert any(item.control for item in items)
    assert any(not item.control for item in items)


def test_the_seed_labels_cover_every_bundled_article(labelled):
    split, items = labelled
    if split == "seeds":
        assert set(read_labels(SEEDS_LABELS)) == set(items)


def test_every_labelled_sentence_occurs_exactly_once_in_the_article_text(labelled):
    split, items = labelled
    for item in items.values():
        texts = [w.text for w in item.warnings] + item.not_warnings
        for text in texts:
            assert len(item.locate(text)) == 1, (
                f"{split}/{item.id}: found {len(item.locate(text))} times: {text!r}"
            )
        assert len({normalise(t) for t in texts}) == len(texts), (
            f"{split}/{item.id}: a sentence is labelled twice"
        )


def test_labelled_sentences_are_whole_sentences_without_markup(labelled):
    split, items = labelled
    for item in items.values():
        for text in [w.text for w in item.warnings] + item.not_warnings:
            # A table cell is whole without a full stop: its edge ("|") ends it (holdout16's
            # side-effect table: "Vivid dreams or poor sleep: ask about taking it in the morning").
            # So is a list item without one ("- Not habit-forming, and you can stop at any
            # time", holdout17): a list is one paragraph, an item a line of it.
            cell = all(
                paragraph.plain[end:].lstrip().startswith("|")
                or paragraph.plain[end : end + 1] in ("", "\n")
                for paragraph, _, end in item.locate(text)
            )
            assert text == text.strip() and (text[-1] in ".!?" or cell), (
                f"{split}/{item.id}: not a whole sentence: {text!r}"
            )
            assert "*" not in text and "`" not in text and "](" not in text, (
                f"{split}/{item.id}: {text!r}"
            )


def test_severities_and_categories_are_the_ones_the_app_knows(labelled):
    split, items = labelled
    for item in items.values():
        for warning in item.warnings:
            assert warning.severity in SEVERITIES, f"{split}/{item.id}: {warning}"
            assert warning.categories, f"{split}/{item.id}: no category: {warning.text!r}"
            assert set(warning.categories) <= set(CATEGORY_LABELS), f"{split}/{item.id}: {warning}"


def test_control_articles_have_no_warnings_and_health_articles_have_some(labelled):
    split, items = labelled
    for item in items.values():
        assert item.topic, f"{split}/{item.id}: no topic"
        assert item.control == (item.topic == "control"), f"{split}/{item.id}"
        if item.control:
            assert item.warnings == [], f"{split}/{item.id}: a control article with warnings"
        else:
            assert item.warnings, f"{split}/{item.id}: a health article without a labelled warning"
        if split != "seeds":
            assert item.style in STYLES, f"{split}/{item.id}: style {item.style!r}"


def test_the_loader_finds_labelled_sections_and_shares(labelled):
    split, items = labelled
    for item in items.values():
        sections = item.warning_sections()
        assert sections <= {s.anchor for s in item.article.sections}
        assert bool(sections) == bool(item.warnings)
        assert 0.0 <= item.labelled_share() < 1.0


def test_labelled_sentences_start_and_end_on_sentence_boundaries(labelled):
    """A label is a whole sentence of the article, not a piece of one: the text before it ends
    a sentence (or the paragraph starts there) and a space or the paragraph end follows it. In a
    table a cell edge ("|") bounds a sentence too: a cell is read with its row."""
    split, items = labelled
    for item in items.values():
        for text in [w.text for w in item.warnings] + item.not_warnings:
            for paragraph, start, end in item.locate(text):
                before = paragraph.plain[:start].rstrip(" \t")
                assert not before or before[-1] in '.!?\u201d"|\n', (
                    f"{split}/{item.id}: starts mid-sentence: {text!r}"
                )
                # A quoted sentence ends before its closing quote ('... real though!" - Helen',
                # holdout17's review): the quote mark closes the quotation, not the sentence.
                assert (
                    end == len(paragraph.plain)
                    or paragraph.plain[end].isspace()
                    or paragraph.plain[end] in '|"\u201d\u2019)'
                ), f"{split}/{item.id}: {text!r}"
