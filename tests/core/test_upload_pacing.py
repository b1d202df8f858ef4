"""The engine against a simulated rate-limited service on a fake clock (minutes of traffic in
milliseconds); the pacer's own arithmetic is tested in test_pacing.py."""

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
from ingest_gui.core.upload import RowStatus, UploadEngine
from tests.core.upload_fakes import (
    Call,
    FakeClient,
    FakeClock,
    LockstepClock,
    accept_all,
    make_batches,
)


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
