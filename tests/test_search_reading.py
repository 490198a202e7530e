"""How a query is read and ranked: words unless the syntax is meant, one-letter and code-like
tokens kept, word forms meeting through the stemmer, and spelling correction that leaves known
words and acronyms alone and does bounded work."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from viewer.core.library import Library
from viewer.search import SearchIndex
from viewer.search.query import parse
from viewer.search.reading import Coordinated
from viewer.search.schema import SectionAnalyzer

ARTICLES = {
    "nucleosomes": (
        "Nucleosome positioning",
        "Histone +1 nucleosomes sit just downstream of the start site.",
    ),
    "quadruplex": (
        "G-quadruplex structures",
        "A G - quadruplex forms in guanine-rich DNA; G-quadruplexes are stable.",
    ),
    "vitamin-d": (
        "Vitamin D and bones",
        "Vitamin D deficiency weakens bones; supplements of vitamin D help.",
    ),
    "vitamin-c": (
        "Vitamin C",
        "Vitamin C is found in citrus fruit and supports the immune system.",
    ),
    "gcsf": ("G-CSF in neutropenia", "G-CSF raises neutrophil counts after chemotherapy."),
    "csf": (
        "Cerebrospinal fluid",
        "CSF samples were taken by lumbar puncture; CSF protein was normal.",
    ),
    "htp": ("5-HTP and mood", "5-HTP is a serotonin precursor sold as a supplement."),
    "b12": ("B12 absorption", "B12 needs intrinsic factor; deficiency of B12 causes anaemia."),
    "tcells": ("T cells", "T cells recognise antigen; regulatory T cells dampen the response."),
    "activated": ("Macrophages", "Macrophages activated by interferon kill bacteria."),
    "domesticated": ("Dogs", "Dogs were domesticated from wolves long ago."),
    "merlin": (
        "Merlin protein",
        "Merlin is a tumour suppressor encoded by NF2; PGK is a glycolytic enzyme.",
    ),
    "medlin": ("Medlin", "Medlin and medlins are rare words here too."),
    "pg": ("Prostaglandins", "PG synthesis and pg levels rose."),
    "all-three": ("Sleep", "Melatonin improves sleep onset in older adults with insomnia."),
    "two": ("Melatonin", "Melatonin improves mood in some adults."),
    "one": ("Adults", "Most adults need seven hours."),
    "rxr": ("Nuclear receptors", "RXR forms a heterodimer with PPAR in the nucleus."),
    "tnf": ("Cytokines", "TNF-α and IFN-γ are raised in the inflamed joint."),
    "near": ("Survey one", "Low birth weight was common among newborns of young mothers there."),
    "apart": ("Survey two", "Low weight was common among newborns at birth of young mothers."),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reading-corpus")
    for name, (title, text) in ARTICLES.items():
        (folder / f"{name}.md").write_text(
            f'---\ntitle: "{title}"\n---\n\n{text}\n', encoding="utf-8"
        )
    index = SearchIndex.for_library(Library.load(folder), tmp_path_factory.mktemp("reading-cache"))
    index.ensure_current()
    yield index
    index.close()


def articles(index, query, **options) -> list[str]:
    return [hit.article for hit in index.search(query, limit=20, **options).hits]


def negated(q: wq.Query) -> bool:
    return isinstance(q, (wq.Not, wq.AndNot)) or (
        not q.is_leaf() and any(negated(c) for c in q.children())
    )


# -- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "+1 nucleosomes",
        "G - quadruplex",
        "a + b",
        "dna - rna",
        "x : y",
        "(bones",
        "bones)",
        '"vitamin',
        "vitamin*d",
        "^~ bones",
    ],
)
def test_stray_punctuation_is_never_an_operator(text):
    q = parse(text, SectionAnalyzer())
    assert q is not wq.NullQuery and not negated(q)


@pytest.mark.parametrize("text", ["bones -vitamin", "bones NOT vitamin", 'bones -"vitamin d"'])
def test_a_leading_minus_or_not_excludes_on_purpose(text):
    assert negated(parse(text, SectionAnalyzer()))


def test_stray_punctuation_never_empties_a_query(index):
    assert articles(index, "+1 nucleosomes")[0] == "nucleosomes"
    assert articles(index, "G - quadruplex")[0] == "quadruplex"


def test_or_quotes_and_fields_work_when_meant(index):
    assert set(articles(index, "neutrophil OR serotonin")) == {"gcsf", "htp"}
    assert articles(index, '"vitamin d"') == ["vitamin-d"]
    assert articles(index, "title:melatonin") == ["two"]
    assert "vitamin-d" not in articles(index, "vitamin -bones")


# -- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, article",
    [
        ("vitamin D", "vitamin-d"),
        ("vitamin C", "vitamin-c"),
        ("G-CSF", "gcsf"),
        ("5-HTP", "htp"),
        ("B12", "b12"),
        ("T cells", "tcells"),
    ],
)
def test_one_letter_and_alphanumeric_tokens_count(index, query, article):
    assert articles(index, query)[0] == article


@pytest.mark.parametrize(
    "plural, singular",
    [("RXRs", "RXR"), ("mRNAs", "mRNA"), ("DCs", "DC"), ("iPSCs", "iPSC"), ("CD4s", "CD4")],
)
def test_an_acronym_plural_meets_its_singular(plural, singular):
    # Snowball keeps the "s" of "rxrs" (no vowel before it): the plural is read from the case.
    analyzer = SectionAnalyzer()
    assert analyzer.terms(plural) == analyzer.terms(singular)


def test_only_an_acronym_loses_its_plural_s_by_case():
    analyzer = SectionAnalyzer()
    assert analyzer.terms("DOGS bus Cs") == ["dog", "bus", "cs"]  # the stemmer's, as before


def test_a_search_for_an_acronym_plural_finds_the_singular(index):
    assert articles(index, "RXRs")[0] == "rxr"
    assert articles(index, "PPAR-RXRs heterodimer")[0] == "rxr"


def test_greek_letters_meet_their_names(index):
    analyzer = SectionAnalyzer()
    assert analyzer.terms("TNF-α, IFN-γ, μ-opioid") == analyzer.terms(
        "TNF-alpha, IFN-gamma, mu-opioid"
    )
    assert articles(index, "TNF-alpha")[0] == "tnf"
    assert articles(index, "IFN-γ")[0] == "tnf"
    hit = index.search("TNF-alpha").hits[0]
    assert hit.terms == ["tnf α"] and ("TNF-α", True) in hit.spans  # the phrase as written


def test_a_split_word_is_a_phrase_of_its_parts(index):
    assert articles(index, "G-CSF") == ["gcsf"]  # not every text with a "g" or a "csf"
    assert set(articles(index, "CSF")) == {"csf", "gcsf"}


# -- ranking ---------------------------------------------------------------------------------


def test_all_words_first_then_most_of_them(index):
    assert articles(index, "melatonin insomnia adults") == ["all-three", "two", "one"]


def test_words_standing_together_rank_above_the_same_words_apart(index):
    # Both sections hold "birth" and "weight" once and are as long; one says "birth weight".
    assert articles(index, "birth weight")[:2] == ["near", "apart"]
    assert articles(index, "weight birth")[:2] == ["near", "apart"]


def test_plain_words_are_coordinated():
    assert isinstance(parse("melatonin insomnia adults", SectionAnalyzer()), Coordinated)


# -- stemming --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("activated", "activation"),
        ("domesticated", "domestication"),
        ("dosing", "dosage"),
        ("nucleosomes", "nucleosome"),
    ],
)
def test_word_forms_meet(a, b):
    analyzer = SectionAnalyzer()
    assert analyzer.term(a) == analyzer.term(b)


def test_a_search_finds_other_forms(index):
    assert articles(index, "activation")[0] == "activated"
    assert articles(index, "domestication")[0] == "domesticated"


# -- spelling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Merlin", "merlin", "PGK", "pgk enzyme", "NF2", "medlins", "G-CSF"]
)
def test_known_words_and_acronyms_are_never_rewritten(index, query):
    result = index.search(query)
    assert result.corrected is None and result.total > 0


def test_an_unknown_word_is_corrected(index):
    result = index.search("melatonn")
    assert result.corrected == "melatonin"
    assert result.hits


def test_correction_work_is_bounded(index, monkeypatch):
    from viewer.search.spelling import Vocabulary

    looked_up: list[str] = []
    original = Vocabulary._correct

    def counting(self, reader, analyzer, word):
        looked_up.append(word)
        return original(self, reader, analyzer, word)

    monkeypatch.setattr(Vocabulary, "_correct", counting)
    typos = "qwertyx asdfghx zxcvbnx poiuytx lkjhgfx mnbvcxx"
    index.search(typos)
    assert len(looked_up) <= 3  # a few unknown words per query, never all of a long one
    looked_up.clear()
    index.search(typos)
    assert looked_up == []  # answers are remembered for the index generation


def test_a_sentence_that_finds_something_is_not_rewritten(index, monkeypatch):
    from viewer.search.spelling import Vocabulary

    monkeypatch.setattr(
        Vocabulary, "_correct", lambda *args: pytest.fail("a correction was looked for")
    )
    result = index.search("melatonin improves sleep onset in older adultz")
    assert (
        result.corrected is None
        and articles(index, "melatonin improves sleep onset in older adultz")[0] == "all-three"
    )


def test_in_a_sentence_a_split_word_also_finds_its_parts(index):
    # "G-CSF" alone is the phrase; in a long query its parts count as any other word.
    hits = articles(index, "does G-CSF raise counts after chemotherapy in cerebrospinal fluid")
    assert hits[0] == "gcsf" and "csf" in hits


def test_among_other_words_a_split_word_also_finds_its_parts(index):
    # "G-CSF lumbar": the text with CSF and lumbar matches every word; the phrase alone follows.
    assert articles(index, "G-CSF lumbar")[:2] == ["csf", "gcsf"]


def test_in_a_sentence_a_split_word_is_its_parts_not_also_their_phrase():
    q = parse("does G-CSF raise counts after chemotherapy", SectionAnalyzer())
    assert not any(isinstance(part, wq.Phrase) for part in q.leaves())
