"""Pruned top-k (viewer/search/topk.py): the same hits, scores, order and totals as evaluating
every matching section, and as Whoosh's own searcher, on a generated collection large enough for
pruning to skip sections; phrases on that same edited collection match what Whoosh matches; a
word less exclusions, or a field clause ranked by the body too, scores only the sections that
can be in the answer, to the same floats."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from benchmarks.corpus_gen import write_corpus
from tests.test_search_queries import MALFORMED
from tests.test_search_whoosh_ext import RELEVANCE
from viewer.core.library import Library
from viewer.search import SearchIndex, topk
from viewer.search.chunks import top
from viewer.search.engine import QueryRunner
from viewer.search.evaluate import Evaluator

# Plain words as a user types them, two to four of them (the queries pruning handles), from
# the generated collection's vocabulary (benchmarks/corpus_gen.py draws on the bundled corpus).
PLAIN = [
    "chronic pain relief",
    "opioid withdrawal",
    "kratom dosage",
    "side effects",
    "pain relief -opioid",
    "kratom withdrawal symptoms anxiety",
    "dopamine reward system",
    "hair loss treatment",
    "natural alternative",
    "euphoria dehydration",
    "pain kratom",
    "tea powder capsules",
]
PHRASES = [
    '"side effects"',
    '"chronic pain"',
    '"opioid withdrawal symptoms"',
    '"reward system"',
    '"pain pain"',
    '"kratom kratom kratom"',
    '"dry mouth"',
    '"withdrawal symptoms"',
    '"the kratom"',
    '"pain relief" kratom',
    '"effects side"',
]
LIMITS = [1, 3, 10, 100]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """150 generated articles, then one of them edited in place: the index holds deleted
    versions of its sections, which neither path may return."""
    folder = tmp_path_factory.mktemp("topk")
    corpus = folder / "corpus"
    paths = write_corpus(corpus, 150, 11)
    index = SearchIndex.for_library(Library.load(corpus), folder / "cache")
    index.ensure_current()
    edited = paths[3]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n\nSide effects of chronic pain relief.\n",
        encoding="utf-8",
    )
    index.ensure_current(Library.load(corpus))
    yield index
    index.close()


def _read(index, text):
    searcher, vocabulary, stats = index._open_for_search()
    runner = QueryRunner(searcher, vocabulary, stats, index._analyzer)
    return searcher, stats, runner.read(text)


def test_the_edited_index_holds_deleted_sections(index):
    searcher, stats, _ = _read(index, "kratom")
    assert stats.deleted  # the fixture's edit left old versions for both paths to skip


@pytest.mark.parametrize("texts", [PLAIN, RELEVANCE, MALFORMED], ids=["plain", "rel", "bad"])
def test_pruned_top_k_is_the_full_rankings_top_k(index, texts, monkeypatch):
    scored = []
    original = topk._scores

    def counting(parts, members, factor, docs):
        scored.append(len(docs))
        return original(parts, members, factor, docs)

    monkeypatch.setattr(topk, "_scores", counting)
    within = []
    original_within = topk._within_group

    def counting_within(*args):
        within.append(1)
        return original_within(*args)

    monkeypatch.setattr(topk, "_within_group", counting_within)
    pruned_somewhere = variants = False
    for text in texts:
        searcher, stats, q = _read(index, text)
        if q is None:
            continue
        variants |= any(type(part) is wq.Or for part in getattr(q, "subqueries", ()))
        full_total, full = Evaluator(searcher, stats).run(q, None, 100_000, prune=False)
        for limit in LIMITS:
            scored.clear()
            assert Evaluator(searcher, stats).run(q, None, limit) == (
                full_total,
                full[:limit],
            ), (text, limit)
            pruned_somewhere |= bool(scored) and sum(scored) < full_total
    if texts is PLAIN:
        assert pruned_somewhere  # the collection is large enough for groups to be skipped
        assert variants  # a word with its misspelling variants is one part (topk._words_part)
        assert within  # large groups were pruned within too (topk._within_group)


def test_pruning_keeps_to_a_filter_and_an_exclusion(index):
    searcher, stats, q = _read(index, "chronic pain relief -opioid")
    evaluator = Evaluator(searcher, stats)
    safety = wq.Term("safety", True)
    ranked = evaluator.run(q, None, 100_000, prune=False)[1]
    article = wq.Term("article", searcher.stored_fields(ranked[len(ranked) // 2][0])["article"])
    for filter_q in (safety, article):
        full = evaluator.run(q, filter_q, 100_000, prune=False)
        assert 0 < full[0] < len(ranked)
        assert evaluator.run(q, filter_q, 2) == (full[0], full[1][:2])


def test_pruned_top_ten_is_whooshs_own_top_ten(index):
    checked = 0
    for text in PLAIN:
        searcher, stats, q = _read(index, text)
        if isinstance(q, wq.AndNot):
            continue  # Whoosh's AndNot bug (test_search_whoosh_ext.py) is not ours to rank
        runner = QueryRunner(searcher, *index._open_for_search()[1:], index._analyzer, limit=10)
        total, ours = runner.evaluator.run(q, None, 10)
        theirs = runner.whoosh_search(q)
        assert theirs.total == total, text
        assert [doc for doc, _ in theirs.ranked] == [doc for doc, _ in ours], text
        assert [s for _, s in theirs.ranked] == pytest.approx([s for _, s in ours], rel=1e-9)
        checked += 1
    assert checked >= len(PLAIN) - 2


def test_a_phrase_matches_what_whoosh_matches(index):
    for text in PHRASES:
        searcher, stats, q = _read(index, text)
        total, ranked = Evaluator(searcher, stats).run(q, None, 100_000)
        theirs = {hit.docnum for hit in searcher.search(q, limit=None)}
        assert {doc for doc, _ in ranked} == theirs, text
        assert total == len(theirs), text


def _positions_one_by_one(searcher, field: str, term: str, docs: set[int]) -> dict[int, list]:
    """A term's positions in `docs`, read posting by posting through Whoosh's own matchers
    (deleted sections included, as the evaluator reads them: they are never ranked)."""
    from whoosh.matching.wrappers import FilterMatcher

    decode = searcher.schema[field].format.decode_positions
    found = {}
    for sub, offset in searcher.leaf_searchers():
        if (field, term) not in sub.reader():
            continue
        matcher = sub.reader().postings(field, term)
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        while matcher.is_active():
            if matcher.id() + offset in docs:
                found[matcher.id() + offset] = decode(matcher.value())
            matcher.next()
    return found


def test_positions_of_a_hundred_sections_skip_blocks_but_miss_none(index, monkeypatch):
    # Proximity (proximity.py) reads the positions of the best hundred sections; blocks that
    # hold none of them are passed over unread. Whatever the sections asked for (first, last,
    # spread, bunched, deleted, holding the word or not), the positions are all there.
    import random

    searcher, stats, _ = _read(index, "kratom")
    every = range(stats.doc_count)
    rng = random.Random(5)
    asks = [
        set(rng.sample(every, 100)),
        {0, stats.doc_count - 1},
        set(range(stats.doc_count - 40, stats.doc_count)),
        set(range(300, 340)),
        set(stats.deleted) | {1, 2},
        set(every),
    ]
    for term in ("kratom", "pain", "withdrawal", "hyperpigmentation", "nosuchword"):
        for docs in asks:
            expected = _positions_one_by_one(searcher, "body", term, docs)
            assert Evaluator(searcher, stats).positions("body", term, docs) == expected, term
    from viewer.search.whoosh_ext.codec import LeafMatcher

    skipped = []
    original = LeafMatcher.skip_block

    def counting(self):
        skipped.append(1)
        original(self)

    monkeypatch.setattr(LeafMatcher, "skip_block", counting)
    Evaluator(searcher, stats).positions("body", "kratom", {stats.doc_count - 1})
    assert skipped  # a word in most sections spans blocks, and those before the last went unread


def _phrase_scores_section_by_section(evaluator, q: wq.Phrase) -> dict[int, float]:
    """A phrase's BM25 scores worked out one section at a time: every section holding all the
    words, checked with its own position sets, scored word by word in the phrase's order."""
    from viewer.search.phrases import in_sequence

    field = evaluator.schema[q.fieldname]
    postings = [evaluator.postings(q.fieldname, w) for w in q.words]
    positions = [
        evaluator.positions(q.fieldname, w, set(ids)) for w, (ids, _, _) in zip(q.words, postings)
    ]
    weights = [dict(zip(ids, ws)) for ids, ws, _ in postings]
    norms = evaluator.stats.norms(evaluator.searcher, q.fieldname)
    scores = {}
    for doc in set.intersection(*(set(ids) for ids, _, _ in postings)):
        if not in_sequence([p[doc] for p in positions], max(1, q.slop)):
            continue
        total = 0.0
        for word, (ids, _, _), weight_of in zip(q.words, postings, weights):
            factor = evaluator.term_factor(q.fieldname, word, len(ids)) * q.boost
            total += factor * (weight_of[doc] / (weight_of[doc] + norms[doc]))
        scores[doc] = total
    assert field.format.supports("positions")
    return scores


