"""The import workflow against the real sandbox: check, journal, run, upload, finish, summary.

The sandbox is the oracle for what was sent: its stored contacts and its own count of received
contacts (``receivedContacts``) show what arrived, and how many times.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest_gui import paths
from ingest_gui.api.client import IngestClient
from ingest_gui.core import workflow as workflow_module
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.journal import Journal
from ingest_gui.core.loading import LoadedTable, load_table
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.upload import UploadControl, UploadEngine, UploadProgress
from ingest_gui.core.workflow import (
    ErrorLogNotWrittenError,
    ExitCode,
    ImportSummary,
    ImportWorkflow,
    JournalUnavailableError,
    RunListing,
    list_runs,
)
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    assert_contacts_exact,
    contact_rows,
    write_csv,
)

CONTACT_TARGETS = {"Customer ID": "_user_id", "First Name": "_first_name", "Email": "_email",
                   "Phone": "_phone_mobile", "Country": "_country_code", "Plan": "plan"}

SUMMARY_KEYS = {
    "rows_read", "valid", "invalid", "sent", "accepted", "rejected", "skipped", "duplicates",
    "not_sent", "events_inside_window", "events_outside_window", "events_without_date",
    "retries", "error_log", "seconds", "dry_run", "status", "run_id", "stopped_because", "consent",
    "events_unknown_contact_estimate", "warnings", "orders", "values_left_out",
}


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def contacts_file(tmp_path: Path, rows: list[list[str]]) -> LoadedTable:
    return load_table(write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows))


def contacts_mapping() -> Mapping:
    mapping = Mapping(ImportKind.CONTACTS)
    for header, target in CONTACT_TARGETS.items():
        mapping.assign(header, target)
    return mapping


def workflow(table: LoadedTable, client: IngestClient, **options: Any) -> ImportWorkflow:
    return ImportWorkflow(table, contacts_mapping(), client.fetch_specs(), client, **options)


def received_contacts(client: IngestClient) -> int:
    """How many contacts the sandbox has received in write calls, re-sent ones included."""
    return client.stream_info().received_contacts


def test_an_import_checks_sends_and_stores_one_summary(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    rows = contact_rows(250)  # rows 1 and 98 and 195 have a bad e-mail
    table = contacts_file(tmp_path, rows)
    with workflow(table, client) as flow:
        outcome = flow.run()
    summary = outcome.summary
    assert (summary.rows_read, summary.valid, summary.invalid) == (250, 247, 3)
    assert (summary.sent, summary.accepted, summary.rejected, summary.not_sent) == (247, 247, 0,
                                                                                    0)
    assert summary.skipped == 3
    assert summary.status == "completed"
    assert summary.dry_run is False
    assert summary.exit_code is ExitCode.ROWS_FAILED
    assert_contacts_exact(sandbox.state(), rows)
    assert received_contacts(client) == 247

    # The error log went to the data folder and lists the three rows.
    assert summary.error_log is not None
    log = Path(summary.error_log)
    assert log.parent == app_home / "data" / "error-logs"
    assert log.read_text(encoding="utf-8-sig").count("\n") == 4

    # The journal holds the same summary, and the file's resolved path.
    with Journal() as journal:
        info = journal.run_info(summary.run_id or -1)
    assert info.status == "completed"
    assert info.file_path == str(table.path.resolve())
    assert Path(info.file_path).is_absolute()
    assert info.summary == summary.as_json()
    assert info.error_log_path == summary.error_log
    assert ImportSummary.from_json(info.summary) == summary
    assert set(summary.as_json()) == SUMMARY_KEYS
    json.dumps(summary.as_json())  # plain data


def test_the_plan_derives_its_keys_from_the_clients_datasource_key(
        tmp_path: Path, client: IngestClient) -> None:
    table = contacts_file(tmp_path, contact_rows(5, invalid_every=None))
    flow = workflow(table, client)
    assert flow.datasource_key == client.datasource_key
    checked = flow.check()
    assert checked.plan.item_count == 5
    assert flow.checked is checked
    assert flow.file_path == str(table.path.resolve())


def test_resume_after_cancel_sends_only_what_was_not_acknowledged(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient) -> None:
    rows = contact_rows(3_000, invalid_every=None)
    table = contacts_file(tmp_path, rows)
    sandbox.set_faults("latency=15-25ms,seed=4")
    control = UploadControl()

    def cancel_after_some(progress: UploadProgress) -> None:
        if progress.batches_done >= 3:
            control.cancel()

    # The wizard's way: check on one worker thread, upload on another.
    first = workflow(table, client, engine=UploadEngine(client, concurrency=2))
    checker = threading.Thread(target=first.check)
    checker.start()
    checker.join(60)
    assert first.checked is not None
    first.open_journal()
    assert first.find_resumable() is None
    started = first.start_run()
    assert started is not None
    assert started.resumed is None
    outcomes: list[Any] = []
    uploader = threading.Thread(target=lambda: outcomes.append(
        (first.upload(on_progress=cancel_after_some, control=control), first.finish())))
    uploader.start()
    uploader.join(120)
    first.close()
    stopped = outcomes[0][1].summary
    assert stopped.status == "cancelled"
    assert stopped.exit_code is ExitCode.INTERRUPTED
    assert 0 < stopped.accepted < 3_000
    assert stopped.accepted + stopped.not_sent == 3_000
    assert stopped.run_id == started.run_id
    sent_first = received_contacts(client)
    assert sent_first == stopped.accepted  # everything answered was recorded

    sandbox.set_faults(None)
    resumed_runs = []
    with workflow(table, client) as second:
        outcome = second.run(on_run=resumed_runs.append)
    (resumed,) = resumed_runs
    assert resumed.run_id == started.run_id
    assert resumed.resumed is not None
    assert resumed.resumed.status == "cancelled"
    assert resumed.resumed.batches_acknowledged * 100 == stopped.accepted
    assert outcome.summary.run_id == started.run_id
    assert outcome.summary.accepted == 3_000  # the recorded batches count as accepted
    assert outcome.summary.exit_code is ExitCode.OK
    # Acknowledged batches were not sent again: every contact arrived exactly once.
    assert received_contacts(client) == 3_000
    assert_contacts_exact(sandbox.state(), rows)


def test_restart_sends_everything_again_under_a_new_run(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient) -> None:
    rows = contact_rows(400, invalid_every=None)
    table = contacts_file(tmp_path, rows)
    control = UploadControl()
    control.cancel()  # stopped before the first batch: everything resumable
    with workflow(table, client) as flow:
        stopped = flow.run(control=control).summary
    assert stopped.status == "cancelled"
    assert stopped.not_sent == 400
    with workflow(table, client) as flow:
        assert flow.find_resumable() is not None
        again = flow.run(restart=True).summary
    assert again.run_id != stopped.run_id
    assert again.accepted == 400
    assert received_contacts(client) == 400
    with Journal() as journal:
        statuses = {run.run_id: run.status for run in journal.runs()}
    assert statuses == {stopped.run_id: "cancelled", again.run_id: "completed"}


def test_nothing_is_sent_when_the_journal_cannot_be_opened(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    (app_home / "data").write_text("a file where the data folder should be")
    table = contacts_file(tmp_path, contact_rows(30, invalid_every=None))
    confirmed = []
    with workflow(table, client) as flow, pytest.raises(JournalUnavailableError) as caught:
        flow.run(confirm=confirmed.append)
    message = str(caught.value)
    assert message.startswith("Cannot open the import journal")
    assert "Nothing was sent" in message
    assert message.endswith(".")
    assert "Traceback" not in message
    assert "Errno" not in message
    assert caught.value.exit_code is ExitCode.USAGE
    assert len(confirmed) == 1  # checked and confirmed; then refused before sending
    assert sandbox.state()["contacts"] == {}
    assert received_contacts(client) == 0


def test_a_journal_file_that_is_not_a_database_is_refused_too(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient) -> None:
    damaged = tmp_path / "journal.sqlite3"
    damaged.write_bytes(b"not a database" * 200)
    table = contacts_file(tmp_path, contact_rows(3, invalid_every=None))
    with workflow(table, client, journal_path=damaged) as flow:
        flow.check()
        with pytest.raises(JournalUnavailableError, match="Nothing was sent"):
            flow.open_journal()
        with pytest.raises(RuntimeError, match="nothing is sent without a journal"):
            flow.upload()
    assert received_contacts(client) == 0


def test_a_dry_run_writes_nothing_and_needs_no_journal(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    (app_home / "data").write_text("no data folder: a dry run does not need one")
    table = contacts_file(tmp_path, contact_rows(120, invalid_every=None))
    with workflow(table, client, dry_run=True) as flow:
        outcome = flow.run()
    summary = outcome.summary
    assert summary.dry_run is True
    assert summary.run_id is None
    assert summary.accepted == 120
    assert summary.exit_code is ExitCode.OK
    assert sandbox.state()["contacts"] == {}


def test_the_check_pages_dry_run_leaves_the_import_as_it_was(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient) -> None:
    table = contacts_file(tmp_path, contact_rows(150, invalid_every=None))
    with workflow(table, client) as flow:
        flow.check()
        tried = flow.send_dry_run()
        assert sum(1 for status in tried.statuses.values() if status == "accepted") == 150
        assert sandbox.state()["contacts"] == {}
        assert flow.run_id is None
        flow.open_journal()
        flow.start_run()
        checked = flow.checked
        assert checked is not None
        with pytest.raises(RuntimeError, match="finish"):
            flow.replan(checked.validation)  # the journal records this plan's batches
        flow.upload()
        with pytest.raises(RuntimeError, match="sent already"):
            flow.upload()
        assert flow.finish().summary.accepted == 150
        with pytest.raises(RuntimeError, match="upload"):
            flow.finish()
    assert len(sandbox.state()["contacts"]) == 150


def test_a_cancelled_check_keeps_nothing(tmp_path: Path, client: IngestClient) -> None:
    table = contacts_file(tmp_path, contact_rows(50))
    cancel = CancelToken()
    cancel.cancel()
    flow = workflow(table, client)
    with pytest.raises(Cancelled):
        flow.check(cancel=cancel)
    assert flow.checked is None
    with pytest.raises(RuntimeError, match="check"):
        flow.start_run()


def test_an_error_log_that_cannot_be_written_still_finishes_the_run(
        tmp_path: Path, client: IngestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    table = contacts_file(tmp_path, contact_rows(10))  # row 3 has a bad e-mail
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    # Not even the default place can be written.
    monkeypatch.setattr(workflow_module, "default_error_log_path", lambda table: blocked / "d.csv")
    with workflow(table, client) as flow, pytest.raises(ErrorLogNotWrittenError) as caught:
        flow.run(error_log=blocked / "errors.csv")
    assert str(caught.value).startswith(f"Could not write the error log {blocked}")
    summary = caught.value.outcome.summary
    assert summary.error_log is None
    assert summary.accepted == 9
    with Journal() as journal:
        assert journal.run_info(summary.run_id or -1).status == "completed"


def test_an_error_log_the_user_chose_that_cannot_be_written_goes_to_the_default_place(
        tmp_path: Path, client: IngestClient) -> None:
    table = contacts_file(tmp_path, contact_rows(10))  # row 3 has a bad e-mail
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    with workflow(table, client) as flow:
        summary = flow.run(error_log=blocked / "errors.csv").summary
    assert summary.error_log is not None
    written = Path(summary.error_log)
    assert written.parent == paths.error_logs_dir()
    assert written.is_file()
    assert any(warning.startswith(f"Could not write the error log {blocked}")
               and warning.endswith(f"The error log was written to {written} instead.")
               for warning in summary.warnings)
    assert summary.accepted == 9
    with Journal() as journal:
        assert journal.run_info(summary.run_id or -1).error_log_path == str(written)


def _summary(**changes: Any) -> ImportSummary:
    values: dict[str, Any] = dict(
        rows_read=10, valid=10, invalid=0, duplicates=0, sent=10, accepted=10, rejected=0,
        not_sent=0, skipped=0, events_inside_window=None, events_without_date=None,
        events_outside_window=None, error_log=None, retries=0, seconds=1.0, dry_run=False,
        status="completed", run_id=1)
    values.update(changes)
    return ImportSummary(**values)


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, ExitCode.OK),
    ({"invalid": 1, "valid": 9}, ExitCode.ROWS_FAILED),
    ({"rejected": 1, "accepted": 9}, ExitCode.ROWS_FAILED),
    ({"status": "cancelled", "not_sent": 5}, ExitCode.INTERRUPTED),
    ({"status": "interrupted", "stopped_because": "The service failed."}, ExitCode.INTERRUPTED),
    ({"status": "interrupted", "auth_failed": True, "invalid": 1}, ExitCode.CONNECTION),
])
def test_the_exit_code_follows_the_summary(changes: dict[str, Any], expected: ExitCode) -> None:
    assert _summary(**changes).exit_code is expected


def test_summaries_stored_by_earlier_versions_still_read() -> None:
    wizard_shape = {"accepted": 90, "rejected": 4, "skipped": 5, "not_sent": 1, "retries": 2}
    old = ImportSummary.from_json(wizard_shape, run_id=7, status="cancelled")
    assert old is not None
    assert (old.sent, old.accepted, old.rejected, old.skipped, old.not_sent) == (94, 90, 4, 5, 1)
    assert (old.rows_read, old.invalid, old.retries) == (100, 5, 2)
    assert (old.run_id, old.status) == (7, "cancelled")
    cli_shape = {key: value for key, value in _summary(run_id=None).as_json().items()
                 if key not in {"run_id", "stopped_because"}}
    assert ImportSummary.from_json(cli_shape, run_id=3) == _summary(run_id=3)
    assert ImportSummary.from_json({}) is None
    garbage = ImportSummary.from_json({"accepted": "many", "seconds": None})
    assert garbage is not None
    assert garbage.accepted == 0


def test_runs_list_through_the_summary_whatever_shape_they_stored(
        tmp_path: Path, app_home: Path) -> None:
    with Journal() as journal:
        keys = dict(fingerprint="f", datasource_key="d", mapping={}, batches_total=1)
        journal.start_run(kind="contacts", file_path="/a.csv", **keys).finish(
            "cancelled", {"accepted": 1, "rejected": 0, "skipped": 0, "not_sent": 99,
                          "retries": 0})
        journal.start_run(kind="events", file_path="/b.csv", **keys).finish(
            "completed", _summary(run_id=None).as_json())
        unfinished = journal.start_run(kind="contacts", file_path="/c.csv", **keys)
        unfinished.interrupt()
        damaged = journal.start_run(kind="contacts", file_path="/d.csv", **keys)
        journal._execute("UPDATE runs SET summary_json = 'not json' WHERE id = ?",
                         (damaged.run_id,))
    listed = list_runs()
    assert [run.file_path for run in listed] == ["/d.csv", "/c.csv", "/b.csv", "/a.csv"]
    assert listed[1].status == "interrupted"
    assert listed[1].summary is None
    assert listed[0].summary is None
    first = listed[3].as_json()
    assert set(first) == {"id", "started", "file", "kind", "status", "counts", "undoable"}
    assert first["counts"]["not_sent"] == 99
    assert first["undoable"] is False
    assert listed[2].as_json()["counts"]["accepted"] == 10
    assert listed[1].as_json()["counts"] == {}
    assert isinstance(listed[2], RunListing)
    assert listed[2].summary is not None
    assert listed[2].summary.run_id == listed[2].run_id
