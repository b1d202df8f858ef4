"""Pieces shared by the text and workbook readers: limits, header detection, cell text.

Private to :mod:`ingest_gui.core.loading`; the public contract lives there.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import os
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest_gui.texts import fill, translate

if TYPE_CHECKING:
    import numpy as np

#: How many leading rows header detection looks at.
HEADER_SCAN_ROWS = 60
#: How many following non-blank rows a header candidate is compared with.
HEADER_WINDOW_ROWS = 10


def bare_name(file_label: str) -> str:
    """The file name inside a label like ``"data.csv"`` (the readers get the quoted label; a
    translated template puts its own quotation marks around ``{file}``)."""
    if len(file_label) >= 2 and file_label[0] == file_label[-1] == '"':
        return file_label[1:-1]
    return file_label


def arrow() -> Any:
    """``pyarrow``, imported lazily (it ships no type stubs, so it is typed as Any)."""
    return importlib.import_module("pyarrow")


def arrow_compute() -> Any:
    """``pyarrow.compute``, imported lazily (it has no type stubs, so it is typed as Any)."""
    return importlib.import_module("pyarrow.compute")


def arrow_csv() -> Any:
    """``pyarrow.csv``, imported lazily (no type stubs)."""
    return importlib.import_module("pyarrow.csv")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover - loop always returns


def physical_memory_bytes() -> int | None:
    """Total RAM of this machine, or None when the platform does not say."""
    try:
        if sys.platform == "win32":
            import ctypes

            class _MemoryStatus(ctypes.Structure):
                _fields_ = (
                    ("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                    ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                    ("ullTotalPageFile", ctypes.c_ulonglong),
                    ("ullAvailPageFile", ctypes.c_ulonglong),
                    ("ullTotalVirtual", ctypes.c_ulonglong),
                    ("ullAvailVirtual", ctypes.c_ulonglong),
                    ("sullAvailExtendedVirtual", ctypes.c_ulonglong),
                )

            status = _MemoryStatus()
            status.dwLength = ctypes.sizeof(_MemoryStatus)
            if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined,unused-ignore]
                return int(status.ullTotalPhys)
            return None
        pages = os.sysconf("SC_PHYS_PAGES")
        page_size = os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and page_size > 0:
            return int(pages * page_size)
    except (OSError, ValueError, AttributeError):
        return None
    return None


# --------------------------------------------------------------------------------------------
# Column names


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA" (spreadsheet column letters)."""
    letters = ""
    number = index + 1
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def make_unique_names(
    headers: list[str], column_indexes: list[int]
) -> tuple[list[str], list[str]]:
    """Names for the frame: blank -> "Column C", repeated -> "Email (2)"; plus human notes."""
    cleaned = [" ".join(header.split()) for header in headers]
    taken = {name.casefold() for name in cleaned if name}
    names: list[str] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    # Translated once: a sheet may have thousands of columns. Column names stay English (they
    # are the table's own names, remembered by mapping templates); only the notes translate.
    no_name = translate("Loading", 'Column {letter} has no name; it is called "{name}".')
    repeated = translate(
        "Loading", 'Column {letter} repeats the name "{header}"; it is called "{name}".')
    for header, index in zip(cleaned, column_indexes, strict=True):
        letter = column_letter(index)
        if not header:
            name = f"Column {letter}"
            suffix = 2
            while name.casefold() in taken:
                name = f"Column {letter} ({suffix})"
                suffix += 1
            taken.add(name.casefold())
            names.append(name)
            notes.append(fill(no_name, letter=letter, name=name))
            continue
        key = header.casefold()
        count = seen.get(key, 0) + 1
        seen[key] = count
        if count == 1:
            names.append(header)
            continue
        suffix = count
        name = f"{header} ({suffix})"
        while name.casefold() in taken:
            suffix += 1
            name = f"{header} ({suffix})"
        taken.add(name.casefold())
        names.append(name)
        notes.append(fill(repeated, letter=letter, header=header, name=name))
    return names, notes


# --------------------------------------------------------------------------------------------
# Header detection

_LETTER = re.compile(r"[^\W\d_]")


def _is_text_cell(cell: str) -> bool:
    """Header-like: contains a letter (numbers, dates and amounts do not)."""
    return _LETTER.search(cell) is not None


def detect_header_index(rows: list[list[str]]) -> int | None:
    """Index of the row holding the column names among ``rows`` (the top of a sheet).

    Title rows and blank rows above a table are common. The header is the first row that is
    mostly text and about as wide as the rows that follow it. ``None`` means no row looks like
    column names (e.g. a bare list of phone numbers).
    Raises ``ValueError`` when every row is blank.
    """
    scanned = rows[:HEADER_SCAN_ROWS]
    widths = [sum(1 for cell in row if cell.strip()) for row in scanned]
    non_blank = [index for index, width in enumerate(widths) if width]
    if not non_blank:
        raise ValueError("no non-blank row")
    for position, index in enumerate(non_blank):
        row = scanned[index]
        filled = [cell for cell in row if cell.strip()]
        text_share = sum(1 for cell in filled if _is_text_cell(cell)) / len(filled)
        if text_share < 0.5:
            continue
        following = non_blank[position + 1 : position + 1 + HEADER_WINDOW_ROWS]
        widest_after = max((widths[later] for later in following), default=0)
        if widths[index] >= 0.6 * widest_after:
            return index
    if any(
        sum(1 for cell in scanned[i] if _is_text_cell(cell)) * 2 >= widths[i] for i in non_blank
    ):
        # Mostly-text rows exist but none fits the table shape: trust the first non-blank row.
        return non_blank[0]
    return None


# --------------------------------------------------------------------------------------------
# Cell text for values coming out of Python readers (the openpyxl/xlrd/odf fallbacks)


def format_float(value: float) -> str:
    """A number as Excel shows it: no ".0", no scientific notation, no float noise."""
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    # 15 significant digits is what Excel displays; Decimal avoids "1.5e-05".
    shown = format(value, ".15g")
    if "e" in shown or "E" in shown:
        shown = format(Decimal(shown), "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return shown


def format_cell(value: object) -> str:
    """The text a person sees for one cell value from a Python-level reader."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        total = int(value.total_seconds())
        hours, rest = divmod(total, 3600)
        return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    try:
        import pandas as pd

        if value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, pd.Timestamp):
            return format_cell(value.to_pydatetime())
    except (ImportError, TypeError, ValueError):  # pragma: no cover - pandas is a dependency
        pass
    return str(value)


# --------------------------------------------------------------------------------------------
# A grid of string cells on its way to becoming a LoadedTable


@dataclass(slots=True)
class Grid:
    """Rows of text cells from one sheet, starting at the header row.

    ``table`` has one ``string`` column per sheet column (nulls allowed, they mean empty);
    ``row_numbers[i]`` is the 1-based spreadsheet row of table row ``i``; ``column_indexes``
    the 0-based sheet column of each table column (for "Column C" names). When ``has_header`` is
    false the table has no header row and every row is data.
    """

    table: Any  # pyarrow.Table
    row_numbers: np.ndarray
    column_indexes: list[int]
    has_header: bool = True
    notes: list[str] = field(default_factory=list)


def describe_path(path: Path) -> str:
    return f'"{path.name}"'
