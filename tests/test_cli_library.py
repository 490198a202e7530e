"""The CLI contract for list, show, topics and import: JSON shapes, text output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from viewer.cli import main
from viewer.render.blocks import build_blocks, outline

IDS = {
    "kratom-opioid-withdrawal",
    "kratom-chronic-pain-dosage",
    "kratom-withdrawal-hair-loss",
    "kratom-detox-hyperpigmentation",
    "kratom-dopamine-withdrawal",
}


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_list_json_lists_the_five_bundled_articles(capsys):
    data = run_json(capsys, "list", "--json")
    assert data["problems"] == []
    assert {a["id"] for a in data["articles"]} == IDS
    for entry in data["articles"]:
        assert set(entry) >= {
            "id",
            "title",
            "topics",
            "path",
            "sections",
            "words",
            "safety_sections",
        }
        assert (
            entry["title"] and entry["topics"] and entry["sections"] == 6 and entry["words"] > 500
        )


def test_show_json_has_summary_intro_three_sections_and_conclusion(capsys):
    data = run_json(capsys, "show", "kratom-dopamine-withdrawal", "--json")
    assert set(data) >= {"id", "title", "topics", "path", "sections"}
    assert [s["kind"] for s in data["sections"]] == [
        "summary",
        "intro",
        "section",
        "section",
        "section",
        "conclusion",
    ]
    assert [s["heading"] for s in data["sections"] if s["kind"] == "section"] == [
        "Understanding Opioid Withdrawal and Kratom's Role",
        "Does Kratom Increase Dopamine? Exploring the Science",
        "Safe Use and Considerations for Kratom in Withdrawl",
    ]
    for section in data["sections"]:
        assert set(section) >= {
            "anchor",
            "heading",
            "level",
            "kind",
            "safety",
            "categories",
            "paragraphs",
        }
        for paragraph in section["paragraphs"]:
            assert set(paragraph) >= {"text", "safety", "categories"}


def test_show_text_is_readable(capsys):
    assert main(["show", "kratom-opioid-withdrawal"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Kratom for Opioid Withdrawal: How It Works, Benefits and Side Effects\n==="
    )
    assert "## Potential Benefits and Side Effects of Using Kratom for Withdrawl" in out


def test_topics_json_shape(capsys):
    data = run_json(capsys, "topics", "--json")
    names = [t["name"] for t in data["topics"]]
    assert "Opioid withdrawal" in names
    withdrawal = data["topics"][names.index("Opioid withdrawal")]
    assert {a["id"] for a in withdrawal["articles"]} == IDS
    assert all(set(a) == {"id", "title", "sections"} for a in withdrawal["articles"])
    assert all("children" in t for t in data["topics"])


def test_unknown_id_is_one_line_and_exit_1(capsys):
    assert main(["show", "no-such-article"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-article" in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert main(["list", "--bogus"]) == 2
    assert main(["show"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_corpus_folder_is_exit_1(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path / "nope"), "list"]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_corpus_from_environment(tmp_path, monkeypatch, capsys):
    (tmp_path / "one.md").write_text("# Only One\n\ntext\n")
    monkeypatch.setenv("ARTICLE_VIEWER_CORPUS", str(tmp_path))
    data = run_json(capsys, "list", "--json")
    assert [a["title"] for a in data["articles"]] == ["Only One"]


def test_problems_are_listed_not_fatal(tmp_path, capsys):
    (tmp_path / "good.md").write_text("# Good\n\ntext\n")
    (tmp_path / "bad.md").write_bytes(b"\x00\x00binary")
    data = run_json(capsys, "--corpus", str(tmp_path), "list", "--json")
    assert [a["id"] for a in data["articles"]] == ["good"]
    assert data["problems"] == [
        {"path": "bad.md", "error": "binary file (contains NUL bytes), not an article"}
    ]


def test_import_writes_markdown_that_loads_back(seeds_dir, tmp_path, capsys):
    out = tmp_path / "out"
    seed = seeds_dir / "000_6cd72b71dfe4cf61.txt"
    assert (
        main(
            [
                "import",
                str(seed),
                "-o",
                str(out),
                "--title",
                f"{seed.name}=My Title",
                "--name",
                f"{seed.name}=mine",
            ]
        )
        == 0
    )
    assert "mine.md" in capsys.readouterr().out
    data = run_json(capsys, "--corpus", str(out), "show", "mine", "--json")
    assert data["title"] == "My Title" and data["metadata"]["source"] == seed.name
    assert len(data["sections"]) == 6


def test_console_entry_point_and_module_are_the_same_program():
    result = subprocess.run(
        [sys.executable, "-m", "viewer", "list", "--json"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert {a["id"] for a in json.loads(result.stdout)["articles"]} == IDS


def test_gui_without_display_prints_one_line_of_advice(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err and "offscreen" in err


def test_global_options_with_equals_sign_still_select_the_command(tmp_path, capsys):
    (tmp_path / "one.md").write_text("# Only One\n\ntext\n")
    data = run_json(
        capsys, f"--corpus={tmp_path}", f"--cache-dir={tmp_path / 'cache'}", "list", "--json"
    )
    assert [a["title"] for a in data["articles"]] == ["Only One"]


def test_a_search_query_starting_with_a_dash_is_a_query_not_an_option(capsys):
    data = run_json(capsys, "search", "-heroin dopamine", "--limit", "3", "--json")
    assert data["query"] == "-heroin dopamine" and 0 < len(data["hits"]) <= 3
    assert main(["search", "--bogus", "x"]) == 2


def test_show_text_lists_the_blocks_the_page_shows(capsys, library):
    """The text form of `show` reads the block list: its section lines are the headings the
    page shows (blocks.outline), plus each introduction said to have no heading on the page."""
    article = library.get("kratom-opioid-withdrawal")
    assert main(["show", article.id]) == 0
    out = capsys.readouterr().out
    headings = [line[3:].split("  (")[0] for line in out.splitlines() if line.startswith("## ")]
    shown = [line for line in out.splitlines() if line.startswith("## ")]
    hidden = [line[3:].split("  (")[0] for line in shown if "no heading on the page" in line]
    blocks = build_blocks(article)
    assert [h for h in headings if h not in hidden] == [e.title for e in outline(blocks)]
    assert hidden == [s.heading for s in article.sections if s.kind == "intro"]
    texts = [b.paragraph.plain for b in blocks.walk() if b.paragraph is not None]
    at = 0
    for text in texts:  # every paragraph, in the page's order
        at = out.index(text.splitlines()[0], at)
