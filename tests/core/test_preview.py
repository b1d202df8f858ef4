"""The preview: real files through load_table -> validate -> build_batches, compared with the real
sandbox; then imported, and the sandbox's own before/after state is the oracle for the counts."""

from __future__ import annotations

import csv
import itertools
import math
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.api.results import ContactRead, RateLimit
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.contact_reads import ContactReader, ContactReadError
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ColumnOptions, EmptyCellPolicy, ImportKind
from ingest_gui.core.mapping import Mapping as Choices
from ingest_gui.core.payload import PayloadPlan, build_batches
from ingest_gui.core.preview import (
    UNLIMITED_SAMPLE,
    ContactStatus,
    FieldChange,
    Preview,
    SampleBasis,
    SampleSize,
    estimate_count,
    preview_import,
    sample_size,
    spread_positions,
)
from ingest_gui.core.upload import RowStatus, UploadEngine
from ingest_gui.core.validation import validate
from tests.core.factories import make_specs
from tests.core.upload_fakes import WALL_OFFSET, FakeClock

CONTACT_COLUMNS = {"ID": "_user_id", "Name": "_first_name", "Plan": "plan",
                   "Orders": "orders_count", "VIP": "vip", "Interests": "interests",
                   "Notes": "notes"}


@pytest.fixture
def client(sandbox: Any) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


class CountingClient:
    """The real client, counting its reads."""

    def __init__(self, client: IngestClient) -> None:
        self.client = client
        self.reads = 0
        self.lock = threading.Lock()

    def read_contact(self, user_id: str) -> ContactRead:
        with self.lock:
            self.reads += 1
        return self.client.read_contact(user_id)


class RecordsSource:
    """Answers reads from a dict, as a service that spells values its own way might."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]]) -> None:
        self.records = records

    def read_contact(self, user_id: str) -> ContactRead:
        return ContactRead(self.records.get(user_id), RateLimit())


def plan_of(tmp_path: Path, columns: Mapping[str, str], rows: Sequence[Sequence[str]], *,
            kind: ImportKind = ImportKind.CONTACTS, clear: Sequence[str] = (),
            event_type: str | None = None, with_user_data: bool = False) -> PayloadPlan:
    """A real CSV file, loaded, mapped (header -> target), validated and planned."""
    path = tmp_path / f"{kind.value}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        writer.writerows(rows)
    mapping = Choices(kind, event_type=event_type, with_user_data=with_user_data,
                      assignments={target: header for header, target in columns.items()},
                      options={header: ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
                               for header in clear})
    result = validate(load_table(path), mapping, make_specs())
    assert result.valid.all(), result.problems.to_string()
    return build_batches(result, datasource="demo")


def import_plan(client: IngestClient, plan: PayloadPlan) -> None:
    result = UploadEngine(client).run(plan.batches)
    assert result.fatal_error is None
    assert result.count(RowStatus.ACCEPTED) == plan.item_count


def seed(client: IngestClient, contacts: Sequence[Mapping[str, Any]]) -> None:
    for start in range(0, len(contacts), 100):
        answer = client.post_contacts(contacts[start:start + 100], sync=True)
        assert answer.rejected_count == 0


def in_equal_stretches(positions: Sequence[int], total: int) -> bool:
    """One position in each of ``len(positions)`` equal stretches of ``total`` rows, in order."""
    count = len(positions)
    starts = [index * total // count for index in range(count + 1)]
    return all(starts[index] <= position < starts[index + 1]
               for index, position in enumerate(positions))


def observed_changes(before: Mapping[str, dict[str, Any]], after: Mapping[str, dict[str, Any]],
                     user_ids: Sequence[str]) -> dict[str, Any]:
    """What the import did, worked out from the sandbox's own state before and after."""
    statuses = dict.fromkeys(("new", "updated", "unchanged"), 0)
    changed: dict[str, int] = {}
    cleared: dict[str, int] = {}
    for user_id in user_ids:
        old, new = before.get(user_id), after[user_id]
        if old is None:
            statuses["new"] += 1
            continue
        statuses["updated" if old != new else "unchanged"] += 1
        for key in old.keys() | new.keys():
            if key not in new:
                cleared[key] = cleared.get(key, 0) + 1
            elif old.get(key) != new[key]:
                changed[key] = changed.get(key, 0) + 1
    return {"contacts": statuses, "attributes_changed": changed, "attributes_cleared": cleared}


