"""The index's vocabulary on disk: the terms of the text field, per segment and per generation.

Whether the collection knows a term is, asked of Whoosh, a hash lookup in every segment's term
table: about 41 of them at 50,000 articles, a tenth of a millisecond each in Python. Spelling
variants ask it for some 480 candidate words per query word, which was most of a cold CLI
search (issue 12). So every segment gets a file of its text field's terms (`<segment>.voc`:
sorted, UTF-8, one a line), written by the build's writer from the terms it holds anyway
(BulkWriter), or read once from the segment's term table for a segment Whoosh wrote (an
update's: small); and each generation gets VOCABULARY, their union, headed by the ids of the
segments it was made from. A search reads that one file (a few milliseconds) and answers from a
set. A VOCABULARY made for other segments (an update since), or one that cannot be read, is
ignored and the index is asked as before: the same terms either way.

Both kinds are index files: written before the manifest, so listed with their checksums and
checked with the rest; a segment's file is named like the segment's own, so it moves with the
segment (a build's helper process, Segment.list_files) and Whoosh removes it with the segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

GENERATION_FILE = "VOCABULARY"
SEGMENT_EXT = ".voc"
# Bump when the layout of either file changes: a file of another layout is never read as terms.
HEADER = b"article-viewer vocabulary 1"


def segment_terms_bytes(terms: Iterable[bytes]) -> bytes | None:
    """A segment file's content: the sorted terms, one a line; None if a term holds a line
    break (no such file then: the segment's term table is read instead)."""
    ordered = sorted(terms)
    if any(b"\n" in term for term in ordered):
        return None
    return b"\n".join([HEADER, *ordered])


def write_segment_terms(storage, segment, terms: Iterable[bytes]) -> None:
    """Write `segment`'s file of text-field terms into `storage` (the build writer)."""
    data = segment_terms_bytes(terms)
    if data is None:
        return
    handle = segment.create_file(storage, SEGMENT_EXT)
    try:
        handle.write(data)
    finally:
        handle.close()


def _segment_terms(
    folder: Path, segment_id: str, open_reader, fields: Iterable[str]
) -> list[bytes]:
    """The text-field terms of one segment: from its file, else from its term table, through
    a reader `open_reader()` opens (and then the file is written, for the next update)."""
    path = folder / f"{segment_id}{SEGMENT_EXT}"
    try:
        lines = path.read_bytes().split(b"\n")
        if lines[0] == HEADER:
            return lines[1:] if len(lines) > 1 and lines[1:] != [b""] else []
    except OSError:
        pass  # a segment Whoosh wrote (an update's): read its term table below
    reader = open_reader()
    try:
        indexed = set(reader.indexed_field_names())
        terms: set[bytes] = set()
        for field in fields:
            if field in indexed:
                terms.update(reader.lexicon(field))
    finally:
        reader.close()
    data = segment_terms_bytes(terms)
    if data is not None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return sorted(terms)


def _segment_ids(reader) -> list[str]:
    return sorted(sub.segment().segment_id() for sub, _ in reader.leaf_readers())


def _written(folder: Path) -> tuple[set[str], list[bytes]] | None:
    """The segment ids and the terms of the VOCABULARY in `folder`, if it has a good one."""
    try:
        data = (folder / GENERATION_FILE).read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if not header.startswith(HEADER + b" "):
        return None
    try:
        ids = {i for i in header[len(HEADER) + 1 :].decode("ascii").split(",") if i}
    except UnicodeDecodeError:
        return None
    return ids, (body.split(b"\n") if body else [])


def write_generation(folder: Path, ix, fields: Iterable[str]) -> None:
    """Write the generation's VOCABULARY: the union of its segments' text-field terms. After an
    update that only added segments, that is the last VOCABULARY's terms plus the new
    segments' (exactly: a segment's terms do not change while it exists), so neither the other
    segments' files are read again nor a reader opened on each of them (90 at 50,000 articles)."""
    from whoosh.index import TOC
    from whoosh.reading import SegmentReader

    fields = tuple(fields)
    toc = TOC.read(ix.storage, ix.indexname)
    segments = {segment.segment_id(): segment for segment in toc.segments}
    terms: set[bytes] = set()
    written = _written(folder)
    if written is not None and written[0] <= segments.keys():
        terms.update(written[1])
        segments = {i: s for i, s in segments.items() if i not in written[0]}
    for segment_id, segment in segments.items():
        terms.update(
            _segment_terms(
                folder,
                segment_id,
                lambda segment=segment: SegmentReader(ix.storage, toc.schema, segment),
                fields,
            )
        )
    ids = sorted(s.segment_id() for s in toc.segments)
    header = HEADER + b" " + b",".join(i.encode("ascii") for i in ids)
    body = segment_terms_bytes(terms)
    target = folder / GENERATION_FILE
    if body is None:  # a term with a line break: no file, searches ask the index
        target.unlink(missing_ok=True)
        return
    tmp = folder / (GENERATION_FILE + ".tmp")
    tmp.write_bytes(header + body[len(HEADER) :])
    tmp.replace(target)


def read_generation(folder: Path, reader) -> list[str] | None:
    """The sorted text-field terms of the generation `reader` reads, from its VOCABULARY; None
    when there is none, or it was made for other segments or cannot be read."""
    try:
        data = (folder / GENERATION_FILE).read_bytes()
        header, _, body = data.partition(b"\n")
        expected = HEADER + b" " + b",".join(s.encode("ascii") for s in _segment_ids(reader))
        if header != expected:
            return None
        return body.decode("utf-8").split("\n") if body else []
    except (OSError, UnicodeError):
        return None
