"""Issue 8, faults: contacts and events imported through ``ingest-gui import`` against the sandbox
under each fault alone and all together, and across a restart of the sandbox mid-import.

Every cell checks the same promise: the sandbox ends up holding exactly the file's valid rows
(contacts with exactly the file's values, events exactly once), the summary agrees, and the
fault really was met (the engine retried). The README's fault matrix is printed at the end of
the run (``pytest tests/reliability -rA`` shows it under "fault matrix").
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ingest_gui import cli
from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    EVENT_HEADERS,
    EVENT_MAP,
    assert_contacts_exact,
    assert_events_exactly_once,
    contact_rows,
    event_rows,
    is_valid_contact,
    is_valid_event,
    run_cli,
    summary_of,
    wait_for,
    write_csv,
)
from tests.reliability.conftest import FAULT_MATRIX, FAULT_ORDER, EngineSpy

ROWS = 2_000
USERS = 400

#: (row of the matrix, fault spec without seed). Probabilities are per write call; with 20
#: batches per file they are high enough that every fault is met several times.
FAULTS: list[tuple[str, str, str | None]] = [
    ("none", "none (baseline)", None),
    ("500", "500 Internal Server Error, 15% of calls", "500=0.15"),
    ("503", "503 Service Unavailable, 15% of calls", "503=0.15"),
    ("429", "429 storm, 30% of calls", "429=0.3"),
    ("drop", "connection dropped after the batch was applied, 15% of calls", "drop=0.15"),
    ("latency", "latency spikes, 0–300 ms per call", "latency=0-300ms"),
    ("all", "all together (5% each of 500, 503, 429, drop; 0–50 ms latency)",
     "500=0.05,503=0.05,429=0.05,drop=0.05,latency=0-50ms"),
]
RESTART = "sandbox restarted mid-import (state file kept)"
FAULT_ORDER.extend([name for _, name, _ in FAULTS] + [RESTART])

# The 429 storm waits out a rate-limit reset (about a second) each time it is met.
SLOW_FAULTS = {"429=0.3"}


def seeded(spec: str | None, base: int) -> str | None:
    """``spec`` with its own seed (the same seed for every fault would put each fault on the
    same calls)."""
    if spec is None:
        return None
    index = next(i for i, (_, _, candidate) in enumerate(FAULTS) if candidate == spec)
    return f"{spec},seed={base + index}"


def fault_params() -> list[Any]:
    return [
        pytest.param(name, spec, id=short,
                     marks=[pytest.mark.slow] if spec in SLOW_FAULTS else [])
        for short, name, spec in FAULTS
    ]


def record(fault: str, kind: str, cell: str, spy: EngineSpy) -> None:
    result = spy.last
    retries = f"{result.retries}"
    if result.rate_limited:
        retries += f" (of which {result.rate_limited} × 429)"
    FAULT_MATRIX.setdefault(fault, {})[kind] = cell
    FAULT_MATRIX[fault][f"retries {kind}"] = retries


def assert_fault_was_met(spec: str | None, spy: EngineSpy) -> None:
    """Faults other than latency must have made the engine retry, else the cell proves nothing."""
    result = spy.last
    if spec is not None and spec != "latency=0-300ms":
        assert result.retries > 0, "the fault never hit: the test would prove nothing"
    if spec is None:
        assert result.retries == 0
    assert result.fatal_error is None
    assert not result.cancelled


def import_contacts(capsys: pytest.CaptureFixture[str], path: Path, base_url: str
                    ) -> dict[str, Any]:
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--sandbox", base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_ROWS_FAILED, err  # the file has invalid rows, nothing else failed
    return summary_of(out)


def import_events(capsys: pytest.CaptureFixture[str], path: Path, base_url: str
                  ) -> dict[str, Any]:
    # Events of the invalid contacts (never imported) are sent anyway: the service accepts
    # them without storing them, which the checks below expect.
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "events",
                             "--sandbox", base_url, *EVENT_MAP, "--allow-unknown-contacts",
                             "--json")
    assert code == cli.EXIT_ROWS_FAILED, err
    return summary_of(out)


def check_contact_summary(summary: dict[str, Any], rows: list[list[str]]) -> int:
    valid = sum(1 for row in rows if is_valid_contact(row))
    assert summary["rows_read"] == len(rows)
    assert summary["valid"] == summary["accepted"] == summary["sent"] == valid
    assert summary["invalid"] == len(rows) - valid
    assert summary["rejected"] == summary["not_sent"] == 0
    assert summary["status"] == "completed"
    return valid


def events_file(tmp_path: Path) -> tuple[Path, list[list[str]]]:
    rows = event_rows(ROWS, users=USERS)
    rows.append(list(rows[10]))  # an identical row: the same event, to be stored once
    return write_csv(tmp_path / "orders.csv", EVENT_HEADERS, rows), rows


def check_event_summary(summary: dict[str, Any], rows: list[list[str]]) -> int:
    unique_valid = {row[1] for row in rows if is_valid_event(row)}
    invalid = sum(1 for row in rows if not is_valid_event(row))
    assert summary["rows_read"] == len(rows)
    assert summary["invalid"] == invalid
    assert summary["duplicates"] == 1
    assert summary["accepted"] == summary["sent"] == len(unique_valid)
    assert summary["rejected"] == summary["not_sent"] == 0
    assert summary["events_outside_window"] == len(rows) - invalid
    assert summary["status"] == "completed"
    return len(unique_valid)


def seed_contacts(capsys: pytest.CaptureFixture[str], tmp_path: Path, base_url: str
                  ) -> set[str]:
    """The contacts the events belong to (an event of an unknown contact is dropped)."""
    rows = contact_rows(USERS, invalid_every=None)
    path = write_csv(tmp_path / "people.csv", CONTACT_HEADERS, rows)
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK, err
    return {row[0] for row in rows}


@pytest.mark.parametrize(("fault", "spec"), fault_params())
def test_contacts_under_fault(fault: str, spec: str | None, tmp_path: Path,
                              sandbox: SandboxServer, capsys: pytest.CaptureFixture[str],
                              engine_spy: EngineSpy) -> None:
    rows = contact_rows(ROWS)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    sandbox.set_faults(seeded(spec, 100))
    summary = import_contacts(capsys, path, sandbox.base_url)
    sandbox.set_faults(None)

    valid = check_contact_summary(summary, rows)
    assert_contacts_exact(sandbox.state(), rows)
    assert_fault_was_met(spec, engine_spy)
    record(fault, "contacts", f"✓ {valid:,} of {valid:,} valid rows, exact values", engine_spy)


@pytest.mark.parametrize(("fault", "spec"), fault_params())
def test_events_under_fault(fault: str, spec: str | None, tmp_path: Path,
                            sandbox: SandboxServer, capsys: pytest.CaptureFixture[str],
                            engine_spy: EngineSpy) -> None:
    users = seed_contacts(capsys, tmp_path, sandbox.base_url)
    path, rows = events_file(tmp_path)
    sandbox.set_faults(seeded(spec, 200))
    summary = import_events(capsys, path, sandbox.base_url)
    sandbox.set_faults(None)

    stored = check_event_summary(summary, rows)
    assert_events_exactly_once(sandbox.state(), rows, users)
    assert_fault_was_met(spec, engine_spy)
    record(fault, "events", f"✓ {stored:,} of {stored:,} events, each exactly once", engine_spy)


class Restarter:
    """Stops the sandbox once ``progress(state)`` reaches a threshold, keeps the port closed
    to the client for one connection attempt, then starts a new sandbox on the same port with
    the same state file. Runs on its own thread while the command runs on the main one."""

    def __init__(self, config: SandboxConfig, server: SandboxServer) -> None:
        self.config = config
        self.server = server
        self.port = int(urlsplit(server.base_url).port or 0)
        self.errors: list[BaseException] = []
        self.attempts_refused = 0
        self._thread: threading.Thread | None = None

    def arm(self, progress: Callable[[dict[str, Any]], int], threshold: int) -> None:
        self._thread = threading.Thread(target=self._run, args=(progress, threshold),
                                        name="sandbox-restarter")
        self._thread.start()

    def join(self) -> None:
        assert self._thread is not None
        self._thread.join(timeout=60)
        assert not self._thread.is_alive()
        if self.errors:
            raise self.errors[0]

    def _run(self, progress: Callable[[dict[str, Any]], int], threshold: int) -> None:
        try:
            wait_for(lambda: progress(self.server.state()) >= threshold, 60,
                     "the import to get halfway")
            # Stall new calls so the client cannot finish the file while the server shuts
            # down gracefully (it lets the calls already in flight complete).
            self.server.set_faults("latency=500ms")
            self.server.stop()
            self._take_one_connection_down()
            self.server = SandboxServer(self.config, port=self.port).start()
        except BaseException as error:  # re-raised on the test's thread by join()
            self.errors.append(error)

    def _take_one_connection_down(self) -> None:
        """While "down", accept the client's next connection and close it unanswered: proof
        that the client met the outage (no guessing how long the outage must last)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", self.port))
            listener.listen(8)
            listener.settimeout(30)
            connection, _address = listener.accept()
            connection.close()
            self.attempts_refused += 1
        finally:
            listener.close()


