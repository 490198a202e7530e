"""Where the annotation database lives when no Qt is around (the command line).

The same folder Qt's QStandardPaths.AppDataLocation gives the desktop app for the
organisation/application names in viewer/ui/settings.py, so the command line and the window
read the same file; $ARTICLE_VIEWER_DATA overrides both (tests, portable installs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from viewer import APP_ID, APP_ORGANIZATION

DATA_ENV = "ARTICLE_VIEWER_DATA"
ORGANIZATION = APP_ORGANIZATION  # the folder Qt's settings use too (viewer/ui/settings.py)
APPLICATION = APP_ID


def default_data_dir() -> Path:
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    home = Path(os.path.expanduser("~"))
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / ORGANIZATION / APPLICATION
