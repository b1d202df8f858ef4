"""Cancellation and progress plumbing shared by every long-running core operation."""

from __future__ import annotations

import threading
from collections.abc import Callable

#: ``progress(done, total)``; ``total`` may be 0 when unknown.
ProgressCallback = Callable[[int, int], None]


class Cancelled(Exception):
    """Raised inside a core operation when its :class:`CancelToken` was cancelled."""

    def __init__(self) -> None:
        super().__init__("The operation was cancelled.")


class CancelToken:
    """A thread-safe flag a caller sets to stop a running operation at its next check."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
