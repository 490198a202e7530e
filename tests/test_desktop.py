"""Desktop integration: an app icon, a .desktop entry and AppStream metadata that match the
window's WM_CLASS, installed with the wheel or by `make install-desktop`, and the licences."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from tests.conftest import REPO
from viewer.ui import dialogs, licences
from viewer.ui.app import DESKTOP_FILE_NAME

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DESKTOP = REPO / "resources" / "desktop" / "article-viewer.desktop"
METAINFO = REPO / "resources" / "desktop" / "article-viewer.metainfo.xml"
ICON = REPO / "resources" / "icons" / "article-viewer.svg"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_launches_the_reader_and_matches_its_window():
    entry = _desktop_entry()
    assert entry["Type"] == "Application" and entry["Name"] == "Article Viewer"
    assert entry["Exec"].split()[0] == "article-viewer"
    assert entry["Icon"] == ICON.stem
    assert entry["StartupWMClass"] == DESKTOP_FILE_NAME == DESKTOP.stem
    assert entry["Categories"].endswith(";")


def test_the_desktop_entry_opens_article_viewer_links_and_files():
    """`%u`: one URL or file per start (a desktop may pass a file as a path or a file: URL);
    the scheme handler is what makes a browser or `xdg-open` hand our links to the reader."""
    entry = _desktop_entry()
    assert entry["Exec"].split()[1:] == ["%u"]
    types = entry["MimeType"].split(";")
    assert "x-scheme-handler/article-viewer" in types
    assert {"text/markdown", "text/plain"} <= set(types) and entry["MimeType"].endswith(";")


def test_the_appstream_metadata_names_the_desktop_entry_and_the_licence():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("summary") and root.find("description/p") is not None


def test_the_wheel_installs_the_desktop_files_and_the_licence(tmp_path):
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    shared = wheel["shared-data"]
    for source in shared:
        assert (REPO / source).is_file(), source
    assert set(shared.values()) == {
        "share/applications/article-viewer.desktop",
        "share/metainfo/article-viewer.metainfo.xml",
        "share/icons/hicolor/scalable/apps/article-viewer.svg",
    }
    assert "MIT License" in (REPO / "LICENSE").read_text(encoding="utf-8")
    assert project["project"]["license"] == {"text": "MIT"}


def test_make_install_desktop_puts_the_entry_in_the_users_menu(tmp_path):
    data = tmp_path / "share"
    subprocess.run(
        ["make", "-s", "install-desktop", f"DATA_HOME={data}"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    installed = (data / "applications" / "article-viewer.desktop").read_text(encoding="utf-8")
    assert f"Exec={REPO / '.venv' / 'bin' / 'article-viewer'} %u" in installed
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "article-viewer.svg").is_file()
    assert (data / "metainfo" / "article-viewer.metainfo.xml").is_file()
    subprocess.run(
        ["make", "-s", "uninstall-desktop", f"DATA_HOME={data}"],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    assert not (data / "applications" / "article-viewer.desktop").exists()


def test_the_window_has_the_app_icon(qtbot, corpus_copy, tmp_path):
    from tests.ui_support import open_window

    window = open_window(qtbot, corpus_copy, tmp_path / "s.ini")
    qtbot.waitUntil(lambda: not window.windowIcon().isNull())  # set once the article is painted
    pixmap = window.windowIcon().pixmap(48, 48)
    assert not pixmap.isNull()
    image = pixmap.toImage()
    assert image.pixelColor(24, 10).alpha() > 0  # the SVG rendered (not an empty icon)


def test_about_names_every_licence_and_shows_them_in_full(qapp):
    about = dialogs.about_html()
    assert "MIT licence" in about
    for name, licence in [
        ("PySide6 / Qt", "LGPL-3.0"),
        ("Python-Markdown", "BSD-3-Clause"),
        ("Whoosh-Reloaded", "BSD-2-Clause"),
        ("PyYAML", "MIT"),
        ("nh3 (ammonia)", "MIT"),
        ("pypdf", "BSD-3-Clause"),
    ]:
        assert name in about and licence in about
    text = licences.full_text()
    assert text.startswith("Article Viewer — MIT\n\nMIT License")
    assert "Permission is hereby granted" in text
    assert "Redistribution and use in source and binary forms" in text  # a BSD text, in full
    assert text.count("=" * 72) == len(licences.THIRD_PARTY)


def test_the_wm_class_is_article_viewer_not_main_py():
    """X11 builds WM_CLASS from argv[0] and the application name; under `python -m viewer`
    argv[0] is ".../viewer/__main__.py". A fresh process, since Qt allows one application."""
    code = (
        "import sys; sys.argv = ['/somewhere/viewer/__main__.py'];"
        "from viewer.ui.app import _application; app = _application();"
        "print(app.arguments()[0], app.applicationName(), app.desktopFileName())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    assert result.stdout.split() == ["article-viewer", "article-viewer", "article-viewer"]
