"""Upload engine: retries, 429 waits, pacing, ordering, pause/resume/cancel, auth stop, progress."""

from __future__ import annotations

import queue
import random
import threading
from collections import Counter
from pathlib import Path

import pytest

from ingest_gui.api.errors import (
    AuthError,
    BadRequestError,
    NotFoundError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    TransportError,
)
from ingest_gui.api.results import ItemResult, RateLimit, WriteResult
from ingest_gui.core.journal import Journal, JournalError
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.upload import (
    DEFAULT_CONCURRENCY,
    RowStatus,
    UploadControl,
    UploadEngine,
    UploadProgress,
    UploadResult,
)
from tests.core.upload_fakes import (
    WALL_OFFSET,
    Call,
    FakeClient,
    FakeClock,
    accept_all,
    make_batches,
)

WAIT = 10.0  # generous bound for cross-thread handshakes; never reached when things work


def make_engine(client: FakeClient, clock: FakeClock | None = None, **options) -> UploadEngine:
    clock = clock or FakeClock()
    return UploadEngine(client, sleep=clock.sleep, clock=clock, wall_clock=clock.wall,  # type: ignore[arg-type]
                        rng=random.Random(7), **options)


def batch_of(call: Call) -> int:
    """Batches from make_batches(size=3, first_row=2): row of the first item -> batch index."""
    return (int(str(call.first_id)[1:]) - 2) // 3


