"""CLI handler for `article-viewer print ID [--printer NAME] [--to-file PDF] [--page-size a4|letter]
[--with-annotations]`.

The same code as File > Print (viewer/export/printer and pdf_export.print_article), without the
dialog: the named printer or the system default, or with --to-file a PDF file printed through
the printer as a print dialog's "Print to File" does. Errors (unknown article, unknown printer,
no printer set up) are one line and exit 1, raised as ViewerError and printed by viewer.cli.
`--with-annotations` prints the reader's highlights and notes, as `export --with-annotations`.
"""

from __future__ import annotations

from pathlib import Path

from viewer.context import Context
from viewer.core.atomic import atomic_path
from viewer.core.errors import ViewerError
from viewer.core.terminal import terminal_text


def cmd_print(args, context: Context) -> int:
    from viewer.export.pdf_export import print_article
    from viewer.export.printer import default_printer_name, new_printer

    article = context.library().get(args.id)
    highlights = ()
    if getattr(args, "with_annotations", False):
        from viewer.cli_export import annotation_options

        highlights = annotation_options(article, context).annotations
    if args.to_file:
        target = Path(args.to_file)
        if target.is_dir():
            raise ViewerError(f"cannot write {target}: it is a folder")
        with atomic_path(target) as temp:
            printer = new_printer(args.page_size, args.printer, to_file=temp)
            print_article(article, printer, context.corpus, highlights)
            del printer  # finishes the file before it is renamed into place
        print(f"Printed '{terminal_text(article.title)}' to {terminal_text(target)}")
        return 0
    if not args.printer and not default_printer_name():
        raise ViewerError(
            "no printer is set up (name one with --printer, or print into a PDF with --to-file)"
        )
    printer = new_printer(args.page_size, args.printer)
    print_article(article, printer, context.corpus, highlights)
    name = printer.printerName() or "the default printer"
    print(f"Sent '{terminal_text(article.title)}' to {terminal_text(name)}")
    return 0
