"""IngestClient over httpx.MockTransport: requests, answers of both shapes, every error."""

from __future__ import annotations

import inspect
import json
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from ingest_gui import __version__
from ingest_gui.api.client import IngestClient
from ingest_gui.api.errors import (
    AuthError,
    BadRequestError,
    IngestError,
    InsecureURLError,
    NotFoundError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    TransportError,
)
from ingest_gui.api.results import RateLimit
from tests.api.helpers import (
    BASE_URL,
    ROOT_PATH,
    TOKEN,
    Recorder,
    answer,
    chunked,
    make_client,
    shape_a,
    shape_b,
)

CONTACTS = [{"_user_id": f"U{i}", "_email": f"u{i}@example.com"} for i in range(3)]


# -- construction -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "https://api.instasent.com/v1",
        "https://api.instasent.com/v1/",
        "http://127.0.0.1:8765/v1",
        "http://127.10.20.30/v1",
        "http://localhost:9000/v1",
        "http://[::1]:9000/v1",
        "HTTPS://API.example.com/v1",
    ],
)
def test_accepts_https_and_loopback_http(url):
    with IngestClient(url, "p", "d", TOKEN) as client:
        assert not client.base_url.endswith("/")
        assert client.datasource_key == f"{client.base_url}|p|d"


@pytest.mark.parametrize(
    "url",
    [
        "http://api.instasent.com/v1",
        "http://192.168.1.10/v1",
        "http://10.0.0.1:8765/v1",
        "http://localhost.example.com/v1",
        "http://[::ffff:8.8.8.8]/v1",
        "ftp://api.instasent.com/v1",
        "api.instasent.com/v1",
        "https:///v1",
    ],
)
def test_refuses_insecure_or_unusable_urls(url):
    with pytest.raises(InsecureURLError) as caught:
        IngestClient(url, "p", "d", TOKEN)
    assert "https://" in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["https://user:pw@api.example.com/v1", "https://api.example.com/v1?x=1",
            "https://api.example.com:99999/v1"]
)
def test_refuses_urls_with_credentials_queries_or_bad_ports(url):
    with pytest.raises(IngestError):
        IngestClient(url, "p", "d", TOKEN)


def test_datasource_key_and_repr_name_the_target_not_the_token():
    client = make_client(Recorder(answer(200, {})))
    assert client.datasource_key == f"{BASE_URL}|proj|ds"
    assert "proj" in repr(client)
    assert "ds" in repr(client)
    assert TOKEN not in repr(client)
    assert TOKEN not in repr(client._http.auth)
    client.close()


@pytest.mark.parametrize("token", ["", "   ", "with space", "line\nbreak", "acc\u00e9nt"])
def test_unusable_tokens_are_refused_without_echoing_them(token):
    with pytest.raises(AuthError) as caught:
        IngestClient(BASE_URL, "p", "d", token)
    if token.strip():
        assert token not in str(caught.value)


def test_token_is_trimmed_of_surrounding_whitespace():
    recorder = Recorder(answer(200, {}))
    client = IngestClient(BASE_URL, "proj", "ds", f"  {TOKEN}\n",
                          transport=httpx.MockTransport(recorder))
    client.stream_info()
    assert recorder.last.headers["authorization"] == f"Bearer {TOKEN}"
    client.close()


def test_tls_verification_is_always_on_and_cannot_be_switched_off():
    assert "verify" not in inspect.signature(IngestClient.__init__).parameters
    with IngestClient("https://api.example.com/v1", "p", "d", TOKEN, max_connections=4) as client:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context.verify_mode is ssl.CERT_REQUIRED
        assert pool._ssl_context.check_hostname is True
        assert pool._max_connections == 4


def test_a_loopback_http_client_loads_no_certificates_and_still_requires_them():
    with IngestClient("http://127.0.0.1:8765/v1", "p", "d", TOKEN) as client:
        context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode is ssl.CERT_REQUIRED
        assert context.check_hostname is True
        assert context.cert_store_stats()["x509_ca"] == 0
    with IngestClient("https://api.example.com/v1", "p", "d", TOKEN) as client:
        context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.cert_store_stats()["x509_ca"] > 0