# -- contacts ---------------------------------------------------------------------------------

SEEDED: list[dict[str, Any]] = [
    {"_user_id": "C1", "_first_name": "Ana", "plan": "pro", "orders_count": 3, "vip": "1"},
    {"_user_id": "C2", "_first_name": "Bea", "plan": "basic", "orders_count": 5},
    {"_user_id": "C3", "_first_name": "Cai", "plan": "pro", "notes": "call back"},
    {"_user_id": "C4", "_first_name": "Dan", "plan": "free"},
    {"_user_id": "C7", "_first_name": "Gus", "orders_count": 3, "vip": "0"},
    {"_user_id": "C8", "_first_name": "Hal", "interests": ["golf"]},
    {"_user_id": "C9", "_first_name": "Ida", "plan": "pro"},   # not in the file
]
FILE_ROWS = [
    # ID, Name, Plan, Orders, VIP, Interests, Notes ("clear": empty sends null)
    ["C1", "Ana", "pro", "3", "yes", "", ""],          # unchanged; null over no notes
    ["C2", "Bea", "pro", "5", "", "", ""],             # plan changes
    ["C3", "Cai", "pro", "", "", "", ""],              # notes cleared
    ["C4", "Dan", "free", "", "", "", ""],             # unchanged
    ["C5", "Eva", "pro", "1", "no", "golf, tennis", "new"],   # new
    ["C6", "Fer", "", "", "", "", ""],                 # new; its null notes set nothing
    ["C7", "Gus", "", "4", "yes", "", ""],             # orders and vip change
    ["C8", "Hal", "", "", "", "golf, tennis", "vip"],  # interests change, notes set
]


def test_a_small_files_preview_counts_exactly_what_the_import_then_does(
        sandbox: Any, client: IngestClient, tmp_path: Path) -> None:
    seed(client, SEEDED)
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS, clear=["Notes"])
    counting = CountingClient(client)

    preview = preview_import(plan, ImportKind.CONTACTS, ContactReader(counting),
                             specs=make_specs())
    before = sandbox.state()["contacts"]
    import_plan(client, plan)
    after = sandbox.state()["contacts"]

    report = preview.as_json()
    observed = observed_changes(before, after, [row[0] for row in FILE_ROWS])
    assert {key: report[key] for key in observed} == observed
    # The oracle is not vacuous: it saw each kind of change.
    assert report["contacts"] == {"new": 2, "updated": 4, "unchanged": 2}
    assert report["attributes_changed"] == {"interests": 1, "notes": 1, "orders_count": 1,
                                            "plan": 1, "vip": 1}
    assert report["attributes_cleared"] == {"notes": 1}
    assert report["rows_sampled"] == 8
    assert report["sampled_all"] is True
    assert report["events_unknown_contact"] is None
    assert report["estimate"]["contacts"]["updated"] == {"sampled": 4, "value": 4, "margin": 0}
    assert report["estimate"]["sampling"]["basis"] == "every_row"
    assert counting.reads == 8
    assert preview.sampled_rows == tuple(range(2, 10))


