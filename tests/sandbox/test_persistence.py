"""``--state FILE``: contacts, events, dedupe memory and counters survive a restart."""

from __future__ import annotations

import sqlite3

import pytest

from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
from tests.sandbox.conftest import Api


def run(config: SandboxConfig, action):
    with SandboxServer(config) as server:
        api = Api(server)
        try:
            return action(api, server)
        finally:
            api.close()


def test_state_survives_a_restart(tmp_path):
    config = SandboxConfig(state_file=tmp_path / "state.sqlite")

    def first(api, server):
        api.contacts([{"_user_id": "U1", "plan": "pro", "interests": ["a"]},
                      {"_user_id": "U2", "_first_name": "Ada"}])
        api.contacts([{"_user_id": "U1", "plan": None, "vip": "1"}])
        api.events([{"_user_id": "U1", "_event_id": "E1", "_event_type": "signup",
                     "_event_date": "2020-01-01T00:00:00.000Z"},
                    {"_user_id": "U3", "_event_id": "E2", "_event_type": "signup",
                     "_user_data": {"_email": "u3@example.com"}}])
        api.delete("U2")
        return server.state(), api.get().json()

    state, stream = run(config, first)
    assert set(state["contacts"]) == {"U1", "U3"}

    def second(api, server):
        restored = server.state()
        # The dedupe memory is restored too: a replayed event is not stored twice.
        api.events([{"_user_id": "U1", "_event_id": "E1", "_event_type": "signup"}])
        return restored, server.state(), api.get().json()

    restored, after_replay, stream_after = run(config, second)
    assert restored == state
    assert after_replay == state
    assert stream_after["datasource"]["receivedContacts"] == stream["datasource"][
        "receivedContacts"]
    # Counted before the restart: 4 writes and the GET; after it: 1 write (this GET is not
    # counted in its own answer).
    assert stream["stream"]["callsTotal"] == 4
    assert stream_after["stream"]["callsTotal"] == 6


def test_dry_runs_and_faulted_writes_leave_the_file_alone(tmp_path):
    config = SandboxConfig(state_file=tmp_path / "state.sqlite")

    def act(api, server):
        api.contacts([{"_user_id": "DRY"}], _dryRun="")
        server.set_faults("500=1")
        api.contacts([{"_user_id": "FAULTED"}])

    run(config, act)
    assert run(config, lambda api, server: server.state()) == {"contacts": {}, "events": []}


def test_reset_clears_the_file(tmp_path):
    config = SandboxConfig(state_file=tmp_path / "state.sqlite")

    def act(api, server):
        api.contacts([{"_user_id": "U1"}])
        server.reset()

    run(config, act)
    assert run(config, lambda api, server: server.state()) == {"contacts": {}, "events": []}


def test_each_acknowledged_batch_is_committed_before_the_answer(tmp_path):
    path = tmp_path / "state.sqlite"

    def act(api, server):
        api.contacts([{"_user_id": f"U{i}"} for i in range(10)])
        api.events([{"_user_id": "U1", "_event_id": "E1", "_event_type": "signup"}])
        # Read the file through a separate connection while the server still runs.
        with sqlite3.connect(path) as db:
            return (db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0],
                    db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    assert run(SandboxConfig(state_file=path), act) == (10, 1)


def test_a_file_that_is_not_a_state_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(ValueError, match="not a sandbox state database"):
        SandboxServer(SandboxConfig(state_file=path))
    assert path.read_text().startswith("these are my notes")


def test_the_state_folder_is_created(tmp_path):
    path = tmp_path / "deeper" / "still" / "state.sqlite"
    run(SandboxConfig(state_file=path), lambda api, server: api.contacts([{"_user_id": "U"}]))
    assert path.exists()
