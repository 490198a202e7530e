"""The command line: the GUI by default, and list/show/topics/search/export/print/index/import.

Exit codes: 0 done, 1 a runtime error (one line on stderr), 2 a usage error. A user's mistake
never prints a traceback. Each command's handler lives in its own module and is imported only
when that command runs, so `list` does not pay for Qt or Whoosh.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Sequence

from viewer import APP_ID, __version__
from viewer.core.errors import ViewerError

PROG = APP_ID

# command -> "module:function"; the handler takes (args, context) and returns an exit code.
HANDLERS = {
    "list": "viewer.cli_library:cmd_list",
    "show": "viewer.cli_library:cmd_show",
    "topics": "viewer.cli_library:cmd_topics",
    "import": "viewer.cli_library:cmd_import",
    "search": "viewer.cli_search:cmd_search",
    "index": "viewer.cli_search:cmd_index",
    "export": "viewer.cli_export:cmd_export",
    "annotations": "viewer.cli_annotations:cmd_annotations",
    "print": "viewer.cli_print:cmd_print",
}


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="corpus folder (default: $ARTICLE_VIEWER_CORPUS or the bundled corpus)",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache folder for the search index (default: $ARTICLE_VIEWER_CACHE or ~/.cache/article-viewer)",
    )


def _add_export_parser(commands) -> None:
    from viewer.export.dispatch import FORMATS as EXPORT_FORMATS  # the one table of export formats

    p = commands.add_parser("export", help="export an article (pdf, html, md, txt)")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--format", choices=EXPORT_FORMATS, help="format (default: from the file extension)"
    )
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="file to write")
    p.add_argument(
        "--page-size", choices=("a4", "letter"), help="PDF page size (default: from the locale)"
    )
    p.add_argument(
        "--with-annotations",
        action="store_true",
        help="include your highlights (marked) and notes (at the end)",
    )


def build_command_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `command`, of that one only where the others need
    imports to describe their options (a one-shot `search` should not import the export and
    annotation modules)."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Read, search and export a collection of articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("list", help="list the articles")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = commands.add_parser("show", help="show one article")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = commands.add_parser("topics", help="show the topic tree")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = commands.add_parser("search", help="search the articles")
    p.add_argument(
        "query", metavar="QUERY", help="the query, or - to read queries from stdin (one per line)"
    )
    p.add_argument("--json", action="store_true", help="print JSON (JSON Lines with -)")
    p.add_argument(
        "--limit", type=_positive_int, default=10, metavar="N", help="at most N hits (default 10)"
    )
    p.add_argument("--safety-only", action="store_true", help="only safety sections")
    p.add_argument("--article", metavar="ID", help="search within one article")

    if command in (None, "export"):
        _add_export_parser(commands)

    p = commands.add_parser("print", help="print an article (as File > Print does)")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--printer", metavar="NAME", help="printer to use (default: the system's default printer)"
    )
    p.add_argument(
        "--to-file",
        metavar="PDF",
        help="print into this PDF file instead, as a print dialog's Print to File",
    )
    p.add_argument(
        "--page-size", choices=("a4", "letter"), help="paper size (default: from the locale)"
    )
    p.add_argument(
        "--with-annotations",
        action="store_true",
        help="include your highlights (marked) and notes (at the end)",
    )

    p = commands.add_parser("index", help="build or update the search index")
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")

    if command in (None, "annotations"):
        from viewer.cli_annotations import add_parser as add_annotations_parser

        add_annotations_parser(commands)

    p = commands.add_parser(
        "import", help="convert .txt articles (seed layout) into Markdown with front matter"
    )
    p.add_argument("sources", nargs="+", metavar="FILE", help=".txt files to import")
    p.add_argument(
        "-o",
        "--output-dir",
        required=True,
        metavar="DIR",
        help="folder to write the .md files into",
    )
    p.add_argument(
        "--title",
        action="append",
        default=[],
        metavar="FILE=TITLE",
        help="title for one source file (by file name); default: derived from the text",
    )
    p.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="FILE=NAME",
        help="output file name (without .md) for one source file; default: from the title",
    )
    return parser


def build_gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Open the reader. Commands: " + ", ".join(HANDLERS) + " (see COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser)
    parser.add_argument("article_id", nargs="?", metavar="ARTICLE_ID", help="article to open")
    parser.add_argument("--article", dest="article_option", metavar="ID", help="article to open")
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="save a PNG of the window after the first paint, then exit",
    )
    parser.add_argument("--search", metavar="Q", help="run this search in the search panel")
    parser.add_argument(
        "--theme", choices=("light", "dark", "high-contrast", "system"), help="colour theme"
    )
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1280x800")
    parser.add_argument(
        "--settings", metavar="FILE", help="settings file (default: the user's settings)"
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1280x800") from None
    if not (200 <= width <= 10000 and 150 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"size {text} is out of range (200x150 to 10000x10000)")
    return width, height


def _first_positional(argv: Sequence[str]) -> str | None:
    """The first word that is not an option or an option's value (to tell commands from the GUI)."""
    takes_value = {"--corpus", "--cache-dir"}
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word in takes_value:
            skip = True
            continue
        if word.split("=", 1)[0] in takes_value:  # --corpus=DIR
            continue
        if word.startswith("-"):
            if word in ("-h", "--help", "--version"):
                continue
            return None  # a GUI option such as --screenshot comes first: the GUI
        return word
    return None


