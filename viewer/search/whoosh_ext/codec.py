"""The index codec: Whoosh's "W3" files with a compact posting block inside.

Whoosh pickles each block of up to 128 postings as a tuple of Python objects (128 ids, 128
weights, 128 position strings) and zlib-compresses the lot. Unpickling that was most of a
search's time (about 100 us a block, ~1.3 us a posting) and a good part of the build. Here a block
is three byte strings: document numbers and float weights as raw machine arrays, and the
positions joined with a length table and compressed on their own. Reading a block's ids and
weights costs a few microseconds, and only phrase queries pay for positions. A search reads a
whole term's blocks from one slice of the postings file (`LeafMatcher.read_all`), not through
Whoosh's block-to-block walk.

Everything else is the stock codec: term tables, stored fields, lengths, file names. The codec
object is pickled into each segment, so every reader of these indexes (Whoosh's own matchers,
merges during updates, and `evaluate.py`) reads blocks through `LeafMatcher` below. The format is
machine-local (native byte order), which suits a cache.
"""

from __future__ import annotations

import functools
import io
import zlib
from array import array
from itertools import accumulate, compress
from pickle import dumps, load, loads
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    STORED_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.columns import VarBytesColumn
from whoosh.system import pack_ushort, unpack_int
from whoosh.util.numeric import length_to_byte

# zlib level for the positions in a block: 1 compresses almost as well as Whoosh's 3, faster.
COMPRESSION = 1
# Positions shorter than this (bytes) are stored raw: zlib cannot shrink them.
SMALL_VALUES = 64
_ZLIB, _RAW = b"Z", b"R"
_ID_TYPE = "I" if array("I").itemsize == 4 else "L"
_LENGTH_TYPE = _ID_TYPE


