"""CLI handler for `article-viewer export ID [--format pdf|html|md|txt] -o PATH [--page-size]`.

The format comes from --format, else from the output file's extension. Errors (unknown article,
unknown extension, a folder that does not exist or cannot be written) are one line and exit 1,
raised as ViewerError and printed by viewer.cli.
"""

from __future__ import annotations

from pathlib import Path

from viewer.context import Context
from viewer.core.terminal import terminal_text
from viewer.export.dispatch import FORMAT_NAMES, export_article, format_for_path


def cmd_export(args, context: Context) -> int:
    output = Path(args.output)
    # Check the file name before loading the library, so a typo fails fast.
    fmt = args.format or format_for_path(output)
    article = context.library().get(args.id)
    written = export_article(article, fmt, output, page_size=args.page_size, corpus_root=context.corpus)
    print(f"Exported '{terminal_text(article.title)}' as {FORMAT_NAMES[fmt]} to {terminal_text(written)}")
    return 0
