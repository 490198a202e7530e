"""The reader's pure-Python logic, headless: history, reading position, result grouping,
safety passages, link meaning and settings validation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from viewer.core.library import Library
from viewer.core.model import Article, Paragraph, Section
from viewer.ui import reading_position as rp
from viewer.ui.history import History, Place
from viewer.ui.links import ANCHOR, ARTICLE, EXTERNAL, REFUSED, classify_link
from viewer.ui.safety_passages import UNCATEGORISED, excerpt, group_passages, safety_tooltip
from viewer.ui.search_results import (
    SafetyFiltered,
    correction_line,
    filtered_line,
    group_hits,
    summary_line,
)

# -- history -------------------------------------------------------------------------------------


def test_back_and_forward_return_to_the_places_visited_with_their_scroll_offsets():
    history = History()
    history.visit(Place("a"))
    history.update_scroll(300)
    history.visit(Place("b", "risks"))
    assert history.can_go_back() and not history.can_go_forward()
    assert history.back() == Place("a", "", 300)
    assert history.can_go_forward()
    assert history.forward() == Place("b", "risks", 0)


def test_visiting_a_new_place_after_going_back_drops_the_forward_places():
    history = History()
    for name in "abc":
        history.visit(Place(name))
    history.back()
    history.back()
    history.visit(Place("d"))
    assert not history.can_go_forward()
    assert [history.back().article_id, history.back()] == ["a", None]


def test_revisiting_the_same_spot_does_not_grow_the_history():
    history = History()
    history.visit(Place("a", "x", 10))
    history.visit(Place("a", "x", 50))
    assert len(history) == 1 and history.current.scroll == 50


def test_history_keeps_a_bounded_number_of_places():
    history = History(limit=5)
    for n in range(20):
        history.visit(Place(str(n)))
    assert len(history) == 5 and history.current.article_id == "19"


def test_forgetting_a_removed_article_keeps_the_rest():
    history = History()
    for name in ("a", "gone", "b"):
        history.visit(Place(name))
    history.forget_article("gone")
    assert history.current.article_id == "b"
    assert history.back().article_id == "a"


# -- reading position ----------------------------------------------------------------------------

TOPS = [0, 400, 900, 1500]


@pytest.mark.parametrize("scroll, expected", [(0, 0), (200, 0), (300, 1), (850, 2), (1400, 3)])
def test_the_section_on_screen_is_the_last_heading_reached(scroll, expected):
    assert rp.current_section(TOPS, scroll, viewport=400, maximum=3000) == expected


def test_at_the_end_of_the_document_the_last_visible_heading_is_current():
    assert rp.current_section([0, 400, 900, 1000], 700, viewport=400, maximum=700) == 3
    assert rp.current_section([], 0, 400, 0) == -1


def test_next_and_previous_section():
    assert rp.next_section(TOPS, 1) == 2
    assert rp.next_section(TOPS, 3) is None
    assert rp.previous_section(TOPS, 2, scroll=900) == 1
    assert rp.previous_section(TOPS, 2, scroll=1000) == 2  # inside a section: back to its start
    assert rp.previous_section(TOPS, 0, scroll=0) is None


def test_scroll_fraction_round_trips_and_is_clamped():
    assert rp.scroll_value(rp.scroll_fraction(250, 1000), 1000) == 250
    assert rp.scroll_fraction(5, 0) == 0.0
    assert rp.scroll_value(2.0, 800) == 800


def test_side_margins_keep_lines_near_seventy_characters():
    assert rp.side_margin(1000, char_width=8) == (1000 - 560) / 2
    assert rp.side_margin(300, char_width=8) == rp.MIN_SIDE_MARGIN


# -- search results ------------------------------------------------------------------------------


@dataclass
class Hit:
    article: str
    title: str
    section: str
    safety: bool = False


def test_hits_are_grouped_by_article_in_the_order_of_their_best_hit():
    hits = [Hit("b", "B", "s1"), Hit("a", "A", "s2", True), Hit("b", "B", "s3")]
    groups = group_hits(hits)
    assert [(g.article_id, [h.section for h in g.hits]) for g in groups] == [
        ("b", ["s1", "s3"]),
        ("a", ["s2"]),
    ]
    assert groups[1].safety_hits == 1


def test_summary_lines_say_what_was_found():
    assert summary_line("dose", 3, 3, 2) == "3 results in 2 articles."
    assert summary_line("dose", 1, 1, 1, safety_only=True) == "1 safety result in 1 article."
    assert "showing the best 50" in summary_line("kratom", 80, 50, 5)
    assert summary_line("zzz", 0, 0, 0).startswith("No results for “zzz”.")
    assert "Still indexing" in summary_line("", 0, 0, 0, indexing=True)
    assert "Type to search" in summary_line("  ", 0, 0, 0)


def test_a_safety_list_filtered_by_the_verdicts_says_what_is_not_checked_yet():
    safe = [Hit("a", "A", "Dosage", True), Hit("a", "A", "Side effects", True)]
    unchecked = [Hit("b", "B", "Background"), Hit("c", "C", "Dosage"), Hit("c", "C", "Intro")]
    line = filtered_line("kratom", SafetyFiltered(safe, unchecked), still=7)
    assert line == (
        "2 safety results in 1 article; listed too (“checking safety…”): 3 matches in 2 articles"
        " not checked for safety passages yet. Still checking: 7 articles are not checked yet;"
        " this list follows as they are."
    )
    # Nothing found among the articles checked: never a plain "no safety passages".
    line = filtered_line("kratom", SafetyFiltered([], unchecked[:1]), still=1)
    assert line.startswith("No safety passages for “kratom” in the articles checked so far;")
    assert line.endswith(
        "Still checking: 1 article is not checked yet; this list follows as they are."
    )
    # Every article checked, the index not yet marked: the best matches were looked at.
    line = filtered_line("kratom", SafetyFiltered(safe, []), still=0, looked_at=200)
    assert line == (
        "2 safety results in 1 article among the best 200 matches. The search index is taking"
        " the safety marks; this list follows when it has."
    )


def test_a_corrected_query_says_what_was_searched_instead():
    assert (
        correction_line("withdrawl", "withdrawal")
        == "Showing results for “withdrawal” (searched instead of “withdrawl”)."
    )
    assert correction_line("dose", None) == ""
    assert correction_line("Dose", "dose") == ""


# -- safety passages -----------------------------------------------------------------------------


def _article() -> Article:
    mechanisms = Section(
        "how",
        "How it works",
        2,
        "section",
        [
            Paragraph("Binds receptors."),
            Paragraph(
                "Consult your doctor first.",
                safety=True,
                categories=["medical-supervision"],
                cues=["consult your doctor"],
            ),
        ],
    )
    risks = Section(
        "risks",
        "Risks",
        2,
        "section",
        [
            Paragraph(
                "Nausea and constipation.", safety=True, categories=["side-effects", "dosage"]
            ),
        ],
        safety=True,
        categories=["side-effects", "dosage"],
    )
    legal = Section(
        "legal",
        "Legal status",
        2,
        "section",
        [Paragraph("Banned in some places.")],
        safety=True,
        categories=["legal-status"],
    )
    odd = Section("odd", "Odd", 2, "section", [Paragraph("Flagged, no category.", safety=True)])
    return Article("a", "Article A", "a.md", "md", [mechanisms, risks, legal, odd])


def test_every_safety_passage_is_listed_under_each_of_its_categories():
    groups = {g.category: g for g in group_passages([_article()])}
    assert list(groups) == [
        "side-effects",
        "dosage",
        "medical-supervision",
        "legal-status",
        UNCATEGORISED,
    ]
    assert groups["side-effects"].label == "Side effects"
    assert [p.anchor for p in groups["dosage"].passages] == ["risks"]
    lone = groups["medical-supervision"].passages[0]
    assert (lone.anchor, lone.paragraph, lone.cues) == ("how", 1, ("consult your doctor",))
    # A safety section without flagged paragraphs still appears, as a whole section.
    assert groups["legal-status"].passages[0].paragraph == -1


def test_passage_excerpts_are_cut_at_a_word():
    text = "word " * 100
    cut = excerpt(text, 40)
    assert cut.endswith("…") and len(cut) <= 41 and "  " not in cut
    assert safety_tooltip(["dosage"]) == "Safety: Dosage caution"


def test_the_bundled_collection_has_safety_passages_in_several_categories(corpus_copy):
    groups = group_passages(Library.load(corpus_copy).articles)
    assert len(groups) >= 3
    assert all(p.article_title for g in groups for p in g.passages)


# -- links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href, kind, target, anchor",
    [
        ("#risks", ANCHOR, "", "risks"),
        (
            "article:kratom-opioid-withdrawal#conclusion",
            ARTICLE,
            "kratom-opioid-withdrawal",
            "conclusion",
        ),
        ("article:other", ARTICLE, "other", ""),
        ("Other%20Article.md#x", ARTICLE, "other-article", "x"),
        ("https://example.org/a", EXTERNAL, "https://example.org/a", ""),
        ("mailto:someone@example.org", EXTERNAL, "mailto:someone@example.org", ""),
        ("file:///etc/passwd", REFUSED, "file:///etc/passwd", ""),
        ("javascript:alert(1)", REFUSED, "javascript:alert(1)", ""),
        ("", REFUSED, "", ""),
    ],
)
def test_what_a_link_means(href, kind, target, anchor):
    link = classify_link(href)
    assert (link.kind, link.target, link.anchor) == (kind, target, anchor)


# -- settings ------------------------------------------------------------------------------------


def test_settings_round_trip_and_garbage_falls_back_to_defaults(tmp_path, caplog):
    from PySide6.QtCore import QByteArray, QSettings

    from viewer.ui.settings import ReaderSettings, read_settings, save_settings, zoom_step

    path = str(tmp_path / "s.ini")
    saved = ReaderSettings(
        theme="dark",
        zoom=130,
        font_family="DejaVu Sans",
        article="a",
        anchor="x",
        scroll=0.25,
        find_case=True,
        safety_only=True,
        geometry=QByteArray(b"\x01\x02"),
    )
    save_settings(QSettings(path, QSettings.Format.IniFormat), saved)
    loaded = read_settings(QSettings(path, QSettings.Format.IniFormat))
    assert (loaded.theme, loaded.zoom, loaded.font_family, loaded.article, loaded.scroll) == (
        "dark",
        130,
        "DejaVu Sans",
        "a",
        0.25,
    )
    assert loaded.find_case is True and loaded.safety_only is True
    assert bytes(loaded.geometry) == b"\x01\x02"

    (tmp_path / "bad.ini").write_text(
        "[reader]\ntheme=purple\nzoom_percent=9000\n"
        "[session]\nscroll_fraction=banana\n[search]\nsafety_only=maybe\n"
    )
    with caplog.at_level("WARNING"):
        bad = read_settings(QSettings(str(tmp_path / "bad.ini"), QSettings.Format.IniFormat))
    assert (bad.theme, bad.zoom, bad.scroll, bad.safety_only) == ("system", 100, 0.0, False)
    assert "reader/theme" in caplog.text and "zoom" in caplog.text
    assert zoom_step(300, +1) == 300 and zoom_step(50, -1) == 50 and zoom_step(170, 0) == 100

    for value in ("inf", "-inf", "1e999", "nan"):
        (tmp_path / "inf.ini").write_text(
            f"[reader]\nzoom_percent={value}\n[session]\nscroll_fraction={value}\n"
        )
        odd = read_settings(QSettings(str(tmp_path / "inf.ini"), QSettings.Format.IniFormat))
        assert (odd.zoom, odd.scroll) == (100, 0.0), value
