"""What the reader remembers between runs: named keys, validation, and a read/save pair.

Values come from a QSettings store (a file in tests and with --settings FILE). Anything that
is missing or garbled falls back to its default with a logged warning, never an exception:
a damaged settings file must not stop the app from starting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QSettings

from viewer import APP_ID, APP_ORGANIZATION

log = logging.getLogger(__name__)

ORGANIZATION = APP_ORGANIZATION
APPLICATION = APP_ID

KEY_GEOMETRY = "window/geometry"
KEY_WINDOW_STATE = "window/state"
KEY_THEME = "reader/theme"
KEY_ZOOM = "reader/zoom_percent"
KEY_FONT_FAMILY = "reader/font_family"
KEY_LINE_SPACING = "reader/line_spacing_percent"
KEY_PAGE_WIDTH = "reader/page_width_chars"
KEY_ARTICLE = "session/article"
KEY_ANCHOR = "session/anchor"
KEY_SCROLL = "session/scroll_fraction"
KEY_CORPUS = "session/corpus"
KEY_EXPORT_FOLDER = "export/folder"
KEY_FIND_CASE = "find/match_case"
KEY_SAFETY_ONLY = "search/safety_only"
KEY_RECENT = "session/recent_corpora"

THEMES = ("system", "light", "dark", "high-contrast")
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP, ZOOM_DEFAULT = 50, 300, 10, 100
FONT_FAMILY_MAX = 200
LINE_SPACING_MIN, LINE_SPACING_MAX, LINE_SPACING_DEFAULT = 100, 250, 150
PAGE_WIDTH_MIN, PAGE_WIDTH_MAX, PAGE_WIDTH_DEFAULT = 40, 140, 70
RECENT_MAX = 8  # folders listed under File > Open Recent


def valid_theme(value: object) -> str:
    if isinstance(value, str) and value in THEMES:
        return value
    raise ValueError(f"unknown theme {value!r}")


def valid_zoom(value: object) -> int:
    number = int(float(str(value)))
    if not ZOOM_MIN <= number <= ZOOM_MAX:
        raise ValueError(f"zoom {number}% outside {ZOOM_MIN}-{ZOOM_MAX}%")
    return number


def _valid_range(low: int, high: int, what: str):
    def validate(value: object) -> int:
        number = int(float(str(value)))
        if not low <= number <= high:
            raise ValueError(f"{what} {number} outside {low}-{high}")
        return number

    return validate


valid_line_spacing = _valid_range(LINE_SPACING_MIN, LINE_SPACING_MAX, "line spacing")
valid_page_width = _valid_range(PAGE_WIDTH_MIN, PAGE_WIDTH_MAX, "page width")


def valid_fraction(value: object) -> float:
    number = float(str(value))
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"scroll position {number} outside 0-1")
    return number


def valid_text(value: object) -> str:
    if not isinstance(value, str) or len(value) > FONT_FAMILY_MAX * 20:
        raise ValueError(f"not a text value: {value!r}")
    return value


def valid_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValueError(f"not true/false: {value!r}")


def valid_folders(value: object) -> list[str]:
    """A list of folder paths (QSettings gives a lone value as a string, none as None)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise ValueError(f"not a list of folders: {value!r}")
    return [v for v in items if v][:RECENT_MAX]


def remember_folder(recent: list[str], folder: str) -> list[str]:
    """`recent` with `folder` moved to the front, without duplicates, at most RECENT_MAX long."""
    return ([folder] + [f for f in recent if f != folder])[:RECENT_MAX]


def valid_bytes(value: object) -> QByteArray:
    if isinstance(value, QByteArray):
        return value
    if isinstance(value, (bytes, bytearray)):
        return QByteArray(bytes(value))
    raise ValueError("not saved window layout data")


def zoom_step(current: int, direction: int) -> int:
    """The next zoom level up (+1) or down (-1), or the default for 0, within the limits."""
    if direction == 0:
        return ZOOM_DEFAULT
    return min(ZOOM_MAX, max(ZOOM_MIN, current + ZOOM_STEP * (1 if direction > 0 else -1)))


@dataclass
class ReaderSettings:
    """Everything remembered, with defaults; `read` and `save` move it to and from QSettings."""

    theme: str = "system"
    zoom: int = ZOOM_DEFAULT
    font_family: str = ""
    line_spacing: int = LINE_SPACING_DEFAULT
    page_width: int = PAGE_WIDTH_DEFAULT
    article: str = ""
    anchor: str = ""
    scroll: float = 0.0
    corpus: str = ""
    export_folder: str = ""
    find_case: bool = False
    safety_only: bool = False
    recent: list[str] = field(default_factory=list)
    geometry: QByteArray = field(default_factory=QByteArray)
    window_state: QByteArray = field(default_factory=QByteArray)


_FIELDS = (
    ("theme", KEY_THEME, valid_theme),
    ("zoom", KEY_ZOOM, valid_zoom),
    ("font_family", KEY_FONT_FAMILY, valid_text),
    ("line_spacing", KEY_LINE_SPACING, valid_line_spacing),
    ("page_width", KEY_PAGE_WIDTH, valid_page_width),
    ("article", KEY_ARTICLE, valid_text),
    ("anchor", KEY_ANCHOR, valid_text),
    ("scroll", KEY_SCROLL, valid_fraction),
    ("corpus", KEY_CORPUS, valid_text),
    ("export_folder", KEY_EXPORT_FOLDER, valid_text),
    ("find_case", KEY_FIND_CASE, valid_bool),
    ("safety_only", KEY_SAFETY_ONLY, valid_bool),
    ("recent", KEY_RECENT, valid_folders),
    ("geometry", KEY_GEOMETRY, valid_bytes),
    ("window_state", KEY_WINDOW_STATE, valid_bytes),
)


def open_store(path: str | None) -> QSettings:
    """The settings file given with --settings, or the user's usual settings."""
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def read_settings(store: QSettings) -> ReaderSettings:
    settings = ReaderSettings()
    for name, key, validate in _FIELDS:
        if not store.contains(key):
            continue
        raw = store.value(key)
        try:
            setattr(settings, name, validate(raw))
        except (TypeError, ValueError, ArithmeticError) as exc:  # "inf" overflows int()
            log.warning(
                "settings %s: ignoring %s (%s); using the default", store.fileName(), key, exc
            )
    return settings


def settings_problem(store: QSettings) -> str | None:
    """Why settings cannot be saved to the store (a read-only file or folder), or None."""
    if store.isWritable() and store.status() == QSettings.Status.NoError:
        return None
    return f"settings cannot be saved to {store.fileName()} (it is not writable); changes will not be remembered"


def save_settings(store: QSettings, settings: ReaderSettings) -> str | None:
    """Write the settings; returns a one-line reason when they could not be saved (also logged)."""
    for name, key, _validate in _FIELDS:
        store.setValue(key, getattr(settings, name))
    store.sync()
    if store.status() == QSettings.Status.NoError:
        return None
    problem = f"settings could not be saved to {store.fileName()} ({store.status().name})"
    log.warning("%s", problem)
    return problem