def test_timeouts_are_explicit():
    with IngestClient(BASE_URL, "p", "d", TOKEN, timeout=20.0) as client:
        assert client.timeout == httpx.Timeout(20.0, connect=10.0)
        assert client._http.timeout == client.timeout
    custom = httpx.Timeout(5.0, read=60.0)
    with IngestClient(BASE_URL, "p", "d", TOKEN, timeout=custom) as client:
        assert client._http.timeout == custom


def test_max_connections_must_be_positive():
    with pytest.raises(ValueError, match="max_connections"):
        IngestClient(BASE_URL, "p", "d", TOKEN, max_connections=0)


# -- requests -----------------------------------------------------------------------------------
def test_every_request_carries_auth_user_agent_and_the_datasource_path():
    recorder = Recorder(answer(200, {"datasource": {"name": "Shop"}}))
    with make_client(recorder) as client:
        assert client.stream_info().datasource_name == "Shop"
    request = recorder.last
    assert request.method == "GET"
    assert request.url.path == f"{ROOT_PATH}/stream"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["user-agent"] == f"InstasentIngestWizard/{__version__}"
    assert request.headers["accept"] == "application/json"


def test_project_and_datasource_ids_are_url_encoded():
    recorder = Recorder(answer(200, {}))
    client = IngestClient(BASE_URL, "my project", "a/b", TOKEN,
                          transport=httpx.MockTransport(recorder))
    client.stream_info()
    assert recorder.last.url.raw_path == b"/v1/project/my%20project/datasource/a%2Fb/stream"
    client.close()


@pytest.mark.parametrize(
    ("flags", "query"),
    [({}, b""), ({"dry_run": True}, b"_dryRun"), ({"sync": True}, b"_sync"),
     ({"dry_run": True, "sync": True}, b"_dryRun&_sync")],
)
def test_post_contacts_sends_a_json_array_and_bare_flags(flags, query):
    recorder = Recorder(answer(202, shape_a([0, 1, 2], {}, dry_run=flags.get("dry_run", False))))
    with make_client(recorder) as client:
        result = client.post_contacts(CONTACTS, **flags)
    request = recorder.last
    assert request.method == "POST"
    assert request.url.path == f"{ROOT_PATH}/stream/contacts"
    assert request.url.query == query
    assert request.headers["content-type"] == "application/json"
    assert recorder.last_json() == CONTACTS
    assert result.accepted_count == 3
    assert result.dry_run is flags.get("dry_run", False)


def test_post_events_goes_to_the_events_endpoint_with_nested_mappings():
    from types import MappingProxyType

    event = {"_user_id": "U1", "_event_id": "E1", "_event_type": "purchase",
             "_event_parameters": MappingProxyType({"amount": 12.5, "products": ("a", "b")})}
    recorder = Recorder(answer(202, shape_a([0], {})))
    with make_client(recorder) as client:
        client.post_events([event], sync=True)
    assert recorder.last.url.raw_path == f"{ROOT_PATH}/stream/events?_sync".encode()
    assert recorder.last_json()[0]["_event_parameters"] == {"amount": 12.5,
                                                           "products": ["a", "b"]}


def test_unicode_is_sent_as_utf8():
    recorder = Recorder(answer(202, shape_a([0], {})))
    with make_client(recorder) as client:
        client.post_contacts([{"_user_id": "Ñ1", "_first_name": "José"}])
    assert "José".encode() in recorder.last.content


@pytest.mark.parametrize("count", [0, 101])
def test_batches_outside_1_to_100_are_a_programming_error(count):
    recorder = Recorder(answer(202, {}))
    items = [{"_user_id": str(i)} for i in range(count)]
    with make_client(recorder) as client:
        with pytest.raises(ValueError, match="1 to 100"):
            client.post_contacts(items)
        with pytest.raises(ValueError, match="1 to 100"):
            client.post_events(items)
    assert recorder.requests == []


def test_a_full_batch_of_100_is_allowed():
    recorder = Recorder(answer(202, shape_a(list(range(100)), {})))
    with make_client(recorder) as client:
        result = client.post_contacts([{"_user_id": str(i)} for i in range(100)])
    assert result.accepted_count == 100


