"""The topic taxonomy (resources/topics.toml): assigning topics and building the topic tree."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from viewer.core.cues import CueMatcher, CueScanner
from viewer.core.errors import ViewerError
from viewer.core.model import Article
from viewer.core.resources import load_toml, resource_path

DEFAULT_MIN_HITS = 2


@dataclass
class Topic:
    name: str
    cues: list[str]
    parent: str = ""
    min_hits: int = DEFAULT_MIN_HITS

    @cached_property
    def matcher(self) -> CueMatcher:
        # Compiled when first needed: a start-up that parses nothing never pays for it.
        return CueMatcher(self.cues)


class OutlinedSection(Protocol):
    """What the topic tree reads of a section: a model.Section or a catalogue.SectionEntry."""

    @property
    def anchor(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def safety(self) -> bool: ...
    @property
    def categories(self) -> list[str]: ...
    @property
    def topics(self) -> list[str]: ...


class OutlinedArticle(Protocol):
    """What the topic tree reads of an article: a model.Article or a catalogue.ArticleEntry."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def topics(self) -> list[str]: ...
    @property
    def safety_count(self) -> int: ...
    @property
    def sections(self) -> Sequence[OutlinedSection]: ...


@dataclass
class TopicNode:
    """A node of the topic tree: topic -> articles (with their sections of that topic) -> children.

    The articles are whatever the tree was built from: library entries (catalogue.ArticleEntry)
    or full articles, which share the attributes used here (OutlinedArticle)."""

    name: str
    articles: list[tuple[OutlinedArticle, Sequence[str]]] = field(default_factory=list)
    children: list[TopicNode] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "articles": [
                {"id": a.id, "title": a.title, "sections": list(anchors)}
                for a, anchors in self.articles
            ],
            "children": [c.to_json() for c in self.children],
        }

    def article_count(self) -> int:
        ids = {a.id for a, _ in self.articles}
        for child in self.children:
            ids.update(a.id for a, _ in child.all_articles())
        return len(ids)

    def all_articles(self) -> Iterator[tuple[OutlinedArticle, Sequence[str]]]:
        yield from self.articles
        for child in self.children:
            yield from child.all_articles()


class TopicAnchors(Sequence):
    """The anchors of an article's sections of one topic, found when first asked for: the topic
    tree of a large collection then needs no article's outline until a topic is opened.
    Slots: a 50,000-article collection has some 230,000 of them."""

    __slots__ = ("_anchors", "_article", "_topic")

    def __init__(self, article: OutlinedArticle, topic: str) -> None:
        self._article, self._topic = article, topic
        self._anchors: list[str] | None = None

    def _found(self) -> list[str]:
        if self._anchors is None:
            self._anchors = [s.anchor for s in self._article.sections if self._topic in s.topics]
        return self._anchors

    def __getitem__(self, index):
        return self._found()[index]

    def __len__(self) -> int:
        return len(self._found())

    def __eq__(self, other) -> bool:
        return (
            list(self) == list(other)
            if isinstance(other, (list, tuple, Sequence))
            else NotImplemented
        )

    def __repr__(self) -> str:
        return repr(self._found())


class Taxonomy:
    """Topics with cue words; assigns topics to sections, and to articles that have none."""

    def __init__(self, topics: list[Topic]) -> None:
        self.topics = topics

    @cached_property
    def _scanner(self) -> CueScanner:
        # One scan of a section's text for all topics at once (see cues.CueScanner).
        return CueScanner([t.matcher for t in self.topics])

    @classmethod
    def load(cls, path: Path | None = None) -> Taxonomy:
        path = path or resource_path("topics.toml")
        try:
            data = load_toml(path)
        except (OSError, ValueError) as exc:
            raise ViewerError(f"cannot read the topic list {path}: {exc}") from None
        topics = []
        for entry in data.get("topic", []):
            if not isinstance(entry, dict) or not entry.get("name"):
                continue
            topics.append(
                Topic(
                    name=str(entry["name"]),
                    cues=[str(c) for c in entry.get("cues", [])],
                    parent=str(entry.get("parent", "")),
                    min_hits=int(entry.get("min_hits", DEFAULT_MIN_HITS)),
                )
            )
        return cls(topics)

    def assign(self, article: Article) -> None:
        """Set each section's topics from its heading and text; fill the article's if empty."""
        for section in article.sections:
            text, heading = section.plain_text, section.heading
            text_starts, heading_starts = self._scanner.starts(text), self._scanner.starts(heading)
            section.topics = [
                t.name
                for t in self.topics
                if (heading_starts and t.matcher.find_at(heading, heading_starts, 0, len(heading)))
                or len(t.matcher.find_at(text, text_starts, 0, len(text)) if text_starts else ())
                >= t.min_hits
            ]
        if not article.topics:
            seen = [name for s in article.sections for name in s.topics]
            article.topics = [t.name for t in self.topics if t.name in seen]

    def tree(self, articles: Sequence[OutlinedArticle]) -> list[TopicNode]:
        """Topic -> article -> sections of that topic; topics nobody uses are left out.

        `articles` are Articles or catalogue entries: only ids, titles, topics and the sections'
        anchors and topics are read."""
        nodes = {t.name: TopicNode(t.name) for t in self.topics}
        parents = {t.name: t.parent for t in self.topics}
        for article in articles:
            for name in article.topics:
                if name not in nodes:  # a front-matter topic the taxonomy does not know
                    nodes[name] = TopicNode(name)
                    parents[name] = ""
                nodes[name].articles.append((article, TopicAnchors(article, name)))
        roots: list[TopicNode] = []
        for name, node in nodes.items():
            parent = parents.get(name, "")
            if parent and parent in nodes and parent != name:
                nodes[parent].children.append(node)
            else:
                roots.append(node)

        def prune(level: list[TopicNode]) -> list[TopicNode]:
            kept = []
            for node in level:
                node.children = prune(node.children)
                if node.articles or node.children:
                    kept.append(node)
            return kept

        return prune(roots)
