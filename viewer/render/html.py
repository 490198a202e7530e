"""Blocks -> one HTML document for Qt's rich-text engine (reading pane, printer, PDF, HTML export).

The article's blocks (viewer/render/blocks) are the only input: this module decides how each
kind looks, and writes each block's layout flags as a `-qt-user-state` style that the print
document keeps on its Qt block (browsers ignore it), so pagination reads what the builder set.

The markup stays inside what QTextDocument renders well and browsers render the same way:
boxes are one-cell tables (Qt draws table borders and backgrounds, not div borders), colours
that must survive are also written as `bgcolor` attributes, and every section starts with a
`<a name="ANCHOR">` so `QTextBrowser.scrollToAnchor(section.anchor)` finds it.

Safety is shown without relying on colour: a safety section (the summary too) is a bordered,
tinted callout headed "⚠ Safety: <categories>" (a section holding a warning sentence is always
one; a tagged, side-barred paragraph is drawn only for a safety paragraph outside such a
section, which the classifier does not produce today). Inside it, the warning sentences themselves carry a glyph and a
style per severity (viewer/render/sentence_marks.py). Nothing here imports Qt.
"""

from __future__ import annotations

import re

from viewer.core.model import Article
from viewer.render.blocks import (
    KEEP_TOGETHER,
    KEEP_WITH_NEXT,
    KEEP_WITH_NEXT_IF_FITS,
    NOT_ADVICE,
    REPEAT_LABEL,
    SAFETY_GLYPH,
    ArticleBlocks,
    Block,
    BlockKind,
    build_blocks,
    layout_state,
)
from viewer.render.disclaimer import DISCLAIMER
from viewer.render.highlight_html import highlighted_text, mark_look, notes_html, paper_look
from viewer.render.highlights import ExportNote
from viewer.render.markup import escape_html
from viewer.render.sentence_marks import mark_sentences
from viewer.render.themes import palette_for, stylesheet

__all__ = ["SAFETY_GLYPH", "document", "render_article", "render_blocks", "render_error"]
_FIRST_P = re.compile(r"<p(?:\s[^>]*)?>")


