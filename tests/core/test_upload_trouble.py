"""Upload engine under trouble: outages retried for a span of time, retry waits in progress, log."""

from __future__ import annotations

import logging
import random
import threading
from pathlib import Path

import pytest

from ingest_gui.api.errors import RateLimitedError, ServerError, TransportError
from ingest_gui.api.results import WriteResult
from ingest_gui.core.journal import Journal
from ingest_gui.core.upload import (
    DEFAULT_MAX_OUTAGE_SECONDS,
    RetryReason,
    RowStatus,
    UploadEngine,
    UploadProgress,
)
from tests.core.upload_fakes import Call, FakeClient, FakeClock, accept_all, make_batches

WAIT = 10.0  # generous bound for cross-thread handshakes; never reached when things work


def make_engine(client: FakeClient, clock: FakeClock, **options) -> UploadEngine:
    options.setdefault("sleep", clock.sleep)
    return UploadEngine(client, clock=clock, wall_clock=clock.wall,  # type: ignore[arg-type]
                        rng=random.Random(7), concurrency=1, **options)


class Outage:
    """The service is unreachable from the second call on, for ``seconds`` of (fake) time."""

    def __init__(self, clock: FakeClock, seconds: float,
                 error: Exception | None = None) -> None:
        self.clock = clock
        self.seconds = seconds
        self.error = error or TransportError("Could not connect to the service.")
        self.down_until: float | None = None
        self.failed_calls = 0

    def __call__(self, call: Call) -> WriteResult:
        if call.number == 1:
            self.down_until = self.clock() + self.seconds
        if self.down_until is not None and self.clock() < self.down_until:
            self.failed_calls += 1
            raise self.error
        return accept_all(call)


@pytest.mark.parametrize("seconds", [10.0, 90.0])
def test_an_outage_of_seconds_or_minutes_is_waited_out_and_every_row_goes_in(seconds) -> None:
    clock = FakeClock()
    outage = Outage(clock, seconds)
    client = FakeClient(outage, clock)
    result = make_engine(client, clock).run(make_batches(4))  # the default 8 attempts
    assert result.fatal_error is None
    assert result.count(RowStatus.ACCEPTED) == 12
    assert outage.failed_calls > 0
    assert result.retries == outage.failed_calls
    # Every wait is capped (20 s plus jitter), so the upload resumes soon after the outage.
    assert max(clock.sleeps) <= 30.0 + 1e-9
    assert outage.down_until is not None
    assert client.calls[-1].at - outage.down_until <= 30.0 + 1e-9


def test_a_10_second_outage_does_not_use_up_the_attempts_of_a_batch() -> None:
    clock = FakeClock()
    outage = Outage(clock, 10.0)
    client = FakeClient(outage, clock)
    # Two attempts for failures that are not outages: a count a 10 s outage would exhaust.
    result = make_engine(client, clock, max_attempts=2).run(make_batches(3))
    assert result.fatal_error is None
    assert outage.failed_calls >= 3


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_or_unavailable_answer_is_an_outage_too(status) -> None:
    clock = FakeClock()
    outage = Outage(clock, 60.0, ServerError(f"HTTP {status}", status=status))
    result = make_engine(FakeClient(outage, clock), clock, max_attempts=2).run(make_batches(2))
    assert result.fatal_error is None
    assert result.count(RowStatus.ACCEPTED) == 6


def test_an_outage_longer_than_the_span_stops_the_run_resumably() -> None:
    clock = FakeClock()
    outage = Outage(clock, 10_000.0)
    client = FakeClient(outage, clock)
    result = make_engine(client, clock, max_outage_seconds=120.0).run(make_batches(3))
    assert result.fatal_error is not None
    assert "Could not connect" in result.fatal_error
    assert result.run_status == "interrupted"
    assert result.count(RowStatus.ACCEPTED) == 3
    assert result.count(RowStatus.NOT_SENT) == 6
    # Given up once the span was over, not long after and not before.
    outage_length = client.calls[-1].at - client.calls[1].at
    assert outage_length == pytest.approx(120.0)
    assert DEFAULT_MAX_OUTAGE_SECONDS >= 180.0  # "several minutes" by default


def test_server_errors_that_are_no_outage_keep_their_count_of_attempts() -> None:
    clock = FakeClock()
    client = FakeClient(Outage(clock, 10_000.0, ServerError("HTTP 500", status=500)), clock)
    result = make_engine(client, clock, max_attempts=3).run(make_batches(2))
    assert result.fatal_error is not None
    assert len(client.calls) == 1 + 3


def test_progress_names_the_outage_while_it_lasts_and_keeps_an_estimate() -> None:
    clock = FakeClock()
    seen_outage = threading.Event()
    events: list[UploadProgress] = []

    def handler(call: Call) -> WriteResult:
        if call.number in (1, 2, 3):
            raise TransportError("Could not connect to the service.")
        clock.advance(1.0)  # each answered batch takes a second
        return accept_all(call)

    def sleep(seconds: float) -> None:
        if clock.sleeps and not seen_outage.is_set():
            # Hold a backoff (after half a second of it) until the run reported the outage.
            assert seen_outage.wait(WAIT)
        clock.sleep(seconds)

    def on_progress(progress: UploadProgress) -> None:
        events.append(progress)
        if progress.retrying is not None:
            seen_outage.set()

    client = FakeClient(handler, clock)
    result = make_engine(client, clock, sleep=sleep).run(make_batches(10),
                                                         on_progress=on_progress)
    assert result.fatal_error is None
    during = next(event for event in events if event.retrying is not None)
    assert during.retrying is RetryReason.CONNECTION
    assert during.last_failure == "Could not connect to the service."
    assert during.retry_in_seconds > 0
    assert during.retrying_since is not None
    assert during.rows_sent == 3            # the rows already safe
    # An honest estimate from the pace so far, not "unknown".
    assert during.eta_seconds is not None
    assert during.eta_seconds >= during.retry_in_seconds
    after = events[-1]
    assert after.retrying is None
    assert after.retry_in_seconds == 0.0
    assert after.last_failure is None


