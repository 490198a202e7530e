"""YAML front matter, loaded safely: plain data only, no aliases, bounded size."""

from __future__ import annotations

import re

import yaml

from viewer.core.errors import ArticleError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER_CHARS = 64 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases, so an alias bomb cannot expand."""

    def compose_node(self, parent, index):  # noqa: N802 - PyYAML's name
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"aliases are not allowed in front matter (line {event.start_mark.line + 1})")
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
        reason = " ".join(str(exc).split())
        raise ArticleError(f"front matter is not valid YAML: {reason[:160]}") from None
    except RecursionError:
        raise ArticleError("front matter is nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArticleError("front matter must be a mapping of keys to values")
    return {str(k): v for k, v in data.items()}, text[match.end():]


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
