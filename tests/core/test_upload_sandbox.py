"""The engine with the real IngestClient against the real sandbox over loopback, faults on.

The sandbox is the independent oracle: its final state must equal exactly what was sent —
every contact with its values, every event exactly once — whatever faults fired on the way.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.api.results import WriteResult
from ingest_gui.core.journal import Journal
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import Batch
from ingest_gui.core.upload import RowStatus, UploadControl, UploadEngine, UploadProgress

FAULTS = "500=0.05,429=0.05,drop=0.02,latency=0-20ms,seed=7"


@pytest.fixture
def client(sandbox) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def fast_engine(client: Any, **options: Any) -> UploadEngine:
    """Real sleep and clocks, short backoffs so faulty runs stay quick."""
    options.setdefault("backoff_initial", 0.02)
    options.setdefault("backoff_max", 0.2)
    options.setdefault("reset_margin", 0.05)
    return UploadEngine(client, **options)


def contacts(count: int) -> list[dict[str, Any]]:
    return [{"_user_id": f"U{n:05d}", "_email": f"user{n}@example.com",
             "_first_name": f"Name {n}", "plan": ("pro", "basic", "free")[n % 3],
             "orders_count": n % 17} for n in range(count)]


def events(count: int, users: int) -> list[dict[str, Any]]:
    return [{"_user_id": f"U{n % users:05d}", "_event_id": f"E{n:06d}", "_event_type": "signup",
             "_event_date": f"2024-0{1 + n % 9}-1{n % 10}T10:00:00.000Z"} for n in range(count)]


def to_batches(items: Sequence[Mapping[str, Any]], kind: ImportKind, size: int = 100,
               first_row: int = 2) -> list[Batch]:
    return [
        Batch.of_items(start // size, kind, items[start:start + size],
                       range(first_row + start, first_row + min(start + size, len(items))))
        for start in range(0, len(items), size)
    ]


@pytest.mark.parametrize("count", [
    2000,
    pytest.param(20_000, marks=pytest.mark.slow, id="20000-slow"),
])
def test_faulty_import_of_contacts_then_events_ends_in_exactly_the_file(
        sandbox, client, count: int) -> None:
    sandbox.set_faults(FAULTS)
    people = contacts(count)
    happenings = events(count, users=count)
    engine = fast_engine(client)

    first = engine.run(to_batches(people, ImportKind.CONTACTS))
    second = engine.run(to_batches(happenings, ImportKind.EVENTS))

    for result in (first, second):
        assert result.fatal_error is None
        assert result.count(RowStatus.ACCEPTED) == count
        assert list(result.statuses) == list(range(2, count + 2))
    assert first.retries + second.retries > 0           # the faults really fired
    state = sandbox.state()
    assert state["contacts"] == {person["_user_id"]: person for person in people}
    ids = Counter(event["_event_id"] for event in state["events"])
    assert set(ids) == {event["_event_id"] for event in happenings}
    assert set(ids.values()) == {1}                      # every event exactly once
    stored = {event["_event_id"]: event for event in state["events"]}
    for sent in happenings[::97]:
        assert {key: stored[sent["_event_id"]][key] for key in sent} == sent


@pytest.mark.parametrize("shape", ["A", "B"])
def test_rejections_come_back_per_row_in_both_answer_shapes(sandbox, client, shape) -> None:
    sandbox.set_answer_shape(shape)
    people = contacts(250)
    people[7]["_email"] = "not an email"
    people[180]["orders_count"] = "many"
    result = fast_engine(client).run(to_batches(people, ImportKind.CONTACTS))
    assert result.count(RowStatus.ACCEPTED) == 248
    assert [row for row, status in result.statuses.items()
            if status is RowStatus.REJECTED] == [9, 182]
    assert any("_email" in message for message in result.messages[9])
    assert any("orders_count" in message for message in result.messages[182])
    assert len(sandbox.state()["contacts"]) == 248


def test_cancelled_then_resumed_from_the_journal_sends_every_batch_once(
        sandbox, client, tmp_path: Path) -> None:
    sandbox.set_faults(FAULTS)
    people = contacts(200)
    sandbox_sent: list[int] = []
    lock = threading.Lock()

    class Counting:
        """The real client, counting every events batch that reaches it."""

        def __getattr__(self, name: str) -> Any:
            return getattr(client, name)

        def post_events(self, items: Any, **options: Any) -> WriteResult:
            with lock:
                sandbox_sent.append(len(items))
            return client.post_events(items, **options)

    fast_engine(client).run(to_batches(people, ImportKind.CONTACTS))
    happenings = events(4000, users=200)
    batches = to_batches(happenings, ImportKind.EVENTS)
    path = tmp_path / "journal.sqlite3"
    control = UploadControl()

    def cancel_midway(progress: UploadProgress) -> None:
        if progress.batches_done >= 12:
            control.cancel()

    with Journal(path) as journal:
        run = journal.start_run(kind="events", file_path="events.csv", fingerprint="fp",
                                datasource_key=client.datasource_key, mapping={"m": 1},
                                batches_total=len(batches))
        first = fast_engine(Counting()).run(batches, journal=run, on_progress=cancel_midway,
                                            control=control)
        run.finish(first.run_status, {})
    assert first.cancelled
    done_first = {index for index in range(len(batches))
                  if first.statuses[batches[index].rows[0]] is RowStatus.ACCEPTED}
    assert 12 <= len(done_first) < len(batches)

    with Journal(path) as journal:
        info = journal.find_resumable(fingerprint="fp", datasource_key=client.datasource_key,
                                      mapping={"m": 1})
        assert info is not None
        assert info.status == "cancelled"
        assert info.batches_acknowledged == len(done_first)
        resumed = journal.resume_run(info.run_id)
        second = fast_engine(Counting()).run(batches, journal=resumed)
        resumed.finish(second.run_status, {})
        assert sorted(resumed.acknowledged()) == list(range(len(batches)))
        assert journal.integrity_check() == "ok"

    assert second.fatal_error is None
    assert not second.cancelled
    assert second.count(RowStatus.ACCEPTED) == 4000
    ids = Counter(event["_event_id"] for event in sandbox.state()["events"])
    assert len(ids) == 4000
    assert set(ids.values()) == {1}


def test_delete_batches_remove_exactly_the_listed_contacts(sandbox, client) -> None:
    fast_engine(client).run(to_batches(contacts(30), ImportKind.CONTACTS))
    sandbox.set_faults("500=0.1,drop=0.05,seed=11")
    doomed = [{"_user_id": f"U{n:05d}"} for n in range(0, 30, 2)] + [{"_user_id": "ghost"}]
    result = fast_engine(client).run(to_batches(doomed, ImportKind.DELETE, size=5))
    assert result.fatal_error is None
    assert result.count(RowStatus.ACCEPTED) == 15
    assert result.statuses[17] is RowStatus.REJECTED
    assert "No contact" in result.messages[17][0]
    assert sorted(sandbox.state()["contacts"]) == [f"U{n:05d}" for n in range(1, 30, 2)]


def test_dry_run_writes_nothing(sandbox, client) -> None:
    result = fast_engine(client, dry_run=True).run(to_batches(contacts(150), ImportKind.CONTACTS))
    assert result.count(RowStatus.ACCEPTED) == 150
    assert sandbox.state()["contacts"] == {}


def test_a_wrong_token_stops_at_the_first_batch_and_writes_nothing(sandbox) -> None:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource,
                      "not-the-token-0123456789", timeout=10.0) as wrong:
        result = fast_engine(wrong, concurrency=1).run(
            to_batches(contacts(300), ImportKind.CONTACTS))
    assert result.auth_failed
    assert result.fatal_error is not None
    assert "not-the-token-0123456789" not in result.fatal_error
    assert result.count(RowStatus.NOT_SENT) == 300
    assert sandbox.state()["contacts"] == {}


@pytest.mark.slow
def test_pacing_holds_the_ceiling_of_a_rate_limited_sandbox(sandbox, client) -> None:
    """20 calls per 2-second window (600 a minute, the documented example, compressed)."""
    limit, window = 20, 2.0
    sandbox.set_rate_limit(limit, window_seconds=window)
    answers_per_window: Counter[float] = Counter()
    lock = threading.Lock()

    class Recording:
        def __getattr__(self, name: str) -> Any:
            return getattr(client, name)

        def post_contacts(self, items: Any, **options: Any) -> WriteResult:
            answer = client.post_contacts(items, **options)
            with lock:
                assert answer.rate_limit.reset_at is not None
                answers_per_window[answer.rate_limit.reset_at] += 1
            return answer

    people = contacts(130)
    engine = UploadEngine(Recording(), window_seconds=window, reset_margin=0.05,  # type: ignore[arg-type]
                          backoff_initial=0.05)
    result = engine.run(to_batches(people, ImportKind.CONTACTS, size=1))
    assert result.count(RowStatus.ACCEPTED) == 130
    assert result.rate_limited <= 3                       # a handful at most
    windows = sorted(answers_per_window)
    full = windows[1:-1]                                  # first and last are partial
    assert len(full) >= 4
    used = sum(answers_per_window[reset] for reset in full)
    assert used >= 0.95 * limit * len(full), answers_per_window
