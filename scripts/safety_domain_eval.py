"""Measure the article-level health check (viewer/core/safety_domain.py) as a held-out figure.

    .venv/bin/python scripts/safety_domain_eval.py labelled    # every labelled article: margins
    .venv/bin/python scripts/safety_domain_eval.py loso        # leave one split out
    .venv/bin/python scripts/safety_domain_eval.py thin        # the same, positive evidence
    .venv/bin/python scripts/safety_domain_eval.py combined    # the same, the whole verdict
    .venv/bin/python scripts/safety_domain_eval.py features    # evidence candidates, separation
    .venv/bin/python scripts/safety_domain_eval.py sweep DIR   # the veto's cost on SciFact
    .venv/bin/python scripts/safety_domain_eval.py scifact     # ../shared/bench/scifact abstracts
    .venv/bin/python scripts/safety_domain_eval.py machine     # README, copyright, stdlib docstrings
    .venv/bin/python scripts/safety_domain_eval.py trained DIR # the trained alternative, measured

The margin of an article is how far it is from the other verdict: for a health article, how
many more different words the strongest other domain would need before it vetoes (its
`min_other` and `ratio` rule); for a control, by how many words the veto is past that line.
Leave-one-split-out chooses `min_other` and `ratio` on four splits (the widest smallest margin
with every article right) and checks the fifth with them. The vocabularies themselves are not
refitted per fold (they were written from the control articles' topics, not their text).
On machine text, an article read as health is harmless only if nothing in it warns, so the
sentences that would flag are counted with the check forced to health.
"""

from __future__ import annotations

import ast
import gzip
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety_dev import SPLITS, load_seeds, load_split  # noqa: E402
from viewer.core.md_loader import load_markdown  # noqa: E402
from viewer.core.model import Article  # noqa: E402
from viewer.core.safety import SafetyClassifier  # noqa: E402
from viewer.core.safety_domain import HEALTH  # noqa: E402

# The shared benchmark data sits beside the checkout (../shared from /work/main); a worktree
# elsewhere passes the folder: `scifact /work/shared/bench/scifact`.
SCIFACT = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "scifact"


def counts(classifier: SafetyClassifier, article: Article) -> tuple[int, int, str]:
    """(different health words, different words of the strongest other domain, its name)."""
    breadth = classifier.domain_tally(article).breadth()
    health = breadth.pop(HEALTH)
    best = max(breadth, key=lambda name: breadth[name])
    return health, breadth[best], best


def needed(health: int, other: int, min_other: int, ratio: float, min_alone: int = 3) -> int:
    """Different words of its own the other domain still lacks for a veto (<= 0: it vetoes)."""
    return max(min_alone if health == 0 else min_other, math.floor(ratio * health) + 1) - other


def labelled(classifier: SafetyClassifier) -> dict[str, list[tuple[str, bool, int, int, str]]]:
    rows: dict[str, list[tuple[str, bool, int, int, str]]] = {}
    for split in (*SPLITS, "seeds"):
        items = load_seeds() if split == "seeds" else load_split(split)
        rows[split] = [(i.id, i.control, *counts(classifier, i.article)) for i in items.values()]
    return rows


def margin(row, min_other: int, ratio: float, min_alone: int = 3) -> int:
    """Positive when the article comes out right: words to spare before the verdict flips."""
    _, control, health, other, _ = row
    gap = needed(health, other, min_other, ratio, min_alone)  # > 0: read as health
    return 1 - gap if control else gap


