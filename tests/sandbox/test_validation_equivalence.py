"""The sandbox's fast per-item validation answers exactly as the plain version it replaced.

``ingest_gui.sandbox.validation`` takes shortcuts for the usual valid item (exact-type fast paths,
a per-rule type accepted without a call). These property tests feed it and :class:`ReferenceRules`
the same contacts and events, valid and not, over the demo specs and custom specs covering every
data type, multi-value, read-only and maxLength combination, and require the same errors: same
fields, same messages, same order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.sandbox import demo
from ingest_gui.sandbox.validation import Rules

# -- the reference: the pre-optimisation validation.py, verbatim but for names and docstrings ----

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
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
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
    if isinstance(value, bool) or (isinstance(value, str) and value in ("1", "0")):
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
    "text": _text, "string": _text, "number": _number, "decimal": _number,
    "integer": _integer, "bool": _bool, "date": _date, "datetime": _datetime,
    "email": _email, "phone": _phone, "payload": _payload,
}


class FieldRule:
    def __init__(self, data_type: str, *, multi: int = 0, read_only: bool = False,
                 max_length: int | None = None, required: bool = False) -> None:
        self.multi = multi
        self.read_only = read_only
        self.max_length = max_length
        self.required = required
        check = _CHECKS.get(data_type, _text)
        single = check if max_length is None else _limited(check, max_length)
        if multi > 1:
            self.problem: Check = _listed(single, multi)
        elif data_type == "payload":
            self.problem = _payload
        else:
            self.problem = single


def _limited(check: Check, max_length: int) -> Check:
    def problem(value: Any) -> str | None:
        found = check(value)
        if found is None and isinstance(value, str) and len(value) > max_length:
            return f"is longer than {max_length} characters"
        return found

    return problem


def _reworded(rule: FieldRule, value: Any, problem: str) -> list[str]:
    if rule.multi <= 1 and isinstance(value, list | dict):
        return ["must be a single value, not a list or an object"]
    return [problem]


def _listed(check: Check, limit: int) -> Check:
    def problem(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"must be a list of at most {limit} values"
        if len(value) > limit:
            return f"has {len(value)} values; at most {limit} are allowed"
        for element in value:
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


class ReferenceRules:
    """The pre-optimisation ``Rules`` (validation.py before its fast paths), kept as the oracle."""

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
        self.writable_checks: dict[str, Check] = {
            key: rule.problem for key, rule in self.attributes.items()
            if not rule.read_only and key != "_user_id"
        }
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

    def contact_errors(self, item: Any) -> Errors:
        if not isinstance(item, dict):
            return {"": ["each item must be a JSON object"]}
        errors: Errors = {}
        problem = _user_id_problem(item.get("_user_id"))
        if problem is not None:
            errors["_user_id"] = [problem]
        self._attribute_errors(item, errors, prefix="")
        return errors

    def _attribute_errors(self, attributes: Mapping[str, Any], errors: Errors,
                          prefix: str) -> None:
        rules = self.attributes
        checks = self.writable_checks
        for key, value in attributes.items():
            check = checks.get(key)
            if check is not None:
                if value is not None:
                    problem = check(value)
                    if problem is not None:
                        errors[prefix + key] = _reworded(rules[key], value, problem)
                continue
            rule = rules.get(key)
            if rule is None:
                errors[prefix + key] = ["is not an attribute of this datasource"]
            elif rule.read_only:
                errors[prefix + key] = ["is read-only and cannot be written"]
            elif value is not None and key != "_user_id":
                problem = rule.problem(value)
                if problem is not None:
                    errors[prefix + key] = _reworded(rule, value, problem)

    def event_errors(self, item: Any) -> Errors:
        if not isinstance(item, dict):
            return {"": ["each item must be a JSON object"]}
        errors: Errors = {}
        for key in item:
            if key not in EVENT_KEYS:
                errors[key] = ["is not an event field (contact attributes go in _user_data)"]
        user_id = item.get("_user_id")
        problem = _user_id_problem(user_id)
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
                self._attribute_errors(user_data, errors, prefix="_user_data.")
        return errors

    def _parameter_errors(self, event_type: str, parameters: Mapping[str, Any],
                          errors: Errors) -> None:
        rules = self.parameters.get(event_type, {})
        for name, value in parameters.items():
            rule = rules.get(name)
            key = "_event_parameters." + name
            if rule is None:
                errors[key] = [f"is not a parameter of event type {event_type!r}"]
            elif value is not None:
                problem = rule.problem(value)
                if problem is not None:
                    errors[key] = _reworded(rule, value, problem)
        for name, rule in rules.items():
            if rule.required and parameters.get(name) is None:
                errors["_event_parameters." + name] = ["is required"]


# -- the datasources -------------------------------------------------------------------------

DATA_TYPES = ("text", "string", "number", "decimal", "integer", "bool", "date", "datetime",
              "email", "phone", "payload", "mystery")


def _attribute(uid: str, data_type: str, multivalue: int | None = 0,
               read_only: bool = False) -> dict[str, Any]:
    return {"uid": uid, "dataType": data_type, "multivalue": multivalue, "readOnly": read_only}


def _parameter(name: str, data_type: str, max_length: int | None = None,
               required: bool = False, multi_value: int | None = 0) -> dict[str, Any]:
    return {"parameter": name, "dataType": data_type, "maxLength": max_length,
            "required": required, "multiValue": multi_value}


#: Every data type single, multi-value (1 is still single), read-only; ``_user_id`` writable.
CUSTOM_ATTRIBUTES = (
    _attribute("_user_id", "string"),
    *(_attribute(f"{kind}_one", kind, multivalue=None) for kind in DATA_TYPES),
    *(_attribute(f"{kind}_single", kind, multivalue=1) for kind in DATA_TYPES),
    *(_attribute(f"{kind}_many", kind, multivalue=3) for kind in DATA_TYPES),
    *(_attribute(f"{kind}_fixed", kind, read_only=True) for kind in DATA_TYPES[::3]),
)
#: Every data type as a parameter, with and without a maxLength, single and multi-value.
CUSTOM_PARAMETERS = {
    "plain": tuple(_parameter(f"{kind}_p", kind, required=kind in ("text", "date"))
                   for kind in DATA_TYPES),
    "limited": tuple(_parameter(f"{kind}_p", kind, max_length=length, required=kind == "bool")
                     for kind, length in zip(DATA_TYPES, (0, 3, 10, 2, 5, 1, 10, 30, 12, 9, 2, 4),
                                             strict=True)),
    "listed": tuple(_parameter(f"{kind}_p", kind, max_length=5 if index % 2 else None,
                               multi_value=2 + index % 3)
                    for index, kind in enumerate(DATA_TYPES)),
    "empty": (),
}
CUSTOM_EVENTS = ({"uid": "plain"}, {"uid": "limited"}, {"uid": "listed"}, {"uid": "empty"},
                 {"uid": "no_specs"})
#: ``_user_id`` itself read-only, and a datasource with no attributes at all.
LOCKED_ATTRIBUTES = (_attribute("_user_id", "string", read_only=True),
                     _attribute("name", "text"), _attribute("tags", "text", multivalue=2))

DATASOURCES = {
    "demo": (demo.ATTRIBUTES, demo.EVENTS, demo.EVENT_PARAMETERS),
    "custom": (CUSTOM_ATTRIBUTES, CUSTOM_EVENTS, CUSTOM_PARAMETERS),
    "locked": (LOCKED_ATTRIBUTES, demo.EVENTS, demo.EVENT_PARAMETERS),
    "bare": ((), (), {}),
}
ZONE = ZoneInfo(demo.TIMEZONE)


def rules_pair(name: str) -> tuple[Rules, ReferenceRules]:
    attributes, events, parameters = DATASOURCES[name]
    return (Rules(attributes, events, parameters, ZONE),
            ReferenceRules(attributes, events, parameters, ZONE))


# -- the values ------------------------------------------------------------------------------

#: Texts near every check's edge: valid and invalid emails, phones, dates, date-times, numbers.
TEXTS = (
    "", " ", "\t", "\u3000", "x", "Ada Lovelace", "1", "0", "true", "yes", "12", " 12 ", "-7",
    "+3", "12abc", "1.5", "-3.25", "3,25", "1e5", "1E-3", "1.", ".5", ".", "e5", "nan", "inf",
    "١٢", "ada@example.com", "a.b+c@sub.example.org", "ada@example", "a@b.c.", "a@@b.co",
    "a b@c.de", "a@b..co", "@b.co", "a@.co", "ada@example.com ", "é@ñ.es",
    "a" * 245 + "@b.co", "a" * 250 + "@b.co", "+34600000000", "+1234567", "+123456",
    "+123456789012345", "+1234567890123456", "+0123456", "34600000000", "+34 600 000 000",
    "+٣٤٦٠٠٠٠٠٠٠", "1990-02-28", "1990-02-30", "2000-01-01", "01/02/2000", "2026-W48-5",
    "20261127", "2026-11-27T10:15:00.000Z", "2026-11-27 10:15", "2026-11-27t10:15:00+01:00",
    "2026-11-27T25:00", "2026-11-27", "2026-11-27T10:15:00+99:00", "yesterday", "x" * 40,
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1.0, -0.0, 2.5, 1e300]),
    st.sampled_from(TEXTS),
    st.text(alphabet="0123456789+-.eE@ \t\u00a0abcTZ:/,", max_size=20),
    st.text(max_size=8),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=6),
    st.dictionaries(st.text(max_size=3), SCALARS, max_size=2),
)


def _valid(data_type: str) -> st.SearchStrategy[Any]:
    """Values the service accepts for ``data_type`` (the usual path)."""
    if data_type in ("number", "decimal"):
        return st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         st.sampled_from(["12", " -3.25 ", "1e5", ".5"]))
    if data_type == "integer":
        return st.one_of(st.integers(), st.integers(-10**6, 10**6).map(float),
                         st.sampled_from(["12", " -7 "]))
    if data_type == "bool":
        return st.one_of(st.booleans(), st.sampled_from(["1", "0"]))
    if data_type == "date":
        return st.dates().map(date.isoformat)
    if data_type == "datetime":
        return st.datetimes().map(datetime.isoformat)
    if data_type == "email":
        return st.from_regex(r"[a-z0-9._+-]{1,12}@[a-z0-9-]{1,8}(\.[a-z]{2,4}){1,2}",
                             fullmatch=True)
    if data_type == "phone":
        return st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True)
    if data_type == "payload":
        return VALUES
    return st.text(max_size=12)


def _value(data_type: str, multi: int, max_length: int | None = None) -> st.SearchStrategy[Any]:
    """Mostly acceptable values for one field, often not."""
    single = _valid(data_type)
    if max_length is not None:
        single = single.filter(lambda value: not isinstance(value, str)
                               or len(value) <= max_length) | single
    usual = st.lists(single, max_size=multi) if multi > 1 else single
    return st.one_of(usual, usual, usual, VALUES)


def _contact(attributes: Iterable[Mapping[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    optional = {spec["uid"]: _value(spec["dataType"], spec["multivalue"] or 0)
                for spec in attributes if spec["uid"] != "_user_id"}
    user_ids = st.one_of(st.text(min_size=1, max_size=8), st.integers(), VALUES)
    known = st.fixed_dictionaries({}, optional={"_user_id": user_ids, **optional})
    extra = st.dictionaries(st.sampled_from(["unknown", "_user_id", "Plan", "", *optional]),
                            VALUES, max_size=2)
    return st.tuples(known, extra, st.booleans()).map(
        lambda parts: {**parts[1], **parts[0]} if parts[2] else {**parts[0], **parts[1]})


ITEMS_NOT_OBJECTS = st.one_of(SCALARS, st.lists(SCALARS, max_size=2))


@st.composite
def _event(draw: st.DrawFn, name: str) -> Any:
    attributes, events, parameters = DATASOURCES[name]
    if draw(st.integers(0, 15)) == 0:
        return draw(ITEMS_NOT_OBJECTS)
    types = [spec["uid"] for spec in events]
    event_type = draw(st.one_of(st.sampled_from(types), VALUES) if types else VALUES)
    item: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        item["_user_id"] = draw(st.one_of(st.text(min_size=1, max_size=6), st.integers(), VALUES))
    if draw(st.integers(0, 9)):
        item["_event_id"] = draw(st.one_of(st.text(max_size=6), VALUES))
    if draw(st.integers(0, 9)):
        item["_event_type"] = event_type
    if draw(st.booleans()):
        item["_event_date"] = draw(st.one_of(st.datetimes().map(datetime.isoformat),
                                             st.sampled_from(TEXTS), VALUES))
    specs = parameters.get(event_type, ()) if isinstance(event_type, str) else ()
    if draw(st.integers(0, 4)):
        optional = {spec["parameter"]: _value(spec["dataType"], spec["multiValue"] or 0,
                                              spec["maxLength"]) for spec in specs}
        given_parameters = draw(st.fixed_dictionaries({}, optional=optional))
        given_parameters.update(draw(st.dictionaries(st.sampled_from(["other", *optional]),
                                                     VALUES, max_size=2)))
        item["_event_parameters"] = draw(st.one_of(st.just(given_parameters),
                                                   st.just(given_parameters), VALUES))
    if draw(st.booleans()):
        user_data = draw(st.one_of(_contact(attributes), VALUES))
        if isinstance(user_data, dict) and "_user_id" in item and draw(st.booleans()):
            user_data["_user_id"] = item["_user_id"]  # the usual, matching id
        item["_user_data"] = user_data
    if draw(st.integers(0, 6)) == 0:
        item[draw(st.sampled_from(["extra", "_user_id ", "plan"]))] = draw(VALUES)
    order = draw(st.permutations(list(item)))
    return {key: item[key] for key in order}


def _same(found: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    assert list(found.items()) == list(expected.items())  # order of fields too


PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("name", list(DATASOURCES))
def test_contact_errors_match_the_reference(name: str) -> None:
    rules, reference = rules_pair(name)

    @PROPERTY
    @given(st.one_of(_contact(DATASOURCES[name][0]), ITEMS_NOT_OBJECTS))
    def check(item: Any) -> None:
        _same(rules.contact_errors(item), reference.contact_errors(item))

    check()


@pytest.mark.parametrize("name", list(DATASOURCES))
def test_event_errors_match_the_reference(name: str) -> None:
    rules, reference = rules_pair(name)

    @PROPERTY
    @given(_event(name))
    def check(item: Any) -> None:
        _same(rules.event_errors(item), reference.event_errors(item))

    check()


@pytest.mark.parametrize("name", ["demo", "custom"])
@given(data=st.data())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_value_of_every_field_matches_the_reference(name: str, data: st.DataObject) -> None:
    """One field at a time, any value: each check and its fast path agree on their own."""
    rules, reference = rules_pair(name)
    attributes, _, parameters = DATASOURCES[name]
    spec = data.draw(st.sampled_from([*attributes]))
    value = data.draw(st.one_of(_value(spec["dataType"], spec["multivalue"] or 0), VALUES))
    item = {"_user_id": "U1", spec["uid"]: value}
    _same(rules.contact_errors(item), reference.contact_errors(item))
    event_type = data.draw(st.sampled_from(sorted(parameters)))
    if parameters[event_type]:
        parameter = data.draw(st.sampled_from(parameters[event_type]))
        value = data.draw(st.one_of(_value(parameter["dataType"], parameter["multiValue"] or 0,
                                           parameter["maxLength"]), VALUES))
        event = {"_user_id": "U1", "_event_id": "E1", "_event_type": event_type,
                 "_event_parameters": {parameter["parameter"]: value}}
        _same(rules.event_errors(event), reference.event_errors(event))


def test_the_generated_items_reach_both_valid_and_invalid_answers() -> None:
    """Guard for the properties above: they are only worth something if both outcomes occur."""
    rules, _ = rules_pair("demo")
    outcomes: set[bool] = set()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_contact(demo.ATTRIBUTES), _event("demo"))
    def collect(contact: dict[str, Any], event: Any) -> None:
        outcomes.add(not rules.contact_errors(contact))
        outcomes.add(not rules.event_errors(event))

    collect()
    assert outcomes == {True, False}
