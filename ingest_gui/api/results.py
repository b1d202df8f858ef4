"""What a write call answered, in one shape whatever shape (A or B) the service used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The ``X-RateLimit-*`` headers of one answer (``None`` where absent)."""

    limit: int | None = None
    remaining: int | None = None
    #: Unix timestamp (seconds) when the window resets.
    reset_at: float | None = None
    #: ``Retry-After`` in seconds, when the service sends it (undocumented).
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item of a batch: its 0-based position in the request, and whether it was accepted."""

    position: int
    accepted: bool
    #: Error messages per field; the key ``""`` holds messages not tied to a field.
    errors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def messages(self) -> list[str]:
        """Every error as one readable string, field first."""
        out: list[str] = []
        for name, texts in self.errors.items():
            out.extend(f"{name}: {text}" if name else text for text in texts)
        return out


@dataclass(frozen=True, slots=True)
class WriteResult:
    """The answer to ``POST /stream/contacts``, ``POST /stream/events`` or a ``DELETE``.

    ``items`` has exactly one entry per item sent, in request order.
    """

    status: int
    items: tuple[ItemResult, ...]
    dry_run: bool = False
    rate_limit: RateLimit = field(default_factory=RateLimit)

    @property
    def accepted_count(self) -> int:
        return sum(1 for item in self.items if item.accepted)

    @property
    def rejected_count(self) -> int:
        return len(self.items) - self.accepted_count


_NO_ERRORS: Mapping[str, tuple[str, ...]] = MappingProxyType({})
#: Shared results for accepted items (frozen, with a read-only empty ``errors``): a 100-item
#: answer then costs no object per item. Positions beyond the cache are built on demand.
_ACCEPTED = tuple(ItemResult(position, True, _NO_ERRORS) for position in range(128))


def accepted_item(position: int) -> ItemResult:
    """``ItemResult(position, True)``, shared where possible (equal to a freshly built one)."""
    if 0 <= position < len(_ACCEPTED):
        return _ACCEPTED[position]
    return ItemResult(position, True, _NO_ERRORS)


@dataclass(frozen=True, slots=True)
class ContactRead:
    """One ``GET /stream/contacts/{id}``: the contact (``None``: not in the datasource) and the
    answer's rate-limit headers."""

    record: Mapping[str, Any] | None
    rate_limit: RateLimit
