"""The Qt layer's tests run with the English catalogue installed, as the app does at start, so
count sentences read "1 row" / "2 rows" (English plural forms live in ingest_gui_en.qm)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ingest_gui.ui import i18n


@pytest.fixture(autouse=True)
def english_catalogue(qapp: QApplication) -> None:
    assert i18n.install_translators(i18n.SOURCE_LANGUAGE), "ingest_gui_en.qm did not load"
