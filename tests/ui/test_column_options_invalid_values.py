"""The Map page's "When a value is invalid" column option: leave the value out or skip the row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ingest_gui.core.mapping import InvalidValuePolicy
from ingest_gui.ui.pages.mapping import MappingPage
from tests.ui.support_pages import contacts_table, session_for

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot):
    page = MappingPage(session_for(contacts_table()))
    qtbot.addWidget(page)
    page.initializePage()
    page.resize(1000, 700)
    return page


def map_column(page: MappingPage, column: str, target: str) -> None:
    columns, targets = page.column_model, page.target_model
    assert columns is not None
    assert targets is not None
    data = columns.mimeData([columns.index(columns.row_of(column), 0)])
    assert targets.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1,
                                targets.index(targets.row_of(target), 0))


def choose(combo, policy: InvalidValuePolicy) -> None:
    position = combo.findData(policy.value)
    assert position >= 0
    combo.setCurrentIndex(position)
    combo.activated.emit(position)


def test_invalid_values_are_left_out_by_default_and_a_column_can_skip_its_rows(page):
    map_column(page, "Customer id", "_user_id")
    map_column(page, "E-mail", "_email")
    page.select_column("E-mail")
    editor = page.options_editor
    combo = editor.invalid_values_combo
    assert editor._form.isRowVisible(combo)
    assert combo.currentData() == InvalidValuePolicy.LEAVE_OUT.value
    assert combo.currentText() == "Leave the value out"
    assert page.mapping.options_for("E-mail").invalid_values is InvalidValuePolicy.LEAVE_OUT

    choose(combo, InvalidValuePolicy.SKIP_ROW)
    assert page.mapping.options["E-mail"].invalid_values is InvalidValuePolicy.SKIP_ROW

    # The user id always skips its row when invalid: no choice to offer there.
    page.select_column("Customer id")
    assert not editor._form.isRowVisible(combo)
    # Back on the e-mail column, the choice made is shown.
    page.select_column("E-mail")
    assert combo.currentText() == "Skip the row"
    choose(combo, InvalidValuePolicy.LEAVE_OUT)
    assert page.mapping.options_for("E-mail").invalid_values is InvalidValuePolicy.LEAVE_OUT
