"""Running one query against an open searcher: the order of attempts, and the hits.

1. The query as read (reading.py): plain words coordinated, so sections with all of them rank
   first and sections with most of them follow; misspelling variants of known words included.
2. A word the collection does not know (and that is not an acronym or code) is replaced by its
   nearest known word, within a bounded budget (spelling.py); if that finds something, its hits
   come back with `corrected` set. A sentence-long query that found something as typed is not
   corrected (its other words carry it).
3. The best sections by BM25 re-ranked by how close neighbouring query words stand
   (proximity.py).

Everything here reads; SearchIndex (index.py) owns opening, refreshing and repairing the index.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from whoosh import query as wq
from whoosh.searching import Searcher

from viewer.search.evaluate import Evaluator, GenerationStats
from viewer.search.proximity import RERANK_DEPTH, neighbour_pairs, rerank
from viewer.search.query import (
    Expander,
    clean_query,
    parse,
    positive_parts,
    replace_words,
    with_prefix_on_last_word,
)
from viewer.search.reading import COORD_UNTIL, typed_words
from viewer.search.results import Hit, SearchResult
from viewer.search.schema import WORD_PATTERN, SectionAnalyzer, fold
from viewer.search.snippets import make_snippet
from viewer.search.spelling import Vocabulary, looks_like_code
from viewer.search.whoosh_ext.scoring import SameBM25

# Unknown words looked up per query: the spelling work of one query stays bounded, and a long
# query holds enough known words to be found by.
MAX_CORRECTED_WORDS = 3
NOTHING_TO_SEARCH = (
    "The query has no words to search for (only short or very common words, or symbols)."
)


class Attempt(NamedTuple):
    """One reading of the query and what it matched."""

    query: wq.Query
    total: int
    ranked: list[tuple[int, float]]  # (docnum, score), best first, at most `limit`


class QueryRunner:
    """One search: the searcher and vocabulary of one index generation, and the options."""

    def __init__(
        self,
        searcher,
        vocabulary: Vocabulary,
        stats: GenerationStats,
        analyzer: SectionAnalyzer,
        *,
        limit: int = 10,
        article_id: str | None = None,
        safety_only: bool = False,
        prefix_last_word: bool = False,
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.vocabulary = vocabulary
        self.evaluator = Evaluator(searcher, stats)
        self.analyzer = analyzer
        self.limit = max(1, int(limit))
        self._replacements: set[str] = set()  # the words spelling correction put in
        self.prefix_last_word = prefix_last_word  # for this query: set again in run()
        filters = []
        if article_id is not None:
            filters.append(wq.Term("article", article_id))
        if safety_only:
            filters.append(wq.Term("safety", True))
        self.filter = None if not filters else filters[0] if len(filters) == 1 else wq.And(filters)

    def run(self, raw_query: str) -> SearchResult:
        cleaned = clean_query(raw_query)
        # A space typed after the last word finishes it: complete only a word still being typed.
        self.prefix_last_word = (
            self.prefix_last_word and bool(raw_query) and not raw_query[-1].isspace()
        )
        result = SearchResult(query=raw_query, notes=list(cleaned.notes))
        text = cleaned.text
        if not text:
            result.notes.append(NOTHING_TO_SEARCH)
            return result
        searched = self._search(text)
        if searched is None:
            if not self._has_words(text):
                result.notes.append(NOTHING_TO_SEARCH)
                return result
            # Words the collection lacks (a last word nothing completes, while typing): the
            # query has words, it matched nothing, and a correction may still find something.
            searched = Attempt(wq.NullQuery, 0, [])
        # A word the collection does not have matches nothing: its nearest known word is
        # searched instead, and the result says so ("Showing results for ..."). Not in a sentence
        # that found something: its other words are evidence enough, and a guessed word at full
        # weight outranks them (SciFact: "α-tocopheryl" read as "α-tocopherol" put an unrelated
        # vitamin review first); the spelling work is saved too.
        corrected = None if searched.total and self._is_sentence(text) else self._corrected(text)
        if corrected:
            attempt = self._search(corrected)
            if attempt and attempt.total:
                searched = attempt
            else:
                corrected = None
        result.total = searched.total
        stored = [self.searcher.stored_fields(docnum) for docnum, _ in searched.ranked]
        result.corrected = self._shown_correction(corrected, stored) if corrected else None
        terms, phrases = positive_parts(searched.query)
        result.hits = [
            self._hit(fields, score, terms, phrases)
            for fields, (_, score) in zip(stored, searched.ranked)
        ]
        return result

    def read(self, text: str) -> wq.Query | None:
        """The Whoosh query searched for a cleaned text, or None if it holds nothing to search."""
        if self.prefix_last_word:
            text = with_prefix_on_last_word(text)
        parsed = parse(text, self.analyzer, self.searcher.schema)
        q = Expander(self.vocabulary, self.reader, self.analyzer, text).expand(parsed).normalize()
        return None if q is wq.NullQuery else q

    def _search(self, text: str) -> Attempt | None:
        """The query's matches, or None when it holds nothing searchable."""
        q = self.read(text)
        if q is None:
            return None
        # The best RERANK_DEPTH by BM25, then re-ranked with neighbouring words' proximity.
        proximity = bool(neighbour_pairs(q))
        depth = max(self.limit, RERANK_DEPTH) if proximity else self.limit
        evaluated = self.evaluator.run(q, self.filter, depth)
        attempt = Attempt(q, *evaluated) if evaluated is not None else self.whoosh_search(q, depth)
        if not proximity:
            return attempt
        return attempt._replace(ranked=rerank(self.evaluator, q, attempt.ranked, self.limit))

    def whoosh_search(self, q: wq.Query, limit: int | None = None) -> Attempt:
        """The query searched by Whoosh's own searcher (a part evaluate.py does not handle),
        ranked with the evaluator's BM25 and coordination (whoosh_ext/scoring.py)."""
        searcher = Searcher(self.reader, weighting=SameBM25(self.evaluator), closereader=False)
        results = searcher.search(q, limit=limit or self.limit, filter=self.filter)
        return Attempt(q, len(results), [(hit.docnum, hit.score) for hit in results])

    def _searchable_words(self, text: str) -> list[str]:
        """The typed words the index's analyzer keeps (not stop words or symbols), known to
        the collection or not."""
        return [w for w in typed_words(text) if self.analyzer.term(fold(w))]

    def _has_words(self, text: str) -> bool:
        return bool(self._searchable_words(text))

    def _is_sentence(self, text: str) -> bool:
        """Whether the query holds enough searchable words to be ranked as a sentence."""
        return len(self._searchable_words(text)) >= COORD_UNTIL

    def _corrected(self, text: str) -> str | None:
        """The query with every unknown word replaced by its nearest known word, if any."""
        words = typed_words(text)
        if self.prefix_last_word and words and with_prefix_on_last_word(text) != text:
            # A word still being typed is not a typo while some known word starts with it;
            # once none does, it is corrected at once, as if the word were finished.
            if self.vocabulary.complete(self.reader, self.analyzer, fold(words[-1])):
                words = words[:-1]
        corrections: dict[str, str] = {}
        budget = MAX_CORRECTED_WORDS
        for word in words:
            folded = fold(word)
            if folded in corrections or looks_like_code(word):
                continue
            term = self.analyzer.term(folded)
            if not term or self.vocabulary.knows(self.reader, term):
                continue  # a word the index knows is never rewritten
            budget -= 1
            if budget < 0:
                break
            better = self.vocabulary.correct(self.reader, self.analyzer, folded)
            if better and better != folded:
                corrections[folded] = better
        self._replacements = set(corrections.values())
        return replace_words(text, corrections) if corrections else None

    def _shown_correction(self, corrected: str, stored: list[dict]) -> str:
        """Corrections found through stems ("hyperpigment") shown as a word of the top hit."""
        if not stored:
            return corrected
        top = stored[0]
        words = WORD_PATTERN.findall(" ".join(str(top.get(f, "")) for f in ("heading", "body")))
        by_term: dict[str, str] = {}
        for word in words:
            by_term.setdefault(self.analyzer.term(fold(word)), word.lower())

        def readable(match: re.Match) -> str:
            word = match.group()  # only a replacement that is a bare stem, not a typed word
            if word in self._replacements and self.analyzer.term(word) == word and word in by_term:
                return by_term[word]
            return word

        return WORD_PATTERN.sub(readable, corrected)

    def _hit(
        self, stored: dict, score: float, terms: set[str], phrases: list[tuple[str, ...]]
    ) -> Hit:
        snippet = make_snippet(stored.get("body", ""), terms, self.analyzer, phrases=phrases)
        heading = stored.get("heading", "")
        heading_words = (
            make_snippet(heading, terms, self.analyzer, size=200, phrases=phrases).words
            if heading
            else []
        )
        matched = list(dict.fromkeys(heading_words + snippet.words))
        categories = [c for c in str(stored.get("categories", "")).split(",") if c]
        return Hit(
            article=stored.get("article", ""),
            title=stored.get("title", ""),
            section=stored.get("heading", ""),
            anchor=stored.get("anchor", ""),
            kind=stored.get("kind", ""),
            score=round(float(score or 0.0), 4),
            snippet=snippet.html,
            spans=snippet.spans,
            safety=bool(stored.get("safety", False)),
            categories=categories,
            terms=matched,
        )