def report_labelled(classifier: SafetyClassifier) -> None:
    """Per article, the other-domain rule's margin and the positive-evidence veto's (see
    thin_margin); an article is WRONG when the full verdict is (neither veto right for a
    control, either veto firing on a health article)."""
    rows = labelled(classifier)
    thin = {(s, r[0]): r for s, items in thin_rows(classifier).items() for r in items}
    check = classifier.domain
    worst: dict[tuple[str, bool], list[tuple[int, int, bool]]] = {}
    for split, items in rows.items():
        for row in items:
            m = margin(row, check.min_other, check.ratio, check.min_alone)
            t = thin_margin(thin[split, row[0]], check.min_health, check.min_words)
            right = (m > 0 or t > 0) if row[1] else (m > 0 and t > 0)
            print(
                f"{split:9} {'control' if row[1] else 'health ':7} {row[0]:42} health {row[2]:3} "
                f"{row[4]:11} {row[3]:3}  margin {m:+d} evidence margin {t:+d}"
                f"{'' if right else '  WRONG'}"
            )
            worst.setdefault((split, row[1]), []).append((m, t, right))
    for (split, control), ms in worst.items():
        print(
            f"{split:9} {'controls' if control else 'health  '} {len(ms):3} wrong "
            f"{sum(not r for *_, r in ms)} smallest margins: other domain "
            f"{min(m for m, *_ in ms):+d}, evidence {min(t for _, t, _ in ms):+d}"
        )


def loso(classifier: SafetyClassifier) -> None:
    """The other-domain rule alone (the positive-evidence veto has its own: `thin`).
    Per held-out split, `min_other` and `ratio` chosen on the other four two ways: fail-safe
    (every design article right, then the widest margin of the HEALTH articles: the most
    cautious veto that still catches every design control) and symmetric (the widest smallest
    margin of any article)."""
    rows = labelled(classifier)
    grid = [(m, r / 4) for m in range(3, 13) for r in range(2, 17)]
    objectives = {
        "fail-safe": lambda ms, hs: (sum(m > 0 for m in ms), min(hs)),
        "symmetric": lambda ms, _hs: (sum(m > 0 for m in ms), min(ms)),
    }
    for name, objective in objectives.items():
        for held in (s for s in rows if s != "seeds"):
            design = [row for s, items in rows.items() if s != held for row in items]

            def score(params, design=design, objective=objective):
                ms = [margin(row, *params) for row in design]
                hs = [m for m, row in zip(ms, design) if not row[1]]
                return (*objective(ms, hs), -abs(params[1] - 1.5), -abs(params[0] - 6))

            best = max(grid, key=score)
            controls = [margin(r, *best) for r in rows[held] if r[1]]
            health = [margin(r, *best) for r in rows[held] if not r[1]]
            print(
                f"{name} held {held:9} chosen min_other {best[0]:2} ratio {best[1]:.2f} "
                f"(design right {score(best)[0]}/{len(design)}): health right "
                f"{sum(m > 0 for m in health)}/{len(health)} (min margin {min(health):+d}), "
                f"controls right {sum(m > 0 for m in controls)}/{len(controls)} "
                f"(min margin {min(controls):+d})"
            )


def thin_rows(classifier: SafetyClassifier) -> dict[str, list[tuple[str, bool, int, int, bool]]]:
    """Per split: (id, control, health evidence, words of text, the other-domain rule's verdict)."""
    rows: dict[str, list[tuple[str, bool, int, int, bool]]] = {}
    check = classifier.domain
    for split in (*SPLITS, "seeds"):
        items = load_seeds() if split == "seeds" else load_split(split)
        for item in items.values():
            tally = classifier.domain_tally(item.article)
            health, other, _ = counts(classifier, item.article)
            ruled = needed(health, other, check.min_other, check.ratio, check.min_alone) > 0
            row = (item.id, item.control, tally.evidence(), tally.words, ruled)
            rows.setdefault(split, []).append(row)
    return rows


def thin_margin(row, min_health: int, min_words: int) -> int:
    """Positive when the positive-evidence veto alone gets the article right: different health
    words to spare before the verdict flips. A control too short for it is wrong here (its
    veto would rest on a listed domain), a health article too short for it is safe (99)."""
    _, control, evidence, words, _ = row
    if words < min_words:
        return -1 if control else 99
    return min_health - evidence if control else evidence - min_health + 1


