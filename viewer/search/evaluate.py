"""Evaluating a query over whole posting lists: sets for matching, BM25 for ranking.

Whoosh walks matchers document by document in Python (a few microseconds per document per
clause, and the total count walks them all again). Here each term's postings are read whole
from one slice of the postings file (codec.LeafMatcher.read_all), AND/OR/NOT become set
operations done in C, phrases are checked (and their positions decoded) only on the documents
that have all their words, the best few of a plain-word query are found without scoring every
section holding a word (topk.py), a word less exclusions or a field clause ranked by the body
scores only the sections that can be in the answer, and the top hits come from chunks.top. Same index, same parsed query objects; a query with a part not handled here
(`Evaluator.run` returns None) is searched with Whoosh's own searcher instead, given the same
BM25 and coordination (whoosh_ext/scoring.py), so it ranks by the same rules.

Ranking is BM25 (k1 1.2, b 0.75, Robertson-Spärck Jones idf) per field, summed over the query's
terms; a Coordinated part (plain words) scales each section's sum by the share of its parts that
section matched.

Every C-level pass over postings covers at most STRIDE of them (chunks.py): such a pass holds the
GIL until it returns, and the GUI searches in a worker thread while its UI thread waits for the
GIL. Chunked, the same operations give the same numbers.
"""

from __future__ import annotations

import math
import operator
import threading
from bisect import bisect_right
from collections import Counter
from itertools import compress

from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

from viewer.search import phrases
from viewer.search.chunks import STRIDE, add_into, intersect, saturation, set_of, top
from viewer.search.reading import Coordinated
from viewer.search.topk import pruned_top, words_top
from viewer.search.whoosh_ext.codec import field_length_bytes

K1 = 1.2
B = 0.75
# The idf of a word in about half the sections or more (see Evaluator._idf): small beside any
# rarer word's, but not nothing, so such a word alone still gets a score worth showing.
MIN_IDF = 0.1


class Unsupported(Exception):
    """A query part this evaluator does not handle."""


class GenerationStats:
    """What scoring needs from one index generation: document count, deletions, length norms.

    Built once per generation (the SearchIndex keeps it with the vocabulary) and shared by the
    threads searching that generation.
    """

    def __init__(self, searcher) -> None:
        self.doc_count = (
            searcher.doc_count_all()
        )  # docnums run 0..doc_count-1, deleted ones included
        self.deleted: frozenset[int] = frozenset(
            offset + docnum
            for sub, offset in searcher.leaf_searchers()
            if sub.reader().has_deletions()
            for docnum in sub.reader().deleted_docs_set
        )
        # BM25 counts live documents only, so an index updated in place (old versions of changed
        # sections deleted, not yet merged away) ranks exactly as a clean build of the same text.
        self.live_count = self.doc_count - len(self.deleted)
        self._norms: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def norms(self, searcher, field: str) -> list[float]:
        """Per document: K1 * (1 - B + B * length / average length), the BM25 length norm."""
        found = self._norms.get(field)
        if found is None:
            with self._lock:
                found = self._norms.get(field)
                if found is None:
                    found = self._norms[field] = self._compute_norms(searcher, field)
        return found

    def _compute_norms(self, searcher, field: str) -> list[float]:
        """From the stored one-byte length codes of all documents at once (a 256-entry table
        maps a code to its norm), not one `doc_field_length` call per document."""
        codes = bytearray()
        for sub, _ in searcher.leaf_searchers():
            reader = sub.reader()
            count = reader.doc_count_all()
            raw = field_length_bytes(reader, field)
            if raw is None or len(raw) > count:  # not our layout: one document at a time
                raw = bytes(
                    length_to_byte(reader.doc_field_length(d, field) or 0) for d in range(count)
                )
            codes += raw
            codes += bytes(count - len(raw))  # documents past the column's end have length 0
        lengths = [byte_to_length(code) if code else 0 for code in range(256)]
        for docnum in self.deleted:  # deleted documents count in no average
            if docnum < len(codes):
                codes[docnum] = 0
        uses = Counter(codes)
        total = sum(lengths[code] * n for code, n in uses.items())
        live = len(codes) - sum(1 for d in self.deleted if d < len(codes))
        average = (total / live) if live > 0 else 1.0
        scale = B / (average or 1.0)
        table = [K1 * (1.0 - B + scale * n) for n in lengths]
        return list(map(table.__getitem__, codes))


