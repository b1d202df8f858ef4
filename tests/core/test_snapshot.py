"""Undo snapshots: read before a contact import, kept as JSON, turned into the undo's work; the
round trip through the real sandbox brings its contacts back exactly to the seeded state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.api.results import RateLimit
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.contact_reads import ContactReader
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import Batch, PayloadPlan
from ingest_gui.core.snapshot import (
    CreatedContact,
    RestoredContact,
    Snapshot,
    read_seconds,
    snapshot_cost_sentence,
    snapshot_is_automatic,
    take_snapshot,
    undo_batches,
    undo_plan,
)
from ingest_gui.core.upload import RowStatus, UploadEngine
from tests.core.test_preview import (
    CONTACT_COLUMNS,
    FILE_ROWS,
    SEEDED,
    CountingClient,
    RecordsSource,
    import_plan,
    plan_of,
    seed,
)


@pytest.fixture
def client(sandbox: Any) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def test_undo_brings_the_sandbox_back_exactly_to_its_state_before_the_import(
        sandbox: Any, client: IngestClient, tmp_path: Path) -> None:
    seed(client, SEEDED)
    seeded = sandbox.state()["contacts"]
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS, clear=["Notes"])
    counting = CountingClient(client)

    snapshot = take_snapshot(plan, ContactReader(counting))
    stored = json.loads(json.dumps(snapshot.to_json()))   # as the journal would keep it
    import_plan(client, plan)
    assert sandbox.state()["contacts"] != seeded          # the import did change things
    result = UploadEngine(client).run(undo_batches(Snapshot.from_json(stored)))

    assert result.fatal_error is None
    assert set(result.statuses.values()) == {RowStatus.ACCEPTED}
    assert sandbox.state()["contacts"] == seeded
    assert counting.reads == len(FILE_ROWS)               # every touched contact read once


def test_the_snapshot_keeps_new_contacts_and_earlier_values(
        sandbox: Any, client: IngestClient, tmp_path: Path) -> None:
    seed(client, SEEDED)
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS, clear=["Notes"])

    snapshot = take_snapshot(plan, ContactReader(client))

    assert snapshot.created == (CreatedContact("C5", 6), CreatedContact("C6", 7))
    restored = {contact.user_id: contact for contact in snapshot.restored}
    assert list(restored) == ["C1", "C2", "C3", "C4", "C7", "C8"]
    # C2's row writes its name, plan, orders and (empty, "clear") notes: the earlier values,
    # and null for the notes it never had.
    assert restored["C2"] == RestoredContact(
        "C2", 3, {"_first_name": "Bea", "plan": "basic", "orders_count": 5, "notes": None})
    assert restored["C8"].attributes == {"_first_name": "Hal", "interests": ["golf"],
                                         "notes": None}
    plan_of_undo = undo_plan(snapshot)
    assert plan_of_undo.delete_user_ids == ("C5", "C6")
    assert plan_of_undo.restore_items[1] == {"_user_id": "C2", "_first_name": "Bea",
                                             "plan": "basic", "orders_count": 5, "notes": None}


def test_undo_batches_delete_first_then_restore_in_batches_of_a_hundred() -> None:
    snapshot = Snapshot(
        tuple(CreatedContact(f"N{n}", 2 + n) for n in range(150)),
        tuple(RestoredContact(f"O{n}", 200 + n, {"plan": None}) for n in range(120)))

    batches = undo_batches(snapshot)

    assert [(batch.index, batch.kind, len(batch.rows)) for batch in batches] == [
        (0, ImportKind.DELETE, 100), (1, ImportKind.DELETE, 50),
        (2, ImportKind.CONTACTS, 100), (3, ImportKind.CONTACTS, 20)]
    assert batches[1].encoded.user_ids[0] == "N100"
    assert batches[1].rows[0] == 102
    assert batches[3].items[-1] == {"_user_id": "O119", "plan": None}


def test_a_damaged_snapshot_is_refused_with_a_sentence() -> None:
    good = Snapshot((CreatedContact("A", 2),), (RestoredContact("B", 3, {"plan": "x"}),))
    assert Snapshot.from_json(good.to_json()) == good
    damaged_ones: list[Any] = [
        None, [], {"format": 99, "created": [], "restored": []},
        {**good.to_json(), "created": [{"user_id": 5, "row": 2}]},
        {**good.to_json(), "restored": [{"user_id": "B", "row": 3}]},
        {**good.to_json(), "restored": [{"user_id": "B", "row": "3", "attributes": {}}]},
    ]
    for damaged in damaged_ones:
        with pytest.raises(ValueError, match=r"^The saved snapshot of the contacts before this "
                                             r"import is damaged"):
            Snapshot.from_json(damaged)


def test_only_a_contact_import_has_a_snapshot() -> None:
    events = PayloadPlan((Batch.of_items(0, ImportKind.EVENTS, [
        {"_user_id": "A", "_event_id": "e", "_event_type": "signup"}], [2]),), (), ())
    with pytest.raises(ValueError, match="contact import"):
        take_snapshot(events, ContactReader(RecordsSource({})))


def test_a_cancelled_snapshot_raises_cancelled(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        take_snapshot(plan, ContactReader(RecordsSource({})), cancel=token)


def test_small_snapshots_are_automatic_and_large_ones_say_what_they_cost() -> None:
    per_minute = RateLimit(600)
    assert read_seconds(3000, per_minute) == 300
    assert read_seconds(3000, RateLimit()) is None
    assert snapshot_is_automatic(3000, per_minute)
    assert not snapshot_is_automatic(3001, per_minute)
    assert snapshot_is_automatic(5000, None)
    assert not snapshot_is_automatic(5001, None)
    assert snapshot_cost_sentence(12_000, per_minute) == (
        "Keeping a copy of the contacts before the import, so it can be undone, reads each of "
        "them once (12,000 reads): about 20 min at the datasource's rate limit.")
