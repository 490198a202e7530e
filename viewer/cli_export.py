"""CLI handler for `article-viewer export ID [--format pdf|html|md|txt] -o PATH [--page-size]
[--with-annotations]`.

The format comes from --format, else from the output file's extension. Errors (unknown article,
unknown extension, a folder that does not exist or cannot be written) are one line and exit 1,
raised as ViewerError and printed by viewer.cli. `--with-annotations` adds the article's
highlights and notes from the annotations database (the one the reader uses).
"""

from __future__ import annotations

from pathlib import Path

from viewer.context import Context
from viewer.core.errors import ViewerError
from viewer.core.terminal import terminal_text
from viewer.export.dispatch import FORMAT_NAMES, export_article, format_for_path


def cmd_export(args, context: Context) -> int:
    output = Path(args.output)
    # Check the file name before loading the library, so a typo fails fast.
    fmt = args.format or format_for_path(output)
    article = context.library().get(args.id)
    options = (
        annotation_options(article, context) if getattr(args, "with_annotations", False) else None
    )
    written = export_article(
        article, fmt, output, page_size=args.page_size, corpus_root=context.corpus, options=options
    )
    added = ""
    if options is not None:
        count = len(options.annotations)
        added = (
            f" with {count} highlight{'s' if count != 1 else ''}"
            if count
            else " (it has no highlights)"
        )
    print(
        f"Exported '{terminal_text(article.title)}' as {FORMAT_NAMES[fmt]}{added} to {terminal_text(written)}"
    )
    return 0


def annotation_options(article, context: Context):
    """The article's highlights and notes for the export; a database that cannot be read is an
    error (the user asked for them), not an export without them."""
    from viewer.core.annotations.location import default_data_dir
    from viewer.core.annotations.store import AnnotationStore
    from viewer.render.annotated import ExportOptions, notes_for_export

    store = AnnotationStore.open(default_data_dir(), context.corpus)
    try:
        if not store.available:
            raise ViewerError(store.problem or "the annotations cannot be read")
        return ExportOptions(notes_for_export(article, store.annotations(article.id)))
    finally:
        store.close()
