"""Read any real spreadsheet export into one table of text cells.

SKELETON — types and signatures are the contract; bodies are being written.

Contract of :class:`LoadedTable`:
- ``frame``: a pandas DataFrame, RangeIndex 0..n-1, one column per header with unique string
  names; every cell is ``str`` (pandas' Arrow-backed ``str`` dtype) holding the text a person sees
  in the spreadsheet; an empty cell is ``""`` (never NaN/None/"nan").
- ``row_numbers[i]`` is the 1-based spreadsheet row of ``frame`` row ``i`` (header row included in
  the count, so a file with a header in row 1 has its first data row at 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest_gui.core.cancel import CancelToken, ProgressCallback

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES


class LoadError(Exception):
    """The file cannot be read; ``str()`` is a message a marketer understands, naming the file."""

    def __init__(
        self, message: str, *, path: Path | None = None, row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """Caller overrides; ``None`` means detect."""

    sheet: str | None = None
    #: 1-based spreadsheet row holding the column names.
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What a quick look at a file found, before loading it (for the File page's pickers)."""

    path: Path
    #: "csv" for every text file, else "xlsx", "xls" or "ods".
    format: str
    size_bytes: int
    sheet_names: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(slots=True)
class LoadedTable:
    path: Path
    frame: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int
    #: The header cells as written in the file (blank or repeated ones included).
    original_headers: tuple[str, ...]
    format: str
    #: sha256 of the file's bytes: the journal's file fingerprint.
    fingerprint: str
    sheet: str | None = None
    sheet_names: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    #: Human notes about what loading changed, e.g. a blank header named "Column C".
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headers(self) -> list[str]:
        return [str(name) for name in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)


def inspect_file(path: Path) -> FileInfo:
    """Detect format, sheets, encoding and delimiter without loading the whole file."""
    raise NotImplementedError


def load_table(
    path: Path,
    options: LoadOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> LoadedTable:
    """Load ``path``; raises :class:`LoadError` for anything unreadable, ``Cancelled`` if cancelled."""
    raise NotImplementedError
