"""Highlights and notes in an article export, applied in one place (no Qt).

The seam between the reading tools and the export writers: `ExportOptions` carries the
article's highlights (`ExportNote`, placed by `notes_for_export`), and `finish` applies them to
what a writer produced, by format:

- HTML: each highlighted passage wrapped in `<mark class="hl hl-COLOUR">` (a `<span>` with an
  inline style for the PDF/print document, since Qt's rich text has no `<mark>`), a numbered
  reference after each one with a note, and a "Notes" section before the source line;
- Markdown: `==passage==` with a footnote reference `[^N]`, the footnotes at the end;
- text: a "Notes and highlights" section before the source line.

A passage is found in the output by its words, whitespace ignored, skipping the labels and
severity glyphs the renderer adds (which are not in the article's text): the N-th copy of the
words in the output is the N-th in the article. One that cannot be found (its words are split
by formatting, or it is orphaned) is still listed in the notes, said to be unmarked. Every piece
of note or quote text is escaped for its format: a note never becomes markup.

The writers themselves do not change; the one hook is `viewer/export/dispatch.export_article`
(`prepare` before the writer, `finish` after it; `pdf_export.build_print_document` takes
`finish` as its `html_filter` for the print document).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

from viewer.core.annotations.anchoring import anchor, article_text
from viewer.core.plaintext import escape_markdown
from viewer.render.sentence_marks import SEVERITY_GLYPHS

# colour -> (background on paper/light page, its underline colour, CSS underline style)
SHADES = {
    "yellow": ("#fff1a1", "#9a7400", "solid"),
    "green": ("#cdeec5", "#2e7d32", "wavy"),
    "blue": ("#d2e4ff", "#1558b0", "dashed"),
    "pink": ("#ffd6e8", "#b0175a", "dotted"),
}
# What the renderer adds that is not article text: severity glyphs and box/passage labels.
SKIPPED_CLASSES = {"mark-glyph", "caution-tag", "safety-label", "box-label"}
_TAG = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ExportNote:
    """One highlight for an export: its words as the article has them now, which copy of
    those words it is (0: the first), colour and note. `passage` is '' when orphaned."""

    passage: str
    occurrence: int
    colour: str
    note: str
    quote: str  # the words as saved, shown for an orphan
    section: str = ""


@dataclass(frozen=True)
class ExportOptions:
    """What an export adds to or takes from the article: highlights and notes (empty: none),
    and a selection (offsets in article_text; None: the whole article, see viewer/render/excerpt)."""

    annotations: tuple[ExportNote, ...] = field(default_factory=tuple)
    selection: tuple[int, int] | None = None

    @property
    def active(self) -> bool:
        return bool(self.annotations)


def prepare(article, options: ExportOptions | None):
    """The article a writer is given: the whole one, or only the selection."""
    if options is None or options.selection is None:
        return article
    from viewer.render.excerpt import select_article

    return select_article(article, *options.selection)


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def notes_for_export(article, annotations) -> tuple[ExportNote, ...]:
    """The article's highlights placed in its current text, in reading order (orphans last)."""
    text = article_text(article)
    squeezed = _squeeze(text)
    headings = {s.anchor: s.heading for s in article.sections}
    placed, orphans = [], []
    for item in annotations:
        if item.is_bookmark or item.article_id != article.id:
            continue
        where = anchor(text, item.quote)
        section = headings.get(item.section, "")
        if where is None:
            orphans.append(ExportNote("", 0, item.colour, item.note, item.quote.exact, section))
            continue
        passage = text[where.start : where.end]
        needle, before = _squeeze(passage), len(_squeeze(text[: where.start]))
        # Which copy of these words this is (copies may overlap: "aa" in "aaa"), walked one by one.
        occurrence, at = 0, squeezed.find(needle)
        while 0 <= at < before:
            occurrence, at = occurrence + 1, squeezed.find(needle, at + 1)
        placed.append(
            (
                where.start,
                ExportNote(passage, occurrence, item.colour, item.note, item.quote.exact, section),
            )
        )
    placed.sort(key=lambda pair: pair[0])
    return tuple(note for _start, note in placed) + tuple(orphans)


