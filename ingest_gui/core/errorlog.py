"""Error logs a marketer can open in Excel, fix and re-import.

Format: every original column in order, then ``Row`` (the row in the original spreadsheet) and
``Errors`` (the messages joined with ``" | "``), one line per row with problems, in row order.

Formula safety: a spreadsheet program runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as
a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``). XLSX cells are all written as explicit
text, so nothing is ever a formula there and values stay unchanged. CSV has no types, so a value
that could run is prefixed with an apostrophe (``'=HYPERLINK(...)``) — but plain numbers and
phones (``-12,5``, ``+34 600 000 000``) are left alone. Re-importing our own CSV error log strips
exactly the apostrophes we added (:func:`restore_neutralised`, :func:`strip_error_log_columns`).
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest_gui.core.loading import LoadedTable
from ingest_gui.texts import QT_TRANSLATE_NOOP, fill, group_thousands, translate, translate_marked

if TYPE_CHECKING:
    import numpy as np

ROW_COLUMN = QT_TRANSLATE_NOOP("ErrorLog", "Row")
ERRORS_COLUMN = QT_TRANSLATE_NOOP("ErrorLog", "Errors")
SHEET_NAME = QT_TRANSLATE_NOOP("ErrorLog", "Error log")
# The Spanish names, recognised on re-import whatever the language now (a log written in
# Spanish re-imported with the app in English, or the other way round).
_SPANISH_NAMES = {ROW_COLUMN: "Fila", ERRORS_COLUMN: "Errores"}
MESSAGE_SEPARATOR = " | "
#: What one XLSX cell can hold (Excel's limit; openpyxl would silently cut the rest).
XLSX_MAX_CELL_CHARS = 32_767
#: Added before a CSV value a spreadsheet program would run as a formula.
NEUTRALISING_PREFIX = "'"

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Values that start like a formula but are only a number or a phone: no letters, so no
# function call or DDE command can hide in them. Left untouched in CSV.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d.,]*|[.,]\d[\d.,]*)(?:[eE][+-]?\d+)?%?")
_PLAIN_PHONE = re.compile(r"\+\(?\d[\d ().\-/]*")
# A lone sign is what people type for "nothing"; no spreadsheet runs it.
_LONE_SIGNS = frozenset({"+", "-"})
# Characters XML 1.0 cannot hold; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Strings openpyxl would store as an error value, not text.
_EXCEL_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def _would_run(value: str) -> bool:
    """True when a spreadsheet program could evaluate ``value`` as a formula."""
    if not value.startswith(_FORMULA_TRIGGERS) or value in _LONE_SIGNS:
        return False
    return not (_PLAIN_NUMBER.fullmatch(value) or _PLAIN_PHONE.fullmatch(value))


def needs_neutralising(value: str) -> bool:
    """True when :func:`neutralise` prefixes ``value`` in a CSV error log.

    A formula-like value is prefixed; so is one that already starts with apostrophes in front of
    a formula-like value (``'=A1`` becomes ``''=A1``), so that :func:`restore_neutralised` can
    always tell our apostrophe from one that was in the file.
    """
    return _would_run(value.lstrip(NEUTRALISING_PREFIX))


def neutralise(value: str) -> str:
    """The CSV form of ``value``: apostrophe-prefixed when a spreadsheet could run it."""
    return NEUTRALISING_PREFIX + value if needs_neutralising(value) else value


def restore_neutralised(value: str) -> str:
    """Undo :func:`neutralise`: ``restore_neutralised(neutralise(v)) == v`` for every ``v``.

    Only an apostrophe in front of a value that would be neutralised again is removed, so a
    value that merely starts with an apostrophe ("'til dawn") is kept as it is.
    """
    if value.startswith(NEUTRALISING_PREFIX) and needs_neutralising(value[1:]):
        return value[1:]
    return value


def log_column_names() -> tuple[str, str]:
    """The row and errors column names of a log written now, in the user's language."""
    return translate_marked("ErrorLog", ROW_COLUMN), translate_marked("ErrorLog", ERRORS_COLUMN)


def _recognised_names(name: str) -> set[str]:
    """The names ``name`` (``ROW_COLUMN`` or ``ERRORS_COLUMN``) has had in any language."""
    return {name, _SPANISH_NAMES[name], translate_marked("ErrorLog", name)}


def is_error_log(headers: Sequence[str]) -> bool:
    """True when ``headers`` are those of an error log this app wrote (ending Row, Errors, in
    English or Spanish, whatever the language of the app now)."""
    return (len(headers) >= 2 and str(headers[-2]).strip() in _recognised_names(ROW_COLUMN)
            and str(headers[-1]).strip() in _recognised_names(ERRORS_COLUMN))


def strip_error_log_columns(table: LoadedTable) -> LoadedTable:
    """The table without the ``Row`` and ``Errors`` columns an error log adds, with the values
    of a CSV log restored (:func:`restore_neutralised`). Row numbers stay the error log's own,
    so messages name the rows of the file being imported. Any other table is returned as is.
    """
    if not is_error_log(table.headers):
        return table
    frame = table.frame.iloc[:, :-2].copy()
    restore = table.format == "csv"
    if restore:
        for name in frame.columns:
            column = frame[name]
            marked = column.str.startswith(NEUTRALISING_PREFIX).fillna(False).to_numpy(dtype=bool)
            if marked.any():
                restored = [restore_neutralised(str(value)) for value in column[marked]]
                frame.loc[marked, name] = restored
        headers = [restore_neutralised(str(name)) for name in frame.columns]
        if len(set(headers)) == len(headers):
            frame.columns = headers
    original = list(table.original_headers)
    if is_error_log(original):
        original = original[:-2]
    if restore:
        original = [restore_neutralised(header) for header in original]
    note = fill(translate(
        "ErrorLog", "{file} is an error log written by this app: its “{row_column}” and "
        "“{errors_column}” columns are left out of the import."),
        file=table.path.name, row_column=str(table.headers[-2]).strip(),
        errors_column=str(table.headers[-1]).strip())
    return dataclasses.replace(
        table,
        frame=frame.reset_index(drop=True),
        original_headers=tuple(original),
        notes=(*table.notes, note),
    )


def _frame_positions(row_numbers: np.ndarray, rows: list[int]) -> list[int | None]:
    """The frame index of each spreadsheet row, ``None`` where the table has no such row."""
    import numpy as np

    numbers = np.asarray(row_numbers, dtype=np.int64)
    if len(numbers) == 0:
        return [None] * len(rows)
    if bool(np.all(numbers[1:] > numbers[:-1])):
        wanted = np.asarray(rows, dtype=np.int64)
        found = np.minimum(np.searchsorted(numbers, wanted), len(numbers) - 1)
        hits = numbers[found] == wanted
        return [int(f) if hit else None for f, hit in zip(found.tolist(), hits.tolist(),
                                                          strict=True)]
    index = {int(number): position for position, number in enumerate(numbers.tolist())}
    return [index.get(row) for row in rows]


def _log_rows(table: LoadedTable, messages_by_row: Mapping[int, Sequence[str]],
              nothing_to_fix: Mapping[int, Sequence[str]] | None = None,
              ) -> tuple[list[str], list[list[Any]]]:
    """Header and rows (original cells as text, the row number, the joined messages): the
    rows to fix, then the rows with nothing to fix, each in row order."""
    headers = [*table.headers, *log_column_names()]
    last = nothing_to_fix or {}
    if last:
        messages_by_row = {**messages_by_row, **{
            row: [*messages_by_row.get(row, ()), *notes] for row, notes in last.items()}}
    rows = sorted((int(row) for row in messages_by_row), key=lambda row: (row in last, row))
    positions = _frame_positions(table.row_numbers, rows)
    present = [position for position in positions if position is not None]
    width = len(table.headers)
    columns: list[list[str]] = []
    if present:
        subset = table.frame.iloc[present]
        for name in subset.columns:
            cells = subset[name].tolist()
            columns.append(["" if cell is None or cell != cell else str(cell) for cell in cells])
    cell_rows = iter(zip(*columns, strict=True)) if columns else iter([()] * len(present))
    lines: list[list[Any]] = []
    for row, position in zip(rows, positions, strict=True):
        # A row the table does not hold (a message about the file as a whole) still gets its
        # line: never drop a message.
        cells = list(next(cell_rows)) if position is not None else [""] * width
        messages = MESSAGE_SEPARATOR.join(str(message) for message in messages_by_row[row])
        lines.append([*cells, row, messages])
    return headers, lines


def _write_csv(path: Path, headers: list[str], lines: Iterable[list[Any]]) -> None:
    # utf-8-sig: the BOM is what makes Excel read the file as UTF-8.
    with path.open("w", encoding="utf-8-sig", errors="replace", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([neutralise(header) for header in headers])
        writer.writerows(
            [neutralise(cell) if isinstance(cell, str) else cell for cell in line]
            for line in lines
        )


def _write_xlsx(path: Path, headers: list[str], lines: list[list[Any]]) -> None:
    # No type stubs for openpyxl are installed (and pyproject has no override for it).
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    for line_number, line in enumerate([headers, *lines]):
        for column, cell in enumerate(line):
            if isinstance(cell, str) and len(cell) > XLSX_MAX_CELL_CHARS:
                if line_number == 0:
                    template = translate(
                        "ErrorLog", "The header of column {position} holds {count} characters, "
                        "more than an Excel cell can hold ({limit}). Save the error log as CSV "
                        "instead so nothing is cut.")
                else:
                    template = translate(
                        "ErrorLog", "Row {row}, column “{column}” holds {count} characters, "
                        "more than an Excel cell can hold ({limit}). Save the error log as CSV "
                        "instead so nothing is cut.")
                raise ValueError(fill(
                    template, position=str(column + 1), row=str(line[-2]),
                    column=headers[column], count=group_thousands(len(cell)),
                    limit=group_thousands(XLSX_MAX_CELL_CHARS)))

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(translate_marked("ErrorLog", SHEET_NAME))
    sheet.freeze_panes = "A2"

    def text_cell(value: str, *, bold: bool = False) -> Any:
        value = _XML_ILLEGAL.sub("\ufffd", value)
        if not bold and not value.startswith("=") and value not in _EXCEL_ERROR_CODES:
            return value or None
        # openpyxl would store "=..." as a formula and "#N/A" as an error: force text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        return cell

    sheet.append([text_cell(header, bold=True) for header in headers])
    for line in lines:
        sheet.append([text_cell(cell) if isinstance(cell, str) else cell for cell in line])
    workbook.save(path)


def write_error_log(
    path: Path, table: LoadedTable, messages_by_row: Mapping[int, Sequence[str]], *,
    nothing_to_fix: Mapping[int, Sequence[str]] | None = None,
) -> int:
    """Write ``.csv`` (UTF-8 with BOM) or ``.xlsx``: the original columns, the spreadsheet row,
    and the messages, one line per row in ``messages_by_row`` (spreadsheet row -> messages),
    in row order; then the rows of ``nothing_to_fix`` (repeated events sent once), so the rows
    to fix come first. Formula-like cells are neutralised. Returns the number of rows written.

    Raises ``ValueError`` with a clear message for another extension, or for an XLSX cell
    longer than Excel allows; ``OSError`` if the file cannot be written.

    The log holds customers' data: it is written private to the user (0600 on POSIX) into a
    temporary file beside ``path``, then put in its place, so a file that cannot be replaced
    (open in Excel, read-only) is left as it was and no half-written log is ever seen.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(fill(translate(
            "ErrorLog", "An error log is saved as .csv or .xlsx, not “{suffix}”: choose a name "
            "ending in .csv or .xlsx."), suffix=path.suffix or path.name))
    headers, lines = _log_rows(table, messages_by_row, nothing_to_fix)
    handle, temporary_name = tempfile.mkstemp(prefix=".", suffix=suffix, dir=path.parent)
    os.close(handle)  # mkstemp creates it 0600; the writers reopen it by name
    temporary = Path(temporary_name)
    try:
        if suffix == ".csv":
            _write_csv(temporary, headers, lines)
        else:
            _write_xlsx(temporary, headers, lines)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return len(lines)
