"""Answer parsing on its own: property tests over random and generated answers."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.api.errors import IngestError, ResponseFormatError
from ingest_gui.api.parsing import (
    decode_json,
    decode_write_answer,
    parse_rate_limit,
    parse_spec_list,
    parse_write_answer,
    service_message,
    unwrap_contact,
)
from ingest_gui.api.results import RateLimit
from ingest_gui.api.specs import AttributeSpec, EventParameterSpec, EventSpec, StreamInfo
from tests.api.helpers import Recorder, answer, make_client

FAST = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                                       allow_infinity=False) | (
    st.text(max_size=20))
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=12,
)

#: JSON that looks a lot like a write answer, so the parser's deeper branches get exercised.
entry = st.fixed_dictionaries(
    {},
    optional={
        "position": st.integers(-2, 6) | st.booleans() | st.text(max_size=2) | st.none(),
        "item": json_values,
        "error": json_values,
        "errors": json_values,
        "status": st.sampled_from(["success", "error", "SUCCESS", "weird", ""]) | json_values,
        "_user_id": st.sampled_from(["U0", "U1", "U2", "X"]) | json_values,
    },
)
answerish = st.fixed_dictionaries(
    {},
    optional={
        "accepted": st.lists(entry, max_size=6) | json_values,
        "errors": st.lists(entry, max_size=6) | json_values,
        "dryRun": json_values,
        "message": json_values,
        "entity": st.fixed_dictionaries({}, optional={"items": st.lists(entry, max_size=6)
                                                      | json_values}) | json_values,
    },
)

SENT = [{"_user_id": f"U{i}"} for i in range(3)]

@st.composite
def echo_answers(draw: st.DrawFn) -> tuple[int, dict[str, Any]]:
    """``(count, body)``: a shape-A answer for ``count`` items sent as ``U0``, ``U1``, ...

    Mostly well formed, so the rules deep inside are reached: each entry's position and echo
    is usually right, sometimes off (a wrong, padded, integer or missing user id, an echo that
    is text or of another type, a position out of range, twice or missing).
    """
    count = draw(st.integers(1, 4))
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    # Half the answers list every item in order and accept them all, as the service usually
    # does: the parser has a shortcut for that form.
    usual = draw(st.booleans())
    for position in range(count) if usual else draw(st.permutations(range(count))):
        if draw(st.integers(0, 9)) == 0:
            continue  # the answer forgets this item
        entry: dict[str, Any] = {"position": position if draw(st.integers(0, 7)) else draw(
            st.sampled_from([-1, count, True, None, str(position), float(position)]))}
        user_id = f"U{position}"
        echo = draw(st.sampled_from(
            [{"_user_id": user_id}] * 6
            + [{"_user_id": f" {user_id} "}, {"_user_id": "X"}, {"_user_id": position},
               {"_user_id": None}, {}, {"_user_id": True}, user_id, "X", position, None,
               [user_id], 1.5, "absent"]))
        if echo != "absent":
            entry["item"] = ({**echo, "name": draw(json_values)}
                             if isinstance(echo, dict) and draw(st.booleans()) else echo)
        if usual or draw(st.booleans()):
            accepted.append(entry)
        else:
            key = draw(st.sampled_from(["error", "errors", "message"]))
            entry[key] = draw(json_values)
            rejected.append(entry)
        if draw(st.integers(0, 14)) == 0:
            accepted.append(dict(entry))  # reported twice
    body: dict[str, Any] = {"success": True, "accepted": accepted, "errors": rejected}
    if draw(st.booleans()):
        body["dryRun"] = draw(json_values)
    return count, body


def _ids(items: list[dict[str, Any]]) -> list[str | None]:
    """What the parser is given: the ``_user_id`` of each item sent."""
    return [item.get("_user_id") for item in items]


def _said_accepted(body: Any, position: int) -> bool:
    """Whether ``body`` itself reports the item at ``position`` as accepted."""
    entity = body.get("entity") if isinstance(body, dict) else None
    if isinstance(entity, dict):
        status = entity["items"][position]["status"]
        return status.strip().lower() in {"success", "ok", "accepted", "created", "updated",
                                          "deleted"}
    return position in [entry.get("position") for entry in body["accepted"]]


@FAST
@given(body=json_values | answerish, status=st.sampled_from([200, 202, 422]),
       count=st.integers(1, 4))
def test_parsing_any_json_raises_only_ingest_errors(body, status, count):
    sent = [{"_user_id": f"U{i}"} for i in range(count)]
    try:
        result = parse_write_answer(body, _ids(sent), status=status, rate_limit=RateLimit())
    except ResponseFormatError:
        return
    assert [item.position for item in result.items] == list(range(count))
    if status == 422:
        assert result.accepted_count == 0
    for item in result.items:
        assert item.accepted or item.messages(), "a rejected item always says why"
        assert not item.accepted or _said_accepted(body, item.position)


@FAST
@given(raw=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()),
       status=st.sampled_from([200, 202, 400, 401, 404, 422, 429, 500]))
def test_the_client_meets_random_bytes_with_only_ingest_errors(raw, status):
    with make_client(Recorder(answer(status, raw=raw))) as client:
        for call in (lambda: client.post_contacts(SENT), client.stream_info,
                     client.attribute_specs, client.event_specs,
                     lambda: client.event_parameter_specs("purchase"),
                     lambda: client.get_contact("U1"), lambda: client.delete_contact("U1")):
            with contextlib.suppress(IngestError):
                call()


@FAST
@given(body=json_values)
def test_spec_and_contact_parsers_raise_only_format_errors(body):
    for factory, key in ((AttributeSpec.from_json, "uid"), (EventSpec.from_json, "uid"),
                         (EventParameterSpec.from_json, "parameter")):
        for wrapped in (body, {"specs": body}, {"specs": [body]}):
            with contextlib.suppress(ResponseFormatError):
                parse_spec_list(wrapped, factory, key, "things")
    with contextlib.suppress(ResponseFormatError):
        unwrap_contact(body)
    service_message(body)
    if isinstance(body, dict):
        StreamInfo.from_json(body)


@FAST
@given(headers=st.dictionaries(
    st.sampled_from(["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                     "retry-after"]),
    st.text(max_size=40) | st.integers(-10**12, 10**12).map(str)
    | st.floats().map(str)),
    now=st.floats(0, 4e9))
def test_rate_limit_headers_never_raise(headers, now):
    limit = parse_rate_limit(headers, now)
    for value in (limit.limit, limit.remaining, limit.reset_at, limit.retry_after):
        assert value is None or value >= 0


@FAST
@given(accepted=st.lists(st.booleans(), min_size=1, max_size=100),
       shape=st.sampled_from(["A", "B"]), data=st.data())
def test_generated_answers_of_both_shapes_round_trip(accepted, shape, data):
    """Any correct answer, in either shape and any entry order, is read back exactly."""
    sent = [{"_user_id": f"U{i}"} for i in range(len(accepted))]
    body: dict[str, Any]
    if shape == "A":
        ok = [{"position": i, "item": sent[i]} for i, a in enumerate(accepted) if a]
        bad = [{"position": i, "item": sent[i], "error": {"_email": [f"bad {i}"]}}
               for i, a in enumerate(accepted) if not a]
        body = {"accepted": data.draw(st.permutations(ok)),
                "errors": data.draw(st.permutations(bad)), "dryRun": True}
    else:
        body = {"entity": {"items": [
            {"status": "success", "_user_id": f"U{i}"} if a
            else {"status": "error", "_user_id": f"U{i}", "errors": {"_email": [f"bad {i}"]}}
            for i, a in enumerate(accepted)]}}
    result = parse_write_answer(body, _ids(sent), status=202, rate_limit=RateLimit(),
                                requested_dry_run=shape == "B")
    assert [item.accepted for item in result.items] == accepted
    assert result.dry_run is True
    for item in result.items:
        assert item.messages() == ([] if item.accepted else [f"_email: bad {item.position}"])


def test_deeply_nested_json_is_a_format_error_not_a_crash():
    raw = b"[" * 100_000 + b"]" * 100_000
    client = make_client(Recorder(answer(202, raw=raw)))
    with client, pytest.raises(ResponseFormatError):
        client.post_contacts(SENT)


def test_nested_error_messages_are_flattened():
    body = {"errors": [{"position": 0, "error": {"_email": [{"code": "x", "text": "bad"}]}}],
            "accepted": [{"position": 1}, {"position": 2}]}
    result = parse_write_answer(body, _ids(SENT), status=202, rate_limit=RateLimit())
    assert result.items[0].messages() == ["_email: code: x; text: bad"]


def test_long_messages_are_clipped():
    body = {"errors": [{"position": 0, "error": "x" * 10_000}],
            "accepted": [{"position": 1}, {"position": 2}]}
    result = parse_write_answer(body, _ids(SENT), status=202, rate_limit=RateLimit())
    assert len(result.items[0].messages()[0]) <= 500


def test_huge_integers_are_a_format_error():
    raw = b'{"accepted": [{"position": ' + b"9" * 5000 + b"}]}"
    client = make_client(Recorder(httpx.Response(202, content=raw)))
    with client, pytest.raises(ResponseFormatError, match="not valid JSON"):
        client.post_contacts(SENT)


@pytest.mark.parametrize("raw", [
    json.dumps({"accepted": [{"position": 0}, {"position": 1}],
                "errors": [{"position": 2, "error": "bad"}]}).encode("utf-16"),
    b"\xef\xbb\xbf" + json.dumps({"accepted": [{"position": 0}, {"position": 1}],
                                  "errors": [{"position": 2, "error": "bad"}]}).encode(),
    b'{"accepted": [{"position": 0}, {"position": 1}],'
    b' "errors": [{"position": 2, "error": "bad \\ud800"}]}',
], ids=["utf-16", "utf-8 BOM", "lone surrogate escape"])
def test_answers_the_fast_decoder_refuses_are_still_read(raw):
    # msgspec reads only plain UTF-8 without lone surrogates; json's reading of the rest stays.
    client = make_client(Recorder(httpx.Response(202, content=raw)))
    with client:
        result = client.post_contacts(SENT)
    assert [item.accepted for item in result.items] == [True, True, False]
    assert result.items[2].messages()[0].startswith("bad")


@pytest.mark.parametrize("raw", [b'{"accepted": [{"position": NaN}]}',
                                 b'{"accepted": [{"position": 1e999}]}',
                                 b'{"accepted": []} trailing'])
def test_what_neither_decoder_accepts_is_a_format_error(raw):
    client = make_client(Recorder(httpx.Response(202, content=raw)))
    with client, pytest.raises(ResponseFormatError):
        client.post_contacts(SENT)


def _parsed(decoded: Any, count: int, status: int) -> Any:
    try:
        return parse_write_answer(decoded, [f"U{i}" for i in range(count)], status=status,
                                  rate_limit=RateLimit(), redact=str.upper)
    except ResponseFormatError as error:
        return f"ResponseFormatError: {error}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sent=echo_answers() | st.tuples(st.integers(1, 4), answerish | json_values),
       status=st.sampled_from([200, 202]), ascii_only=st.booleans())
def test_skimmed_answers_are_read_exactly_as_whole_ones(answer_sent, status, ascii_only):
    """The fast decoding of write answers (echoes read as their user id) changes no result."""
    count, body = answer_sent
    raw = json.dumps(body, ensure_ascii=ascii_only).encode()
    whole = _parsed(decode_json(raw, "this batch"), count, status)
    assert _parsed(decode_write_answer(raw), count, status) == whole


def test_the_usual_answer_takes_the_skimmed_path():
    # The speed of every upload rests on it: a shape-A answer's echoes are not built as dicts.
    raw = json.dumps({"success": True, "accepted": [
        {"position": i, "item": {"_user_id": f"U{i}", "_email": "a@b.es", "tags": ["x"]}}
        for i in range(3)], "errors": []}).encode()
    decoded = decode_write_answer(raw)
    assert set(decoded) == {"accepted", "errors"}
    assert all(not isinstance(entry, dict) for entry in decoded["accepted"])
    result = parse_write_answer(decoded, ["U0", "U1", "U2"], status=202, rate_limit=RateLimit())
    assert [item.accepted for item in result.items] == [True, True, True]
