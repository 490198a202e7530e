"""The application's name is written once (viewer.APP_NAME): a rename, or a fork that ships
under another name, changes one line, and every window title, menu, dialog, export and PDF
reads it from there."""

from __future__ import annotations

import ast
from pathlib import Path

import viewer
from viewer import APP_NAME

SOURCE = Path(viewer.__file__).resolve().parent


def _literals_naming_the_app(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and APP_NAME in node.value
        and id(node) not in docstrings
    ]


def test_the_application_name_is_one_constant():
    copies = [
        f"{path.relative_to(SOURCE)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        for line in _literals_naming_the_app(path)
    ]
    assert len(copies) == 1 and copies[0].startswith("__init__.py:"), copies
