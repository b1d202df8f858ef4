"""The upload engine: concurrent, paced, retrying, pausable, cancellable, journalled.

SKELETON — types and signatures are the contract; bodies are being written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ingest_gui.api.client import IngestClient
from ingest_gui.core.payload import Batch

if TYPE_CHECKING:
    from ingest_gui.core.journal import JournalRun


class RowStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    #: Invalid before sending (never sent).
    SKIPPED = "skipped"
    #: Cancelled or stopped before its batch was acknowledged.
    NOT_SENT = "not_sent"


@dataclass(frozen=True, slots=True)
class UploadProgress:
    rows_total: int
    rows_sent: int
    accepted: int
    rejected: int
    retries: int
    batches_done: int
    batches_total: int
    #: Items acknowledged per second over the recent past.
    rate_per_second: float
    eta_seconds: float | None
    paused: bool = False
    #: Seconds left waiting on the rate limit, 0 when not waiting.
    waiting_seconds: float = 0.0


@dataclass(slots=True)
class UploadResult:
    #: spreadsheet row -> status, for every row of every batch given to ``run``.
    statuses: dict[int, RowStatus] = field(default_factory=dict)
    #: spreadsheet row -> the service's messages, for rejected rows.
    messages: dict[int, list[str]] = field(default_factory=dict)
    retries: int = 0
    rate_limited: int = 0
    cancelled: bool = False
    #: Set when the run stopped on an error it cannot retry (auth, 4xx, retries exhausted).
    fatal_error: str | None = None
    auth_failed: bool = False

    def count(self, status: RowStatus) -> int:
        return sum(1 for value in self.statuses.values() if value is status)


class UploadControl:
    """Pause / resume / cancel from another thread. Cancel lets in-flight batches finish."""

    def pause(self) -> None:
        raise NotImplementedError

    def resume(self) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError

    @property
    def is_paused(self) -> bool:
        raise NotImplementedError

    @property
    def is_cancelled(self) -> bool:
        raise NotImplementedError


class UploadEngine:
    def __init__(
        self,
        client: IngestClient,
        *,
        concurrency: int = 4,
        max_attempts: int = 8,
        dry_run: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        raise NotImplementedError

    def run(
        self,
        batches: Sequence[Batch],
        *,
        on_progress: Callable[[UploadProgress], None] | None = None,
        control: UploadControl | None = None,
        journal: JournalRun | None = None,
    ) -> UploadResult:
        """Send every batch not already acknowledged in ``journal``; never raises for service
        errors (they end up in the result), only for programming errors."""
        raise NotImplementedError