# -- specs and stream ---------------------------------------------------------------------------
STREAM = {
    "organization": {"name": "Acme", "api": {"tier": "pro"}},
    "project": {"id": "p1", "name": "Demo project", "timezone": "Europe/Madrid", "locale": "es"},
    "datasource": {"id": "d1", "name": "Shop", "defaultCountry": "es", "timezone": "Europe/Madrid",
                   "receivedContacts": 5, "receivedEvents": 7},
    "stream": {"callsTotal": 10, "callsSuccess": 9, "callsFailures": 1},
    "token": {"kind": "datasource"},
}
ATTRIBUTES = [
    {"uid": "_user_id", "displayLabel": "User", "dataType": "string", "multivalue": 0},
    {"uid": "interests", "displayLabel": "Interests", "dataType": "string", "multivalue": 5,
     "custom": True, "somethingNew": 1},
    {"uid": "mood", "dataType": "hologram"},
]
EVENTS = [{"uid": "purchase", "name": "Purchase"}, {"uid": "signup", "name": "Sign-up"}]
PARAMS = {
    "purchase": [{"parameter": "amount", "dataType": "decimal", "required": True},
                 {"parameter": "order_id", "dataType": "string", "maxLength": 32}],
    "signup": [{"parameter": "source", "dataType": "text", "maxLength": None}],
}


def spec_server(request: httpx.Request) -> httpx.Response:
    path = request.url.path.removeprefix(ROOT_PATH)
    if path == "/stream":
        return answer(200, STREAM)
    if path == "/stream/specs/attributes":
        return answer(200, {"specs": ATTRIBUTES})
    if path == "/stream/specs/events":
        return answer(200, EVENTS)  # a bare list is tolerated
    if path.startswith("/stream/specs/event-parameters/"):
        return answer(200, {"specs": PARAMS[path.rsplit("/", 1)[1]]})
    return answer(404, {"message": "no route"})


def test_stream_info_is_parsed():
    with make_client(spec_server) as client:
        info = client.stream_info()
    assert (info.organization_name, info.project_name, info.datasource_name) == (
        "Acme", "Demo project", "Shop")
    assert (info.default_country, info.timezone, info.api_tier) == ("ES", "Europe/Madrid", "pro")
    assert (info.calls_total, info.received_events) == (10, 7)


def test_fetch_specs_reads_every_endpoint_and_every_event_types_parameters():
    recorder = Recorder(spec_server)
    with make_client(recorder) as client:
        specs = client.fetch_specs()
    paths = [request.url.path.removeprefix(ROOT_PATH) for request in recorder.requests]
    assert "/stream/specs/event-parameters/purchase" in paths
    assert "/stream/specs/event-parameters/signup" in paths
    assert [spec.uid for spec in specs.attributes] == ["_user_id", "interests", "mood"]
    assert specs.attribute("interests").is_list
    assert specs.attribute("mood").data_type == "hologram"
    assert specs.attribute("mood").effective_type == "text"
    assert [event.uid for event in specs.events] == ["purchase", "signup"]
    assert [p.parameter for p in specs.parameters_of("purchase")] == ["amount", "order_id"]
    assert specs.parameters_of("purchase")[0].required
    assert specs.parameters_of("purchase")[1].max_length == 32
    assert specs.parameters_of("signup")[0].max_length is None
    assert (specs.default_country, specs.timezone) == ("ES", "Europe/Madrid")


def test_event_type_in_the_parameter_path_is_encoded():
    recorder = Recorder(answer(200, {"specs": []}))
    with make_client(recorder) as client:
        assert client.event_parameter_specs("odd type/x") == ()
    assert recorder.last.url.raw_path.endswith(b"/stream/specs/event-parameters/odd%20type%2Fx")


@pytest.mark.parametrize(
    "body",
    [{"specs": {"uid": "x"}}, {"nothing": []}, "specs", 42, {"specs": [1, 2]},
     {"specs": [{"displayLabel": "no uid"}]}, {"specs": [{"uid": ""}]}, {"specs": [{"uid": 7}]}],
)
def test_malformed_spec_lists_raise_response_format_error(body):
    with make_client(Recorder(answer(200, body))) as client, pytest.raises(ResponseFormatError):
        client.attribute_specs()


