"""The safety classifier on articles it has never seen: caffeine, sleep aids and hydration, each
written in both formats (.md with front matter, .txt in the seed layout) and loaded as a library."""

from __future__ import annotations

import pytest

from viewer.core.library import Library

UNSEEN = {
    "caffeine": {
        "title": "Caffeine: Benefits, Limits and Safety",
        "summary": "Caffeine is the most widely used stimulant in the world and can sharpen attention.",
        "intro": [
            "Coffee, tea and cola are part of daily life, and caffeine is why many people reach for them."
        ],
        "sections": [
            (
                "A Short History of Coffee",
                [
                    "Coffee was first brewed in Yemen in the fifteenth century. Coffee houses spread from Mecca "
                    "to Istanbul, Venice and London within two hundred years, and merchants traded the beans "
                    "across the Red Sea."
                ],
            ),
            (
                "How Caffeine Keeps You Awake",
                [
                    "Caffeine blocks adenosine receptors in the brain, which delays the feeling of tiredness. "
                    "Its effect starts within an hour and fades over several hours."
                ],
            ),
            (
                "How Much Caffeine Is Safe?",
                [
                    "Do not exceed 400 mg of caffeine a day, roughly four cups of brewed coffee. Pregnant women "
                    "should keep to about half of that.",
                    "Too much caffeine can cause a racing heart, anxiety and insomnia. Energy drinks combined "
                    "with alcohol are a particular worry.",
                ],
            ),
        ],
        "conclusion": "Enjoyed in moderation, coffee and tea fit into a healthy diet.",
    },
    "sleep-aids": {
        "title": "Sleep Aids: What Helps and What to Watch For",
        "summary": "Over-the-counter sleep aids can help with an occasional bad night and are meant for short spells.",
        "intro": [
            "Many people turn to sleep aids after a few bad nights. This guide explains the common options."
        ],
        "sections": [
            (
                "Common Sleep Aids",
                [
                    "Melatonin is a hormone the body makes in the evening as light fades. Supplements are sold "
                    "as tablets and gummies.",
                    "Antihistamines such as diphenhydramine are the active ingredient in many night-time products.",
                ],
            ),
            (
                "Risks and Interactions",
                [
                    "Melatonin may interact with blood thinners and some antidepressants, so talk to your "
                    "doctor if you take other medications.",
                    "Antihistamine sleep aids can cause next-day drowsiness; do not drive until you know how "
                    "they affect you. They can become habit-forming when taken every night.",
                ],
            ),
        ],
        "conclusion": "A regular bedtime and a dark, quiet room help most people more than any pill.",
    },
    "hydration": {
        "title": "Hydration: Drinking Enough Water",
        "summary": "Water keeps the body working, and most healthy adults get enough by drinking when thirsty.",
        "intro": [
            "The body is about sixty percent water and loses some every day through breath and sweat."
        ],
        "sections": [
            (
                "Why the Body Needs Water",
                [
                    "Water carries nutrients to cells, cushions joints and helps control body temperature.",
                    "The Romans built aqueducts to bring fresh water into their cities, and some still stand today.",
                ],
            ),
            (
                "When Water Becomes Dangerous",
                [
                    "Drinking a great deal of water in a short time can lead to hyponatremia, a sharp drop in "
                    "blood sodium that is most common in endurance athletes.",
                    "People with kidney disease or heart failure should ask their doctor how much fluid is "
                    "right for them.",
                ],
            ),
        ],
        "conclusion": "For most people, water with meals and a drink when thirsty is plenty.",
    },
}


def _as_markdown(spec: dict) -> str:
    lines = ["---", f'title: "{spec["title"]}"', f'summary: "{spec["summary"]}"', "---", ""]
    lines += [p + "\n" for p in spec["intro"]]
    for heading, paragraphs in spec["sections"]:
        lines.append(f"## {heading}\n")
        lines += [p + "\n" for p in paragraphs]
    lines += ["* * *\n", spec["conclusion"]]
    return "\n".join(lines) + "\n"


