"""One entry point and one table for every export format: pick the writer, write atomically.

`EXPORT_FORMATS` is the only list of formats: the CLI's --format choices, the Export dialog's
filters and the extension a file name asks for all come from it. `export(ExportRequest(...))`
writes one article; the request object is where options are added (a page size, progress,
the collection folder images load from), so callers and writers keep one shape. Used by the
CLI (`article-viewer export`) and the GUI's Export... action. The file appears only when it is
complete: a failure leaves no half file and never touches an existing one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from viewer.core.atomic import atomic_path, write_text_atomically
from viewer.core.errors import ViewerError
from viewer.core.model import Article
from viewer.render import annotated
from viewer.render.annotated import ExportNote, ExportOptions


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its id (CLI --format), its name in messages, its label in the Export
    dialog, and the file extensions that ask for it (the first is added when none is given)."""

    id: str
    name: str
    dialog_label: str
    extensions: tuple[str, ...]

    @property
    def dialog_filter(self) -> str:
        return f"{self.dialog_label} ({' '.join('*' + e for e in self.extensions)})"


EXPORT_FORMATS = (
    ExportFormat("pdf", "PDF document", "PDF document", (".pdf",)),
    ExportFormat("html", "HTML page", "Web page", (".html", ".htm")),
    ExportFormat("md", "Markdown", "Markdown", (".md", ".markdown")),
    ExportFormat("txt", "Plain text", "Plain text", (".txt",)),
)
FORMATS = tuple(f.id for f in EXPORT_FORMATS)
FORMAT_NAMES = {f.id: f.name for f in EXPORT_FORMATS}
EXTENSIONS = {extension: f.id for f in EXPORT_FORMATS for extension in f.extensions}
# (pages done, pages in all): lets the GUI show progress for a long PDF.
Progress = Callable[[int, int], None]


def format_for_path(path: Path | str) -> str:
    """The export format an output file name asks for, or a ViewerError naming the file."""
    suffix = Path(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(sorted(EXTENSIONS))
    if not suffix:
        raise ViewerError(
            f"cannot tell the export format of {path}: it has no extension "
            f"(use one of {known}, or --format)"
        )
    raise ViewerError(
        f"cannot tell the export format of {path} from '{suffix}' (use one of {known}, or --format)"
    )


def export_text(article: Article, fmt: str, highlights: tuple[ExportNote, ...] = ()) -> str:
    """The text of a text format (html, md, txt) for an article, with the reader's
    highlights when given (drawn from the blocks, viewer/render/highlights)."""
    if fmt == "html":
        from viewer.export.html_export import article_to_html

        return article_to_html(article, highlights=highlights)
    if fmt == "md":
        from viewer.export.markdown_export import article_to_markdown_export

        return article_to_markdown_export(article, highlights)
    if fmt == "txt":
        from viewer.export.text_export import article_to_text

        return article_to_text(article, highlights)
    raise ViewerError(f"'{fmt}' is not a text export format (choose from html, md, txt)")


def export_format(fmt: str) -> ExportFormat:
    """The format with this id, or a ViewerError naming the choices."""
    found = next((f for f in EXPORT_FORMATS if f.id == fmt), None)
    if found is None:
        raise ViewerError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    return found


@dataclass
class ExportRequest:
    """What to export and how: the article, the file, the format (None: from the extension),
    the PDF page size (None: from the locale), a progress callback, the collection folder
    a PDF's images are loaded from (as the reader does), and the annotation options."""

    article: Article
    path: Path | str
    fmt: str | None = None
    page_size: str | None = None
    progress: Progress | None = None
    corpus_root: Path | None = None
    options: ExportOptions | None = None  # highlights and notes, or a selection only


def export_article(
    article: Article,
    fmt: str | None,
    path: Path | str,
    page_size: str | None = None,
    progress: Progress | None = None,
    corpus_root: Path | None = None,
    options: ExportOptions | None = None,
) -> Path:
    """Write the article to `path` as `fmt` (None: from the extension); returns the path."""
    return export(ExportRequest(article, path, fmt, page_size, progress, corpus_root, options))


def export(request: ExportRequest) -> Path:
    """Carry out an export request; returns the path written. The request's `options` add the
    reader's highlights and notes, or keep only a selection (viewer/render/annotated.py: the
    article is narrowed first; the highlights become marks on the blocks every writer reads)."""
    progress, options = request.progress, request.options
    page_size, corpus_root = request.page_size, request.corpus_root
    article = annotated.prepare(request.article, options)  # only the selection, when one is given
    highlights = annotated.highlights_of(options)
    path = Path(request.path)
    fmt = request.fmt or format_for_path(path)
    export_format(fmt)
    try:
        is_folder = path.is_dir()
    except OSError as exc:  # a name over the file system's limit, a folder that cannot be read
        raise ViewerError(f"cannot write {path}: {exc.strerror or exc}") from None
    if is_folder:
        raise ViewerError(f"cannot write {path}: it is a folder")
    if fmt == "pdf":
        from viewer.export.pdf_export import write_pdf

        with atomic_path(path) as temp:
            write_pdf(
                article,
                temp,
                page_size=page_size,
                progress=progress,
                corpus_root=corpus_root,
                highlights=highlights,
            )
    else:
        text = export_text(article, fmt, highlights)
        write_text_atomically(path, text)
        if progress is not None:
            progress(1, 1)
    return path