def thin(classifier: SafetyClassifier) -> None:
    """Leave one split out for the positive-evidence veto: `min_health` and `min_words` chosen
    on five splits, fail-safe: the most design articles right, then the widest margin of the
    HEALTH articles (the most cautious veto that still catches every design control), then
    of the controls, then the veto that applies to the fewest texts (the most words); checked
    on the sixth."""
    rows = thin_rows(classifier)
    grid = [(h, w) for h in range(2, 10) for w in range(100, 401, 25)]
    for held in (s for s in rows if s != "seeds"):
        design = [row for s, items in rows.items() if s != held for row in items]

        def score(params, design=design):
            ms = [thin_margin(row, *params) for row in design]
            hs = [m for m, row in zip(ms, design) if not row[1]]
            cs = [m for m, row in zip(ms, design) if row[1]]
            return (sum(m > 0 for m in ms), min(hs), min(cs), params[1])

        best = max(grid, key=score)
        ms = [(thin_margin(r, *best), r) for r in rows[held]]
        health = [m for m, r in ms if not r[1]]
        controls = [m for m, r in ms if r[1]]
        print(
            f"held {held:9} chosen min_health {best[0]} min_words {best[1]} (design right "
            f"{score(best)[0]}/{len(design)}): health right {sum(m > 0 for m in health)}/"
            f"{len(health)} (min margin {min(health):+d}), controls right "
            f"{sum(m > 0 for m in controls)}/{len(controls)} (min margin {min(controls):+d})"
        )
    check = classifier.domain
    for split, items in rows.items():
        ms = [thin_margin(r, check.min_health, check.min_words) for r in items]
        wrong = [r[0] for m, r in zip(ms, items) if m <= 0]
        print(f"shipped ({check.min_health}, {check.min_words}) {split:9} wrong {wrong}")


def sure(check, tally) -> bool:
    """Whether the article's health words are too many and too frequent for any listed domain
    to veto it (safety_domain.py, `sure_density`)."""
    return tally.evidence() >= check.min_health and tally.density() >= check.sure_density


def evidence_rows(classifier: SafetyClassifier) -> dict[str, list[tuple]]:
    """Per split: (id, control, words of text, different health words, health-word share,
    whether the listed-domain rule alone vetoes it)."""
    rows: dict[str, list[tuple]] = {}
    check = classifier.domain
    for split in (*SPLITS, "seeds"):
        items = load_seeds() if split == "seeds" else load_split(split)
        for item in items.values():
            tally = classifier.domain_tally(item.article)
            health, other, _ = counts(classifier, item.article)
            listed = needed(health, other, check.min_other, check.ratio, check.min_alone) <= 0
            listed = listed and not sure(check, tally)
            row = (item.id, item.control, tally.words, tally.evidence(), tally.density(), listed)
            rows.setdefault(split, []).append(row)
    return rows


def evidence_margin(row, min_words: int, min_health: int, min_density: float) -> float:
    """The full verdict's margin with these evidence parameters (the listed-domain rule as
    shipped): > 0 right. Relative distances, so breadth, share and length weigh alike: a health
    article is as safe as its best evidence (or its shortness), a control as its weakest."""
    _, control, words, evidence, density, listed = row
    short = (min_words - words) / min_words
    broad = (evidence - min_health + 1) / min_health
    dense = (density - min_density) / min_density if min_density else 1.0
    if control:
        return 1.0 if listed else -max(short + 1e-9, broad, dense)
    return -1.0 if listed else max(short + 1e-9, broad, dense)


