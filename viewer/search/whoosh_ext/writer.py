"""Index writers: Whoosh's segment writer without its two slowest steps.

Profiling a 2,000-article build (pyinstrument, see benchmarks/bench_search.py) showed most of the
time in two places that do not change what is written:

- `FieldWriter.add_postings` asks for every posting's field length, and for fields that keep no
  lengths (ids, keywords) Whoosh answers by checking that a file exists, once per posting.
  `UpdateWriter` answers "0" for those fields straight away.
- A build from scratch sends every posting through a pool that is sorted as one big list of
  tuples. `BulkWriter` (for empty indexes only) collects postings per field and term instead,
  in document order, so only the term keys are sorted. It writes a segment out whenever what it
  holds reaches its memory limit (`limitmb`) and starts the next one, so a large collection is
  never all in memory (one segment of 50,000 articles peaked at 3.3 GB); documents keep their
  order across segments, and scoring uses whole-index statistics, so hits do not change.
  Once its documents are all in, it merges the segments it wrote into one (merging.py: blocks
  copied, not postings re-sorted), as every search pays for each segment (issue 12).
  `finish_segments` writes a writer's segments without a table of contents, and
  `commit(more_segments=...)` lists such segments after its own: a build in two processes.
  Writing a segment out (30,000 terms, 12-26 s on a loaded two-core machine) asks its
  `interrupt` callback every INTERRUPT_TERMS terms: a cancel (the window closing during a
  first launch) raised there ends the write at once, its files closed unfinished; the build
  then removes its whole new folder, so no index is ever half-written, and the index in use
  stays as it was. (Seen only between articles, a close waited for the whole write, then the
  writer was terminated after 10 s.)

A third change is in what an update merges. Whoosh's default policy (MERGE_SMALL) merges every
segment up to the first point where the sizes so far add up to less than a Fibonacci number of
their count; a build's segments are all about one memory limit's worth (7,400 sections), and
from about 22 of them (27,000 articles) that point lies past half the index: saving one edited
article at 50,000 articles merged 22 segments (160,000 sections) in Whoosh's pure-Python pool
for minutes, and search never found the edit. `UpdateWriter` merges only small segments (those
updates wrote), so an update costs what it changes; the deleted sections left in large segments
are skipped by every search and dropped by the next rebuild.

Both write through `codec.Codec`; later updates, deletions and merges are Whoosh's own code.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable

from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from viewer.search import term_files
from viewer.search.schema import SectionAnalyzer, SectionPositions
from viewer.search.spelling import TEXT_FIELDS
from viewer.search.whoosh_ext.codec import make_codec


class _ScorableLengths:
    """Field lengths for `add_postings`, answering 0 at once for fields that keep none."""

    def __init__(self, per_doc_reader, schema) -> None:
        self._reader = per_doc_reader
        self._scorable = {name: bool(field.scorable) for name, field in schema.items()}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if not self._scorable.get(fieldname):
            return default
        return self._reader.doc_field_length(docnum, fieldname, default)


# An update merges segments of at most this many sections (about 300 articles), once there are
# MERGE_FROM of them: a build writes segments of about 7,400, never merged by an update.
SMALL_SEGMENT_DOCS = 2000
MERGE_FROM = 5


def merge_small_segments(writer, segments, small_docs: int = SMALL_SEGMENT_DOCS) -> list:
    """Whoosh merge policy: the segments of at most `small_docs` documents (deleted ones
    counted: reading them is the cost) are merged into the writer's new segment once there are
    MERGE_FROM of them; the others are kept as they are. Returns the segments kept."""
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() <= small_docs]
    if len(small) < MERGE_FROM:
        return list(segments)
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() > small_docs]


class UpdateWriter(SegmentWriter):
    """Whoosh's segment writer (adds, deletes, merges) with the field-length lookup fixed and
    merges bounded by the change (merge_small_segments)."""

    def __init__(self, ix, small_segment_docs: int = SMALL_SEGMENT_DOCS, **kwargs) -> None:
        kwargs.setdefault("codec", make_codec())
        # One file per part of a segment, not Whoosh's compound file: a reader of a compound
        # file copies each part it opens into memory (BytesIO over the mmap), which at 10,000
        # articles was 100 MB and 70 ms for every searcher opened.
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        # commit() merges by this policy (Whoosh's optimize= and merge= then do nothing).
        self.mergetype = functools.partial(merge_small_segments, small_docs=small_segment_docs)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _ScorableLengths(reader, self.schema) if reader else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader:
            reader.close()


# What one held posting costs (its tuple, list slot, weight and the position bytes' object header)
# and one new term (its key, list and dict entry), measured with tracemalloc on a generated corpus;
# the posting's and term's own bytes are added to these.
POSTING_OVERHEAD = 64 + 24 + sys.getsizeof(b"")
TERM_OVERHEAD = 56 + 100 + sys.getsizeof(b"")
# Terms written between two calls of a segment write's `interrupt`: some tens of milliseconds.
INTERRUPT_TERMS = 256


class BulkWriter(UpdateWriter):
    """Writes a whole new index, a segment each time its memory limit is reached; only for an
    index that has no documents yet."""

    def __init__(self, ix, limitmb: float = 128, merge: bool = True, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        # Whether the segments written are merged into one at the end (merging.py).
        self._merge = merge
        if self.segments:
            self.cancel()
            raise ValueError("BulkWriter only fills an empty index")
        self._budget = int(limitmb * 1024 * 1024)
        self._held = 0  # estimated bytes of the postings held for the current segment
        self._written: list = []  # the segments already written out, in document order
        # field name -> term bytes -> [(docnum, weight, value bytes)], in document order
        self._inverted: dict[str, dict[bytes, list]] = {}
        # field name -> length per docnum, as the codec will store it (one byte, approximate)
        self._lengths: dict[str, list[int]] = {}
        # Called while a segment is written out; what it raises ends the build (module docstring).
        self.interrupt: Callable[[], None] | None = None

    def add_document(self, **fields) -> None:
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None or fieldname.startswith("_"):
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    inverted = self._inverted.setdefault(fieldname, {})
                    held = 0
                    fmt, analyzer = field.format, getattr(field, "analyzer", None)
                    postings_of = (
                        fmt.postings(value, analyzer)
                        if isinstance(fmt, SectionPositions)
                        and isinstance(analyzer, SectionAnalyzer)
                        and isinstance(value, (str, list))
                        else field.index(value)
                    )
                    for tbytes, freq, weight, vbytes in postings_of:
                        length += freq
                        held += len(vbytes) if vbytes else 0
                        postings = inverted.get(tbytes)
                        if postings is None:
                            inverted[tbytes] = [(docnum, weight, vbytes)]
                            held += TERM_OVERHEAD + len(tbytes)
                        else:
                            postings.append((docnum, weight, vbytes))
                        held += POSTING_OVERHEAD
                    self._held += held
                    if not field.scorable:
                        length = 0
                    else:
                        lengths = self._lengths.setdefault(fieldname, [])
                        lengths.extend([0] * (docnum + 1 - len(lengths)))
                        lengths[docnum] = byte_to_length(length_to_byte(length)) if length else 0
                stored = fields.get(f"_stored_{fieldname}", value) if field.stored else None
                perdoc.add_field(fieldname, field, stored, length)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1
        if self._held >= self._budget:
            self._next_segment()

    def _next_segment(self) -> None:
        """Write out the segment held so far and start an empty one (numbered from 0 again)."""
        self._written.append(self._finalize_segment())
        self.newsegment = self.codec.new_segment(self.storage, self.indexname)
        self.perdocwriter = self.codec.per_document_writer(self.storage, self.newsegment)
        self.fieldwriter = self.codec.field_writer(self.storage, self.newsegment)
        self.docnum = 0
        self._added = False
        self._held = 0
        self._lengths = {}
        _collect_segment_garbage()

    def segment_count(self) -> int:
        """How many segments this writer has written or is filling."""
        return len(self._written) + (1 if self._added else 0)

    def commit(self, mergetype=None, optimize=None, merge=None, more_segments=()) -> None:
        """Write the last segment (merging what was written into one, unless made with
        merge=False) and the table of contents listing ours, then `more_segments` (written by
        another process into this folder, whose documents follow ours). Whoosh's merge policy
        is not used: it would re-sort every posting, the cost this writer avoids."""
        self._check_state()
        segments = self._last_segments()
        self._commit_toc(segments + list(more_segments))
        self._finish()

    def finish_segments(self) -> list:
        """Write the last segment and return every segment written (one if merged), in
        document order, without a table of contents: the part of a build that another
        process's commit lists."""
        self._check_state()
        segments = self._last_segments()
        self._finish()
        return segments

    def _last_segments(self) -> list:
        segments = list(self._written)
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        _collect_segment_garbage()
        if self._merge and len(segments) > 1:
            segments = [self._merged(segments)]
        return segments

    def _merged(self, segments: list):
        """The written segments as one (merging.py), their own files deleted."""
        from viewer.search.whoosh_ext.merging import merge_segments

        merged = merge_segments(
            self.storage, self.schema, self.codec, self.indexname, segments, self.interrupt
        )
        for segment in segments:
            for name in segment.list_files(self.storage):
                self.storage.delete_file(name)
        return merged

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        interrupt, written = self.interrupt, 0
        try:
            for fieldname in sorted(self._inverted):
                inverted = self._inverted[fieldname]
                if not inverted:
                    continue
                lengths = self._lengths.get(fieldname, [])
                lengths.extend([0] * (self.docnum - len(lengths)))
                writer.start_field(fieldname, self.schema[fieldname])
                start_term, add_all, finish_term = (
                    writer.start_term,
                    writer.add_all,
                    writer.finish_term,
                )
                for tbytes in sorted(inverted):
                    ids, weights, values = zip(*inverted[tbytes])
                    start_term(tbytes)
                    add_all(ids, weights, values, [lengths[d] for d in ids])
                    finish_term()
                    written += 1
                    if interrupt is not None and written % INTERRUPT_TERMS == 0:
                        interrupt()
                writer.finish_field()
        except BaseException:
            abandon(writer)
            raise
        writer.close()
        # The segment's vocabulary file, from the terms held anyway (term_files: reading them
        # back from the term table costs seconds at 50,000 articles).
        term_files.write_segment_terms(
            self.storage,
            self.newsegment,
            {t for f in TEXT_FIELDS for t in self._inverted.get(f, ())},
        )
        self._inverted.clear()
        self._lengths = {}


def abandon(fieldwriter) -> None:
    """Close a segment's term and posting files unfinished (a write interrupted): closing the
    writer would first write the term table's hashes for nothing, its folder being removed."""
    for handle in (fieldwriter._tindex.dbfile, fieldwriter._postfile):  # noqa: SLF001
        try:
            handle.close()
        except Exception:  # noqa: BLE001, S110 - the file is dropped with its folder anyway
            pass
    fieldwriter.is_closed = True


def _collect_segment_garbage() -> None:
    """Free what a written segment leaves in reference cycles. Whoosh's per-document writer and
    its column writers point back at each other (and hold that segment's buffers), and the last
    field's postings of the segment hang on them; a build runs with the collector off
    (gc_pause.collector_off: the held postings would make every collection slow), so these
    stayed until the build ended: about 18,000 objects and 2-4 MB per segment, the main
    process's growth of a few MB per 1,000 articles. Right after a segment is written is the
    cheap moment: the new segment holds nothing yet, so the collection walks only the loaded
    library (some milliseconds, a few dozen times per build)."""
    gc.collect()
