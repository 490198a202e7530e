"""The plain-text loader on the seed layout and on the odd files users actually have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from viewer.core.decode import decode_article_bytes
from viewer.core.errors import ArticleError
from viewer.core.library import read_article
from viewer.core.txt_loader import load_txt, looks_like_heading

SEED_OUTLINES = {
    "000_6cd72b71dfe4cf61.txt": [
        "What is Kratom and How Does it Work for Opioid Withdrawal?",
        "Potential Benefits and Side Effects of Using Kratom for Withdrawl",
        "Safe and Effective Use of Kratom for Opioid Withdrawal Symptoms",
    ],
    "001_53af46e0bafb944c.txt": [
        "Understanding Kratom's Role in Managing Opioid Withdrawal Symptoms",
        "Navigating Safe and Effective Dosage of Kratom for Chronic Pain Relief",
        "The Science Behind Kratom and Its Impact on Opioid Withdrawal Symptoms and Chronic Pain Management",
    ],
    "002_d39550b56c11c95b.txt": [
        "Understanding Kratom: A Natural Alternative",
        "Mechanisms Behind Kratom's Efficacy in Withdrawal",
        "Managing Opioid Withdrawal with Kratom: Potential Risks and Hair Loss",
    ],
    "003_e3c51f6344bccb7e.txt": [
        "Understanding Kratom's Role in Mitigating Opioid Withdrawal Symptoms",
        "Exploring the Science Behind Kratom and Its Impact on Hyperpigmentation",
        "Safe Kratom Use for Opioid Detox: Dosage, Sources, and Precautions",
    ],
    "004_960f16e241099e67.txt": [
        "Understanding Opioid Withdrawal and Kratom's Role",
        "Does Kratom Increase Dopamine? Exploring the Science",
        "Safe Use and Considerations for Kratom in Withdrawl",
    ],
}


def model_units(article) -> list[str]:
    """Everything the model keeps of a file, in reading order."""
    units = []
    for section in article.sections:
        if section.kind == "section":
            units.append(section.heading)
        units.extend(p.text for p in section.paragraphs)
    return units


def _unquote(line: str) -> str:
    return line.strip().strip("\u201c\u201d")


@pytest.mark.parametrize("name", sorted(SEED_OUTLINES))
def test_seed_has_summary_intro_three_outlined_sections_and_conclusion(seeds_dir, name):
    article = read_article(seeds_dir / name, "seed")
    kinds = [s.kind for s in article.sections]
    assert kinds == ["summary", "intro", "section", "section", "section", "conclusion"]
    assert [s.heading for s in article.sections if s.kind == "section"] == SEED_OUTLINES[name]
    assert article.outline == SEED_OUTLINES[name]
    assert all(s.paragraphs for s in article.sections)
    assert len(article.sections[0].paragraphs) == 1  # the summary is the first line only
    assert len(article.sections[-1].paragraphs) == 1  # the conclusion is the last paragraph only


@pytest.mark.parametrize("name", sorted(SEED_OUTLINES))
def test_no_paragraph_of_a_seed_is_lost_and_order_is_kept(seeds_dir, name):
    raw = (seeds_dir / name).read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    body = [line for line in lines if not line.startswith("- ")]  # the outline is the headings
    article = read_article(seeds_dir / name, "seed")
    assert [_unquote(u) for u in model_units(article)] == [_unquote(line) for line in body]


def test_intro_wrapped_in_curly_quotes_loses_the_quotes_not_the_text(seeds_dir):
    article = read_article(seeds_dir / "002_d39550b56c11c95b.txt", "seed")
    intro = article.sections[1]
    assert intro.kind == "intro" and len(intro.paragraphs) == 2
    assert intro.paragraphs[0].text.startswith("Exploring Kratom as a Potential Solution")
    assert intro.paragraphs[-1].text.endswith("on this growing trend.")
    assert "\u201c" not in intro.paragraphs[0].text and "\u201d" not in intro.paragraphs[-1].text


def test_the_seed_typo_withdrawl_is_kept_as_written(seeds_dir):
    article = read_article(seeds_dir / "004_960f16e241099e67.txt", "seed")
    assert article.sections[4].heading == "Safe Use and Considerations for Kratom in Withdrawl"


SAMPLE = (
    "A short summary line about sleep.\n"
    "The intro paragraph explains the topic.\n"
    "- First Part\n- Second Part\n"
    "First Part\nBody of the first part.\n"
    "Second Part\nBody of the second part.\nMore of the second part.\n"
    "The conclusion wraps it up.\n"
)


def _write(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _structure(article):
    return [(s.kind, s.heading, [p.text for p in s.paragraphs]) for s in article.sections]


def test_crlf_bom_and_trailing_spaces_load_like_the_clean_file(tmp_path):
    clean = read_article(_write(tmp_path, SAMPLE.encode(), "clean.txt"), "x")
    messy_text = "\ufeff" + SAMPLE.replace("\n", "   \r\n")
    messy = read_article(_write(tmp_path, messy_text.encode("utf-8"), "messy.txt"), "x")
    assert _structure(messy) == _structure(clean)
    assert [s.heading for s in clean.sections if s.kind == "section"] == [
        "First Part",
        "Second Part",
    ]
    assert messy.notes == []


def test_cp1252_file_is_decoded_and_the_fallback_is_reported(tmp_path):
    text = SAMPLE.replace("intro paragraph", "caf\u00e9 \u2019intro\u2019 paragraph")
    article = read_article(_write(tmp_path, text.encode("cp1252")), "x")
    assert "caf\u00e9 \u2019intro\u2019 paragraph" in article.sections[1].paragraphs[0].text
    assert article.notes == ["not valid UTF-8; decoded as cp1252"]


def test_utf16_with_bom_is_read(tmp_path):
    article = read_article(_write(tmp_path, SAMPLE.encode("utf-16")), "x")
    assert article.sections[-1].paragraphs[0].text == "The conclusion wraps it up."


def test_file_without_outline_uses_short_standalone_title_lines_as_headings(tmp_path):
    # Chosen rule: with no "- " outline, a short title-like line (<= 14 words, capitalised, no
    # sentence-ending period) followed by body text is a heading; text before the first heading is
    # the intro. Nothing marks a summary or conclusion, so there are none.
    text = (
        "Caffeine is a stimulant found in coffee and tea.\n\n"
        "How Caffeine Works\n\nIt blocks adenosine receptors in the brain.\n\n"
        "Safe Amounts\n\nMost adults can take up to 400 mg a day.\nSome people are more sensitive.\n"
    )
    article = read_article(_write(tmp_path, text.encode()), "x")
    assert _structure(article) == [
        ("intro", "Introduction", ["Caffeine is a stimulant found in coffee and tea."]),
        ("section", "How Caffeine Works", ["It blocks adenosine receptors in the brain."]),
        (
            "section",
            "Safe Amounts",
            ["Most adults can take up to 400 mg a day. Some people are more sensitive."],
        ),
    ]


def test_an_outline_item_in_sentence_case_heads_its_block(tmp_path):
    # Each outline item comes back as a heading line above its paragraph, with no blank line
    # between; in sentence case ("Posting it back") it is still that heading, not a sentence
    # run into the paragraph.
    text = (
        "A leaflet about a home test.\n\nWhy screening matters.\n\n"
        "- Before you start\n- Posting it back\n\n"
        "Before you start\nRead the instructions first.\n\n"
        "Posting it back\nPost it within a day.\n\n"
        "The test takes a few minutes.\n\nCall the helpline with questions.\n"
    )
    article = read_article(_write(tmp_path, text.encode()), "x")
    assert [(s.heading, [p.text for p in s.paragraphs]) for s in article.sections[2:4]] == [
        ("Before you start", ["Read the instructions first."]),
        ("Posting it back", ["Post it within a day.", "The test takes a few minutes."]),
    ]


def test_heading_heuristic():
    assert looks_like_heading("Safe Use and Considerations")
    assert looks_like_heading("Does Kratom Increase Dopamine? Exploring the Science")
    assert not looks_like_heading("This is a sentence that ends with a period.")
    assert not looks_like_heading("lower case start of something")
    assert not looks_like_heading(" ".join(["Word"] * 20))


def test_derived_title_for_a_txt_article(seeds_dir):
    article = read_article(seeds_dir / "002_d39550b56c11c95b.txt", "seed")
    assert (
        article.title
        == "Exploring Kratom as a Potential Solution for Opioid Withdrawal: A Comprehensive Guide"
    )
    plain = load_txt(
        "Just one paragraph of text without any structure at all, really.",
        Path("my_notes.txt"),
        "x",
    )
    assert plain.title == "My notes"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "file is empty"),
        (b"   \n\n  \r\n", "file is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary file"),
    ],
)
def test_unreadable_files_raise_a_one_line_reason(tmp_path, data, reason):
    with pytest.raises(ArticleError) as info:
        read_article(_write(tmp_path, data), "x")
    assert reason in str(info.value) and "\n" not in str(info.value)


def test_decode_rejects_oversized_files():
    from viewer.core.decode import MAX_ARTICLE_BYTES

    with pytest.raises(ArticleError, match="larger than"):
        decode_article_bytes(b"a" * (MAX_ARTICLE_BYTES + 1))


def test_words_are_counted_from_plain_text(seeds_dir):
    article = read_article(seeds_dir / "000_6cd72b71dfe4cf61.txt", "seed")
    raw = (seeds_dir / "000_6cd72b71dfe4cf61.txt").read_text(encoding="utf-8")
    outline_words = sum(len(item.split()) for item in article.outline)
    headings = sum(len(s.heading.split()) for s in article.sections if s.kind == "section")
    assert article.words == len(re.sub(r"^- .*$", "", raw, flags=re.M).split()) - headings
    assert outline_words == headings
