"""Workbooks (.xlsx/.xlsm/.xls/.ods): container checks, then fastexcel (calamine, in Rust).

Every cell is read as calamine's text for it, which already prints numbers the short way
(``34612345678``, ``0.1``, never ``3.46E+10``); dates, datetimes and booleans are then rewritten
column-wise to ISO text and TRUE/FALSE. When calamine cannot read a workbook, pandas' openpyxl,
xlrd or odf engines are tried before giving up.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ingest_gui.core._readers_common import (
    HEADER_SCAN_ROWS,
    Grid,
    arrow,
    arrow_compute,
    detect_header_index,
    format_cell,
    human_size,
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

#: (regex, replacement) applied in order to calamine's text of each cell.
_DATE_REWRITES = (
    # Time-only cells sit on Excel's day zero.
    (r"^1899-12-3[01][ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$", r"\1"),
    (r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$", r"\1"),
    (r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$", r"\1T\2"),
)
_DATE_PREFIX = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}"


class WorkbookReadError(Exception):
    """A workbook problem, already phrased for a person; ``loading`` adds nothing."""


@dataclass(frozen=True, slots=True)
class Container:
    #: "xlsx", "xls" or "ods": what the bytes are, whatever the file is called.
    format: str
    #: The suffix lies about the content, so calamine must sniff the bytes.
    mismatched: bool = False


def looks_encrypted(path: Path, *, chunk_size: int = 1 << 20) -> bool:
    """An OLE2 container holding an ``EncryptedPackage`` stream: a password-protected xlsx."""
    overlap = len(_ENCRYPTED_STREAM)
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(chunk_size):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def check_container(
    path: Path, head: bytes, suffix: str, label: str, max_uncompressed: int
) -> Container:
    """Check the bytes are the workbook the name promises before any reader touches them."""
    wanted = "ods" if suffix == ".ods" else "xls" if suffix == ".xls" else "xlsx"
    if head.startswith(OLE_MAGIC):
        if looks_encrypted(path):
            raise WorkbookReadError(password_message(label))
        if wanted == "ods":
            raise WorkbookReadError(
                f"{label} is an old Excel (.xls) file, not an OpenDocument spreadsheet; "
                "rename it to .xls or save it again as .ods."
            )
        return Container("xls", mismatched=wanted != "xls")
    if head.startswith(ZIP_MAGIC):
        actual = _check_zip(path, label, max_uncompressed)
        return Container(actual, mismatched=actual != wanted)
    raise WorkbookReadError(not_a_workbook_message(label, head))


def _check_zip(path: Path, label: str, max_uncompressed: int) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise WorkbookReadError(damaged_message(label)) from exc
    declared = sum(member.file_size for member in members)
    if declared > max_uncompressed:
        raise WorkbookReadError(
            f"{label} would unpack to {human_size(declared)}, more than this app accepts "
            f"({human_size(max_uncompressed)}). It may be damaged or built to exhaust memory; "
            "if it is a genuine export, save it as CSV and load that instead."
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise WorkbookReadError(
            f"{label} is an Excel binary workbook (.xlsb), which this app cannot read; "
            "open it in Excel and save it as .xlsx or CSV."
        )
    if "content.xml" in names:
        return "ods"
    raise WorkbookReadError(
        f"{label} is a zip archive but not a spreadsheet (maybe a Word or other document "
        "renamed); open it in Excel and save it as .xlsx or CSV."
    )


def password_message(label: str) -> str:
    return (
        f"{label} is protected with a password. Open it in Excel, remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and load it "
        "again."
    )


def damaged_message(label: str) -> str:
    return (
        f"{label} is damaged or incomplete (perhaps it was not fully downloaded or copied). "
        "Open it in Excel to check, save it again, and retry."
    )


_MAGIC_NAMES = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def not_a_workbook_message(label: str, head: bytes) -> str:
    for magic, what in _MAGIC_NAMES:
        if head.startswith(magic):
            return (
                f"{label} is actually {what}, not a spreadsheet (it may have been renamed). "
                "Choose the real export file."
            )
    return (
        f"{label} is not a spreadsheet this app can read: its content is not an Excel or "
        "OpenDocument workbook (it may have been renamed or damaged)."
    )


# --------------------------------------------------------------------------------------------
# Reading


def _friendly_reader_error(label: str, exc: BaseException) -> WorkbookReadError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return WorkbookReadError(password_message(label))
    return WorkbookReadError(damaged_message(label))


class ReaderCrashed(Exception):
    """fastexcel's Rust code panicked on a damaged file (pyo3 raises a BaseException for that)."""


