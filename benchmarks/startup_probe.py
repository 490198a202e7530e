"""Runs Article Viewer in this process, as `python -m viewer ARGS` would, and prints one JSON
line: when the first article was painted, when the run ended, peak memory, and which heavy
modules the first paint needed. The start-up benchmark spawns it and compares with
baseline_window.py, which prints the same line.

    python -m benchmarks.startup_probe --corpus DIR --cache-dir DIR --screenshot OUT.png ...
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from benchmarks.paint_marker import FirstPaintMarker
    from viewer.cli import main as viewer_main

    # The app reuses an existing QApplication, so the marker can watch it from the first event.
    app = QApplication([sys.argv[0]])
    marker = FirstPaintMarker(lambda browser: browser.objectName() == "reader"
                              and getattr(browser, "article", None) is not None)
    app.installEventFilter(marker)
    code = viewer_main(argv)
    ended = time.time()
    from benchmarks.report import peak_rss_mb  # only now: its imports are not the app's

    print(json.dumps({"first_paint": marker.at, "exit": ended, "peak_rss_mb": peak_rss_mb(),
                      "imported": marker.imported, "code": code}))
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
