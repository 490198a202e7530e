"""Data flows down the layers, never up (docs/ARCHITECTURE.md): core imports none of search,
render, export or ui; search none of render, export or ui; render neither export nor ui; and
none of the three imports Qt. Read from the source (imports inside functions count), so a lazy
upward import is caught too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

VIEWER = Path(__file__).resolve().parent.parent / "viewer"
ABOVE = {
    "core": ("viewer.search", "viewer.render", "viewer.export", "viewer.ui", "viewer.cli"),
    "search": ("viewer.render", "viewer.export", "viewer.ui", "viewer.cli"),
    "render": ("viewer.export", "viewer.ui", "viewer.cli"),
}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(ABOVE))
def test_a_layer_imports_nothing_above_it_and_no_qt(layer):
    wrong = [
        f"{path.relative_to(VIEWER)}: {name}"
        for path in sorted((VIEWER / layer).rglob("*.py"))
        for name in _imports(path)
        if name.startswith(ABOVE[layer]) or name.split(".")[0] in ("PySide6", "shiboken6")
    ]
    assert not wrong, wrong
