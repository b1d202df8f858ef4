"""Pacing from X-RateLimit-* headers: the pacer's arithmetic, and the engine against a simulated
rate-limited service on a fake clock (minutes of traffic in milliseconds)."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter

import pytest

from ingest_gui.api.errors import RateLimitedError
from ingest_gui.api.results import RateLimit, WriteResult
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.upload import RatePacer, RowStatus, UploadEngine
from tests.core.upload_fakes import (
    Call,
    FakeClient,
    FakeClock,
    LockstepClock,
    accept_all,
    make_batches,
)


def pacer_on(clock: FakeClock, **options: float) -> RatePacer:
    return RatePacer(clock=clock, wall_clock=clock.wall, **options)


def take(pacer: RatePacer) -> int:
    ticket, wait = pacer.try_acquire()
    assert ticket is not None, f"expected a ticket, was told to wait {wait}"
    return ticket


def test_without_headers_nothing_is_held_back() -> None:
    clock = FakeClock()
    pacer = pacer_on(clock)
    tickets = [take(pacer) for _ in range(50)]
    assert tickets == list(range(1, 51))
    for ticket in tickets:
        pacer.observe(ticket, RateLimit())
    assert pacer.try_acquire()[0] is not None
    assert pacer.waiting_seconds() == 0


def test_the_remaining_calls_are_spread_evenly_until_the_reset() -> None:
    clock = FakeClock()
    pacer = pacer_on(clock)
    first = take(pacer)
    pacer.observe(first, RateLimit(limit=100, remaining=10, reset_at=clock.wall() + 20))
    take(pacer)                                  # goes now; the next one 20 s / 10 later
    ticket, wait = pacer.try_acquire()
    assert ticket is None
    assert wait == pytest.approx(2.0)
    clock.sleep(2.0)
    take(pacer)                                  # 9 left, 18 s: still 2 s apart
    assert pacer.try_acquire()[1] == pytest.approx(2.0)


def test_with_nothing_left_everyone_waits_for_the_reset_plus_margin() -> None:
    clock = FakeClock()
    pacer = pacer_on(clock, reset_margin=0.5)
    first = take(pacer)
    pacer.observe(first, RateLimit(limit=60, remaining=0, reset_at=clock.wall() + 12))
    ticket, wait = pacer.try_acquire()
    assert ticket is None
    assert wait == pytest.approx(12.5)
    assert pacer.waiting_seconds() == pytest.approx(12.5)
    clock.sleep(12.5)
    # A new window of the last known limit is assumed: 60 calls over the next 60 s.
    take(pacer)
    assert pacer.try_acquire()[1] == pytest.approx((60 - 0.5) / 60, rel=0.05)


def test_calls_started_after_an_answer_are_taken_off_its_remaining() -> None:
    clock = FakeClock()
    pacer = pacer_on(clock)
    tickets = [take(pacer) for _ in range(4)]    # no headers yet: all four go at once
    # The first answer says 3 left, but three more calls left after it: none may go now.
    pacer.observe(tickets[0], RateLimit(limit=10, remaining=3, reset_at=clock.wall() + 30))
    ticket, wait = pacer.try_acquire()
    assert ticket is None
    assert wait == pytest.approx(30.5)


def test_late_answers_from_older_calls_or_windows_do_not_raise_the_estimate() -> None:
    clock = FakeClock()
    pacer = pacer_on(clock)
    older, newer = take(pacer), take(pacer)
    reset = clock.wall() + 30
    pacer.observe(newer, RateLimit(limit=10, remaining=0, reset_at=reset))
    pacer.observe(older, RateLimit(limit=10, remaining=5, reset_at=reset))   # stale
    assert pacer.try_acquire()[0] is None
    clock.sleep(31)
    ticket = take(pacer)
    # An answer whose window is already over says nothing about the current one.
    pacer.observe(ticket, RateLimit(limit=10, remaining=0, reset_at=reset))
    assert pacer.try_acquire()[1] < 30


def test_a_429_blocks_every_caller_until_reset_or_retry_after() -> None:
    clock = FakeClock()
    pacer = pacer_on(clock, reset_margin=0.5)
    ticket = take(pacer)
    assert pacer.rate_limited(ticket, RateLimitedError("429", reset_at=clock.wall() + 40))
    blocked, wait = pacer.try_acquire()
    assert blocked is None
    assert wait == pytest.approx(40.5)
    ticket2 = take(pacer_on(clock))
    pacer2 = pacer_on(clock)
    assert pacer2.rate_limited(ticket2, RateLimitedError("429", retry_after=3.0))
    blocked, wait = pacer2.try_acquire()
    assert blocked is None
    assert wait == pytest.approx(3.0)
    # A 429 that says nothing about when: the pacer cannot help, the caller backs off.
    assert not pacer_on(clock).rate_limited(1, RateLimitedError("429"))


class LimitedService:
    """Fixed one-minute windows (aligned on the wall clock), ``limit`` calls each, like the
    sandbox: every answer carries X-RateLimit-*; over the limit, a 429 with the reset time."""

    def __init__(self, clock: FakeClock, limit: int, latency: float = 0.05,
                 jitter_seed: int | None = None) -> None:
        self.clock = clock
        self.limit = limit
        self.latency = latency
        self.lock = threading.Lock()
        self.accepted_per_window: Counter[int] = Counter()
        self.rejected_429 = 0
        self.random = random.Random(jitter_seed) if jitter_seed is not None else None

    def __call__(self, call: Call) -> WriteResult:
        with self.lock:
            now = self.clock.wall()
            window = math.floor(now / 60)
            reset = (window + 1) * 60.0
            used = self.accepted_per_window[window]
            if used >= self.limit:
                self.rejected_429 += 1
                raise RateLimitedError("Rate limited (HTTP 429).", reset_at=reset,
                                       rate_limit=RateLimit(self.limit, 0, reset))
            self.accepted_per_window[window] = used + 1
            headers = RateLimit(self.limit, self.limit - used - 1, reset)
            latency = self.latency
            if self.random is not None:
                latency *= self.random.uniform(0.2, 3.0)
        # The caller waits for the answer; on a LockstepClock other calls go on meanwhile.
        self.clock.sleep(latency)
        return accept_all(call, headers)


@pytest.mark.parametrize("start_in_window", [0.0, 17.3, 59.0])
def test_engine_holds_the_ceiling_without_429s(start_in_window: float) -> None:
    clock = FakeClock()
    clock.advance(60 - (clock.wall() % 60) + start_in_window)   # start mid-window
    service = LimitedService(clock, limit=30)
    client = FakeClient(service, clock)
    engine = UploadEngine(client, concurrency=1, sleep=clock.sleep, clock=clock,  # type: ignore[arg-type]
                          wall_clock=clock.wall)
    result = engine.run(make_batches(160, size=1))
    assert result.count(RowStatus.ACCEPTED) == 160
    assert service.rejected_429 == 0
    assert result.rate_limited == 0
    windows = sorted(service.accepted_per_window)
    full = windows[1:-1]                      # the first and last windows are partial
    assert len(full) >= 3
    for window in full:
        assert service.accepted_per_window[window] >= 0.95 * 30, service.accepted_per_window


def test_four_workers_share_the_pacer_and_see_at_most_a_handful_of_429s() -> None:
    # Real worker threads need a clock on which their sleeps overlap (see LockstepClock): on a
    # plain FakeClock a starved thread's call reached the service up to minutes of fake time
    # after its ticket, in the next window, and the windows came up short at random. On this
    # one the outcome does not depend on thread scheduling, so every full window is checked
    # to be filled to the limit: a pacer that wastes even one call a window fails.
    clock = LockstepClock()
    clock.advance(60 - (clock.wall() % 60) + 5)
    service = LimitedService(clock, limit=40, latency=0.2, jitter_seed=3)
    client = FakeClient(service, clock)
    engine = UploadEngine(client, concurrency=4, sleep=clock.sleep, clock=clock,  # type: ignore[arg-type]
                          wall_clock=clock.wall, rng=random.Random(2))
    result = engine.run(make_batches(200, size=1))
    assert result.count(RowStatus.ACCEPTED) == 200
    assert result.fatal_error is None
    assert service.rejected_429 <= 3
    windows = sorted(service.accepted_per_window)
    full = windows[1:-1]                      # the first and last windows are partial
    assert len(full) >= 3
    for window in full:
        assert service.accepted_per_window[window] == 40, service.accepted_per_window


def test_the_lockstep_clock_overlaps_the_sleeps_of_its_threads() -> None:
    clock = LockstepClock()
    start = clock()
    ready = threading.Barrier(3)
    woke: dict[str, float] = {}

    def nap(name: str, seconds: float) -> None:
        clock()                               # enlisted: time waits for this thread from now
        ready.wait()
        if name == "busy":
            time.sleep(0.05)                  # (real time) busy: fake time must not move
        clock.sleep(seconds)
        woke[name] = clock() - start

    threads = [threading.Thread(target=nap, args=args)
               for args in (("short", 1.0), ("long", 3.0), ("busy", 2.0))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert woke == {"short": 1.0, "busy": 2.0, "long": 3.0}
    assert clock() - start == 3.0


def test_each_endpoint_has_its_own_pacer_kept_across_runs() -> None:
    clock = FakeClock()
    reset = clock.wall() + 40

    def exhausted(call: Call) -> WriteResult:
        return accept_all(call, RateLimit(10, 0, reset))

    client = FakeClient(exhausted, clock)
    engine = UploadEngine(client, sleep=clock.sleep, clock=clock,  # type: ignore[arg-type]
                          wall_clock=clock.wall)
    engine.run(make_batches(1))                        # contacts: window used up
    start = clock()
    engine.run(make_batches(1, kind=ImportKind.EVENTS))
    assert clock() == start                            # events endpoint: not held back
    engine.run(make_batches(1))                        # contacts again: waits for the reset
    assert clock() - start >= 40
    assert engine.pacer_for(ImportKind.CONTACTS) is not engine.pacer_for(ImportKind.EVENTS)
