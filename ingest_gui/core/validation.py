"""Clean and validate every mapped cell against the datasource specs, vectorised over columns.

SKELETON — types and signatures are the contract; bodies are being written.

Contract of :class:`ValidationResult`:
- ``values``: DataFrame aligned with ``table.frame`` (same RangeIndex), one column per mapped
  target key, holding the cleaned wire value as ``str`` or ``<NA>`` where the cell was empty
  (or invalid). Wire forms: e-mails lower-cased, phones E.164, countries ISO alpha-2, dates
  ``YYYY-MM-DD``, datetimes / event dates ISO 8601 UTC with milliseconds and ``Z``, booleans
  ``"1"``/``"0"``, numbers canonical (``"1234.56"``, no thousands separator), list values
  joined with ``LIST_SEPARATOR``.
- ``valid``: numpy bool array, True where the row has no *error* problem.
- ``problems``: DataFrame with columns ``row`` (spreadsheet row, int), ``column`` (header or ""),
  ``value``, ``message``, ``severity`` ("error"/"warning"), ``kind`` (short code such as
  ``invalid_email``, ``missing_required``, ``too_long``, ``duplicate_user_id``), ordered by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from ingest_gui.api.specs import DatasourceSpecs
from ingest_gui.core.cancel import CancelToken, ProgressCallback

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ingest_gui.core.loading import LoadedTable
    from ingest_gui.core.mapping import Mapping

#: Joins the values of a list (multivalue) target inside ``ValidationResult.values``.
LIST_SEPARATOR = "\x1f"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class AutomationCounts:
    """Events against the ±1 h automation window, measured at validation time."""

    inside_window: int = 0
    no_date: int = 0
    outside_window: int = 0

    @property
    def will_trigger(self) -> int:
        return self.inside_window + self.no_date


@dataclass(slots=True)
class ValidationResult:
    table: LoadedTable
    mapping: Mapping
    specs: DatasourceSpecs
    values: pd.DataFrame
    valid: np.ndarray
    problems: pd.DataFrame
    #: Only for events.
    automation: AutomationCounts | None = None
    #: Per mapped column: how many cells are empty (what keep/clear would affect).
    empty_cells: dict[str, int] = field(default_factory=dict)
    #: Per date column: how many values read the same day-first and month-first.
    ambiguous_dates: dict[str, int] = field(default_factory=dict)
    #: Per date column with DateOrder.AUTO: the order chosen.
    detected_date_order: dict[str, str] = field(default_factory=dict)
    checked_at: datetime | None = None

    @property
    def valid_count(self) -> int:
        return int(self.valid.sum())

    @property
    def invalid_count(self) -> int:
        return len(self.valid) - self.valid_count

    def problem_counts(self) -> dict[str, int]:
        """Problems per kind, for the Check page's summary."""
        raise NotImplementedError


def validate(
    table: LoadedTable,
    mapping: Mapping,
    specs: DatasourceSpecs,
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ValidationResult:
    raise NotImplementedError


def revalidate_rows(result: ValidationResult, frame_rows: list[int]) -> ValidationResult:
    """Re-check only the given frame rows after the user edited cells in ``result.table.frame``."""
    raise NotImplementedError
