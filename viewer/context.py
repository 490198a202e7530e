"""What a command or the GUI runs against: the corpus folder and the cache folder.

Passed in explicitly (no globals); the library is loaded once, on first use.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from viewer import APP_ID
from viewer.core.resources import bundled_corpus_dir

if TYPE_CHECKING:  # imported when first loaded: a cold `search` never loads it
    from viewer.core.library import Library

CORPUS_ENV = "ARTICLE_VIEWER_CORPUS"
CACHE_ENV = "ARTICLE_VIEWER_CACHE"


def resolve_corpus(option: str | None, remembered: object = None) -> Path:
    """The corpus folder a run reads, in order: --corpus, $ARTICLE_VIEWER_CORPUS, the folder the
    reader opened last (the GUI passes its setting; used only while it is still a folder), the
    bundled articles. The command line and the GUI both resolve it here."""
    if option:
        return Path(option)
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV])
    if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
        return Path(remembered)
    return bundled_corpus_dir()


def default_corpus() -> Path:
    return resolve_corpus(None)


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / APP_ID


@dataclass
class Context:
    corpus: Path
    cache_dir: Path
    _library: Library | None = field(default=None, repr=False)

    @classmethod
    def from_args(
        cls, corpus: str | None, cache_dir: str | None, remembered: object = None
    ) -> Context:
        """`remembered`: the GUI's last folder setting (see resolve_corpus)."""
        return cls(
            resolve_corpus(corpus, remembered),
            Path(cache_dir) if cache_dir else default_cache_dir(),
        )

    def library(self) -> Library:
        """The corpus, through its catalogue in the cache folder (only changed files are parsed)."""
        if self._library is None:
            from viewer.core.library import Library

            self._library = Library.load(self.corpus, cache_dir=self.corpus_cache_dir())
        return self._library

    def corpus_cache_dir(self) -> Path:
        """One cache folder per corpus, named after the corpus folder and a hash of its path."""
        resolved = str(self.corpus.resolve())
        digest = hashlib.sha1(
            resolved.encode("utf-8", "surrogatepass"), usedforsecurity=False
        ).hexdigest()[:12]
        name = (
            "".join(ch if ch.isalnum() else "-" for ch in self.corpus.resolve().name)[:40]
            or "corpus"
        )
        return self.cache_dir / f"{name}-{digest}"
