"""Error logs a marketer can open in Excel, fix and re-import.

SKELETON — types and signatures are the contract; bodies are being written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ingest_gui.core.loading import LoadedTable

ROW_COLUMN = "Row"
ERRORS_COLUMN = "Errors"


def write_error_log(
    path: Path, table: LoadedTable, messages_by_row: Mapping[int, Sequence[str]]
) -> int:
    """Write ``.csv`` (UTF-8 with BOM) or ``.xlsx``: the original columns, the spreadsheet row,
    and the messages, one line per row in ``messages_by_row`` (spreadsheet row -> messages),
    in row order. Formula-like cells are neutralised. Returns the number of rows written."""
    raise NotImplementedError
