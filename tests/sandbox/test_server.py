"""In-process lifecycle, configuration, HTTP controls and concurrent writers."""

from __future__ import annotations

import threading

import httpx
import pytest

from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
from tests.sandbox.conftest import Api


def test_start_binds_a_free_port_and_stop_releases_it():
    server = SandboxServer(SandboxConfig())
    server.start()
    try:
        assert server.start() is server  # idempotent
        base_url = server.base_url
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/v1")
        assert not base_url.endswith(":0/v1")
        thread_name = "sandbox-" + base_url.rsplit(":", 1)[1].removesuffix("/v1")
        assert thread_name in {thread.name for thread in threading.enumerate()}
        api = Api(server)
        assert api.get().status_code == 200
        api.close()
    finally:
        server.stop()
    server.stop()  # idempotent
    assert thread_name not in {thread.name for thread in threading.enumerate()}
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url + "/project/demo/datasource/demo/stream", timeout=2, verify=False)


def test_two_servers_side_by_side_with_their_own_ids_and_token():
    config = SandboxConfig(project="acme", datasource="crm", token="s3cr3t-t0ken")
    with SandboxServer(config) as custom, SandboxServer() as default:
        assert custom.base_url != default.base_url
        api = Api(custom, token="s3cr3t-t0ken")
        try:
            assert api.stream == "/project/acme/datasource/crm/stream"
            info = api.get().json()
            assert info["project"]["id"] == "acme"
            assert info["datasource"]["id"] == "crm"
            assert api.contacts([{"_user_id": "U"}]).json()["projectId"] == "acme"
            wrong = api.http.get(api.stream, headers={"Authorization": "Bearer sandbox-token"})
            assert wrong.status_code == 401
        finally:
            api.close()
        assert default.state()["contacts"] == {}
        assert "s3cr3t-t0ken" not in repr(custom)
        assert "s3cr3t-t0ken" not in repr(custom.config)


def test_config_reflects_live_settings(sandbox):
    sandbox.set_faults("500=0.1,seed=1")
    sandbox.set_rate_limit(30)
    sandbox.set_answer_shape("B")
    config = sandbox.config
    assert (config.faults, config.rate_limit, config.answer_shape) == ("500=0.1,seed=1", 30, "B")


def test_settings_and_reset_over_http(api, sandbox):
    api.contacts([{"_user_id": "U1"}])
    settings = api.http.post(sandbox.root_url + "/_sandbox/settings",
                             json={"answerShape": "B", "rateLimit": 100, "faults": "503=1"})
    assert settings.status_code == 200
    assert settings.json()["answerShape"] == "B"
    assert sandbox.config.rate_limit == 100
    assert api.contacts([{"_user_id": "U2"}]).status_code == 503
    api.http.post(sandbox.root_url + "/_sandbox/settings", json={"faults": None})
    assert "entity" in api.contacts([{"_user_id": "U2"}]).json()
    bad = api.http.post(sandbox.root_url + "/_sandbox/settings", json={"faults": "nope=1"})
    assert bad.status_code == 400
    assert "Unknown fault" in bad.json()["message"]
    reset = api.http.post(sandbox.root_url + "/_sandbox/reset")
    assert reset.status_code == 200
    assert api.state() == {"contacts": {}, "events": []}


def test_concurrent_writers_all_land(sandbox):
    failures: list[BaseException] = []

    def writer(worker: int) -> None:
        api = Api(sandbox)
        try:
            for batch in range(5):
                items = [{"_user_id": f"W{worker}-{batch}-{i}", "plan": "pro"}
                         for i in range(100)]
                response = api.contacts(items)
                assert response.status_code == 202
                events = [{"_user_id": items[0]["_user_id"], "_event_id": f"E{worker}-{batch}",
                           "_event_type": "signup"}]
                assert api.events(events).status_code == 202
        except BaseException as error:  # reported below, in the test thread
            failures.append(error)
        finally:
            api.close()

    threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    state = sandbox.state()
    assert len(state["contacts"]) == 6 * 5 * 100
    assert len(state["events"]) == 6 * 5