def combined(classifier: SafetyClassifier) -> None:
    """Leave one split out for the whole verdict: the evidence veto's `min_words`,
    `min_health` and `min_density` chosen on eight splits (the most design articles right,
    then the widest health margin, fail-safe, then the widest control margin), checked on
    the ninth; the listed domains' rule as shipped. `combined breadth` fixes the share rule
    off (the design before the health-word share), for the before/after comparison."""
    rows = evidence_rows(classifier)
    densities = [1.0] if "breadth" in sys.argv[2:] else [d / 1000 for d in range(5, 61, 5)]
    grid = [(w, h, d) for w in range(100, 301, 25) for h in range(3, 10) for d in densities]
    for held in SPLITS:
        design = [row for s, items in rows.items() if s != held for row in items]

        def score(params, design=design):
            ms = [evidence_margin(row, *params) for row in design]
            hs = [m for m, row in zip(ms, design) if not row[1]]
            cs = [m for m, row in zip(ms, design) if row[1]]
            return (sum(m > 0 for m in ms), round(min(hs), 3), round(min(cs), 3))

        best = max(grid, key=score)
        ms = [(evidence_margin(r, *best), r) for r in rows[held]]
        health = [r[0] for m, r in ms if not r[1] and m <= 0]
        controls = [r[0] for m, r in ms if r[1] and m <= 0]
        n_h = sum(not r[1] for r in rows[held])
        n_c = len(rows[held]) - n_h
        print(
            f"held {held:9} chosen words {best[0]} health {best[1]} share {best[2]:.3f} "
            f"(design right {score(best)[0]}/{len(design)}): health right "
            f"{n_h - len(health)}/{n_h}, controls right {n_c - len(controls)}/{n_c}"
            f"{'  wrong ' + ' '.join(health + controls) if health or controls else ''}"
        )
    check = classifier.domain
    shipped = (check.min_words, check.min_health, check.min_density)
    for split, items in rows.items():
        wrong = [r[0] for r in items if evidence_margin(r, *shipped) <= 0]
        print(f"shipped {shipped} {split:9} wrong {wrong}")


def article_features(classifier: SafetyClassifier, article: Article) -> dict[str, float]:
    """The candidate evidence of health measured on one article: breadth (different health
    words), share of its words, share of its sentences naming one, and its title naming one."""
    from viewer.core.phrases import tokenize
    from viewer.core.sentences import split_sentences

    check, stem = classifier.domain, classifier.domain.stemmer
    tally = check.tally()
    sentences = named = 0
    for paragraph in article.paragraphs():
        for start, end in split_sentences(paragraph.plain):
            tokens = tokenize(paragraph.plain[start:end], stem)
            before = tally.health_tokens
            tally.add(tokens)
            sentences += 1
            named += tally.health_tokens > before
    title = tokenize(article.title, stem)
    in_title = any(
        0 in (owners := check.domains_of(w, st)) and check.borrowed not in owners
        for w, st, punct in zip(title.words, title.stems, title.punct)
        if not punct
    )
    return {
        "breadth": tally.evidence(),
        "share of words": tally.density(),
        "share of sentences": named / sentences if sentences else 0.0,
        "title": float(in_title),
    }


def features(classifier: SafetyClassifier) -> None:
    """How well each candidate evidence of health separates every labelled split's health
    articles from its controls (the controls counted are those the breadth rule alone leaves
    to it, naming fewer than `min_health` different health words, and for breadth all)."""
    health: list[dict[str, float]] = []
    controls: list[tuple[str, dict[str, float]]] = []
    for split in (*SPLITS, "seeds"):
        items = load_seeds() if split == "seeds" else load_split(split)
        for item in items.values():
            found = article_features(classifier, item.article)
            if item.control:
                controls.append((item.id, found))
            else:
                health.append(found)
    few = classifier.domain.min_health
    for name in ("breadth", "share of words", "share of sentences", "title"):
        pool = controls if name == "breadth" else [c for c in controls if c[1]["breadth"] < few]
        top = max(pool, key=lambda c: c[1][name])
        low = min(h[name] for h in health)
        print(
            f"{name:18}: health articles at least {low:.3f}; controls at most "
            f"{top[1][name]:.3f} ({top[0]}; {len(pool)} controls)"
            f"{'  SEPARATES' if low > top[1][name] else '  overlaps'}"
        )


