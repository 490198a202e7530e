"""The Library: every article under a corpus folder, plus the files that could not be read.

Scanning never fails as a whole: a file that cannot be read becomes a `Problem` (path + one-line
reason) and the rest still load. Links are not followed out of the corpus folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from viewer.core.decode import decode_article_bytes
from viewer.core.errors import ArticleError, UnknownArticle, ViewerError
from viewer.core.md_loader import load_markdown
from viewer.core.model import Article
from viewer.core.safety import SafetyClassifier
from viewer.core.slug import slugify, unique_slug
from viewer.core.topics import Taxonomy, TopicNode
from viewer.core.txt_loader import load_txt

ARTICLE_SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt"}
# Annotators run on every loaded article (topics, safety); each mutates the article in place.
Annotator = Callable[[Article], None]


@dataclass(frozen=True)
class Problem:
    path: str
    error: str

    def to_json(self) -> dict:
        return {"path": self.path, "error": self.error}


def read_article(path: Path, article_id: str, display_path: str | None = None) -> Article:
    """Load one article file; raise ArticleError with a one-line reason if it cannot be read."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError("is a folder, not a file") from None
    except OSError as exc:
        raise ArticleError(f"cannot read the file: {exc.strerror or exc}") from None
    decoded = decode_article_bytes(data)
    shown = Path(display_path) if display_path else path
    loader = load_markdown if ARTICLE_SUFFIXES.get(path.suffix.lower()) == "md" else load_txt
    try:
        article = loader(decoded.text, shown, article_id)
    except RecursionError:
        raise ArticleError("the text is nested too deeply to read") from None
    if decoded.note:
        article.notes.append(decoded.note)
    if not article.sections:
        raise ArticleError("no text found in the file")
    return article


def iter_article_files(root: Path) -> Iterable[Path]:
    """Article files under root, sorted, never leaving root through a link."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            yield Path(folder) / name
        # A folder named like an article is yielded too, so that the caller reports it.
        for name in dirs:
            if Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                yield Path(folder) / name


def _inside(path: Path, root_real: Path) -> bool:
    try:
        path.resolve().relative_to(root_real)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


class Library:
    """The articles of one corpus folder, by id, with the problems met while loading."""

    def __init__(self, root: Path, articles: list[Article], problems: list[Problem],
                 taxonomy: Taxonomy) -> None:
        self.root = root
        self.articles = articles
        self.problems = problems
        self.taxonomy = taxonomy
        self._by_id = {a.id: a for a in articles}

    @classmethod
    def load(cls, root: Path | str, annotators: Iterable[Annotator] | None = None,
             taxonomy: Taxonomy | None = None) -> Library:
        root = Path(root)
        if not root.exists():
            raise ViewerError(f"corpus folder {root} does not exist")
        if not root.is_dir():
            raise ViewerError(f"corpus {root} is not a folder")
        taxonomy = taxonomy or Taxonomy.load()
        annotators = list(annotators) if annotators is not None else default_annotators()
        root_real = root.resolve()
        articles: list[Article] = []
        problems: list[Problem] = []
        taken: set[str] = set()
        for path in iter_article_files(root):
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() and not _inside(path, root_real):
                problems.append(Problem(rel, "link leads outside the corpus folder; not followed"))
                continue
            if path.is_dir():
                problems.append(Problem(rel, "is a folder named like an article file"))
                continue
            article_id = unique_slug(slugify(path.stem, fallback="article"), taken)
            try:
                article = read_article(path, article_id, rel)
            except ArticleError as exc:
                taken.discard(article_id)
                problems.append(Problem(rel, str(exc)))
                continue
            taxonomy.assign(article)
            for annotate in annotators:
                annotate(article)
            articles.append(article)
        articles.sort(key=lambda a: (a.title.casefold(), a.id))
        return cls(root, articles, problems, taxonomy)

    def get(self, article_id: str) -> Article:
        try:
            return self._by_id[article_id]
        except KeyError:
            raise UnknownArticle(f"no article with id '{article_id}' in {self.root}") from None

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._by_id

    def __len__(self) -> int:
        return len(self.articles)

    def topic_tree(self) -> list[TopicNode]:
        return self.taxonomy.tree(self.articles)


def default_annotators() -> list[Annotator]:
    """The classifiers every loaded article goes through: a fresh safety classifier per load."""
    return [SafetyClassifier.load().annotate]
