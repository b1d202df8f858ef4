"""Fault injection: spec parsing, each fault kind over HTTP, and determinism under a seed."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from ingest_gui.sandbox.faults import FaultInjector, FaultPlan
from ingest_gui.sandbox.server import SandboxConfig, SandboxServer


def test_the_documented_example_parses():
    plan = FaultPlan.parse("500=0.05,503=0.02,429=0.05,drop=0.02,latency=0-50ms,seed=3")
    assert plan.probabilities == (("500", 0.05), ("503", 0.02), ("429", 0.05), ("drop", 0.02))
    assert plan.latency == (0.0, 0.05)
    assert plan.seed == 3


@pytest.mark.parametrize(("spec", "latency"), [
    ("latency=20ms", (0.02, 0.02)),
    ("latency=20", (0.02, 0.02)),
    ("latency=0.1-1s", (0.1, 1.0)),
    ("latency=100ms-1s", (0.1, 1.0)),
    (" latency = 5 - 10ms , ", (0.005, 0.01)),
])
def test_latency_forms(spec, latency):
    assert FaultPlan.parse(spec).latency == pytest.approx(latency)


@pytest.mark.parametrize("spec", [None, "", " , "])
def test_empty_specs_mean_no_faults(spec):
    plan = FaultPlan.parse(spec)
    assert not plan.active
    assert FaultInjector(plan).draw() == (None, 0.0)


@pytest.mark.parametrize(("spec", "fragment"), [
    ("404=0.1", "Unknown fault '404'"),
    ("500", "KEY=VALUE"),
    ("500=", "KEY=VALUE"),
    ("500=lots", "between 0 and 1"),
    ("500=1.5", "between 0 and 1"),
    ("drop=-0.1", "between 0 and 1"),
    ("500=0.6,503=0.6", "at most 1"),
    ("latency=fast", "duration or a range"),
    ("latency=50-10ms", "smaller to the larger"),
    ("seed=abc", "whole number"),
    ("500=0.1,500=0.2", "twice"),
])
def test_unparseable_specs_raise_a_clear_value_error(spec, fragment):
    with pytest.raises(ValueError, match=fragment):
        FaultPlan.parse(spec)
    with pytest.raises(ValueError, match=fragment):
        SandboxServer(SandboxConfig(faults=spec))


def test_set_faults_rejects_a_bad_spec_and_keeps_the_old_one(sandbox):
    sandbox.set_faults("500=0.5")
    with pytest.raises(ValueError, match="Unknown fault"):
        sandbox.set_faults("boom=1")
    assert sandbox.config.faults == "500=0.5"


def test_probabilities_are_honoured_in_the_long_run():
    injector = FaultInjector(FaultPlan.parse("500=0.1,503=0.2,429=0.05,drop=0.15,seed=11"))
    counts = Counter(injector.draw()[0] for _ in range(20_000))
    for kind, share in [("500", 0.1), ("503", 0.2), ("429", 0.05), ("drop", 0.15),
                        (None, 0.5)]:
        assert counts[kind] / 20_000 == pytest.approx(share, abs=0.015)


def test_latency_draws_stay_in_range():
    injector = FaultInjector(FaultPlan.parse("latency=10-30ms,seed=1"))
    delays = [injector.draw()[1] for _ in range(500)]
    assert min(delays) >= 0.01
    assert max(delays) <= 0.03
    assert max(delays) - min(delays) > 0.015


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_do_not_apply_the_write(api, sandbox, status):
    api.contacts([{"_user_id": "BEFORE"}])
    api.events([{"_user_id": "BEFORE", "_event_id": "E0", "_event_type": "signup"}])
    sandbox.set_faults(f"{status}=1")
    contacts = api.contacts([{"_user_id": "U1"}])
    assert contacts.status_code == status
    assert contacts.json()["message"]
    assert api.events([{"_user_id": "BEFORE", "_event_id": "E1",
                        "_event_type": "signup"}]).status_code == status
    assert api.delete("BEFORE").status_code == status
    # Reads and the sandbox controls are never faulted.
    assert api.get().status_code == 200
    assert api.get("/contacts/BEFORE").status_code == 200
    state = api.state()
    assert set(state["contacts"]) == {"BEFORE"}
    assert [event["_event_id"] for event in state["events"]] == ["E0"]


def test_a_429_burst_is_empty_with_a_near_reset_and_not_applied(api, sandbox):
    sandbox.set_faults("429=1")
    before = int(time.time())
    response = api.contacts([{"_user_id": "U1"}])
    assert response.status_code == 429
    assert response.content == b""
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert before + 1 <= int(response.headers["X-RateLimit-Reset"]) <= int(time.time()) + 1
    assert sandbox.state()["contacts"] == {}


def test_drop_applies_the_batch_then_cuts_the_connection(api, sandbox):
    sandbox.set_faults("drop=1")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.contacts([{"_user_id": "U1", "plan": "pro"}])
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.events([{"_user_id": "U1", "_event_id": "E1", "_event_type": "signup"}])
    state = sandbox.state()
    assert state["contacts"] == {"U1": {"_user_id": "U1", "plan": "pro"}}
    assert [event["_event_id"] for event in state["events"]] == ["E1"]
    # Retrying the same event after the cut is safe: the _event_id dedupes it.
    sandbox.set_faults(None)
    retry = api.events([{"_user_id": "U1", "_event_id": "E1", "_event_type": "signup"}])
    assert retry.status_code == 202
    assert len(sandbox.state()["events"]) == 1
    sandbox.set_faults("drop=1")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.delete("U1")
    assert sandbox.state()["contacts"] == {}


def test_drop_is_silent_in_the_server_log(api, sandbox, caplog):
    sandbox.set_faults("drop=1")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.contacts([{"_user_id": "U1"}])
    sandbox.set_faults(None)
    assert api.get().status_code == 200  # the server is fine and serves the next call
    assert not [record for record in caplog.records if record.name.startswith("uvicorn")]


def test_latency_delays_writes(api, sandbox):
    sandbox.set_faults("latency=150ms")
    started = time.perf_counter()
    assert api.contacts([{"_user_id": "U1"}]).status_code == 202
    assert time.perf_counter() - started >= 0.15


def outcomes(api, count: int) -> list[str]:
    seen = []
    for index in range(count):
        try:
            seen.append(str(api.contacts([{"_user_id": f"U{index}"}]).status_code))
        except (httpx.RemoteProtocolError, httpx.ReadError):
            seen.append("drop")
    return seen


def test_faults_are_deterministic_under_a_seed(api, sandbox):
    spec = "500=0.2,503=0.2,429=0.2,drop=0.2,seed=3"
    sandbox.set_faults(spec)
    first = outcomes(api, 40)
    assert set(first) == {"500", "503", "429", "drop", "202"}
    sandbox.set_faults(spec)  # restarts the seeded sequence
    assert outcomes(api, 40) == first
    sandbox.set_faults(spec.replace("seed=3", "seed=4"))
    assert outcomes(api, 40) != first
    # The same sequence on a fresh server started with the spec.
    with SandboxServer(SandboxConfig(faults=spec)) as other:
        from tests.sandbox.conftest import Api

        other_api = Api(other)
        try:
            assert outcomes(other_api, 40) == first
        finally:
            other_api.close()