def test_phrase_scores_are_those_worked_out_section_by_section(index):
    # Exact phrases (words once or many times in a section, repeated words) and sloppy ones,
    # on the edited index: the same sections and the same scores to the bit.
    searcher, stats, _ = _read(index, "kratom")
    checked = 0
    for text in PHRASES:
        _, _, q = _read(index, text)
        for phrase in [q, *q.children()] if not isinstance(q, wq.Phrase) else [q]:
            if not isinstance(phrase, wq.Phrase):
                continue
            for slop in (1, 2, 4):
                sloppy = wq.Phrase(phrase.fieldname, phrase.words, slop=slop, boost=phrase.boost)
                expected = _phrase_scores_section_by_section(Evaluator(searcher, stats), sloppy)
                assert Evaluator(searcher, stats).scores(sloppy) == expected, (text, slop)
                checked += bool(expected)
    assert checked >= len(PHRASES)


# One word, or any of a few (misspelling variants, OR, a prefix being typed): topk.words_top.
WORDS = [
    "kratom",
    "dosage",
    "withdrawl",
    "hyperpigmentation",
    "anxiety OR insomnia",
    "pain OR kratom OR relief",
    "title:dopamine",
    "nosuchword",
    "euphoria OR nosuchword",
]


def test_one_word_or_any_of_a_few_is_the_full_rankings_top_k(index, monkeypatch):
    used = []
    original = topk.words_top

    def counting(*args):
        found = original(*args)
        used.append(found is not None)
        return found

    monkeypatch.setattr("viewer.search.evaluate.words_top", counting)
    answered = []  # whether the sections with the largest word alone were left unscored
    without_largest = topk._without_largest

    def counting_without(*args):
        found = without_largest(*args)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(topk, "_without_largest", counting_without)
    searcher, vocabulary, stats = index._open_for_search()
    queries = [_read(index, text)[2] for text in WORDS]
    typing = QueryRunner(searcher, vocabulary, stats, index._analyzer, prefix_last_word=True)
    queries += [typing.read("dopa"), typing.read("with"), typing.read("pain k")]
    through = 0
    for q in queries:
        if q is None:
            continue
        full_total, full = Evaluator(searcher, stats).run(q, None, 100_000, prune=False)
        used.clear()
        for limit in LIMITS:
            assert Evaluator(searcher, stats).run(q, None, limit) == (full_total, full[:limit]), q
        through += all(used)
    assert through >= len(WORDS)  # all but a few of these went through words_top
    assert any(answered) and not all(answered)  # skipped where it may be, else all scored


