"""Bearer auth, unknown datasources, and the per-datasource, per-endpoint rate limit."""

from __future__ import annotations

import httpx
import pytest

from ingest_gui.sandbox.server import DEFAULT_TOKEN, SandboxConfig, SandboxServer
from tests.sandbox.conftest import AUTH, Api, FakeClock

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer wrong-token"},
    {"Authorization": f"Basic {DEFAULT_TOKEN}"},
    {"Authorization": "Bearer"},
])
def test_missing_or_wrong_token_is_401_with_a_message(sandbox, headers):
    with httpx.Client(base_url=sandbox.base_url, verify=False) as http:
        for method, path in [("GET", "/stream"), ("POST", "/stream/contacts"),
                             ("GET", "/stream/specs/attributes"),
                             ("DELETE", "/stream/contacts/U1")]:
            response = http.request(method, "/project/demo/datasource/demo" + path,
                                    headers=headers, json=[{"_user_id": "U1"}])
            assert response.status_code == 401
            message = response.json()["message"]
            assert "token" in message.lower()
            assert DEFAULT_TOKEN not in message
        state = http.get(sandbox.root_url + "/_sandbox/state", headers=headers)
        assert state.status_code == 401
    assert sandbox.state()["contacts"] == {}


@pytest.mark.parametrize("path", ["/project/other/datasource/demo/stream",
                                  "/project/demo/datasource/other/stream/contacts"])
def test_unknown_project_or_datasource_is_404(sandbox, path):
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, verify=False) as http:
        response = http.request("GET" if path.endswith("stream") else "POST", path,
                                json=[{"_user_id": "U1"}])
    assert response.status_code == 404
    assert "other" in response.json()["message"]
    assert sandbox.state()["contacts"] == {}


def test_unknown_path_is_a_json_404(sandbox):
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, verify=False) as http:
        response = http.get("/nothing/here")
    assert response.status_code == 404
    assert response.json()["message"]


def test_no_rate_limit_headers_when_unlimited(api):
    assert not any(name in api.get().headers for name in RATE_HEADERS)


@pytest.fixture
def limited():
    """A server of its own on a fake clock, so no test straddles a real window boundary."""
    clock = FakeClock(1_800_000_000.0)
    with SandboxServer(SandboxConfig(rate_limit=50), clock=clock) as server:
        api = Api(server)
        yield server, api, clock
        api.close()


def test_rate_limit_headers_on_every_answer(limited):
    _server, api, _clock = limited
    answers = [
        api.get(),
        api.get("/specs/attributes"),
        api.contacts([{"_user_id": "U1"}]),
        api.contacts([{"_user_id": "U1", "_email": "bad"}]),  # 422
        api.contacts([]),  # 400
        api.delete("GHOST"),  # 404
        api.http.get(api.stream, headers={"Authorization": "Bearer wrong"}),  # 401
    ]
    for answer in answers:
        assert all(name in answer.headers for name in RATE_HEADERS), answer.status_code
        assert answer.headers["X-RateLimit-Limit"] == "50"
        # A Unix timestamp: the end of the current one-minute window.
        assert answer.headers["X-RateLimit-Reset"] == "1800000060"
    contacts_remaining = [int(a.headers["X-RateLimit-Remaining"]) for a in answers[2:5]]
    assert contacts_remaining == [49, 48, 47]  # per endpoint: the GETs count elsewhere
    assert answers[0].headers["X-RateLimit-Remaining"] == "49"
    # The 401 did not spend the GET /stream budget.
    assert answers[-1].headers["X-RateLimit-Remaining"] == "49"


def test_exceeding_the_limit_is_an_empty_429_until_the_window_resets():
    clock = FakeClock(1_800_000_030.0)  # 30 s into a minute window
    with SandboxServer(SandboxConfig(rate_limit=3), clock=clock) as server:
        api = Api(server)
        try:
            statuses = [api.contacts([{"_user_id": f"U{i}"}]).status_code for i in range(3)]
            assert statuses == [202, 202, 202]
            limited = api.contacts([{"_user_id": "LATE"}])
            assert limited.status_code == 429
            assert limited.content == b""
            assert limited.headers["X-RateLimit-Remaining"] == "0"
            assert limited.headers["X-RateLimit-Limit"] == "3"
            reset = int(limited.headers["X-RateLimit-Reset"])
            assert reset == 1_800_000_060
            assert "LATE" not in server.state()["contacts"]
            # Other endpoints have their own budget.
            assert api.events([{"_user_id": "U0", "_event_id": "E",
                                "_event_type": "signup"}]).status_code == 202
            assert api.get().status_code == 200
            # Still limited until the reset moment...
            clock.now = reset - 0.5
            assert api.contacts([{"_user_id": "LATE"}]).status_code == 429
            # ...and a fresh window after it.
            clock.now = reset
            fresh = api.contacts([{"_user_id": "LATE"}])
            assert fresh.status_code == 202
            assert fresh.headers["X-RateLimit-Remaining"] == "2"
            assert fresh.headers["X-RateLimit-Reset"] == str(reset + 60)
            assert "LATE" in server.state()["contacts"]
            stream = api.get().json()["stream"]
            assert stream["callsFailures"] == 2
        finally:
            api.close()


def test_limits_are_per_datasource():
    clock = FakeClock()
    config = SandboxConfig(project="p", datasource="ds1", rate_limit=1)
    with SandboxServer(config, clock=clock) as one, \
            SandboxServer(SandboxConfig(project="p", datasource="ds2", rate_limit=1),
                          clock=clock) as two:
        first, second = Api(one), Api(two)
        try:
            assert first.get().status_code == 200
            assert first.get().status_code == 429
            assert second.get().status_code == 200
        finally:
            first.close()
            second.close()


def test_shorter_windows_and_reset_clear_the_counters(limited):
    server, api, clock = limited
    server.set_rate_limit(1, window_seconds=5)
    assert server.config.rate_limit_window == 5
    first = api.get()
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Reset"] == "1800000005"
    assert api.get().status_code == 429
    server.reset()
    assert api.get().status_code == 200
    assert api.get().status_code == 429
    clock.now += 5
    assert api.get().status_code == 200


def test_the_shared_fixture_controls_the_limit(sandbox, api):
    # A window far longer than the test, so it cannot roll over mid-test on the real clock.
    sandbox.set_rate_limit(2, window_seconds=10**9)
    assert [api.get().status_code for _ in range(3)] == [200, 200, 429]
    sandbox.set_rate_limit(None)
    assert api.get().status_code == 200
    sandbox.set_rate_limit(5)
    assert sandbox.config.rate_limit_window == 60  # back to the configured minute


def test_invalid_rate_limits_are_refused(sandbox):
    with pytest.raises(ValueError, match="at least 1"):
        sandbox.set_rate_limit(0)
    with pytest.raises(ValueError, match="longer than 0"):
        sandbox.set_rate_limit(5, window_seconds=0)
