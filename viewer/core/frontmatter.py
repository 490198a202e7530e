"""YAML front matter, loaded safely: plain data only, no aliases, bounded size."""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from viewer.core.errors import ArticleError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER_CHARS = 64 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases, so an alias bomb cannot expand."""

    def compose_node(self, parent, index):  # noqa: N802 - PyYAML's name
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(
                f"on line {_file_line(event.start_mark)}, an alias (*name) is used; "
                "aliases are not allowed in front matter"
            )
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, body). No front matter gives ({}, text); a broken one raises ArticleError."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    source = match.group(1) or ""
    if len(source) > MAX_FRONT_MATTER_CHARS:
        raise ArticleError(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KB")
    try:
        data = yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ArticleError(f"front matter is not valid YAML: {yaml_problem(exc)}") from None
    except RecursionError:
        raise ArticleError("front matter is nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArticleError("front matter must be a mapping of keys to values")
    return {str(k): v for k, v in data.items()}, text[match.end() :]


_TAG = re.compile(r"tag '?tag:yaml\.org,2002:([^'\s]+)'?")
_TOKEN = re.compile(r"'?<([a-z ]+)>'?")
MAX_REASON_CHARS = 200


def _file_line(mark) -> int:
    return mark.line + 2  # the front matter starts on the line after the opening "---"


def yaml_problem(exc: yaml.YAMLError) -> str:
    """What is wrong, in words a writer understands, with the line of the file it is on
    (PyYAML's own message names "<unicode string>", draws a "^" and says "<stream end>")."""
    problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None)
    opened = getattr(exc, "context_mark", None)
    unclosed = (
        "<stream end>" in problem
        or "end of stream" in problem
        or "<document end>" in problem
        or any(kind in context for kind in ("flow sequence", "flow mapping", "quoted scalar"))
    )
    if unclosed and opened is not None:
        what = (
            "a quotation mark"
            if "quoted" in context
            else "a [ list"
            if "sequence" in context
            else "a { mapping"
            if "mapping" in context and "flow" in context
            else "something"
        )
        return f"{what} opened on line {_file_line(opened)} is never closed"
    tag = _TAG.search(problem)
    if tag:
        explanation = (
            f"the tag !!{tag.group(1)} is not allowed; front matter holds plain values only"
        )
    elif "mapping values are not allowed" in problem:
        explanation = 'a colon follows a value; put a value that contains ": " in quotes'
    elif "'\\t'" in problem or "\t" in problem:
        explanation = "a tab is used for indentation; indent with spaces"
    elif "<block end>" in problem or "<block mapping start>" in problem:
        explanation = "the indentation of the keys does not line up"
    else:
        explanation = _TOKEN.sub(lambda m: m.group(1), problem)
    where = f"on line {_file_line(mark)}, " if mark is not None else ""
    text = where + explanation
    if len(text) > MAX_REASON_CHARS:  # shortened at a word, never mid-word
        text = text[:MAX_REASON_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def as_text(value) -> str:
    """A front-matter value as a one-line string ('' for missing)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value)
    return " ".join(str(value).split())


def as_list(value) -> list[str]:
    """`topics: a, b`, `topics: [a, b]` or a single value, as a list of strings."""
    if value is None:
        return []
    items: Sequence[object]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        items = [value]
    return [t for t in (as_text(i) for i in items) if t]


def dump_front_matter(metadata: dict) -> str:
    """Front matter block for writing (importer, Markdown export)."""
    body = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{body}---\n"
