"""A seeded generator of article collections in the seed .txt layout, for benchmarks.

Each article has the layout of the bundled seeds (ARCHITECTURE.md): a summary line, an intro
paragraph, a `- ` outline of three items, each item again as a heading line followed by its
paragraphs, and a last paragraph (the conclusion). Words are drawn from a Zipf distribution over a
vocabulary made of the bundled corpus's own words (most frequent first, so "kratom" and "withdrawal"
stay common) followed by generated pseudo-words (the long tail real collections have). The same
seed and count always give the same files, so two runs measure the same collection.

    python -m benchmarks.corpus_gen OUT_DIR --articles 2000 [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from collections import Counter
from pathlib import Path

from viewer.core.resources import bundled_corpus_dir

ZIPF_EXPONENT = 1.05  # close to natural English text
GENERATED_WORDS = 30_000  # the long tail beyond the bundled corpus's ~1,500 words
_SYLLABLES = (
    "ka",
    "to",
    "mi",
    "ra",
    "ne",
    "lo",
    "pe",
    "su",
    "di",
    "an",
    "or",
    "el",
    "ti",
    "va",
    "gen",
    "tor",
    "pha",
    "lin",
    "cor",
    "dex",
    "mun",
    "sta",
    "bri",
    "qua",
    "zen",
    "pro",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def bundled_words() -> list[str]:
    """The bundled corpus's words, most frequent first (front matter left out)."""
    counts: Counter[str] = Counter()
    for path in sorted(bundled_corpus_dir().glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[-1]
        counts.update(w.lower() for w in _WORD.findall(body))
    return [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def generated_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class ArticleWriter:
    """Writes articles whose words follow a Zipf distribution over one fixed vocabulary."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        base = bundled_words()
        self.vocabulary = base + generated_words(self.rng, GENERATED_WORDS, set(base))
        weights = [1.0 / (rank**ZIPF_EXPONENT) for rank in range(1, len(self.vocabulary) + 1)]
        self.cum_weights = list(itertools.accumulate(weights))
        # Headings and summaries lean on the content words of the bundled corpus, like the seeds.
        self.topic_words = [w for w in base[:600] if len(w) > 4]

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=count)

    def sentence(self) -> str:
        words = self.words(self.rng.randint(8, 24))
        if self.rng.random() < 0.5:  # keep the collection on topic, as the seeds are
            words[self.rng.randrange(len(words))] = self.rng.choice(self.topic_words)
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, sentences: tuple[int, int] = (4, 8)) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def heading(self) -> str:
        words = [self.rng.choice(self.topic_words) for _ in range(self.rng.randint(3, 7))]
        return " ".join(w.capitalize() for w in words)

    def article(self) -> str:
        headings: list[str] = []
        while len(headings) < 3:
            heading = self.heading()
            if heading not in headings:
                headings.append(heading)
        lines = [self.paragraph((2, 3)), self.paragraph((4, 6))]
        lines += [f"- {h}" for h in headings]
        for heading in headings:
            lines.append(heading)
            lines += [self.paragraph() for _ in range(2)]
        lines.append(self.paragraph((3, 5)))
        return "\n".join(lines) + "\n"


def write_corpus(folder: Path, articles: int, seed: int = 7) -> list[Path]:
    """Write `articles` .txt files into folder (created if needed); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = ArticleWriter(seed)
    paths = []
    for number in range(articles):
        path = folder / f"{number:05d}_{writer.rng.getrandbits(48):012x}.txt"
        path.write_text(writer.article(), encoding="utf-8")
        paths.append(path)
    return paths


def ensure_corpus(folder: Path, articles: int, seed: int = 7) -> Path:
    """Reuse a generated corpus of this size and seed if it is complete, else write it."""
    marker = folder / ".complete"
    expected = f"{articles} {seed}"
    if marker.is_file() and marker.read_text(encoding="utf-8") == expected:
        return folder
    for old in folder.glob("*.txt") if folder.is_dir() else ():
        old.unlink()
    write_corpus(folder, articles, seed)
    marker.write_text(expected, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a generated article collection (seed .txt layout)."
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out_dir, args.articles, args.seed)
    print(f"wrote {len(paths)} articles to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
