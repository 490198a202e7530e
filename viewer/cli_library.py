"""CLI handlers for the library: list, show, topics, import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from viewer.context import Context
from viewer.core.atomic import write_text_atomically
from viewer.core.errors import ArticleError, ViewerError
from viewer.core.importer import article_to_markdown
from viewer.core.library import read_article
from viewer.core.slug import slugify
from viewer.core.terminal import terminal_text as safe
from viewer.core.topics import Taxonomy
from viewer.jsonout import article_json, article_summary_json


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_list(args, context: Context) -> int:
    library = context.library()
    if args.json:
        _print_json(
            {
                "articles": [article_summary_json(a) for a in library.entries],
                "problems": [p.to_json() for p in library.problems],
            }
        )
        return 0
    if not library.entries:
        print(f"No articles in {safe(library.root)}.")
    for article in library.entries:
        safety = f", {len(article.safety_sections)} safety" if article.safety_sections else ""
        print(f"{safe(article.id)}  {safe(article.title)}")
        print(
            f"    {safe(', '.join(article.topics)) or 'no topics'} | {len(article.sections)} sections, "
            f"{article.words} words{safety}"
        )
    for problem in library.problems:
        print(f"problem: {safe(problem.path)}: {safe(problem.error)}", file=sys.stderr)
    return 0


def cmd_show(args, context: Context) -> int:
    article = context.library().get(args.id)
    if args.json:
        _print_json(article_json(article))
        return 0
    title = safe(article.title)
    print(title)
    print("=" * min(len(title), 79))
    if article.topics:
        print(f"Topics: {safe(', '.join(article.topics))}")
    for note in article.notes:
        print(f"Note: {safe(note)}")
    for section in article.sections:
        marker = f"  [safety: {', '.join(section.categories)}]" if section.safety else ""
        print(f"\n## {safe(section.heading)}  (#{safe(section.anchor)}, {section.kind}){marker}")
        for paragraph in section.paragraphs:
            flag = "  [!] " if paragraph.safety and not section.safety else "  "
            print(f"\n{flag}{safe(paragraph.plain, multiline=True)}")
    return 0


def cmd_topics(args, context: Context) -> int:
    library = context.library()
    tree = library.topic_tree()
    if args.json:
        _print_json({"topics": [node.to_json() for node in tree]})
        return 0

    def show(nodes, depth: int) -> None:
        for node in nodes:
            print(f"{'  ' * depth}{safe(node.name)} ({node.article_count()})")
            for article, anchors in node.articles:
                print(
                    f"{'  ' * (depth + 1)}- {safe(article.title)} [{safe(article.id)}] ({len(anchors)} sections)"
                )
            show(node.children, depth + 1)

    show(tree, 0)
    return 0


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key or not text.strip():
            raise ViewerError(f"{option} needs FILE=VALUE, got '{value}'")
        pairs[key] = text.strip()
    return pairs


def cmd_import(args, _context: Context) -> int:  # imports into a folder, not the collection
    titles = _pairs(args.title, "--title")
    names = _pairs(args.name, "--name")
    out_dir = Path(args.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    taxonomy = Taxonomy.load()
    failures = 0
    for source in args.sources:
        path = Path(source)
        try:
            article = read_article(path, slugify(path.stem))
        except ArticleError as exc:
            print(f"article-viewer: error: {safe(path)}: {safe(exc)}", file=sys.stderr)
            failures += 1
            continue
        article.title = titles.get(path.name, article.title)
        taxonomy.assign(article)
        target = out_dir / f"{names.get(path.name) or slugify(article.title)}.md"
        write_text_atomically(target, article_to_markdown(article, source=path.name))
        print(f"{safe(path)} -> {safe(target)}  ({safe(article.title)})")
    return 1 if failures else 0
