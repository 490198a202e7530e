"""Hostile and broken input at the loading and rendering layers: nothing crashes, nothing unsafe
renders, nothing is lost (issue: hostile input)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile_corpus import EXPECTED_GOOD, EXPECTED_PROBLEMS, build_hostile_corpus
from viewer.core.errors import ArticleError
from viewer.core.library import Library, read_article
from viewer.render.html import render_article

UNSAFE_PATTERNS = [
    r"<script",
    r"<iframe",
    r"<style[^>]*>[^<]*url\(",
    r"\bon[a-z]+\s*=",
    r"javascript:",
    r"data:text",
    r"file:",
    r"<object",
    r"<embed",
    r"<form",
    r"src=\"https?:",
    r"evil\.example/bg",
]


@pytest.fixture
def hostile(tmp_path):
    return build_hostile_corpus(tmp_path)


@pytest.mark.slow
def test_good_files_load_and_bad_files_are_reported(hostile):
    library = Library.load(hostile)
    assert {a.path: a.title for a in library.articles} == EXPECTED_GOOD
    problems = {p.path: p.error for p in library.problems}
    assert set(problems) == set(EXPECTED_PROBLEMS)
    for path, word in EXPECTED_PROBLEMS.items():
        assert word.lower() in problems[path].lower(), (path, problems[path])
        assert "\n" not in problems[path] and len(problems[path]) < 200
    assert "private text" not in json.dumps([a.path for a in library.articles])


@pytest.mark.slow
def test_rendered_html_holds_none_of_the_unsafe_constructs(hostile):
    library = Library.load(hostile)
    for article in library.articles:
        for theme in ("light", "dark"):
            page = render_article(article, theme=theme)
            body = page.split("</style>", 1)[-1]  # our own stylesheet is trusted
            for pattern in UNSAFE_PATTERNS:
                assert not re.search(pattern, body, re.IGNORECASE), (article.path, pattern)
    unsafe = render_article(library.get("unsafe"))
    assert "tracking pixel" in unsafe and "remote image not loaded" in unsafe
    assert "Styled paragraph." in unsafe and "the web" in unsafe


@pytest.mark.slow
@pytest.mark.parametrize(
    "article_id, text", [("deep-nesting", "deep"), ("bracket-storm", "[[[[x]]]")]
)
def test_pathological_markdown_falls_back_to_text_instead_of_hanging(hostile, article_id, text):
    # Run in a child process with a deadline: a regression shows as a timeout, not a hung suite.
    script = (
        "import sys; from viewer.core.library import Library; from viewer.render.html import render_article;"
        f"print(render_article(Library.load(sys.argv[1]).get({article_id!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(hostile)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "shown as plain text" in result.stdout
    assert text.replace("[", "").replace("]", "") in result.stdout.replace("[", "").replace("]", "")


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["list", "--json"],
        ["show", "unsafe", "--json"],
        ["topics", "--json"],
        ["search", "script alert", "--json"],
        ["search", "[[[((", "--json"],
    ],
)
def test_cli_finishes_within_a_bound_on_the_hostile_corpus(hostile, tmp_path, command):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "viewer",
            "--corpus",
            str(hostile),
            "--cache-dir",
            str(tmp_path / "cache"),
            *command,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    if command[0] == "search":
        assert "<script" not in json.dumps(data)  # snippets are escaped


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_escape_as_an_exception(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("x.txt", "x.md"):
        (folder / name).write_bytes(data)
        try:
            article = read_article(folder / name, "x")
        except ArticleError as exc:
            assert "\n" not in str(exc)
            continue
        render_article(article)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=800))
def test_random_text_renders_without_exception_and_without_losing_words(text):
    from pathlib import Path

    from viewer.core.md_loader import load_markdown
    from viewer.core.txt_loader import load_txt

    article = load_txt(text, Path("t.txt"), "t") if text.strip() else None
    if article is not None and article.sections:
        page = render_article(article)
        for section in article.sections:
            for paragraph in section.paragraphs:
                for word in re.findall(r"[A-Za-z]{3,}", paragraph.text)[:5]:
                    assert word in page
    try:
        render_article(load_markdown(text, Path("t.md"), "t"))
    except ArticleError:
        assert text.startswith("---")


@pytest.mark.slow
def test_pathological_markdown_says_it_is_shown_as_plain_text(hostile):
    library = Library.load(hostile)
    page = render_article(library.get("deep-nesting"))
    assert "shown as plain text" in page
    assert "shown as plain text" not in render_article(library.get("good"))


def test_formatting_time_budget_falls_back_for_the_rest_of_the_article(monkeypatch):
    from pathlib import Path

    from viewer.core import conversion
    from viewer.core.md_loader import load_markdown

    monkeypatch.setattr(
        conversion, "RENDER_TIME_BUDGET_SECONDS", 0.0
    )  # every conversion is "too slow"
    article = load_markdown(
        "# T\n\nfirst *one*\n\n## S\n\nsecond *two*\n\nthird\n", Path("t.md"), "t"
    )
    page = render_article(article)
    assert "<em>one</em>" in page  # the first paragraph is formatted, then the budget is spent
    assert "second *two*" in page and "2 paragraphs are shown as plain text" in page


@pytest.mark.slow
def test_every_export_of_a_hostile_article_is_safe(hostile, tmp_path):
    from viewer.export.dispatch import export_article, export_text

    library = Library.load(hostile)
    for article in library.articles:
        page = export_text(article, "html")
        body = page.split("</style>", 1)[-1]
        for pattern in UNSAFE_PATTERNS:
            assert not re.search(pattern, body, re.IGNORECASE), (article.path, pattern)
        assert "http://" not in body.replace('href="http://ok.example/"', "")
    unsafe = library.get("unsafe")
    for fmt in ("md", "txt"):
        text = export_text(unsafe, fmt)
        assert "Styled paragraph." in text
    pdf = export_article(unsafe, "pdf", tmp_path / "unsafe.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["-leading-dash", "\u00fcnic\u00f8de-\u6587"])
def test_cli_exports_articles_with_odd_names(hostile, tmp_path, name):
    library = Library.load(hostile)
    article_id = next(
        a.id
        for a in library.articles
        if a.title in ("Dash", "Unicode") and (name.startswith("-") == (a.title == "Dash"))
    )
    out = tmp_path / f"{name}.html"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "viewer",
            "--corpus",
            str(hostile),
            "export",
            article_id,
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").count("<script") == 0
