"""What every benchmark shares: the figure table, medians, corpora, and process measurements.

A figure is `(name, ours, baseline, target, met)`: `baseline` is measured in the same run (0 when
there is none), `target` a short text such as "<= 1.5x" or "< 50 ms" (None when the figure is
only informative), `met` True/False/None. The machine is shared and noisy, so figures are
medians of repeated runs and targets are judged on ratios where the issue gives one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.corpus_gen import ensure_corpus
from viewer.core.resources import bundled_corpus_dir

DATA_DIR = Path(__file__).resolve().parent / "_data"
ROOT = Path(__file__).resolve().parent.parent
SEED = 7

Figure = tuple  # (name, ours, baseline, target, met)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def figure(
    name: str, ours: float, baseline: float, target: str | None = None, met: bool | None = None
) -> Figure:
    return (name, ours, baseline, target, met)


def print_table(figures: list[Figure], title: str = "") -> None:
    if title:
        print(f"\n{title}")
    width = max([52] + [len(f[0]) for f in figures])
    print(f"{'figure':<{width}} {'ours':>10} {'baseline':>10} {'ratio':>7}  {'target':<16} met")
    for name, ours, base, target, met in figures:
        ratio = f"{ours / base:>6.2f}x" if base else f"{'-':>7}"
        verdict = "-" if met is None else ("yes" if met else "NO")
        print(f"{name:<{width}} {ours:>10.3f} {base:>10.3f} {ratio}  {target or '-':<16} {verdict}")


def bundled_corpus() -> Path:
    return bundled_corpus_dir()


def generated_corpus(articles: int) -> Path:
    """A seeded generated corpus in benchmarks/_data (git-ignored), reused between runs (the
    same folder the search benchmark uses)."""
    return ensure_corpus(DATA_DIR / f"gen-{articles}-{SEED}", articles, SEED)


def add_corpus_arguments(parser, default_articles: int) -> None:
    """--articles N (a generated corpus), or --corpus DIR with its --cache DIR."""
    parser.add_argument(
        "--articles",
        type=int,
        default=default_articles,
        help=f"corpus size (default {default_articles})",
    )
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder instead")
    parser.add_argument("--cache", type=Path, help="its --cache-dir (default: benchmarks/_data)")


def prepared_corpus(args) -> tuple[Path, Path]:
    """(corpus, cache) the arguments name, its catalogue and index built."""
    corpus = args.corpus or generated_corpus(args.articles)
    cache = args.cache or DATA_DIR / f"cache-{corpus.name}"
    prepare_cache(corpus, cache)
    return corpus, cache


def child_env() -> dict[str, str]:
    """The environment for measured processes: offscreen Qt, no user settings or caches."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("ARTICLE_VIEWER_CORPUS", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # An installed app starts from compiled bytecode (pip compiles it); so do the measured runs
    # once the warm-up run has written it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def prepare_cache(corpus: Path, cache_dir: Path) -> None:
    """Catalogue and search index built, as they are for a user on every start but the first."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "viewer",
            "--corpus",
            str(corpus),
            "--cache-dir",
            str(cache_dir),
            "index",
        ],
        check=True,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def peak_rss_mb() -> float:
    """This process's peak resident size (VmHWM), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
