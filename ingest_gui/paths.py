"""Where the app keeps its files, who may read them, and how long automatic ones stay.

Everything lives in the per-user directories platformdirs gives for the OS. Setting
``INGEST_GUI_HOME`` moves all of them under one folder (tests, portable installs).

The files hold customers' personal data (error logs, the journal, templates), so the app's
folders are private to the user: 0700 on POSIX (files written by the app: 0600). On Windows the
per-user folders (``%LOCALAPPDATA%``) already carry an ACL that only the user (and
administrators) can read; chmod there only sets the read-only flag, so it is left alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import platformdirs

_APP = "IngestWizard"
_AUTHOR = "Instasent"
#: Owner only; POSIX permissions of the app's folders and files.
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
#: Error logs the app writes on its own (the command line's default place) are deleted after
#: this many days; ones saved where the user chose are the user's.
ERROR_LOG_RETENTION_DAYS = 30
ERROR_LOGS_FOLDER = "error-logs"
_POSIX = os.name == "posix"


def _home_override() -> Path | None:
    value = os.environ.get("INGEST_GUI_HOME")
    return Path(value) if value else None


def _ensure(path: Path) -> Path:
    """``path`` created if missing, private to the user (a folder made by an older version with
    the default 0755 is tightened too)."""
    path.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    _make_private(path, PRIVATE_FOLDER_MODE)
    return path


def _make_private(path: Path, mode: int) -> None:
    # A file system without permissions (a FAT stick holding INGEST_GUI_HOME) refuses chmod.
    if _POSIX and path.stat().st_mode & 0o777 != mode:
        with contextlib.suppress(OSError):
            path.chmod(mode)


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for :func:`open` that creates a file readable by its owner only."""
    return os.open(path, flags, PRIVATE_FILE_MODE)


def create_private_file(path: Path) -> Path:
    """Create ``path`` empty and private if it does not exist (before another library, e.g.
    sqlite, creates it with the default 0644); an existing file is made private too."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                     PRIVATE_FILE_MODE))
    _make_private(path, PRIVATE_FILE_MODE)
    return path


def data_dir() -> Path:
    """Journal, templates and error logs."""
    home = _home_override()
    if home is not None:
        return _ensure(home / "data")
    return _ensure(Path(platformdirs.user_data_dir(_APP, _AUTHOR)))


def config_dir() -> Path:
    """Saved connections (ids only; tokens live in the OS keychain)."""
    home = _home_override()
    if home is not None:
        return _ensure(home / "config")
    return _ensure(Path(platformdirs.user_config_dir(_APP, _AUTHOR)))


def log_dir() -> Path:
    home = _home_override()
    if home is not None:
        return _ensure(home / "logs")
    return _ensure(Path(platformdirs.user_log_dir(_APP, _AUTHOR)))


def error_logs_dir() -> Path:
    """Where error logs written automatically go (subject to :func:`delete_expired_error_logs`)."""
    return _ensure(data_dir() / ERROR_LOGS_FOLDER)


def delete_expired_error_logs(max_age_days: int = ERROR_LOG_RETENTION_DAYS, *,
                              now: float | None = None) -> list[Path]:
    """Delete the automatic error logs last written more than ``max_age_days`` ago; return
    them. Files that cannot be deleted (open in Excel on Windows) are left for the next time.
    ``max_age_days`` of 0 or less keeps everything (retention switched off)."""
    if max_age_days <= 0:
        return []
    limit = (time.time() if now is None else now) - max_age_days * 86_400
    deleted = []
    for entry in os.scandir(error_logs_dir()):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                deleted.append(Path(entry.path))
        except OSError:
            continue
    return deleted


def resources_dir() -> Path:
    """The top-level ``resources/`` folder, in a checkout or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
