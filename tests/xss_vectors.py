"""XSS and injection vectors for the hostile-markup tests (PDF links, tooltips, labels).

The public lists (payloadbox, PayloadsAllTheThings, bleach's tests: about 7,900 vectors) are
read from the shared bench folder when it is there and never copied into the project; without
them the tests still run over the vectors below, which reproduce every case the issue reports.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The shared folder sits beside the main checkout (../shared) or beside the worktrees' parent.
_CANDIDATES = [
    REPO.parent / "shared" / "bench" / "xss",
    REPO.parent.parent / "shared" / "bench" / "xss",
]

BUILTIN_VECTORS = [
    "https://example.org/a) /Next << /S /JavaScript /JS (app.alert(1)) >> /Z (",
    "https://example.org/a) /AA << /E << /S /JavaScript /JS (app.alert(2)) >> >> /Z (",
    "https://example.org/a) >> /A << /S /Launch /F (calc.exe) >> /Z (",
    "https://example.org/(",
    "https://example.org/\\",
    "https://example.org/a\\) /S /JavaScript (",
    "<img src='/etc/passwd'>",
    "<img src='/dev/zero'>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" title="<img src=\'/dev/zero\'>">x</a>',
    "<b>bold</b><i>it</i><font color=red>red</font>",
    "<table><tr><td>cell</td></tr></table>",
    "<script>alert('x')</script>",
    '"><svg onload=alert(1)>',
    "&lt;img src=x&gt; &#60;b&#62;",
    "javascript:alert(document.domain)",
    "mailto:a@example.org?subject=(x) /S /JavaScript",
    "\x1b]0;pwned\x07\x1b[2J",
]


def vector_files() -> list[Path]:
    folder = os.environ.get("ARTICLE_VIEWER_XSS_VECTORS")
    candidates = [Path(folder)] if folder else _CANDIDATES
    for candidate in candidates:
        if candidate.is_dir():
            return sorted(p for p in candidate.glob("*.txt") if p.name != "SOURCES.txt")
    return []


def load_vectors() -> list[str]:
    """The built-in vectors, then every distinct line of the public lists that are present."""
    seen = dict.fromkeys(BUILTIN_VECTORS)
    for path in vector_files():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                seen.setdefault(line, None)
    return list(seen)


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
