"""Before Qt starts on X11: are the system libraries of Qt's xcb platform plugin installed?

Without them Qt aborts with a multi-line message that names the wrong package ("xcb-cursor0 is
needed" even when that one is installed). Here the plugin is loaded with ctypes first (quick
when all is well); if that fails, `ldd` lists every missing library, and they become one line
naming the Debian/Ubuntu packages to install. Nothing here imports Qt: the point is to look
before QApplication is created.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

# Libraries PySide6's xcb plugin links, and the Debian/Ubuntu package that ships each.
DEBIAN_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_CTYPES_MISSING = re.compile(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file")


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, found without importing Qt (None if not there)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_from_ldd(output: str) -> list[str]:
    """The libraries `ldd` reports as "not found", each once, in the order listed."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def package_for(library: str) -> str:
    """The Debian package that ships a library (a guess from its name when not in the table)."""
    if library in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[library]
    match = re.match(r"(lib[\w+-]+?)\.so\.(\d+)", library)
    if not match:
        return library
    stem, version = match.group(1).lower(), match.group(2)
    return f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries the plugin needs and the system lacks.

    Loading the plugin is the quick test (Qt loads the same libraries a moment later anyway);
    only when that fails does `ldd` list every missing library, not just the first."""
    import ctypes

    try:
        ctypes.CDLL(str(plugin))
        return []
    except OSError as exc:
        found = _CTYPES_MISSING.search(str(exc))
        first = [found.group(1)] if found else []
    import subprocess  # only when the plugin cannot load: not on every start

    ldd = shutil.which("ldd")
    if ldd:
        try:
            result = subprocess.run(
                [ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False
            )
            return missing_from_ldd(result.stdout) or first
        except (OSError, subprocess.SubprocessError):
            pass
    return first


def advice(missing: list[str]) -> str:
    """One line: what is missing and the command that installs it."""
    packages = " ".join(dict.fromkeys(package_for(name) for name in missing))
    return (
        f"article-viewer: cannot open a window: Qt's X11 support needs {', '.join(missing)}; "
        f"install {'them' if len(missing) > 1 else 'it'} with: sudo apt install {packages} (or your system's equivalent)"
    )


def uses_xcb(environ=os.environ) -> bool:
    """Whether Qt will start its xcb (X11) plugin: Linux, and xcb asked for or an X-only session."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def platform_problem(environ=os.environ) -> str | None:
    """The one-line advice when Qt's X11 plugin would fail to load, else None."""
    if not uses_xcb(environ):
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None
    missing = missing_libraries(plugin)
    return advice(missing) if missing else None
