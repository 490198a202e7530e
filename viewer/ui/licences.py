"""The licences About promises: Article Viewer's own (MIT) and those of the libraries it ships
with, named in the About box and given in full in its "Licences…" window.

Texts come from each package's installed metadata (its dist-info licence file), so they match
the versions actually installed. Everything is plain text: nothing here becomes markup.
"""

from __future__ import annotations

from pathlib import Path

from viewer import APP_NAME
from viewer.core.resources import resources_dir

# (shown name, distribution names to look up, licence, what the reader should know)
THIRD_PARTY = (
    (
        "PySide6 / Qt",
        ("PySide6-Essentials", "PySide6"),
        "LGPL-3.0 (or GPL-2.0 / GPL-3.0)",
        "Qt for Python and the Qt libraries are used unmodified as separate packages, so they can "
        "be replaced with other builds; Help > About Qt gives Qt's own licence notice.",
    ),
    ("Python-Markdown", ("Markdown",), "BSD-3-Clause", ""),
    ("Whoosh-Reloaded", ("Whoosh-Reloaded", "Whoosh"), "BSD-2-Clause", ""),
    ("PyYAML", ("PyYAML",), "MIT", ""),
    ("nh3 (ammonia)", ("nh3",), "MIT", ""),
    ("pypdf", ("pypdf",), "BSD-3-Clause", ""),
)
OWN_LICENCE = "MIT"


def _distribution(names: tuple[str, ...]):
    from importlib import metadata  # only when About is opened: it costs start-up time

    for name in names:
        try:
            return metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def components() -> list[tuple[str, str, str]]:
    """(name, installed version, licence) for each library."""
    rows = []
    for name, dists, licence, _note in THIRD_PARTY:
        dist = _distribution(dists)
        rows.append((name, dist.version if dist is not None else "not installed", licence))
    return rows


def _licence_file_text(dists: tuple[str, ...]) -> str:
    dist = _distribution(dists)
    if dist is None:
        return ""
    for file in dist.files or []:
        name = Path(str(file)).name.lower()
        if name.startswith(("license", "licence", "copying")):
            try:
                return (
                    dist.locate_file(file).read_text(encoding="utf-8", errors="replace")
                ).strip()
            except OSError:
                continue
    return ""


def own_licence_text() -> str:
    for candidate in (
        resources_dir().parent / "LICENSE",
        resources_dir().parent.parent / "LICENSE",
    ):
        try:
            return candidate.read_text(encoding="utf-8").strip()
        except OSError:
            continue
    return "MIT License (the LICENSE file was not found in this installation)."


def full_text() -> str:
    """Every licence, one after the other, as plain text."""
    parts = [f"{APP_NAME} — {OWN_LICENCE}\n\n{own_licence_text()}"]
    for name, dists, licence, note in THIRD_PARTY:
        body = _licence_file_text(dists)
        text = f"{name} — {licence}"
        if note:
            text += f"\n\n{note}"
        text += (
            f"\n\n{body}"
            if body
            else "\n\n(The full licence text is not included in this package's metadata.)"
        )
        parts.append(text)
    return ("\n\n" + "=" * 72 + "\n\n").join(parts) + "\n"
