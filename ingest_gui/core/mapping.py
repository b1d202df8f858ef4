"""Which spreadsheet column feeds which datasource target, with per-column cleaning options.

SKELETON — types and signatures are the contract; bodies are being written.

Target keys:
- contacts: the attribute uid (``_email``, ``plan``, ...);
- events: ``_user_id``, ``_event_id``, ``_event_type``, ``_event_date``,
  ``_event_parameters.<parameter>`` and ``_user_data.<attribute uid>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ingest_gui.api.specs import DatasourceSpecs

if TYPE_CHECKING:
    from ingest_gui.core.loading import LoadedTable

PARAMETER_PREFIX = "_event_parameters."
USER_DATA_PREFIX = "_user_data."
TEMPLATE_VERSION = 1
#: Suggestions at or above this confidence are applied by "Auto-map"; the rest are only offered.
AUTO_APPLY_CONFIDENCE = 0.85


class ImportKind(StrEnum):
    CONTACTS = "contacts"
    EVENTS = "events"
    #: Remove the contacts whose user ids a column lists.
    DELETE = "delete"


class EmptyCellPolicy(StrEnum):
    #: Omit the attribute: the datasource keeps what it had (the guide's recommendation).
    KEEP = "keep"
    #: Send ``null``: the datasource clears the attribute.
    CLEAR = "clear"


class DateOrder(StrEnum):
    AUTO = "auto"
    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


@dataclass(frozen=True, slots=True)
class Target:
    """Something a column can feed."""

    key: str
    label: str
    #: Effective dataType (unknown types already turned into "text").
    data_type: str
    required: bool = False
    description: str = ""
    #: 0/1 single value; N > 1 a list of up to N values.
    multivalue: int = 0
    max_length: int | None = None
    read_only: bool = False
    #: "contact", "event", "parameter" or "user_data".
    group: str = "contact"


@dataclass(frozen=True, slots=True)
class ColumnOptions:
    """How the cells of one column are cleaned before validation."""

    empty_cells: EmptyCellPolicy = EmptyCellPolicy.KEEP
    #: ISO country for phones without a prefix; ``None``: the row's mapped country, else the
    #: datasource's defaultCountry.
    phone_country: str | None = None
    date_order: DateOrder = DateOrder.AUTO
    #: IANA zone for event dates/datetimes without an offset; ``None``: the datasource's timezone.
    timezone: str | None = None
    multivalue_separator: str = ","
    lowercase_email: bool = True
    trim: bool = True


@dataclass(slots=True)
class Mapping:
    """The user's choices for one file. ``assignments`` maps target key -> column header."""

    kind: ImportKind
    event_type: str | None = None
    with_user_data: bool = False
    assignments: dict[str, str] = field(default_factory=dict)
    options: dict[str, ColumnOptions] = field(default_factory=dict)

    @property
    def event_type_from_column(self) -> bool:
        return self.kind is ImportKind.EVENTS and "_event_type" in self.assignments

    def assign(self, column: str, target: str) -> None:
        """Map ``column`` onto ``target`` (replacing the column it had); a column may feed many."""
        raise NotImplementedError

    def unassign(self, target: str) -> None:
        raise NotImplementedError

    def targets_of(self, column: str) -> list[str]:
        raise NotImplementedError

    def options_for(self, column: str) -> ColumnOptions:
        return self.options.get(column, ColumnOptions())

    def unmapped_columns(self, headers: Sequence[str]) -> list[str]:
        raise NotImplementedError

    def missing_required(self, targets: Sequence[Target]) -> list[Target]:
        """Required targets with no column (a fixed event type satisfies ``_event_type``)."""
        raise NotImplementedError

    def to_json(self) -> dict[str, object]:
        """A stable, versioned JSON form (the template file body and the journal's mapping)."""
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Mapping:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Suggestion:
    column: str
    target: str
    #: 0..1; >= AUTO_APPLY_CONFIDENCE is applied by auto-map.
    confidence: float
    #: Why, for a tooltip: "header matches 'E-mail'", "values look like phone numbers".
    reason: str


@dataclass(frozen=True, slots=True)
class TemplateMatch:
    path: Path
    mapping: Mapping
    added_headers: tuple[str, ...]
    removed_headers: tuple[str, ...]


def targets_for(
    kind: ImportKind,
    specs: DatasourceSpecs,
    *,
    event_type: str | None = None,
    with_user_data: bool = False,
) -> list[Target]:
    raise NotImplementedError


def suggest(table: LoadedTable, targets: Sequence[Target]) -> list[Suggestion]:
    """Best target per column (at most one column per target), from headers and values."""
    raise NotImplementedError


def auto_map(mapping: Mapping, suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Apply confident suggestions to ``mapping``; return the ones only offered."""
    raise NotImplementedError


def save_template(path: Path, mapping: Mapping, headers: Sequence[str]) -> None:
    raise NotImplementedError


def load_template(path: Path) -> tuple[Mapping, tuple[str, ...]]:
    """The mapping and the headers it was saved with; ``ValueError`` with a clear message if bad."""
    raise NotImplementedError


def find_template(headers: Sequence[str], directory: Path | None = None) -> TemplateMatch | None:
    """The saved template (default dir: ``paths.data_dir()/templates``) best matching headers."""
    raise NotImplementedError
