"""Compare the plain text of every heading and paragraph between two versions of the loader.

Issue 13 replaced the regex reading of Markdown (viewer/core/plaintext.markdown_to_plain) with
the text of the sanitized conversion the reader shows. The safety classifier's labelled
fixtures find sentences by their text, so every difference must be one where the old reading
disagreed with the display. This prints each one, file by file.

    .venv/bin/python scripts/compare_plain_readings.py [--base REV] [PATH ...]

`--base` is the commit to compare with (default 21d1966, the branch's start); PATHs default to
corpus/, tests/fixtures/safety_dev/*/ and tests/fixtures/seeds/. Each version reads the files
in a child process with its own `viewer` package (the base one unpacked with `git archive`).
Exit status 1 when any text differs.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "21d1966"
SUFFIXES = (".md", ".markdown", ".txt")

# Run in the child: each file's title, headings and paragraph texts as JSON (one object).
DUMP = r"""
import json, sys
from pathlib import Path
from viewer.core.errors import ArticleError
from viewer.core.library import read_article

out = {}
for name in sys.argv[1:]:
    try:
        article = read_article(Path(name), "x")
    except ArticleError as exc:
        out[name] = {"error": str(exc)}
        continue
    out[name] = {
        "title": article.title,
        "sections": [
            [s.heading, [p.plain for p in s.paragraphs]] for s in article.sections
        ],
    }
print(json.dumps(out))
"""


def default_paths() -> list[Path]:
    dev = ROOT / "tests" / "fixtures" / "safety_dev"
    folders = [ROOT / "corpus", *sorted(p for p in dev.iterdir() if p.is_dir())]
    return folders + [ROOT / "tests" / "fixtures" / "seeds"]


def article_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        elif path.suffix.lower() in SUFFIXES:
            files.append(path)
    return files


def unpack(rev: str, into: Path) -> Path:
    """The base version's `viewer` package (and resources) unpacked into a folder."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "viewer", "resources"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def readings(package_root: Path, files: list[Path]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", DUMP, *map(str, files)],
        cwd=package_root,
        env={"PYTHONPATH": str(package_root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def differences(old: dict, new: dict) -> list[str]:
    """One report per text that differs: file, where, and a character diff of the two."""
    lines: list[str] = []
    for name in sorted(old):
        before, after = old[name], new.get(name, {})
        where = str(Path(name).relative_to(ROOT)) if Path(name).is_relative_to(ROOT) else name
        if "error" in before or "error" in after:
            if before != after:
                lines.append(
                    f"{where}: {before.get('error', 'read')} -> {after.get('error', 'read')}"
                )
            continue
        if before["title"] != after["title"]:
            lines.append(f"{where}: title {before['title']!r} -> {after['title']!r}")
        if len(before["sections"]) != len(after["sections"]):
            lines.append(f"{where}: {len(before['sections'])} sections -> {len(after['sections'])}")
            continue
        for (old_heading, old_texts), (new_heading, new_texts) in zip(
            before["sections"], after["sections"]
        ):
            if old_heading != new_heading:
                lines.append(f"{where}: heading {old_heading!r} -> {new_heading!r}")
            if len(old_texts) != len(new_texts):
                lines.append(f"{where} / {new_heading}: paragraph count differs")
                continue
            for number, (a, b) in enumerate(zip(old_texts, new_texts), 1):
                if a != b:
                    lines.append(f"{where} / {new_heading} / paragraph {number}:")
                    lines.append(f"    old: {a!r}")
                    lines.append(f"    new: {b!r}")
                    lines.append("    diff: " + _diff(a, b))
    return lines


def _diff(a: str, b: str) -> str:
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            parts.append(f"{op} {a[i1:i2]!r} -> {b[j1:j2]!r}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE)
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = [p.resolve() for p in article_files(args.paths or default_paths())]
    with tempfile.TemporaryDirectory(prefix="plain-readings-") as temp:
        old = readings(unpack(args.base, Path(temp)), files)
    new = readings(ROOT, files)
    paragraphs = sum(len(t) for v in new.values() for _h, t in v.get("sections", []))
    found = differences(old, new)
    print("\n".join(found))
    changed = sum(1 for line in found if line.startswith("    old:"))
    print(
        f"{len(files)} files, {paragraphs} paragraphs: {changed} paragraph texts differ, "
        f"{len(found) - 4 * changed} other differences (titles, headings, counts)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