def sweep(classifier: SafetyClassifier) -> None:
    """What the evidence veto's `min_words` and `min_density` cost and buy outside the
    labelled set (which has no health article under 250 words, so leave-one-split-out cannot
    bound `min_words` from below): SciFact abstracts read as health, machine text as not."""
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else SCIFACT
    check = classifier.domain

    def measured(article: Article) -> tuple[int, int, float, bool]:
        tally = classifier.domain_tally(article)
        # Whether the listed-domain rule alone leaves it health (the evidence veto aside).
        health, other, _ = counts(classifier, article)
        listed = needed(health, other, check.min_other, check.ratio, check.min_alone) <= 0
        listed_ok = not listed or sure(check, tally)
        return tally.words, tally.evidence(), tally.density(), listed_ok

    abstracts = []
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = f"# {doc['title']}\n\n{doc['text']}\n"
            abstracts.append(measured(load_markdown(text, Path("a.md"), "a")))
    machine_rows = []
    for name, text in machine_texts():
        body = "\n\n".join(p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip())
        machine_rows.append(
            measured(load_markdown("# x\n\n" + body.replace("#", " "), Path(name), name))
        )

    def health_share(rows, words: int, density: float) -> float:
        kept = sum(
            ok and not (w >= words and ev < check.min_health and d < density)
            for w, ev, d, ok in rows
        )
        return kept / len(rows)

    for words in (250, 200, 175, 150, 125, 100):
        for density in (0.02, 0.03, 0.04, 1.0):
            print(
                f"min_words {words} min_density {'off' if density == 1.0 else density}: "
                f"scifact health {health_share(abstracts, words, density):.2%}, machine text "
                f"not health {1 - health_share(machine_rows, words, density):.2%}"
            )


def scifact(classifier: SafetyClassifier) -> None:
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else SCIFACT
    total = health = short = short_health = 0
    misses = []
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = f"# {doc['title']}\n\n{doc['text']}\n"
            article = load_markdown(text, Path(doc["_id"] + ".md"), doc["_id"])
            verdict = classifier.domain_of(article)
            words = len(doc["text"].split())
            total += 1
            health += verdict.health
            if words < 150:
                short += 1
                short_health += verdict.health
            if not verdict.health:
                misses.append((doc["_id"], verdict.reason(), doc["title"][:70]))
    print(
        f"scifact: {health}/{total} read as health ({health / total:.2%}); abstracts under 150 words: {short_health}/{short}"
    )
    for miss in misses[:20]:
        print("  not health:", *miss)


