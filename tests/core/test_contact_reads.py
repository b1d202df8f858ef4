"""Reading many contacts: every id once, paced by X-RateLimit-*, retried, stopped on 401/403,
cancellable. A scripted source on a fake clock, then the real client against the sandbox."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ingest_gui.api.client import IngestClient
from ingest_gui.api.errors import (
    AuthError,
    BadRequestError,
    IngestError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from ingest_gui.api.results import ContactRead, RateLimit
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.contact_reads import ContactReader, ContactReadError
from tests.core.upload_fakes import WALL_OFFSET, FakeClock

AUTH_SENTENCE = "The API token was refused (401). Check the token."


class ScriptedSource:
    """``read_contact`` from a dict; ``failures[user_id]`` lists errors raised before the read
    succeeds; ``headers()`` gives each answer's rate-limit headers. Thread-safe."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]],
                 failures: dict[str, list[IngestError]] | None = None,
                 headers: Callable[[], RateLimit] = RateLimit,
                 clock: Callable[[], float] = lambda: 0.0) -> None:
        self.records = records
        self.failures = failures or {}
        self.headers = headers
        self.clock = clock
        self.lock = threading.Lock()
        self.calls: list[tuple[str, float]] = []
        #: Called after each successful read (outside the lock), e.g. to cancel mid-way.
        self.after_read: Callable[[], None] = lambda: None

    def read_contact(self, user_id: str) -> ContactRead:
        with self.lock:
            self.calls.append((user_id, self.clock()))
            pending = self.failures.get(user_id)
            if pending:
                raise pending.pop(0)
        answer = ContactRead(self.records.get(user_id), self.headers())
        self.after_read()
        return answer

    def called(self) -> list[str]:
        with self.lock:
            return [user_id for user_id, _ in self.calls]


def reader_on(source: ScriptedSource, clock: FakeClock, **options: Any) -> ContactReader:
    options.setdefault("backoff_initial", 0.1)
    return ContactReader(source, sleep=clock.sleep, clock=clock, wall_clock=clock.wall,
                         **options)


def test_every_id_is_read_once_and_missing_contacts_are_none() -> None:
    records = {f"u{n}": {"_user_id": f"u{n}", "plan": "pro"} for n in range(0, 40, 2)}
    source = ScriptedSource(records)
    seen: list[tuple[int, int]] = []
    ids = [f"u{n}" for n in range(40)] + ["u3", "u4"]  # repeats are read once

    result = reader_on(source, FakeClock()).read(ids, progress=lambda d, t: seen.append((d, t)))

    assert sorted(source.called()) == sorted(f"u{n}" for n in range(40))
    assert result == {f"u{n}": records.get(f"u{n}") for n in range(40)}
    assert seen[-1] == (40, 40)


def test_reads_are_spread_over_the_rate_limit_window() -> None:
    clock = FakeClock()
    reset_at = clock.wall() + 60
    left = iter(range(99, 0, -1))
    # The service allows 100 reads a minute: the pacer spreads the rest evenly until the reset.
    source = ScriptedSource({}, headers=lambda: RateLimit(100, next(left), reset_at),
                            clock=clock)
    reader = reader_on(source, clock, concurrency=1)

    reader.read([f"u{n}" for n in range(11)])

    times = [at for _, at in source.calls]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # The first two go at once (nothing known before the first answer), then every 60/99 s.
    assert gaps == pytest.approx([0.0] + [60 / 99] * 9)
    assert reader.rate_limit == RateLimit(100, 89, reset_at)


def test_429s_5xx_and_transport_errors_are_retried_with_capped_backoff() -> None:
    clock = FakeClock()
    source = ScriptedSource(
        {"a": {"_user_id": "a"}},
        failures={
            "a": [RateLimitedError("429", retry_after=7.0),
                  ServerError("500", status=500),
                  TransportError("timed out")],
            "b": [ServerError("503", status=503)] * 4,
        })
    reader = reader_on(source, clock, concurrency=1, backoff_initial=1.0, backoff_max=2.0)

    result = reader.read(["a", "b"])

    assert result == {"a": {"_user_id": "a"}, "b": None}
    assert source.called() == ["a"] * 4 + ["b"] * 5
    # 7 s for the 429 (paced), then back-offs of 1, 2 (capped) for "a" and 1, 2, 2, 2 for
    # "b", each plus up to half again of jitter.
    assert 7 + 3 + 7 <= sum(clock.sleeps) <= 7 + 1.5 * (3 + 7) + 0.5


