"""Article -> one HTML document for Qt's rich-text engine (reading pane, printer, PDF, HTML export).

The markup stays inside what QTextDocument renders well and browsers render the same way:
boxes are one-cell tables (Qt draws table borders and backgrounds, not div borders), colours
that must survive are also written as `bgcolor` attributes, and every section starts with a
`<a name="ANCHOR">` so `QTextBrowser.scrollToAnchor(section.anchor)` finds it.

Safety is shown without relying on colour: a safety section (the summary too) is a bordered,
tinted callout headed "⚠ Safety: <categories>"; a safety paragraph elsewhere gets a side bar, a
light tint and a tag named after its strongest sentence ("⚠ Warning: <category>", or "⚠ Caution"
without sentence verdicts). Inside both, the warning sentences themselves carry a glyph and a
style per severity (viewer/render/sentence_marks.py). Nothing here imports Qt.
"""

from __future__ import annotations

import re

from viewer.core.model import KIND_INTRO, KIND_SECTION, KIND_SUMMARY, Article, Paragraph, Section
from viewer.core.safety_categories import SEVERITY_LABELS, category_label
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.markup import MarkdownConverter, escape_html, plain_paragraph
from viewer.render.sentence_marks import (has_marks, mark_sentences, marks_legend, strongest_severity,
                                          warning_sentences)
from viewer.render.themes import palette_for, stylesheet

SAFETY_GLYPH = "\u26a0"  # ⚠, with a text label beside it: never the only signal
SAFETY_LABEL = "Safety"
CAUTION_LABEL = "Caution"
SUMMARY_LABEL = "Summary"
_FIRST_P = re.compile(r"<p(?:\s[^>]*)?>")


def categories_text(categories: list[str]) -> str:
    """Reader-facing category labels joined for a label line ("Side effects, Dosage caution")."""
    return ", ".join(category_label(c) for c in categories)


def safety_label(categories: list[str]) -> str:
    """The callout label: "⚠ Safety: Side effects, Dosage caution" (or "⚠ Safety")."""
    named = categories_text(categories)
    return f"{SAFETY_GLYPH} {SAFETY_LABEL}: {named}" if named else f"{SAFETY_GLYPH} {SAFETY_LABEL}"


def caution_label(categories: list[str], label: str = CAUTION_LABEL) -> str:
    named = categories_text(categories)
    return f"{SAFETY_GLYPH} {label}: {named}" if named else f"{SAFETY_GLYPH} {label}"


def passage_label_word(paragraph: Paragraph) -> str:
    """The tag word of a safety paragraph outside a safety section: its strongest sentence's
    severity ("Warning", "Caution", "Advice"), or "Caution" when there are no sentence verdicts."""
    strongest = strongest_severity(warning_sentences(paragraph))
    return SEVERITY_LABELS[strongest] if strongest else CAUTION_LABEL


def passage_label(paragraph: Paragraph) -> str:
    """'⚠ Warning: Interactions and medical conditions' for a safety paragraph's tag."""
    return caution_label(paragraph.categories, passage_label_word(paragraph))


