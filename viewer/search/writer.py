"""Index writers: Whoosh's own on-disk format, written without Whoosh's two slowest steps.

Profiling a 2,000-article build (pyinstrument, see benchmarks/bench_search.py) showed most of the
time in two places that do not change what is written:

- `FieldWriter.add_postings` asks for every posting's field length, and for fields that keep no
  lengths (ids, keywords) Whoosh answers by checking that a file exists, once per posting.
  `UpdateWriter` answers "0" for those fields straight away.
- A build from scratch sends every posting through a pool that is sorted as one big list of
  tuples. `BulkWriter` (for empty indexes only) collects postings per field and term instead,
  in document order, so only the term keys are sorted.

Both write through the standard codec, so readers, searches and later updates (stock writer
code via `UpdateWriter`) see an ordinary Whoosh index.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

# zlib level for posting blocks: 1 compresses almost as well as Whoosh's 3, and faster.
COMPRESSION = 1
# Blocks with fewer postings than this are not compressed: most of a collection's words are
# rare, zlib cannot shrink a one-posting block, and calling it was a sixth of the build time.
# (Readers decompress per block, as the block header says, so both kinds can mix.)
SMALL_BLOCK = 8


class PostingsWriter(W3PostingsWriter):
    """Whoosh 3 postings, without per-posting type checks and with a whole-list fast path."""

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def add_postings(self, ids, weights, values, lengths) -> None:
        """All of one term's postings at once (docnum order), block by block."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if self._ids:
                self._write_block()
            stop = start + limit
            block_ids = ids[start:stop]
            block_weights = weights[start:stop]
            self._ids.extend(block_ids)
            self._weights.extend(block_weights)
            self._maxweight = max(block_weights)
            self._values.extend(v for v in values[start:stop] if v)
            block_lengths = [n for n in lengths[start:stop] if n]
            if block_lengths:
                self._minlength = min(block_lengths)
                self._maxlength = max(block_lengths)

    def _write_block(self, last=False) -> None:
        compression = self._compression
        if len(self._ids) < SMALL_BLOCK:
            self._compression = 0
        try:
            super()._write_block(last)
        finally:
            self._compression = compression


class FieldWriter(W3FieldWriter):
    def add_all(self, ids, weights, values, lengths) -> None:
        self._postwriter.add_postings(ids, weights, values, lengths)


class Codec(W3Codec):
    """The Whoosh 3 codec (same files, same readers) with the faster writers above."""

    def __init__(self, blocklimit=128, compression=COMPRESSION, inlinelimit=1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                              compression=self._compression, inlinelimit=self._inlinelimit)


def make_codec() -> Codec:
    return Codec()


class _ScorableLengths:
    """Field lengths for `add_postings`, answering 0 at once for fields that keep none."""

    def __init__(self, per_doc_reader, schema) -> None:
        self._reader = per_doc_reader
        self._scorable = {name: bool(field.scorable) for name, field in schema.items()}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if not self._scorable.get(fieldname):
            return default
        return self._reader.doc_field_length(docnum, fieldname, default)


class UpdateWriter(SegmentWriter):
    """Whoosh's segment writer (adds, deletes, merges) with the field-length lookup fixed."""

    def __init__(self, ix, **kwargs) -> None:
        kwargs.setdefault("codec", make_codec())
        super().__init__(ix, **kwargs)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _ScorableLengths(reader, self.schema) if reader else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader:
            reader.close()


class BulkWriter(UpdateWriter):
    """Writes a whole new index in one segment; only for an index that has no documents yet."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        if self.segments:
            self.cancel()
            raise ValueError("BulkWriter only fills an empty index")
        # field name -> term bytes -> [(docnum, weight, value bytes)], in document order
        self._inverted: dict[str, dict[bytes, list]] = {}
        # field name -> length per docnum, as the codec will store it (one byte, approximate)
        self._lengths: dict[str, list[int]] = {}

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
                    for tbytes, freq, weight, vbytes in field.index(value):
                        length += freq
                        postings = inverted.get(tbytes)
                        if postings is None:
                            inverted[tbytes] = [(docnum, weight, vbytes)]
                        else:
                            postings.append((docnum, weight, vbytes))
                    if not field.scorable:
                        length = 0
                    else:
                        lengths = self._lengths.setdefault(fieldname, [])
                        lengths.extend([0] * (docnum + 1 - len(lengths)))
                        lengths[docnum] = byte_to_length(length_to_byte(length)) if length else 0
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        for fieldname in sorted(self._inverted):
            inverted = self._inverted[fieldname]
            if not inverted:
                continue
            lengths = self._lengths.get(fieldname, [])
            lengths.extend([0] * (self.docnum - len(lengths)))
            writer.start_field(fieldname, self.schema[fieldname])
            start_term, add_all, finish_term = writer.start_term, writer.add_all, writer.finish_term
            for tbytes in sorted(inverted):
                ids, weights, values = zip(*inverted[tbytes])
                start_term(tbytes)
                add_all(ids, weights, values, [lengths[d] for d in ids])
                finish_term()
            writer.finish_field()
        writer.close()
        self._inverted.clear()
