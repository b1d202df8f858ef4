"""Typed, frozen views of the datasource specs and stream metadata.

Field names follow the wire exactly (see ``shared/ingest-api-reference.md``); unknown fields are
ignored and an unknown ``dataType`` is kept as served (``data_type``) but treated as
:attr:`DataType.TEXT` by ``effective_type``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DataType(StrEnum):
    """A ``dataType`` the app understands, as the wire spells it.

    A StrEnum, so a member equals its wire text (``DataType.PHONE == "phone"``).
    """

    TEXT = "text"
    STRING = "string"
    NUMBER = "number"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    PHONE = "phone"
    PAYLOAD = "payload"

    @classmethod
    def of(cls, wire: str) -> DataType:
        """The type a served ``dataType`` names; one the app does not know reads as text."""
        try:
            return cls(wire)
        except ValueError:
            return cls.TEXT


#: Types whose values are numbers on the wire.
NUMBER_TYPES = frozenset({DataType.NUMBER, DataType.INTEGER, DataType.DECIMAL})
#: Types whose values are a day, with or without a time.
DATE_TYPES = frozenset({DataType.DATE, DataType.DATETIME})


def _str(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return default if value is None else str(value)


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def _int_or_none(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: float("inf")
        return None


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """A contact attribute the datasource accepts (``GET /stream/specs/attributes``)."""

    uid: str
    display_label: str = ""
    description: str = ""
    #: As served (an unknown type kept verbatim); :attr:`effective_type` is how it is handled.
    data_type: str = "text"
    #: 0 or 1: a single value; N > 1: a list of up to N values.
    multivalue: int = 0
    read_only: bool = False
    required_in_webhook: bool = False
    important: bool = False
    visible: bool = True
    custom: bool = False

    @property
    def effective_type(self) -> DataType:
        return DataType.of(self.data_type)

    @property
    def is_list(self) -> bool:
        return self.multivalue > 1

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AttributeSpec:
        uid = _str(data, "uid")
        return cls(
            uid=uid,
            display_label=_str(data, "displayLabel", uid),
            description=_str(data, "description"),
            data_type=_str(data, "dataType", "text"),
            multivalue=_int_or_none(data, "multivalue") or 0,
            read_only=_bool(data, "readOnly"),
            required_in_webhook=_bool(data, "requiredInWebhook"),
            important=_bool(data, "important"),
            visible=data.get("visible") is not False,
            custom=_bool(data, "custom") if "custom" in data else not uid.startswith("_"),
        )


@dataclass(frozen=True, slots=True)
class EventSpec:
    """An event type (``GET /stream/specs/events``)."""

    uid: str
    name: str = ""
    description: str = ""
    category: str = ""
    attribution: bool = False
    automation: bool = False
    icon: str = ""
    emoji: str = ""
    important: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EventSpec:
        uid = _str(data, "uid")
        return cls(
            uid=uid,
            name=_str(data, "name", uid),
            description=_str(data, "description"),
            category=_str(data, "category"),
            attribution=_bool(data, "attribution"),
            automation=_bool(data, "automation"),
            icon=_str(data, "icon"),
            emoji=_str(data, "emoji"),
            important=_bool(data, "important"),
        )


@dataclass(frozen=True, slots=True)
class EventParameterSpec:
    """A parameter of one event type (``GET /stream/specs/event-parameters/{type}``)."""

    parameter: str
    title: str = ""
    description: str = ""
    icon: str = ""
    #: As served (an unknown type kept verbatim); :attr:`effective_type` is how it is handled.
    data_type: str = "text"
    visual_type: str = ""
    max_length: int | None = None
    required: bool = False
    #: As on attributes: 0/1 single value, N > 1 a list of up to N values.
    multi_value: int = 0

    @property
    def effective_type(self) -> DataType:
        return DataType.of(self.data_type)

    @property
    def is_list(self) -> bool:
        return self.multi_value > 1

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EventParameterSpec:
        parameter = _str(data, "parameter")
        multi = data.get("multiValue")
        return cls(
            parameter=parameter,
            title=_str(data, "title", parameter),
            description=_str(data, "description"),
            icon=_str(data, "icon"),
            data_type=_str(data, "dataType", "text"),
            visual_type=_str(data, "visualType"),
            max_length=_int_or_none(data, "maxLength"),
            required=_bool(data, "required"),
            # multiValue is served as an int limit or, by some sources, a bool: true = unbounded.
            multi_value=(10**6 if multi is True else (_int_or_none(data, "multiValue") or 0)),
        )


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """What ``GET /stream`` says about the connection: names, locale and usage."""

    organization_name: str
    project_id: str
    project_name: str
    datasource_id: str
    datasource_name: str
    default_country: str
    timezone: str
    locale: str
    api_tier: str
    calls_total: int
    calls_success: int
    calls_failures: int
    received_contacts: int
    received_events: int
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StreamInfo:
        def section(name: str) -> Mapping[str, Any]:
            value = data.get(name)
            return value if isinstance(value, Mapping) else {}

        organization, project = section("organization"), section("project")
        datasource, stream = section("datasource"), section("stream")
        api = organization.get("api")
        tier = _str(api, "tier") if isinstance(api, Mapping) else ""
        return cls(
            organization_name=_str(organization, "name"),
            project_id=_str(project, "id") or _str(project, "uid"),
            project_name=_str(project, "name"),
            datasource_id=_str(datasource, "id") or _str(datasource, "uid"),
            datasource_name=_str(datasource, "name"),
            default_country=_str(datasource, "defaultCountry").upper(),
            timezone=_str(datasource, "timezone") or _str(project, "timezone") or "UTC",
            locale=_str(datasource, "locale") or _str(project, "locale"),
            api_tier=tier,
            calls_total=_int_or_none(stream, "callsTotal") or 0,
            calls_success=_int_or_none(stream, "callsSuccess") or 0,
            calls_failures=_int_or_none(stream, "callsFailures") or 0,
            received_contacts=_int_or_none(datasource, "receivedContacts") or 0,
            received_events=_int_or_none(datasource, "receivedEvents") or 0,
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class DatasourceSpecs:
    """Everything the core needs to map and validate against one datasource."""

    attributes: tuple[AttributeSpec, ...]
    events: tuple[EventSpec, ...]
    #: Parameters per event type uid; fetched for every type in :attr:`events`.
    event_parameters: Mapping[str, tuple[EventParameterSpec, ...]]
    default_country: str = ""
    timezone: str = "UTC"

    def attribute(self, uid: str) -> AttributeSpec | None:
        return next((spec for spec in self.attributes if spec.uid == uid), None)

    def event_type(self, uid: str) -> EventSpec | None:
        return next((spec for spec in self.events if spec.uid == uid), None)

    def parameters_of(self, event_type: str) -> tuple[EventParameterSpec, ...]:
        return tuple(self.event_parameters.get(event_type, ()))
