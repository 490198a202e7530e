"""Importing Whoosh without the modules it imports and a search never uses.

`whoosh.compat` imports `urllib.request` (for a download helper; with it http.client, email,
ssl), `whoosh.reading` the `cached_property` package, which imports asyncio, and `whoosh.query`
the English morphology tables (hundreds of regular expressions compiled at import, for a
Variations query we never make): about a third of a cold CLI search's imports, for nothing it
calls. While those Whoosh modules load, stand-ins take the names: `urlretrieve` refuses (the
reader never downloads anything), `cached_property` is functools' (the same for the plain
methods Whoosh decorates), and `variations` imports the real tables when first called. The
stand-ins leave sys.modules again at once, so any later import gets the real modules.
"""

from __future__ import annotations

import functools
import sys
import types


def _urlretrieve(*_args, **_kwargs):
    raise OSError("article-viewer works offline: Whoosh's download helper is not available")


def _variations(word: str):
    import importlib

    return importlib.import_module("whoosh.lang.morph_en").variations(word)


def import_whoosh() -> None:
    """Import whoosh.compat, whoosh.query and whoosh.reading with the stand-ins (once)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        stand_ins["urllib.request"] = request
    if "cached_property" not in sys.modules:
        cached = types.ModuleType("cached_property")
        cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
        stand_ins["cached_property"] = cached
    if "whoosh.lang.morph_en" not in sys.modules:
        morph = types.ModuleType("whoosh.lang.morph_en")
        morph.variations = _variations  # type: ignore[attr-defined]
        stand_ins["whoosh.lang.morph_en"] = morph
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
