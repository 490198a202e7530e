"""Opening an article: render + layout time, against laying out the same file as plain text.

For each article: `render_article` (Markdown, sanitizing, safety callouts, stylesheet), a
QTextDocument given that HTML at the reading pane's width, and its layout forced to the last
block; the baseline lays out the file's raw text the same way (what the bare window does).
Also measured: the reading pane's own `show_article` (render, page set-up, highlights) in a
shown pane, layout forced, which is what the reader waits for when opening an article (at the
pane's larger reading font, so it lays out more lines than the bare QTextDocument).

Articles: the five bundled ones (the seeds), and a generated 1 MB article in the seed .txt
layout and as Markdown. Medians of `--runs` runs, after one warm-up.

    python -m benchmarks render [--runs 7]

Targets (issue 8): under 50 ms for the seeds, under 500 ms for a 1 MB article.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.corpus_gen import ArticleWriter
from benchmarks.report import DATA_DIR, SEED, Figure, bundled_corpus, figure, median, print_table

SEED_MS = 50.0
LARGE_MS = 500.0
LARGE_BYTES = 1_000_000
PANE_WIDTH = 760  # the reading column's width in a 1280-wide window


def large_article_files() -> list[Path]:
    """A generated article of about 1 MB, in the seed .txt layout and as Markdown."""
    folder = DATA_DIR / "large-article"
    txt, md = folder / "large-article.txt", folder / "large-article.md"
    if txt.is_file() and md.is_file() and txt.stat().st_size >= LARGE_BYTES:
        return [txt, md]
    folder.mkdir(parents=True, exist_ok=True)
    writer = ArticleWriter(SEED)
    summary, intro, conclusion = (
        writer.paragraph((2, 3)),
        writer.paragraph((4, 6)),
        writer.paragraph((3, 5)),
    )
    sections: list[tuple[str, list[str]]] = []
    size = len(summary) + len(intro) + len(conclusion)
    while size < LARGE_BYTES:
        heading = f"{writer.heading()} {len(sections) + 1}"
        paragraphs = [writer.paragraph() for _ in range(2)]
        sections.append((heading, paragraphs))
        size += len(heading) * 2 + sum(len(p) + 1 for p in paragraphs)
    lines = [summary, intro] + [f"- {h}" for h, _ in sections]
    for heading, paragraphs in sections:
        lines += [heading, *paragraphs]
    txt.write_text("\n".join(lines + [conclusion]) + "\n", encoding="utf-8")
    body = [f"---\ntitle: A Very Long Generated Article\nsummary: {summary}\n---\n", intro, ""]
    for heading, paragraphs in sections:
        body += [f"## {heading}", ""] + [p + "\n" for p in paragraphs]
    md.write_text("\n".join(body + ["## Conclusion", "", conclusion]) + "\n", encoding="utf-8")
    return [txt, md]


def _force_layout(document) -> None:
    document.size()
    document.documentLayout().blockBoundingRect(document.lastBlock())


def render_and_layout_ms(article) -> float:
    from PySide6.QtGui import QTextDocument

    from viewer.render import render_article

    started = time.perf_counter()
    document = QTextDocument()
    document.setHtml(render_article(article))
    document.setTextWidth(PANE_WIDTH)
    _force_layout(document)
    return (time.perf_counter() - started) * 1000


def plain_layout_ms(path: Path) -> float:
    from PySide6.QtGui import QTextDocument

    started = time.perf_counter()
    document = QTextDocument()
    document.setPlainText(path.read_text(encoding="utf-8", errors="replace"))
    document.setTextWidth(PANE_WIDTH)
    _force_layout(document)
    return (time.perf_counter() - started) * 1000


def reader_open_ms(reader, article) -> float:
    reader.article = None
    started = time.perf_counter()
    reader.show_article(article)
    _force_layout(reader.document())
    elapsed = (time.perf_counter() - started) * 1000
    if reader.document().textWidth() <= 0:
        raise RuntimeError("the reading pane did not lay its page out (is it shown?)")
    return elapsed


def _timed(fn, runs: int) -> float:
    fn()  # warm-up: first-use costs (fonts, caches) are start-up's, not opening's
    return median([fn() for _ in range(runs)])


def run(argv: list[str]) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks render", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs per article (default 7)")
    args = parser.parse_known_args(argv)[0]

    from PySide6.QtWidgets import QApplication

    from viewer.core.library import Library, default_annotators, read_article
    from viewer.core.topics import Taxonomy
    from viewer.ui.reader import ReaderView

    app = QApplication.instance() or QApplication([sys.argv[0]])
    reader = ReaderView()
    reader.resize(PANE_WIDTH + 40, 700)
    reader.show()  # a hidden text view does not lay its document out at all
    app.processEvents()
    seeds = Library.load(bundled_corpus())
    taxonomy, annotators = Taxonomy.load(), default_annotators()
    large = []
    for path in large_article_files():
        article = read_article(path, path.stem + "-" + path.suffix[1:], path.name)
        taxonomy.assign(article)
        for annotate in annotators:
            annotate(article)
        large.append((path, article))

    rows = []
    for article in seeds.articles:
        path = seeds.root / article.path
        rows.append(
            (
                article.id,
                _timed(lambda: render_and_layout_ms(article), args.runs),
                _timed(lambda: plain_layout_ms(path), args.runs),
                _timed(lambda: reader_open_ms(reader, article), args.runs),
            )
        )
    large_rows = []
    for path, article in large:
        large_rows.append(
            (
                f"{path.name} ({path.stat().st_size / 1e6:.1f} MB, {len(article.sections)} sections)",
                _timed(lambda: render_and_layout_ms(article), max(3, args.runs // 2)),
                _timed(lambda: plain_layout_ms(path), max(3, args.runs // 2)),
                _timed(lambda: reader_open_ms(reader, article), max(3, args.runs // 2)),
            )
        )
    print(f"\n{'article':<62} {'render+layout':>14} {'plain layout':>13} {'reading pane':>13}")
    for name, ours, base, pane in rows + large_rows:
        print(f"{name:<62} {ours:>11.1f} ms {base:>10.1f} ms {pane:>10.1f} ms")
    reader.deleteLater()
    app.processEvents()

    worst = max(rows, key=lambda r: r[1])
    figures = [
        figure(
            f"render+layout, slowest seed ({worst[0]}) (ms)",
            worst[1],
            worst[2],
            f"< {SEED_MS:g} ms",
            worst[1] < SEED_MS,
        ),
        figure("open in the reading pane, slowest seed (ms)", max(r[3] for r in rows), worst[2]),
    ]
    for name, ours, base, pane in large_rows:
        figures.append(
            figure(f"render+layout, {name} (ms)", ours, base, f"< {LARGE_MS:g} ms", ours < LARGE_MS)
        )
        figures.append(figure(f"open in the reading pane, {name.split(' ')[0]} (ms)", pane, base))
    return figures


def main(argv: list[str] | None = None) -> int:
    print_table(run(list(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
