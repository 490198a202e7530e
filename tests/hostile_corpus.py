"""Builds a corpus folder of hostile and broken files, as a user might point the app at.

Used by the hostile-input tests of every layer (loading, rendering, search, export).
"""

from __future__ import annotations

import os
from pathlib import Path

GOOD_MD = "---\ntitle: Good Markdown\ntopics: [Sleep]\n---\nIntro.\n\n## Melatonin\n\nMelatonin may cause drowsiness.\n"
GOOD_TXT = (
    "Summary of hydration.\nIntro on water.\n- Why Water Matters\n- How Much to Drink\n"
    "Why Water Matters\nWater keeps you alive.\nHow Much to Drink\nDrink when thirsty.\n"
    "Too much water at once can be dangerous.\nStay hydrated.\n"
)

UNSAFE_MD = """---
title: Unsafe Markup
---
Intro with <script>alert('x')</script> a script and <iframe src="http://evil.example/"></iframe> a frame.

## Links and images

Click <a href="javascript:alert(1)">here</a> or <a href="data:text/html,hi">there</a> or
[a file](file:///etc/passwd) or [js](javascript:alert(2)) or <a href="http://ok.example/">the web</a>.

<img src="http://tracker.example/pixel.png" alt="tracking pixel" onerror="alert(3)">
![remote chart](https://cdn.example/chart.png)

<p onclick="steal()" style="background:url(http://evil.example/bg.png)">Styled paragraph.</p>

<style>body { background: url(http://evil.example/x.png) }</style>

<object data="http://evil.example/x.swf"></object><embed src="http://evil.example/y">
<form action="http://evil.example/"><input name="q"></form>
<svg><script>alert(4)</script></svg>
"""

# Expected problems: file name -> a word the one-line reason must contain.
EXPECTED_PROBLEMS = {
    "binary.md": "binary",
    "empty.txt": "empty",
    "blank.md": "empty",
    "huge-line.txt": "limit",
    "bad-yaml.md": "YAML",
    "alias-bomb.md": "aliases",
    "folder-named.md": "folder",
    "escape-link.md": "outside",
    "random-bytes.txt": "binary",
    "caf\ufffd.md": "UTF-8",  # the name is b"caf\xe9.md": Latin-1, not UTF-8
}
# Files that are odd but readable: relative path -> expected title.
EXPECTED_GOOD = {
    "good.md": "Good Markdown",
    "good.txt": "Why Water Matters",
    "unsafe.md": "Unsafe Markup",
    "odd names/space name.md": "Spaces",
    "odd names/\u00fcnic\u00f8de \u6587.md": "Unicode",
    "odd names/-leading-dash.md": "Dash",
    "latin1.txt": "Why Water Matters",
    "deep-nesting.md": "Deep Nesting",
    "bracket-storm.md": "Bracket Storm",
}


def build_hostile_corpus(root: Path) -> Path:
    """Write the hostile corpus under root/corpus (and a secret outside it); return the corpus."""
    corpus = root / "corpus"
    (corpus / "odd names").mkdir(parents=True)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\nprivate text\n")

    (corpus / "good.md").write_text(GOOD_MD)
    (corpus / "good.txt").write_text(GOOD_TXT)
    (corpus / "unsafe.md").write_text(UNSAFE_MD)
    (corpus / "odd names" / "space name.md").write_text("# Spaces\n\ntext\n")
    (corpus / "odd names" / "\u00fcnic\u00f8de \u6587.md").write_text(
        "# Unicode\n\n\u6587\u5b57 text\n"
    )
    (corpus / "odd names" / "-leading-dash.md").write_text("# Dash\n\ntext\n")
    (corpus / "latin1.txt").write_bytes(
        GOOD_TXT.replace("Intro on water", "Intro on caf\u00e9 water").encode("latin-1")
    )
    (corpus / "deep-nesting.md").write_text(
        "# Deep Nesting\n\n" + ">" * 3000 + " deep\n\n" + "- " * 2000 + "x\n"
    )
    # Balanced brackets and tags are the slow case for Python-Markdown (minutes at this size).
    (corpus / "bracket-storm.md").write_text(
        "# Bracket Storm\n\n"
        + "[" * 20000
        + "x"
        + "]" * 19900
        + "\n\n"
        + "<a " * 5000
        + "\n\n"
        + "![x](" * 5000
        + "\n"
    )

    (corpus / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("\n\n   \n")
    (corpus / "huge-line.txt").write_text("word " * (1024 * 1024))  # 5 MB on one line
    (corpus / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\ntext\n")
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\ntext\n"
    )
    (corpus / "alias-bomb.md").write_text(bomb)
    (corpus / "folder-named.md").mkdir()
    os.symlink(outside / "secret.md", corpus / "escape-link.md")
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.md"), "w") as latin1_name:
        latin1_name.write("# Latin-1 name\n\ntext\n")
    # Random bytes with many control characters and no NUL in the first bytes.
    (corpus / "random-bytes.txt").write_bytes(bytes((i * 37 + 11) % 31 + 1 for i in range(4000)))
    return corpus