class Gates:
    """Per-batch gates: each call waits until the test opens its batch's gate."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.arrived: list[int] = []
        self.open: set[int] = set()
        self.in_flight = 0
        self.max_in_flight = 0

    def wait_turn(self, batch: int) -> None:
        with self.condition:
            self.arrived.append(batch)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.condition.notify_all()
            assert self.condition.wait_for(lambda: batch in self.open, timeout=WAIT)
            self.in_flight -= 1

    def release(self, *batches: int) -> None:
        with self.condition:
            self.open.update(batches)
            self.condition.notify_all()

    def wait_arrived(self, count: int) -> list[int]:
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.arrived) >= count, timeout=WAIT)
            return list(self.arrived)


def run_in_thread(engine: UploadEngine, batches, **kwargs) -> tuple[threading.Thread, dict]:
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = engine.run(batches, **kwargs)
        except BaseException as error:  # surfaced by the test
            box["error"] = error

    thread = threading.Thread(target=target, name="test-upload-run")
    thread.start()
    return thread, box


def finish(thread: threading.Thread, box: dict) -> UploadResult:
    thread.join(WAIT)
    assert not thread.is_alive()
    if "error" in box:
        raise box["error"]
    return box["result"]


# -- basics ------------------------------------------------------------------------------------

def test_every_row_accepted_in_row_order_and_kind_picks_the_endpoint() -> None:
    client = FakeClient()
    contacts = make_batches(3)
    events = make_batches(2, kind=ImportKind.EVENTS, first_row=50)
    result = make_engine(client).run(contacts)
    assert list(result.statuses) == list(range(2, 11))
    assert set(result.statuses.values()) == {RowStatus.ACCEPTED}
    assert result.fatal_error is None
    assert not result.cancelled
    assert result.run_status == "completed"
    make_engine(client).run(events)
    assert client.methods() == ["contacts"] * 3 + ["events"] * 2
    assert all(not call.dry_run for call in client.calls)


def test_per_item_rejections_are_reported_with_messages_and_never_retried() -> None:
    def handler(call: Call) -> WriteResult:
        items = tuple(
            ItemResult(i, False, {"_email": ("is not a valid email",)}) if i == 1
            else ItemResult(i, True)
            for i in range(len(call.items))
        )
        return WriteResult(200, items)

    client = FakeClient(handler)
    result = make_engine(client).run(make_batches(2))
    assert len(client.calls) == 2
    assert result.retries == 0
    assert result.statuses[3] is RowStatus.REJECTED
    assert result.statuses[6] is RowStatus.REJECTED
    assert result.messages == {3: ["_email: is not a valid email"],
                               6: ["_email: is not a valid email"]}
    assert result.count(RowStatus.ACCEPTED) == 4


def test_answer_items_out_of_order_are_matched_by_position() -> None:
    def handler(call: Call) -> WriteResult:
        return WriteResult(200, (ItemResult(2, True), ItemResult(0, False, {"": ("bad",)}),
                                 ItemResult(1, True)))

    result = make_engine(FakeClient(handler)).run(make_batches(1))
    assert result.statuses == {2: RowStatus.REJECTED, 3: RowStatus.ACCEPTED,
                               4: RowStatus.ACCEPTED}
    assert result.messages == {2: ["bad"]}


def test_skipped_rows_are_marked_and_sorted_in() -> None:
    result = make_engine(FakeClient()).run(make_batches(1), skipped_rows=[3_000, 1])
    assert list(result.statuses) == [1, 2, 3, 4, 3_000]
    assert result.statuses[1] is RowStatus.SKIPPED
    assert result.statuses[3_000] is RowStatus.SKIPPED


def test_dry_run_passes_the_flag_and_records_nothing(tmp_path: Path) -> None:
    client = FakeClient()
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={}, batches_total=2)
        result = make_engine(client, dry_run=True).run(make_batches(2), journal=run)
        assert run.acknowledged() == {}
    assert [call.dry_run for call in client.calls] == [True, True]
    assert result.count(RowStatus.ACCEPTED) == 6


def test_programming_errors_propagate_after_the_workers_stop() -> None:
    def handler(call: Call) -> WriteResult:
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        make_engine(FakeClient(handler)).run(make_batches(5))


def test_duplicate_batch_indexes_are_a_programming_error() -> None:
    batches = make_batches(2)
    with pytest.raises(ValueError, match="unique"):
        make_engine(FakeClient()).run([batches[0], batches[0]])


# -- retries -----------------------------------------------------------------------------------

@pytest.mark.parametrize("error", [
    ServerError("The service failed (HTTP 500).", status=500),
    ServerError("The service is unavailable (HTTP 503).", status=503),
    TransportError("The connection was dropped before the answer."),
    ResponseFormatError("The answer was not JSON."),
    RateLimitedError("Rate limited, no hint."),  # no reset/retry-after: plain backoff
])
def test_retryable_errors_are_retried_with_exponential_backoff_and_jitter(error) -> None:
    clock = FakeClock()
    failures = iter([error, error])

    def handler(call: Call) -> WriteResult:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return accept_all(call)

    client = FakeClient(handler, clock)
    result = make_engine(client, clock, concurrency=1, backoff_initial=0.5).run(make_batches(1))
    assert len(client.calls) == 3
    assert result.retries == 2
    assert result.count(RowStatus.ACCEPTED) == 3
    assert result.fatal_error is None
    first_gap = client.calls[1].at - client.calls[0].at
    second_gap = client.calls[2].at - client.calls[1].at
    assert 0.5 <= first_gap <= 0.75 + 1e-9       # 0.5 s plus up to 50 % jitter
    assert 1.0 <= second_gap <= 1.5 + 1e-9       # doubled


def test_backoff_is_capped_and_jitter_varies() -> None:
    clock = FakeClock()

    def handler(call: Call) -> WriteResult:
        if len(client.calls) < 8:
            raise ServerError("HTTP 500", status=500)
        return accept_all(call)

    client = FakeClient(handler, clock)
    engine = make_engine(client, clock, concurrency=1, backoff_initial=1.0, backoff_max=4.0,
                         max_attempts=10)
    assert engine.run(make_batches(1)).fatal_error is None
    gaps = [b.at - a.at for a, b in zip(client.calls, client.calls[1:], strict=False)]
    assert all(gap <= 6.0 + 1e-9 for gap in gaps)            # 4 s cap + 50 % jitter
    assert all(gap >= 4.0 for gap in gaps[3:])
    assert len({round(gap, 6) for gap in gaps[3:]}) > 1      # jitter, not a fixed delay


def test_a_server_retry_after_hint_is_honoured() -> None:
    clock = FakeClock()
    hint = RateLimit(retry_after=9.0)
    failures = iter([ServerError("HTTP 503", status=503, rate_limit=hint)])

    def handler(call: Call) -> WriteResult:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return accept_all(call)

    client = FakeClient(handler, clock)
    make_engine(client, clock, backoff_initial=0.1).run(make_batches(1))
    assert client.calls[1].at - client.calls[0].at >= 9.0


@pytest.mark.parametrize(("error", "auth"), [
    (AuthError("The token was refused (HTTP 401).", status=401), True),
    (AuthError("The token lacks the scope (HTTP 403).", status=403), True),
    (NotFoundError("Unknown datasource (HTTP 404).", status=404), False),
    (BadRequestError("The body is not an array (HTTP 400).", status=400), False),
])
def test_non_retryable_errors_stop_the_run_cleanly(error, auth) -> None:
    def handler(call: Call) -> WriteResult:
        if batch_of(call) == 1:
            raise error
        return accept_all(call)

    client = FakeClient(handler)
    result = make_engine(client, concurrency=1).run(make_batches(4))
    assert [batch_of(call) for call in client.calls] == [0, 1]      # tried once, then stop
    assert result.retries == 0
    assert [result.statuses[row] for row in (2, 3, 4)] == [RowStatus.ACCEPTED] * 3
    assert all(result.statuses[row] is RowStatus.NOT_SENT for row in range(5, 14))
    assert result.auth_failed is auth
    assert result.fatal_error is not None
    assert "rows 5–7" in result.fatal_error
    assert error.message in result.fatal_error
    assert not result.cancelled
    assert result.run_status == "interrupted"


def test_a_batch_that_exhausts_its_retries_stops_the_run() -> None:
    def handler(call: Call) -> WriteResult:
        if batch_of(call) == 1:
            raise ServerError("The service failed (HTTP 500).", status=500)
        return accept_all(call)

    client = FakeClient(handler)
    result = make_engine(client, concurrency=1, max_attempts=3).run(make_batches(3))
    assert [batch_of(call) for call in client.calls] == [0, 1, 1, 1]
    assert result.retries == 2
    assert {result.statuses[row] for row in (5, 6, 7, 8, 9, 10)} == {RowStatus.NOT_SENT}
    assert result.fatal_error is not None
    assert "rows 5–7" in result.fatal_error
    assert "HTTP 500" in result.fatal_error
    assert not result.auth_failed


def test_an_answer_with_the_wrong_number_of_items_is_retried_not_trusted() -> None:
    def handler(call: Call) -> WriteResult:
        if len(client.calls) == 1:
            return WriteResult(200, (ItemResult(0, True), ItemResult(1, True)))
        return accept_all(call)

    client = FakeClient(handler)
    result = make_engine(client).run(make_batches(1))
    assert len(client.calls) == 2
    assert result.retries == 1
    assert result.count(RowStatus.ACCEPTED) == 3


# -- 429 ---------------------------------------------------------------------------------------

def test_429_waits_until_the_reset_then_resends() -> None:
    clock = FakeClock()
    reset_at = clock.wall() + 30.0

    def handler(call: Call) -> WriteResult:
        if len(client.calls) == 1:
            raise RateLimitedError("Rate limited.", reset_at=reset_at,
                                   rate_limit=RateLimit(10, 0, reset_at))
        return accept_all(call)

    client = FakeClient(handler, clock)
    result = make_engine(client, clock, reset_margin=0.5).run(make_batches(1))
    assert len(client.calls) == 2
    resent_at = client.calls[1].at + WALL_OFFSET
    assert reset_at + 0.5 <= resent_at <= reset_at + 1.1
    assert result.rate_limited == 1
    assert result.retries == 1
    assert result.count(RowStatus.ACCEPTED) == 3


def test_429_retry_after_is_preferred_when_sent() -> None:
    clock = FakeClock()

    def handler(call: Call) -> WriteResult:
        if len(client.calls) == 1:
            raise RateLimitedError("Rate limited.", retry_after=7.0,
                                   reset_at=clock.wall() + 50)
        return accept_all(call)

    client = FakeClient(handler, clock)
    make_engine(client, clock).run(make_batches(1))
    assert 7.0 <= client.calls[1].at - client.calls[0].at <= 7.5


def test_429s_do_not_use_up_the_attempts_for_failures_but_have_their_own_budget() -> None:
    clock = FakeClock()

    def handler(call: Call) -> WriteResult:
        if len(client.calls) <= 5:
            raise RateLimitedError("Rate limited.", retry_after=1.0)
        return accept_all(call)

    client = FakeClient(handler, clock)
    result = make_engine(client, clock, max_attempts=2, max_rate_limited=10).run(make_batches(1))
    assert result.fatal_error is None
    assert result.rate_limited == 5

    client = FakeClient(handler, clock)
    result = make_engine(client, clock, max_attempts=2, max_rate_limited=3).run(make_batches(2))
    assert len(client.calls) == 3
    assert result.fatal_error is not None
    assert "Rate limited" in result.fatal_error
    assert result.count(RowStatus.NOT_SENT) == 6


# -- concurrency -------------------------------------------------------------------------------

def test_answers_out_of_order_keep_row_order_and_at_most_four_in_flight() -> None:
    gates = Gates()

    def handler(call: Call) -> WriteResult:
        gates.wait_turn(batch_of(call))
        return accept_all(call)

    client = FakeClient(handler)
    batches = make_batches(12)
    thread, box = run_in_thread(make_engine(client, concurrency=4), batches)
    released: list[int] = []
    while len(released) < len(batches):
        arrived = gates.wait_arrived(min(len(released) + 4, len(batches)))
        # Answer the newest call first: completion order is the reverse of submission.
        newest = [batch for batch in arrived if batch not in released][-1]
        released.append(newest)
        gates.release(newest)
    result = finish(thread, box)
    assert gates.max_in_flight == 4
    assert released != sorted(released)                          # really out of order
    assert list(result.statuses) == list(range(2, 2 + 36))
    assert set(result.statuses.values()) == {RowStatus.ACCEPTED}
    assert sorted(batch_of(call) for call in client.calls) == list(range(12))


def test_by_default_eight_batches_are_in_flight_and_no_more() -> None:
    gates = Gates()

    def handler(call: Call) -> WriteResult:
        gates.wait_turn(batch_of(call))
        return accept_all(call)

    client = FakeClient(handler)
    thread, box = run_in_thread(make_engine(client), make_batches(10))
    assert sorted(gates.wait_arrived(8)) == list(range(8))
    gates.release(0)
    assert sorted(gates.wait_arrived(9)) == list(range(9))   # a freed slot is refilled at once
    gates.release(*range(1, 10))
    result = finish(thread, box)
    assert gates.max_in_flight == DEFAULT_CONCURRENCY == 8
    assert result.count(RowStatus.ACCEPTED) == 30


# -- pause, resume, cancel ---------------------------------------------------------------------

def test_pause_lets_the_batch_in_flight_finish_and_starts_nothing_until_resumed() -> None:
    gates = Gates()
    events: queue.Queue[UploadProgress] = queue.Queue()

    def handler(call: Call) -> WriteResult:
        gates.wait_turn(batch_of(call))
        return accept_all(call)

    client = FakeClient(handler)
    control = UploadControl()
    engine = UploadEngine(client, concurrency=1)    # real clock: progress while paused
    thread, box = run_in_thread(engine, make_batches(3), control=control,
                                on_progress=events.put)
    gates.wait_arrived(1)
    control.pause()
    assert control.is_paused
    gates.release(0)
    while True:
        progress = events.get(timeout=WAIT)
        if progress.paused and progress.batches_done == 1:
            break
    assert len(client.calls) == 1                   # paused: batch 1 not started
    control.resume()
    gates.release(1, 2)
    result = finish(thread, box)
    assert len(client.calls) == 3
    assert set(result.statuses.values()) == {RowStatus.ACCEPTED}


def test_cancel_lets_in_flight_batches_finish_and_records_exactly_those(tmp_path: Path) -> None:
    gates = Gates()

    def handler(call: Call) -> WriteResult:
        gates.wait_turn(batch_of(call))
        return accept_all(call)

    client = FakeClient(handler)
    control = UploadControl()
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={}, batches_total=6)
        thread, box = run_in_thread(make_engine(client, concurrency=2), make_batches(6),
                                    control=control, journal=run)
        assert sorted(gates.wait_arrived(2)) == [0, 1]
        control.cancel()
        gates.release(0, 1)
        result = finish(thread, box)
        assert sorted(run.acknowledged()) == [0, 1]
    assert len(client.calls) == 2
    assert [result.statuses[row] for row in range(2, 8)] == [RowStatus.ACCEPTED] * 6
    assert [result.statuses[row] for row in range(8, 20)] == [RowStatus.NOT_SENT] * 12
    assert result.cancelled
    assert result.fatal_error is None
    assert result.run_status == "cancelled"


def test_cancel_during_a_backoff_abandons_the_unacknowledged_batch() -> None:
    clock = FakeClock()
    control = UploadControl()

    def handler(call: Call) -> WriteResult:
        raise ServerError("HTTP 500", status=500)

    def sleep(seconds: float) -> None:
        control.cancel()          # the user cancels while the engine waits to retry
        clock.sleep(seconds)

    client = FakeClient(handler, clock)
    engine = UploadEngine(client, sleep=sleep, clock=clock, wall_clock=clock.wall)
    result = engine.run(make_batches(3), control=control)
    assert len(client.calls) == 1
    assert result.count(RowStatus.NOT_SENT) == 9
    assert result.cancelled
    assert result.fatal_error is None


def test_cancel_before_start_sends_nothing() -> None:
    control = UploadControl()
    control.cancel()
    control.pause()            # pausing a cancelled run does not block it
    client = FakeClient()
    result = make_engine(client).run(make_batches(2), control=control)
    assert client.calls == []
    assert result.cancelled
    assert result.count(RowStatus.NOT_SENT) == 6


def test_auth_failure_mid_run_lets_in_flight_batches_finish_and_sends_nothing_else() -> None:
    gates = Gates()

    def handler(call: Call) -> WriteResult:
        if batch_of(call) == 2:
            # Fail once the three other batches are on the wire.
            gates.wait_arrived(3)
            raise AuthError("The token was revoked (HTTP 401).", status=401)
        gates.wait_turn(batch_of(call))
        return accept_all(call)

    client = FakeClient(handler)
    engine = make_engine(client, concurrency=4)
    failure_handled = threading.Event()
    handle_failure = engine._fail

    def fail_and_tell(*args, **kwargs):
        outcome = handle_failure(*args, **kwargs)
        failure_handled.set()
        return outcome

    engine._fail = fail_and_tell  # type: ignore[method-assign]
    thread, box = run_in_thread(engine, make_batches(8))
    assert sorted(gates.wait_arrived(3)) == [0, 1, 3]
    # Answer the batches in flight only once the engine knows the token failed.
    assert failure_handled.wait(WAIT)
    gates.release(0, 1, 3)
    result = finish(thread, box)
    assert sorted(batch_of(call) for call in client.calls) == [0, 1, 2, 3]
    assert result.auth_failed
    assert result.fatal_error is not None
    assert "revoked" in result.fatal_error
    assert "sandbox-token" not in result.fatal_error
    accepted = [row for row, status in result.statuses.items() if status is RowStatus.ACCEPTED]
    assert accepted == [2, 3, 4, 5, 6, 7, 11, 12, 13]
    assert result.count(RowStatus.NOT_SENT) == 24 - 9


# -- progress ----------------------------------------------------------------------------------

def test_progress_is_throttled_to_ten_a_second_plus_a_final_event() -> None:
    clock = FakeClock()

    def handler(call: Call) -> WriteResult:
        clock.advance(0.01)           # each call takes 10 ms of (fake) time
        return accept_all(call)

    events: list[UploadProgress] = []
    client = FakeClient(handler, clock)
    result = make_engine(client, clock, concurrency=1).run(make_batches(300),
                                                           on_progress=events.append)
    # 3 s of work: at most 10 a second, plus the first and the final one.
    assert 20 <= len(events) <= 32
    times = [event.rows_sent for event in events]
    assert times == sorted(times)
    final = events[-1]
    assert final.rows_total == final.rows_sent == final.accepted == 900
    assert final.batches_done == final.batches_total == 300
    assert final.eta_seconds == 0.0
    assert final.rejected == 0
    assert 250 <= final.rate_per_second <= 320       # 3 items per 10 ms
    middle = events[len(events) // 2]
    assert middle.eta_seconds is not None
    assert middle.eta_seconds == pytest.approx(
        (900 - middle.rows_sent) / middle.rate_per_second)
    assert result.count(RowStatus.ACCEPTED) == 900


def test_progress_reports_retries_and_rate_limit_waits() -> None:
    clock = FakeClock()
    seen: list[UploadProgress] = []

    def handler(call: Call) -> WriteResult:
        if len(client.calls) == 1:
            raise RateLimitedError("Rate limited.", reset_at=clock.wall() + 20)
        return accept_all(call)

    client = FakeClient(handler, clock)
    engine = make_engine(client, clock)
    result = engine.run(make_batches(2), on_progress=seen.append)
    assert seen[-1].retries == result.retries == 1
    assert result.rate_limited == 1


# -- journal -----------------------------------------------------------------------------------

def test_resume_skips_acknowledged_batches_and_reports_their_recorded_results(
        tmp_path: Path) -> None:
    def first_handler(call: Call) -> WriteResult:
        if batch_of(call) == 3:
            raise AuthError("The token was revoked (HTTP 401).", status=401)
        if batch_of(call) == 1:
            return WriteResult(200, (ItemResult(0, True), ItemResult(1, False, {
                "_email": ("is not valid",)}), ItemResult(2, True)))
        return accept_all(call)

    batches = make_batches(6)
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        run = journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={"a": 1}, batches_total=6)
        first = make_engine(FakeClient(first_handler), concurrency=1).run(batches, journal=run)
        assert first.auth_failed
        assert sorted(run.acknowledged()) == [0, 1, 2]

    with Journal(path) as journal:
        info = journal.find_resumable(fingerprint="fp", datasource_key="ds", mapping={"a": 1})
        assert info is not None
        assert info.batches_acknowledged == 3
        resumed = journal.resume_run(info.run_id)
        client = FakeClient()
        progress: list[UploadProgress] = []
        result = make_engine(client, concurrency=1).run(batches, journal=resumed,
                                                         on_progress=progress.append)
        assert sorted(resumed.acknowledged()) == list(range(6))
    assert [batch_of(call) for call in client.calls] == [3, 4, 5]
    assert len(result.statuses) == 18
    assert result.statuses[6] is RowStatus.REJECTED
    assert result.messages == {6: ["_email: is not valid"]}
    assert result.count(RowStatus.ACCEPTED) == 17
    assert progress[0].batches_done >= 3
    assert progress[-1].batches_done == 6


def test_a_journal_that_does_not_match_the_batches_sends_nothing(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={}, batches_total=2)
        run.record_batch(0, [90, 91, 92], [ItemResult(i, True) for i in range(3)])
        client = FakeClient()
        result = make_engine(client).run(make_batches(2), journal=run)
    assert client.calls == []
    assert result.fatal_error is not None
    assert "does not match" in result.fatal_error
    assert result.count(RowStatus.NOT_SENT) == 6


def test_a_journal_write_failure_stops_the_run_but_keeps_the_answered_rows() -> None:
    class BrokenJournal:
        run_id = 1

        def acknowledged_batches(self) -> dict:
            return {}

        def record_batch(self, batch_index, rows, results) -> None:
            raise JournalError("The disk is full.")

    client = FakeClient()
    result = make_engine(client, concurrency=1).run(make_batches(3), journal=BrokenJournal())  # type: ignore[arg-type]
    assert len(client.calls) == 1
    assert result.fatal_error is not None
    assert "disk is full" in result.fatal_error
    assert [result.statuses[row] for row in (2, 3, 4)] == [RowStatus.ACCEPTED] * 3
    assert result.count(RowStatus.NOT_SENT) == 6


# -- delete ------------------------------------------------------------------------------------

def test_delete_batches_send_one_call_per_item_with_retries_and_pacing() -> None:
    failures = iter([TransportError("The connection was reset.")])

    def handler(call: Call) -> WriteResult:
        if call.first_id == "u4":
            failure = next(failures, None)
            if failure is not None:
                raise failure
        if call.first_id == "u3":
            return WriteResult(404, (ItemResult(0, False, {
                "": ("No contact with this user id exists in the datasource.",)}),))
        return accept_all(call)

    client = FakeClient(handler)
    batches = make_batches(2, kind=ImportKind.DELETE)
    result = make_engine(client, concurrency=1).run(batches)
    assert client.methods() == ["delete"] * 7
    assert client.first_ids() == ["u2", "u3", "u4", "u4", "u5", "u6", "u7"]
    assert result.statuses[3] is RowStatus.REJECTED
    assert result.messages[3] == ["No contact with this user id exists in the datasource."]
    assert result.count(RowStatus.ACCEPTED) == 5
    assert result.retries == 1


def test_a_delete_batch_stopped_midway_reports_the_items_done(tmp_path: Path) -> None:
    def handler(call: Call) -> WriteResult:
        if call.first_id == "u6":
            raise AuthError("The token lacks the scope (HTTP 403).", status=403)
        return accept_all(call)

    with Journal(tmp_path / "j.sqlite3") as journal:
        run = journal.start_run(kind="delete", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={}, batches_total=2)
        result = make_engine(FakeClient(handler), concurrency=1).run(
            make_batches(2, kind=ImportKind.DELETE), journal=run)
        assert sorted(run.acknowledged()) == [0]          # the half-done batch is not recorded
    assert [result.statuses[row] for row in range(2, 8)] == [
        RowStatus.ACCEPTED, RowStatus.ACCEPTED, RowStatus.ACCEPTED, RowStatus.ACCEPTED,
        RowStatus.NOT_SENT, RowStatus.NOT_SENT]
    assert result.auth_failed


def test_delete_batches_are_not_sent_in_a_dry_run() -> None:
    client = FakeClient()
    result = make_engine(client, dry_run=True).run(make_batches(1, kind=ImportKind.DELETE))
    assert client.calls == []
    assert result.count(RowStatus.NOT_SENT) == 3


def test_every_row_gets_exactly_one_status() -> None:
    counts = Counter[int]()
    batches = make_batches(5)
    result = make_engine(FakeClient()).run(batches)
    for batch in batches:
        counts.update(batch.rows)
    assert set(counts.values()) == {1}
    assert set(result.statuses) == set(counts)
