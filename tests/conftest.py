"""Test setup: Qt offscreen, and settings/caches in temporary folders for every test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# CI (.ci/run sets HYPOTHESIS_PROFILE=ci) replays the same examples every run, so a landing never
# depends on what a random search happened to find; a developer's run keeps exploring. Neither
# has a per-example deadline: that is a timing, and on a loaded machine it failed a property
# that holds (254 ms against Hypothesis's 200 ms default in test_loader_properties).
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
BUNDLED_CORPUS = REPO / "corpus"
BUNDLED_IDS = [
    "kratom-opioid-withdrawal",
    "kratom-chronic-pain-dosage",
    "kratom-withdrawal-hair-loss",
    "kratom-detox-hyperpigmentation",
    "kratom-dopamine-withdrawal",
]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's real settings, cache or corpus choice."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ARTICLE_VIEWER_CACHE", str(home / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("ARTICLE_VIEWER_CORPUS", raising=False)
    return home


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The raw seed articles; tests that need them fall back to a copy shipped in fixtures."""
    return SEEDS if SEEDS.is_dir() else FIXTURES / "seeds"


@pytest.fixture(scope="module")
def library():
    """The bundled corpus, loaded once per test module (tests that change articles copy it)."""
    from viewer.core.library import Library

    return Library.load(BUNDLED_CORPUS)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """The annotations database in a folder of this test's own (its path returned)."""
    from viewer.core.annotations.location import DATA_ENV

    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_ENV, str(folder))
    return folder