@pytest.mark.parametrize("body", [[], "x", 3, None])
def test_stream_info_that_is_not_an_object_is_a_format_error(body):
    response = answer(200, raw=json.dumps(body).encode())
    with make_client(Recorder(response)) as client, pytest.raises(ResponseFormatError):
        client.stream_info()


# -- contacts: read and delete ------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [{"_user_id": "U1", "plan": "pro"}, {"entity": {"_user_id": "U1", "plan": "pro"}},
     {"contact": {"_user_id": "U1", "plan": "pro"}}, {"data": {"_user_id": "U1", "plan": "pro"}}],
)
def test_get_contact_tolerates_wrapped_and_bare_contacts(body):
    recorder = Recorder(answer(200, body))
    with make_client(recorder) as client:
        assert client.get_contact("U1") == {"_user_id": "U1", "plan": "pro"}
    assert recorder.last.url.path == f"{ROOT_PATH}/stream/contacts/U1"


def test_get_contact_of_an_unknown_user_is_none():
    with make_client(Recorder(answer(404, {"message": "Contact not found"}))) as client:
        assert client.get_contact("nobody") is None


@pytest.mark.parametrize("raw", [b"<html>", b"[1, 2]", b""])
def test_get_contact_malformed_answers(raw):
    with make_client(Recorder(answer(200, raw=raw))) as client, pytest.raises(ResponseFormatError):
        client.get_contact("U1")


@pytest.mark.parametrize(
    ("user_id", "raw_tail"),
    [("a/b c", b"/stream/contacts/a%2Fb%20c"), ("..", b"/stream/contacts/%2E%2E"),
     ("x?y#z", b"/stream/contacts/x%3Fy%23z"), ("Ñ", b"/stream/contacts/%C3%91")],
)
def test_delete_encodes_the_user_id(user_id, raw_tail):
    recorder = Recorder(answer(202, {"accepted": [{"position": 0, "item": user_id}]}))
    with make_client(recorder) as client:
        result = client.delete_contact(user_id)
    assert recorder.last.method == "DELETE"
    assert recorder.last.url.raw_path == ROOT_PATH.encode() + raw_tail
    assert [(item.position, item.accepted) for item in result.items] == [(0, True)]


@pytest.mark.parametrize("response", [answer(204), answer(200, raw=b"OK"), answer(202, {})])
def test_delete_success_without_a_write_answer_counts_as_done(response):
    with make_client(Recorder(response)) as client:
        result = client.delete_contact("U1")
    assert result.accepted_count == 1
    assert len(result.items) == 1


def test_delete_of_a_missing_contact_is_one_rejected_item_with_the_service_message():
    with make_client(Recorder(answer(404, {"message": "Contact U9 not found"}))) as client:
        result = client.delete_contact("U9")
    assert result.status == 404
    assert [item.accepted for item in result.items] == [False]
    assert "Contact U9 not found" in result.items[0].messages()[0]


def test_delete_answer_in_shape_a_or_b_is_honoured():
    body = {"errors": [{"position": 0, "item": "U1", "error": "locked"}]}
    with make_client(Recorder(answer(202, body))) as client:
        assert client.delete_contact("U1").items[0].messages() == ["locked"]
    with make_client(Recorder(answer(202, shape_b([{"": ["locked"]}])))) as client:
        assert client.delete_contact("U1").rejected_count == 1


@pytest.mark.parametrize(
    ("status", "error"), [(401, AuthError), (403, AuthError), (500, ServerError),
                          (429, RateLimitedError), (400, BadRequestError)]
)
def test_delete_other_errors_raise(status, error):
    with make_client(Recorder(answer(status, {"message": "no"}))) as client, pytest.raises(error):
        client.delete_contact("U1")


