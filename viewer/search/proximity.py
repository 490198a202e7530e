"""Proximity: among the best matches of plain words, sections where neighbouring query words
stand close together rank higher.

BM25 scores each word on its own, so a section with "birth" in one sentence and "weight" in
another scores as one saying "birth weight". For the words of a plain query (reading.Coordinated)
taken in the order typed, each pair of neighbours found within WINDOW positions of each other
adds a BM25TP-style term (Rasolofo and Savoy, "Term proximity scoring for keyword-based retrieval
systems", ECIR 2003): for the pair's occurrences at distance d, tpi = sum 1 / d^2, scored like
a word of the pair's rarer idf with tpi as its frequency, idf * (K1 + 1) * tpi / (tpi + norm).
Only neighbours in the query (not every pair of its words: in a long claim most pairs are
unrelated, and counting them all cost ranking quality), and at half a word's weight (PAIR_WEIGHT):
a pair is evidence about the words already scored, not a new word.

The bonus re-ranks the RERANK_DEPTH best sections of the query as BM25 ranked them, whichever
evaluated it (evaluate.py or Whoosh, engine.py), so it never changes what matches or how many,
and it costs positions of a hundred sections, not of every posting.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from whoosh import query as wq

from viewer.search.evaluate import K1
from viewer.search.reading import Coordinated

# Half a word: a priori (see above). SciFact, both halves of its claims, moves little between
# 0.4 and 0.6 (`python -m benchmarks scifact --proximity-grid`).
PAIR_WEIGHT = 0.5
WINDOW = 5  # positions; 1 / d^2 makes anything further count next to nothing
RERANK_DEPTH = 100


def neighbour_pairs(q: wq.Query) -> list[tuple[str, str, str]]:
    """(field, term, next term) for the neighbouring words of each plain-word part of q, in the
    order typed (misspelling variants and excluded words left out)."""
    pairs: dict[tuple[str, str, str], None] = {}

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, Coordinated):
            sequence: list[tuple[str, str]] = []
            for part in node.subqueries:
                sequence.extend(_words(part))
            for (field_a, a), (field_b, b) in zip(sequence, sequence[1:]):
                if field_a == field_b and a != b:
                    pairs.setdefault((field_a, a, b), None)
            return
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return list(pairs)


def _words(q: wq.Query) -> list[tuple[str, str]]:
    """The (field, term) sequence a part of a plain query stands for."""
    if isinstance(q, wq.Term) and isinstance(q.text, str):
        return [(q.fieldname, q.text)]
    if isinstance(q, wq.Phrase):
        return [(q.fieldname, w) for w in q.words if isinstance(w, str)]
    if isinstance(q, wq.Or) and q.subqueries:
        # A word and its misspelling variants (boosted lower): the word. A word split into its
        # parts (all alike): the parts, in order.
        top = max(child.boost for child in q.subqueries)
        found: list[tuple[str, str]] = []
        for child in q.subqueries:
            if child.boost >= top:
                found.extend(_words(child))
                if isinstance(child, wq.Phrase):
                    break  # "G-CSF" as a phrase, then its parts apart: the same words again
        return found
    return []


def pair_frequency(first: list[int], second: list[int]) -> float:
    """BM25TP's tpi: sum of 1 / d^2 over occurrences of the two words 1..WINDOW apart."""
    total = 0.0
    for p in first:
        lo = bisect_left(second, p - WINDOW)
        hi = bisect_right(second, p + WINDOW)
        for r in second[lo:hi]:
            if r != p:
                total += 1.0 / ((r - p) * (r - p))
    return total


def rerank(evaluator, q: wq.Query, ranked: list[tuple[int, float]], limit: int):
    """`ranked` (docnum, score) best first with the proximity bonus added, cut to `limit`."""
    pairs = neighbour_pairs(q)
    if not pairs or len(ranked) < 2:
        return ranked[:limit]
    docs = [doc for doc, _ in ranked]
    wanted = set(docs)
    positions: dict[tuple[str, str], dict[int, list[int]]] = {}
    for field, a, b in pairs:
        for term in (a, b):
            if (field, term) not in positions:
                positions[field, term] = evaluator.positions(field, term, wanted)
    bonus = dict.fromkeys(docs, 0.0)
    for field, a, b in pairs:
        at_a, at_b = positions[field, a], positions[field, b]
        both = [doc for doc in docs if doc in at_a and doc in at_b]
        if not both:
            continue
        norms = evaluator.stats.norms(evaluator.searcher, field)
        weight = PAIR_WEIGHT * (K1 + 1.0) * min(evaluator.idf(field, a), evaluator.idf(field, b))
        for doc in both:
            tpi = pair_frequency(at_a[doc], at_b[doc])
            if tpi:
                bonus[doc] += weight * tpi / (tpi + norms[doc])
    rescored = [(doc, score + bonus[doc]) for doc, score in ranked]
    rescored.sort(key=lambda item: (-item[1], item[0]))
    return rescored[:limit]
