"""The bare PySide6 window that start-up and memory are compared with.

A QMainWindow with a QTreeWidget dock listing the corpus's article files and a QTextBrowser
showing the first article's raw text: what any Qt reader must do at least. It saves a
screenshot right after its first paint and exits, then prints the same JSON line as
startup_probe.py (first paint time, end time, peak memory).

    python -m benchmarks.baseline_window --corpus DIR --screenshot OUT.png [--size 1280x800]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline_window")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QApplication,
        QDockWidget,
        QMainWindow,
        QTextBrowser,
        QTreeWidget,
        QTreeWidgetItem,
    )

    from benchmarks.paint_marker import FirstPaintMarker

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    tree = QTreeWidget()
    tree.setHeaderHidden(True)
    names = sorted(
        entry.name
        for entry in os.scandir(args.corpus)
        if entry.is_file() and entry.name.lower().endswith(ARTICLE_SUFFIXES)
    )
    tree.addTopLevelItems([QTreeWidgetItem([name]) for name in names])
    dock = QDockWidget("Articles")
    dock.setWidget(tree)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    browser = QTextBrowser()
    if names:
        with open(
            os.path.join(args.corpus, names[0]), encoding="utf-8", errors="replace"
        ) as handle:
            browser.setPlainText(handle.read())
    window.setCentralWidget(browser)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)

    def shoot() -> None:
        window.grab().save(args.screenshot, "PNG")
        window.close()
        app.quit()

    marker = FirstPaintMarker(lambda view: view is browser, on_marked=shoot)
    app.installEventFilter(marker)
    window.show()
    app.exec()
    ended = time.time()
    from benchmarks.report import peak_rss_mb  # only now: its imports are not the app's

    print(
        json.dumps(
            {
                "first_paint": marker.at,
                "exit": ended,
                "peak_rss_mb": peak_rss_mb(),
                "imported": marker.imported,
                "code": 0,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
