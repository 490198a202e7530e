"""Loader for plain-text articles in the seed layout.

The layout (see ARCHITECTURE.md): a summary line; intro paragraph(s), sometimes wrapped in curly
quotes; a `- ` bullet outline; each outline item again as a heading line followed by its
paragraphs; a last paragraph that no heading introduces, the conclusion.

Without an outline, headings are the short title-like lines that stand alone (see
`looks_like_heading`); such a file has an intro and sections but no summary or conclusion,
because nothing marks them.
"""

from __future__ import annotations

import re
from pathlib import Path

from viewer.core.model import (
    DEFAULT_HEADINGS,
    KIND_CONCLUSION,
    KIND_INTRO,
    KIND_SECTION,
    KIND_SUMMARY,
    Article,
    Paragraph,
    Section,
)
from viewer.core.slug import unique_slug

_BULLET = re.compile(r"^\s*[-*\u2022]\s+(.*\S)\s*$")
_OPEN_QUOTES = '\u201c"'
_CLOSE_QUOTES = '\u201d"'
MAX_HEADING_WORDS = 14


def split_units(text: str) -> list[str]:
    """Paragraph units: one per line when the file has no blank lines (the seed layout), else
    blank-line separated blocks, with bullets and heading-like lines kept on their own."""
    blocks = _blocks(text)
    if len(blocks) <= 1 or all("\n" not in block for block in blocks):
        return [line.strip() for line in text.split("\n") if line.strip()]
    # A block's first line that repeats an outline bullet is that item's heading, even in
    # sentence case ("Posting it back"), which looks_like_heading does not take for a title.
    outline = {_norm(m.group(1)) for m in map(_BULLET.match, text.split("\n")) if m}
    units: list[str] = []
    for block in blocks:
        current: list[str] = []
        for line in block.split("\n"):
            stripped = line.strip()
            heading = looks_like_heading(stripped) or _norm(stripped) in outline
            if _BULLET.match(stripped) or (heading and not current):
                if current:
                    units.append(" ".join(current))
                    current = []
                units.append(stripped)
            else:
                current.append(stripped)
        if current:
            units.append(" ".join(current))
    return units


def _blocks(text: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]


def looks_like_heading(line: str) -> bool:
    """A short title-like line: few words, no sentence-ending period, starts with a capital."""
    words = line.split()
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    if line[0].islower() or line.rstrip().endswith((".", ",", ";", "\u201d", '"')):
        return False
    if _BULLET.match(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(words) >= 0.5


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _strip_wrapping_quotes(units: list[str]) -> list[str]:
    """Intro wrapped in curly quotes (possibly across paragraphs): drop the quotes, keep the text."""
    if not units:
        return units
    first, last = units[0], units[-1]
    if (
        first[:1] in _OPEN_QUOTES
        and last[-1:] in _CLOSE_QUOTES
        and (len(units) > 1 or len(first) > 1)
    ):
        if first[:1] == '"' and last[-1:] != '"':
            return units
        units = list(units)
        units[0] = units[0][1:].lstrip()
        units[-1] = units[-1][:-1].rstrip()
        return [u for u in units if u]
    return units


def _find_outline(units: list[str]) -> tuple[int, int]:
    """Start and end (exclusive) of the first run of 2+ bullet lines, or (-1, -1)."""
    i = 0
    while i < len(units):
        if _BULLET.match(units[i]):
            j = i
            while j < len(units) and _BULLET.match(units[j]):
                j += 1
            if j - i >= 2:
                return i, j
            i = j
        i += 1
    return -1, -1


def parse_seed_text(text: str) -> tuple[list[Section], list[str]]:
    """Sections and the outline of a plain-text article."""
    units = split_units(text)
    start, end = _find_outline(units)
    if start < 1:
        return _parse_without_outline(units), []
    # _find_outline found these units as bullets, so each one matches.
    outline = [m.group(1) for m in map(_BULLET.match, units[start:end]) if m]
    taken: set[str] = set()
    sections = [_section(KIND_SUMMARY, DEFAULT_HEADINGS[KIND_SUMMARY], [units[0]], taken)]
    intro = units[1:start]
    body = units[end:]
    # Headings are the body lines that repeat an outline item, in order.
    wanted = [_norm(item) for item in outline]
    heading_at: list[int] = []
    cursor = 0
    for i, unit in enumerate(body):
        if cursor < len(wanted) and _norm(unit) == wanted[cursor]:
            heading_at.append(i)
            cursor += 1
        elif _norm(unit) in wanted[cursor:]:
            cursor = wanted.index(_norm(unit), cursor) + 1
            heading_at.append(i)
    first_heading = heading_at[0] if heading_at else len(body)
    intro = _strip_wrapping_quotes(intro + body[:first_heading])
    if intro:
        sections.append(_section(KIND_INTRO, DEFAULT_HEADINGS[KIND_INTRO], intro, taken))
    conclusion: list[str] = []
    if heading_at and len(body) - heading_at[-1] - 1 >= 2:
        conclusion = [body[-1]]
        body = body[:-1]
    for n, at in enumerate(heading_at):
        stop = heading_at[n + 1] if n + 1 < len(heading_at) else len(body)
        sections.append(_section(KIND_SECTION, body[at], body[at + 1 : stop], taken))
    if conclusion:
        sections.append(
            _section(KIND_CONCLUSION, DEFAULT_HEADINGS[KIND_CONCLUSION], conclusion, taken)
        )
    return sections, outline


def _parse_without_outline(units: list[str]) -> list[Section]:
    taken: set[str] = set()
    sections: list[Section] = []
    intro: list[str] = []
    current: Section | None = None
    for i, unit in enumerate(units):
        followed_by_text = i + 1 < len(units) and not looks_like_heading(units[i + 1])
        if looks_like_heading(unit) and followed_by_text:
            current = _section(KIND_SECTION, unit, [], taken)
            sections.append(current)
        elif current is None:
            intro.append(unit)
        else:
            current.paragraphs.append(Paragraph(unit))
    if intro:
        sections.insert(
            0,
            _section(
                KIND_INTRO, DEFAULT_HEADINGS[KIND_INTRO], _strip_wrapping_quotes(intro), taken
            ),
        )
    return sections


def _section(kind: str, heading: str, paragraphs: list[str], taken: set[str]) -> Section:
    anchor = unique_slug(
        heading if kind == KIND_SECTION else kind if kind != KIND_INTRO else "introduction", taken
    )
    return Section(
        anchor=anchor,
        heading=heading,
        level=2,
        kind=kind,
        paragraphs=[Paragraph(p) for p in paragraphs],
    )


def derive_title(sections: list[Section], outline: list[str], path: Path) -> str:
    """A title for a .txt article that has none: a title-like first intro sentence, else the
    first outline item or heading, else the file name."""
    for section in sections:
        if section.kind == KIND_INTRO and section.paragraphs:
            first_sentence = re.split(r"(?<=[.!?])\s", section.paragraphs[0].plain, maxsplit=1)[0]
            candidate = first_sentence.rstrip(".")
            if looks_like_heading(candidate) and len(candidate.split()) >= 3:
                return candidate
    if outline:
        return outline[0]
    for section in sections:
        if section.kind == KIND_SECTION:
            return section.heading
    return re.sub(r"[_-]+", " ", path.stem).strip().capitalize() or "Untitled"


def load_txt(text: str, path: Path, article_id: str) -> Article:
    sections, outline = parse_seed_text(text)
    return Article(
        id=article_id,
        title=derive_title(sections, outline, path),
        path=str(path),
        source_format="txt",
        sections=sections,
        outline=outline,
    )
