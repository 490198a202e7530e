"""The reading pane: a QTextBrowser that shows one rendered article, offline and readable.

It renders through viewer/render (one renderer for screen, print and export), keeps lines near
70 characters by widening the document's side margins, tracks which section is on screen,
highlights search hits and find-bar matches, and never fetches anything remote: only images
inside the corpus folder (and `data:` URLs) load. Links are not followed here; the window
decides what a click means. Hovering over (or clicking) a warning-sentence mark says why it is
marked, always as plain text: a tooltip never renders article text as markup.
"""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, QPoint, QPointF, QRegularExpression, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from viewer.core.model import Article
from viewer.render import render_article, render_error, theme_colors
from viewer.render.themes import DEFAULT_SCREEN_PT
from viewer.ui import reading_position as rp
from viewer.ui.page_text import anchor_cursor, reason_at, words_pattern
from viewer.ui.plain_text import tooltip_text

# Body text families of the renderer's stylesheet, used to size the readable measure.
BODY_FAMILIES = ["Georgia", "DejaVu Serif", "Noto Serif", "Times New Roman", "serif"]
# A sample of running English text: its mean advance is a fair "average character".
_SAMPLE = "the quick brown fox jumps over the lazy dog, Kratom and opioid withdrawal"
# Space kept above a heading scrolled to, so it is not glued to the top edge.
HEADING_TOP_GAP = 24
FIND_CURRENT_COLOUR = "#f39c12"


def with_font_override(html: str, family: str, line_spacing: int = 150) -> str:
    """The rendered page with its body text in the reader's chosen font family and spacing."""
    rules = []
    if family:
        rules.append(f'body, p, li, td {{ font-family: "{html_module.escape(family)}"; }}')
    if line_spacing != 150:  # base.css: p 150%, li 140%
        rules.append(
            f"p {{ line-height: {int(line_spacing)}%; }} li {{ line-height: {int(line_spacing) - 10}%; }}"
        )
    if not rules:
        return html
    rule = "<style>" + " ".join(rules) + "</style>"
    return html.replace("</head>", rule + "</head>", 1) if "</head>" in html else rule + html


