"""The resumable journal: a SQLite file (WAL) recording every run and every acknowledged batch.

SKELETON — types and signatures are the contract; bodies are being written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest_gui.api.results import ItemResult


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: int
    started_at: float
    finished_at: float | None
    #: "running", "interrupted", "completed", "cancelled", "failed"
    status: str
    kind: str
    file_path: str
    fingerprint: str
    datasource_key: str
    mapping: Mapping[str, Any]
    batches_total: int
    batches_acknowledged: int
    summary: Mapping[str, Any]
    error_log_path: str | None


class JournalRun:
    """One run's handle; thread-safe, used by the engine's worker threads."""

    run_id: int

    def acknowledged(self) -> dict[int, tuple[ItemResult, ...]]:
        """batch index -> per-item results, for batches already acknowledged."""
        raise NotImplementedError

    def record_batch(self, batch_index: int, rows: Sequence[int],
                     results: Sequence[ItemResult]) -> None:
        """Atomically record one acknowledged batch (raises if recorded twice)."""
        raise NotImplementedError

    def finish(self, status: str, summary: Mapping[str, Any],
               error_log_path: str | None = None) -> None:
        raise NotImplementedError


class Journal:
    def __init__(self, path: Path | None = None) -> None:
        """Default path: ``paths.data_dir() / "journal.sqlite3"``."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def start_run(self, *, kind: str, file_path: str, fingerprint: str, datasource_key: str,
                  mapping: Mapping[str, Any], batches_total: int) -> JournalRun:
        raise NotImplementedError

    def find_resumable(self, *, fingerprint: str, datasource_key: str,
                       mapping: Mapping[str, Any]) -> RunInfo | None:
        """The latest unfinished run of this file, mapping and datasource, if any."""
        raise NotImplementedError

    def resume_run(self, run_id: int) -> JournalRun:
        raise NotImplementedError

    def runs(self, limit: int = 100) -> list[RunInfo]:
        raise NotImplementedError
