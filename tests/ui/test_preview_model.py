"""The File page's preview model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from ingest_gui.ui.models.preview import PreviewModel
from tests.core.factories import make_table

pytestmark = pytest.mark.gui


def test_model_passes_qtmodeltester(qtmodeltester):
    model = PreviewModel()
    qtmodeltester.check(model)
    model.set_table(make_table({"Email": ["a@x.es", "b@x.es"], "Plan": ["gold", ""]}))
    qtmodeltester.check(model)
    model.set_table(None)
    qtmodeltester.check(model)


def test_shows_at_most_the_limit_with_spreadsheet_row_numbers():
    table = make_table({"Email": [f"p{i}@x.es" for i in range(120)]}, header_row=3)
    model = PreviewModel(limit=50)
    model.set_table(table)
    assert model.rowCount() == 50
    assert model.total_rows == 120
    assert model.columnCount() == 1
    assert model.index(49, 0).data() == "p49@x.es"
    assert model.headerData(0, Qt.Orientation.Vertical) == "4"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Email"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
