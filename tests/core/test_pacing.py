"""The rate pacer's arithmetic on a fake clock: how X-RateLimit-* headers become waits."""

from __future__ import annotations

import pytest

from ingest_gui.api.errors import RateLimitedError
from ingest_gui.api.results import RateLimit
from ingest_gui.core.pacing import RatePacer
from tests.core.upload_fakes import FakeClock


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