# -- write answers: both shapes -----------------------------------------------------------------
def test_shape_a_maps_every_item_in_request_order():
    body = {
        "success": True, "dryRun": False,
        "accepted": [{"position": 2, "item": CONTACTS[2]}, {"position": 0, "item": CONTACTS[0]}],
        "errors": [{"position": 1, "item": CONTACTS[1], "error": "Invalid email"}],
    }
    with make_client(Recorder(answer(202, body))) as client:
        result = client.post_contacts(CONTACTS)
    assert [(i.position, i.accepted) for i in result.items] == [(0, True), (1, False), (2, True)]
    assert result.items[1].messages() == ["Invalid email"]
    assert (result.accepted_count, result.rejected_count, result.status) == (2, 1, 202)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("Invalid email", {"": ("Invalid email",)}),
        (["too long", "bad chars"], {"": ("too long", "bad chars")}),
        ({"_email": "Invalid format"}, {"_email": ("Invalid format",)}),
        ({"_email": ["Invalid format", "Too long"], "age": ["NaN"]},
         {"_email": ("Invalid format", "Too long"), "age": ("NaN",)}),
        (None, {"": ("The service rejected this item without giving a reason.",)}),
        (12, {"": ("12",)}),
    ],
)
def test_shape_a_error_forms(error, expected):
    body = shape_a([0, 2], {1: error})
    if error is None:
        del body["errors"][0]["error"]
    with make_client(Recorder(answer(202, body))) as client:
        result = client.post_contacts(CONTACTS)
    assert dict(result.items[1].errors) == expected


def test_shape_b_maps_every_item():
    body = shape_b([True, {"_email": ["Invalid format"]}, True])
    with make_client(Recorder(answer(202, body))) as client:
        result = client.post_contacts(CONTACTS)
    assert [(i.position, i.accepted) for i in result.items] == [(0, True), (1, False), (2, True)]
    assert result.items[1].messages() == ["_email: Invalid format"]
    assert result.dry_run is False


def test_shape_b_with_echoed_user_ids_that_match():
    body = shape_b([True, {"_email": ["bad"]}, True])
    for item, contact in zip(body["entity"]["items"], CONTACTS, strict=True):
        item["_user_id"] = contact["_user_id"]
    with make_client(Recorder(answer(202, body))) as client:
        assert client.post_contacts(CONTACTS).accepted_count == 2


@pytest.mark.parametrize("shape", ["A", "B"])
def test_422_is_a_result_with_every_item_rejected(shape):
    body = (shape_a([], {0: "bad", 1: "bad", 2: {"_email": ["bad"]}}) if shape == "A"
            else shape_b([{"x": ["bad"]}] * 3))
    with make_client(Recorder(answer(422, body))) as client:
        result = client.post_events(CONTACTS)
    assert result.status == 422
    assert result.rejected_count == 3
    assert all(item.messages() for item in result.items)


@pytest.mark.parametrize("shape", ["A", "B"])
def test_422_never_reports_an_item_accepted_even_if_the_body_claims_so(shape):
    body = shape_a([0, 1], {2: "bad"}) if shape == "A" else shape_b([True, True, {"x": ["bad"]}])
    with make_client(Recorder(answer(422, body))) as client:
        result = client.post_contacts(CONTACTS)
    assert result.accepted_count == 0
    assert all(item.messages() for item in result.items)


@pytest.mark.parametrize(
    ("response", "fragment"),
    [(answer(422, {"message": "All items invalid"}), "All items invalid"),
     (answer(422, raw=b"<html>oops</html>"), "without giving a reason"),
     (answer(422, {"accepted": "nonsense"}), "without giving a reason")],
)
def test_422_in_no_known_shape_still_rejects_every_item(response, fragment):
    with make_client(Recorder(response)) as client:
        result = client.post_contacts(CONTACTS)
    assert result.rejected_count == 3
    assert fragment in result.items[0].messages()[0]


@pytest.mark.parametrize("dry_run_in_answer", [True, False])
def test_dry_run_flag_comes_from_the_answer(dry_run_in_answer):
    with make_client(Recorder(answer(202, shape_a([0], {}, dry_run=dry_run_in_answer)))) as c:
        assert c.post_contacts(CONTACTS[:1], dry_run=True).dry_run is dry_run_in_answer


def test_dry_run_flag_absent_from_the_answer_falls_back_to_the_request():
    with make_client(Recorder(answer(202, shape_b([True])))) as client:
        assert client.post_contacts(CONTACTS[:1], dry_run=True).dry_run is True
        assert client.post_contacts(CONTACTS[:1]).dry_run is False