def test_a_rate_limit_wait_is_reported_as_such() -> None:
    clock = FakeClock()
    seen_wait = threading.Event()
    events: list[UploadProgress] = []

    def handler(call: Call) -> WriteResult:
        if call.number == 1:
            raise RateLimitedError("Rate limited.", retry_after=12.0)
        return accept_all(call)

    def sleep(seconds: float) -> None:
        if clock.sleeps and not seen_wait.is_set():
            # Hold the wait (after half a second of it) until the run reported it.
            assert seen_wait.wait(WAIT)
        clock.sleep(seconds)

    def on_progress(progress: UploadProgress) -> None:
        events.append(progress)
        if progress.retrying is RetryReason.RATE_LIMITED:
            seen_wait.set()

    # The wait is slept in slices; the run reports it between them.
    result = make_engine(FakeClient(handler, clock), clock, sleep=sleep).run(
        make_batches(3), on_progress=on_progress)
    assert result.fatal_error is None
    waiting = next(event for event in events if event.retrying is RetryReason.RATE_LIMITED)
    assert 0 < waiting.retry_in_seconds <= 12.0
    assert waiting.waiting_seconds > 0


def test_outages_their_end_and_a_stop_are_logged_with_the_run_id(tmp_path: Path,
                                                                caplog) -> None:
    caplog.set_level(logging.INFO, logger="ingest_gui.core.upload")
    clock = FakeClock()
    with Journal(tmp_path / "journal.sqlite3") as journal:
        run = journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={}, batches_total=4)
        result = make_engine(FakeClient(Outage(clock, 30.0), clock), clock).run(
            make_batches(4), journal=run)
        assert result.fatal_error is None
        stopped = make_engine(FakeClient(Outage(clock, 10_000.0), clock), clock,
                              max_outage_seconds=60.0).run(make_batches(4), journal=journal
                                                           .start_run(
            kind="contacts", file_path="f.csv", fingerprint="fp", datasource_key="ds",
            mapping={}, batches_total=4))
        assert stopped.fatal_error is not None
    lines = [(record.levelno, record.getMessage()) for record in caplog.records
             if record.name == "ingest_gui.core.upload"]
    first, second = run.run_id, run.run_id + 1
    assert (logging.INFO, f"Upload run #{first}: retrying after a failure (connection): "
            "Could not connect to the service.") in lines
    assert any(level == logging.INFO and message.startswith(
        f"Upload run #{first}: the service answers again after 3") for level, message in lines)
    assert any(level == logging.WARNING and message.startswith(
        f"Upload run #{second} stopped by an error:") for level, message in lines)


def test_an_imports_start_resume_stop_and_counts_are_logged_with_its_run_id(
        tmp_path: Path, sandbox, app_home: Path, caplog) -> None:
    """However the app was started: the core logs, the front-end only installs handlers."""
    from ingest_gui.api.client import IngestClient
    from ingest_gui.core.loading import load_table
    from ingest_gui.core.mapping import ImportKind, Mapping
    from ingest_gui.core.upload import UploadControl
    from ingest_gui.core.workflow import ImportWorkflow
    from tests.import_helpers import CONTACT_HEADERS, contact_rows, write_csv

    caplog.set_level(logging.INFO, logger="ingest_gui.core")
    config = sandbox.config
    table = load_table(write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                                 contact_rows(250, invalid_every=None)))
    mapping = Mapping(ImportKind.CONTACTS)
    mapping.assign("Customer ID", "_user_id")
    client = IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                          timeout=10.0)
    with client, ImportWorkflow(table, mapping, client.fetch_specs(), client) as flow:
        flow.check()
        run_id = flow.start_run().run_id  # type: ignore[union-attr]
        control = UploadControl()
        control.cancel()  # stopped before anything went
        flow.upload(control=control)
        assert flow.finish().summary.status == "cancelled"
        flow.start_run(resume_run_id=run_id)
        flow.upload()
        assert flow.finish().summary.status == "completed"
    lines = [record.getMessage() for record in caplog.records
             if record.levelno >= logging.INFO and record.name.startswith("ingest_gui.core")]
    assert lines == [
        f"Upload run #{run_id} started (contacts, 3 batches, 250 items)",
        f"Upload run #{run_id} stopped by the user; 250 rows not sent (resumable)",
        f"Upload run #{run_id} cancelled: accepted 0, rejected 0, skipped 0, duplicates 0, "
        "not sent 250, retries 0",
        f"Upload run #{run_id} resumed (contacts, 0 of 3 batches already acknowledged)",
        f"Upload run #{run_id} completed: accepted 250, rejected 0, skipped 0, duplicates 0, "
        "not sent 0, retries 0",
    ]
    assert all(config.token not in line for line in lines)


def test_429s_without_a_hint_use_the_429_budget_not_the_attempts() -> None:
    clock = FakeClock()

    def handler(call: Call) -> WriteResult:
        raise RateLimitedError("Rate limited, no hint.")

    client = FakeClient(handler, clock)
    result = make_engine(client, clock, max_attempts=2, max_rate_limited=5).run(make_batches(1))
    assert result.fatal_error is not None
    assert len(client.calls) == 5  # the 429 budget, not 2 attempts and not for ever
