"""``ingest-gui import`` / ``delete`` end to end against the sandbox over loopback.

The expected final state is computed here from what the test wrote, not by the core, so a bug in
the core's cleaning or payloads cannot hide behind itself.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_gui import cli
from ingest_gui.core.journal import Journal
from ingest_gui.core.loading import load_table
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    EVENT_MAP,
    assert_contacts_exact,
    contact_rows,
    event_rows,
    run_cli,
    wait_for,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[2]


def all_valid_contacts(count: int) -> list[list[str]]:
    return contact_rows(count, invalid_every=None)


def test_contacts_import_with_explicit_mapping(tmp_path: Path, sandbox: SandboxServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    rows = all_valid_contacts(250)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK
    summary = json.loads(out)
    assert summary["rows_read"] == 250
    assert summary["accepted"] == 250
    assert summary["invalid"] == summary["rejected"] == 0
    assert summary["error_log"] is None
    assert summary["retries"] == 0
    assert_contacts_exact(sandbox.state(), rows)


def test_auto_map_recognises_a_spanish_excel_csv(tmp_path: Path, sandbox: SandboxServer,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rows = [[f"ID{n}", f"Nuño{n}", f"nuno{n}@example.es", f"+34 6{n:02d} 123 456"]
            for n in range(10)]
    path = write_csv(tmp_path / "clientes.csv", ["ID Cliente", "Nombre", "Correo electrónico",
                                                 "Móvil"], rows, encoding="cp1252", delimiter=";")
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--auto-map",
                              "--sandbox", sandbox.base_url, "--json")
    assert code == cli.EXIT_OK, out
    contacts = sandbox.state()["contacts"]
    assert contacts["ID3"]["_first_name"] == "Nuño3"
    assert contacts["ID3"]["_email"] == "nuno3@example.es"
    assert contacts["ID3"]["_phone_mobile"] == "+34603123456"


def test_invalid_rows_exit_1_with_an_error_log(tmp_path: Path, sandbox: SandboxServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rows = all_valid_contacts(20)
    rows[4][0] = "1.00004E+12"  # a user id Excel shortened: the row cannot be sent
    rows[9][0] = ""
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    error_log = tmp_path / "errors.csv"
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json",
                              "--error-log", str(error_log))
    assert code == cli.EXIT_ROWS_FAILED
    summary = json.loads(out)
    assert summary["invalid"] == 2
    assert summary["accepted"] == 18
    assert summary["error_log"] == str(error_log)
    with error_log.open(encoding="utf-8-sig", newline="") as handle:
        logged = list(csv.DictReader(handle))
    assert [entry["Row"] for entry in logged] == ["6", "11"]
    assert logged[0]["Customer ID"] == "1.00004E+12"
    assert set(sandbox.state()["contacts"]) == {row[0] for row in rows if row[0]} - {
        "1.00004E+12"}

    # The marketer fixes the log in Excel and imports it again: only those rows go in.
    with error_log.open(encoding="utf-8-sig", newline="") as handle:
        fixed = list(csv.reader(handle))
    fixed[1][0] = "C000004"
    fixed[2][0] = "C000009"
    with error_log.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(fixed)
    code, out, _err = run_cli(capsys, "import", str(error_log), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK, out
    contacts = sandbox.state()["contacts"]
    assert len(contacts) == 20
    assert contacts["C000004"]["_email"] == "user4@example.com"


def test_mapping_a_read_only_attribute_is_refused_before_sending(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = all_valid_contacts(3)
    path = write_csv(tmp_path / "contacts.csv", [*CONTACT_HEADERS, "Verified"],
                     [[*row, "1"] for row in rows])
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP,
                              "--map", "Verified=_email_verified")
    assert code == cli.EXIT_USAGE
    assert "_email_verified" in err
    assert sandbox.state()["contacts"] == {}


def test_unreadable_file_exits_2(tmp_path: Path, sandbox: SandboxServer,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--auto-map")
    assert code == cli.EXIT_USAGE
    assert "photo.xlsx" in err
    assert "Traceback" not in err


def test_bad_usage_exits_2(tmp_path: Path, sandbox: SandboxServer,
                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, all_valid_contacts(2))
    assert run_cli(capsys, "import", str(path))[0] == cli.EXIT_USAGE  # no --kind
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--map", "Nope=_email")
    assert code == cli.EXIT_USAGE
    assert "Nope" in err
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--map", "Email=_email")
    assert code == cli.EXIT_USAGE
    assert "_user_id" in err


def test_wrong_token_exits_3_without_leaking_it(tmp_path: Path, sandbox: SandboxServer,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    token = "wrong-token-4f9c2a7e1d"
    monkeypatch.setenv("INSTASENT_TOKEN", token)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, all_valid_contacts(2))
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--sandbox", sandbox.base_url, *CONTACT_MAP)
    assert code == cli.EXIT_CONNECTION
    assert token not in out + err
    assert "token" in err.lower()


def test_unreachable_service_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, all_valid_contacts(2))
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", "http://127.0.0.1:9/v1", *CONTACT_MAP)
    assert code == cli.EXIT_CONNECTION
    assert "Traceback" not in err


def test_plain_http_to_another_host_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTASENT_TOKEN", "t0ken")
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, all_valid_contacts(2))
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--base-url", "http://api.example.com/v1", "--project", "p",
                              "--datasource", "d", *CONTACT_MAP)
    assert code == cli.EXIT_USAGE
    assert "https" in err


def test_dry_run_writes_nothing(tmp_path: Path, sandbox: SandboxServer,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, all_valid_contacts(30))
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--dry-run",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK
    assert json.loads(out)["accepted"] == 30
    assert json.loads(out)["dry_run"] is True
    assert sandbox.state()["contacts"] == {}


def test_delete_needs_confirmation_then_removes(tmp_path: Path, sandbox: SandboxServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = all_valid_contacts(12)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    assert run_cli(capsys, "import", str(path), "--kind", "contacts",
                   "--sandbox", sandbox.base_url, *CONTACT_MAP)[0] == cli.EXIT_OK
    removal = write_csv(tmp_path / "remove.csv", ["Customer ID"], [[row[0]] for row in rows[:5]])
    code, _out, err = run_cli(capsys, "delete", str(removal), "--column", "Customer ID",
                              "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_USAGE
    assert "--yes" in err
    assert len(sandbox.state()["contacts"]) == 12
    code, out, _err = run_cli(capsys, "delete", str(removal), "--column", "Customer ID",
                              "--sandbox", sandbox.base_url, "--yes", "--json")
    assert code == cli.EXIT_OK
    assert json.loads(out)["accepted"] == 5
    assert set(sandbox.state()["contacts"]) == {row[0] for row in rows[5:]}


def purchase_rows(count: int) -> list[list[str]]:
    """Valid purchases of customers C000000..C000499, all dated March 2024."""
    return event_rows(count, users=500, invalid_every=None)




@pytest.mark.slow
def test_twenty_thousand_contacts_and_events_under_faults(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 4: 5% 500s, 5% 429s, dropped connections and latency; exact final state."""
    rows = all_valid_contacts(20_000)
    contacts = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    sandbox.set_faults("500=0.05,429=0.05,drop=0.02,latency=0-5ms,seed=11")
    code, out, err = run_cli(capsys, "import", str(contacts), "--kind", "contacts",
                             "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK, err
    assert json.loads(out)["accepted"] == 20_000
    assert json.loads(out)["retries"] > 0  # the faults were met, and survived
    sandbox.set_faults(None)
    assert_contacts_exact(sandbox.state(), rows)

    events = write_csv(tmp_path / "orders.csv", ["Customer ID", "Order", "Date", "Amount"],
                       purchase_rows(20_000))
    sandbox.set_faults("500=0.05,429=0.05,drop=0.02,latency=0-5ms,seed=12")
    code, out, err = run_cli(capsys, "import", str(events), "--kind", "events",
                             "--sandbox", sandbox.base_url, *EVENT_MAP, "--json")
    assert code == cli.EXIT_OK, err
    summary = json.loads(out)
    assert summary["accepted"] == 20_000
    assert summary["events_outside_window"] == 20_000
    sandbox.set_faults(None)
    stored = sandbox.state()["events"]
    assert len(stored) == 20_000
    assert len({event["_event_id"] for event in stored}) == 20_000
    orders = {event["_event_parameters"]["order_id"] for event in stored}
    assert orders == {f"ORD-{n:07d}" for n in range(20_000)}
    assert not any(event["automation"] for event in stored)

    # Importing the same file again duplicates nothing.
    code, out, _err = run_cli(capsys, "import", str(events), "--kind", "events", "--restart",
                              "--sandbox", sandbox.base_url, *EVENT_MAP, "--json")
    assert code == cli.EXIT_OK
    assert len(sandbox.state()["events"]) == 20_000


def _spawn_import(path: Path, sandbox: SandboxServer, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest_gui", "import", str(path), "--kind", "events",
         "--sandbox", sandbox.base_url, *EVENT_MAP, "--json", *extra],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def _acknowledged_batches(path: Path, sandbox: SandboxServer) -> int:
    table = load_table(path)
    journal = Journal()
    try:
        for run in journal.runs():
            if run.fingerprint == table.fingerprint:
                return run.batches_acknowledged
        return 0
    finally:
        journal.close()


@pytest.mark.slow
def test_killed_import_resumes_to_the_exact_state(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL mid-import, then --resume: every event exactly once, no batch acknowledged twice."""
    contacts = all_valid_contacts(500)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contacts)
    assert run_cli(capsys, "import", str(path), "--kind", "contacts",
                   "--sandbox", sandbox.base_url, *CONTACT_MAP)[0] == cli.EXIT_OK
    events = write_csv(tmp_path / "orders.csv", ["Customer ID", "Order", "Date", "Amount"],
                       purchase_rows(6_000))
    sandbox.set_faults("latency=20-40ms,seed=5")
    process = _spawn_import(events, sandbox)
    try:
        wait_for(lambda: _acknowledged_batches(events, sandbox) >= 10, 60, "10 batches")
    finally:
        process.kill()
        process.communicate(timeout=30)
    first = _acknowledged_batches(events, sandbox)
    assert 10 <= first < 60
    sandbox.set_faults(None)
    code, out, err = run_cli(capsys, "import", str(events), "--kind", "events", "--resume",
                             "--sandbox", sandbox.base_url, *EVENT_MAP, "--json")
    assert code == cli.EXIT_OK, err
    assert "Resuming" in err
    assert json.loads(out)["accepted"] == 6_000
    stored = sandbox.state()["events"]
    assert len(stored) == 6_000
    assert len({event["_event_id"] for event in stored}) == 6_000
    assert _acknowledged_batches(events, sandbox) == 60


@pytest.mark.slow
def test_interrupted_import_exits_4_and_resumes(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts = all_valid_contacts(500)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contacts)
    assert run_cli(capsys, "import", str(path), "--kind", "contacts",
                   "--sandbox", sandbox.base_url, *CONTACT_MAP)[0] == cli.EXIT_OK
    events = write_csv(tmp_path / "orders.csv", ["Customer ID", "Order", "Date", "Amount"],
                       purchase_rows(4_000))
    sandbox.set_faults("latency=20-40ms,seed=6")
    process = _spawn_import(events, sandbox)
    wait_for(lambda: _acknowledged_batches(events, sandbox) >= 5, 60, "5 batches")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == cli.EXIT_INTERRUPTED, err
    summary = json.loads(out)
    assert summary["not_sent"] > 0
    assert summary["accepted"] + summary["not_sent"] == 4_000
    sandbox.set_faults(None)
    code, out, _err = run_cli(capsys, "import", str(events), "--kind", "events",
                              "--sandbox", sandbox.base_url, *EVENT_MAP, "--json")
    assert code == cli.EXIT_OK
    assert len(sandbox.state()["events"]) == 4_000
