"""The workflow's preview step, and the events whose contacts are not in the datasource: found
before sending, refused unless accepted, and never counted "accepted" without a warning.

The sandbox is the oracle: its stored contacts and events show what the service kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.workflow import (
    ExitCode,
    ImportSummary,
    ImportWorkflow,
    UnknownContactsError,
    WorkflowError,
)
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import CONTACT_HEADERS, EVENT_HEADERS, contact_rows, write_csv

CONTACT_TARGETS = {"Customer ID": "_user_id", "First Name": "_first_name", "Email": "_email",
                   "Phone": "_phone_mobile", "Country": "_country_code", "Plan": "plan"}
EVENT_TARGETS = {"Customer ID": "_user_id", "Order": "_event_parameters.order_id",
                 "Date": "_event_date", "Amount": "_event_parameters.amount"}


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def mapping_of(kind: ImportKind, targets: dict[str, str]) -> Mapping:
    mapping = Mapping(kind)
    for header, target in targets.items():
        mapping.assign(header, target)
    if kind is ImportKind.EVENTS:
        mapping.event_type = "purchase"
    return mapping


def orders(users: list[str]) -> list[list[str]]:
    return [[user, f"O{n}", "2024-03-01 10:00", f"{n}.50"] for n, user in enumerate(users)]


def events_workflow(tmp_path: Path, client: IngestClient, users: list[str]) -> ImportWorkflow:
    table = load_table(write_csv(tmp_path / "orders.csv", EVENT_HEADERS, orders(users)))
    return ImportWorkflow(table, mapping_of(ImportKind.EVENTS, EVENT_TARGETS),
                          client.fetch_specs(), client)


def test_the_preview_step_compares_the_checked_plan_and_sends_nothing(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    rows = contact_rows(6, invalid_every=None)
    client.post_contacts([{"_user_id": rows[0][0], "_first_name": "Old", "plan": rows[0][5]},
                          {"_user_id": rows[1][0], "_first_name": rows[1][1]}], sync=True)
    seeded = sandbox.state()
    table = load_table(write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows))
    reads: list[tuple[int, int]] = []
    with ImportWorkflow(table, mapping_of(ImportKind.CONTACTS, CONTACT_TARGETS),
                        client.fetch_specs(), client) as workflow:
        with pytest.raises(RuntimeError):
            workflow.preview()  # nothing checked yet
        workflow.check()
        preview = workflow.preview(progress=lambda done, total: reads.append((done, total)))
        assert workflow.previewed is preview
        assert preview.as_json()["contacts"] == {"new": 4, "updated": 2, "unchanged": 0}
        assert preview.sampled_all
        assert reads[-1] == (6, 6)
        assert sandbox.state() == seeded  # nothing written
        workflow.check()
        assert workflow.previewed is None  # a new plan needs a new preview


def test_a_cancelled_preview_keeps_nothing(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with events_workflow(tmp_path, client, ["A", "B"]) as workflow:
        workflow.check()
        with pytest.raises(Cancelled):
            workflow.preview(cancel=cancel)
        assert workflow.previewed is None


def test_a_refused_token_stops_the_preview_with_a_sentence(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as good:
        specs = good.fetch_specs()
    table = load_table(write_csv(tmp_path / "orders.csv", EVENT_HEADERS, orders(["A"])))
    with IngestClient(sandbox.base_url, config.project, config.datasource, "wrong-token",
                      timeout=10.0) as bad, ImportWorkflow(
            table, mapping_of(ImportKind.EVENTS, EVENT_TARGETS), specs, bad) as workflow:
        workflow.check()
        with pytest.raises(WorkflowError) as caught:
            workflow.preview()
    assert caught.value.exit_code is ExitCode.CONNECTION
    assert "Nothing was sent" in str(caught.value)
    assert "wrong-token" not in str(caught.value)


def test_events_of_unknown_contacts_are_refused_before_anything_is_written(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    client.post_contacts([{"_user_id": "K1"}], sync=True)
    seeded = sandbox.state()
    with (events_workflow(tmp_path, client, ["K1", "U1", "U2", "K1"]) as workflow,
          pytest.raises(UnknownContactsError) as caught):
        workflow.run()
    assert caught.value.exit_code is ExitCode.USAGE
    assert str(caught.value) == ("2 of the 4 events belong to contacts that are not in the "
                                 "datasource, and Instasent drops such events without an error.")
    assert sandbox.state() == seeded
    assert workflow.run_id is None  # no run was journalled


def test_accepted_unknown_contacts_are_never_counted_accepted_without_the_warning(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    client.post_contacts([{"_user_id": "K1"}, {"_user_id": "K2"}], sync=True)
    users = ["K1", "U1", "K2", "U2", "U3", "K1"]
    with events_workflow(tmp_path, client, users) as workflow:
        summary = workflow.run(allow_unknown_contacts=True).summary
    stored = sandbox.state()["events"]
    assert summary.accepted == len(users)
    assert summary.events_unknown_contact_estimate == len(users) - len(stored) == 3
    assert summary.warnings == (
        "3 of these events belong to contacts that are not in the datasource: Instasent skips "
        "such events without an error; they count as accepted but are not stored.",)
    # The journal keeps it, so ``runs`` and a reopened Done page say it too.
    again = ImportSummary.from_json(summary.as_json())
    assert again is not None
    assert again.warnings == summary.warnings
    assert again.events_unknown_contact_estimate == 3


def test_events_whose_contacts_exist_pass_with_an_estimate_of_none_skipped(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    client.post_contacts([{"_user_id": "K1"}], sync=True)
    with events_workflow(tmp_path, client, ["K1", "K1"]) as workflow:
        summary = workflow.run().summary
    assert summary.events_unknown_contact_estimate == 0
    assert summary.warnings == ()
    assert len(sandbox.state()["events"]) == 2


def test_events_that_carry_their_contact_need_no_sample(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    table = load_table(write_csv(tmp_path / "orders.csv", EVENT_HEADERS, orders(["N1", "N2"])))
    mapping = mapping_of(ImportKind.EVENTS, EVENT_TARGETS)
    mapping.with_user_data = True
    with ImportWorkflow(table, mapping, client.fetch_specs(), client) as workflow:
        assert not workflow.unknown_contacts_matter
        summary = workflow.run().summary
        assert workflow.previewed is None
    assert summary.events_unknown_contact_estimate is None
    assert set(sandbox.state()["contacts"]) == {"N1", "N2"}
    assert len(sandbox.state()["events"]) == 2


def test_a_dry_run_of_events_of_unknown_contacts_says_the_service_would_skip_them(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    before = sandbox.state()
    table = load_table(write_csv(tmp_path / "orders.csv", EVENT_HEADERS, orders(["U1", "U2"])))
    with ImportWorkflow(table, mapping_of(ImportKind.EVENTS, EVENT_TARGETS),
                        client.fetch_specs(), client, dry_run=True) as workflow:
        summary = workflow.run().summary  # not refused: a dry run sends nothing
    assert summary.dry_run
    assert summary.accepted == 2
    assert summary.events_unknown_contact_estimate == 2
    assert len(summary.warnings) == 1
    assert sandbox.state() == before
