"""The parts of the search index that reach below Whoosh-Reloaded's public API, fenced together.

- `codec.py`: posting blocks as raw arrays (Whoosh pickles them), read by `evaluate.py` a
  whole term at once (or a block at a time where it skips blocks); the one-byte length codes of a field read in one go (for BM25 norms).
- `writer.py`: segment writers without Whoosh's per-posting length checks and pool sort; the
  bulk writer starts a new segment whenever it reaches its memory limit, and can write its
  segments for another writer's commit to list (the two-process build, search/building.py).
- `merging.py`: a build's segments merged into one at its end, their posting blocks copied (ids
  moved) or joined, stored fields copied as bytes, without Whoosh's pool.
- `scoring.py`: Whoosh's own searcher given the evaluator's BM25 and coordination (a weighting
  model and a matcher), for queries the evaluator leaves to it.

PRIVATE_NAMES lists every private Whoosh name these modules use or override, and where it
lives; tests/test_search_whoosh_ext.py checks each one against the installed Whoosh, so an
upgrade that renames or drops one fails there, naming it, rather than deep inside a search.
The rest of viewer.search uses Whoosh's public API only (queries, searchers, readers, schema).
"""

# Names on classes or modules: "module:Class" or "module" -> names.
PRIVATE_NAMES = {
    "whoosh.codec.whoosh3": ("_lenfield", "WHOOSH3_HEADER_MAGIC"),
    "whoosh.codec.whoosh3:W3LeafMatcher": (
        "_read_header",
        "_read_ids",
        "_read_weights",
        "_read_values",
        "_read_data",
        "_next_block",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter": (
        "_write_block",
        "_new_block",
        "_mini_ids",
        "_mini_weights",
        "_mini_values",
    ),
    "whoosh.codec.whoosh3:W3PerDocReader": ("_cached_reader",),
    "whoosh.codec.whoosh3:W3TermInfo": ("extent", "is_inlined", "set_extent", "to_bytes"),
    "whoosh.writing:SegmentWriter": (
        "_flush_segment",
        "_check_state",
        "_finalize_segment",
        "_close_segment",
        "_commit_toc",
        "_finish",
    ),
}
# Attributes set on live objects (checked on a real index): what -> names.
PRIVATE_ATTRIBUTES = {
    "postings writer": (
        "_ids",
        "_weights",
        "_values",
        "_blocklimit",
        "_maxweight",
        "_minlength",
        "_maxlength",
        "_compression",
        "_byteids",
        "_inlinelimit",
        "_format",
        "_blockcount",
        "_terminfo",
        "_postfile",
    ),
    "leaf matcher": (
        "_data",
        "_ids",
        "_weights",
        "_values",
        "_fixedsize",
        "_blocklength",
        "_byteids",
        "_postfile",
        "_startoffset",
        "_length",
    ),
    "segment reader": ("_perdoc",),
    "length column reader": ("_dbfile", "_basepos", "_count", "_fixedlen"),
    "stored column reader": ("_child",),
    "stored column writer": ("_child",),
    "per-document writer": ("_colwriters", "_fieldlengths"),
    "codec": ("_blocklimit",),
    "segment writer": (
        "_added",
        "newsegment",
        "perdocwriter",
        "fieldwriter",
        "storage",
        "indexname",
        "codec",
    ),
    "field writer": ("_postwriter", "_postfile", "_tindex", "_fieldid"),
}
