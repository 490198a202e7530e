"""The app's URL form, `article-viewer://article/ID#anchor`: made for a section, read back,
and every other shape refused in one line; the command line turns such a link (or a file: URL,
as a desktop passes for %u) into what the reader opens, and refuses an unknown article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.cli import build_gui_parser, main
from viewer.core.annotations.citation import parse_link, parse_url, section_link, section_url
from viewer.core.errors import ViewerError
from viewer.gui_launch import resolve_links

SLUG = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,4}", fullmatch=True)


def test_a_section_url_reads_back_as_its_article_and_anchor():
    url = section_url("kratom-dopamine-withdrawal", "safe-use-2")
    assert url == "article-viewer://article/kratom-dopamine-withdrawal#safe-use-2"
    assert parse_url(url) == ("kratom-dopamine-withdrawal", "safe-use-2")
    assert parse_url(section_url("a-b")) == ("a-b", "")
    assert parse_url("Article-Viewer://ARTICLE/a-b#x") == (
        "a-b",
        "x",
    )  # scheme and host ignore case
    assert parse_link(url) == parse_link(section_link("kratom-dopamine-withdrawal", "safe-use-2"))


@given(SLUG, st.one_of(st.just(""), SLUG))
def test_every_slug_pair_survives_the_round_trip(article_id, anchor):
    assert parse_url(section_url(article_id, anchor)) == (article_id, anchor)


@pytest.mark.parametrize(
    "url",
    [
        "https://article/kratom",  # another scheme
        "article-viewer://evil.example/kratom",  # another host
        "article-viewer://user:pw@article/kratom",  # a user
        "article-viewer://article:8080/kratom",  # a port
        "article-viewer://article/kratom?print=1",  # a query
        "article-viewer://article/kratom/more",  # more path
        "article-viewer://article/",  # no id
        "article-viewer://article/..",  # a dot name
        "article-viewer://article/%2e%2e#x",  # the same, encoded
        "article-viewer://article/a%2Fb",  # an encoded slash
        "article-viewer://article/a%5Cb",  # an encoded backslash
        "article-viewer://article/a%00b",  # NUL
        "article-viewer://article/kratom#a%0Ab",  # a newline in the anchor
        "article-viewer://article/kratom\n--settings=/tmp/x",  # a second line
        "article-viewer://article/kratom#a#b",  # two fragments
        "article-viewer://article/kr atom",  # a space
        "article-viewer://article/%E2%80%AEkratom",  # a right-to-left override
        "article-viewer://article/k%ff",  # not UTF-8
        "article-viewer:article/kratom",  # not a hierarchical URL
        "article-viewer://article/" + "a" * 2000,  # too long
        "article-viewer://article/<script>",  # markup
    ],
)
def test_any_other_shape_is_refused_in_one_printable_line(url):
    with pytest.raises(ValueError) as caught:
        parse_url(url)
    message = str(caught.value)
    assert message.startswith("not an article link") and "\n" not in message and len(message) < 200
    assert message.isprintable()


@given(st.text(max_size=80))
def test_arbitrary_text_after_the_scheme_is_read_or_refused_never_crashes(tail):
    try:
        article_id, anchor = parse_url("article-viewer://article/" + tail)
    except ValueError:
        return
    for name in (article_id, anchor):
        assert (
            "/" not in name and "\\" not in name and name.isprintable() and name not in (".", "..")
        )


def test_the_command_line_reads_a_link_as_article_and_anchor():
    args = build_gui_parser().parse_args(
        ["article-viewer://article/kratom-dopamine-withdrawal#safe-use"]
    )
    resolve_links(args)
    assert args.article_id == "kratom-dopamine-withdrawal#safe-use"
    assert args.linked_article == "kratom-dopamine-withdrawal"
    args = build_gui_parser().parse_args(["--article", "article-viewer://article/x-y"])
    resolve_links(args)
    assert args.article_option == "x-y"


def test_a_file_url_from_the_desktop_becomes_its_path(tmp_path):
    target = tmp_path / "my notes.md"
    args = build_gui_parser().parse_args([target.as_uri()])
    resolve_links(args)
    assert args.article_id == str(target) and args.linked_article == ""
    args = build_gui_parser().parse_args(["file://server.example/share/x.md"])
    with pytest.raises(ViewerError, match="only local files"):
        resolve_links(args)


def test_an_unknown_article_or_a_bad_link_is_one_line_and_exit_1(corpus_copy, tmp_path, capsys):
    settings = [
        "--corpus",
        str(corpus_copy),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--settings",
        str(tmp_path / "s.ini"),
    ]
    assert main(settings + ["article-viewer://article/no-such-article#x"]) == 1
    err = capsys.readouterr().err
    assert err == f"article-viewer: error: no article 'no-such-article' in {corpus_copy}\n"
    assert main(settings + ["article-viewer://article/../../etc/passwd"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("article-viewer: error: not an article link") and err.count("\n") == 1
