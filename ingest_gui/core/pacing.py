"""Pacing calls to the Ingest API from its ``X-RateLimit-*`` headers, shared by everything that
makes many calls: the upload engine, and the contact reads of the preview and undo snapshots."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from ingest_gui.api.errors import RateLimitedError
from ingest_gui.api.results import RateLimit


class RatePacer:
    """Spreads calls over the service's rate-limit window, from its ``X-RateLimit-*`` headers.

    Thread-safe; one instance is shared by all the engine's workers. A call asks
    :meth:`try_acquire` for a ticket, and reports its answer's headers with :meth:`observe` (or
    :meth:`rate_limited` for a 429, :meth:`release` when there were no headers).

    The estimate of calls left in the window is the latest answer's ``Remaining`` minus the calls
    started after that one and not yet answered (the service may not have counted them yet),
    decremented for each call started. The calls left are spread evenly until ``Reset``: the
    ceiling is held, never overshot. With ``Remaining`` at 0, every caller waits until
    ``Reset`` + ``reset_margin``. When the window passes without news, a new one of
    ``window_seconds`` with the last known ``Limit`` is assumed until the next answer says.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        window_seconds: float = 60.0,
        reset_margin: float = 0.5,
    ) -> None:
        self._clock = clock
        self._wall_clock = wall_clock
        self._window_seconds = window_seconds
        self._reset_margin = reset_margin
        self._lock = threading.Lock()
        self._limit: int | None = None
        self._remaining: float | None = None
        self._reset_at: float | None = None
        self._server_reset_at: float | None = None
        self._next_free = -math.inf
        self._blocked_until = -math.inf
        self._tickets = 0
        self._outstanding: set[int] = set()
        self._last_applied = 0

    # -- asking --------------------------------------------------------------------------------
    def try_acquire(self) -> tuple[int | None, float]:
        """``(ticket, 0.0)`` when a call may start now, else ``(None, seconds to wait)``."""
        with self._lock:
            now = self._clock()
            if now < self._blocked_until:
                return None, self._blocked_until - now
            wall = self._wall_clock()
            if self._reset_at is not None and wall >= self._reset_at + self._reset_margin:
                self._roll_over(wall)
            if self._remaining is not None and self._reset_at is not None:
                if self._remaining < 1:
                    return None, max(self._reset_at + self._reset_margin - wall, 0.001)
                if now < self._next_free:
                    return None, self._next_free - now
                interval = max(self._reset_at - wall, 0.0) / self._remaining
                self._remaining -= 1
                self._next_free = now + interval
            self._tickets += 1
            self._outstanding.add(self._tickets)
            return self._tickets, 0.0

    def waiting_seconds(self) -> float:
        """How long a call asking now would wait because of the rate limit (0 when it may go)."""
        with self._lock:
            now = self._clock()
            if now < self._blocked_until:
                return self._blocked_until - now
            if self._remaining is not None and self._reset_at is not None and self._remaining < 1:
                return max(self._reset_at + self._reset_margin - self._wall_clock(), 0.0)
            return 0.0

    # -- telling -------------------------------------------------------------------------------
    def observe(self, ticket: int, rate_limit: RateLimit | None) -> None:
        """A call answered (any status but 429) with these headers."""
        with self._lock:
            self._outstanding.discard(ticket)
            if rate_limit is None:
                return
            if rate_limit.limit is not None:
                self._limit = rate_limit.limit
            if rate_limit.remaining is None or rate_limit.reset_at is None:
                return
            wall = self._wall_clock()
            if rate_limit.reset_at + self._reset_margin <= wall:
                return  # an answer from a window that is already over
            if self._server_reset_at is None or rate_limit.reset_at > self._server_reset_at + 0.5:
                # A new window: forget what the previous one said.
                self._server_reset_at = rate_limit.reset_at
                self._last_applied = 0
            elif rate_limit.reset_at < self._server_reset_at - 0.5:
                return  # a late answer from the previous window
            if ticket <= self._last_applied:
                return  # older than what we already know
            started_later = sum(1 for other in self._outstanding if other > ticket)
            self._remaining = float(rate_limit.remaining - started_later)
            self._reset_at = self._server_reset_at
            self._last_applied = ticket

    def rate_limited(self, ticket: int, error: RateLimitedError) -> bool:
        """A call got a 429. Returns True when the pacer will hold callers until it is over
        (False: the answer said nothing about when, so back off instead)."""
        with self._lock:
            self._outstanding.discard(ticket)
            headers = error.rate_limit
            if headers is not None and headers.limit is not None:
                self._limit = headers.limit
            retry_after = error.retry_after
            if retry_after is None and headers is not None:
                retry_after = headers.retry_after
            reset_at = error.reset_at
            if reset_at is None and headers is not None:
                reset_at = headers.reset_at
            now, wall = self._clock(), self._wall_clock()
            if retry_after is not None and retry_after >= 0:
                self._blocked_until = max(self._blocked_until, now + retry_after)
                return True
            if reset_at is not None and reset_at + self._reset_margin > wall:
                self._remaining = 0.0
                self._reset_at = reset_at
                self._server_reset_at = reset_at
                self._last_applied = ticket
                return True
            return False

    def release(self, ticket: int) -> None:
        """A call ended without an answer (no headers to learn from)."""
        with self._lock:
            self._outstanding.discard(ticket)

    def _roll_over(self, wall: float) -> None:
        assert self._reset_at is not None
        windows = math.floor((wall - self._reset_at - self._reset_margin) / self._window_seconds)
        self._reset_at += self._window_seconds * (windows + 1)
        self._remaining = (
            None if self._limit is None else float(self._limit - len(self._outstanding))
        )
        self._next_free = -math.inf


#: A paced caller sleeps in slices this long, so a stop (cancel, a fatal answer) is seen soon.
SLEEP_SLICE_SECONDS = 0.5


def acquire_ticket(pacer: RatePacer, stopping: Callable[[], bool],
                   sleep: Callable[[float], None]) -> int | None:
    """Wait (in slices) until ``pacer`` lets a call start; its ticket, or None once
    ``stopping()`` says the caller is stopping."""
    while True:
        if stopping():
            return None
        ticket, wait_seconds = pacer.try_acquire()
        if ticket is not None:
            return ticket
        sleep(min(wait_seconds, SLEEP_SLICE_SECONDS))


def sleep_unless_stopping(seconds: float, stopping: Callable[[], bool],
                          sleep: Callable[[float], None]) -> None:
    """Sleep ``seconds`` in slices, returning early once ``stopping()`` is true."""
    left = seconds
    while left > 0 and not stopping():
        step = min(left, SLEEP_SLICE_SECONDS)
        sleep(step)
        left -= step