def _calamine(call: Callable[[], Any]) -> Any:
    """Run a fastexcel call, turning a Rust panic into an ordinary exception.

    pyo3's ``PanicException`` derives from ``BaseException`` so that ``except Exception`` does
    not swallow it; for a damaged workbook it is just another unreadable file, which the
    fallback readers and the friendly message handle.
    """
    try:
        return call()
    except Exception:
        raise
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise ReaderCrashed(str(exc).strip() or "the workbook reader failed") from exc


def open_workbook(path: Path, container: Container) -> Any:
    import fastexcel

    source: str | bytes = path.read_bytes() if container.mismatched else str(path)
    return _calamine(lambda: fastexcel.read_excel(source))


def sheet_names(path: Path, container: Container, label: str) -> tuple[str, ...]:
    try:
        return tuple(open_workbook(path, container).sheet_names)
    except Exception as fast_error:
        try:
            return tuple(_pandas_sheet_names(path, container))
        except Exception:
            raise _friendly_reader_error(label, fast_error) from fast_error


def _pandas_engine(container: Container) -> Literal["openpyxl", "xlrd", "odf"]:
    if container.format == "xls":
        return "xlrd"
    return "odf" if container.format == "ods" else "openpyxl"


def _pandas_sheet_names(path: Path, container: Container) -> list[str]:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.ExcelFile(path, engine=_pandas_engine(container)) as book:
            return [str(name) for name in book.sheet_names]


def pick_sheet(names: tuple[str, ...], wanted: str | None, label: str) -> str | None:
    """The caller's sheet (exact, then ignoring case); ``None`` means first non-empty."""
    if wanted is None:
        return None
    if wanted in names:
        return wanted
    for name in names:
        if name.casefold() == wanted.strip().casefold():
            return name
    listed = ", ".join(f'"{name}"' for name in names)
    raise WorkbookReadError(f'{label} has no sheet called "{wanted}"; its sheets are {listed}.')


@dataclass(slots=True)
class SheetData:
    name: str
    table: Any  # pyarrow.Table of strings (nulls = empty)
    column_indexes: list[int]


def _fast_sheet(reader: Any, name: str) -> SheetData:
    pa = arrow()

    sheet = _calamine(lambda: reader.load_sheet(name, header_row=None, skip_rows=0,
                                                dtypes="string"))
    batch = _calamine(sheet.to_arrow)
    table = pa.Table.from_batches([batch]) if batch.num_columns else pa.table({})
    indexes = [int(column.absolute_index) for column in sheet.selected_columns]
    return SheetData(name, _normalise_calamine_text(table), indexes)


def _pandas_sheet(path: Path, container: Container, name: str) -> SheetData:
    import pandas as pd
    pa = arrow()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pd.read_excel(
            path, sheet_name=name, header=None, dtype=object, keep_default_na=False,
            na_filter=False, engine=_pandas_engine(container),
        )
    columns = [
        pa.array([format_cell(value) for value in frame[column].tolist()], type=pa.string())
        for column in frame.columns
    ]
    table = pa.table(columns, names=[f"c{index}" for index in range(len(columns))])
    return SheetData(name, table, list(range(len(columns))))


