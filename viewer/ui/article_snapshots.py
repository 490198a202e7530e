"""The window's side of viewer/core/article_snapshot.py: the first article opened at start-up is
taken from the snapshot of the article shown last (when the snapshot still holds its file as
it is), and what the window shows once painted, and when it closes, becomes the snapshot.

Only for a library read through the catalogue on disk: one loaded in memory has no cache
folder, and parses every article anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.core import article_snapshot

if TYPE_CHECKING:  # only for checking: main_window imports this module
    from viewer.ui.main_window import MainWindow


class ArticleSnapshots:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.kept = ""  # the article the snapshot on disk holds, as far as this window knows

    def restore(self, article_id: str) -> bool:
        """Let the library have `article_id` parsed from the snapshot; True if it took it."""
        library = self.window.library
        if library is None or not library.catalogued or article_id not in library:
            return False
        found = article_snapshot.load(self.window.context.corpus_cache_dir(), article_id)
        if found is None or not library.adopt(*found):
            return False
        self.kept = article_id
        return True

    def keep_shown(self) -> None:
        """The article on screen becomes the snapshot (if it is not already), when the
        catalogue records its file as it is on disk now."""
        window = self.window
        article, library = window.ui.reader.article, window.library
        if article is None or article.id == self.kept or library is None:
            return
        if not library.catalogued or article.id not in library:
            return
        found = library.snapshot_source(article)
        if found is None:
            return  # its file changed since it was catalogued, or it is an older library's
        article_snapshot.save(window.context.corpus_cache_dir(), article, *found)
        self.kept = article.id
