"""Full-text search over the sections of a library (Whoosh; no Qt).

The API the GUI and the CLI use:

    index = SearchIndex.for_library(library, context.corpus_cache_dir())  # files in <cache>/search
    stats = index.ensure_current(progress=lambda done, total: ...)   # -> UpdateStats
    result = index.search("kratom withdrawal", limit=10, article_id=None,
                          safety_only=False, prefix_last_word=False)  # -> SearchResult
    result.corrected      # None, or the spelling-corrected query the hits are for
    result.total          # all matching sections; result.hits holds at most `limit`
    hit = result.hits[0]  # Hit: article, title, section (heading), anchor, kind, score,
                          #      spans ([(text, matched)], the snippet as structure),
                          #      snippet (the spans as HTML, matches in <b>), safety, categories,
                          #      terms (the words and phrases of the section that matched)
    result.to_json()      # the `search --json` shape of ARCHITECTURE.md
    index.close()         # at shutdown

`ensure_current` builds the index on first use, updates it incrementally afterwards and rebuilds
it when it is damaged or of another schema version; it may take a while on a large collection,
so the GUI calls it from a worker thread. `search` is thread-safe (each thread gets its own
Whoosh searcher) and repairs the index (rebuilding from the library) if reading it fails.

Query syntax (reading.py): words, unless the syntax is used on purpose: "phrases", a leading
-word, OR, NOT, AND, (groups), title:/topic:/section: prefixes, word* prefixes; stray punctuation
is never an operator. Sections matching all words of a short query rank first, then those
matching most; among the best, sections where neighbouring query words stand close together rank
higher (proximity.py). "RXRs" meets "RXR", "TNF-α" meets "TNF-alpha" (schema.fold).
`prefix_last_word=True` completes the last word for search-as-you-type. A word the
collection does not know (not an acronym or code) is corrected to its nearest known word.
"""

from viewer.search.whoosh_ext.lean import import_whoosh

import_whoosh()  # before anything here imports Whoosh: without what a search never uses

from viewer.search.index import SearchIndex  # noqa: E402
from viewer.search.results import Hit, SearchResult, UpdateStats  # noqa: E402

__all__ = ["SearchIndex", "SearchResult", "Hit", "UpdateStats"]
