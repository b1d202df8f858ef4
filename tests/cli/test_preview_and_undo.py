"""The preview, the events-of-unknown-contacts guard and undo, through the command line against
the sandbox. The sandbox's own state (``/_sandbox/state``) is the oracle for what happened."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest_gui import cli
from ingest_gui.api.client import IngestClient
from ingest_gui.api.results import WriteResult
from ingest_gui.core.journal import Journal
from ingest_gui.core.mapping import (
    ColumnOptions,
    EmptyCellPolicy,
    ImportKind,
    Mapping,
    save_template,
)
from ingest_gui.core.undo import undo_run
from ingest_gui.core.upload import UploadControl, UploadEngine
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import EVENT_HEADERS, EVENT_MAP, run_cli, write_csv

HEADERS = ["ID", "Name", "Plan", "Notes"]
SEEDED: list[dict[str, Any]] = [
    {"_user_id": "S1", "_first_name": "Ana", "plan": "pro", "notes": "call back"},
    {"_user_id": "S2", "_first_name": "Bea", "plan": "basic"},
    {"_user_id": "S3", "_first_name": "Cai", "plan": "free", "notes": "keep"},
    {"_user_id": "S4", "_first_name": "Dan"},
]
ROWS = [
    ["S1", "Ana", "basic", ""],     # plan changes, notes cleared
    ["S2", "Bea", "pro", "vip"],    # plan changes, notes added (did not exist: undo nulls it)
    ["S3", "Cai", "free", "keep"],  # unchanged
    ["N1", "Eva", "pro", "new"],    # created
    ["N2", "Fer", "", ""],          # created
]


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def seed(client: IngestClient, sandbox: SandboxServer) -> dict[str, Any]:
    answer = client.post_contacts(SEEDED, sync=True)
    assert answer.rejected_count == 0
    return dict(sandbox.state()["contacts"])


def contacts_template(tmp_path: Path) -> Path:
    mapping = Mapping(ImportKind.CONTACTS)
    for header, target in zip(HEADERS, ["_user_id", "_first_name", "plan", "notes"],
                              strict=True):
        mapping.assign(header, target)
    mapping.options["Notes"] = ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
    path = tmp_path / "contacts-template.json"
    save_template(path, mapping, HEADERS)
    return path


def import_contacts(capsys: pytest.CaptureFixture[str], tmp_path: Path, sandbox: SandboxServer,
                    *extra: str, rows: list[list[str]] = ROWS) -> tuple[int, str, str]:
    path = write_csv(tmp_path / "contacts.csv", HEADERS, rows)
    return run_cli(capsys, "import", str(path), "--kind", "contacts", "--sandbox",
                   sandbox.base_url, "--mapping", str(contacts_template(tmp_path)), "--json",
                   *extra)


def runs_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, err = run_cli(capsys, "runs", "--json")
    assert code == 0, err
    runs: list[dict[str, Any]] = json.loads(out)
    return runs


# -- the preview ---------------------------------------------------------------------------------

def test_preview_counts_what_the_import_then_does_and_sends_nothing(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    seeded = seed(client, sandbox)
    code, out, err = import_contacts(capsys, tmp_path, sandbox, "--preview")
    assert code == cli.EXIT_OK, err
    assert sandbox.state()["contacts"] == seeded  # nothing sent
    assert runs_json(capsys) == []                # nothing journalled
    preview = json.loads(out)["preview"]
    assert preview["contacts"] == {"new": 2, "updated": 2, "unchanged": 1}
    assert preview["attributes_changed"] == {"notes": 1, "plan": 2}
    assert preview["attributes_cleared"] == {"notes": 1}
    assert preview["sampled_all"] is True
    # The import then does exactly that.
    code, _out, err = import_contacts(capsys, tmp_path, sandbox)
    assert code == cli.EXIT_OK, err
    after = sandbox.state()["contacts"]
    assert sorted(set(after) - set(seeded)) == ["N1", "N2"]
    assert after["S1"]["plan"] == "basic"
    assert "notes" not in after["S1"]
    assert after["S2"]["notes"] == "vip"
    assert after["S3"] == seeded["S3"]


def test_preview_in_plain_words(tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
                                capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    seed(client, sandbox)
    path = write_csv(tmp_path / "contacts.csv", HEADERS, ROWS)
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--sandbox",
                             sandbox.base_url, "--mapping", str(contacts_template(tmp_path)),
                             "--preview")
    assert code == cli.EXIT_OK, err
    assert out == ""
    assert "Every row was compared with the datasource (rows: 5)." in err
    assert "New contacts: 2. Updated: 2. Unchanged: 1." in err
    assert "Preview: nothing was sent." in err


# -- events of contacts not in the datasource -----------------------------------------------------

def orders_file(tmp_path: Path) -> Path:
    rows = [[f"C{n % 4}", f"O{n}", "2024-03-01 10:00", f"{n}.50"] for n in range(12)]
    return write_csv(tmp_path / "orders.csv", EVENT_HEADERS, rows)


def test_orders_before_their_customers_are_refused_and_nothing_is_sent(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    client.post_contacts([{"_user_id": "C0"}], sync=True)
    before = sandbox.state()
    code, out, err = run_cli(capsys, "import", str(orders_file(tmp_path)), "--kind", "events",
                             "--sandbox", sandbox.base_url, *EVENT_MAP, "--json")
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert ("9 of the 12 events belong to contacts that are not in the datasource, and "
            "Instasent drops such events without an error. Nothing was sent.") in err
    assert "--with-user-data" in err
    assert "--allow-unknown-contacts" in err
    assert sandbox.state() == before
    assert runs_json(capsys) == []


def test_preview_of_orders_before_their_customers_counts_them_and_sends_nothing(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    client.post_contacts([{"_user_id": "C0"}], sync=True)
    before = sandbox.state()
    args = ["import", str(orders_file(tmp_path)), "--kind", "events", "--sandbox",
            sandbox.base_url, *EVENT_MAP, "--preview"]
    code, out, err = run_cli(capsys, *args, "--json")
    assert code == cli.EXIT_OK, err
    preview = json.loads(out)["preview"]
    assert (preview["events_unknown_contact"], preview["contacts"]) == (9, None)
    code, out, err = run_cli(capsys, *args)
    assert code == cli.EXIT_OK, err
    assert "9 of the 12 events belong to contacts that are not in the datasource" in err
    assert "Importing would need --with-user-data or --allow-unknown-contacts." in err
    assert sandbox.state() == before


def test_allowed_unknown_contacts_are_imported_and_the_summary_says_how_many_were_skipped(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    client.post_contacts([{"_user_id": "C0"}], sync=True)
    code, out, err = run_cli(capsys, "import", str(orders_file(tmp_path)), "--kind", "events",
                             "--sandbox", sandbox.base_url, *EVENT_MAP, "--json",
                             "--allow-unknown-contacts")
    assert code == cli.EXIT_OK, err
    summary = json.loads(out)
    stored = sandbox.state()["events"]
    assert summary["accepted"] == 12
    assert summary["events_unknown_contact_estimate"] == 12 - len(stored) == 9
    (warning,) = summary["warnings"]
    assert "Instasent skips such events without an error" in warning
    assert f"Warning: {warning}" in err


def test_with_user_data_the_contacts_are_created(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    code, out, err = run_cli(capsys, "import", str(orders_file(tmp_path)), "--kind", "events",
                             "--sandbox", sandbox.base_url, *EVENT_MAP, "--json",
                             "--with-user-data")
    assert code == cli.EXIT_OK, err
    state = sandbox.state()
    assert set(state["contacts"]) == {"C0", "C1", "C2", "C3"}
    assert len(state["events"]) == 12
    assert json.loads(out)["warnings"] == []


# -- undo ---------------------------------------------------------------------------------------

def test_undo_last_brings_the_contacts_back_exactly_to_the_seeded_state(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    seeded = seed(client, sandbox)
    code, out, err = import_contacts(capsys, tmp_path, sandbox)
    assert code == cli.EXIT_OK, err
    run_id = json.loads(out)["run_id"]
    assert sandbox.state()["contacts"] != seeded
    (listed,) = runs_json(capsys)
    assert listed["id"] == run_id
    assert listed["undoable"] is True

    code, out, err = run_cli(capsys, "undo", "--last", "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_USAGE  # no --yes, and no terminal to ask on
    assert ("deletes the 2 contacts it created and restores 9 attribute values of the 3 "
            "existing contacts it wrote to") in err
    assert "Add --yes to confirm." in err

    code, out, err = run_cli(capsys, "undo", "--last", "--yes", "--sandbox", sandbox.base_url,
                             "--json")
    assert code == cli.EXIT_OK, err
    assert sandbox.state()["contacts"] == seeded
    summary = json.loads(out)
    assert summary["accepted"] == 5
    assert summary["status"] == "completed"
    runs = runs_json(capsys)
    assert [(run["kind"], run["undoable"]) for run in runs] == [("undo", False),
                                                                ("contacts", False)]
    # Undone once: again is refused, with the reason.
    code, _out, err = run_cli(capsys, "undo", str(run_id), "--yes", "--sandbox",
                              sandbox.base_url)
    assert code == cli.EXIT_USAGE
    assert f"Import run #{run_id} was already undone" in err
    with Journal() as journal:
        undo = journal.runs()[0]
    assert undo.undoes == run_id


def test_an_interrupted_undo_is_resumed_by_running_it_again(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    seeded = seed(client, sandbox)
    code, out, err = import_contacts(capsys, tmp_path, sandbox)
    assert code == cli.EXIT_OK, err
    control = UploadControl()

    class StopAfterDeleting(IngestClient):
        """Stops the undo while its first batch (the deletions) is in flight."""

        def delete_contact(self, user_id: str) -> WriteResult:
            control.cancel()
            return super().delete_contact(user_id)

    config = sandbox.config
    with StopAfterDeleting(sandbox.base_url, config.project, config.datasource, config.token,
                           timeout=10.0) as stopping:
        stopped = undo_run(None, stopping, control=control,
                           engine=UploadEngine(stopping, concurrency=1))
    assert stopped.summary.status == "cancelled"
    # Stopped inside the deletions: one contact deleted, the rest not sent.
    assert (stopped.summary.accepted, stopped.summary.not_sent) == (1, 4)
    state = sandbox.state()["contacts"]
    assert set(state) == {*seeded, "N2"}
    assert [run["undoable"] for run in runs_json(capsys)] == [False, True]

    code, out, err = run_cli(capsys, "undo", "--last", "--yes", "--sandbox", sandbox.base_url,
                             "--json")
    assert code == cli.EXIT_OK, err
    assert "Continuing the interrupted undo" in err
    assert json.loads(out)["run_id"] == stopped.summary.run_id
    assert sandbox.state()["contacts"] == seeded
    with Journal() as journal:
        kinds = [(run.kind, run.status) for run in journal.runs()]
    assert kinds == [("undo", "completed"), ("contacts", "completed")]


def test_an_events_import_cannot_be_undone_and_undo_says_how_many_it_sent(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    code, out, err = run_cli(capsys, "import", str(orders_file(tmp_path)), "--kind", "events",
                             "--sandbox", sandbox.base_url, *EVENT_MAP, "--json",
                             "--with-user-data")
    assert code == cli.EXIT_OK, err
    before = sandbox.state()
    code, _out, err = run_cli(capsys, "undo", "--last", "--yes", "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_USAGE
    run_id = json.loads(out)["run_id"]
    assert (f"Import run #{run_id} sent 12 events. Events cannot be removed through the Ingest "
            "API, so this import cannot be undone.") in err
    assert sandbox.state() == before
    assert runs_json(capsys)[0]["undoable"] is False


def test_a_large_contact_import_is_undoable_only_with_snapshot(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient,
        capsys: pytest.CaptureFixture[str], app_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest_gui.core import snapshot

    monkeypatch.setattr(snapshot, "AUTOMATIC_SNAPSHOT_CONTACTS", 3)
    seeded = seed(client, sandbox)
    code, _out, err = import_contacts(capsys, tmp_path, sandbox)
    assert code == cli.EXIT_OK, err
    assert "This import will not be undoable" in err
    assert "(5 reads)" in err
    assert runs_json(capsys)[0]["undoable"] is False
    code, _out, err = run_cli(capsys, "undo", "--last", "--yes", "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_USAGE
    assert "kept no copy of the contacts before it" in err

    # Back to the seeded state by hand, then the same import with --snapshot.
    for user_id in ("N1", "N2"):
        client.delete_contact(user_id)
    client.post_contacts([{**{"notes": None, "plan": None}, **contact} for contact in SEEDED],
                         sync=True)
    assert sandbox.state()["contacts"] == seeded
    code, _out, err = import_contacts(capsys, tmp_path, sandbox, "--snapshot", "--restart")
    assert code == cli.EXIT_OK, err
    assert "Keeping a copy of the contacts before the import" in err
    assert runs_json(capsys)[0]["undoable"] is True
    code, _out, err = run_cli(capsys, "undo", "--last", "--yes", "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_OK, err
    assert sandbox.state()["contacts"] == seeded