@pytest.mark.slow
def test_sandbox_restarted_mid_import_keeps_exactly_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine_spy: EngineSpy
) -> None:
    # Latency keeps batches in flight when the server goes away, and leaves the restarter
    # (polling state on a busy 2-core machine) time to act before the file is done.
    config = SandboxConfig(state_file=tmp_path / "sandbox-state.sqlite3",
                           faults="latency=100-150ms,seed=7", rate_limit=None)
    restarter = Restarter(config, SandboxServer(config).start())
    try:
        contacts = contact_rows(ROWS)
        people = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contacts)
        restarter.arm(lambda state: len(state["contacts"]), ROWS // 3)
        summary = import_contacts(capsys, people, restarter.server.base_url)
        restarter.join()
        assert restarter.attempts_refused == 1
        valid_contacts = check_contact_summary(summary, contacts)
        assert_contacts_exact(restarter.server.state(), contacts)
        assert engine_spy.last.retries > 0
        record(RESTART, "contacts",
               f"✓ {valid_contacts:,} of {valid_contacts:,} valid rows, exact values",
               engine_spy)

        path, rows = events_file(tmp_path)
        users = {row[0] for row in contacts if is_valid_contact(row)}
        restarter.arm(lambda state: len(state["events"]), ROWS // 3)
        summary = import_events(capsys, path, restarter.server.base_url)
        restarter.join()
        assert restarter.attempts_refused == 2
        # Events of the invalid contacts are accepted by the service but not stored.
        assert summary["accepted"] == len({row[1] for row in rows if is_valid_event(row)})
        assert summary["rejected"] == summary["not_sent"] == 0
        assert_events_exactly_once(restarter.server.state(), rows, users)
        stored = len(restarter.server.state()["events"])
        assert engine_spy.last.retries > 0
        record(RESTART, "events", f"✓ {stored:,} of {stored:,} events, each exactly once",
               engine_spy)
    finally:
        restarter.server.stop()

    # What the file on disk says is the same thing: a third sandbox reads it back.
    with SandboxServer(config) as reread:
        state = reread.state()
    assert_contacts_exact(state, contacts)
    assert_events_exactly_once(state, rows, users)
