"""IngestClient against the real sandbox server over loopback HTTP: every endpoint, both answer
shapes, every error status the service can produce."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.api.errors import (
    AuthError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from tests.api.helpers import exception_texts

SHAPES = ["A", "B"]


@pytest.fixture
def client(sandbox):
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0, max_connections=4) as client:
        yield client


def _contact(user_id: str, **attributes: object) -> dict[str, object]:
    return {"_user_id": user_id, **attributes}


def _purchase(user_id: str, event_id: str, **parameters: object) -> dict[str, object]:
    return {"_user_id": user_id, "_event_id": event_id, "_event_type": "purchase",
            "_event_parameters": {"order_id": f"O-{event_id}", "amount": 12.5, **parameters}}


# -- reads --------------------------------------------------------------------------------------
def test_stream_info(client):
    info = client.stream_info()
    assert info.project_name == "Demo project"
    assert info.datasource_name == "Demo datasource"
    assert (info.default_country, info.timezone) == ("ES", "Europe/Madrid")


def test_fetch_specs_reads_the_demo_datasource(client):
    specs = client.fetch_specs()
    uids = {spec.uid for spec in specs.attributes}
    assert {"_user_id", "_email", "_phone_mobile", "_email_verified", "interests"} <= uids
    assert specs.attribute("_email_verified").read_only
    assert specs.attribute("interests").multivalue == 5
    assert specs.attribute("loyalty_tier").effective_type == "text"
    assert {event.uid for event in specs.events} == {
        "purchase", "viewed_product", "reservation_made", "signup"}
    order_id = specs.parameters_of("purchase")[0]
    assert (order_id.parameter, order_id.required, order_id.max_length) == ("order_id", True, 32)
    assert not any(parameter.required for parameter in specs.parameters_of("signup"))
    assert (specs.default_country, specs.timezone) == ("ES", "Europe/Madrid")


def test_unknown_event_type_parameters_are_not_found(client):
    with pytest.raises(NotFoundError, match="no event type 'teleport'"):
        client.event_parameter_specs("teleport")


def test_get_contact_round_trips_awkward_user_ids(client, sandbox):
    user_id = "a/b c?Ñ#1"
    assert client.get_contact(user_id) is None
    assert client.post_contacts([_contact(user_id, plan="pro")]).accepted_count == 1
    contact = client.get_contact(user_id)
    assert contact is not None
    assert (contact["_user_id"], contact["plan"]) == (user_id, "pro")
    assert user_id in sandbox.state()["contacts"]


# -- writes, both shapes ------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES)
def test_post_contacts_reports_every_item(client, sandbox, shape):
    sandbox.set_answer_shape(shape)
    result = client.post_contacts([
        _contact("U1", _email="ada@example.com"),
        _contact("U2", _email_verified="1"),  # read-only
        _contact("U3", plan="pro"),
    ], sync=True)
    assert result.status == 202
    assert [(item.position, item.accepted) for item in result.items] == [
        (0, True), (1, False), (2, True)]
    assert any("_email_verified" in message for message in result.items[1].messages())
    assert result.dry_run is False
    assert set(sandbox.state()["contacts"]) == {"U1", "U3"}


@pytest.mark.parametrize("shape", SHAPES)
def test_dry_run_writes_nothing_and_says_so(client, sandbox, shape):
    sandbox.set_answer_shape(shape)
    result = client.post_contacts([_contact("U1"), _contact("U2", _email_verified="1")],
                                  dry_run=True)
    assert result.dry_run is True
    assert [item.accepted for item in result.items] == [True, False]
    assert sandbox.state()["contacts"] == {}


@pytest.mark.parametrize("shape", SHAPES)
def test_post_events_reports_every_item(client, sandbox, shape):
    sandbox.set_answer_shape(shape)
    client.post_contacts([_contact("U1")])
    bad = {"_user_id": "U1", "_event_id": "E2", "_event_type": "purchase",
           "_event_parameters": {"amount": 3}}  # order_id is required
    result = client.post_events([_purchase("U1", "E1"), bad, _purchase("U1", "E3")])
    assert [item.accepted for item in result.items] == [True, False, True]
    assert any("order_id" in message for message in result.items[1].messages())
    assert [event["_event_id"] for event in sandbox.state()["events"]] == ["E1", "E3"]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_batch_where_every_item_fails_is_a_422_result(client, sandbox, shape):
    sandbox.set_answer_shape(shape)
    result = client.post_contacts([_contact("U1", _email_verified="1"),
                                   _contact("U2", no_such_attribute="x")])
    assert result.status == 422
    assert result.rejected_count == 2
    assert all(item.messages() for item in result.items)
    events = client.post_events([{"_user_id": "U1", "_event_type": "nope", "_event_id": "E"}])
    assert (events.status, events.rejected_count) == (422, 1)


@pytest.mark.parametrize("shape", SHAPES)
def test_delete_contact(client, sandbox, shape):
    sandbox.set_answer_shape(shape)
    client.post_contacts([_contact("U1"), _contact("x/y")])
    for user_id in ("U1", "x/y"):
        result = client.delete_contact(user_id)
        assert [(item.position, item.accepted) for item in result.items] == [(0, True)]
    assert sandbox.state()["contacts"] == {}
    missing = client.delete_contact("U1")
    assert missing.status == 404
    assert [item.accepted for item in missing.items] == [False]
    assert "U1" in missing.items[0].messages()[0]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_full_batch_of_100(client, sandbox, shape):
    sandbox.set_answer_shape(shape)
    result = client.post_contacts([_contact(f"U{i}") for i in range(100)])
    assert result.accepted_count == 100
    assert len(sandbox.state()["contacts"]) == 100


# -- errors -------------------------------------------------------------------------------------
def test_wrong_token_is_an_auth_error_without_the_token(sandbox):
    wrong = "tok-WRONG-91c2f0aa77"
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, wrong) as client:
        for call in (client.stream_info, client.fetch_specs,
                     lambda: client.post_contacts([_contact("U1")]),
                     lambda: client.delete_contact("U1"), lambda: client.get_contact("U1")):
            with pytest.raises(AuthError, match=r"\(401\)") as caught:
                call()
            assert wrong not in exception_texts(caught.value)
            assert config.token not in exception_texts(caught.value)
    assert sandbox.state()["contacts"] == {}


def test_unknown_datasource_is_not_found(sandbox):
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, "nope", config.token) as client:
        with pytest.raises(NotFoundError, match="datasource 'nope'"):
            client.stream_info()
        with pytest.raises(NotFoundError):
            client.post_events([_purchase("U1", "E1")])


def test_rate_limit_headers_and_429(client, sandbox):
    sandbox.set_rate_limit(2)
    before = time.time()
    client.stream_info()
    first = client.last_rate_limit
    assert (first.limit, first.remaining) == (2, 1)
    assert first.reset_at is not None
    assert before - 1 <= first.reset_at <= before + 61
    client.stream_info()
    with pytest.raises(RateLimitedError) as caught:
        client.stream_info()
    error = caught.value
    assert error.reset_at is not None or error.retry_after is not None
    assert error.rate_limit.remaining == 0
    assert client.last_rate_limit.remaining == 0
    # Another endpoint has its own budget.
    assert client.post_contacts([_contact("U1")]).rate_limit.remaining == 1


@pytest.mark.parametrize(("fault", "error"), [("500=1", ServerError), ("503=1", ServerError),
                                              ("429=1", RateLimitedError)])
def test_injected_faults_raise_and_apply_nothing(client, sandbox, fault, error):
    sandbox.set_faults(fault)
    with pytest.raises(error):
        client.post_contacts([_contact("U1")])
    assert sandbox.state()["contacts"] == {}


def test_a_dropped_answer_is_a_transport_error_even_though_the_batch_applied(client, sandbox):
    sandbox.set_faults("drop=1")
    with pytest.raises(TransportError, match="cut"):
        client.post_contacts([_contact("U1")])
    sandbox.set_faults(None)
    # The batch was applied before the cut: resending it is what makes idempotency matter.
    assert "U1" in sandbox.state()["contacts"]
    assert client.post_contacts([_contact("U1")]).accepted_count == 1


def test_nothing_is_listening_is_a_transport_error(sandbox):
    from ingest_gui.sandbox.server import SandboxConfig, SandboxServer

    with SandboxServer(SandboxConfig()) as server:
        base_url = server.base_url
    client = IngestClient(base_url, "demo", "demo", "t", timeout=2.0)
    with client, pytest.raises(TransportError, match="Could not connect"):
        client.stream_info()


# -- sharing one client -------------------------------------------------------------------------
def test_one_client_shared_by_four_threads(client, sandbox):
    errors: list[BaseException] = []
    results = []
    lock = threading.Lock()

    def upload(worker: int) -> None:
        try:
            for batch in range(3):
                items = [_contact(f"W{worker}-B{batch}-{i}") for i in range(100)]
                result = client.post_contacts(items)
                with lock:
                    results.append(result)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=upload, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(result.accepted_count for result in results) == 1200
    assert len(sandbox.state()["contacts"]) == 1200


def test_live_traffic_logs_never_contain_the_token(client, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    client.fetch_specs()
    client.post_contacts([_contact("U1")])
    client.delete_contact("U1")
    client.get_contact("U1")
    assert caplog.records, "debug logging was captured"
    assert sandbox.config.token not in caplog.text


def test_proxy_settings_from_the_environment_never_apply_to_loopback(sandbox, monkeypatch):
    # A proxy meant for the internet must not swallow calls to the local sandbox.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token) as c:
        assert c.stream_info().datasource_name == "Demo datasource"


def test_read_contact_gives_the_record_and_the_rate_limit_headers(client, sandbox):
    sandbox.set_rate_limit(40)
    missing = client.read_contact("R-1")
    assert missing.record is None
    assert missing.rate_limit.limit == 40
    assert missing.rate_limit.remaining == 39
    client.post_contacts([{"_user_id": "R-1", "_first_name": "Ana"}], sync=True)
    found = client.read_contact("R-1")
    assert found.record is not None
    assert found.record["_first_name"] == "Ana"
    assert found.rate_limit.remaining == 38  # per endpoint: the write is not counted here
