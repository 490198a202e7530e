"""A searcher for an index's new generation that keeps the segment readers it already had open.

An update writes one small segment (and marks the changed article's old sections deleted in
the segment that held them); every other segment is the same files. Opening the generation
afresh (`ix.searcher()`) opens a reader for each of them again (some 90 at 50,000 articles):
their term tables, their per-document columns, and the length columns the BM25 norms are read
from, which a reader caches. Here a segment whose files and deletions are as the old
searcher's reader saw them keeps that reader; only new segments, and segments with new
deletions (a reader's deletions are those of the segment it was opened with), get a new one.
Whoosh's own `Searcher.refresh()` reuses readers by segment alone, so deletions committed since
stayed invisible; `FileIndex.reader(reuse=...)` lists the old generation's segments too.

Public Whoosh API only: `TOC.read`, `SegmentReader`, `MultiReader`, `Searcher`.
"""

from __future__ import annotations

from whoosh.index import TOC
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher


def _fingerprint(segment) -> tuple:
    return (segment.segment_id(), segment.doc_count_all(), segment.deleted_count())


def reopen(ix, previous: Searcher | None) -> tuple[Searcher, int]:
    """A searcher for `ix`'s latest generation, reusing `previous`'s segment readers where
    they read what the new generation holds; returns it and how many were reused. The reused
    readers are taken out of `previous`, which can then be closed (closing the rest)."""
    if previous is None or not isinstance(previous.reader(), MultiReader):
        return ix.searcher(), 0
    toc = TOC.read(ix.storage, ix.indexname)
    old_reader = previous.reader()
    reusable = {
        _fingerprint(sub.segment()): sub
        for sub in old_reader.readers
        if isinstance(sub, SegmentReader) and not sub.is_closed
    }
    readers = []
    reused = 0
    for segment in toc.segments:
        sub = reusable.pop(_fingerprint(segment), None)
        if sub is None:
            sub = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
        else:
            reused += 1
        readers.append(sub)
    if not readers:
        return ix.searcher(), 0
    # What `previous` still holds, and closes with it: the readers not taken.
    kept = set(map(id, readers))
    old_reader.readers = [sub for sub in old_reader.readers if id(sub) not in kept]
    return Searcher(MultiReader(readers, generation=toc.generation), fromindex=ix), reused