SEARCH_OPTIONS = {"--json", "--limit", "--safety-only", "--article", "-h", "--help"}


def _protect_dash_query(argv: list[str]) -> list[str]:
    """`search -kratom` means "not kratom", not an unknown option: put `--` before such a query."""
    if "search" not in argv or "--" in argv:
        return argv
    at = argv.index("search") + 1
    while at < len(argv):
        word = argv[at]
        if word.split("=", 1)[0] in SEARCH_OPTIONS or word == "-":
            at += 2 if word in ("--limit", "--article") else 1
            continue
        if word.startswith("-") and not word.startswith("--") and len(word) > 1:
            # The query goes last, after "--", so options written after it still count.
            return argv[:at] + argv[at + 1 :] + ["--", word]
        return argv
    return argv


class _TerminalFormatter(logging.Formatter):
    """Warnings quote file names and titles: their control characters are shown, not obeyed."""

    def format(self, record: logging.LogRecord) -> str:
        from viewer.core.terminal import terminal_text

        return terminal_text(super().format(record))


def _log_to_stderr() -> None:
    """Warnings (a cache that cannot be written, a garbled setting) as one prefixed line each."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(_TerminalFormatter(f"{PROG}: warning: %(message)s"))
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    as_program = argv is None  # the console script or `python -m viewer`, not a caller in Python
    argv = list(sys.argv[1:] if argv is None else argv)
    is_command = _first_positional(argv) in HANDLERS
    if is_command:
        argv = _protect_dash_query(argv)
    parser = build_command_parser(_first_positional(argv)) if is_command else build_gui_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    _log_to_stderr()
    if as_program and not is_command:
        # The window: no collections until its first paint (see viewer/ui/app.py, run_app),
        # from here on, as the collection's modules and Qt are imported.
        gc.disable()
    from viewer.context import Context

    context = Context.from_args(args.corpus, args.cache_dir)
    try:
        if is_command:
            module_name, function = HANDLERS[args.command].split(":")
            handler = getattr(importlib.import_module(module_name), function)
        else:
            from viewer.gui_launch import finish_process, launch_gui

            code = launch_gui(args, context)
            if as_program:
                finish_process(code)
            return code
        return handler(args, context)
    except ViewerError as exc:
        from viewer.core.terminal import terminal_text

        print(f"{PROG}: error: {terminal_text(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `article-viewer list | head`: the reader went away; not an error worth a traceback.
        sys.stderr.close()
        return 0
