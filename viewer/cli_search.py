"""CLI handlers for search and index: `search QUERY`, `search - --json` (batch), `index`.

The index lives in the corpus's cache folder; `search` builds or updates it first when needed,
and when the corpus is as the index last recorded it, searches it without loading the library
(viewer.search.freshness). The walk of the corpus that tells starts first, in a child process
(viewer.core.corpus_stamp), and runs while Whoosh is imported, the index opened and the query
run: so this module imports the search package inside its handlers, after that start.
Progress goes to stderr (a bar on a terminal, occasional lines on a long run otherwise), so
stdout carries only results.
"""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, TextIO

from viewer.context import Context
from viewer.core.corpus_stamp import StampWalk, corpus_stamp
from viewer.core.errors import ViewerError
from viewer.core.terminal import terminal_text as safe

if TYPE_CHECKING:
    from viewer.search import SearchIndex, SearchResult, UpdateStats

BAR_WIDTH = 30
TTY_DELAY = 0.5  # seconds before a bar appears on a terminal (short runs stay quiet)
LOG_DELAY = 5.0  # seconds before a non-terminal gets progress lines at all
LOG_STEP = 0.1  # then one line per tenth of the work


class ProgressBar:
    """progress(done, total) callback drawing on stderr, only for runs long enough to need it."""

    def __init__(self, stream: TextIO | None = None, label: str = "Indexing") -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.started = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.drawn = False
        self.last_draw = 0.0
        self.next_step = 0.0
        self.closed = False

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        fraction = done / total if total else 1.0
        if self.tty:
            if elapsed < TTY_DELAY or (elapsed - self.last_draw < 0.1 and done < total):
                return
            filled = int(BAR_WIDTH * fraction)
            self.stream.write(
                f"\r{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{done}/{total} articles"
            )
            self.stream.flush()
            self.drawn, self.last_draw = True, elapsed
        elif (
            elapsed >= LOG_DELAY
            and not self.closed  # the 100% line once, though a build may report it again
            and (fraction >= self.next_step or done == total)
        ):
            self.closed = done >= total
            self.stream.write(
                f"{self.label.lower()}: {int(fraction * 100)}% ({done}/{total} articles)\n"
            )
            self.stream.flush()
            self.next_step = fraction + LOG_STEP

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _open_index(
    context: Context, rebuild: bool = False, for_search: bool = False, stamp: str | None = None
) -> tuple[SearchIndex, UpdateStats]:
    """The index brought up to date with the library; `stamp` is the corpus state taken before
    the library was loaded, recorded once the index reflects it (see search.freshness)."""
    from viewer.search import SearchIndex, UpdateStats
    from viewer.search.index import LOCKED_OUT

    library = context.library()
    index = SearchIndex.for_library(library, context.corpus_cache_dir())
    bar = ProgressBar()
    try:
        stats = index.rebuild(progress=bar) if rebuild else index.ensure_current(progress=bar)
    except ViewerError as exc:
        if not for_search:
            raise
        # An update that cannot be written (a full disk) keeps the previous index: search that.
        print(f"article-viewer: warning: {exc}", file=sys.stderr)
        stats = UpdateStats(reason=str(exc))
    else:
        if stats.reason != LOCKED_OUT:  # another process's index may not be this corpus state
            index.record_corpus_stamp(stamp)
    finally:
        bar.finish()
    return index, stats


def _cold_search(
    index: SearchIndex, args, options: dict, walk: StampWalk
) -> tuple[bool, SearchResult | None]:
    """(True, the query's result, or None for a batch) when the index reflects the corpus as it
    is now (and holds `args.article`, if asked), searched without loading the library; (False,
    None) when the full path is needed. The query runs before the corpus walk is awaited, and
    its result is kept only if the walk gives the recorded stamp and the index is still as
    recorded after the search (an update by another process meanwhile says no)."""
    recorded = index.recorded_corpus_stamp()
    if recorded is None or (args.article and not index.has_article(args.article)):
        return False, None
    result = None if args.query == "-" else index.search(args.query, **options)
    if walk.result() != recorded or index.recorded_corpus_stamp() != recorded:
        return False, None
    return True, result


def cmd_index(args, context: Context) -> int:
    stamp = corpus_stamp(context.corpus)
    index, stats = _open_index(context, rebuild=args.rebuild, stamp=stamp)
    index.close()
    print(stats.summary())
    return 0


def cmd_search(args, context: Context) -> int:
    # First of all, before the library is loaded (see search.freshness) and before Whoosh is
    # imported: the walk then costs nothing but a core the search does not use.
    walk = StampWalk.start(context.corpus)
    try:
        return _search(args, context, walk)
    finally:
        walk.close()


def _search(args, context: Context, walk: StampWalk) -> int:
    from viewer.search import SearchIndex

    options = {"limit": args.limit, "article_id": args.article, "safety_only": args.safety_only}
    index = SearchIndex(context.corpus_cache_dir(), library_loader=context.library)
    try:
        cold, result = _cold_search(index, args, options, walk)
    except ViewerError:  # the query's own mistake: said once, as the full path would say it
        index.close()
        raise
    except Exception:  # noqa: BLE001 - an index that cannot be opened: the full path repairs it
        cold, result = False, None
    if not cold:
        index.close()
        library = context.library()
        if args.article:
            library.get(args.article)  # an unknown id is the user's mistake: say so, exit 1
        index, stats = _open_index(context, for_search=True, stamp=walk.result())
        if stats.rebuilt and stats.reason != "there is no index yet":
            print(f"article-viewer: note: search index rebuilt ({stats.reason})", file=sys.stderr)
    try:
        if args.query == "-":
            _batch(index, options, as_json=args.json)
        else:
            if result is None:
                result = index.search(args.query, **options)
            if args.json:
                json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
            else:
                _print_text(result)
    finally:
        index.close()
    return 0


def _batch(index: SearchIndex, options: dict, as_json: bool) -> None:
    """One result per stdin line; elapsed_ms runs from the query string to finished hits."""
    for line in sys.stdin:
        query = line.rstrip("\r\n")
        started = time.perf_counter()
        result = index.search(query, **options)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        if as_json:
            data = result.to_json()
            data["elapsed_ms"] = round(elapsed_ms, 3)
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            print(f"## {safe(query)}  ({elapsed_ms:.1f} ms)")
            _print_text(result)
        sys.stdout.flush()


def _print_text(result: SearchResult) -> None:
    bold = sys.stdout.isatty()
    for note in result.notes:
        print(f"note: {safe(note)}", file=sys.stderr)
    if result.corrected:
        print(
            f'Showing results for "{safe(result.corrected)}" (no results for "{safe(result.query)}")'
        )
    if not result.hits:
        print(f'No sections match "{safe(result.corrected or result.query)}".')
        return
    print(f"{len(result.hits)} of {result.total} matching sections:")
    for rank, hit in enumerate(result.hits, 1):
        flag = " [safety]" if hit.safety else ""
        print(
            f"{rank:>2}. {safe(hit.article)}#{safe(hit.anchor)}{flag}  {safe(hit.section)}: "
            f"{_terminal_text(hit.spans, bold)}  ({hit.score:.2f})"
        )


def _terminal_text(spans: list[tuple[str, bool]], bold: bool) -> str:
    """The snippet's spans, the matched ones in bold on a terminal (the search layer's idea of
    a match, not a reading of its HTML), control characters escaped so that only our own
    bold codes reach the terminal."""
    return "".join(
        f"\033[1m{safe(text)}\033[0m" if matched and bold else safe(text) for text, matched in spans
    )
