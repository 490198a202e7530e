"""One entry point for every export format: pick the writer, write the file atomically.

Used by the CLI (`article-viewer export`) and the GUI's Export... action. The file appears
only when it is complete: a failure leaves no half file and never touches an existing one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from viewer.core.atomic import atomic_path, write_text_atomically
from viewer.core.errors import ViewerError
from viewer.core.model import Article
from viewer.render import annotated
from viewer.render.annotated import ExportOptions

FORMATS = ("pdf", "html", "md", "txt")
FORMAT_NAMES = {"pdf": "PDF document", "html": "HTML page", "md": "Markdown", "txt": "Plain text"}
EXTENSIONS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".txt": "txt"}
# (pages done, pages in all): lets the GUI show progress for a long PDF.
Progress = Callable[[int, int], None]


def format_for_path(path: Path | str) -> str:
    """The export format an output file name asks for, or a ViewerError naming the file."""
    suffix = Path(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(sorted(EXTENSIONS))
    if not suffix:
        raise ViewerError(f"cannot tell the export format of {path}: it has no extension "
                          f"(use one of {known}, or --format)")
    raise ViewerError(f"cannot tell the export format of {path} from '{suffix}' (use one of {known}, or --format)")


def export_text(article: Article, fmt: str) -> str:
    """The text of a text format (html, md, txt) for an article."""
    if fmt == "html":
        from viewer.export.html_export import article_to_html

        return article_to_html(article)
    if fmt == "md":
        from viewer.export.markdown_export import article_to_markdown_export

        return article_to_markdown_export(article)
    if fmt == "txt":
        from viewer.export.text_export import article_to_text

        return article_to_text(article)
    raise ViewerError(f"'{fmt}' is not a text export format (choose from html, md, txt)")


def export_article(article: Article, fmt: str | None, path: Path | str, page_size: str | None = None,
                   progress: Progress | None = None, corpus_root: Path | None = None,
                   options: ExportOptions | None = None) -> Path:
    """Write the article to `path` as `fmt` (None: from the extension); returns the path.

    `corpus_root` is the collection folder a PDF's images are loaded from (as the reader does).
    `options` adds the reader's highlights and notes (viewer/render/annotated.py, applied to the
    writer's output in one call: `annotated.finish`)."""
    path = Path(path)
    article = annotated.prepare(article, options)  # only the selection, when one is given
    fmt = fmt or format_for_path(path)
    if fmt not in FORMATS:
        raise ViewerError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    try:
        is_folder = path.is_dir()
    except OSError as exc:  # a name over the file system's limit, a folder that cannot be read
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    if is_folder:
        raise ViewerError(f"cannot write {path}: it is a folder")
    if fmt == "pdf":
        from viewer.export.pdf_export import write_pdf

        with atomic_path(path) as temp:
            write_pdf(article, temp, page_size=page_size, progress=progress, corpus_root=corpus_root,
                      html_filter=(lambda html: annotated.finish(html, "pdf", options)) if options else None)
    else:
        text = annotated.finish(export_text(article, fmt), fmt, options)
        write_text_atomically(path, text)
        if progress is not None:
            progress(1, 1)
    return path
