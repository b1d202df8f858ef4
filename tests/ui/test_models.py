"""The mapper's two models and the Check page's virtual problem-rows model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt

from ingest_gui.core.loading import LoadedTable
from ingest_gui.core.mapping import ImportKind, Mapping, Suggestion, targets_for
from ingest_gui.core.validation import ValidationResult, validate
from ingest_gui.ui.models.mapping import (
    COLUMN_MIME,
    TARGET_MIME,
    ColumnListModel,
    SuggestionRole,
    TargetTableModel,
    column_samples,
    decode_names,
    encode_names,
    sample_values,
)
from ingest_gui.ui.models.problems import ProblemRowsModel, SpreadsheetRowRole
from tests.core.factories import make_specs, make_table
from tests.ui.support_pages import CONTACT_COLUMNS, contacts_mapping, contacts_table

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


@pytest.fixture
def mapper(qapp):
    table = contacts_table()
    mapping = Mapping(ImportKind.CONTACTS)
    targets = targets_for(ImportKind.CONTACTS, make_specs())
    columns = ColumnListModel(table, mapping, targets)
    target_model = TargetTableModel(mapping, targets, table.headers)
    columns.mappingChanged.connect(target_model.refresh)
    target_model.mappingChanged.connect(columns.refresh)
    return table, mapping, columns, target_model


def target_index(model: TargetTableModel, key: str, column: int = 0) -> QModelIndex:
    return model.index(model.row_of(key), column)


# -- mapper models --------------------------------------------------------------------------
def test_mapper_models_pass_the_model_tester(qtmodeltester, mapper):
    _table, mapping, columns, targets = mapper
    qtmodeltester.check(columns)
    qtmodeltester.check(targets)
    mapping.assign("E-mail", "_email")
    targets.set_suggestions([Suggestion("Mobile", "_phone_mobile", 0.6, "values look like phones")])
    qtmodeltester.check(columns)
    qtmodeltester.check(targets)


def test_column_list_shows_sample_values_and_where_each_column_goes(mapper):
    _table, _mapping, columns, targets = mapper
    row = columns.row_of("E-mail")
    assert columns.index(row, ColumnListModel.NAME).data() == "E-mail"
    assert columns.index(row, ColumnListModel.SAMPLES).data() == \
        "ada@example.com, not-an-email, grace@example.com"
    assert columns.index(row, ColumnListModel.MAPPED_TO).data() == ""
    targets.assign("E-mail", "_email")
    email_label = targets.target_at(targets.row_of("_email")).label
    assert columns.index(row, ColumnListModel.MAPPED_TO).data() == email_label


def test_examples_of_sparse_columns_come_from_further_down(qapp):
    """Examples are looked for in the top rows first; a column without three there is scanned
    further, with the same result as scanning every column to 500 rows."""
    rows = 40
    table = make_table({
        "Dense": [f"d{n % 5}" for n in range(rows)],
        "Sparse": ["" if n < 30 else f"s{n}" for n in range(rows)],
        "Repeats": ["same" if n < 25 else f"r{n}" for n in range(rows)],
        "Empty": [""] * rows,
    })
    assert column_samples(table) == [sample_values(table, header) for header in table.headers]
    assert column_samples(table) == [["d0", "d1", "d2"], ["s30", "s31", "s32"],
                                     ["same", "r25", "r26"], []]
    columns = ColumnListModel(table, Mapping(ImportKind.CONTACTS), [])
    assert columns.index(columns.row_of("Sparse"), ColumnListModel.SAMPLES).data() == \
        "s30, s31, s32"


def test_targets_show_label_type_and_required_mark(mapper):
    _table, _mapping, _columns, targets = mapper
    user_id = targets.target_at(targets.row_of("_user_id"))
    assert user_id.required
    assert target_index(targets, "_user_id").data() == f"{user_id.label} *"
    assert target_index(targets, "_user_id").data(Qt.ItemDataRole.FontRole).bold()
    assert target_index(targets, "_email", TargetTableModel.TYPE).data() == "Email"
    assert target_index(targets, "interests", TargetTableModel.TYPE).data() == \
        "List of up to 5 (text)"
    tooltip = target_index(targets, "_email").data(Qt.ItemDataRole.ToolTipRole)
    assert "_email" in tooltip
    assert "Type: Email" in tooltip


def test_dropping_a_column_on_a_target_maps_it(qtbot, mapper):
    _table, mapping, columns, targets = mapper
    data = columns.mimeData([columns.index(columns.row_of("E-mail"), 0)])
    assert data.hasFormat(COLUMN_MIME)
    assert decode_names(data, COLUMN_MIME) == ["E-mail"]
    email = target_index(targets, "_email")
    assert targets.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1, email)
    with qtbot.waitSignals([targets.dataChanged, targets.mappingChanged], timeout=1000):
        assert targets.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1, email)
    assert mapping.assignments["_email"] == "E-mail"
    assert target_index(targets, "_email", TargetTableModel.COLUMN).data() == "E-mail"
    assert columns.index(columns.row_of("E-mail"), ColumnListModel.MAPPED_TO).data() != ""


def test_dropping_between_rows_or_on_nothing_is_refused(mapper):
    _table, mapping, columns, targets = mapper
    data = columns.mimeData([columns.index(0, 0)])
    assert not targets.canDropMimeData(data, Qt.DropAction.CopyAction, 2, 0, QModelIndex())
    assert not targets.dropMimeData(data, Qt.DropAction.CopyAction, 2, 0, QModelIndex())
    assert not targets.dropMimeData(QMimeData(), Qt.DropAction.CopyAction, -1, -1,
                                    target_index(targets, "_email"))
    assert mapping.assignments == {}


def test_dragging_a_target_back_onto_the_columns_unmaps_it(qtbot, mapper):
    _table, mapping, columns, targets = mapper
    targets.assign("E-mail", "_email")
    email = target_index(targets, "_email")
    assert targets.flags(email) & Qt.ItemFlag.ItemIsDragEnabled
    data = targets.mimeData([email])
    assert decode_names(data, TARGET_MIME) == ["_email"]
    assert columns.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    with qtbot.waitSignal(columns.mappingChanged, timeout=1000):
        assert columns.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert "_email" not in mapping.assignments
    assert target_index(targets, "_email", TargetTableModel.COLUMN).data() == ""
    # A column dragged onto the column list is not a drop it understands.
    assert not columns.canDropMimeData(encode_names(COLUMN_MIME, ["Plan"]),
                                       Qt.DropAction.CopyAction, -1, -1, QModelIndex())


def test_dropping_a_target_on_another_moves_its_column(mapper):
    _table, mapping, _columns, targets = mapper
    targets.assign("E-mail", "_email")
    data = targets.mimeData([target_index(targets, "_email")])
    assert targets.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1,
                                target_index(targets, "work_email"))
    assert mapping.assignments == {"work_email": "E-mail"}


def test_the_per_target_chooser_maps_and_unmaps(mapper):
    _table, mapping, _columns, targets = mapper
    cell = target_index(targets, "plan", TargetTableModel.COLUMN)
    assert targets.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert targets.setData(cell, "Plan")
    assert mapping.assignments["plan"] == "Plan"
    assert cell.data(Qt.ItemDataRole.EditRole) == "Plan"
    assert not targets.setData(cell, "No such column")
    assert targets.setData(cell, "")
    assert "plan" not in mapping.assignments


def test_suggestions_show_in_italics_and_are_accepted_with_one_action(mapper):
    _table, mapping, _columns, targets = mapper
    suggestion = Suggestion("Mobile", "_phone_mobile", 0.6, "values look like phone numbers")
    targets.set_suggestions([suggestion])
    cell = target_index(targets, "_phone_mobile", TargetTableModel.COLUMN)
    assert cell.data() == "Mobile (suggested)"
    assert cell.data(Qt.ItemDataRole.FontRole).italic()
    assert "values look like phone numbers" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(SuggestionRole) == suggestion
    assert "_phone_mobile" not in mapping.assignments  # only offered
    accept = target_index(targets, "_phone_mobile", TargetTableModel.SUGGESTION)
    assert accept.data() == "Accept"
    assert targets.accept_suggestion(accept.row())
    assert mapping.assignments["_phone_mobile"] == "Mobile"
    assert cell.data() == "Mobile"
    assert not cell.data(Qt.ItemDataRole.FontRole)
    assert targets.suggestions == {}


# -- problem rows ---------------------------------------------------------------------------
@pytest.fixture
def checked():
    table = make_table(CONTACT_COLUMNS)
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail", _phone_mobile="Mobile")
    return validate(table, mapping, make_specs())


def test_problem_rows_model_passes_the_model_tester(qtmodeltester, checked):
    model = ProblemRowsModel()
    qtmodeltester.check(model)
    model.set_result(checked)
    qtmodeltester.check(model)
    model.set_kind_filter("invalid_email")
    qtmodeltester.check(model)


def test_problem_rows_show_the_file_with_problem_cells_highlighted(checked):
    model = ProblemRowsModel()
    model.set_result(checked)
    # Rows 3 and 5 of the sheet (frame rows 1 and 3) have bad e-mails.
    assert model.rowCount() == 2
    assert [model.index(row, 0).data() for row in range(2)] == [3, 5]
    assert model.index(0, 0).data(SpreadsheetRowRole) == 3
    email_column = ProblemRowsModel.FIRST_FILE_COLUMN + checked.table.headers.index("E-mail")
    assert model.headerData(email_column, Qt.Orientation.Horizontal) == "E-mail"
    cell = model.index(0, email_column)
    assert cell.data() == "not-an-email"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert cell.data(Qt.ItemDataRole.ToolTipRole)
    plain = model.index(0, ProblemRowsModel.FIRST_FILE_COLUMN)  # "Customer id"
    assert plain.data() == "C-2"
    assert plain.data(Qt.ItemDataRole.BackgroundRole) is None
    # The Problems column leaves out the row, already in the Row column; the tooltip is whole.
    message = 'column "E-mail": "not-an-email" is not an e-mail address'
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == f"Row 3, {message}"
    problems = model.index(0, ProblemRowsModel.PROBLEMS)
    assert problems.data() == message[0].upper() + message[1:]
    assert problems.data(Qt.ItemDataRole.ToolTipRole) == f"Row 3, {message}"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0


def test_filtering_by_kind_shows_only_rows_with_that_problem(checked):
    model = ProblemRowsModel()
    model.set_result(checked)
    model.set_kind_filter("no_such_kind")
    assert model.rowCount() == 0
    model.set_kind_filter(None)
    assert model.rowCount() == 2


def email_cell(model: ProblemRowsModel, result: ValidationResult, row: int) -> QModelIndex:
    return model.index(row, ProblemRowsModel.FIRST_FILE_COLUMN
                       + result.table.headers.index("E-mail"))


def test_editing_a_cell_rechecks_that_row(qtbot, checked):
    model = ProblemRowsModel()
    model.set_result(checked)
    cell = email_cell(model, checked, 0)
    assert model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.resultChanged, timeout=WAIT_MS) as blocker:
        assert model.setData(cell, "fixed@example.com")
    result = blocker.args[0]
    assert checked.table.frame.at[1, "E-mail"] == "fixed@example.com"
    assert result.valid[1]
    assert cell.data() == "fixed@example.com"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(0, ProblemRowsModel.PROBLEMS).data() == "Fixed"
    assert model.rowCount() == 2  # stays in view until the filter changes
    # Counted on the worker, for the page's summary: one invalid e-mail left.
    assert model.counts.by_kind == result.problem_counts() == {"invalid_email": 1}
    assert model.counts.warnings == 0
    qtbot.waitUntil(lambda: not model.is_checking, timeout=WAIT_MS)
    assert not model.setData(cell, "fixed@example.com")  # no change, nothing to check


def test_an_edit_is_rechecked_off_the_gui_thread_and_shown_meanwhile(qtbot, checked,
                                                                    monkeypatch):
    from ingest_gui.core import validation

    threads: list[int] = []
    real = validation.revalidate_rows

    def recorded(result, frame_rows):
        threads.append(threading.get_ident())
        return real(result, frame_rows)

    monkeypatch.setattr(validation, "revalidate_rows", recorded)
    model = ProblemRowsModel()
    model.set_result(checked)
    cell = email_cell(model, checked, 0)
    states: list[bool] = []
    model.checkingChanged.connect(states.append)
    assert model.setData(cell, "fixed@example.com")
    assert states == [True]
    # Shown at once, marked as being checked; the result comes back through the event loop.
    assert cell.data() == "fixed@example.com"
    assert cell.data(Qt.ItemDataRole.EditRole) == "fixed@example.com"
    problems = model.index(0, ProblemRowsModel.PROBLEMS)
    assert problems.data() == "Checking…"
    assert problems.data(Qt.ItemDataRole.ToolTipRole) == \
        "This row is being checked again with your edit."
    assert model.is_checking
    qtbot.waitUntil(lambda: states == [True, False], timeout=WAIT_MS)
    assert not model.is_checking
    assert threads
    assert threading.get_ident() not in threads
    assert problems.data() == "Fixed"


def test_edits_made_during_a_recheck_queue_for_the_next_one(qtbot, checked, monkeypatch):
    from ingest_gui.core import validation

    batches: list[list[int]] = []
    real = validation.revalidate_rows

    def recorded(result, frame_rows):
        batches.append(list(frame_rows))
        return real(result, frame_rows)

    monkeypatch.setattr(validation, "revalidate_rows", recorded)
    model = ProblemRowsModel()
    model.set_result(checked)
    results = []
    model.resultChanged.connect(results.append)
    assert model.setData(email_cell(model, checked, 0), "first@example.com")
    # The first re-check has started: these two wait, then go together.
    assert model.setData(email_cell(model, checked, 1), "second@example.com")
    assert model.setData(email_cell(model, checked, 0), "first-again@example.com")
    assert email_cell(model, checked, 0).data() == "first-again@example.com"
    qtbot.waitUntil(lambda: not model.is_checking, timeout=WAIT_MS)
    assert batches == [[1], [1, 3]]
    assert len(results) == 2
    assert results[-1] is model.result
    assert model.result.invalid_count == 0
    frame = checked.table.frame
    assert (frame.at[1, "E-mail"], frame.at[3, "E-mail"]) == \
        ("first-again@example.com", "second@example.com")
    assert [model.index(row, ProblemRowsModel.PROBLEMS).data() for row in range(2)] == \
        ["Fixed", "Fixed"]


def test_held_edits_wait_and_settling_writes_them_unchecked(qtbot, checked):
    model = ProblemRowsModel()
    model.set_result(checked)
    model.hold_rechecks(True)
    assert model.setData(email_cell(model, checked, 0), "fixed@example.com")
    assert model.is_checking
    assert checked.table.frame.at[1, "E-mail"] == "not-an-email"  # nobody writes while held
    model.settle_edits()
    assert checked.table.frame.at[1, "E-mail"] == "fixed@example.com"
    assert not model.is_checking
    assert model.result is checked  # not checked: the caller checks the whole table next
    model.hold_rechecks(False)
    assert not model.is_checking


def test_an_edit_the_core_cannot_check_is_undone_with_a_sentence(qtbot, checked, monkeypatch):
    from ingest_gui.core import validation

    def refuse(result, frame_rows):
        raise ValueError("the check failed")

    monkeypatch.setattr(validation, "revalidate_rows", refuse)
    model = ProblemRowsModel()
    model.set_result(checked)
    cell = email_cell(model, checked, 0)
    with qtbot.waitSignal(model.editFailed, timeout=WAIT_MS) as failed:
        assert model.setData(cell, "fixed@example.com")
    assert failed.args == ["Row 3 could not be checked again: the check failed"]
    qtbot.waitUntil(lambda: not model.is_checking, timeout=WAIT_MS)
    assert checked.table.frame.at[1, "E-mail"] == "not-an-email"
    assert cell.data() == "not-an-email"
    assert model.result is checked


def test_a_million_problem_rows_cost_arrays_not_objects(qapp):
    """The model must not build anything per row: set_result and data() stay fast."""
    rows = 1_000_000

    def repeated(text: str) -> pd.Series:
        return pd.Series([text], dtype="str").repeat(rows).reset_index(drop=True)

    table = LoadedTable(path=Path("big.csv"), frame=pd.DataFrame({"Email": repeated("x")}),
                        row_numbers=np.arange(2, rows + 2, dtype=np.int64), header_row=1,
                        original_headers=("Email",), format="csv", fingerprint="0" * 64)
    problems = pd.DataFrame({
        "row": np.arange(2, rows + 2, dtype=np.int64),
        "column": repeated("Email"),
        "value": repeated("x"),
        "message": repeated("Not an e-mail address."),
        "severity": repeated("error"),
        "kind": repeated("invalid_email"),
    })
    mapping = Mapping(ImportKind.CONTACTS, assignments={"_email": "Email"})
    result = ValidationResult(table=table, mapping=mapping, specs=make_specs(),
                              values=pa.table({"_email": pa.nulls(rows, pa.string())}),
                              valid=np.zeros(rows, dtype=bool), problems=problems)
    model = ProblemRowsModel()
    started = time.perf_counter()
    model.set_result(result)
    assert model.rowCount() == rows
    assert model.index(rows - 1, 0).data() == rows + 1
    assert model.index(rows - 1, 2).data(Qt.ItemDataRole.ToolTipRole) == \
        "Not an e-mail address."
    for row in range(0, rows, rows // 200):  # a screenful of cells, spread over the file
        model.index(row, 2).data(Qt.ItemDataRole.BackgroundRole)
    model.set_kind_filter("invalid_email")
    assert model.rowCount() == rows
    # Building a Python object per row would take many seconds here.
    assert time.perf_counter() - started < 3.0