def _a(**changes):
    body = shape_a([0, 1], {2: "bad"}, items=CONTACTS)
    body.update(changes)
    return body


MALFORMED_WRITE_ANSWERS = {
    "not JSON": answer(202, raw=b"<html>Bad gateway</html>"),
    "empty body": answer(202, raw=b""),
    "truncated JSON": answer(202, raw=b'{"accepted": [{"position": 0'),
    "NaN constant": answer(202, raw=b'{"accepted": NaN}'),
    "invalid UTF-8": answer(202, raw=b'{"message": "\xff\xfe"}'),
    "a list": answer(202, [1, 2, 3]),
    "a string": answer(202, "ok"),
    "neither shape": answer(202, {"success": True}),
    "accepted not a list": answer(202, _a(accepted={"position": 0})),
    "errors not a list": answer(202, _a(errors="bad")),
    "missing position": answer(202, _a(accepted=[{"position": 0}])),
    "position out of range": answer(202, _a(accepted=[{"position": 0}, {"position": 3}])),
    "negative position": answer(202, _a(accepted=[{"position": 0}, {"position": -1}])),
    "bool position": answer(202, _a(accepted=[{"position": 0}, {"position": True}])),
    "string position": answer(202, _a(accepted=[{"position": 0}, {"position": "1"}])),
    "float position": answer(202, _a(accepted=[{"position": 0}, {"position": 1.0}])),
    "duplicate position": answer(202, _a(accepted=[{"position": 0}, {"position": 0}])),
    "accepted and rejected": answer(202, _a(accepted=[{"position": 0}, {"position": 2}])),
    "entry not an object": answer(202, _a(accepted=[0, 1])),
    "no positions at all": answer(202, {"accepted": [], "errors": []}),
    "mismatched user id A": answer(
        202, _a(accepted=[{"position": 0, "item": CONTACTS[1]}, {"position": 1}])),
    "B items not a list": answer(202, {"entity": {"items": {"0": "success"}}}),
    "B missing items": answer(202, {"entity": {"successful": 3}}),
    "B too few items": answer(202, shape_b([True, True])),
    "B too many items": answer(202, shape_b([True, True, True, True])),
    "B unknown status": answer(202, {"entity": {"items": [{"status": "maybe"}] * 3}}),
    "B missing status": answer(202, {"entity": {"items": [{}, {}, {}]}}),
    "B item not an object": answer(202, {"entity": {"items": ["success"] * 3}}),
    "mismatched user id B": answer(202, {"entity": {"items": [
        {"status": "success", "_user_id": "U0"}, {"status": "success", "_user_id": "U2"},
        {"status": "success", "_user_id": "U1"}]}}),
}


@pytest.mark.parametrize("case", list(MALFORMED_WRITE_ANSWERS))
def test_malformed_write_answers_raise_and_accept_nothing(case):
    client = make_client(Recorder(MALFORMED_WRITE_ANSWERS[case]))
    with client, pytest.raises(ResponseFormatError) as caught:
        client.post_contacts(CONTACTS)
    assert caught.value.retryable
    assert "no item" in str(caught.value) or "not valid JSON" in str(caught.value)


# -- sizes and slowness -------------------------------------------------------------------------
def test_a_declared_huge_answer_is_not_read():
    response = httpx.Response(202, headers={"Content-Length": str(17 * 1024 * 1024)},
                              content=iter([b"{}"]))
    with make_client(Recorder(response)) as client, pytest.raises(ResponseFormatError,
                                                                  match="16 MiB"):
        client.post_contacts(CONTACTS)


def test_a_streamed_answer_beyond_the_cap_is_cut_off():
    produced: list[int] = []

    def endless() -> Iterator[bytes]:
        for _ in range(64):
            produced.append(1)
            yield b"[" * (1024 * 1024)

    with make_client(Recorder(chunked(endless()))) as client, pytest.raises(ResponseFormatError):
        client.post_contacts(CONTACTS)
    assert len(produced) <= 17  # stopped reading right after 16 MiB