def finish(output: str, fmt: str, options: ExportOptions | None) -> str:
    """Apply the export options to a writer's output ('html', 'pdf' for the print HTML, 'md', 'txt')."""
    if options is None:
        return output
    if options.selection is not None:
        output = _say_excerpt(output, fmt)
    if not options.active:
        return output
    if fmt in ("html", "pdf"):
        return annotate_html(output, options.annotations, inline_style=fmt == "pdf")
    if fmt == "md":
        return annotate_markdown(output, options.annotations)
    if fmt == "txt":
        return annotate_text(output, options.annotations)
    return output


def _say_excerpt(output: str, fmt: str) -> str:
    """HTML and PDF show the article's notices (the excerpt's is one); Markdown and text do not,
    so they say it here: in the front matter, and under the title."""
    from viewer.render.excerpt import EXCERPT_NOTICE

    if fmt == "md" and output.startswith("---\n") and "\n---\n" in output[3:]:
        close = output.index("\n---\n", 3)
        return f"{output[:close]}\nexcerpt: '{EXCERPT_NOTICE}'{output[close:]}"
    if fmt == "txt" and "\n\n" in output:
        title_end = output.index("\n\n")
        return f"{output[:title_end]}\n\n{EXCERPT_NOTICE}{output[title_end:]}"
    return output


# -- HTML ---------------------------------------------------------------------------------------


def _text_stream(document: str) -> tuple[list[tuple[int, int, int]], str]:
    """The visible non-space characters of the body as (segment start, raw start, raw end) in
    `document`, and those characters as one string."""
    chars: list[tuple[int, int, int]] = []
    letters: list[str] = []
    body = document.find("<body")
    at = document.find(">", body) + 1 if body >= 0 else 0
    skipping: list[str] = []  # the tag names of skipped elements still open
    while at < len(document):
        tag = _TAG.search(document, at)
        end = tag.start() if tag else len(document)
        if not skipping:
            _decode_into(document, at, end, chars, letters)
        if tag is None:
            break
        raw = tag.group()
        name = re.match(r"</?\s*([A-Za-z0-9]+)", raw)
        if name:
            tag_name = name.group(1).lower()
            if raw.startswith("</"):
                if skipping and skipping[-1] == tag_name:
                    skipping.pop()
            elif skipping and tag_name == skipping[-1] and not raw.endswith("/>"):
                skipping.append(tag_name)
            else:
                classes = re.search(r"""class\s*=\s*["']([^"']*)["']""", raw)
                if classes and SKIPPED_CLASSES & set(classes.group(1).split()) and not skipping:
                    skipping.append(tag_name)
        at = tag.end()
    return chars, "".join(letters)


def _decode_into(document: str, start: int, end: int, chars: list, letters: list) -> None:
    at = start
    while at < end:
        entity = _ENTITY.match(document, at) if document[at] == "&" else None
        if entity is not None and entity.end() <= end:
            value, stop = html_lib.unescape(entity.group()), entity.end()
        else:
            value, stop = document[at], at + 1
        if not value.isspace():
            chars.append((start, at, stop))
            letters.append(value)
        at = stop


def _nth(haystack: str, needle: str, n: int) -> int:
    at = haystack.find(needle)
    while at >= 0 and n > 0:
        at, n = haystack.find(needle, at + 1), n - 1
    return at