def document(title: str, body: str, css: str, background: str) -> str:
    """Wraps a body in a complete HTML document with an inline stylesheet."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape_html(title)}</title>\n<style>\n{css}\n</style></head>\n"
        f'<body bgcolor="{background}">\n{body}\n</body></html>\n'
    )


def _state(flags: int) -> str:
    """The layout flags as a style Qt keeps on the block (`-qt-user-state`); browsers ignore it."""
    return f' style="-qt-user-state: {layout_state(flags)}"' if flags else ""


def _flags(block: Block) -> int:
    return (
        (KEEP_WITH_NEXT if block.keep_with_next else 0)
        | (KEEP_TOGETHER if block.keep_together else 0)
        | (REPEAT_LABEL if block.repeat_label_on_continuation else 0)
        | (KEEP_WITH_NEXT_IF_FITS if block.keep_with_next_if_fits else 0)
    )


class _BlockRenderer:
    """Blocks -> HTML in the given colours (one per render call, no shared state)."""

    def __init__(self, colours: dict[str, str], footer: bool, for_print: bool) -> None:
        self.colours = colours
        self.footer = footer
        # Qt's rich text has no <mark>: on paper a highlight is a span with an inline style.
        self.look = paper_look if for_print else mark_look
        self.for_print = for_print

    def render(self, blocks: ArticleBlocks) -> str:
        parts = [self.block(b) for b in blocks.blocks if b.kind != BlockKind.FOOTER or self.footer]
        return "\n".join(p for p in parts if p)

    def block(self, block: Block) -> str:
        kind = block.kind
        if kind == BlockKind.TITLE:
            return f"<h1>{self.text(block)}</h1>"
        if kind == BlockKind.TOPICS:
            return f'<p class="topics">{escape_html(block.text)}</p>'
        if kind == BlockKind.NOTICE:
            return f'<p class="notice">{escape_html(block.text)}</p>'
        if kind == BlockKind.HEADING:
            tag = f"h{block.level}"
            anchor = _anchor(block.anchor) if block.anchor else ""
            return f"<{tag}{_state(_flags(block))}>{anchor}{self.text(block)}</{tag}>"
        if kind == BlockKind.SUMMARY:
            return self.summary_box(block)
        if kind == BlockKind.CALLOUT:
            return self.safety_callout(block)
        if kind == BlockKind.FOOTER:
            return self.footer_html(block)
        if kind == BlockKind.NOTES:
            return notes_html(block.notes, self.look, self.for_print, _state(KEEP_WITH_NEXT))
        return self.paragraph(block)

    def text(self, block: Block) -> str:
        """A title's or heading's text, escaped, with the highlights on it."""
        return highlighted_text(block.text, block.highlights, self.look)

    def content(self, block: Block) -> str:
        if block.paragraph is None:
            return ""
        html = mark_sentences(
            _styled_blocks(block.html, self.colours),
            block.paragraph,
            block.highlights,
            self.look,
        )
        flags = _flags(block)
        if flags and html.startswith("<p>"):
            html = f"<p{_state(flags)}>" + html[3:]
        return html

    def paragraph(self, block: Block) -> str:
        if block.paragraph is None:  # an anchor with nothing under it
            return f"<p>{_anchor(block.anchor)}</p>"
        html = self.content(block)
        if block.label:
            c = self.colours
            tag = f'<p class="caution-tag"{_state(KEEP_WITH_NEXT)}>{escape_html(block.label)}</p>'
            html = (
                '<table class="caution" width="100%" cellspacing="0" cellpadding="0" border="0"><tr>'
                f'<td class="caution-bar" width="5" bgcolor="{c["caution_bar"]}"></td>'
                f'<td class="caution-body" bgcolor="{c["caution_bg"]}" style="padding: 6px 10px 2px 12px">'
                f"{tag}\n{html}</td></tr></table>"
            )
        return _with_anchor(html, block.anchor) if block.anchor else html

    def summary_box(self, block: Block) -> str:
        c = self.colours
        inner = [
            f'<p class="box-label"{_state(KEEP_WITH_NEXT)}>{_anchor(block.anchor)}{escape_html(block.label)}</p>'
        ]
        for child in block.children:
            if child.label:
                inner.append(
                    f'<p class="caution-tag"{_state(KEEP_WITH_NEXT)}>{escape_html(child.label)}</p>'
                )
            inner.append(_with_class(self.content(child), "summary-text"))
        return _box("summary", c["summary_bg"], c["summary_border"], 1, "\n".join(inner))

    def safety_callout(self, block: Block) -> str:
        c = self.colours
        flags = KEEP_WITH_NEXT | (REPEAT_LABEL if block.repeat_label_on_continuation else 0)
        label = (
            f'<p class="safety-label"{_state(flags)}>{_anchor(block.anchor)}'
            f"{escape_html(block.label)}</p>"
        )
        inner = [
            self.block(child) if child.kind == BlockKind.HEADING else self.content(child)
            for child in block.children
        ]
        header = label if block.repeat_label_on_continuation else ""
        body = "\n".join(inner) if header else label + "\n" + "\n".join(inner)
        return _box("safety", c["safety_bg"], c["safety_border"], 2, body, header=header)

    def footer_html(self, block: Block) -> str:
        # On paper nothing can be pointed at: the page says what its marks mean. The rule, legend
        # and source go with the disclaimer, which is kept whole: the closing lines stay together.
        keep = _state(KEEP_WITH_NEXT)
        legend = f"{escape_html(block.legend)}<br>" if block.legend else ""
        last = _state(KEEP_TOGETHER if block.keep_together else 0)
        return (
            f'<div{keep}><hr></div>\n<p class="footer"{keep}>{legend}{escape_html(block.text)}</p>\n'
            f'<p class="disclaimer"{last}><b>{NOT_ADVICE}</b> {escape_html(DISCLAIMER)}</p>'
        )


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
    return html[: match.end()] + _anchor(anchor) + html[match.end() :]


def _with_class(html: str, css_class: str) -> str:
    return f'<p class="{css_class}">' + html[3:] if html.startswith("<p>") else html


def _styled_blocks(html: str, colours: dict[str, str]) -> str:
    """Markdown tables with ruled cells and some padding, and code blocks on a shaded, padded
    box: Qt draws borders, backgrounds and padding of tables from attributes, not of blocks.
    Sanitizing left every table and pre tag bare, so "<table>" and "<pre>" are always ours."""
    if "<table>" in html:
        html = html.replace(
            "<table>",
            f'<table class="data" border="1" cellspacing="0" cellpadding="6" '
            f'style="border-color: {colours["table_border"]}; border-collapse: collapse">',
        )
    if "<pre>" in html:
        html = (
            html.replace("\n</code></pre>", "</code></pre>")  # no blank last line in the box
            .replace(
                "<pre>",
                f'<table class="code" width="100%" cellspacing="0" cellpadding="8" border="0" '
                f'bgcolor="{colours["code_bg"]}"><tr><td><pre>',
            )
            .replace("</pre>", "</pre></td></tr></table>")
        )
    return html


def _box(
    css_class: str, background: str, border: str, width: int, inner: str, header: str = ""
) -> str:
    """A one-cell table: the box Qt draws with a border and a background (and browsers too).

    A `header` goes in a <thead> row, which Qt and browsers repeat at the top of every page
    the box continues on, so a callout split across pages is labelled on each of them."""
    cell = f'<td bgcolor="{background}" style="border: {width}px solid {border}">'
    head = f"<thead><tr>{cell}\n{header}\n</td></tr></thead>" if header else ""
    return (
        f'<table class="{css_class}" width="100%" cellspacing="0" cellpadding="10" border="{width}" '
        f'bgcolor="{background}" style="border: {width}px solid {border}; border-collapse: collapse">'
        f"{head}<tr>{cell}\n{inner}\n</td></tr></table>"
    )


def render_blocks(
    blocks: ArticleBlocks,
    *,
    theme: str = "light",
    for_print: bool = False,
    base_font_pt: float | None = None,
    footer: bool | None = None,
) -> str:
    """The blocks as a complete HTML document (see `render_article`)."""
    colours = palette_for(theme, for_print)
    body = _BlockRenderer(colours, for_print if footer is None else footer, for_print).render(
        blocks
    )
    css = stylesheet(theme, for_print=for_print, base_font_pt=base_font_pt)
    return document(blocks.article.title, body, css, colours["background"])


def render_article(
    article: Article,
    *,
    theme: str = "light",
    for_print: bool = False,
    base_font_pt: float | None = None,
    footer: bool | None = None,
    local_images: bool = True,
    highlights: tuple[ExportNote, ...] = (),
) -> str:
    """The article as a complete HTML document, built from its blocks.

    `for_print` uses the print palette (black on white) and adds the source and disclaimer at
    the end (`footer` overrides that). `local_images=False` replaces even local images with a
    placeholder, for exports that must not point at files outside themselves. `highlights`
    are the reader's, for an export (marked in the text, their notes before the footer)."""
    return render_blocks(
        build_blocks(article, local_images, highlights),
        theme=theme,
        for_print=for_print,
        base_font_pt=base_font_pt,
        footer=footer,
    )


def render_error(title: str, message: str, theme: str = "light") -> str:
    """A page for an article that cannot be shown: its title and a one-line reason."""
    colours = palette_for(theme)
    body = f"<h1>{escape_html(title)}</h1>\n" + _box(
        "error-box",
        colours["background"],
        colours["safety_border"],
        1,
        f'<p class="error-message">{escape_html(message)}</p>',
    )
    return document(title, body, stylesheet(theme), colours["background"])