class PostingsWriter(W3PostingsWriter):
    """Writes compact blocks; also skips Whoosh's per-posting type checks."""

    # The block state Whoosh's writer keeps (set in its untyped __init__ and _new_block).
    _maxweight: float
    _minlength: int | None
    _maxlength: int
    _compression: int

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
            block_weights = weights[start:stop]
            self._ids.extend(ids[start:stop])
            self._weights.extend(block_weights)
            self._maxweight = max(block_weights)
            self._values.extend(v for v in values[start:stop] if v)
            block_lengths = [n for n in lengths[start:stop] if n]
            if block_lengths:
                self._minlength = min(block_lengths)
                self._maxlength = max(block_lengths)

    def _write_block(self, last=False) -> None:
        """Whoosh's block layout (length, info tuple, data tuple), with the block as a whole
        never compressed: ids and weights are read by every search and stay raw; only the
        positions, which phrases alone need, are compressed (_mini_values). The data tuple is
        pickled with protocol 4, not Whoosh's 2: protocol 2 stores bytes as a call to
        codecs.encode of a latin-1 string, and unpickling that cost about 8 us a block (most of
        reading a block's ids and weights), against half a microsecond. Readers need no change
        (pickle reads any protocol), so an index written before reads as it did."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 4)
        ids = self._ids
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            0,  # the block's compression: none (see above)
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = dumps(info, 2)  # small numbers: the same bytes in any protocol
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)  # negative: the last block
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        # Document numbers as they are: the block is not compressed, so deltas would not make it
        # smaller, and reading needs no running sum.
        return array(_ID_TYPE, self._ids).tobytes()

    def _mini_weights(self):
        weights = self._weights
        if weights.count(weights[0]) == len(weights):  # all equal: Whoosh's own short forms
            return None if weights[0] == 1.0 else weights[0]
        return array("f", weights).tobytes()

    def _mini_values(self):
        fixed = self._format.fixed_value_size()
        if fixed is not None and fixed >= 0:
            return super()._mini_values()
        values = self._values
        packed = array(_LENGTH_TYPE, map(len, values)).tobytes() + b"".join(values)
        if self._compression and len(packed) >= SMALL_VALUES:
            return _ZLIB + zlib.compress(packed, self._compression)
        return _RAW + packed


class LeafMatcher(W3LeafMatcher):
    """Reads both compact and stock blocks; `read_block` hands a whole block to `evaluate.py`."""

    def _read_header(self):
        # Whoosh raises a bare Exception for a damaged block tag: make it a read error the
        # index recognises (and repairs) like any other.
        try:
            super()._read_header()
        except Exception as exc:  # noqa: BLE001
            if type(exc) is Exception:
                raise ValueError(f"damaged postings: {exc}") from None
            raise

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        if isinstance(ids, bytes) and not self._byteids:
            self._ids = array(_ID_TYPE)
            self._ids.frombytes(ids)
        else:
            super()._read_ids()

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if isinstance(weights, bytes):
            self._weights = array("f")
            self._weights.frombytes(weights)
        else:
            super()._read_weights()

    def _read_values(self):
        if self._data is None:
            self._read_data()
        packed = self._data[2]
        if self._fixedsize is not None and self._fixedsize >= 0 or not isinstance(packed, bytes):
            return super()._read_values()
        self._values = _split_values(packed, self._blocklength)

    def read_block(self, values: bool | set[int] = False):
        """(ids, weights, values or None) of the current block; then moves to the next block.
        `values` a set of document numbers: the values only if the block holds one of them."""
        if self._ids is None:
            self._read_ids()
        if self._weights is None:
            self._read_weights()
        block_values = None
        if values is True or (values and not values.isdisjoint(self._ids)):
            if self._values is None:
                self._read_values()
            block_values = self._values
        block = (self._ids, self._weights, block_values)
        self._next_block()
        return block

    def read_all(self, values: bool | set[int] = False) -> tuple[array, array, list | None] | None:
        """(ids, weights, values if asked) of every posting of the term, from one read of its
        whole extent, or None when a block is not of this codec's layout (the caller then
        reads block by block). Call on a new matcher, before any block is read. `values` a set
        of document numbers: the values of those documents' postings only, in document order
        (a phrase needs the positions of the sections holding all its words, a fraction of a
        common word's postings; splitting out every posting's value was most of its time).

        The same numbers as read_block block after block, without Whoosh's walk from block to
        block (a seek, a length, a header and a data read each, ~30 us a block: most of
        reading a common word's 400 blocks); the ids and weights go straight into one array
        each, in C, and the values are split as _read_values splits them."""
        if self._byteids or (values and self._fixedsize is not None and self._fixedsize >= 0):
            return None
        length = self._length[0] if isinstance(self._length, tuple) else self._length
        extent = self._postfile.get(self._startoffset, length)
        if extent[:4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError("damaged postings: no block tag")
        stream = io.BytesIO(extent)
        ids, weights = array(_ID_TYPE), array("f")
        found: list | None = [] if values is True or isinstance(values, set) else None
        wanted = values if isinstance(values, set) else None
        position = 4
        while True:
            (size,) = unpack_int(extent[position : position + 4])
            stream.seek(position + 4)
            count, _, _, compression, _, _ = load(stream)  # noqa: S301 - this index's own file
            if compression:
                return None
            block_ids, block_weights, packed = load(stream)  # noqa: S301 - the same
            if not isinstance(block_ids, bytes):
                return None
            ids.frombytes(block_ids)
            if isinstance(block_weights, bytes):
                weights.frombytes(block_weights)
            elif block_weights is None or isinstance(block_weights, float):
                # as Whoosh's _read_weights: float32 copies of the one weight
                weights.extend(
                    array("f", (1.0 if block_weights is None else block_weights,)) * count
                )
            else:
                return None
            if found is not None:
                if not isinstance(packed, bytes):
                    return None
                if wanted is None:
                    found += _split_values(packed, count)
                elif not wanted.isdisjoint(block_ids := ids[-count:]):
                    found += _split_values(packed, count, list(map(wanted.__contains__, block_ids)))
            if size < 0:
                return ids, weights, found
            position += 4 + size

    def skip_block(self) -> None:
        """Move to the next block without reading this one's data (its header, read on
        arrival, gives block_max_id(): enough to know the block holds no wanted document)."""
        self._next_block()


def _split_values(packed: bytes, count: int, wanted: list[bool] | None = None) -> tuple[bytes, ...]:
    """The `count` position values of a block as _mini_values packed them (a length table,
    then the values joined; compressed or raw); with `wanted`, only the values it marks."""
    packed = zlib.decompress(packed[1:]) if packed[:1] == _ZLIB else packed[1:]
    lengths = array(_LENGTH_TYPE)
    head = count * lengths.itemsize
    lengths.frombytes(packed[:head])
    ends = list(accumulate(lengths, initial=head))
    if wanted is None:
        return tuple(map(packed.__getitem__, map(slice, ends, ends[1:])))
    starts, stops = compress(ends, wanted), compress(ends[1:], wanted)
    return tuple(map(packed.__getitem__, map(slice, starts, stops)))


class FieldWriter(W3FieldWriter):
    def add_all(self, ids, weights, values, lengths) -> None:
        self._postwriter.add_postings(ids, weights, values, lengths)

    def add_blocks(self, tbytes: bytes, blocks: list, terminfo: W3TermInfo) -> None:
        """A term of the current field whose postings are blocks made already (`(info, data
        bytes)` as `read_blocks` gives them, ids moved where they belong: merging.py), with
        its term info's statistics; instead of start_term/add/finish_term."""
        postfile = self._postfile
        start = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        last = len(blocks) - 1
        for number, (info, data) in enumerate(blocks):
            infobytes = dumps(info, 2)
            length = len(infobytes) + len(data)
            postfile.write_int(-length if number == last else length)
            postfile.write(infobytes)
            postfile.write(data)
        terminfo.set_extent(start, postfile.tell() - start)
        self._tindex.add(pack_ushort(self._fieldid) + tbytes, terminfo.to_bytes())


