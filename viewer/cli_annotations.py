"""CLI handlers for `article-viewer annotations [--article ID] [--json]` and
`article-viewer annotations export [--article ID] --format md|json -o PATH`.

Annotations are read from the user's data folder (or --data-dir / $ARTICLE_VIEWER_DATA) for
the chosen corpus and placed in their articles' current text, so the list says which ones
re-anchored after an edit and which are orphaned. A damaged database is one line, exit 1.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from viewer.context import Context
from viewer.core.annotations.collect import place_all
from viewer.core.annotations.export import FORMATS, annotation_json, write_export
from viewer.core.annotations.location import default_data_dir
from viewer.core.annotations.store import AnnotationStore
from viewer.core.errors import ViewerError

log = logging.getLogger(__name__)
QUOTE_WIDTH = 70


def add_parser(commands) -> None:
    """The `annotations` command and its `export` subcommand (called by viewer/cli.py)."""
    p = commands.add_parser("annotations", help="list or export highlights, notes and bookmarks")
    _common(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    e = actions.add_parser(
        "export", help="export annotations to Markdown or W3C Web Annotation JSON-LD"
    )
    _common(e)
    e.add_argument(
        "--format", choices=FORMATS, help="md or json (default: from the file extension)"
    )
    e.add_argument("-o", "--output", required=True, metavar="PATH", help="file to write")


def _common(parser) -> None:
    parser.add_argument("--article", metavar="ID", help="only this article")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder of the annotation database (default: $ARTICLE_VIEWER_DATA or the user's data folder)",
    )


def _open_store(args, context: Context) -> AnnotationStore:
    data_dir = Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()
    store = AnnotationStore.open(data_dir, context.corpus)
    if not store.available:
        raise ViewerError(store.problem)
    if store.problem:
        log.warning("%s", store.problem)
    return store


def _placed(args, context: Context):
    library = context.library()
    if args.article and args.article not in library:
        raise ViewerError(f"no article with id '{args.article}' in {context.corpus}")
    store = _open_store(args, context)
    try:
        return place_all(library, store.annotations(args.article or None))
    finally:
        store.close()


def cmd_annotations(args, context: Context) -> int:
    if getattr(args, "action", None) == "export":
        return _cmd_export(args, context)
    placed = _placed(args, context)
    if args.json:
        json.dump(
            {
                "corpus": str(context.corpus.resolve()),
                "total": len(placed),
                "annotations": [annotation_json(p) for p in placed],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return 0
    if not placed:
        print("No annotations" + (f" in {args.article}" if args.article else "") + ".")
        return 0
    article = None
    for p in placed:
        if p.annotation.article_id != article:
            article = p.annotation.article_id
            print(f"{p.title or article} ({article})")
        print("  " + _line(p))
    return 0


def _line(p) -> str:
    a = p.annotation
    if a.is_bookmark:
        where = f"section “{p.section_heading}”" if p.section_heading else "the article"
        return f"[bookmark] {where}"
    quote = " ".join(a.quote.exact.split())
    if len(quote) > QUOTE_WIDTH:
        quote = quote[: QUOTE_WIDTH - 1] + "…"
    state = (
        " (orphaned: no longer in the article)"
        if p.orphaned
        else (" (re-anchored after an edit)" if p.status == "re-anchored" else "")
    )
    note = f" — {' '.join(a.note.split())}" if a.note.strip() else ""
    return f"[{a.colour}] “{quote}”{note}{state}"


def _cmd_export(args, context: Context) -> int:
    output = Path(args.output)
    fmt = args.format or {".md": "md", ".markdown": "md", ".json": "json", ".jsonld": "json"}.get(
        output.suffix.lower()
    )
    if fmt is None:
        raise ViewerError(f"cannot tell the format of {output}: use --format md or --format json")
    placed = _placed(args, context)
    label = (
        f"Annotations of {args.article}"
        if args.article
        else f"Annotations in {context.corpus.resolve().name}"
    )
    write_export(placed, fmt, output, label)
    print(
        f"Exported {len(placed)} annotation{'s' if len(placed) != 1 else ''} as "
        f"{'Markdown' if fmt == 'md' else 'JSON-LD'} to {output}"
    )
    return 0
