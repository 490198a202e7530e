"""Reading what a user typed into a Whoosh query: words unless the syntax is used on purpose.

Text is read as words. Only these are syntax, and only where they can be meant as such:

- `"a phrase"` (balanced quotes; a lone quote is punctuation),
- `-word` / `-"a phrase"` at the start of a word, and `NOT word` (upper case), exclude,
- `a OR b` (upper case) matches either; `AND` between two words requires both,
- `field:word` for the known fields (title, topic, section, text, article, kind, safety),
- `word*` completes a prefix, `( ... )` groups when the brackets balance.

Everything else is punctuation and never an operator: "+1 nucleosomes" is `1 nucleosomes`,
"G - quadruplex" is `g quadruplex`. A word that the analyzer splits ("G-CSF", "5-HTP") is a
phrase of its parts. One-letter words and digits are words ("vitamin D", "T cells").

Plain words are *coordinated*: in a short query a section matching more of them ranks higher
(Coordinated below), so all words first and then most of them, in one ranked list; a long query
(a sentence) is ranked by BM25 over its words. Among other words a split word also matches its
parts apart (see _loosened). Field clauses and `AND` are
required; exclusions are removed from whatever matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field

from whoosh import query as wq

from viewer.search.schema import DEFAULT_FIELD, WORD_PATTERN, SectionAnalyzer, fold

# User-facing field names -> schema fields.
FIELDS = {
    "title": "title",
    "topic": "topics",
    "topics": "topics",
    "section": "heading",
    "sections": "heading",
    "heading": "heading",
    "text": "body",
    "body": "body",
    "article": "article",
    "kind": "kind",
    "safety": "safety",
}
ID_FIELDS = frozenset(("article", "kind"))
MAX_DEPTH = 16  # deeper groups are read flat: brackets nobody types on purpose
# Score of a section matching m of n coordinated parts: BM25 sum * (m / n) ** power, where the
# power is COORD_POWER for two words and falls to 0 at COORD_UNTIL words. A short query is a set
# of words wanted together (all of them first); a long one is a sentence whose words are each
# evidence, where plain BM25 ranks best (on SciFact's claims any coordination cost nDCG).
COORD_POWER = 2.0
COORD_UNTIL = 5
_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?"(?P<phrase>[^"]*)"'
    r'|(?P<open>\()|(?P<close>\))|(?P<chunk>[^\s()"]+)'
)
_FIELD_CHUNK = re.compile(r"^([A-Za-z]+):(.*)$", re.S)
_OPERATORS = frozenset(("AND", "OR", "NOT"))
_TRUE = frozenset(("true", "yes", "1", "y", "t"))


class Coordinated(wq.Or):
    """Any of the parts, scored BM25 sum * (parts matched / parts) ** COORD_POWER.

    evaluate.py scores it; Whoosh's own searcher (for queries evaluate.py leaves to it) gets
    the same scores through `matcher` (whoosh_ext/scoring.py)."""

    def matcher(self, searcher, context=None):
        # Whoosh's matcher internals stay fenced in whoosh_ext (imported here: it imports nothing
        # of reading.py, but loading it only when Whoosh searches keeps plain searches lean).
        from viewer.search.whoosh_ext.scoring import coordinated_matcher

        return coordinated_matcher(self, searcher, context)

    def coordination(self, matched: int) -> float:
        parts = max(1, len(self.subqueries))
        power = COORD_POWER * max(0, COORD_UNTIL - parts) / (COORD_UNTIL - 2)
        return (matched / parts) ** power


@dataclass
class _Item:
    query: wq.Query
    negated: bool = False
    required: bool = False


@dataclass
class _Level:
    items: list[_Item] = dc_field(default_factory=list)


class QueryReader:
    """One query's reading against the index's analyzer and schema."""

    def __init__(self, analyzer: SectionAnalyzer, schema=None) -> None:
        self.analyzer = analyzer
        self.schema = schema

    def read(self, text: str) -> wq.Query:
        """The query for `text` (already cleaned), or wq.NullQuery if it holds nothing to find."""
        if text.count('"') % 2:  # a lone quote is punctuation: drop the last one
            cut = text.rfind('"')
            text = text[:cut] + " " + text[cut + 1 :]
        tokens = list(_TOKEN.finditer(text))
        if not _balanced(tokens):
            tokens = [t for t in tokens if not (t.group("open") or t.group("close"))]
        position, q = self._sequence(tokens, 0, 0, top=True)
        return q

    # -- grammar ---------------------------------------------------------------------------

    def _sequence(self, tokens, i: int, depth: int, top: bool = False):
        """Items up to a closing bracket (or the end): (next index, query)."""
        items: list[_Item] = []
        negate_next = join_or = join_and = False
        while i < len(tokens):
            token = tokens[i]
            if token.group("close"):
                if depth and not top:
                    i += 1
                    break
                i += 1
                continue
            chunk = token.group("chunk")
            if chunk in _OPERATORS:
                if chunk == "NOT":
                    negate_next = True
                elif items and not items[-1].negated:
                    join_or, join_and = chunk == "OR", chunk == "AND"
                i += 1
                continue
            i, item = self._item(tokens, i, depth)
            if item is None:
                negate_next = join_or = join_and = False
                continue
            item.negated = item.negated or negate_next
            if join_or and not item.negated and items:
                previous = items[-1]
                parts = (
                    list(previous.query.subqueries)
                    if type(previous.query) is wq.Or
                    else [previous.query]
                )
                previous.query = wq.Or(parts + [item.query])
            elif join_and and not item.negated and items:
                items[-1].required = item.required = True
                items.append(item)
            else:
                items.append(item)
            negate_next = join_or = join_and = False
        return i, self._combine(items, coordinate=top or depth == 0)

    def _item(self, tokens, i: int, depth: int):
        token = tokens[i]
        if token.group("open"):
            if depth >= MAX_DEPTH:
                return i + 1, None
            i, q = self._sequence(tokens, i + 1, depth + 1)
            return i, (None if q is wq.NullQuery else _Item(q))
        if token.group("phrase") is not None:
            fieldname = self._field(token.group("field"))
            words = WORD_PATTERN.findall(token.group("phrase"))
            q = self._words(words, fieldname or DEFAULT_FIELD, prefix=False, compound=False)
            if q is None:
                return i + 1, None
            return i + 1, _Item(q, negated=bool(token.group("neg")), required=fieldname is not None)
        chunk = token.group("chunk")
        negated = len(chunk) > 1 and chunk[0] == "-" and chunk[1].isalpha()
        body = chunk[1:] if negated else chunk.lstrip("+")
        fieldname = None
        matched = _FIELD_CHUNK.match(body)
        if matched and matched.group(1).lower() in FIELDS:
            fieldname = FIELDS[matched.group(1).lower()]
            body = matched.group(2)
            if not body and i + 1 < len(tokens) and tokens[i + 1].group("open"):
                i, q = self._sequence(tokens, i + 2, depth + 1)
                q = _refield(q, fieldname)
                return i, (None if q is wq.NullQuery else _Item(q, negated=negated, required=True))
        if fieldname in ID_FIELDS or fieldname == "safety":
            q = self._exact(fieldname, body)
        else:
            words = WORD_PATTERN.findall(body)
            q = self._words(words, fieldname or DEFAULT_FIELD, prefix=body.endswith("*"))
        if q is None:
            return i + 1, None
        return i + 1, _Item(q, negated=negated, required=fieldname is not None)

    # -- atoms ---------------------------------------------------------------------------

    def _field(self, name: str | None) -> str | None:
        return FIELDS.get(name.lower()) if name and name.lower() in FIELDS else None

    def _words(
        self, words: list[str], fieldname: str, prefix: bool, compound: bool = True
    ) -> wq.Query | None:
        """One word: a term; several (a phrase, or a word the analyzer splits): a phrase."""
        if not words:
            return None
        last = fold(words[-1])
        terms = [self.analyzer.term(fold(w)) for w in (words[:-1] if prefix else words)]
        terms = [t for t in terms if t]
        if prefix:
            completion = wq.Prefix(fieldname, last)
            if not terms:
                return completion
            return wq.And([_phrase(fieldname, terms, compound), completion])
        if not terms:
            return None
        return _phrase(fieldname, terms, compound)

    @staticmethod
    def _exact(fieldname: str, value: str) -> wq.Query | None:
        value = value.strip().rstrip("*")
        if not value:
            return None
        if fieldname == "safety":
            return wq.Term("safety", value.lower() in _TRUE)
        return wq.Term(fieldname, value.lower() if fieldname == "kind" else value)

    # -- combining -------------------------------------------------------------------------

    @staticmethod
    def _combine(items: list[_Item], coordinate: bool) -> wq.Query:
        positive = [it for it in items if not it.negated]
        excluded = [it.query for it in items if it.negated]
        required = [it.query for it in positive if it.required]
        soft = [it.query for it in positive if not it.required]
        parts = list(required)
        if soft:
            if len(soft) == 1:
                parts.append(soft[0])
            elif coordinate:
                sentence = len(soft) >= COORD_UNTIL  # (see COORD_POWER)
                parts.append(Coordinated([_loosened(part, sentence) for part in soft]))
            else:
                parts.extend(soft)  # inside brackets: every part required
        if not parts:
            return wq.NullQuery
        q = parts[0] if len(parts) == 1 else wq.And(parts)
        if excluded:
            q = wq.AndNot(q, excluded[0] if len(excluded) == 1 else wq.Or(excluded))
        return q


class Compound(wq.Phrase):
    """A word the analyzer splits ("G-CSF", "low-dose"), searched as a phrase of its parts."""


def _phrase(fieldname: str, terms: list[str], compound: bool = False) -> wq.Query:
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0])
    return Compound(fieldname, terms) if compound else wq.Phrase(fieldname, terms)


def _loosened(q: wq.Query, sentence: bool) -> wq.Query:
    """Among other words, a split word also matches its parts apart ("PPAR-RXRs" finds "PPAR and
    RXR", "low-dose" finds "a dose this low"), so recall is not lost to hyphens. In a short query
    the phrase ranks above the parts; in a sentence the split word is just its parts, as any other
    word: the phrase scored on top counted its words twice, and outweighed the claim's other
    words (SciFact: "AMP-activated protein kinase ..." ranked AMPK reviews above the answer)."""
    if isinstance(q, Compound):
        parts = [wq.Term(q.fieldname, w) for w in dict.fromkeys(q.words)]
        return wq.Or(parts if sentence else [q] + parts)
    return q


def _refield(q: wq.Query, fieldname: str) -> wq.Query:
    """`title:(a b)`: the group's words in that field."""
    if isinstance(q, (wq.Term, wq.Prefix)) and q.fieldname == DEFAULT_FIELD:
        return type(q)(fieldname, q.text, boost=q.boost)
    if isinstance(q, wq.Phrase) and q.fieldname == DEFAULT_FIELD:
        return wq.Phrase(fieldname, q.words, slop=q.slop, boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _refield(child, fieldname))


def _balanced(tokens) -> bool:
    depth = 0
    for token in tokens:
        if token.group("open"):
            depth += 1
        elif token.group("close"):
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def typed_words(text: str) -> list[str]:
    """The words of the query as typed (syntax left out), for spelling and highlighting."""
    words = []
    for match in _TOKEN.finditer(text):
        chunk = match.group("phrase") if match.group("phrase") is not None else match.group("chunk")
        if not chunk or chunk in _OPERATORS:
            continue
        field_match = _FIELD_CHUNK.match(chunk)
        if field_match and field_match.group(1).lower() in FIELDS:
            if FIELDS[field_match.group(1).lower()] in ID_FIELDS | {"safety"}:
                continue
            chunk = field_match.group(2)
        words.extend(WORD_PATTERN.findall(chunk))
    return words