class ReaderView(QTextBrowser):
    """Shows one article; emits which section is on screen as the reader scrolls."""

    section_changed = Signal(int)  # index into the article's sections, -1 when none
    document_replaced = Signal()  # new page: find-bar matches must be searched again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setAccessibleName("Article")
        self.setAccessibleDescription("The text of the open article")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.article: Article | None = None
        self.corpus_root: Path | None = None
        self.theme = "light"
        self.zoom = 100
        self.font_family = ""
        self.line_spacing = 150
        self.page_width = rp.MEASURE_CHARS
        self.refused: list[str] = []  # resources the pane declined to load (for tests and logs)
        self._anchor_order: list[str] = []
        self._tops: list[float] | None = None
        self._pinned: tuple[int, int] | None = None  # (section, scroll value) after a jump
        self._section = -1
        self._terms: list[str] = []
        self._revealed: list[QTextCursor] = []
        self._find: list[QTextCursor] = []
        self._find_current = -1
        self.annotation_marks: list[QTextEdit.ExtraSelection] = []  # drawn under search marks
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # -- showing pages ---------------------------------------------------------------------

    @property
    def base_font_pt(self) -> float:
        return DEFAULT_SCREEN_PT * self.zoom / 100

    def show_article(self, article: Article) -> None:
        """Render and show an article at its top (raises whatever the renderer raises)."""
        # With the source file and the "not medical advice" notice at the end, as every export.
        page = render_article(
            article, theme=self.theme, base_font_pt=self.base_font_pt, footer=True
        )
        self.article = article
        self._anchor_order = [s.anchor for s in article.sections]
        self._set_page(page)

    def show_error(self, title: str, message: str) -> None:
        """A readable error page in place of an article."""
        self.article = None
        self._anchor_order = []
        self._set_page(render_error(title, message, theme=self.theme))

    def show_blank(self, title: str, message: str) -> None:
        """An empty-state page (no articles in the folder, nothing open yet)."""
        self.show_error(title, message)

    def set_appearance(
        self,
        theme: str,
        zoom: int,
        font_family: str,
        line_spacing: int = 150,
        page_width: int = rp.MEASURE_CHARS,
    ) -> None:
        """Change theme, zoom, font, spacing and width; the page is rendered again at the same
        reading position."""
        wanted = (theme, zoom, font_family, line_spacing, page_width)
        if wanted == (self.theme, self.zoom, self.font_family, self.line_spacing, self.page_width):
            return
        self.theme, self.zoom, self.font_family, self.line_spacing, self.page_width = wanted
        self._apply_palette()
        fraction = self.scroll_fraction()
        if self.article is not None:
            self.show_article(self.article)
            self.set_scroll_fraction(fraction)

    def _set_page(self, page: str) -> None:
        self._apply_palette()
        self._tops = None
        self._pinned = None
        self._find = []
        self._find_current = -1
        self._revealed = []
        self.annotation_marks = []  # their cursors belong to the old page
        # The widget font, not only the document's: QTextEdit copies its own font into the
        # document when it is polished or shown, which would silently change the layout.
        self.setFont(self._body_font())
        # With its scroll bar in place while it is laid out: a long page laid out without one
        # is laid out again at once, narrower, when the bar it needs appears (and then once
        # more for the margins of the narrower measure).
        policy = self.verticalScrollBarPolicy()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHtml(with_font_override(page, self.font_family, self.line_spacing))
        self._apply_measure()
        self.setVerticalScrollBarPolicy(policy)  # a short page gives the bar's room back
        self.sync_scroll_range()
        self.verticalScrollBar().setValue(0)
        self._apply_highlights()
        self.document_replaced.emit()
        self._scrolled()

    def _apply_palette(self) -> None:
        colours = theme_colors(self.theme)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(colours["background"]))
        palette.setColor(QPalette.ColorRole.Text, QColor(colours["text"]))
        palette.setColor(QPalette.ColorRole.Link, QColor(colours["link"]))
        self.setPalette(palette)

    def shown_family(self, family: str | None = None) -> str:
        """The family the page's text really gets for a chosen `family` ("" = the default list)."""
        font = QFont()
        chosen = self.font_family if family is None else family
        font.setFamilies([chosen] + BODY_FAMILIES if chosen else BODY_FAMILIES)
        return QFontInfo(font).family()

    def _body_font(self) -> QFont:
        font = QFont()
        font.setFamilies([self.font_family] + BODY_FAMILIES if self.font_family else BODY_FAMILIES)
        font.setPointSizeF(self.base_font_pt)
        return font

    # -- readable measure --------------------------------------------------------------------

    def _apply_measure(self) -> None:
        metrics = QFontMetricsF(self._body_font())
        char_width = metrics.horizontalAdvance(_SAMPLE) / len(_SAMPLE)
        margin = rp.side_margin(self.viewport().width(), char_width, self.page_width)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - margin) < 1 and abs(fmt.rightMargin() - margin) < 1:
            return
        fmt.setLeftMargin(margin)
        fmt.setRightMargin(margin)
        fmt.setTopMargin(24)
        fmt.setBottomMargin(48)
        frame.setFrameFormat(fmt)
        self._tops = None

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        fraction = self.scroll_fraction()
        super().resizeEvent(event)
        self._apply_measure()
        self._tops = None  # the text reflowed
        if (
            event.oldSize().width() != event.size().width()
            or event.oldSize().height() != event.size().height()
        ):
            if self._pinned is not None:  # just jumped to a section: keep its heading on top
                self.scroll_to_index(self._pinned[0])
            else:
                self.set_scroll_fraction(fraction)
        self._scrolled()

    # -- loading resources: local only ---------------------------------------------------------

    def loadResource(self, resource_type: int, name: QUrl | str) -> object:  # noqa: N802 - Qt override
        name = QUrl(name) if isinstance(name, str) else name
        scheme = name.scheme().lower()
        if scheme == "data":
            return super().loadResource(resource_type, name)
        if (
            resource_type == QTextDocument.ResourceType.ImageResource.value
            and self.corpus_root is not None
        ):
            image = self._local_image(name)
            if image is not None:
                return image
        self.refused.append(name.toString())
        return None

    def _local_image(self, name: QUrl) -> QImage | None:
        """A corpus image (or a placeholder saying why it is not shown: a pipe, too large, ...);
        None for a name outside the corpus folder. The PDF export loads images the same way."""
        # Here, with the first image asked for: most articles have none, and the first paint
        # does not wait for the image module.
        from viewer.export.images import image_name, load_corpus_image

        relative = image_name(name)
        return None if relative is None else load_corpus_image(self.corpus_root, relative)

    # -- positions ------------------------------------------------------------------------------

    def section_tops(self) -> list[float]:
        """The document y of each section's anchor, in article order (cached until relayout)."""
        if self._tops is None:
            found = self._anchor_positions()
            tops, last = [], 0.0
            for anchor in self._anchor_order:
                last = found.get(anchor, last)
                tops.append(last)
            self._tops = tops
        return self._tops

    def _anchor_positions(self) -> dict[str, float]:
        wanted = set(self._anchor_order)
        found: dict[str, float] = {}
        offset = self.verticalScrollBar().value()
        block = self.document().begin()
        while block.isValid() and len(found) < len(wanted):
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                names = [
                    n for n in fragment.charFormat().anchorNames() if n in wanted and n not in found
                ]
                if names:
                    cursor = QTextCursor(self.document())
                    cursor.setPosition(fragment.position())
                    y = self.cursorRect(cursor).top() + offset
                    for name in names:
                        found[name] = float(y)
                iterator += 1
            block = block.next()
        return found

    def current_section(self) -> int:
        return self._section

    def _scrolled(self, *_args) -> None:
        bar = self.verticalScrollBar()
        if self._pinned is not None and self._pinned[1] == bar.value():
            section = self._pinned[0]
        else:
            self._pinned = None
            section = rp.current_section(
                self.section_tops(), bar.value(), self.viewport().height(), bar.maximum()
            )
        if section != self._section:
            self._section = section
            self.section_changed.emit(section)

    def scroll_to_section(self, anchor: str) -> bool:
        """Bring a section's heading to the top; False if the article has no such section."""
        if anchor not in self._anchor_order:
            return False
        index = self._anchor_order.index(anchor)
        self.sync_scroll_range()
        bar = self.verticalScrollBar()
        target = max(0, int(self.section_tops()[index]) - HEADING_TOP_GAP)
        bar.setValue(target)
        self._pinned = (index, bar.value())
        self._scrolled()
        return True

    def scroll_to_index(self, index: int) -> None:
        if 0 <= index < len(self._anchor_order):
            self.scroll_to_section(self._anchor_order[index])

    def scroll_fraction(self) -> float:
        bar = self.verticalScrollBar()
        return rp.scroll_fraction(bar.value(), bar.maximum())

    def set_scroll_fraction(self, fraction: float) -> None:
        self.sync_scroll_range()
        bar = self.verticalScrollBar()
        bar.setValue(rp.scroll_value(fraction, bar.maximum()))

    def sync_scroll_range(self) -> None:
        """Bring the scroll bar's range up to date with the document now.

        QTextEdit updates it only when the layout reports a new size, which can come after
        `setHtml` returns; a position set in between would be measured against the old page."""
        height = self.document().documentLayout().documentSize().height()
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, int(height) - self.viewport().height()))
        bar.setPageStep(self.viewport().height())

    def next_section_index(self) -> int | None:
        return rp.next_section(self.section_tops(), self._section)

    def previous_section_index(self) -> int | None:
        return rp.previous_section(
            self.section_tops(), self._section, self.verticalScrollBar().value() + HEADING_TOP_GAP
        )

    def reveal_text(self, text: str, anchor: str = "", to_block_end: bool = False) -> bool:
        """Scroll to `text` and mark all of it like a search hit, looking from the section
        `anchor` on (then from the top). `to_block_end` extends the mark to the end of the
        paragraph, for a passage known only by its start."""
        if not re.search(r"\w", text):
            return False
        pattern = words_pattern(text)
        starts = [anchor_cursor(self.document(), anchor)] if anchor else []
        for start in starts + [QTextCursor(self.document())]:
            cursor = self.document().find(pattern, start)
            if not cursor.isNull():
                break
        else:
            return False
        if to_block_end:
            end = QTextCursor(cursor)
            end.setPosition(cursor.selectionEnd())
            end.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.setPosition(cursor.selectionStart())
            cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
        self._terms = []
        self._revealed = [cursor]
        self._apply_highlights()
        self._scroll_cursor_to_top(cursor)
        return True

    def revealed_text(self) -> str:
        """The text marked by the last reveal_text ("" when none)."""
        return self._revealed[0].selectedText().replace("\u2029", "\n") if self._revealed else ""

    # -- why a sentence is marked ------------------------------------------------------------------

    def mark_reason_at(self, point: QPoint) -> str:
        """The plain-text reason of the mark under a viewport point ("" when there is none)."""
        offset = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        return reason_at(self.document(), QPointF(point) + offset)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)  # what Qt sends for QEvent.ToolTip
            reason = self.mark_reason_at(help_event.pos())
            if reason:
                QToolTip.showText(help_event.globalPos(), tooltip_text(reason), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        # A click on a mark says why, as hovering does (touch screens have no hover).
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            point = event.position().toPoint()
            reason = self.mark_reason_at(point) if not self.anchorAt(point) else ""
            if reason:
                # After the click is done: a tooltip shown while a mouse event is delivered is
                # hidden again by that same event.
                where = self.viewport().mapToGlobal(point)
                QTimer.singleShot(
                    0, self, lambda: QToolTip.showText(where, tooltip_text(reason), self.viewport())
                )

    def _scroll_cursor_to_top(self, cursor: QTextCursor) -> None:
        bar = self.verticalScrollBar()
        start = QTextCursor(cursor)
        start.setPosition(cursor.selectionStart())
        y = self.cursorRect(start).top() + bar.value()
        bar.setValue(max(0, y - self.viewport().height() // 4))

    # -- highlights --------------------------------------------------------------------------------

    def set_search_terms(self, terms: list[str]) -> int:
        """Highlight every occurrence of the search words (and longer forms); returns the count."""
        self._terms = [t for t in terms if t.strip()]
        self._revealed = []
        return self._apply_highlights()

    def clear_search_terms(self) -> None:
        self._terms = []
        self._revealed = []
        self._apply_highlights()

    def has_search_highlights(self) -> bool:
        return bool(self._terms or self._revealed)

    def set_find_matches(self, matches: list[QTextCursor], current: int) -> None:
        self._find = matches
        self._find_current = current
        self._apply_highlights()
        if 0 <= current < len(matches):
            self.setTextCursor(matches[current])
            self.ensureCursorVisible()

    def search_cursors(self) -> list[QTextCursor]:
        if not self._terms:
            return []
        # A matched phrase ("side effects") is one entry: its words with anything but letters
        # between them, so the phrase is highlighted and not each of its words everywhere.
        alternatives = "|".join(
            r"\W+".join(re.escape(w) for w in t.split())
            for t in sorted(set(self._terms), key=len, reverse=True)
        )
        pattern = QRegularExpression(
            rf"\b(?:{alternatives})\w*", QRegularExpression.PatternOption.CaseInsensitiveOption
        )
        cursors: list[QTextCursor] = []
        cursor = QTextCursor(self.document())
        while True:
            cursor = self.document().find(pattern, cursor)
            if cursor.isNull():
                return cursors
            cursors.append(QTextCursor(cursor))

    def set_annotation_marks(self, marks: list[QTextEdit.ExtraSelection]) -> None:
        """The reader's own highlights (viewer/ui/annotation_marks.py), under search and find marks."""
        self.annotation_marks = marks
        self._apply_highlights()

    def _apply_highlights(self) -> int:
        colours = theme_colors(self.theme)
        selections = list(self.annotation_marks)
        hits = self.search_cursors() + self._revealed
        # Search hits and find-bar matches look different: search hits are marked and
        # underlined, find matches take the find colour (the current one orange).
        search_format = QTextCharFormat()
        search_format.setBackground(QColor(colours["highlight"]))
        search_format.setFontUnderline(True)
        for cursor in hits:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = search_format
            selections.append(selection)
        for index, cursor in enumerate(self._find):
            find_format = QTextCharFormat()
            find_format.setBackground(
                QColor(
                    FIND_CURRENT_COLOUR
                    if index == self._find_current
                    else colours.get("find", colours["highlight"])
                )
            )
            if index == self._find_current:
                find_format.setForeground(QColor("#000000"))
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = find_format
            selections.append(selection)
        self.setExtraSelections(selections)
        return len(hits)