def test_the_answer_cap_is_configurable():
    body = json.dumps(shape_a([0, 1, 2], {})).encode()
    client = make_client(Recorder(chunked(iter([body]))), max_answer_bytes=len(body) - 1)
    with client, pytest.raises(ResponseFormatError):
        client.post_contacts(CONTACTS)
    with make_client(Recorder(chunked(iter([body]))), max_answer_bytes=len(body)) as client:
        assert client.post_contacts(CONTACTS).accepted_count == 3


def test_a_slow_drip_answer_is_abandoned_at_the_deadline():
    now = [0.0]

    def drip() -> Iterator[bytes]:
        for byte in json.dumps(shape_a([0, 1, 2], {})).encode():
            now[0] += 10.0  # each byte "takes" ten seconds
            yield bytes([byte])

    client = make_client(Recorder(chunked(drip())), clock=lambda: now[0], answer_deadline=60.0)
    with client, pytest.raises(TransportError, match="too slowly") as caught:
        client.post_contacts(CONTACTS)
    assert caught.value.retryable


def test_a_timeout_in_the_middle_of_the_answer_is_a_transport_error():
    def stalls() -> Iterator[bytes]:
        yield b'{"accepted": ['
        raise httpx.ReadTimeout("timed out")

    with make_client(Recorder(chunked(stalls()))) as client, pytest.raises(TransportError,
                                                                           match="in time"):
        client.post_contacts(CONTACTS)


def test_a_connection_dropped_mid_answer_is_a_transport_error():
    def dropped() -> Iterator[bytes]:
        yield b'{"accepted": ['
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")

    with make_client(Recorder(chunked(dropped()))) as client, pytest.raises(TransportError,
                                                                            match="cut"):
        client.post_contacts(CONTACTS)


# -- error statuses -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "error", "retryable", "fragment"),
    [
        (401, AuthError, False, "token was refused (401)"),
        (403, AuthError, False, "not allowed"),
        (404, NotFoundError, False, "project 'proj' with datasource 'ds'"),
        (400, BadRequestError, False, "invalid (HTTP 400)"),
        (405, BadRequestError, False, "HTTP 405"),
        (409, BadRequestError, False, "HTTP 409"),
        (500, ServerError, True, "HTTP 500"),
        (502, ServerError, True, "HTTP 502"),
        (503, ServerError, True, "HTTP 503"),
        (504, ServerError, True, "HTTP 504"),
        (301, ResponseFormatError, True, "status 301"),
        (429, RateLimitedError, True, "rate limit"),
    ],
)
def test_every_error_status_maps_to_its_exception(status, error, retryable, fragment):
    calls = {
        "stream_info": lambda client: client.stream_info(),
        "attribute_specs": lambda client: client.attribute_specs(),
        "post_contacts": lambda client: client.post_contacts(CONTACTS),
    }
    for call in calls.values():
        client = make_client(Recorder(answer(status)))
        with client, pytest.raises(error) as caught:
            call(client)
        assert type(caught.value) is error
        assert caught.value.retryable is retryable
        assert fragment in str(caught.value)
        if status != 429:
            assert caught.value.status == status


@pytest.mark.parametrize(
    "body",
    [{"message": "Body must be an array"}, {"error": "Body must be an array"},
     {"errors": ["Body must be an array"]}, {"errors": {"body": "Body must be an array"}}],
)
def test_bad_request_message_comes_from_message_error_or_errors(body):
    with make_client(Recorder(answer(400, body))) as client, pytest.raises(BadRequestError) as e:
        client.post_contacts(CONTACTS)
    assert "Body must be an array" in str(e.value)


def test_rate_limited_error_carries_reset_and_retry_after():
    headers = {"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0",
               "X-RateLimit-Reset": "1900000030", "Retry-After": "12"}
    client = make_client(Recorder(answer(429, headers=headers)), wall_clock=lambda: 1900000000.0)
    with client, pytest.raises(RateLimitedError) as caught:
        client.post_contacts(CONTACTS)
    error = caught.value
    assert (error.reset_at, error.retry_after, error.status) == (1900000030.0, 12.0, 429)
    assert error.rate_limit == RateLimit(600, 0, 1900000030.0, 12.0)
    assert "about 12 s." in str(error)


