"""Undo through the workflow and core/undo.py against the sandbox: the snapshot kept with the
run (taken once, before anything is sent, also for a resumed import), what undo refuses, and
the round trip back to the seeded state. The sandbox's state is the oracle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.api.results import WriteResult
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.journal import Journal
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.undo import UndoRefusedError, find_undo_target, undo_run
from ingest_gui.core.upload import UploadControl, UploadEngine
from ingest_gui.core.workflow import ImportWorkflow, list_runs
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import write_csv

HEADERS = ["ID", "Plan"]


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def workflow_for(tmp_path: Path, client: IngestClient, rows: list[list[str]], *,
                 kind: ImportKind = ImportKind.CONTACTS, **options: Any) -> ImportWorkflow:
    table = load_table(write_csv(tmp_path / f"{kind.value}.csv", HEADERS, rows))
    mapping = Mapping(kind)
    mapping.assign("ID", "_user_id")
    if kind is ImportKind.CONTACTS:
        mapping.assign("Plan", "plan")
    return ImportWorkflow(table, mapping, client.fetch_specs(), client, **options)


def seed(client: IngestClient, sandbox: SandboxServer, count: int) -> dict[str, Any]:
    contacts = [{"_user_id": f"S{n:03d}", "plan": "old"} for n in range(count)]
    for start in range(0, count, 100):
        assert client.post_contacts(contacts[start:start + 100], sync=True).rejected_count == 0
    return dict(sandbox.state()["contacts"])


def test_an_interrupted_then_resumed_import_undoes_back_to_the_state_before_it_began(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    seeded = seed(client, sandbox, 150)
    # 150 updates then 100 new contacts: three batches.
    rows = [[f"S{n:03d}", "new"] for n in range(150)] + [[f"N{n:03d}", "x"] for n in range(100)]
    control = UploadControl()

    class StopWhileSendingTheFirstBatch(IngestClient):
        def post_contacts(self, *args: Any, **kwargs: Any) -> WriteResult:
            control.cancel()  # the batch in flight finishes; no other is sent
            return super().post_contacts(*args, **kwargs)

    config = sandbox.config
    with StopWhileSendingTheFirstBatch(
            sandbox.base_url, config.project, config.datasource, config.token,
            timeout=10.0) as stopping, workflow_for(
            tmp_path, stopping, rows, engine=UploadEngine(stopping, concurrency=1)) as first:
        stopped = first.run(control=control)
    assert stopped.summary.status == "cancelled"
    assert stopped.summary.accepted == 100
    assert sandbox.state()["contacts"] != seeded
    with Journal() as journal:
        (run,) = journal.runs()
        kept = journal.snapshot(run.run_id)
    assert len(kept["created"]) == 100
    assert len(kept["restored"]) == 150

    with workflow_for(tmp_path, client, rows) as second:
        finished = second.run()
    assert finished.summary.run_id == run.run_id
    assert finished.summary.status == "completed"
    with Journal() as journal:
        assert journal.snapshot(run.run_id) == kept  # the resumed run kept the first snapshot
    assert [listing.undoable for listing in list_runs()] == [True]

    outcome = undo_run(run.run_id, client)
    assert outcome.summary.status == "completed"
    assert outcome.summary.accepted == 250
    assert sandbox.state()["contacts"] == seeded
    assert [(listing.kind, listing.undoable) for listing in list_runs()] == [
        ("undo", False), ("contacts", False)]


def test_a_snapshot_cancelled_leaves_the_run_resumable_and_nothing_sent(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    seeded = seed(client, sandbox, 3)
    rows = [["S000", "new"], ["N1", "x"]]
    cancel = CancelToken()
    with workflow_for(tmp_path, client, rows) as workflow:
        workflow.check()
        workflow.open_journal()
        started = workflow.start_run()
        assert started is not None
        cancel.cancel()
        with pytest.raises(Cancelled):
            workflow.take_snapshot(cancel=cancel)
    assert sandbox.state()["contacts"] == seeded
    with Journal() as journal:
        (run,) = journal.runs()
    assert (run.status, run.has_snapshot) == ("interrupted", False)
    # Running it again resumes it, and the snapshot is taken then (nothing was sent before).
    with workflow_for(tmp_path, client, rows) as again:
        assert again.run().summary.run_id == run.run_id
    undo_run(None, client)
    assert sandbox.state()["contacts"] == seeded


def test_an_import_without_a_snapshot_cannot_be_undone(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    with workflow_for(tmp_path, client, [["A", "x"]]) as workflow:
        run_id = workflow.run(snapshot=False).summary.run_id
    before = sandbox.state()
    assert [listing.undoable for listing in list_runs()] == [False]
    with pytest.raises(UndoRefusedError) as caught:
        undo_run(run_id, client)
    assert str(caught.value).startswith(
        f"Import run #{run_id} kept no copy of the contacts before it, so it cannot be undone.")
    assert sandbox.state() == before


def test_a_large_import_takes_its_snapshot_only_on_request(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    # 60 calls a minute: five minutes of reads is 300 contacts, so 301 are not automatic.
    sandbox.set_rate_limit(60)
    rows = [[f"A{n:03d}", "x"] for n in range(301)]
    with workflow_for(tmp_path, client, rows) as workflow:
        workflow.check()
        choice = workflow.snapshot_choice()
    assert choice is not None
    assert (choice.contacts, choice.automatic) == (301, False)
    assert choice.cost == (
        "Keeping a copy of the contacts before the import, so it can be undone, reads each of "
        "them once (301 reads): about 6 min at the datasource's rate limit.")
    with workflow_for(tmp_path, client, rows[:300]) as small:
        small.check()
        choice = small.snapshot_choice()
    assert choice is not None
    assert choice.automatic


def test_what_undo_refuses(tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
                           app_home: Path) -> None:
    with workflow_for(tmp_path, client, [["A", "x"]]) as workflow:
        contacts_run = workflow.run().summary.run_id
    assert contacts_run is not None
    with Journal() as journal:
        with pytest.raises(UndoRefusedError, match="went to another datasource"):
            find_undo_target(journal, contacts_run, datasource_key="elsewhere")
        with pytest.raises(UndoRefusedError, match="There is no import run #99"):
            find_undo_target(journal, 99, datasource_key=client.datasource_key)
    undone = undo_run(contacts_run, client).summary.run_id
    with Journal() as journal:
        with pytest.raises(UndoRefusedError, match=f"Run #{undone} is itself an undo"):
            find_undo_target(journal, undone, datasource_key=client.datasource_key)
        removal = journal.start_run(kind="delete", file_path="/x.csv", fingerprint="f",
                                    datasource_key=client.datasource_key, mapping={},
                                    batches_total=1)
        removal.finish("completed", {})
        with pytest.raises(UndoRefusedError, match="removed contacts are gone"):
            find_undo_target(journal, removal.run_id, datasource_key=client.datasource_key)
        running = journal.start_run(kind="contacts", file_path="/x.csv", fingerprint="g",
                                    datasource_key=client.datasource_key, mapping={},
                                    batches_total=1)
        journal.save_snapshot(running.run_id, {"format": 1, "created": [], "restored": []})
        with pytest.raises(UndoRefusedError, match="is still running"):
            find_undo_target(journal, running.run_id, datasource_key=client.datasource_key)


def test_undo_with_no_import_in_the_journal(sandbox: SandboxServer, client: IngestClient,
                                            app_home: Path) -> None:
    with pytest.raises(UndoRefusedError, match="The journal holds no import to undo"):
        undo_run(None, client)
