"""Where the bundled resources and corpus live: beside the package in a wheel, or in the repo."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def resources_dir() -> Path:
    return _data_dir("resources")


def bundled_corpus_dir() -> Path:
    return _data_dir("corpus")


def resource_path(name: str) -> Path:
    return resources_dir() / name


def load_toml(path: Path) -> dict:
    # Imported here: every run asks where the corpus is, few read a TOML file.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised only on 3.10
        import tomli as tomllib
    with open(path, "rb") as handle:
        return tomllib.load(handle)
