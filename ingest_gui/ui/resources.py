"""The app's own files shipped in ``resources/``: its icon (used by the application and the
window alike, so it lives apart from both)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from ingest_gui import paths


def app_icon() -> QIcon:
    return QIcon(str(paths.resources_dir() / "icons" / "app.svg"))
