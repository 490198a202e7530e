"""PDF link injection (issue 17, point 1): whatever an article's links hold, an exported or
printed PDF carries only /URI actions with well-formed targets, and pypdf reads it cleanly."""

from __future__ import annotations

import logging
import re
import warnings

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from PySide6.QtPrintSupport import QPrinter

from tests.xss_vectors import BUILTIN_VECTORS, chunks, load_vectors
from viewer.core.model import Article, Paragraph, Section
from viewer.export.dispatch import export_article
from viewer.export.pdf_export import print_article
from viewer.render.uris import pdf_link_target

pytestmark = pytest.mark.usefixtures("qapp")

# Keys that make a PDF do something other than open a web or mail link (an action's /Next, a
# chained second action, is checked on the actions: outline items have a harmless /Next too).
ACTIVE_KEYS = {
    "/AA",
    "/OpenAction",
    "/JS",
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/EmbeddedFiles",
}
WELL_FORMED = re.compile(
    r"(https?://[A-Za-z0-9.-]+(:\d+)?/|mailto:)[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]*"
)
VECTORS_PER_PDF = 150


def _hostile_article(vectors: list[str], number: int) -> Article:
    """Each vector as an href (bare, inside an https URL, as a Markdown link), as text and as a heading."""
    sections = []
    for index, vector in enumerate(vectors):
        quoted = vector.replace('"', "&quot;")
        text = (
            f'<a href="{quoted}">bare</a> <a href="https://example.org/{quoted}">web</a> '
            f"[md](https://example.org/{vector}) <a href='mailto:a@example.org?subject={quoted}'>mail</a> "
            f"{vector}"
        )
        sections.append(Section(f"s{index}", vector, 2, "section", [Paragraph(text)]))
    return Article(
        id=f"hostile-{number}",
        title=vectors[0],
        path=f"hostile-{number}.md",
        source_format="md",
        sections=sections,
    )


def _walk(node, seen: set, found: dict) -> None:
    """Visit every object reachable from the trailer, collecting actions and active keys."""
    if isinstance(node, IndirectObject):
        key = (node.idnum, node.generation)
        if key in seen:
            return
        seen.add(key)
        node = node.get_object()
    if isinstance(node, DictionaryObject):
        for name, value in node.items():
            if name in ACTIVE_KEYS:
                found["active"].append(name)
            if name == "/A":
                action = value.get_object()
                found["actions"].append((action.get("/S"), action.get("/URI")))
                if "/Next" in action:
                    found["active"].append("/Next")
            if name not in ("/Parent", "/P"):
                _walk(value, seen, found)
    elif isinstance(node, ArrayObject):
        for item in node:
            _walk(item, seen, found)


def assert_only_uri_actions(path, caplog) -> list:
    """The PDF parses strictly and without warnings, and its only actions are well-formed /URI."""
    caplog.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reader = PdfReader(str(path), strict=True)
        found: dict = {"active": [], "actions": []}
        _walk(reader.trailer, set(), found)
    pypdf_warnings = [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")]
    assert not pypdf_warnings, pypdf_warnings[:3]
    assert not found["active"], found["active"][:5]
    for kind, uri in found["actions"]:
        assert kind == "/URI", kind
        assert WELL_FORMED.fullmatch(str(uri)), uri
    return found["actions"]


@pytest.mark.slow
def test_every_vector_in_every_link_form_leaves_only_uri_actions(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    vectors = load_vectors()
    links = 0
    for number, group in enumerate(chunks(vectors, VECTORS_PER_PDF)):
        path = export_article(_hostile_article(group, number), "pdf", tmp_path / f"{number}.pdf")
        links += len(assert_only_uri_actions(path, caplog))
    # The web and mail forms of each vector stay links (encoded), so the check above saw them.
    assert links >= len(vectors)


def test_the_reported_injection_becomes_one_encoded_link(tmp_path, caplog):
    article = _hostile_article(BUILTIN_VECTORS[:1], 0)
    actions = assert_only_uri_actions(export_article(article, "pdf", tmp_path / "a.pdf"), caplog)
    uris = {str(uri) for _kind, uri in actions}
    assert (
        "https://example.org/a%29%20/Next%20%3C%3C%20/S%20/JavaScript%20/JS%20%28app.alert%281%29%29"
        "%20%3E%3E%20/Z%20%28"
    ) in uris


def test_printing_shares_the_link_rules(tmp_path, caplog):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    print_article(_hostile_article(BUILTIN_VECTORS, 0), printer)
    del printer
    assert assert_only_uri_actions(target, caplog)


@pytest.mark.parametrize(
    "href, expected",
    [
        ("https://example.org/a(b)", "https://example.org/a%28b%29"),
        ("HTTPS://Example.ORG:8443/x y?q=(1)#top", "https://example.org:8443/x%20y?q=%281%29#top"),
        ("https://example.org/%41%zz\\", "https://example.org/%41%25zz%5C"),
        ("https://b\u00fccher.example/", "https://xn--bcher-kva.example/"),
        ("mailto:help@example.org?subject=a (b)", "mailto:help@example.org?subject=a%20%28b%29"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("article:other", None),
        ("#anchor", None),
        ("https://user:pw@example.org/", None),
        ("https://exa mple.org/", None),
        ("https://example.org/\x00", None),
        ("mailto:", None),
        ("https:///path", None),
        ("https://example.org:99999/", None),
    ],
)
def test_pdf_link_targets(href, expected):
    assert pdf_link_target(href) == expected
