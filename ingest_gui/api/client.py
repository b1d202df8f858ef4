"""``IngestClient``: one ``httpx.Client`` for every Ingest API endpoint.

SKELETON — signatures are the contract other modules code against; bodies are being written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import httpx

from ingest_gui.api.results import RateLimit, WriteResult
from ingest_gui.api.specs import (
    AttributeSpec,
    DatasourceSpecs,
    EventParameterSpec,
    EventSpec,
    StreamInfo,
)

DEFAULT_BASE_URL = "https://api.instasent.com/v1"
MAX_BATCH_ITEMS = 100


class IngestClient:
    """Talks to ``{base_url}/project/{project}/datasource/{datasource}``.

    Thread-safe: one instance is shared by the upload engine's worker threads.
    The token is held privately and never appears in ``repr()``, logs or exception text.
    """

    def __init__(
        self,
        base_url: str,
        project: str,
        datasource: str,
        token: str,
        *,
        timeout: httpx.Timeout | float = 30.0,
        max_connections: int = 8,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        raise NotImplementedError

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def datasource_key(self) -> str:
        """``base_url|project|datasource``: identifies the target in the journal (no token)."""
        raise NotImplementedError

    @property
    def last_rate_limit(self) -> RateLimit:
        """The ``X-RateLimit-*`` values of the most recent answer."""
        raise NotImplementedError

    # -- reads -----------------------------------------------------------------------------
    def stream_info(self) -> StreamInfo:
        raise NotImplementedError

    def attribute_specs(self) -> tuple[AttributeSpec, ...]:
        raise NotImplementedError

    def event_specs(self) -> tuple[EventSpec, ...]:
        raise NotImplementedError

    def event_parameter_specs(self, event_type: str) -> tuple[EventParameterSpec, ...]:
        raise NotImplementedError

    def fetch_specs(self) -> DatasourceSpecs:
        """Stream info + all three spec endpoints (parameters for every event type)."""
        raise NotImplementedError

    def get_contact(self, user_id: str) -> Mapping[str, Any] | None:
        """The datasource's contact, or ``None`` when it does not exist."""
        raise NotImplementedError

    # -- writes ----------------------------------------------------------------------------
    def post_contacts(
        self, items: Sequence[Mapping[str, Any]], *, dry_run: bool = False, sync: bool = False
    ) -> WriteResult:
        raise NotImplementedError

    def post_events(
        self, items: Sequence[Mapping[str, Any]], *, dry_run: bool = False, sync: bool = False
    ) -> WriteResult:
        raise NotImplementedError

    def delete_contact(self, user_id: str) -> WriteResult:
        """One item: accepted, or rejected with the service's message."""
        raise NotImplementedError