def read_blocks(extent: bytes) -> list[tuple[tuple, bytes]]:
    """The blocks of one term's postings (its whole extent in the postings file) as
    `PostingsWriter._write_block` wrote them: (info tuple, pickled data) each."""
    if extent[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("damaged postings: no block tag")
    stream = io.BytesIO(extent)
    position, blocks = 4, []
    while True:
        (length,) = unpack_int(extent[position : position + 4])
        stream.seek(position + 4)
        info = load(stream)  # noqa: S301 - this index's own file
        end = position + 4 + abs(length)
        blocks.append((info, extent[stream.tell() : end]))
        if length < 0:
            return blocks
        position = end


def _unpacked(data: bytes, compression: int) -> tuple[array, Any, Any]:
    """A block's document numbers (as an array), weights and values, as this codec wrote them
    (uncompressed, the ids as array bytes); a block of another layout is refused."""
    ids_bytes, weights, values = loads(data)  # noqa: S301 - this index's own file
    if compression or not isinstance(ids_bytes, bytes):
        raise ValueError("a block not written by this codec")
    ids = array(_ID_TYPE)
    ids.frombytes(ids_bytes)
    return ids, weights, values


def moved_block(block: tuple[tuple, bytes], offset: int) -> tuple[tuple, bytes]:
    """A block of this codec's layout with its document numbers `offset` higher."""
    info, data = block
    if not offset:
        return block
    count, maxid, maxweight, compression, minlength, maxlength = info
    ids, weights, values = _unpacked(data, compression)
    moved = array(_ID_TYPE, map(offset.__add__, ids)).tobytes()
    info = (count, maxid + offset, maxweight, 0, minlength, maxlength)
    return info, dumps((moved, weights, values), 4)


def joined_blocks(blocks: list, fixed: int | None) -> tuple[tuple, bytes]:
    """`(block, offset)`s of a term holding `blocklimit` postings or fewer in all, as one
    block, each block's ids `offset` higher (what PostingsWriter writes for them; `fixed` is
    the format's fixed_value_size())."""
    ids = array(_ID_TYPE)
    weights: list[float] = []
    lengths = array(_LENGTH_TYPE)
    joined: list[bytes] = []
    fixed_values: list[bytes] = []
    maxweight, minlength, maxlength = 0.0, 255, 0
    for (info, data), offset in blocks:
        count, _, block_maxweight, compression, block_minlength, block_maxlength = info
        block_ids, block_weights, packed = _unpacked(data, compression)
        ids.extend(map(offset.__add__, block_ids) if offset else block_ids)
        if block_weights is None or isinstance(block_weights, float):
            weights += [1.0 if block_weights is None else block_weights] * count
        else:
            weights += array("f", block_weights)
        maxweight = max(maxweight, block_maxweight)
        minlength = min(minlength, block_minlength)
        maxlength = max(maxlength, block_maxlength)
        if fixed is not None and fixed >= 0:
            fixed_values.append(packed or b"")
            continue
        raw = zlib.decompress(packed[1:]) if packed[:1] == _ZLIB else packed[1:]
        head = count * lengths.itemsize
        lengths.frombytes(raw[:head])
        joined.append(raw[head:])
    if weights.count(weights[0]) == len(weights):  # as PostingsWriter._mini_weights
        weight_data: object = None if weights[0] == 1.0 else weights[0]
    else:
        weight_data = array("f", weights).tobytes()
    if fixed is not None and fixed >= 0:
        values: object = b"".join(fixed_values) if fixed else None
    else:
        packed = lengths.tobytes() + b"".join(joined)
        values = (
            _ZLIB + zlib.compress(packed, COMPRESSION)
            if COMPRESSION and len(packed) >= SMALL_VALUES
            else _RAW + packed
        )
    info = (len(ids), ids[-1], maxweight, 0, minlength, maxlength)
    return info, dumps((ids.tobytes(), weight_data, values), 4)


class Codec(W3Codec):
    """The Whoosh 3 codec with compact posting blocks (see the module docstring)."""

    def __init__(self, blocklimit=128, compression=COMPRESSION, inlinelimit=1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():  # never written by us (inlinelimit 1), kept for completeness
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def stored_bytes(perdoc_reader):
    """docnum -> a document's stored fields as the column holds them (pickled, compressed):
    copied as they are by a merge, never unpickled (merging.py)."""
    column = perdoc_reader._cached_reader("_stored", STORED_COLUMN)._child
    return functools.partial(VarBytesColumn.Reader.__getitem__, column)


def add_stored_bytes(perdoc_writer, docnum: int, data: bytes) -> None:
    """Store `stored_bytes`' bytes as document `docnum`'s stored fields (after finish_doc)."""
    column = perdoc_writer._colwriters["_stored"]._child
    VarBytesColumn.Writer.add(column, docnum, data)


def field_length_bytes(segment_reader, fieldname: str) -> bytes | None:
    """The one-byte length codes of a field for every document of one segment, read in one go
    from its lengths column (Whoosh reads them one document at a time). None if this reader is
    not laid out as expected (then the caller asks document by document)."""
    try:
        return length_codes(segment_reader._perdoc, fieldname)
    except AttributeError:
        return None


def length_codes(perdoc_reader, fieldname: str) -> bytes:
    """`field_length_bytes` from a segment's per-document reader (b"" if the field has no
    lengths column); may end before the segment's last documents (their length is 0)."""
    column = perdoc_reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return b""
    return column._dbfile.get(column._basepos, column._count * column._fixedlen)


def make_codec() -> Codec:
    return Codec()
