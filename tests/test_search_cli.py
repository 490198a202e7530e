"""`article-viewer search` and `article-viewer index` through viewer.cli.main."""

from __future__ import annotations

import io
import json

import pytest

from viewer.cli import main

HIT_KEYS = {"article", "title", "section", "anchor", "kind", "score", "snippet", "safety"}


def run_json(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_search_json_has_the_architecture_shape(corpus_copy, capsys):
    data = run_json(capsys, "--corpus", str(corpus_copy), "search", "hyperpigmentation", "--json")
    assert data["query"] == "hyperpigmentation" and data["corrected"] is None
    assert data["total"] == 6 and len(data["hits"]) == 6
    assert all(HIT_KEYS <= set(hit) for hit in data["hits"])
    assert data["hits"][0]["anchor"] == "exploring-the-science-behind-kratom-and-its-impact-on"
    assert "<b>hyperpigmentation</b>" in data["hits"][0]["snippet"].lower()


def test_search_json_reports_a_correction(corpus_copy, capsys):
    data = run_json(
        capsys, "--corpus", str(corpus_copy), "search", "kratim", "--json", "--limit", "2"
    )
    assert data["corrected"] == "kratom" and len(data["hits"]) == 2 and data["total"] == 30


def test_limit_article_and_safety_only(corpus_copy, capsys):
    corpus = str(corpus_copy)
    assert (
        len(
            run_json(capsys, "--corpus", corpus, "search", "kratom", "--json", "--limit", "3")[
                "hits"
            ]
        )
        == 3
    )
    within = run_json(
        capsys,
        "--corpus",
        corpus,
        "search",
        "kratom",
        "--json",
        "--limit",
        "50",
        "--article",
        "kratom-dopamine-withdrawal",
    )
    assert within["total"] == 6 and {h["article"] for h in within["hits"]} == {
        "kratom-dopamine-withdrawal"
    }
    safety = run_json(
        capsys, "--corpus", corpus, "search", "kratom", "--json", "--limit", "50", "--safety-only"
    )
    assert safety["hits"] and all(h["safety"] for h in safety["hits"])
    assert (
        safety["total"]
        < run_json(capsys, "--corpus", corpus, "search", "kratom", "--json")["total"]
    )


def test_unknown_article_is_one_line_and_exit_1(corpus_copy, capsys):
    assert (
        main(["--corpus", str(corpus_copy), "search", "kratom", "--article", "no-such-article"])
        == 1
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "no-such-article" in captured.err
    assert "Traceback" not in captured.err


def test_batch_mode_one_json_object_per_input_line(corpus_copy, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('withdrawl\n"side effects"\n\nkratim\n((title:\n'))
    assert main(["--corpus", str(corpus_copy), "search", "-", "--json", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    results = [json.loads(line) for line in lines]
    assert [r["query"] for r in results] == [
        "withdrawl",
        '"side effects"',
        "",
        "kratim",
        "((title:",
    ]
    for result in results:
        assert {"query", "corrected", "total", "hits", "elapsed_ms"} <= set(result)
        assert isinstance(result["elapsed_ms"], float) and result["elapsed_ms"] >= 0
        assert len(result["hits"]) <= 2
    assert results[0]["total"] == 30 and results[2]["total"] == 0
    assert results[3]["corrected"] == "kratom"


def test_text_output_is_one_line_per_hit(corpus_copy, capsys):
    assert main(["--corpus", str(corpus_copy), "search", "euphoria OR dehydration"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("3 of 3")
    assert len(lines) == 4
    assert all("#" in line and "<b>" not in line and "&amp;" not in line for line in lines[1:])


def test_text_output_says_when_nothing_matches_or_a_correction_was_made(corpus_copy, capsys):
    assert main(["--corpus", str(corpus_copy), "search", "qqqzzz"]) == 0
    assert "No sections match" in capsys.readouterr().out
    assert main(["--corpus", str(corpus_copy), "search", "hyperpigmentaton", "--limit", "1"]) == 0
    assert 'Showing results for "hyperpigmentation"' in capsys.readouterr().out


def test_index_prints_a_one_line_summary(corpus_copy, capsys):
    assert main(["--corpus", str(corpus_copy), "index"]) == 0
    first = capsys.readouterr()
    assert (
        first.out.count("\n") == 1
        and "5 articles, 30 sections" in first.out
        and "rebuilt" in first.out
    )
    assert first.err == ""  # a short run on a pipe shows no progress bar
    assert main(["--corpus", str(corpus_copy), "index"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["--corpus", str(corpus_copy), "index", "--rebuild"]) == 0
    assert "rebuilt (requested)" in capsys.readouterr().out


def test_search_builds_the_index_when_needed_and_follows_changes(corpus_copy, capsys):
    corpus = str(corpus_copy)
    assert run_json(capsys, "--corpus", corpus, "search", "quokka", "--json")["total"] == 0
    (corpus_copy / "extra.md").write_text(
        "---\ntitle: Quokkas\n---\n\n## Habitat\n\nThe quokka lives on islands.\n", encoding="utf-8"
    )
    data = run_json(capsys, "--corpus", corpus, "search", "quokka", "--json")
    assert data["total"] >= 1 and data["hits"][0]["article"] == "extra"


@pytest.mark.parametrize("query", ['"', "title:", "AND", "(((", "\x07"])
def test_malformed_queries_exit_0_without_a_traceback(corpus_copy, capsys, query):
    assert main(["--corpus", str(corpus_copy), "search", query, "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["query"] == query
    assert "Traceback" not in captured.err


def test_progress_bar_draws_on_a_terminal_only_after_a_while(monkeypatch):
    from viewer import cli_search

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    clock = iter([0.0, 0.1, 1.0, 2.0, 3.0])
    monkeypatch.setattr(cli_search.time, "monotonic", lambda: next(clock))
    stream = Terminal()
    bar = cli_search.ProgressBar(stream)
    bar(1, 100)  # 0.1 s in: still quiet
    assert stream.getvalue() == ""
    bar(50, 100)
    bar(100, 100)
    bar.finish()
    assert "50/100" in stream.getvalue() and "100/100" in stream.getvalue()
    assert stream.getvalue().endswith("\n")


def test_progress_lines_off_a_terminal_say_100_percent_once(monkeypatch):
    # A two-process build reports its last articles more than once: one closing line, not many.
    from viewer import cli_search

    clock = iter(float(t) for t in range(0, 100, 6))
    monkeypatch.setattr(cli_search.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    bar = cli_search.ProgressBar(stream)
    for done in (10, 50, 100, 100, 100):
        bar(done, 100)
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert lines[-1] == "indexing: 100% (100/100 articles)"
    assert sum("100%" in line for line in lines) == 1
