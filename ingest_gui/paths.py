"""Where the app keeps its files.

Everything lives in the per-user directories platformdirs gives for the OS. Setting
``INGEST_GUI_HOME`` moves all of them under one folder (tests, portable installs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

_APP = "IngestWizard"
_AUTHOR = "Instasent"


def _home_override() -> Path | None:
    value = os.environ.get("INGEST_GUI_HOME")
    return Path(value) if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
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


def resources_dir() -> Path:
    """The top-level ``resources/`` folder, in a checkout or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
