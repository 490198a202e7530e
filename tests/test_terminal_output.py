"""Terminal escapes in article text (issue 17, point 9): list, show, search and topics print
control characters escaped, so a title cannot retitle the terminal or clear the screen."""

from __future__ import annotations

import json

import pytest

from viewer.cli import main
from viewer.core.terminal import terminal_text

EVIL = (
    "# Evil \x1b]0;pwned\x07 title \x1b[2J\n\nIntro about kratom \x1b[31mred\x1b[0m text and \u009b2J csi "
    "and \u202egnp.exe.\n\n## Side \x1b[2J effects\n\nKratom may cause nausea \x1b]0;x\x07 and dependence.\n"
)
RAW = ("\x1b", "\x07", "\u009b", "\u202e")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "evil.md").write_text(EVIL, encoding="utf-8")
    (folder / "empty\x1b]0;x\x07.md").write_text(
        ""
    )  # a problem entry whose name retitles the terminal
    return folder


@pytest.mark.parametrize("command", [["list"], ["show", "evil"], ["search", "nausea"], ["topics"]])
def test_text_output_shows_control_characters_escaped(capsys, corpus, tmp_path, command):
    code = main(["--corpus", str(corpus), "--cache-dir", str(tmp_path / "cache"), *command])
    out, err = capsys.readouterr()
    assert code == 0, err
    for raw in RAW:
        assert raw not in out and raw not in err, (command, raw)
    if command[0] != "topics":
        assert "\\x1b" in out
    if command[0] == "list":
        assert "problem: empty\\x1b]0;x\\x07.md" in err


def test_json_output_keeps_the_text_exactly(capsys, corpus, tmp_path):
    assert (
        main(
            [
                "--corpus",
                str(corpus),
                "--cache-dir",
                str(tmp_path / "cache"),
                "show",
                "evil",
                "--json",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "\x1b" not in out  # JSON escapes it as \u001b ...
    assert (
        json.loads(out)["title"] == "Evil \x1b]0;pwned\x07 title \x1b[2J"
    )  # ... and loses nothing


def test_terminal_text():
    assert terminal_text("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert terminal_text("one\ntwo\tthree") == "one\\x0atwo\\x09three"
    assert terminal_text("one\ntwo\tthree", multiline=True) == "one\ntwo\tthree"
    assert terminal_text("\u009b31m \u202eevil \u2028") == "\\x9b31m \\u202eevil \\u2028"
    assert terminal_text("caf\u00e9 \u6587 \u26a0") == "caf\u00e9 \u6587 \u26a0"