def _as_seed_txt(spec: dict) -> str:
    """The seed layout: summary line, quoted intro, bullet outline, headings, closing paragraph."""
    lines = [spec["summary"], "\u201c" + " ".join(spec["intro"]) + "\u201d"]
    lines += [f"- {heading}" for heading, _ in spec["sections"]]
    for heading, paragraphs in spec["sections"]:
        lines += [heading, *paragraphs]
    lines.append(spec["conclusion"])
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def unseen_library(tmp_path) -> Library:
    for name, spec in UNSEEN.items():
        (tmp_path / "md").mkdir(exist_ok=True)
        (tmp_path / "txt").mkdir(exist_ok=True)
        (tmp_path / "md" / f"{name}.md").write_text(_as_markdown(spec), encoding="utf-8")
        (tmp_path / "txt" / f"{name}.txt").write_text(_as_seed_txt(spec), encoding="utf-8")
    library = Library.load(tmp_path)
    assert library.problems == [] and len(library) == 6
    return library


def _sections(library: Library, source_format: str, name: str) -> dict:
    article = next(
        a for a in library.articles if a.path == f"{source_format}/{name}.{source_format}"
    )
    assert article.source_format == source_format
    return {s.heading: s for s in article.sections}


@pytest.mark.parametrize("source_format", ["md", "txt"])
def test_unseen_caffeine_article(unseen_library, source_format):
    sections = _sections(unseen_library, source_format, "caffeine")
    limits = sections["How Much Caffeine Is Safe?"]
    assert limits.safety and {"dosage", "side-effects", "interactions"} <= set(limits.categories)
    exceed, too_much = limits.paragraphs
    assert "dosage" in exceed.categories and "do not exceed" in exceed.cues
    assert "pregnant" in exceed.cues and "interactions" in exceed.categories
    assert {"dosage", "side-effects", "interactions"} <= set(too_much.categories)
    history = sections["A Short History of Coffee"]
    assert not history.safety and not history.paragraphs[0].safety
    assert not sections["How Caffeine Keeps You Awake"].safety
    assert not any(p.safety for p in sections["How Caffeine Keeps You Awake"].paragraphs)


@pytest.mark.parametrize("source_format", ["md", "txt"])
def test_unseen_sleep_aids_article(unseen_library, source_format):
    sections = _sections(unseen_library, source_format, "sleep-aids")
    risks = sections["Risks and Interactions"]
    assert risks.safety
    melatonin, antihistamines = risks.paragraphs
    assert {"interactions", "medical-supervision"} <= set(melatonin.categories)
    assert "blood thinners" in melatonin.cues and "antidepressants" in melatonin.cues
    assert {"side-effects", "dependence"} <= set(antihistamines.categories)
    common = sections["Common Sleep Aids"]
    assert not common.safety and not any(p.safety for p in common.paragraphs)


@pytest.mark.parametrize("source_format", ["md", "txt"])
def test_unseen_hydration_article(unseen_library, source_format):
    sections = _sections(unseen_library, source_format, "hydration")
    danger = sections["When Water Becomes Dangerous"]
    assert danger.safety and all(p.safety for p in danger.paragraphs)
    assert "side-effects" in danger.paragraphs[0].categories
    assert {"interactions", "medical-supervision"} <= set(danger.paragraphs[1].categories)
    why = sections["Why the Body Needs Water"]
    assert not why.safety and not any(p.safety for p in why.paragraphs)
    assert not any(
        s.safety for s in sections.values() if s.kind in {"summary", "intro", "conclusion"}
    )


def test_unseen_articles_flag_the_same_in_both_formats(unseen_library):
    def flags(source_format):
        return sorted(
            (s.heading, s.safety, tuple(p.safety for p in s.paragraphs))
            for a in unseen_library.articles
            if a.source_format == source_format
            for s in a.sections
            if s.kind == "section"
        )

    assert flags("md") == flags("txt")