# A word less excluded words, and a field clause that also ranks by the body: Evaluator scores
# only the sections that can be in the answer.
NARROWED = [
    "pain NOT opioid",
    "kratom -withdrawal",
    "dosage NOT kratom NOT tea",
    "title:dopamine",
    "section:withdrawal",
    "title:nosuchword",
    "title:kratom -pain",
]


def _scores_over_every_posting(evaluator, q):
    """The scores of an AndNot or AndMaybe worked out from both sides' scores in full."""
    if isinstance(q, wq.AndNot):
        excluded = evaluator.docs(q.b)
        return {
            d: s for d, s in _scores_over_every_posting(evaluator, q.a).items() if d not in excluded
        }
    if isinstance(q, wq.AndMaybe):
        required = _scores_over_every_posting(evaluator, q.a)
        for doc, score in _scores_over_every_posting(evaluator, q.b).items():
            if doc in required:
                required[doc] += score
        return required
    return evaluator.scores(q)


def test_a_word_less_exclusions_or_with_a_field_scores_as_with_every_posting(index):
    searcher, stats, _ = _read(index, "kratom")
    kinds = set()
    for text in NARROWED:
        _, _, q = _read(index, text)
        kinds.add(type(q).__name__)
        expected = _scores_over_every_posting(Evaluator(searcher, stats), q)
        assert Evaluator(searcher, stats).scores(q) == expected, text
        assert list(Evaluator(searcher, stats).scores(q)) == list(expected), text  # same order
        total, ranked = Evaluator(searcher, stats).run(q, None, 10)
        assert (total, ranked) == (len(expected), top(expected, 10)), text
    assert {"AndNot", "AndMaybe"} <= kinds