def test_sampled_contacts_are_shown_side_by_side_updated_first(
        sandbox: Any, client: IngestClient, tmp_path: Path) -> None:
    seed(client, SEEDED)
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS, clear=["Notes"])

    preview = preview_import(plan, ImportKind.CONTACTS, ContactReader(client),
                             specs=make_specs())

    assert [(example.user_id, example.status) for example in preview.examples] == [
        ("C2", ContactStatus.UPDATED), ("C3", ContactStatus.UPDATED),
        ("C7", ContactStatus.UPDATED), ("C8", ContactStatus.UPDATED),
        ("C5", ContactStatus.NEW)]
    c3 = {field.attribute: field for field in preview.examples[1].fields}
    assert (c3["notes"].label, c3["notes"].before, c3["notes"].after, c3["notes"].change) == (
        "Notes", "call back", None, FieldChange.CLEARED)
    assert (c3["plan"].before, c3["plan"].after, c3["plan"].change) == (
        "pro", "pro", FieldChange.UNCHANGED)
    assert preview.examples[0].row == 3
    assert [entry.user_id for entry in preview.comparisons] == [row[0] for row in FILE_ROWS]


def test_values_are_compared_as_the_service_stores_them(tmp_path: Path) -> None:
    columns = {"ID": "_user_id", "Email": "_email", "Orders": "orders_count", "VIP": "vip",
               "Interests": "interests", "Login": "last_login", "Value": "lifetime_value",
               "Birthday": "birthday"}
    row = ["A@b.com", "7", "yes", "golf, tennis", "2024-03-01 10:00", "1.50", "1990-02-03"]
    plan = plan_of(tmp_path, columns, [["same", *row], ["other", *row]])
    # The same meanings, spelled as a service might return them (the sandbox would echo the
    # wire form): a number as text, a JSON bool, a list in another order, an e-mail in other
    # case, the instant with an offset, a decimal with a trailing zero, a date with a time.
    stored = {"_email": "A@B.com", "orders_count": "7", "vip": True,
              "interests": ["tennis", "golf"], "last_login": "2024-03-01T10:00:00+01:00",
              "lifetime_value": "1.50", "birthday": "1990-02-03T00:00:00Z"}
    other = {"_email": "a@c.com", "orders_count": 7.5, "vip": "0", "interests": ["golf"],
             "last_login": "2024-03-01T10:00:00Z", "lifetime_value": 2,
             "birthday": "1990-02-04"}
    source = RecordsSource({"same": {"_user_id": "same", **stored},
                            "other": {"_user_id": "other", **other}})

    preview = preview_import(plan, ImportKind.CONTACTS, ContactReader(source),
                             specs=make_specs())

    assert preview.contacts == {ContactStatus.NEW: 0, ContactStatus.UPDATED: 1,
                                ContactStatus.UNCHANGED: 1}
    assert preview.attributes_changed == dict.fromkeys(sorted(stored), 1)


def test_a_contacts_later_rows_are_compared_with_what_its_earlier_rows_leave(
        tmp_path: Path) -> None:
    columns = {"ID": "_user_id", "Plan": "plan"}
    plan = plan_of(tmp_path, columns, [["X", "pro"], ["Y", "pro"]])
    # Two rows of one contact cannot be in a validated file; the plan is built from two files.
    twice = PayloadPlan(plan.batches + plan_of(tmp_path, columns, [["X", "pro"]]).batches,
                        (), ())
    source = RecordsSource({"X": {"_user_id": "X", "plan": "free"}})

    preview = preview_import(twice, ImportKind.CONTACTS, ContactReader(source),
                             specs=make_specs())

    assert preview.contacts == {ContactStatus.NEW: 1, ContactStatus.UPDATED: 1,
                                ContactStatus.UNCHANGED: 1}


