"""The command line over the one import workflow: its summary, ``runs``, the sandbox's root
address, an unknown command, and the journal it requires."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_gui import cli
from ingest_gui.api.client import IngestClient
from ingest_gui.api.urls import with_api_path
from ingest_gui.core.journal import Journal
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.workflow import ExitCode, ImportSummary, ImportWorkflow
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    EVENT_HEADERS,
    EVENT_MAP,
    assert_contacts_exact,
    contact_rows,
    event_rows,
    run_cli,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_exit_codes_are_the_workflows() -> None:
    spelled_out = [cli.EXIT_OK, cli.EXIT_ROWS_FAILED, cli.EXIT_USAGE, cli.EXIT_CONNECTION,
                   cli.EXIT_INTERRUPTED]
    assert [int(code) for code in ExitCode] == spelled_out


def test_the_sandbox_root_address_works_like_its_base_url(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    rows = contact_rows(40, invalid_every=None)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    assert not sandbox.root_url.endswith("/v1")
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--sandbox", sandbox.root_url + "/", *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK, err
    assert json.loads(out)["accepted"] == 40
    assert_contacts_exact(sandbox.state(), rows)
    # Either spelling is the same datasource: the journal's key (and event ids) agree.
    with Journal() as journal:
        (run,) = journal.runs()
    assert run.datasource_key.startswith(sandbox.base_url + "|")


def test_json_summary_is_the_journal_record_and_runs_lists_it(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    rows = contact_rows(120)  # rows 3 and 100 have a bad e-mail
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_ROWS_FAILED, err
    printed = json.loads(out)
    assert {"rows_read", "valid", "invalid", "sent", "accepted", "rejected", "skipped",
            "duplicates", "not_sent", "events_inside_window", "events_outside_window",
            "events_without_date", "retries", "error_log", "seconds", "dry_run", "status",
            "run_id"} <= set(printed)
    assert (printed["accepted"], printed["invalid"], printed["status"]) == (118, 2, "completed")
    with Journal() as journal:
        stored = journal.run_info(printed["run_id"])
    assert stored.summary == printed
    assert stored.file_path == str(path.resolve())

    code, out, _err = run_cli(capsys, "runs", "--json")
    assert code == cli.EXIT_OK
    (listed,) = json.loads(out)
    assert set(listed) == {"id", "started", "file", "kind", "status", "counts", "undoable"}
    assert listed["id"] == printed["run_id"]
    assert (listed["file"], listed["kind"], listed["status"]) == (str(path.resolve()),
                                                                  "contacts", "completed")
    assert listed["counts"]["accepted"] == 118
    assert listed["counts"]["invalid"] == 2
    # 120 contacts: the snapshot was kept automatically, so the import can be undone.
    assert listed["undoable"] is True

    code, out, _err = run_cli(capsys, "runs")
    assert code == cli.EXIT_OK
    assert f"#{printed['run_id']}" in out
    assert "118 accepted" in out
    assert str(path.resolve()) in out


def test_an_import_without_its_journal_sends_nothing(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str],
        app_home: Path) -> None:
    (app_home / "data").write_text("a file where the data folder should be")
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                     contact_rows(10, invalid_every=None))
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--sandbox", sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert "Cannot open the import journal" in err
    assert "Nothing was sent" in err
    assert "Traceback" not in err
    assert sandbox.state()["contacts"] == {}
    code, _out, err = run_cli(capsys, "runs", "--json")
    assert code == cli.EXIT_USAGE
    assert "Cannot open the import journal" in err


@pytest.mark.parametrize("args", [["improt", "file.csv"], ["--no-such-option"]])
def test_an_unknown_command_prints_usage_and_exits_2_without_a_window(
        args: list[str], tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    environment["INGEST_GUI_HOME"] = str(tmp_path / "home")
    run = subprocess.run([sys.executable, "-m", "ingest_gui", *args], cwd=ROOT,
                         env=environment, capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == cli.EXIT_USAGE, run.stderr
    assert run.stderr.startswith("usage: ingest-gui")
    assert args[0] in run.stderr
    assert run.stdout == ""


def test_only_no_arguments_open_the_wizard() -> None:
    assert not cli.is_headless_command([])
    assert not cli.is_headless_command(["-psn_0_1234567"])  # macOS Finder's launch argument
    for args in (["improt", "x.csv"], ["import"], ["--help"], ["runs"], ["x"]):
        assert cli.is_headless_command(args)


@pytest.mark.parametrize(("address", "base_url"), [
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765/v1"),
    (" http://127.0.0.1:8765/ ", "http://127.0.0.1:8765/v1"),
    ("http://127.0.0.1:8765/v1", "http://127.0.0.1:8765/v1"),
    ("http://127.0.0.1:8765/v1/", "http://127.0.0.1:8765/v1"),
    ("https://proxy.example.com/instasent/v1", "https://proxy.example.com/instasent/v1"),
])
def test_a_server_root_gains_the_api_path(address: str, base_url: str) -> None:
    assert with_api_path(address) == base_url


def test_the_command_line_and_the_step_by_step_workflow_import_alike(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The wizard's way (one step at a time) and the command line's end in the same journal
    record, the same event ids and the same summary."""
    contacts = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                         contact_rows(50, invalid_every=None))
    orders = write_csv(tmp_path / "orders.csv", EVENT_HEADERS, event_rows(300, users=50))
    homes = [tmp_path / "cli-home", tmp_path / "steps-home"]
    outcomes = []
    for home in homes:
        monkeypatch.setenv("INGEST_GUI_HOME", str(home))
        sandbox.reset()
        assert run_cli(capsys, "import", str(contacts), "--kind", "contacts",
                       "--sandbox", sandbox.base_url, *CONTACT_MAP)[0] == cli.EXIT_OK
        if home is homes[0]:
            code, out, err = run_cli(capsys, "import", str(orders), "--kind", "events",
                                     "--sandbox", sandbox.base_url, *EVENT_MAP, "--json")
            assert code == cli.EXIT_ROWS_FAILED, err
            summary = json.loads(out)
        else:
            summary = _import_orders_step_by_step(orders, sandbox).as_json()
        with Journal() as journal:
            record = journal.run_info(summary["run_id"])
        event_ids = sorted(event["_event_id"] for event in sandbox.state()["events"])
        outcomes.append((summary, record, event_ids))
    (cli_summary, cli_record, cli_ids), (step_summary, step_record, step_ids) = outcomes
    assert len(cli_ids) == 296  # rows 2, 99, 196 and 293 have a date that does not exist
    assert cli_ids == step_ids

    def comparable(summary: dict[str, object]) -> dict[str, object]:
        return {key: value for key, value in summary.items()
                if key not in {"seconds", "error_log", "run_id"}}

    assert comparable(cli_summary) == comparable(step_summary)
    assert comparable(cli_record.summary) == comparable(step_record.summary)
    for field in ("status", "kind", "file_path", "fingerprint", "datasource_key", "mapping",
                  "batches_total", "batches_acknowledged"):
        assert getattr(cli_record, field) == getattr(step_record, field), field
    assert Path(cli_summary["error_log"]).read_text(encoding="utf-8-sig") == Path(
        step_summary["error_log"]).read_text(encoding="utf-8-sig")


def _import_orders_step_by_step(orders: Path, sandbox: SandboxServer) -> ImportSummary:
    config = sandbox.config
    mapping = Mapping(ImportKind.EVENTS)
    mapping.event_type = "purchase"
    for header, target in (("Customer ID", "_user_id"), ("Order", "_event_parameters.order_id"),
                           ("Date", "_event_date"), ("Amount", "_event_parameters.amount")):
        mapping.assign(header, target)
    with IngestClient(sandbox.base_url, config.project, config.datasource,
                      config.token) as client:
        table = load_table(orders)
        with ImportWorkflow(table, mapping, client.fetch_specs(), client) as workflow:
            workflow.check()
            found = workflow.find_unknown_contacts()  # the Check page's sample, before sending
            assert found is not None
            assert not found.events_would_vanish
            workflow.open_journal()
            assert workflow.find_resumable() is None
            workflow.start_run()
            workflow.upload()
            return workflow.finish().summary
