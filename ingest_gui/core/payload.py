"""Turn validated rows into wire batches of at most 100 items (and well under 1 MiB).

SKELETON — types and signatures are the contract; bodies are being written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.validation import ValidationResult

MAX_ITEMS_PER_BATCH = 100
MAX_BATCH_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class Batch:
    """One request's worth of items; ``rows[i]`` is the spreadsheet row of ``items[i]``.

    For ``ImportKind.DELETE`` each item is ``{"_user_id": ...}`` and the engine sends one
    ``DELETE`` per item.
    """

    index: int
    kind: ImportKind
    items: tuple[Mapping[str, Any], ...]
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PayloadPlan:
    batches: tuple[Batch, ...]
    #: Spreadsheet rows left out because they were invalid.
    skipped_rows: tuple[int, ...]
    #: Rows whose derived ``_event_id`` equals an earlier row's: (row, first row with that id).
    duplicate_events: tuple[tuple[int, int], ...]

    @property
    def item_count(self) -> int:
        return sum(len(batch.items) for batch in self.batches)


def event_id_for(datasource: str, event_type: str, user_id: str, date: str,
                 values: Mapping[str, str]) -> str:
    """The deterministic ``_event_id`` of a row without a mapped id column (formula in README)."""
    raise NotImplementedError


def build_batches(result: ValidationResult, *, datasource: str) -> PayloadPlan:
    raise NotImplementedError