@pytest.mark.parametrize(("limit", "expected_reads"), [(240, 60), (480, 120)])
def test_a_large_files_sample_follows_the_rate_limit_and_spreads_over_the_file(
        sandbox: Any, client: IngestClient, tmp_path: Path, limit: int,
        expected_reads: int) -> None:
    total = 2000
    rows = [[f"L{n:05d}", f"Name {n}", "pro", "", "", "", ""] for n in range(total)]
    # Every fourth contact already exists, exactly as the file has it.
    seed(client, [{"_user_id": f"L{n:05d}", "_first_name": f"Name {n}", "plan": "pro"}
                  for n in range(0, total, 4)])
    plan = plan_of(tmp_path, CONTACT_COLUMNS, rows)
    sandbox.set_rate_limit(limit, window_seconds=60)
    # Pacing sleeps on a fake clock whose wall time is the sandbox's: no real waiting.
    clock = FakeClock(start=time.time() - WALL_OFFSET)
    counting = CountingClient(client)
    reader = ContactReader(counting, concurrency=1, sleep=clock.sleep, clock=clock,
                           wall_clock=clock.wall)

    preview = preview_import(plan, ImportKind.CONTACTS, reader, specs=make_specs())

    positions = [row - 2 for row in preview.sampled_rows]
    assert preview.rows_sampled == counting.reads == expected_reads
    assert preview.basis is SampleBasis.RATE_LIMIT
    # One row in each of expected_reads equal stretches of the file, the first row first.
    assert in_equal_stretches(positions, total)
    assert positions[0] == 0
    # The reads took about 15 s at the limit (at most, when the window was fresh).
    assert sum(clock.sleeps) <= 15.5
    existing = sum(1 for position in positions if position % 4 == 0)
    assert preview.contacts == {ContactStatus.NEW: expected_reads - existing,
                                ContactStatus.UPDATED: 0, ContactStatus.UNCHANGED: existing}
    unchanged = preview.as_json()["estimate"]["contacts"]["unchanged"]
    assert unchanged["value"] == round(existing / expected_reads * total)
    assert 0 < unchanged["margin"] < total / 5
    assert abs(unchanged["value"] - total // 4) <= unchanged["margin"]
    assert preview.as_json()["sampled_all"] is False


def test_without_a_rate_limit_the_sample_is_capped_and_says_so(tmp_path: Path) -> None:
    total = UNLIMITED_SAMPLE + 500
    plan = plan_of(tmp_path, {"ID": "_user_id"}, [[f"N{n}"] for n in range(total)])

    preview = preview_import(plan, ImportKind.CONTACTS, ContactReader(RecordsSource({})))

    assert preview.rows_sampled == UNLIMITED_SAMPLE
    assert preview.basis is SampleBasis.NO_RATE_LIMIT
    assert preview.as_json()["estimate"]["sampling"] == {
        "basis": "no_rate_limit", "rate_limit": None, "window_seconds": 60.0}
    assert "it reports no rate limit; the sample stops at 1,000 reads" in (
        preview.summary_lines()[0])


# -- events -----------------------------------------------------------------------------------

EVENT_COLUMNS = {"ID": "_user_id", "Date": "_event_date", "Source": "_event_parameters.source"}


def event_rows(users: Sequence[str]) -> list[list[str]]:
    return [[user, f"2024-05-{1 + n % 28:02d} 10:00", f"web{n}"] for n, user in enumerate(users)]


def test_events_of_unknown_contacts_are_counted_and_the_service_drops_them(
        sandbox: Any, client: IngestClient, tmp_path: Path) -> None:
    seed(client, [{"_user_id": user} for user in ("E0", "E1", "E2")])
    users = ["E0", "E3", "E1", "E4", "E4", "E2", "E5", "E0"]
    plan = plan_of(tmp_path, EVENT_COLUMNS, event_rows(users), kind=ImportKind.EVENTS,
                   event_type="signup")

    preview = preview_import(plan, ImportKind.EVENTS, ContactReader(client),
                             specs=make_specs())
    import_plan(client, plan)

    report = preview.as_json()
    assert report["events_unknown_contact"] == 4
    assert report["contacts"] is None
    assert report["estimate"]["events_unknown_contact"] == {"sampled": 4, "value": 4,
                                                            "margin": 0}
    assert report["estimate"]["events_creating_contact"] == {"sampled": 0, "value": 0,
                                                             "margin": 0}
    assert preview.events_would_vanish
    # Every event was accepted, yet the service kept only those of known contacts.
    stored = sandbox.state()["events"]
    assert len(stored) == len(users) - report["events_unknown_contact"]
    assert (
        "4 of the 8 events belong to contacts that are not in the datasource: Instasent drops "
        "such events without an error. Import the contacts first, or send each event with its "
        "contact") in " ".join(preview.summary_lines())


def test_events_that_carry_their_contact_are_counted_apart(
        sandbox: Any, client: IngestClient, tmp_path: Path) -> None:
    seed(client, [{"_user_id": "E0"}])
    columns = {**EVENT_COLUMNS, "Name": "_user_data._first_name"}
    rows = [[*row, f"Name {n}"] for n, row in enumerate(event_rows(["E0", "E1", "E2"]))]
    plan = plan_of(tmp_path, columns, rows, kind=ImportKind.EVENTS, event_type="signup",
                   with_user_data=True)

    preview = preview_import(plan, ImportKind.EVENTS, ContactReader(client),
                             specs=make_specs())
    import_plan(client, plan)

    assert (preview.events_unknown_contact, preview.events_creating_contact) == (0, 2)
    assert not preview.events_would_vanish
    assert len(sandbox.state()["events"]) == 3
    assert any("each carries its contact, so the import creates them" in line
               for line in preview.summary_lines())


def test_a_sampled_events_file_says_how_many_would_vanish_in_the_whole_file(
        tmp_path: Path) -> None:
    users = [f"K{n % 10}" for n in range(300)]
    plan = plan_of(tmp_path, EVENT_COLUMNS, event_rows(users), kind=ImportKind.EVENTS,
                   event_type="signup")
    known = {f"K{n}": {"_user_id": f"K{n}"} for n in range(5)}

    clock = FakeClock()

    class Limited(RecordsSource):
        def read_contact(self, user_id: str) -> ContactRead:
            return ContactRead(self.records.get(user_id), RateLimit(200, 199, clock.wall() + 60))

    reader = ContactReader(Limited(known), concurrency=1, sleep=clock.sleep, clock=clock,
                           wall_clock=clock.wall)
    preview = preview_import(plan, ImportKind.EVENTS, reader, specs=make_specs())

    assert preview.rows_sampled == 50  # 200 a minute: 50 reads in 15 s
    unknown = sum(1 for row in preview.sampled_rows if (row - 2) % 10 >= 5)
    assert preview.events_unknown_contact == unknown
    estimate = preview.estimate(unknown)
    assert estimate.value == round(unknown / 50 * 300)
    assert abs(estimate.value - 150) <= estimate.margin
    lines = preview.summary_lines()
    assert lines[0] == ("50 of 300 rows, spread evenly across the file, were compared with the "
                        "datasource (about 15 seconds of reads at its rate limit of 200 calls "
                        "a minute). Figures for the whole file are estimates, ± a 95% margin.")
    assert lines[1].startswith(f"{unknown} of the 50 sampled events belong to contacts that "
                               "are not in the datasource: Instasent drops such events without "
                               "an error.")
    assert lines[1].endswith(
        f"In the whole file that is about {estimate.value} ± {estimate.margin} events.")


# -- failures ---------------------------------------------------------------------------------

def test_a_refused_token_stops_the_preview_with_the_clients_sentence(
        sandbox: Any, tmp_path: Path) -> None:
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS)
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, "wrong",
                      timeout=10.0) as wrong, pytest.raises(ContactReadError) as raised:
        preview_import(plan, ImportKind.CONTACTS, ContactReader(wrong), specs=make_specs())
    assert raised.value.auth_failed
    assert str(raised.value).startswith("The API token was refused (401).")