def test_rate_limited_without_retry_after_waits_until_reset():
    headers = {"X-RateLimit-Reset": "1900000045"}
    client = make_client(Recorder(answer(429, headers=headers)), wall_clock=lambda: 1900000000.0)
    with client, pytest.raises(RateLimitedError) as caught:
        client.post_events(CONTACTS)
    assert caught.value.retry_after is None
    assert "about 45 s." in str(caught.value)


@pytest.mark.parametrize(
    ("raised", "fragment"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "Could not connect"),
        (httpx.ConnectTimeout("timed out"), "did not answer in time"),
        (httpx.ReadTimeout("timed out"), "did not answer in time"),
        (httpx.WriteTimeout("timed out"), "did not answer in time"),
        (httpx.PoolTimeout("timed out"), "did not answer in time"),
        (httpx.RemoteProtocolError("Server disconnected"), "cut before the answer"),
        (httpx.ReadError("Connection reset by peer"), "failed"),
        (httpx.ProxyError("proxy said no"), "failed"),
    ],
)
def test_transport_failures_are_transport_errors(raised, fragment):
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    with make_client(handler) as client, pytest.raises(TransportError) as caught:
        client.post_contacts(CONTACTS)
    assert fragment in str(caught.value)
    assert caught.value.retryable
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


# -- rate-limit headers -------------------------------------------------------------------------
def test_every_answer_exposes_its_rate_limit_and_the_latest_is_kept():
    recorder = Recorder(
        answer(202, shape_a([0], {}), headers={"X-RateLimit-Limit": "600",
                                                "X-RateLimit-Remaining": "599",
                                                "X-RateLimit-Reset": "1900000060"}),
        answer(500, headers={"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "598",
                             "X-RateLimit-Reset": "1900000060"}),
    )
    with make_client(recorder) as client:
        assert client.last_rate_limit == RateLimit()
        result = client.post_contacts(CONTACTS[:1])
        assert result.rate_limit == RateLimit(600, 599, 1900000060.0, None)
        assert client.last_rate_limit == result.rate_limit
        with pytest.raises(ServerError) as caught:
            client.post_contacts(CONTACTS[:1])
        assert caught.value.rate_limit == RateLimit(600, 598, 1900000060.0, None)
        assert client.last_rate_limit.remaining == 598


def test_small_reset_values_are_seconds_from_now():
    headers = {"X-RateLimit-Reset": "42"}
    client = make_client(Recorder(answer(200, {}, headers=headers)), wall_clock=lambda: 1000.5)
    with client:
        client.stream_info()
        assert client.last_rate_limit.reset_at == 1042.5


def test_retry_after_as_an_http_date():
    now = 1_900_000_000.0
    date = format_datetime(datetime.fromtimestamp(now + 90, tz=UTC), usegmt=True)
    client = make_client(Recorder(answer(429, headers={"Retry-After": date})),
                         wall_clock=lambda: now)
    with client, pytest.raises(RateLimitedError) as caught:
        client.stream_info()
    assert caught.value.retry_after == pytest.approx(90.0)


@pytest.mark.parametrize(
    "headers",
    [{"X-RateLimit-Limit": "lots", "X-RateLimit-Remaining": "-3", "X-RateLimit-Reset": "soon",
      "Retry-After": "whenever"},
     {"X-RateLimit-Limit": "nan", "X-RateLimit-Remaining": "inf", "X-RateLimit-Reset": "1e999",
      "Retry-After": "Mon, 99 Foo 2026"}],
)
def test_unreadable_rate_limit_headers_become_none(headers):
    with make_client(Recorder(answer(200, {}, headers=headers))) as client:
        client.stream_info()
        assert client.last_rate_limit == RateLimit()


def test_last_rate_limit_is_safe_to_share_between_threads():
    counter = iter(range(10_000))
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            remaining = next(counter)
        return answer(202, shape_a([0], {}), headers={"X-RateLimit-Remaining": str(remaining)})

    errors: list[BaseException] = []
    with make_client(handler, max_connections=4) as client:
        def work() -> None:
            try:
                for _ in range(25):
                    result = client.post_contacts(CONTACTS[:1])
                    assert result.accepted_count == 1
                    assert client.last_rate_limit.remaining is not None
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors
        assert 0 <= client.last_rate_limit.remaining < 100
