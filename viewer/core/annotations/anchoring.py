"""Finding a highlight's place again in an article's plain text (W3C Web Annotation style).

A highlight is saved as a quote: the exact text plus up to `CONTEXT` characters before and
after it, and the character offsets as a hint. When the article is opened again:

1. the hint still holds the exact text: done;
2. otherwise every occurrence of the exact text is scored by how well its surroundings match
   the saved prefix and suffix and how near it is to the hint (a paragraph inserted before
   moves it, a repeated phrase picks the right copy);
3. otherwise a fuzzy search: places where the start or the end of the quote, or its saved
   prefix and suffix, still occur bound candidate spans, and the closest one wins if it is
   similar enough (a word changed inside);
4. otherwise the highlight is orphaned: reported, shown with its quote and note, never dropped.

Pure Python, no Qt: the reading pane and the command line share it.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.annotations.model import Quote

CONTEXT = 32  # characters of prefix and suffix kept with a quote
PIECE = 24  # characters from each end of the quote used to find candidates for a fuzzy match
MIN_SIMILARITY = 0.75  # below this a candidate is not the same passage any more
MAX_CANDIDATES = 200  # occurrences considered per piece (a very common phrase is no help)
WORD_COMPARE_FROM = 8  # quotes of this many words or more are compared word by word


@dataclass(frozen=True)
class Anchored:
    """Where a quote was found: offsets into the text, and whether it matched exactly."""

    start: int
    end: int
    exact: bool = True
    similarity: float = 1.0


def make_quote(text: str, start: int, end: int) -> Quote:
    """The selector pair for text[start:end] (offsets clamped, leading/trailing spaces trimmed)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    start, end = min(start, end), max(start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def _occurrences(text: str, needle: str, limit: int = MAX_CANDIDATES) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _common_tail(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their ends."""
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_head(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _context_score(text: str, quote: Quote, start: int, end: int) -> float:
    """0..2: how much of the saved prefix and suffix surround text[start:end]."""
    score = 0.0
    if quote.prefix:
        score += _common_tail(text[max(0, start - len(quote.prefix)) : start], quote.prefix) / len(
            quote.prefix
        )
    if quote.suffix:
        score += _common_head(text[end : end + len(quote.suffix)], quote.suffix) / len(quote.suffix)
    return score


def _nearness(text: str, quote: Quote, start: int) -> float:
    """0..1: closeness to the position hint (1 at the hint); 0 when there is no hint."""
    if quote.start < 0 or not text:
        return 0.0
    return 1.0 - min(1.0, abs(start - quote.start) / len(text))


def anchor(text: str, quote: Quote) -> Anchored | None:
    """Where `quote` lies in `text` now, or None when it cannot be placed (orphaned)."""
    exact = quote.exact
    if not exact:
        return None
    if 0 <= quote.start < quote.end <= len(text) and text[quote.start : quote.end] == exact:
        return Anchored(quote.start, quote.end)
    hits = _occurrences(text, exact)
    if hits:
        best = max(
            hits,
            key=lambda s: (
                _context_score(text, quote, s, s + len(exact)),
                _nearness(text, quote, s),
            ),
        )
        return Anchored(best, best + len(exact))
    return _fuzzy(text, quote)


def _candidate_spans(text: str, quote: Quote) -> set[tuple[int, int]]:
    exact, length = quote.exact, len(quote.exact)
    low, high = int(length * 0.6), int(length * 1.5) + 8
    head, tail = exact[:PIECE], exact[-PIECE:]
    spans: set[tuple[int, int]] = set()
    heads = _occurrences(text, head)
    tails = [t + len(tail) for t in _occurrences(text, tail)]
    if quote.prefix[-PIECE:]:
        heads += [p + len(quote.prefix[-PIECE:]) for p in _occurrences(text, quote.prefix[-PIECE:])]
    if quote.suffix[:PIECE]:
        tails += _occurrences(text, quote.suffix[:PIECE])
    for start in heads:
        spans.add((start, start + length))
        spans.update((start, end) for end in tails if low <= end - start <= high)
    for end in tails:
        spans.add((max(0, end - length), end))
    return {(s, e) for s, e in spans if 0 <= s < e <= len(text)}


def _fuzzy(text: str, quote: Quote) -> Anchored | None:
    # The quote is the matcher's second sequence, indexed once for every candidate span. Long
    # quotes are compared word by word (a changed word costs its share of the words), which is
    # many times faster than character by character and as telling for a prose passage.
    by_words = len(quote.exact.split()) >= WORD_COMPARE_FROM
    pieces = (lambda chunk: chunk.split()) if by_words else (lambda chunk: chunk)
    from difflib import SequenceMatcher  # with the first fuzzy search, not at start-up

    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(pieces(quote.exact))
    best: tuple[float, float, int, int, float] | None = None
    # Longest spans first: bounded by both ends of the quote they are the likeliest match.
    for start, end in sorted(_candidate_spans(text, quote), key=lambda span: span[0] - span[1]):
        matcher.set_seq1(pieces(text[start:end]))
        if matcher.real_quick_ratio() < MIN_SIMILARITY:
            continue
        # Word by word, the share of words in common is enough: the span is already bounded by
        # the quote's own first and last words (or its context), so their order is given.
        similarity = matcher.quick_ratio() if by_words else matcher.ratio()
        if similarity < MIN_SIMILARITY:
            continue
        key = (
            similarity + 0.1 * _context_score(text, quote, start, end),
            _nearness(text, quote, start),
            start,
            end,
            similarity,
        )
        if best is None or key > best:
            best = key
    if best is None:
        return None
    return Anchored(best[2], best[3], exact=False, similarity=best[4])


def anchor_all(text: str, quotes: dict[str, Quote]) -> tuple[dict[str, Anchored], list[str]]:
    """Anchor many quotes over one text: (placed by id, ids of the orphans in the given order)."""
    placed: dict[str, Anchored] = {}
    orphans: list[str] = []
    for ident, quote in quotes.items():
        found = anchor(text, quote)
        if found is None:
            orphans.append(ident)
        else:
            placed[ident] = found
    return placed, orphans


def article_text(article) -> str:
    """The article's plain text without Qt: title, then each heading and paragraph on a line.

    The reading pane anchors over the text it shows, which holds the same words (plus labels);
    quotes are matched by their words, so both find the same passage."""
    lines = [article.title]
    for section in article.sections:
        lines.append(section.heading)
        lines.extend(paragraph.plain for paragraph in section.paragraphs)
    return "\n".join(lines)


def safety_under(article, exact: str) -> tuple[str, ...]:
    """Category labels of the warning sentences a quote covers (empty when it covers none).

    Found by the quote's words in each paragraph's readable text, whose offsets the safety
    classifier's sentence verdicts use (or the paragraph's flag where a loader gave no sentence
    verdicts); a quote over several paragraphs is looked up line by line."""
    from viewer.core.safety_categories import category_label

    found: list[str] = []
    pieces = [line.strip() for line in exact.splitlines() if line.strip()]
    for section in article.sections:
        for paragraph in section.paragraphs:
            for piece in pieces:
                at = paragraph.plain.find(piece)
                if at < 0:
                    continue
                if (
                    not paragraph.sentences and paragraph.safety
                ):  # no sentence verdicts: the paragraph's
                    found += paragraph.categories
                for sentence in paragraph.sentences:
                    if sentence.safety and sentence.start < at + len(piece) and sentence.end > at:
                        found += sentence.categories
    return tuple(dict.fromkeys(category_label(c) for c in found))