def test_cancelling_stops_the_preview(sandbox: Any, client: IngestClient,
                                      tmp_path: Path) -> None:
    plan = plan_of(tmp_path, CONTACT_COLUMNS, FILE_ROWS)
    token = CancelToken()
    counting = CountingClient(client)
    with pytest.raises(Cancelled):
        preview_import(plan, ImportKind.CONTACTS, ContactReader(counting), cancel=token,
                       progress=lambda done, total: token.cancel())
    assert counting.reads == 1


# -- sizes and estimates -----------------------------------------------------------------------

def test_sample_size() -> None:
    assert sample_size(100, RateLimit(600)) == SampleSize(100, SampleBasis.EVERY_ROW)
    assert sample_size(151, RateLimit(600)) == SampleSize(150, SampleBasis.RATE_LIMIT)
    assert sample_size(10_000, RateLimit(600), window_seconds=30) == SampleSize(
        300, SampleBasis.RATE_LIMIT)
    assert sample_size(10_000, RateLimit(2)) == SampleSize(1, SampleBasis.RATE_LIMIT)
    assert sample_size(10**6, RateLimit(10**6)) == SampleSize(
        UNLIMITED_SAMPLE, SampleBasis.RATE_LIMIT)
    assert sample_size(10**6, RateLimit()) == SampleSize(
        UNLIMITED_SAMPLE, SampleBasis.NO_RATE_LIMIT)
    assert sample_size(0, None) == SampleSize(0, SampleBasis.EVERY_ROW)


