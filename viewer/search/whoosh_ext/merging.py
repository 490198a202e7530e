"""A build's segments merged into one, streaming, without Whoosh's pool (issue 12).

A build writes a segment whenever its writer's memory limit is reached (writer.BulkWriter): 18
segments at 10,000 articles, 86 at 50,000. Every search pays for each one: a term lookup per
word and segment, a matcher set up, a last block read half empty, a document frequency summed,
and a cold search opens eight files per segment. So the writer merges what it wrote once its
documents are all in (`merge_segments`): one segment per build process.

Whoosh's own merge (`SegmentWriter.add_reader`) sends every posting through its pool, sorted
as one list of tuples in pure Python: the cost BulkWriter exists to avoid. Here the segments,
all written by BulkWriter in document order and without deletions, are read side by side: each
one's terms come out of its term table in order, so a heap merge of those streams yields every
term once, and a term's postings are its segments' postings one after the other, each
segment's document numbers moved up by the documents before it. Only one term's postings are
held at a time, so memory stays bounded by the largest term, not the index. The segments are
read through plain file reads, not mmap: mapped pages a merge reads count in this process's
resident size (the build's peak is bounded, ARCHITECTURE), file reads only in the page cache.

Documents keep their numbers and fields, and the merged segment holds exactly the postings,
weights, positions, lengths and field-length totals the segments held, so hits, their order and
their scores are those of the unmerged index (tests/test_search_segments.py).

Like a segment's write, the merge asks the writer's `interrupt` callback every few hundred
terms and between documents' batches: a close during a first launch ends it at once, its files
closed unfinished, and the build removes its whole new folder (writer.py).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence

from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length

from viewer.search import term_files
from viewer.search.spelling import TEXT_FIELDS
from viewer.search.whoosh_ext.codec import (
    add_stored_bytes,
    joined_blocks,
    length_codes,
    moved_block,
    read_blocks,
    stored_bytes,
)
from viewer.search.whoosh_ext.writer import abandon

# Length code -> the field length BulkWriter stored for it (the codec keeps one byte a length).
_LENGTHS = [byte_to_length(code) if code else 0 for code in range(256)]


# How often the merge asks whether to stop: as often as a segment's write does (writer.py).
INTERRUPT_EVERY = 256


def merge_segments(
    storage,
    schema,
    codec,
    indexname: str,
    segments: Sequence,
    interrupt: Callable[[], None] | None = None,
) -> object:
    """One new segment in `storage` holding `segments`' documents in their order (the first
    segment's first); their files are left for the caller to delete. Only for segments
    without deletions (a build's). What `interrupt` raises ends the merge (module docstring)."""
    if any(segment.deleted_count() for segment in segments):
        raise ValueError("only a build's segments (no deletions) are merged")
    reading = FileStorage(storage.folder, supports_mmap=False, readonly=True)
    merged = codec.new_segment(storage, indexname)
    check = interrupt or _never
    _copy_documents(reading, storage, schema, codec, segments, merged, check)
    _merge_postings(reading, storage, schema, codec, segments, merged, check)
    return merged


def _never() -> None:
    """No interrupt: the merge always runs to its end."""


def _copy_documents(reading, storage, schema, codec, segments, merged, check) -> None:
    """Write every document's stored fields (their bytes as they are) and field lengths into
    `merged`, in the segments' order."""
    scorable = sorted(name for name, field in schema.items() if field.scorable)
    writer = codec.per_document_writer(storage, merged)
    totals: dict[str, int] = dict.fromkeys(scorable, 0)
    docnum = 0
    for segment in segments:
        reader = codec.per_document_reader(reading, segment)
        try:
            count = segment.doc_count_all()
            codes = [(name, schema[name], _length_codes(reader, name, count)) for name in scorable]
            for name in scorable:
                totals[name] += reader.field_length(name)
            stored = stored_bytes(reader)
            for local in range(count):
                if local % INTERRUPT_EVERY == 0:
                    check()
                writer.start_doc(docnum)
                for name, field, field_codes in codes:
                    if field_codes[local]:
                        writer.add_field(name, field, None, _LENGTHS[field_codes[local]])
                writer.finish_doc()
                add_stored_bytes(writer, docnum, stored(local))
                docnum += 1
        finally:
            reader.close()
    # The lengths added above are the stored codes' lengths; a field's total is the exact sum
    # the segments recorded (what Whoosh's field_length answers), as one segment would hold it.
    writer._fieldlengths = {name: total for name, total in totals.items() if total}
    writer.close()
    merged.set_doc_count(docnum)


def _length_codes(reader, fieldname: str, count: int) -> bytes:
    """The field's one-byte length code of each of the segment's `count` documents."""
    raw = length_codes(reader, fieldname)
    return raw + bytes(count - len(raw))


def _merge_postings(reading, storage, schema, codec, segments, merged, check) -> None:
    offsets, base = [], 0
    for segment in segments:
        offsets.append(base)
        base += segment.doc_count_all()
    terms_readers = [codec.terms_reader(reading, segment) for segment in segments]
    postfiles = [segment.open_file(reading, W3Codec.POSTS_EXT) for segment in segments]
    writer = codec.field_writer(storage, merged)
    limit = codec._blocklimit
    vocabulary: list[bytes] = []  # the text fields' terms, for the segment's vocabulary file
    terms = 0
    try:
        field = None
        streams = [_ordered_terms(i, reader) for i, reader in enumerate(terms_readers)]
        for fieldname, tbytes, parts in _grouped(heapq.merge(*streams)):
            if fieldname != field:
                if field is not None:
                    writer.finish_field()
                field = fieldname
                writer.start_field(fieldname, schema[fieldname])
                fixed = schema[fieldname].format.fixed_value_size()
            blocks = []
            for number, terminfo in parts:
                if terminfo.is_inlined():
                    raise ValueError("inlined postings are not written by this codec")
                start, length = terminfo.extent()
                if isinstance(length, tuple):  # Whoosh reads it back as struct.unpack's tuple
                    (length,) = length
                extent = postfiles[number].get(start, length)
                blocks += [(block, offsets[number]) for block in read_blocks(extent)]
            writer.add_blocks(tbytes, _packed(blocks, limit, fixed), _term_info(parts, offsets))
            if fieldname in TEXT_FIELDS:
                vocabulary.append(tbytes)
            terms += 1
            if terms % INTERRUPT_EVERY == 0:
                check()
        if field is not None:
            writer.finish_field()
    except BaseException:
        abandon(writer)
        raise
    finally:
        for reader in terms_readers:
            reader.close()
        for postfile in postfiles:
            postfile.close()
    writer.close()
    term_files.write_segment_terms(storage, merged, vocabulary)


def _packed(blocks: list, limit: int, fixed: int | None) -> list:
    """A term's blocks from all segments, their ids moved: each segment's full blocks as they
    are (not decoded: most of a common word's postings), and consecutive blocks that fit in
    one together (a rarer word's one short block per segment) joined, as one writer would
    have written them."""
    out: list = []
    run: list = []
    held = 0
    for block, offset in blocks:
        count = block[0][0]
        if run and held + count > limit:
            out.append(_one(run, fixed))
            run, held = [], 0
        run.append((block, offset))
        held += count
    if run:
        out.append(_one(run, fixed))
    return out


def _one(run: list, fixed: int | None):
    if len(run) == 1:
        return moved_block(*run[0])
    return joined_blocks(run, fixed)


def _term_info(parts: list, offsets: list[int]) -> W3TermInfo:
    """The merged term's statistics from its segments' term infos (ids moved)."""
    infos = [terminfo for _, terminfo in parts]
    minimums = [info.min_length() for info in infos if info.min_length() is not None]
    return W3TermInfo(
        weight=sum(info.weight() for info in infos),
        df=sum(info.doc_frequency() for info in infos),
        minlength=min(minimums) if minimums else None,
        maxlength=max(info.max_length() for info in infos),
        maxweight=max(info.max_weight() for info in infos),
        minid=infos[0].min_id() + offsets[parts[0][0]],
        maxid=infos[-1].max_id() + offsets[parts[-1][0]],
    )


def _ordered_terms(number: int, reader) -> Iterator[tuple[str, bytes, int, object]]:
    """(field name, term, segment number, term info) of one segment's terms, in (field, term)
    order; a term table in another order would merge wrongly, so it stops the merge."""
    last = None
    for (fieldname, tbytes), terminfo in reader.items():
        key = (fieldname, tbytes)
        if last is not None and key <= last:
            raise ValueError("a segment's terms are not in field and term order")
        last = key
        yield fieldname, tbytes, number, terminfo


def _grouped(merged) -> Iterator[tuple[str, bytes, list]]:
    """(field name, term, [(segment number, term info)...]) per term, from the heap merge."""
    current: tuple[str, bytes] | None = None
    parts: list = []
    for fieldname, tbytes, number, terminfo in merged:
        if (fieldname, tbytes) != current:
            if current is not None:
                yield current[0], current[1], parts
            current, parts = (fieldname, tbytes), []
        parts.append((number, terminfo))
    if current is not None:
        yield current[0], current[1], parts
