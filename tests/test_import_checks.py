"""PySide6 looks at every module imported after it for the word "PySide6"; the window's start-up
makes that look a read of the file's bytes (viewer/ui/qt_app.py), which must answer exactly as
PySide6's own look through `inspect` does, for source, built-in and extension modules."""

from __future__ import annotations

import importlib
import itertools
import json
import math
import sys

import pytest

import viewer.core.slug
from viewer.ui import qt_app
from viewer.ui.qt_app import quicken_import_checks


@pytest.fixture
def feature():
    """PySide6's feature module with its own check in place (an earlier start of the window in
    this process may have made it quick already), and as it was after the test."""
    module = importlib.import_module("PySide6.support.feature")
    found = module._mod_uses_pyside
    module._mod_uses_pyside = getattr(found, "pyside_check", found)
    yield module
    module._mod_uses_pyside = found


def test_the_quick_check_answers_as_pysides_own_for_every_kind_of_module(feature):
    original = feature._mod_uses_pyside
    quicken_import_checks()
    quick = feature._mod_uses_pyside
    assert quick is not original
    for module in (qt_app, viewer.core.slug, json, itertools, sys, math):
        assert quick(module) == original(module), module.__name__
    assert quick(qt_app) is True and quick(viewer.core.slug) is False


def test_quickening_twice_keeps_one_quick_check(feature):
    quicken_import_checks()
    quick = feature._mod_uses_pyside
    quicken_import_checks()
    assert feature._mod_uses_pyside is quick


def test_a_module_whose_file_is_gone_is_left_to_pysides_own_check(feature, tmp_path):
    original = feature._mod_uses_pyside
    quicken_import_checks()
    gone = type(sys)("gone_module")
    gone.__file__ = str(tmp_path / "gone_module.py")
    assert original(gone) is False
    assert feature._mod_uses_pyside(gone) is False
