"""Reading the values of the safety rules file (resources/safety.toml or a user's own): each
wrong value is one clear error naming the file and the setting, never a traceback."""

from __future__ import annotations

from viewer.core.errors import ViewerError
from viewer.core.safety_categories import SEVERITIES


def read_number(value, kind, where: str, path):
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ViewerError(f"the safety cue file {path}: {where} must be a number") from None


def read_severity(value, where: str, path) -> str:
    if value not in SEVERITIES:
        raise ViewerError(
            f"the safety cue file {path}: {where} severity must be one of {', '.join(SEVERITIES)}"
        )
    return value


def read_strings(value, where: str, path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ViewerError(f"the safety cue file {path} needs a list of words for {where}")
    return value
