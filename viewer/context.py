"""What a command or the GUI runs against: the corpus folder and the cache folder.

Passed in explicitly (no globals); the library is loaded once, on first use.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.library import Library
from viewer.core.resources import bundled_corpus_dir

CORPUS_ENV = "ARTICLE_VIEWER_CORPUS"
CACHE_ENV = "ARTICLE_VIEWER_CACHE"


def default_corpus() -> Path:
    return Path(os.environ.get(CORPUS_ENV) or bundled_corpus_dir())


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "article-viewer"


@dataclass
class Context:
    corpus: Path
    cache_dir: Path
    _library: Library | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, corpus: str | None, cache_dir: str | None) -> Context:
        return cls(Path(corpus) if corpus else default_corpus(),
                   Path(cache_dir) if cache_dir else default_cache_dir())

    def library(self) -> Library:
        """The corpus, through its catalogue in the cache folder (only changed files are parsed)."""
        if self._library is None:
            self._library = Library.load(self.corpus, cache_dir=self.corpus_cache_dir())
        return self._library

    def corpus_cache_dir(self) -> Path:
        """One cache folder per corpus, named after the corpus folder and a hash of its path."""
        resolved = str(self.corpus.resolve())
        digest = hashlib.sha1(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        name = "".join(ch if ch.isalnum() else "-" for ch in self.corpus.resolve().name)[:40] or "corpus"
        return self.cache_dir / f"{name}-{digest}"