def document(title: str, body: str, css: str, background: str) -> str:
    """Wraps a body in a complete HTML document with an inline stylesheet."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape_html(title)}</title>\n<style>\n{css}\n</style></head>\n"
            f"<body bgcolor=\"{background}\">\n{body}\n</body></html>\n")


class _ArticleRenderer:
    """Renders one article; holds the per-call Markdown converter and colours (no shared state)."""

    def __init__(self, article: Article, colours: dict[str, str], local_images: bool) -> None:
        self.article = article
        self.colours = colours
        self.converter = (MarkdownConverter(article.path, local_images)
                          if article.source_format == "md" else None)
        levels = [s.level for s in article.sections if s.kind == KIND_SECTION]
        # The title is the only h1: shift section levels so the shallowest becomes h2.
        self.level_shift = max(0, 2 - min(levels)) if levels else 0

    def paragraph_html(self, paragraph: Paragraph) -> str:
        if self.converter is not None:
            html = _styled_blocks(self.converter.convert(paragraph.text), self.colours)
        else:
            html = plain_paragraph(paragraph.text)
        return mark_sentences(html, paragraph)

    def heading_tag(self, section: Section) -> str:
        return f"h{min(6, max(2, section.level + self.level_shift))}"

    def body(self, footer: bool) -> str:
        article = self.article
        parts = [f"<h1>{escape_html(article.title)}</h1>"]
        if article.topics:
            topics = " \u00b7 ".join(escape_html(t) for t in article.topics)
            parts.append(f'<p class="topics">Topics: {topics}</p>')
        for note in article.notes:
            parts.append(f'<p class="notice">{escape_html(note)}</p>')
        notices_at = len(parts)
        for section in article.sections:
            if section.safety:  # a safety summary too: its warning must not look like a précis
                parts.append(self.safety_callout(section))
            elif section.kind == KIND_SUMMARY:
                parts.append(self.summary_box(section))
            else:
                parts.append(self.plain_section(section))
        if self.converter is not None and self.converter.fallbacks:
            parts.insert(notices_at, f'<p class="notice">{escape_html(plain_text_notice(self.converter.fallbacks))}</p>')
        if footer:
            parts.append(self.footer())
        return "\n".join(parts)

    def summary_box(self, section: Section) -> str:
        c = self.colours
        inner = [f'<p class="box-label">{_anchor(section.anchor)}{SUMMARY_LABEL}</p>']
        for paragraph in section.paragraphs:
            if paragraph.safety:
                inner.append(f'<p class="caution-tag">{escape_html(passage_label(paragraph))}</p>')
            inner.append(_with_class(self.paragraph_html(paragraph), "summary-text"))
        return _box("summary", c["summary_bg"], c["summary_border"], 1, "\n".join(inner))

    def safety_callout(self, section: Section) -> str:
        c = self.colours
        label = f'<p class="safety-label">{_anchor(section.anchor)}{escape_html(safety_label(section.categories))}</p>'
        inner = []
        if section.kind != KIND_INTRO:
            tag = self.heading_tag(section)
            inner.append(f"<{tag}>{escape_html(section.heading)}</{tag}>")
        inner.extend(self.paragraph_html(p) for p in section.paragraphs)
        return _box("safety", c["safety_bg"], c["safety_border"], 2, "\n".join(inner), header=label)

    def plain_section(self, section: Section) -> str:
        parts = []
        if section.kind == KIND_INTRO:
            first = True
            for paragraph in section.paragraphs:
                html = self.marked_paragraph(paragraph)
                parts.append(_with_anchor(html, section.anchor) if first else html)
                first = False
            if first:  # an intro without paragraphs still needs its anchor
                parts.append(f"<p>{_anchor(section.anchor)}</p>")
            return "\n".join(parts)
        tag = self.heading_tag(section)
        parts.append(f"<{tag}>{_anchor(section.anchor)}{escape_html(section.heading)}</{tag}>")
        parts.extend(self.marked_paragraph(p) for p in section.paragraphs)
        return "\n".join(parts)

    def marked_paragraph(self, paragraph: Paragraph) -> str:
        html = self.paragraph_html(paragraph)
        if not paragraph.safety:
            return html
        c = self.colours
        tag = f'<p class="caution-tag">{escape_html(passage_label(paragraph))}</p>'
        return ('<table class="caution" width="100%" cellspacing="0" cellpadding="0" border="0"><tr>'
                f'<td class="caution-bar" width="5" bgcolor="{c["caution_bar"]}"></td>'
                f'<td class="caution-body" bgcolor="{c["caution_bg"]}" style="padding: 6px 10px 2px 12px">'
                f"{tag}\n{html}</td></tr></table>")

    def footer(self) -> str:
        article = self.article
        source = f"Source: {escape_html(article.path)}"
        original = article.metadata.get("source")
        if isinstance(original, str) and original.strip():
            source += f" (from {escape_html(original.strip())})"
        # On paper nothing can be pointed at: the page says what its marks mean.
        legend = f'<p class="footer">{escape_html(marks_legend())}</p>\n' if has_marks(article.paragraphs()) else ""
        return (f'<hr>\n{legend}<p class="footer">{source}</p>\n'
                f'<p class="disclaimer"><b>Not medical advice.</b> {escape_html(DISCLAIMER)}</p>')


def plain_text_notice(count: int) -> str:
    paragraphs = "1 paragraph is" if count == 1 else f"{count} paragraphs are"
    return (f"{paragraphs} shown as plain text: the Markdown was too large, too deeply nested "
            "or too slow to format safely.")


def _anchor(name: str) -> str:
    """A name anchor. Qt pins an anchor to the character after it, splitting that word into two
    text runs (PDF text extraction then breaks the word); a zero-width space takes the pin."""
    return f'<a name="{escape_html(name)}">\u200b</a>'


def _with_anchor(html: str, anchor: str) -> str:
    """Put the anchor inside the first paragraph (a caution box's tag line included), so Qt
    does not make an empty line for it."""
    match = _FIRST_P.search(html)
    if match is None:
        return f"<p>{_anchor(anchor)}</p>\n{html}"
    return html[:match.end()] + _anchor(anchor) + html[match.end():]


def _with_class(html: str, css_class: str) -> str:
    return f'<p class="{css_class}">' + html[3:] if html.startswith("<p>") else html


def _styled_blocks(html: str, colours: dict[str, str]) -> str:
    """Markdown tables with ruled cells and some padding, and code blocks on a shaded, padded
    box: Qt draws borders, backgrounds and padding of tables from attributes, not of blocks.
    Sanitizing left every table and pre tag bare, so "<table>" and "<pre>" are always ours."""
    if "<table>" in html:
        html = html.replace("<table>", f'<table class="data" border="1" cellspacing="0" cellpadding="6" '
                                       f'style="border-color: {colours["table_border"]}; border-collapse: collapse">')
    if "<pre>" in html:
        html = (html.replace("\n</code></pre>", "</code></pre>")  # no blank last line in the box
                .replace("<pre>", f'<table class="code" width="100%" cellspacing="0" cellpadding="8" border="0" '
                                      f'bgcolor="{colours["code_bg"]}"><tr><td><pre>')
                .replace("</pre>", "</pre></td></tr></table>"))
    return html


def _box(css_class: str, background: str, border: str, width: int, inner: str, header: str = "") -> str:
    """A one-cell table: the box Qt draws with a border and a background (and browsers too).

    A `header` goes in a <thead> row, which Qt and browsers repeat at the top of every page
    the box continues on, so a callout split across pages is labelled on each of them."""
    cell = f'<td bgcolor="{background}" style="border: {width}px solid {border}">'
    head = f"<thead><tr>{cell}\n{header}\n</td></tr></thead>" if header else ""
    return (f'<table class="{css_class}" width="100%" cellspacing="0" cellpadding="10" border="{width}" '
            f'bgcolor="{background}" style="border: {width}px solid {border}; border-collapse: collapse">'
            f"{head}<tr>{cell}\n{inner}\n</td></tr></table>")


def render_article(article: Article, *, theme: str = "light", for_print: bool = False,
                   base_font_pt: float | None = None, footer: bool | None = None,
                   local_images: bool = True) -> str:
    """The article as a complete HTML document.

    `for_print` uses the print palette (black on white) and adds the source and disclaimer at
    the end (`footer` overrides that). `local_images=False` replaces even local images with a
    placeholder, for exports that must not point at files outside themselves."""
    colours = palette_for(theme, for_print)
    renderer = _ArticleRenderer(article, colours, local_images)
    body = renderer.body(for_print if footer is None else footer)
    css = stylesheet(theme, for_print=for_print, base_font_pt=base_font_pt)
    return document(article.title, body, css, colours["background"])


def render_error(title: str, message: str, theme: str = "light") -> str:
    """A page for an article that cannot be shown: its title and a one-line reason."""
    colours = palette_for(theme)
    body = (f"<h1>{escape_html(title)}</h1>\n"
            + _box("error-box", colours["background"], colours["safety_border"], 1,
                   f'<p class="error-message">{escape_html(message)}</p>'))
    return document(title, body, stylesheet(theme), colours["background"])
