"""The safety classifier: labelled-set figures on the five bundled articles, cue explanations,
negation, ignore contexts, unseen articles in both formats, and the CLI fields it fills."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_CORPUS, BUNDLED_IDS, FIXTURES
from viewer.cli import main
from viewer.core.cues import CueMatcher
from viewer.core.errors import ViewerError
from viewer.core.library import Library
from viewer.core.model import Paragraph
from viewer.core.resources import load_toml
from viewer.core.safety import SafetyClassifier, derive_paragraph
from viewer.core.safety_categories import CATEGORY_LABELS
from viewer.core.sentences import split_sentences

LABELS = load_toml(FIXTURES / "safety_labels.toml")


@pytest.fixture(scope="module")
def classifier() -> SafetyClassifier:
    return SafetyClassifier.load()


@pytest.fixture(scope="module")
def bundled() -> Library:
    return Library.load(BUNDLED_CORPUS)


def _figures(pairs: list[tuple[bool, bool]]) -> dict:
    """Precision and recall of (predicted, labelled) pairs, with the counts behind them."""
    tp = sum(1 for p, lab in pairs if p and lab)
    fp = sum(1 for p, lab in pairs if p and not lab)
    fn = sum(1 for p, lab in pairs if lab and not p)
    return {
        "n": len(pairs),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def _labelled_pairs(library: Library):
    sections, paragraphs, disagreements = [], [], []
    for article_id in BUNDLED_IDS:
        article = library.get(article_id)
        labels = LABELS[article_id]
        assert set(labels) == {s.anchor for s in article.sections}, (
            f"labels out of date for {article_id}"
        )
        for section in article.sections:
            label = labels[section.anchor]
            assert len(label["paragraphs"]) == len(section.paragraphs), (
                f"{article_id}#{section.anchor}"
            )
            sections.append((section.safety, label["safety"]))
            if section.safety != label["safety"]:
                disagreements.append(f"section {article_id}#{section.anchor}")
            for index, (paragraph, wanted) in enumerate(
                zip(section.paragraphs, label["paragraphs"])
            ):
                paragraphs.append((paragraph.safety, wanted))
                if paragraph.safety != wanted:
                    disagreements.append(
                        f"paragraph {article_id}#{section.anchor}[{index}] {paragraph.cues}"
                    )
    return sections, paragraphs, disagreements


# --- the labelled set --------------------------------------------------------------------------


def test_labelled_set_precision_and_recall(bundled):
    section_pairs, paragraph_pairs, disagreements = _labelled_pairs(bundled)
    sections, paragraphs = _figures(section_pairs), _figures(paragraph_pairs)
    report = (
        f"sections: precision {sections['precision']:.3f} recall {sections['recall']:.3f} "
        f"({sections['n']} labelled, {sections['tp']} safety found, {sections['fp']} false alarms, "
        f"{sections['fn']} missed); paragraphs: precision {paragraphs['precision']:.3f} recall "
        f"{paragraphs['recall']:.3f} ({paragraphs['n']} labelled, {paragraphs['tp']} found, "
        f"{paragraphs['fp']} false alarms, {paragraphs['fn']} missed); disagreements: {disagreements}"
    )
    print("\nsafety labelled set -", report)
    assert sections["n"] == 30 and paragraphs["n"] == 44, report
    # Section level: no miss and no false alarm. Paragraph level: a reader never misses a warning.
    assert sections["fn"] == 0 and sections["fp"] == 0, report
    assert paragraphs["recall"] == 1.0, report
    assert paragraphs["precision"] >= 0.95, report


def test_raw_txt_seeds_flag_like_the_labels(bundled, seeds_dir):
    """The five seeds in their original .txt layout: same section flags, no warning missed."""
    seeds = Library.load(seeds_dir)
    assert len(seeds) == 5 and seeds.problems == []
    by_source = {a.metadata.get("source"): a.id for a in bundled.articles}
    for seed in seeds.articles:
        labels = LABELS[by_source[Path(seed.path).name]]
        assert {s.anchor: s.safety for s in seed.sections} == {
            a: e["safety"] for a, e in labels.items()
        }
        for section in seed.sections:
            wanted = labels[section.anchor]["paragraphs"]
            assert len(wanted) == len(section.paragraphs)
            assert all(p.safety for p, flag in zip(section.paragraphs, wanted) if flag), (
                section.anchor
            )


def test_labelled_set_has_both_kinds_of_sections():
    flags = [entry["safety"] for article_id in BUNDLED_IDS for entry in LABELS[article_id].values()]
    assert any(flags) and not all(flags)


@pytest.mark.parametrize("article_id", BUNDLED_IDS)
def test_section_and_paragraph_flags_match_the_labels(bundled, article_id):
    article = bundled.get(article_id)
    got = {s.anchor: (s.safety, [p.safety for p in s.paragraphs]) for s in article.sections}
    wanted = {
        anchor: (entry["safety"], entry["paragraphs"])
        for anchor, entry in LABELS[article_id].items()
    }
    section_flags = {anchor: flags[0] for anchor, flags in got.items()}
    assert section_flags == {anchor: flags[0] for anchor, flags in wanted.items()}
    missed = [
        (anchor, i)
        for anchor, (_, paras) in wanted.items()
        for i, flag in enumerate(paras)
        if flag and not got[anchor][1][i]
    ]
    assert missed == []


def _flags(classifier, text: str) -> tuple[list[str], list[str]]:
    """(categories, cues) of a paragraph of plain text, as the paragraph derives them."""
    paragraph = Paragraph(text)
    paragraph.sentences = classifier.classify_paragraph(text)
    derive_paragraph(paragraph)
    return paragraph.categories, paragraph.cues


def test_a_closing_consult_sentence_makes_a_safety_section_and_the_reassurance_stays_unmarked(
    bundled,
):
    section = bundled.get("kratom-chronic-pain-dosage").section(
        "the-science-behind-kratom-and-its-impact-on-opioid"
    )
    assert section.safety
    reassurance, closing = section.paragraphs
    assert not reassurance.safety  # "without the same level of sedation or risk of dependence"
    negated = [
        s
        for s in reassurance.sentences
        if any(e.startswith("negated: 'dependence'") for e in s.evidence)
    ]
    assert negated and not negated[0].safety and "by 'without'" in negated[0].evidence[-1]
    assert closing.safety and "medical-supervision" in closing.categories
    assert "legal-status" in closing.categories and "controlled substance" in closing.cues


def test_hair_loss_as_a_side_effect_of_withdrawal_is_not_a_warning(bundled):
    section = bundled.get("kratom-withdrawal-hair-loss").section(
        "mechanisms-behind-kratoms-efficacy-in-withdrawal"
    )
    assert (
        "a side effect sometimes associated with opioid withdrawal" in section.paragraphs[1].plain
    )
    assert not section.safety and not any(p.safety for p in section.paragraphs)


def test_safety_sections_carry_the_categories_of_their_paragraphs(bundled):
    for article in bundled.articles:
        assert article.safety_sections, article.id
        for section in article.sections:
            assert set(section.categories) <= set(CATEGORY_LABELS)
            marked = {c for p in section.paragraphs for c in p.categories}
            assert set(section.categories) == marked, section.anchor
            assert section.safety == any(p.safety for p in section.paragraphs)
            for paragraph in section.paragraphs:
                assert paragraph.safety == bool(paragraph.categories) == bool(paragraph.cues)
                assert paragraph.safety == any(s.safety for s in paragraph.sentences)
                for sentence in paragraph.sentences:
                    assert paragraph.plain[sentence.start : sentence.end] == sentence.text


def test_a_heading_alone_does_not_make_a_safety_section(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Vitamin D\n---\n\n## Dose and Safety\n\n"
        "Vitamin D is made in the skin in sunlight.\n",
        encoding="utf-8",
    )
    section = Library.load(tmp_path).articles[0].section("dose-and-safety")
    assert section is not None and not section.safety and section.categories == []


# --- cues, negation, stems ------------------------------------------------------------------


def test_cues_explain_why_a_paragraph_was_marked(bundled, classifier):
    paragraph = (
        bundled.get("kratom-opioid-withdrawal")
        .section("safe-and-effective-use-of-kratom-for-opioid-withdrawal")
        .paragraphs[1]
    )
    assert {"nausea", "heart disease", "other medications"} <= set(paragraph.cues)
    assert {"side-effects", "interactions", "dosage", "dependence", "medical-supervision"} <= set(
        paragraph.categories
    )
    categories, cues = _flags(classifier, "Do not exceed 400 mg of caffeine a day.")
    assert "dosage" in categories and "do not exceed" in cues
    sentence = classifier.classify_sentence("Do not exceed 400 mg of caffeine a day.")
    assert (
        "cue: 'Do not exceed' (dosage, caution)" in sentence.evidence
        and "negated: no" in sentence.evidence
    )


def test_negated_cues_do_not_flag(classifier):
    assert _flags(
        classifier, "In the trial, the supplement was not linked to any side effects."
    ) == ([], [])
    assert _flags(classifier, "There is no evidence of serious side effects at usual intakes.") == (
        [],
        [],
    )
    assert _flags(
        classifier, "It eases pain without the risk of dependence seen with opioids."
    ) == ([], [])


def test_negation_stops_at_the_clause_and_at_double_negatives(classifier):
    categories, cues = _flags(classifier, "Kratom usage is not without potential side effects.")
    assert categories == ["side-effects"] and "side effects" in cues
    categories, cues = _flags(
        classifier, "It was not linked to liver damage, but it can cause nausea in some people."
    )
    assert categories == ["side-effects"] and "liver damage" not in cues and "nausea" in cues
    categories, _ = _flags(
        classifier,
        "Mixing it with other medications without professional guidance can be dangerous.",
    )
    assert "side-effects" in categories and "interactions" in categories


def test_stems_and_hyphens_match(classifier):
    for text, category in [
        ("Some batches were adulterated.", "product-quality"),
        ("Adulteration is a known problem.", "product-quality"),
        ("Report any side-effects.", "side-effects"),
        ("Consulting a pharmacist helps.", "medical-supervision"),
        ("It can be habit forming.", "dependence"),
        ("Its legal status varies.", "legal-status"),
    ]:
        assert category in _flags(classifier, text)[0], text


def test_ignore_contexts_keep_the_condition_apart_from_the_warning(classifier):
    assert _flags(classifier, "Kratom interacts with the brain's opioid receptors.") == ([], [])
    assert _flags(classifier, "It may help people overcome opioid dependence.") == ([], [])
    assert _flags(classifier, "Melatonin may interact with blood thinners.")[0] == ["interactions"]


def test_sentences_split_on_ends_not_on_abbreviations():
    text = "Take it with food, e.g. at breakfast. Do not drive.\nStop if dizzy!"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Take it with food, e.g. at breakfast.",
        "Do not drive.",
        "Stop if dizzy!",
    ]


def test_a_sentence_wrapped_over_a_line_break_stays_one_sentence(classifier):
    # Markdown paragraphs are often wrapped; a single newline inside one is a space.
    text = "Do not take it with\nalcohol or sleeping tablets. Most people feel\nno effect at all."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Do not take it with\nalcohol or sleeping tablets.",
        "Most people feel\nno effect at all.",
    ]
    sentences = classifier.classify_paragraph(text)
    assert [s.safety for s in sentences] == [True, False]
    assert "alcohol" in sentences[0].text


def test_list_items_and_blank_lines_still_end_sentences():
    # Plain text has lost the list markers; a new line that starts like a sentence is one.
    text = "Nausea\nHeadache\nUpset stomach:\nsee a doctor\n\nand rest"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Nausea",
        "Headache",
        "Upset stomach:",
        "see a doctor",
        "and rest",
    ]


def test_cue_gaps_and_inner_wildcards_keep_existing_matching():
    matcher = CueMatcher(
        ["side effect", "dermatolog*", "ask ... doctor", "dependenc* associated with opioid*"]
    )
    assert matcher.matched("Side-effects were rare") == ["side effect"]
    assert matcher.matched("dermatologists agree") == ["dermatolog*"]
    assert matcher.matched("Ask your family doctor first") == ["ask ... doctor"]
    assert matcher.matched("Ask questions. A doctor answers.") == []
    assert matcher.matched("dependencies associated with opioid cessation") == [
        "dependenc* associated with opioid*"
    ]


# --- the cue file ---------------------------------------------------------------------------


def test_cue_file_categories_are_the_shared_category_ids():
    data = load_toml(Path(__file__).resolve().parent.parent / "resources" / "safety.toml")
    assert set(data["category"]) == set(CATEGORY_LABELS)
    assert all(entry["cues"] for entry in data["category"].values())


def test_a_user_can_extend_the_cues(tmp_path):
    path = tmp_path / "safety.toml"
    path.write_text('[category.dosage]\ncues = ["spoonful"]\n', encoding="utf-8")
    classifier = SafetyClassifier.load(path)
    assert _flags(classifier, "Never more than one spoonful.") == (["dosage"], ["spoonful"])


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("[category.dosage\n", "not valid TOML"),
        ("[section]\nmin_share = 0.4\n", "no [category.*]"),
        ('[category.dosage]\ncues = "dose"\n', "needs a list of words"),
    ],
)
def test_a_broken_cue_file_is_one_readable_error(tmp_path, content, fragment):
    path = tmp_path / "safety.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ViewerError, match="safety cue file") as caught:
        SafetyClassifier.load(path)
    assert fragment in str(caught.value) and str(path) in str(caught.value)


# --- the CLI shows the classifier's results ---------------------------------------------------


def _run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_list_json_counts_safety_sections_for_every_bundled_article(capsys, bundled):
    data = _run_json(capsys, "list", "--json")
    counts = {a["id"]: a["safety_sections"] for a in data["articles"]}
    assert set(counts) == set(BUNDLED_IDS)
    for article_id, count in counts.items():
        labelled = sum(1 for entry in LABELS[article_id].values() if entry["safety"])
        assert count == labelled > 0, article_id


def test_show_json_has_categories_and_cues_for_safety_passages(capsys):
    data = _run_json(capsys, "show", "kratom-dopamine-withdrawal", "--json")
    sections = {s["anchor"]: s for s in data["sections"]}
    safe_use = sections["safe-use-and-considerations-for-kratom-in-withdrawl"]
    assert safe_use["safety"] and {"dosage", "medical-supervision"} <= set(safe_use["categories"])
    advice = safe_use["paragraphs"][1]
    assert (
        advice["safety"] and "start with low" in advice["cues"] and "dosage" in advice["categories"]
    )
    start_low = next(
        s
        for s in advice["sentences"]
        if s["text"].startswith("It is crucial to start with low doses")
    )
    assert (
        start_low["safety"]
        and start_low["severity"] == "caution"
        and "dosage" in start_low["categories"]
    )
    assert "cue: 'start with low' (dosage, caution)" in start_low["evidence"]
    for section in data["sections"]:
        assert section["safety"] == bool(section["categories"])
    assert not sections["does-kratom-increase-dopamine-exploring-the-science"]["safety"]
