"""What the Safety panel's tests share: a small collection with warnings in every article, its
entries as a first launch reads them (no verdicts yet), and libraries mixing the two."""

from __future__ import annotations

from pathlib import Path

from viewer.core.catalogue import ArticleEntry, SectionEntry
from viewer.core.library import Library

ARTICLE = """---
title: {title}
topics: [Sleep]
---
Intro about article {n}.

## Side effects

Kratom may cause nausea and constipation. Do not take more than {n} grams a day. Ask your
doctor before combining it with other medicines.
"""


def write_articles(folder: Path, count: int, hostile: bool = False) -> Library:
    """`count` articles (titles "Article 00".., in that order), each with four warnings."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        title = f"Article {n:02d}" + (" <b>bold</b> <img src='/dev/zero'>" if hostile else "")
        (folder / f"a{n:02d}.md").write_text(ARTICLE.format(title=title, n=n), encoding="utf-8")
    return Library.load(folder)


def pending(entry: ArticleEntry) -> ArticleEntry:
    """`entry` as a first launch reads it: no verdicts yet."""
    sections = [
        SectionEntry(s.anchor, s.heading, s.level, s.kind, False, [], s.topics)
        for s in entry.sections
    ]
    return ArticleEntry(
        entry.id,
        entry.title,
        entry.path,
        entry.source_format,
        entry.topics,
        entry.words,
        entry.notes,
        entry.fingerprint,
        entry.section_count,
        0,
        sections,
        pending=True,
    )


def mixed(library: Library, replaced: dict[str, ArticleEntry]) -> Library:
    """`library` with the entries of `replaced` (by id) in place of its own, the others the
    same objects (as the verdict pass's libraries are: only the classified entries are new)."""
    entries = [replaced.get(e.id, e) for e in library.entries]
    return Library(library.root, entries, [], library.taxonomy)