def machine_texts() -> list[tuple[str, str]]:
    texts = []
    docs = sorted(Path("/usr/share/doc").glob("*/README*")) + sorted(
        Path("/usr/share/doc").glob("*/copyright")
    )
    for path in docs:
        if path.suffix in {".gz", ".bz2", ".xz"} or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if len(text.split()) >= 30:
            texts.append((str(path), text))
    stdlib = Path(json.__file__).resolve().parent.parent
    for path in sorted(stdlib.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        docs_of = [
            ast.get_docstring(n)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        text = "\n\n".join(d for d in docs_of if d)
        if len(text.split()) >= 30:
            texts.append((str(path), text))
    return texts


def machine_kind(name: str) -> str:
    """Which kind of machine text a file of machine_texts() is."""
    if name.endswith(".py"):
        return "stdlib"
    return "copyright" if name.endswith("copyright") else "README"


def machine(classifier: SafetyClassifier) -> None:
    kinds: dict[str, list[int]] = {}
    flagged_total = 0
    listed = []
    for name, text in machine_texts():
        kind = machine_kind(name)
        body = "\n\n".join(p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip())
        article = load_markdown("# x\n\n" + body.replace("#", " "), Path(name), name)
        verdict = classifier.domain_of(article)
        flags = 0
        if verdict.health:
            classifier.annotate(article)
            flags = sum(1 for p in article.paragraphs() for s in p.sentences if s.safety)
            flagged_total += flags
            listed.append((name, flags))
        kinds.setdefault(kind, []).append(int(verdict.health))
    for kind, verdicts in kinds.items():
        print(
            f"{kind:9}: {len(verdicts) - sum(verdicts)}/{len(verdicts)} read as not health ({1 - sum(verdicts) / len(verdicts):.1%})"
        )
    print(f"sentences that would flag in the texts read as health: {flagged_total}")
    for name, flags in listed:
        print(f"  health: {name} ({flags} flagged sentences)")


def _stems(classifier: SafetyClassifier, article: Article) -> set[str]:
    from viewer.core.phrases import tokenize

    found: set[str] = set()
    for paragraph in article.paragraphs():
        tokens = tokenize(paragraph.plain, classifier.domain.stemmer)
        found.update(s for s, p in zip(tokens.stems, tokens.punct) if not p and s.isalpha())
    return found


class BernoulliNB:
    """The trained alternative that was measured against the rules: Bernoulli naive Bayes over
    the different stems of an article, health vs control (add-one smoothing)."""

    def __init__(self, samples: list[tuple[set[str], bool]]) -> None:
        self.n = {c: sum(1 for _, h in samples if h == c) for c in (True, False)}
        self.df: dict[bool, dict[str, int]] = {True: {}, False: {}}
        for stems, health in samples:
            for stem in stems:
                self.df[health][stem] = self.df[health].get(stem, 0) + 1
        self.vocab = set(self.df[True]) | set(self.df[False])

    def health_score(self, stems: set[str]) -> float:
        """log P(health | stems) - log P(control | stems), present words only (the usual
        shortcut for long documents: absent words add a constant per class)."""
        score = math.log(self.n[True] / self.n[False])
        for stem in stems & self.vocab:
            p_h = (self.df[True].get(stem, 0) + 1) / (self.n[True] + 2)
            p_c = (self.df[False].get(stem, 0) + 1) / (self.n[False] + 2)
            score += math.log(p_h / p_c)
        return score


def trained(classifier: SafetyClassifier) -> None:
    """Leave one split out with the trained alternative, then (trained on every labelled
    article) its verdicts on SciFact and on the machine's own text."""
    data: dict[str, list[tuple[str, set[str], bool]]] = {}
    for split in (*SPLITS, "seeds"):
        items = load_seeds() if split == "seeds" else load_split(split)
        data[split] = [(i.id, _stems(classifier, i.article), not i.control) for i in items.values()]
    for held in SPLITS:
        model = BernoulliNB([(s, h) for k, rows in data.items() if k != held for _, s, h in rows])
        rows = data[held]
        health = [model.health_score(s) > 0 for _, s, h in rows if h]
        controls = [model.health_score(s) <= 0 for _, s, h in rows if not h]
        print(
            f"trained, held {held:9}: health right {sum(health)}/{len(health)}, "
            f"controls right {sum(controls)}/{len(controls)}"
        )
    model = BernoulliNB([(s, h) for rows in data.values() for _, s, h in rows])
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else SCIFACT
    total = health_count = 0
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            article = load_markdown(f"# {doc['title']}\n\n{doc['text']}\n", Path("a.md"), "a")
            total += 1
            health_count += model.health_score(_stems(classifier, article)) > 0
    print(f"trained, scifact: {health_count}/{total} read as health ({health_count / total:.2%})")
    kinds: dict[str, list[bool]] = {}
    for name, text in machine_texts():
        kind = machine_kind(name)
        article = load_markdown("# x\n\n" + text.replace("#", " "), Path("a.md"), "a")
        kinds.setdefault(kind, []).append(model.health_score(_stems(classifier, article)) > 0)
    for kind, verdicts in kinds.items():
        print(
            f"trained, {kind}: {len(verdicts) - sum(verdicts)}/{len(verdicts)} read as not health"
        )


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "labelled"
    classifier = SafetyClassifier.load()
    {
        "labelled": report_labelled,
        "loso": loso,
        "scifact": scifact,
        "thin": thin,
        "combined": combined,
        "features": features,
        "sweep": sweep,
        "machine": machine,
        "trained": trained,
    }[what](classifier)