def _runs(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Overlapping (start, end, note index) spans as disjoint runs, the shortest on top."""
    owner: dict[int, int] = {}
    for start, end, index in sorted(
        spans, key=lambda s: s[0] - s[1]
    ):  # longest first, shorter overwrite
        for position in range(start, end):
            owner[position] = index
    runs: list[tuple[int, int, int]] = []
    for position in sorted(owner):
        index = owner[position]
        if runs and runs[-1][1] == position and runs[-1][2] == index:
            runs[-1] = (runs[-1][0], position + 1, index)
        else:
            runs.append((position, position + 1, index))
    return runs


def _open_tag(colour: str, inline_style: bool) -> tuple[str, str]:
    background = SHADES.get(colour, SHADES["yellow"])[0]
    if inline_style:  # Qt rich text: no <mark>, no wavy/dotted decoration; colour and underline
        style = f"background-color:{background}; text-decoration: underline"
        return f'<span class="hl hl-{colour}" style="{style}">', "</span>"
    return f'<mark class="hl hl-{colour}">', "</mark>"


def highlight_css() -> str:
    """The browser rules for the highlight colours, each with its own underline style."""
    rules = [
        f"mark.hl-{name} {{ background-color: {bg}; color: inherit; text-decoration: underline {style} {line}; "
        "text-decoration-thickness: 2px; }"
        for name, (bg, line, style) in SHADES.items()
    ]
    rules.append("sup.note-ref { font-size: 0.75em; } ol.notes li { margin-bottom: 0.5em; }")
    return "\n".join(rules)


def annotate_html(document: str, notes: tuple[ExportNote, ...], inline_style: bool = False) -> str:
    chars, letters = _text_stream(document)
    numbers = {
        i: n + 1 for n, i in enumerate(i for i, note in enumerate(notes) if note.note.strip())
    }
    spans, unmarked = [], set()
    for index, note in enumerate(notes):
        needle = _squeeze(note.passage)
        at = _nth(letters, needle, note.occurrence) if needle else -1
        if at < 0:
            unmarked.add(index)
        else:
            spans.append((at, at + len(needle), index))
    inserts: list[tuple[int, int, str]] = []  # (raw offset, order, text): closes before opens
    last_run_end: dict[int, int] = {}
    for start, end, index in _runs(spans):
        opening, closing = _open_tag(notes[index].colour, inline_style)
        segment_start = start
        for position in range(start, end + 1):  # one mark per text segment (tags stay nested)
            if position == end or chars[position][0] != chars[segment_start][0]:
                inserts.append((chars[segment_start][1], 1, opening))
                inserts.append((chars[position - 1][2], 0, closing))
                segment_start = position
        last_run_end[index] = chars[end - 1][2]
    for index, raw_end in last_run_end.items():
        if index in numbers:
            number = numbers[index]
            ref = (
                f"<sup>[{number}]</sup>"
                if inline_style
                else f'<sup class="note-ref"><a href="#note-{number}" id="note-ref-{number}">[{number}]</a></sup>'
            )
            inserts.append((raw_end, 2, ref))
    out, at = [], 0
    for raw, _order, text in sorted(inserts, key=lambda item: (item[0], item[1])):
        out.append(document[at:raw])
        out.append(text)
        at = raw
    out.append(document[at:])
    result = "".join(out)
    section = _notes_html(notes, numbers, unmarked, inline_style)
    if not inline_style:
        result = result.replace("\n</style>", "\n" + highlight_css() + "\n</style>", 1)
    footer = result.rfind("<hr>")
    wrapper = result.rfind("<div", 0, footer) if footer >= 0 else -1
    if (
        wrapper >= 0 and result.find(">", wrapper) == footer - 1
    ):  # the footer's rule sits in a block of its own
        footer = wrapper
    if footer < 0:
        footer = result.rfind("</body>")
    return result[:footer] + section + "\n" + result[footer:] if footer >= 0 else result + section


def _notes_html(notes, numbers: dict[int, int], unmarked: set[int], inline_style: bool) -> str:
    items = []
    for index, note in enumerate(notes):
        if index not in numbers and index not in unmarked:
            continue  # a plain highlight, marked in the text: nothing to add
        quote = html_lib.escape(" ".join((note.passage or note.quote).split()))
        opening, closing = _open_tag(note.colour, inline_style)
        where = ""
        if index in unmarked:
            where = (
                " <i>(not marked in the text: "
                + (
                    "its passage is no longer in the article"
                    if not note.passage
                    else "its words are split by formatting"
                )
                + ")</i>"
            )
        text = "<br>".join(html_lib.escape(line) for line in note.note.strip().splitlines())
        anchor_name = (
            f' id="note-{numbers[index]}"' if index in numbers and not inline_style else ""
        )
        number = f"[{numbers[index]}] " if index in numbers else ""
        body = f" — {text}" if text else ""
        items.append(f"<li{anchor_name}>{number}{opening}“{quote}”{closing}{where}{body}</li>")
    if not items:
        return ""
    return '<h2 class="notes-heading">Notes</h2>\n<ul class="notes">' + "\n".join(items) + "</ul>"


# -- Markdown and text -----------------------------------------------------------------------------


# What the Markdown writer puts between words besides spacing: a warning sentence's glyph and
# its emphasis ("▲\u00a0**"), never an escaped "\*" of the text.
_MARK_SYNTAX = "[" + "".join(SEVERITY_GLYPHS.values()) + "]|(?<!\\\\)\\*"
_BETWEEN_WORDS = rf"(?:\s|{_MARK_SYNTAX})+"
_MARK_RUN = re.compile(rf"((?:\s*(?:{_MARK_SYNTAX})\s*)+)")


def _words_pattern(passage: str) -> re.Pattern | None:
    words = passage.split()
    if not words:
        return None
    # Each word as written or as the Markdown writer escapes it ("1\\." for "1."), any spacing
    # (or sentence mark) between.
    return re.compile(
        _BETWEEN_WORDS.join(
            "(?:" + re.escape(escape_markdown(w)) + "|" + re.escape(w) + ")" for w in words
        )
    )


def _highlighted(passage: str) -> str:
    """==passage==, one per stretch between sentence marks, so that the marks' emphasis and the
    highlight never cross."""
    pieces = _MARK_RUN.split(passage)
    return "".join(
        piece if index % 2 or not piece else f"=={piece}==" for index, piece in enumerate(pieces)
    )


def annotate_markdown(text: str, notes: tuple[ExportNote, ...]) -> str:
    """==passage== and footnotes, in the body (after the front matter)."""
    body_start = 0
    if text.startswith("---\n"):
        close = text.find("\n---\n", 4)
        body_start = close + 5 if close >= 0 else 0
    head, body = text[:body_start], text[body_start:]
    numbers = {
        i: n + 1 for n, i in enumerate(i for i, note in enumerate(notes) if note.note.strip())
    }
    found: list[tuple[int, int, int]] = []
    unmarked = set()
    for index, note in enumerate(notes):
        pattern = _words_pattern(note.passage)
        matches = list(pattern.finditer(body)) if pattern else []
        if note.occurrence < len(matches):
            match = matches[note.occurrence]
            if not any(s < match.end() and match.start() < e for s, e, _i in found):
                found.append((match.start(), match.end(), index))
                continue
        unmarked.add(index)
    for start, end, index in sorted(found, reverse=True):
        ref = f"[^{numbers[index]}]" if index in numbers else ""
        body = f"{body[:start]}{_highlighted(body[start:end])}{ref}{body[end:]}"
    lines = []
    if (
        unmarked
    ):  # listed here, with their footnote reference (a footnote nothing refers to is dropped)
        lines += ["Highlights not marked in the text:", ""]
        for index in sorted(unmarked):
            note = notes[index]
            ref = f"[^{numbers[index]}]" if index in numbers else ""
            lines.append(
                f"- “{escape_markdown(' '.join((note.passage or note.quote).split()))}”{ref}"
            )
        lines.append("")
    for index, note in enumerate(notes):
        if index in numbers:
            quoted = escape_markdown(" ".join((note.passage or note.quote).split()))
            lines.append(f"[^{numbers[index]}]: {_md_note(note.note)} (on “{quoted}”)")
    if not lines:
        return head + body
    return head + body.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


def _md_note(note: str) -> str:
    """A note as one footnote: each line escaped, continuation lines indented."""
    lines = [escape_markdown(line.strip()) for line in note.strip().splitlines() if line.strip()]
    return "\n    ".join(lines)


def annotate_text(text: str, notes: tuple[ExportNote, ...]) -> str:
    """A "Notes and highlights" section before the closing source line and disclaimer."""
    import textwrap

    lines = ["Notes and highlights", "--------------------"]
    for number, note in enumerate(notes, 1):
        quote = " ".join((note.passage or note.quote).split())
        where = f", {note.section}" if note.section else ""
        state = "" if note.passage else " (no longer in the article)"
        lines.append("")
        lines.extend(
            textwrap.wrap(
                f"[{number}] “{quote}” ({note.colour} highlight{where}){state}",
                width=78,
                subsequent_indent="    ",
            )
        )
        for position, line in enumerate(note.note.strip().splitlines()):
            lines.extend(
                textwrap.wrap(
                    line,
                    width=78,
                    initial_indent="    Note: " if position == 0 else "    ",
                    subsequent_indent="    ",
                )
                or [""]
            )
    section = "\n".join(lines) + "\n\n"
    rule = "\n" + "-" * 78 + "\n"
    at = text.rfind(rule)
    return text[: at + 1] + section + text[at + 1 :] if at >= 0 else text + "\n" + section
