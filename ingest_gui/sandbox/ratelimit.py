"""Fixed-window rate limiting per datasource and per endpoint, as the service documents it."""

from __future__ import annotations

import math
import threading


class RateLimiter:
    """``limit`` calls per ``window`` seconds for each key; windows align to multiples of it.

    The reset moment is reported as a Unix timestamp in whole seconds (``X-RateLimit-Reset``).
    """

    def __init__(self, limit: int | None, window: float = 60.0) -> None:
        if limit is not None and limit < 1:
            raise ValueError(f"A rate limit must allow at least 1 call per window, not {limit}.")
        if window <= 0:
            raise ValueError(f"A rate-limit window must be longer than 0 seconds, not {window}.")
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, ...], tuple[float, int]] = {}

    def hit(self, key: tuple[str, ...], now: float) -> tuple[bool, list[tuple[bytes, bytes]]]:
        """Count one call; ``(allowed, headers)``. No headers when there is no limit."""
        return self._account(key, now, count=True)

    def peek(self, key: tuple[str, ...], now: float) -> list[tuple[bytes, bytes]]:
        """The headers for an answer that does not count (e.g. a 401)."""
        return self._account(key, now, count=False)[1]

    def _account(self, key: tuple[str, ...], now: float,
                 count: bool) -> tuple[bool, list[tuple[bytes, bytes]]]:
        limit = self.limit
        if limit is None:
            return True, []
        start = math.floor(now / self.window) * self.window
        with self._lock:
            window_start, used = self._windows.get(key, (start, 0))
            if window_start != start:
                used = 0
            allowed = used < limit
            if count and allowed:
                used += 1
            self._windows[key] = (start, used)
        reset = math.ceil(start + self.window)
        return allowed, [
            (b"x-ratelimit-limit", str(limit).encode()),
            (b"x-ratelimit-remaining", str(limit - used).encode()),
            (b"x-ratelimit-reset", str(reset).encode()),
        ]
