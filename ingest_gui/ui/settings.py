"""GUI-only preferences (language, recent files, window geometry, how long automatic error logs
and undo snapshots are kept) in a QSettings INI file.

Saved connections are not here: they live in the Qt-free ``core.connections`` JSON so the
headless ``ingest-gui import`` can read them. The INI file sits in ``paths.config_dir()`` (not
the platform's default QSettings location) so ``INGEST_GUI_HOME`` isolates it like everything
else, and it never holds a token.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ingest_gui import paths

SETTINGS_FILE = "ingest-gui.ini"
#: "system", or a language code from ``i18n.SUPPORTED_LANGUAGES``.
LANGUAGE_KEY = "ui/language"
RECENT_FILES_KEY = "files/recent"
GEOMETRY_KEY = "window/geometry"
#: Days automatic error logs and undo snapshots are kept (0: until deleted by hand).
RETENTION_KEY = "privacy/retention_days"
MAX_RECENT_FILES = 8
#: The longest retention the Settings dialog offers (ten years).
MAX_RETENTION_DAYS = 3650


def gui_settings() -> QSettings:
    return QSettings(str(paths.config_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)


def language_choice() -> str:
    value = gui_settings().value(LANGUAGE_KEY, "system")
    return str(value) if value else "system"


def set_language_choice(choice: str) -> None:
    settings = gui_settings()
    settings.setValue(LANGUAGE_KEY, choice)
    settings.sync()


def retention_days() -> int:
    """How many days automatic error logs and undo snapshots are kept; 0 keeps them until the
    user deletes them (default :data:`ingest_gui.paths.ERROR_LOG_RETENTION_DAYS`)."""
    value = gui_settings().value(RETENTION_KEY, paths.ERROR_LOG_RETENTION_DAYS)
    try:
        days = int(str(value))
    except ValueError:
        return paths.ERROR_LOG_RETENTION_DAYS
    return min(max(days, 0), MAX_RETENTION_DAYS)


def set_retention_days(days: int) -> None:
    settings = gui_settings()
    settings.setValue(RETENTION_KEY, min(max(int(days), 0), MAX_RETENTION_DAYS))
    settings.sync()


def recent_files() -> list[Path]:
    """Most recent first; files that no longer exist are left out."""
    value = gui_settings().value(RECENT_FILES_KEY, [])
    if isinstance(value, str):  # QSettings returns a lone string for one-element lists
        value = [value]
    if not isinstance(value, list):
        return []
    return [Path(item) for item in value if isinstance(item, str) and Path(item).is_file()]


#: Files are added from the loading threads: one read-modify-write of the list at a time.
_recent_lock = threading.Lock()


def add_recent_file(path: Path) -> None:
    """Put ``path`` first in the recent files (safe to call from a worker thread: QSettings is
    reentrant and the list is updated under a lock)."""
    path = path.resolve()
    with _recent_lock:
        entries = [path, *(item for item in recent_files() if item != path)][:MAX_RECENT_FILES]
        settings = gui_settings()
        settings.setValue(RECENT_FILES_KEY, [str(item) for item in entries])
        settings.sync()


def window_geometry() -> QByteArray | None:
    value = gui_settings().value(GEOMETRY_KEY)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def set_window_geometry(geometry: QByteArray) -> None:
    settings = gui_settings()
    settings.setValue(GEOMETRY_KEY, geometry)
    settings.sync()
