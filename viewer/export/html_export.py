"""HTML export: one self-contained file that looks like the reading pane in a browser.

The body is the renderer's own HTML (so screen and file cannot drift apart), with the source and
disclaimer at the foot. The file needs nothing else: the stylesheet is inline, there is no
script, no image or font is fetched (even local images become placeholders, since the file may
travel without them), and a Content-Security-Policy forbids loading anything should a future
change let something through. Browser-only rules (a readable column, `@media print`) are added
here because Qt's rich-text engine does not need them.
"""

from __future__ import annotations

from viewer import APP_NAME
from viewer.core.model import Article
from viewer.render.highlight_html import highlight_css
from viewer.render.highlights import ExportNote
from viewer.render.html import render_article
from viewer.render.markup import escape_html
from viewer.render.themes import stylesheet, theme_colors

# Nothing may load: no scripts, no remote or local resources, only the inline stylesheet.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)

_BROWSER_CSS = """
/* Browser layout: a readable column, like the reading pane. */
html { background-color: BACKGROUND; }
body { max-width: 44em; margin: 2.5em auto 4em auto; padding: 0 1.4em; }
p, li { line-height: 1.55; }
h2, h3, h4, h5, h6 { line-height: 1.25; }
table.summary, table.safety { border-radius: 3px; }
table.summary td, table.safety td { padding: 0.7em 1em; }
table.caution { margin: 0.3em 0 0.9em 0; }
@page { margin: 18mm 18mm 20mm 18mm; }
@media print {
PRINT_CSS
  html, body { background-color: #ffffff !important; }
  body { max-width: none; margin: 0; padding: 0; }
  table.summary, table.summary td { background-color: #f2f2f2 !important; border-color: #707070 !important; }
  table.safety, table.safety td { background-color: #fff4e4 !important; border-color: #000000 !important; }
  td.caution-bar { background-color: #505050 !important; }
  td.caution-body { background-color: #fbf6ee !important; }
  h1, h2, h3, h4, h5, h6, p.safety-label, p.caution-tag { page-break-after: avoid; break-after: avoid; }
  table.caution, p { orphans: 3; widows: 3; }
  table.caution { page-break-inside: avoid; break-inside: avoid; }
  a { color: #000000; }
}
"""


def _indent(css: str) -> str:
    return "\n".join("  " + line if line.strip() else line for line in css.splitlines())


def article_to_html(
    article: Article, theme: str = "light", highlights: tuple[ExportNote, ...] = ()
) -> str:
    """The article as one standalone HTML document (UTF-8 text), with the reader's
    highlights and notes when given."""
    html = render_article(
        article, theme=theme, footer=True, local_images=False, highlights=highlights
    )
    extra = _BROWSER_CSS.replace("BACKGROUND", theme_colors(theme)["background"]).replace(
        "PRINT_CSS", _indent(stylesheet(theme, for_print=True))
    )
    head_extra = (
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{escape_html(APP_NAME)}">\n'
    )
    html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + head_extra, 1)
    if highlights:
        extra = extra.rstrip("\n") + "\n" + highlight_css()
    return html.replace("\n</style>", "\n" + extra.strip("\n") + "\n</style>", 1)