class Evaluator:
    """One search's evaluation (postings read once per term within it)."""

    def __init__(self, searcher, stats: GenerationStats) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        self.stats = stats
        self._postings: dict[tuple, tuple] = {}

    def run(self, q: wq.Query, filter_q: wq.Query | None, limit: int, prune: bool = True):
        """(total, [(docnum, score)] best first) or None if part of q is not handled here.
        `prune`: a plain-word query's best `limit` found without scoring every section that
        holds a word (topk.py; the same hits, scores and total as without)."""
        try:
            if prune:
                pruned = self._pruned(q, filter_q, limit)
                if pruned is not None:
                    return pruned
            scores = self.scores(q)
            if filter_q is not None:
                allowed = self.docs(filter_q)
                scores = {d: s for d, s in scores.items() if d in allowed}
        except Unsupported:
            return None
        return len(scores), top(scores, limit)

    def _pruned(self, q: wq.Query, filter_q: wq.Query | None, limit: int):
        """topk.pruned_top of a plain-word query, or of one less excluded words; topk.words_top
        of one word or any of a few; None if q is none of these."""
        if filter_q is None:
            found = words_top(self, q, limit)
            if found is not None:
                return found
        excluded = None
        if isinstance(q, wq.AndNot) and isinstance(q.a, Coordinated):
            q, excluded = q.a, q.b
        if not isinstance(q, Coordinated):
            return None
        allowed = self.docs(filter_q) if filter_q is not None else None
        return pruned_top(
            self, q, limit, allowed, self.docs(excluded) if excluded is not None else None
        )

    def is_scorable(self, field: str) -> bool:
        """Whether a word in `field` is ranked by BM25 (not a flag or an id)."""
        return field in self.schema and bool(self.schema[field].scorable)

    # -- scored evaluation -----------------------------------------------------------------

    def scores(self, q: wq.Query) -> dict[int, float]:
        if isinstance(q, wq.Term):
            return self._term_scores(q)
        if isinstance(q, wq.Phrase):
            return self._phrase_scores(q)
        if isinstance(q, wq.And):
            return self._and_scores(q.subqueries)
        if isinstance(q, Coordinated):
            return self._coordinated_scores(q)
        if isinstance(q, wq.Or):
            parts = sorted((self.scores(sub) for sub in q.subqueries), key=len, reverse=True)
            combined: dict[int, float] = {}
            for part in parts:  # the largest part copied first; the others added to it
                add_into(combined, part)
            return combined
        if isinstance(q, wq.AndNot):
            excluded = self.docs(q.b)
            if isinstance(q.a, wq.Term):  # "pain NOT opioid": only the sections left are scored
                return self._term_scores(q.a, excluded, keep=False)
            return {d: s for d, s in self.scores(q.a).items() if d not in excluded}
        if isinstance(q, wq.AndMaybe):
            required = self.scores(q.a)
            # "title:dopamine" also ranks by the body's dopamine, which is in twenty times as
            # many sections: only those of the required side are scored.
            optional = (
                self._term_scores(q.b, required, keep=True)
                if isinstance(q.b, wq.Term)
                else self.scores(q.b)
            )
            for doc, score in optional.items():
                if doc in required:
                    required[doc] += score
            return required
        if isinstance(q, wq.Require):
            needed = self.docs(q.b)
            return {d: s for d, s in self.scores(q.a).items() if d in needed}
        if isinstance(q, wq.Not):
            return dict.fromkeys(self._all_docs() - self.docs(q.query), 0.0)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        raise Unsupported(type(q).__name__)

    def _and_scores(self, subqueries) -> dict[int, float]:
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        excluded: set[int] = set()
        for sub in subqueries:
            if isinstance(sub, wq.Not):
                excluded |= self.docs(sub.query)
        if not positive:
            return dict.fromkeys(self._all_docs() - excluded, 0.0)
        parts = sorted((self.scores(s) for s in positive), key=len)
        keep = set_of(parts[0])
        keep.difference_update(excluded)
        for part in parts[1:]:
            keep = intersect(keep, part)
            if not keep:
                return {}
        docs = list(keep)
        scores: dict[int, float] = {}
        for start in range(0, len(docs), STRIDE):  # C-level maps over every matching section
            chunk = docs[start : start + STRIDE]
            totals = list(map(parts[0].__getitem__, chunk))
            for part in parts[1:]:
                totals = list(map(operator.add, totals, map(part.__getitem__, chunk)))
            scores.update(zip(chunk, totals))
        return scores

    def _coordinated_scores(self, q: Coordinated) -> dict[int, float]:
        """Summed like Or, then scaled by how many of the parts each section matched."""
        parts = [self.scores(sub) for sub in q.subqueries]
        parts.sort(key=len, reverse=True)
        combined: dict[int, float] = {}
        matched: Counter = Counter()  # counting keys in C: one per part matched
        for part in parts:
            add_into(combined, part, matched)
        if len(parts) < 2:
            return combined
        factors = [q.coordination(m) for m in range(len(parts) + 1)]
        docs = list(combined)
        sums = list(combined.values())
        scaled: dict[int, float] = {}
        for start in range(0, len(docs), STRIDE):
            chunk = docs[start : start + STRIDE]
            scaled.update(
                zip(
                    chunk,
                    map(
                        operator.mul,
                        sums[start : start + STRIDE],
                        map(factors.__getitem__, map(matched.__getitem__, chunk)),
                    ),
                )
            )
        return scaled

    def _term_scores(
        self, q: wq.Term, among: set[int] | dict | None = None, keep: bool = True
    ) -> dict[int, float]:
        """The term's score in each section holding it; given `among`, only in the sections
        that are in it (`keep`) or that are not (each the same float as in the whole)."""
        ids, weights, _ = self._read(q.fieldname, q.text)
        if not ids:
            return {}
        matched = len(ids)  # the idf counts every section holding the term, kept or not
        if among is not None:
            ids, weights = _kept(ids, weights, among, keep)
        field = self.schema[q.fieldname]
        if not field.scorable:
            return dict.fromkeys(ids, float(q.boost))
        factor = self.term_factor(q.fieldname, q.text, matched) * q.boost
        norms = self.stats.norms(self.searcher, q.fieldname)
        # factor * w / (w + norm[d]) for every posting, as C-level maps (no Python per posting)
        scores: dict[int, float] = {}
        for start in range(0, len(ids), STRIDE):
            chunk, chunk_weights = ids[start : start + STRIDE], weights[start : start + STRIDE]
            saturated = saturation(chunk_weights, chunk, norms)
            scores.update(zip(chunk, map(factor.__mul__, saturated)))
        return scores

    def term_factor(self, field: str, text, matched: int) -> float:
        """idf * (K1 + 1): a term's score in a document is this * w / (w + norm) (times the
        query's boost). Public for whoosh_ext.scoring, which gives Whoosh the same numbers."""
        return self._idf(field, text, matched) * (K1 + 1.0)

    def postings(self, field: str, text) -> tuple[list, list, list]:
        """(global docnums, weights, []) of a term, deleted documents left out."""
        return self._read(field, text)

    def idf(self, field: str, text) -> float:
        """The term's idf as its scores use it (proximity.py scores pairs of words with it)."""
        return self._idf(field, text, len(self._read(field, text)[0]))

    def positions(self, field: str, text, docs: set[int]) -> dict[int, list[int]]:
        """The term's positions in each of `docs` that holds it, reading the positions of only
        the posting blocks that hold one of them (proximity.py asks for a hundred sections)."""
        found: dict[int, list[int]] = {}
        if field not in self.schema or not self.schema[field].format.supports("positions"):
            return found
        decode = self.schema[field].format.decode_positions
        for sub, offset in self.searcher.leaf_searchers():
            local = {d - offset for d in docs if offset <= d < offset + sub.doc_count_all()}
            if not local:
                continue
            try:
                matcher = sub.reader().postings(field, text)
            except TermNotFound:
                continue
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child
            if hasattr(matcher, "read_block"):
                # Blocks are in document order and each header gives its last document: a
                # block ending before the next wanted document is passed over unread, and the
                # walk stops after the last one (a common word has hundreds of blocks; a
                # hundred sections touch a fraction of them).
                ahead = sorted(local)
                next_wanted = 0
                while matcher.is_active() and next_wanted < len(ahead):
                    last = matcher.block_max_id()
                    if ahead[next_wanted] > last:
                        matcher.skip_block()
                        continue
                    ids, _, values = matcher.read_block(local)
                    if values is not None:
                        for doc, value in zip(ids, values):
                            if doc in local:
                                found[doc + offset] = decode(value)
                    next_wanted = bisect_right(ahead, last, next_wanted)
                continue
            while matcher.is_active():  # any other matcher: one posting at a time
                if matcher.id() in local:
                    found[matcher.id() + offset] = decode(matcher.value())
                matcher.next()
        return found

    def _idf(self, field: str, text, matched: int) -> float:
        if self.stats.deleted:
            # `matched` is the term's whole posting list less deleted documents: its live
            # frequency (the reader's doc_frequency still counts the deleted ones).
            frequency = matched
        else:
            frequency = max(matched, self.searcher.reader().doc_frequency(field, text))
        count = self.stats.live_count
        # Robertson-Spärck Jones idf, as BM25 was defined (and as FTS5 has it), not Lucene's
        # log(1 + ...): a word in most sections of the collection says next to nothing about
        # any of them, so in a long claim "cells", "increase", "effect" no longer outweigh its
        # rare words (SciFact nDCG@10 +0.004, Recall@100 +0.005). Floored (MIN_IDF) so such a
        # word alone still ranks by BM25's term frequency and length.
        return max(MIN_IDF, math.log((count - frequency + 0.5) / (frequency + 0.5)))

    def _phrase_scores(self, q: wq.Phrase) -> dict[int, float]:
        words = list(q.words)
        if len(words) == 1:
            return self._term_scores(wq.Term(q.fieldname, words[0], boost=q.boost))
        field = self.schema[q.fieldname]
        if not field.format.supports("positions"):
            raise Unsupported("phrase on a field without positions")
        postings = [self._read(q.fieldname, w) for w in words]
        slop = max(1, int(q.slop or 1))
        # Positions are decoded for the sections holding every word only (_values_in).
        docs, weights = phrases.matching(
            postings,
            slop,
            field.format,
            lambda n, common: self._values_in(q.fieldname, words[n], common),
        )
        if not docs:
            return {}
        # Scored on the matching sections only, not over the words' whole posting lists.
        norms = self.stats.norms(self.searcher, q.fieldname)
        scores: dict[int, float] = {}
        for start in range(0, len(docs), STRIDE):
            chunk = docs[start : start + STRIDE]
            totals = [0.0] * len(chunk)
            # A repeated word counts each time, as in Whoosh's matcher.
            for word, (ids, _, _), word_weights in zip(words, postings, weights):
                factor = self.term_factor(q.fieldname, word, len(ids)) * q.boost
                chunk_weights = word_weights[start : start + STRIDE]
                saturated = saturation(chunk_weights, chunk, norms)
                totals = list(map(operator.add, totals, map(factor.__mul__, saturated)))
            scores.update(zip(chunk, totals))
        return scores

    def _values_in(self, field: str, text, docs: set[int]) -> list:
        """The term's position values in `docs` (live sections holding it), in document order,
        decoding only those (codec.LeafMatcher.read_all) where the codec can."""
        found: list = []
        for sub, offset in self.searcher.leaf_searchers():
            end = offset + sub.doc_count_all()
            local = (
                {d - offset for d in docs if offset <= d < end}
                if offset or end < self.stats.doc_count
                else docs
            )
            if not local:
                continue
            try:
                matcher = sub.reader().postings(field, text)
            except TermNotFound:
                continue
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child
            whole = matcher.read_all(local) if hasattr(matcher, "read_all") else None
            if whole is not None:
                found += whole[2]
                continue
            ids: list[int] = []
            values: list = []
            _read_matcher(matcher, ids, [], values)  # any other layout: all of them, then kept
            found += compress(values, map(local.__contains__, ids))
        return found

    # -- unscored evaluation (filters, exclusions) -----------------------------------------

    def docs(self, q: wq.Query) -> set[int]:
        if isinstance(q, wq.Term):
            return set_of(self._read(q.fieldname, q.text)[0])
        if isinstance(q, wq.And):
            parts = sorted(
                (self.docs(s) for s in q.subqueries if not isinstance(s, wq.Not)), key=len
            )
            result = set(parts[0]) if parts else self._all_docs()
            for part in parts[1:]:
                result &= part
            for sub in q.subqueries:
                if isinstance(sub, wq.Not):
                    result -= self.docs(sub.query)
            return result
        if isinstance(q, wq.Or):
            union: set[int] = set()
            for sub in q.subqueries:
                union |= self.docs(sub)
            return union
        if isinstance(q, wq.AndNot):
            return self.docs(q.a) - self.docs(q.b)
        if isinstance(q, (wq.AndMaybe, wq.Require)):
            return self.docs(q.a) if isinstance(q, wq.AndMaybe) else self.docs(q.a) & self.docs(q.b)
        if isinstance(q, wq.Not):
            return self._all_docs() - self.docs(q.query)
        return set(self.scores(q))

    def _all_docs(self) -> set[int]:
        every = set_of(range(self.stats.doc_count))
        every.difference_update(self.stats.deleted)
        return every

    # -- reading postings ------------------------------------------------------------------

    def _read(self, field: str, text, values: bool = False) -> tuple[list, list, list]:
        """(global docnums, weights, values if asked) of a term, deleted documents left out."""
        key = (field, text, values)
        cached = self._postings.get(key) or (
            None if values else self._postings.get((field, text, True))
        )
        if cached is not None:
            return cached
        if field not in self.schema or not self.schema[field].indexed:
            result: tuple[list, list, list] = ([], [], [])
            self._postings[key] = result
            return result
        ids: list[int] = []
        weights: list[float] = []
        vals: list = []
        for sub, offset in self.searcher.leaf_searchers():
            try:
                matcher = sub.reader().postings(field, text)
            except TermNotFound:
                continue
            if isinstance(matcher, FilterMatcher):  # deletions: filtered below, all at once
                matcher = matcher.child
            start = len(ids)
            _read_matcher(matcher, ids, weights, vals if values else None)
            if offset:
                ids[start:] = map(offset.__add__, ids[start:])  # in C, not a step per posting
        if self.stats.deleted:  # C-level passes a piece at a time, not a test per posting
            live: list[bool] = []
            for start in range(0, len(ids), STRIDE):
                chunk = ids[start : start + STRIDE]
                live += map(operator.not_, map(self.stats.deleted.__contains__, chunk))
            ids = list(compress(ids, live))
            weights = list(compress(weights, live))
            vals = list(compress(vals, live)) if values else vals
        result = (ids, weights, vals)
        self._postings[key] = result
        return result