def _normalise_calamine_text(table: Any) -> Any:
    """Dates to ISO, datetimes to ISO with "T", booleans to TRUE/FALSE, column by column."""
    pa = arrow()
    pc = arrow_compute()
    columns = []
    booleans = pa.array(["true", "false"])
    for column in table.columns:
        # A date-time text has at least 19 characters: a length check spares most columns
        # (names, codes, amounts) the regex pass.
        if pc.any(pc.greater_equal(pc.utf8_length(column), 19)).as_py() and \
                pc.any(pc.match_substring_regex(column, _DATE_PREFIX)).as_py():
            for pattern, replacement in _DATE_REWRITES:
                column = pc.replace_substring_regex(
                    column, pattern=pattern, replacement=replacement
                )
        if pc.any(pc.is_in(column, booleans)).as_py():
            for lower, upper in (("true", "TRUE"), ("false", "FALSE")):
                matches = pc.equal(column, lower)
                if pc.any(matches).as_py():
                    column = pc.if_else(matches, upper, column)
        columns.append(column)
    return table.from_arrays(columns, names=table.column_names) if columns else table


def _is_blank_table(table: Any) -> bool:
    pc = arrow_compute()
    if table.num_rows == 0 or table.num_columns == 0:
        return True
    for column in table.columns:
        filled = pc.and_(pc.is_valid(column), pc.not_equal(pc.utf8_trim_whitespace(column), ""))
        if pc.any(filled).as_py():
            return False
    return True


def read_sheet(
    path: Path, container: Container, sheet: str | None, label: str,
    check_cancel: Callable[[], None],
) -> tuple[SheetData, tuple[str, ...], list[str]]:
    """The chosen (or first non-empty) sheet, all sheet names, and notes."""
    notes: list[str] = []
    try:
        reader = open_workbook(path, container)
        names = tuple(reader.sheet_names)

        def load(name: str) -> SheetData:
            return _fast_sheet(reader, name)
    except Exception as fast_error:
        try:
            names = tuple(_pandas_sheet_names(path, container))
        except Exception:
            raise _friendly_reader_error(label, fast_error) from fast_error

        def load(name: str) -> SheetData:
            return _pandas_sheet(path, container, name)

    if not names:
        raise WorkbookReadError(f"{label} has no sheets.")
    chosen = pick_sheet(names, sheet, label)
    candidates = [chosen] if chosen is not None else list(names)
    for name in candidates:
        check_cancel()
        data = _load_with_fallback(load, path, container, name, label)
        if not _is_blank_table(data.table):
            if chosen is None and name != names[0]:
                notes.append(f'The first sheet(s) are empty; reading sheet "{name}".')
            return data, names, notes
    if chosen is not None:
        raise WorkbookReadError(f'Sheet "{chosen}" of {label} is empty.')
    raise WorkbookReadError(f"{label} is empty: none of its sheets has any data.")


def _load_with_fallback(
    load: Callable[[str], SheetData], path: Path, container: Container, name: str, label: str
) -> SheetData:
    try:
        return load(name)
    except Exception as fast_error:
        try:
            return _pandas_sheet(path, container, name)
        except Exception:
            raise _friendly_reader_error(label, fast_error) from fast_error


def sheet_grid(data: SheetData, header_row: int | None, label: str) -> Grid:
    """Cut the sheet at its header row (given, or detected) into a Grid."""
    table = data.table
    sheet_label = f'sheet "{data.name}" of {label}'
    if header_row == 0:
        index: int | None = None
    elif header_row is not None:
        if header_row > table.num_rows:
            raise WorkbookReadError(
                f"{sheet_label.capitalize()} has no row {header_row:,}; "
                f"its last row is {table.num_rows:,}."
            )
        index = header_row - 1
        if _is_blank_table(table.slice(index, 1)):
            raise WorkbookReadError(f"Row {header_row:,} of {sheet_label} is empty.")
    else:
        top = table.slice(0, HEADER_SCAN_ROWS).to_pylist()
        rows = [["" if cell is None else str(cell) for cell in row.values()] for row in top]
        index = detect_header_index(rows)
    first = 0 if index is None else index
    sliced = table.slice(first)
    return Grid(
        table=sliced,
        row_numbers=np.arange(first + 1, first + 1 + sliced.num_rows, dtype=np.int64),
        column_indexes=data.column_indexes,
        has_header=index is not None,
    )
