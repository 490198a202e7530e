"""Search results for the panel, as plain Python (no Qt): grouping by article and status lines.

The search engine returns hits ranked best first; the panel shows them grouped under their
article, articles in the order of their best hit, with a line that says what was found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the UI checks against the search types without importing Whoosh
    from viewer.core.library import Library
    from viewer.search.results import Hit

STILL_INDEXING = "Still indexing… results may be incomplete."
INDEX_UNAVAILABLE = "Search is not available: {reason}"
EMPTY_QUERY = "Type to search all articles."


@dataclass
class ArticleGroup:
    """The hits of one article, best first."""

    article_id: str
    title: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def safety_hits(self) -> int:
        return sum(1 for hit in self.hits if hit.safety)


def group_hits(hits: Iterable[Hit]) -> list[ArticleGroup]:
    """Hits grouped by article id, articles ordered by their best (first) hit."""
    groups: dict[str, ArticleGroup] = {}
    for hit in hits:
        article_id = hit.article
        group = groups.get(article_id)
        if group is None:
            group = groups[article_id] = ArticleGroup(article_id, hit.title or article_id)
        group.hits.append(hit)
    return list(groups.values())


def hit_safety(library: Library | None, hit: Hit) -> bool | None:
    """Whether the hit's section is a safety section as the window's library has it now (the
    index may be older: a first launch indexes before the verdicts); None when its article is
    not checked for safety passages yet."""
    if library is None or hit.article not in library:
        return hit.safety
    entry = library.entry(hit.article)
    if entry.pending:
        return None
    section = entry.section(hit.anchor)
    return hit.safety if section is None else section.safety


@dataclass
class SafetyFiltered:
    """A "Safety passages only" list filtered by the library's verdicts (the index's marks lag
    them, see search_panel.py): the sections it knows are about safety, and the sections of
    articles not checked yet, which may be; each best first."""

    safe: list[Hit]
    unchecked: list[Hit]

    def articles(self, hits: list[Hit]) -> int:
        return len({hit.article for hit in hits})


def safety_filtered(library: Library | None, hits: Iterable[Hit]) -> SafetyFiltered:
    """The hits such a list shows (sections checked and not about safety are left out)."""
    filtered = SafetyFiltered([], [])
    for hit in hits:
        safety = hit_safety(library, hit)
        if safety is None:
            filtered.unchecked.append(hit)
        elif safety:
            filtered.safe.append(hit)
    return filtered


def filtered_line(
    query: str, filtered: SafetyFiltered, still: int, looked_at: int = 0, *, indexing: bool = False
) -> str:
    """The line above such a list: the safety results found, the matches listed because their
    articles are not checked yet, and how many articles are still being checked. `looked_at`:
    how many of the best matches were looked at, when more matched (0: every match was)."""
    query = query.strip()
    safe, unchecked = filtered.safe, filtered.unchecked
    among = f" among the best {looked_at} matches" if looked_at else ""
    if safe:
        line = f"{plural(len(safe), 'safety result')} in "
        line += f"{plural(filtered.articles(safe), 'article')}{among}"
    else:
        line = f"No safety passages{among} for “{query}” in the articles checked so far"
    if unchecked:
        count = plural(filtered.articles(unchecked), "article")
        line += (
            f"; listed too (“checking safety…”): {plural(len(unchecked), 'match', 'matches')}"
            f" in {count} not checked for safety passages yet"
        )
    line += "."
    if still:
        noun = "article is" if still == 1 else "articles are"
        line += f" Still checking: {still:,} {noun} not checked yet; this list follows as they are."
    else:
        line += " The search index is taking the safety marks; this list follows when it has."
    if indexing:
        line += " " + STILL_INDEXING
    return line


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def summary_line(
    query: str,
    total: int,
    shown: int,
    articles: int,
    *,
    safety_only: bool = False,
    indexing: bool = False,
) -> str:
    """The line above the results: how many, where, and whether the index is still building."""
    query = query.strip()
    if not query:
        return STILL_INDEXING if indexing else EMPTY_QUERY
    if total == 0:
        what = "safety passages" if safety_only else "results"
        line = f"No {what} for “{query}”."
        hint = (
            " Try other words or fewer of them."
            if not safety_only
            else " Try without “Safety only”."
        )
        return line + (" " + STILL_INDEXING if indexing else hint)
    noun = "safety result" if safety_only else "result"
    line = f"{plural(total, noun)} in {plural(articles, 'article')}"
    if shown < total:
        line += f" (showing the best {shown})"
    line += "."
    if indexing:
        line += " " + STILL_INDEXING
    return line


def correction_line(query: str, corrected: str | None) -> str:
    """'Showing results for …' when the engine corrected a misspelt query, else ''."""
    if corrected and corrected.strip() and corrected.strip().casefold() != query.strip().casefold():
        return f"Showing results for “{corrected.strip()}” (searched instead of “{query.strip()}”)."
    return ""