def _kept(ids: list, weights: list, among: set[int] | dict, keep: bool) -> tuple[list, list]:
    """The postings (ids, weights) of sections in `among` (`keep`) or not in it, in C-level
    passes a piece at a time."""
    kept_ids: list[int] = []
    kept_weights: list[float] = []
    for start in range(0, len(ids), STRIDE):
        chunk = ids[start : start + STRIDE]
        inside = map(among.__contains__, chunk)
        mask = list(inside if keep else map(operator.not_, inside))
        kept_ids += compress(chunk, mask)
        kept_weights += compress(weights[start : start + STRIDE], mask)
    return kept_ids, kept_weights


def _read_matcher(matcher, ids: list, weights: list, values: list | None) -> None:
    whole = matcher.read_all(values is not None) if hasattr(matcher, "read_all") else None
    if whole is not None:  # the whole term at once (codec.LeafMatcher.read_all)
        for start in range(0, len(whole[0]), STRIDE):  # C passes of STRIDE, as everywhere
            ids += whole[0][start : start + STRIDE].tolist()
            weights += whole[1][start : start + STRIDE].tolist()
        if values is not None:
            values += whole[2]
        return
    if hasattr(matcher, "read_block"):
        while matcher.is_active():
            block_ids, block_weights, block_values = matcher.read_block(values is not None)
            ids.extend(block_ids)
            weights.extend(block_weights)
            if values is not None:
                values.extend(block_values)
        return
    while matcher.is_active():  # any other matcher: one posting at a time
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values is not None:
            values.append(matcher.value())
        matcher.next()
