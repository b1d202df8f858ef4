"""Per-item validation of contacts and events against the served specs, as the service does it.

This is deliberately its own code (not ``ingest_gui.core.validation``): the sandbox is the tests'
independent model of the service, so a bug in the app's validation cannot hide behind the same bug
here. Errors are ``{field: [message, ...]}``; the key ``""`` holds messages about the whole item.

The checks run for every attribute of every uploaded item, so the common case is kept cheap: a
rule knows the one type whose every value it accepts without calling its check at all, and the
checks test the usual valid value first by its exact type (``type(value) is str``). The results
are exactly those of the plain checks; ``tests/sandbox/test_validation_equivalence.py`` compares
them with the straightforward pre-optimisation version.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, tzinfo
from typing import Any

Errors = dict[str, list[str]]
Check = Callable[[Any], str | None]

EVENT_KEYS = frozenset(
    {"_user_id", "_event_id", "_event_type", "_event_date", "_event_parameters", "_user_data"}
)

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_PHONE = re.compile(r"\+[1-9]\d{6,14}")


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be text"


def _is_number(value: Any) -> bool:
    # A float (the usual decimal) first: a bool is never one. An int is usually accepted
    # before any call (FieldRule.accepts).
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and _NUMBER.fullmatch(value.strip()) is not None


def _number(value: Any) -> str | None:
    return None if _is_number(value) else "must be a number"


def _integer(value: Any) -> str | None:
    if isinstance(value, bool):
        return "must be a whole number"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return None
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return None
    return "must be a whole number"


def _bool(value: Any) -> str | None:
    # "1"/"0" first: how the app sends a bool.
    if (isinstance(value, str) and value in ("1", "0")) or isinstance(value, bool):
        return None
    return 'must be true, false, "1" or "0"'


def _date(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 10 and _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return "must be a date like 2026-11-27"


def parse_datetime(value: Any, default_zone: tzinfo) -> datetime | None:
    """An ISO 8601 date-time (date and time, optional offset or ``Z``); ``None`` if not one.

    A value without an offset is read in the datasource's timezone.
    """
    if not isinstance(value, str) or len(value) < 16 or value[10] not in "Tt ":
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=default_zone)


def _datetime(value: Any) -> str | None:
    if parse_datetime(value, UTC) is None:
        return "must be an ISO 8601 date-time like 2026-11-27T10:15:00.000Z"
    return None


def _email(value: Any) -> str | None:
    if isinstance(value, str) and len(value) <= 254 and _EMAIL.fullmatch(value):
        return None
    return "must be a valid email address"


def _phone(value: Any) -> str | None:
    if isinstance(value, str) and _PHONE.fullmatch(value):
        return None
    return "must be a phone number in international format, like +34600000000"


def _payload(value: Any) -> str | None:
    return None


_CHECKS: dict[str, Check] = {
    "text": _text,
    "string": _text,
    "number": _number,
    "decimal": _number,
    "integer": _integer,
    "bool": _bool,
    "date": _date,
    "datetime": _datetime,
    "email": _email,
    "phone": _phone,
    "payload": _payload,
}


#: For each check, the one type whose every value it accepts (``type(value) is ...``, so a bool
#: is not taken for an int): such a value needs no call to the check at all.
_ACCEPTS: dict[Check, type] = {_text: str, _number: int, _integer: int, _bool: bool}


class FieldRule:
    """How one attribute or event parameter is checked.

    ``problem(value)`` says why a non-null value is not acceptable, or returns ``None``. It is
    specialised once per rule because it runs for every attribute of every item. ``accepts`` is
    the type whose values ``problem`` always accepts (``None`` when there is none): callers skip
    the call for it.
    """

    __slots__ = ("accepts", "max_length", "multi", "problem", "read_only", "required")

    def __init__(self, data_type: str, *, multi: int = 0, read_only: bool = False,
                 max_length: int | None = None, required: bool = False) -> None:
        self.multi = multi
        self.read_only = read_only
        self.max_length = max_length
        self.required = required
        # An unknown dataType is handled as text, as clients are told to do.
        check = _CHECKS.get(data_type, _text)
        accepts = _ACCEPTS.get(check)
        if max_length is not None:
            check = _limited(check, max_length)
            if accepts is str:
                accepts = None  # a text must still be measured
        if multi > 1:
            self.problem: Check = _listed(check, accepts, multi)
            self.accepts: type | None = None
        elif data_type == "payload":
            # Anything goes (even past a maxLength); str is just the usual type.
            self.problem = _payload
            self.accepts = str
        else:
            self.problem = check
            self.accepts = accepts


def _limited(check: Check, max_length: int) -> Check:
    def problem(value: Any) -> str | None:
        if check is _text and type(value) is str and len(value) <= max_length:
            return None
        found = check(value)
        if found is None and isinstance(value, str) and len(value) > max_length:
            return f"is longer than {max_length} characters"
        return found

    return problem


def _reworded(rule: FieldRule, value: Any, problem: str) -> list[str]:
    """The message for a failed value; a list sent where one value belongs says so plainly."""
    if rule.multi <= 1 and isinstance(value, list | dict):
        return ["must be a single value, not a list or an object"]
    return [problem]


def _listed(check: Check, accepts: type | None, limit: int) -> Check:
    """``check`` applied to each element of a list; ``accepts`` as in :class:`FieldRule`."""

    def problem(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"must be a list of at most {limit} values"
        if len(value) > limit:
            return f"has {len(value)} values; at most {limit} are allowed"
        for element in value:
            if type(element) is accepts:
                continue
            if element is None:
                return "must not contain null values"
            found = check(element)
            if found is not None:
                return f"has a value that {found}"
        return None

    return problem


def _user_id_problem(value: Any) -> str | None:
    if value is None:
        return "is required"
    if isinstance(value, bool) or not isinstance(value, str | int):
        return "must be text"
    if isinstance(value, str) and not value.strip():
        return "must not be empty"
    return None


class Rules:
    """The validation rules of one datasource, compiled once from its specs."""

    def __init__(self, attributes: Iterable[Mapping[str, Any]],
                 events: Iterable[Mapping[str, Any]],
                 parameters: Mapping[str, Iterable[Mapping[str, Any]]],
                 default_zone: tzinfo) -> None:
        self.default_zone = default_zone
        self.attributes = {
            spec["uid"]: FieldRule(spec["dataType"], multi=spec["multivalue"] or 0,
                                   read_only=bool(spec["readOnly"]))
            for spec in attributes
        }
        #: The rule of every attribute a write may set: the one lookup per attribute of every
        #: item on the usual path. ``_user_id`` is checked on its own, so here it accepts anything.
        self.writable: dict[str, FieldRule] = {
            key: rule for key, rule in self.attributes.items() if not rule.read_only
        }
        if "_user_id" in self.writable:
            self.writable["_user_id"] = FieldRule("payload")
        self.event_types = frozenset(spec["uid"] for spec in events)
        self.parameters = {
            event_type: {
                spec["parameter"]: FieldRule(spec["dataType"], multi=spec["multiValue"] or 0,
                                             max_length=spec["maxLength"],
                                             required=bool(spec["required"]))
                for spec in specs
            }
            for event_type, specs in parameters.items()
        }
        self.required_parameters = {
            event_type: tuple(name for name, rule in rules.items() if rule.required)
            for event_type, rules in self.parameters.items()
        }

    # -- contacts ----------------------------------------------------------------------------
    def contact_errors(self, item: Any) -> Errors:
        """Problems of one ``POST /stream/contacts`` item; empty when it is acceptable."""
        if not isinstance(item, dict):
            return {"": ["each item must be a JSON object"]}
        errors: Errors = {}
        user_id = item.get("_user_id")
        if type(user_id) is not str or not user_id.strip():  # the usual id needs no closer look
            problem = _user_id_problem(user_id)
            if problem is not None:
                errors["_user_id"] = [problem]
        self._attribute_errors(item, errors, "")
        return errors

    def _attribute_errors(self, attributes: Mapping[str, Any], errors: Errors,
                          prefix: str) -> None:
        writable = self.writable
        for key, value in attributes.items():
            rule = writable.get(key)
            if rule is not None:
                if type(value) is rule.accepts or value is None:
                    continue
                problem = rule.problem(value)
                if problem is not None:
                    errors[prefix + key] = _reworded(rule, value, problem)
            elif key in self.attributes:
                errors[prefix + key] = ["is read-only and cannot be written"]
            else:
                errors[prefix + key] = ["is not an attribute of this datasource"]

    # -- events ------------------------------------------------------------------------------
    def event_errors(self, item: Any) -> Errors:
        """Problems of one ``POST /stream/events`` item; empty when it is acceptable."""
        if not isinstance(item, dict):
            return {"": ["each item must be a JSON object"]}
        errors: Errors = {}
        if not item.keys() <= EVENT_KEYS:
            for key in item:
                if key not in EVENT_KEYS:
                    errors[key] = ["is not an event field (contact attributes go in _user_data)"]
        user_id = item.get("_user_id")
        # As in contact_errors, the usual id needs no closer look.
        problem = None if type(user_id) is str and user_id.strip() else _user_id_problem(user_id)
        if problem is not None:
            errors["_user_id"] = [problem]
        event_id = item.get("_event_id")
        if event_id is None:
            errors["_event_id"] = ["is required"]
        elif not isinstance(event_id, str) or not event_id.strip():
            errors["_event_id"] = ["must be a non-empty text"]
        event_date = item.get("_event_date")
        if event_date is not None and parse_datetime(event_date, self.default_zone) is None:
            errors["_event_date"] = [
                "must be an ISO 8601 date-time like 2026-11-27T10:15:00.000Z"
            ]
        event_type = item.get("_event_type")
        parameters = item.get("_event_parameters")
        if event_type is None:
            errors["_event_type"] = ["is required"]
        elif not isinstance(event_type, str) or event_type not in self.event_types:
            errors["_event_type"] = [f"{event_type!r} is not an event type of this datasource"]
        elif parameters is not None and not isinstance(parameters, dict):
            errors["_event_parameters"] = ["must be a JSON object"]
        else:
            self._parameter_errors(event_type, parameters or {}, errors)
        user_data = item.get("_user_data")
        if user_data is not None:
            if not isinstance(user_data, dict):
                errors["_user_data"] = ["must be a JSON object of contact attributes"]
            else:
                embedded_id = user_data.get("_user_id")
                if embedded_id is not None and problem is None and str(embedded_id) != str(
                        user_id):
                    errors["_user_data._user_id"] = ["must match the event's _user_id"]
                self._attribute_errors(user_data, errors, "_user_data.")
        return errors

    def _parameter_errors(self, event_type: str, parameters: Mapping[str, Any],
                          errors: Errors) -> None:
        rules = self.parameters.get(event_type, {})
        for name, value in parameters.items():
            rule = rules.get(name)
            if rule is None:
                errors["_event_parameters." + name] = [
                    f"is not a parameter of event type {event_type!r}"
                ]
            elif value is not None and type(value) is not rule.accepts:
                problem = rule.problem(value)
                if problem is not None:
                    errors["_event_parameters." + name] = _reworded(rule, value, problem)
        for name in self.required_parameters.get(event_type, ()):
            if parameters.get(name) is None:
                errors["_event_parameters." + name] = ["is required"]


def error_text(errors: Mapping[str, list[str]]) -> str:
    """All errors of an item as one sentence (answer shape A has one message per item)."""
    return "; ".join(
        f"{field}: {message}" if field else message
        for field, messages in errors.items()
        for message in messages
    )
