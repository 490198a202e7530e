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
    from viewer.render.blocks import build_blocks

    print("\n".join(show_lines(build_blocks(article))))
    return 0


def _section_line(text: str, block, shown: bool = True) -> str:
    """'## Heading  (#anchor, kind)  [safety: ids]' for the block that opens a section."""
    section = block.section
    if section is None:
        return f"\n## {safe(text)}  (#{safe(block.anchor)})"
    where = f"#{safe(block.anchor or section.anchor)}, {section.kind}"
    if not shown:
        where += "; no heading on the page"
    marker = f"  [safety: {', '.join(section.categories)}]" if section.safety else ""
    return f"\n## {safe(text)}  ({where}){marker}"


def _paragraph_lines(block) -> list[str]:
    if block.paragraph is None:
        return []
    flag = "  [!] " if block.label else "  "  # a safety paragraph outside a safety section
    return ["", f"{flag}{safe(block.paragraph.plain, multiline=True)}"]


def show_lines(blocks) -> list[str]:
    """The text of `show`: the article's blocks in the order the page shows them, each with
    the data it carries (a section's anchor, kind and safety categories; a paragraph's plain
    text, the one search indexes and safety classifies). An inspection listing, not a layout:
    no marks or styling, but nothing the blocks do not hold either."""
    from viewer.render.blocks import BlockKind

    lines: list[str] = []
    for block in blocks.blocks:
        kind = block.kind
        if kind == BlockKind.TITLE:
            title = safe(block.text)
            lines += [title, "=" * min(len(title), 79)]
        elif kind == BlockKind.TOPICS:
            lines.append(f"Topics: {safe(', '.join(block.items))}")
        elif kind == BlockKind.NOTICE:
            lines.append(f"Note: {safe(block.text)}")
        elif kind == BlockKind.HEADING:
            lines.append(_section_line(block.text, block))
        elif kind in (BlockKind.SUMMARY, BlockKind.CALLOUT):
            heading = next((c for c in block.children if c.kind == BlockKind.HEADING), None)
            section = block.section
            text = heading.text if heading else section.heading if section else block.label
            lines.append(
                _section_line(text, block, shown=heading is not None or kind == BlockKind.SUMMARY)
            )
            for child in block.children:
                lines += _paragraph_lines(child)
        elif kind in (BlockKind.FOOTER, BlockKind.NOTES):
            continue
        else:
            if block.section is not None:  # an introduction: the page shows no heading for it
                lines.append(_section_line(block.section.heading, block, shown=False))
            lines += _paragraph_lines(block)
    return lines


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