def test_retries_running_out_stop_the_reads_with_a_sentence() -> None:
    clock = FakeClock()
    source = ScriptedSource({}, failures={"a": [ServerError("The API had a problem (HTTP 500).",
                                                            status=500)] * 10})
    with pytest.raises(ContactReadError) as raised:
        reader_on(source, clock, concurrency=1, max_attempts=3).read(["a", "b"])
    assert source.called() == ["a"] * 3
    assert not raised.value.auth_failed
    assert str(raised.value) == ("Reading the datasource's contacts kept failing; gave up after "
                                 "repeated attempts. Last error: The API had a problem (HTTP "
                                 "500).")


def test_an_error_that_cannot_be_retried_stops_at_once() -> None:
    source = ScriptedSource({}, failures={"a": [BadRequestError("Bad request (HTTP 400).")]})
    with pytest.raises(ContactReadError, match=r"stopped: Bad request \(HTTP 400\)\.$"):
        reader_on(source, FakeClock(), concurrency=1).read(["a", "b"])
    assert source.called() == ["a"]


def test_401_stops_every_read_at_once_with_the_clients_sentence() -> None:
    ids = [f"u{n}" for n in range(200)]
    source = ScriptedSource({}, failures={"u5": [AuthError(AUTH_SENTENCE, status=401)]})

    with pytest.raises(ContactReadError) as raised:
        reader_on(source, FakeClock(), concurrency=1).read(ids)

    assert raised.value.auth_failed
    assert str(raised.value) == AUTH_SENTENCE
    assert source.called() == ids[:6]  # no retry, nothing after it


def test_cancel_stops_the_reads_and_raises_cancelled() -> None:
    ids = [f"u{n}" for n in range(500)]
    token = CancelToken()
    source = ScriptedSource({})
    source.after_read = lambda: token.cancel() if len(source.calls) == 3 else None

    with pytest.raises(Cancelled):
        reader_on(source, FakeClock(), concurrency=1).read(ids, cancel=token)
    assert source.called() == ids[:3]


# -- against the sandbox ----------------------------------------------------------------------

@pytest.fixture
def client(sandbox: Any) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def test_the_sandbox_answers_reads_with_records_and_rate_limit_headers(
        sandbox: Any, client: IngestClient) -> None:
    sandbox.set_rate_limit(1000, window_seconds=3600)
    client.post_contacts([{"_user_id": f"S{n}", "plan": f"p{n}", "orders_count": n}
                          for n in range(5)], sync=True)
    # The pacer spreads the window's reads over its hour: a fake clock, on the sandbox's wall
    # time, takes those waits without waiting.
    clock = FakeClock(start=time.time() - WALL_OFFSET)
    reader = ContactReader(client, sleep=clock.sleep, clock=clock, wall_clock=clock.wall)

    result = reader.read([f"S{n}" for n in range(8)])

    assert result == {f"S{n}": ({"_user_id": f"S{n}", "plan": f"p{n}", "orders_count": n}
                                if n < 5 else None) for n in range(8)}
    assert reader.rate_limit is not None
    assert reader.rate_limit.limit == 1000


def test_a_wrong_token_stops_sandbox_reads_with_the_clients_sentence(sandbox: Any) -> None:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, "wrong-token",
                      timeout=10.0) as client:
        counting = CountingClient(client)
        with pytest.raises(ContactReadError) as raised:
            ContactReader(counting, concurrency=4).read([f"S{n}" for n in range(50)])
    assert raised.value.auth_failed
    assert str(raised.value).startswith("The API token was refused (401).")
    assert counting.calls <= 4  # each worker's first read at most; no retries


class CountingClient:
    """The real client, counting its reads."""

    def __init__(self, client: IngestClient) -> None:
        self.client = client
        self.calls = 0
        self.lock = threading.Lock()

    def read_contact(self, user_id: str) -> ContactRead:
        with self.lock:
            self.calls += 1
        return self.client.read_contact(user_id)