def test_positions_are_spread_evenly_and_deterministic() -> None:
    assert spread_positions(5, 5) == [0, 1, 2, 3, 4]
    assert spread_positions(3, 10) == [0, 1, 2]
    positions = spread_positions(100_000, 150)
    assert positions == spread_positions(100_000, 150)
    assert positions[0] == 0
    assert in_equal_stretches(positions, 100_000)
    # Not a fixed step, which would alias with a file that repeats a pattern.
    assert len({b - a for a, b in itertools.pairwise(positions)}) > 10
    every_fourth = spread_positions(2000, 120)
    assert 20 <= sum(1 for position in every_fourth if position % 4 == 0) <= 40


def test_estimates_scale_with_a_95_percent_margin_and_the_finite_population_correction() -> None:
    # 30 of 150 sampled among 10,000: p = 0.2, 1.96 * sqrt(0.2 * 0.8 / 150) * sqrt(9850 / 9999)
    # of 10,000 rows.
    expected = math.ceil(1.959964 * math.sqrt(0.2 * 0.8 / 150) * math.sqrt(9850 / 9999) * 10_000)
    assert estimate_count(30, 150, 10_000).as_json() == {"sampled": 30, "value": 2000,
                                                         "margin": expected}
    assert expected == 636
    assert estimate_count(7, 40, 40).margin == 0                      # every row read
    assert estimate_count(0, 150, 10_000).margin == math.ceil(          # none found: 3 / n
        3 / 150 * math.sqrt(9850 / 9999) * 10_000)
    assert estimate_count(150, 150, 10_000).value == 10_000
    assert estimate_count(0, 0, 0).as_json() == {"sampled": 0, "value": 0, "margin": 0}


def test_the_json_has_exactly_the_documented_keys(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, {"ID": "_user_id"}, [["A"]])
    report = preview_import(plan, ImportKind.CONTACTS, ContactReader(RecordsSource({}))).as_json()
    assert list(report) == ["rows_sampled", "sampled_all", "contacts", "attributes_changed",
                            "attributes_cleared", "events_unknown_contact", "estimate"]
    assert list(report["estimate"]) == [
        "rows_total", "confidence", "sampling", "contacts", "attributes_changed",
        "attributes_cleared", "events_unknown_contact", "events_creating_contact"]


def test_an_empty_plan_previews_nothing() -> None:
    preview = preview_import(PayloadPlan((), (), ()), ImportKind.CONTACTS,
                             ContactReader(RecordsSource({})))
    assert isinstance(preview, Preview)
    assert (preview.rows_sampled, preview.sampled_all) == (0, True)
    assert preview.summary_lines() == ["There are no rows to send, so nothing to preview."]
