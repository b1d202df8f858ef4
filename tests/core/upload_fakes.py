"""Test doubles for the upload engine: a fake clock that advances on sleep, a scripted client."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest_gui.api.items import EncodedItems
from ingest_gui.api.results import ItemResult, RateLimit, WriteResult
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import Batch

WALL_OFFSET = 1_700_000_000.0


class FakeClock:
    """Monotonic and wall time that only move when someone sleeps (or ``advance`` is called)."""

    def __init__(self, start: float = 1000.0) -> None:
        self._lock = threading.Lock()
        self._now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def wall(self) -> float:
        with self._lock:
            return self._now + WALL_OFFSET

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        with self._lock:
            self.sleeps.append(seconds)
            self._now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


class LockstepClock(FakeClock):
    """A fake clock for real worker threads: time moves only once every worker is asleep, and
    then straight to the earliest wake-up, so sleeps overlap as they do in real time.

    ``FakeClock`` advances on every ``sleep``, whoever calls it. With several threads that is
    not time as they live it: sleeps that would overlap add up, and a thread looping on short
    sleeps moves the clock on by seconds (minutes, on a busy machine) within one slice of the
    GIL while another thread sits between taking its pacing ticket and making its call.
    That call then reaches the service that much later in fake time, possibly in the next
    window, which no real client does.

    Every thread that touches the clock is a worker, except the one that made the clock (it
    runs the engine and only reads the time). A worker that blocks on anything else while
    another sleeps would hold time still for ever: keep locks released while sleeping.
    """

    #: How often (real seconds) sleepers look whether a worker has ended.
    POLL_SECONDS = 0.002

    def __init__(self, start: float = 1000.0) -> None:
        super().__init__(start)
        self._changed = threading.Condition(self._lock)
        self._owner = threading.get_ident()
        self._workers: dict[int, threading.Thread] = {}
        #: thread ident -> fake time it wakes up at, for the workers asleep now.
        self._asleep: dict[int, float] = {}

    def __call__(self) -> float:
        with self._lock:
            self._enlist()
            return self._now

    def wall(self) -> float:
        with self._lock:
            self._enlist()
            return self._now + WALL_OFFSET

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        me = threading.get_ident()
        with self._changed:
            self._enlist()
            self.sleeps.append(seconds)
            if seconds == 0:
                return
            self._asleep[me] = self._now + seconds
            while me in self._asleep:
                if not self._move_on():
                    self._changed.wait(self.POLL_SECONDS)

    def _enlist(self) -> None:
        thread = threading.current_thread()
        if thread.ident != self._owner:
            self._workers.setdefault(thread.ident or 0, thread)

    def _move_on(self) -> bool:
        """With every live worker asleep, jump to the first wake-up and wake who is due."""
        self._workers = {ident: thread for ident, thread in self._workers.items()
                         if thread.is_alive()}
        if any(ident not in self._asleep for ident in self._workers):
            return False
        self._now = max(self._now, min(self._asleep.values()))
        # Woken here, not when they get to run: until then they are busy, not asleep.
        for ident, wake_at in list(self._asleep.items()):
            if wake_at <= self._now:
                del self._asleep[ident]
        self._changed.notify_all()
        return True


@dataclass(frozen=True)
class Call:
    number: int
    method: str
    items: tuple[Mapping[str, Any], ...]
    dry_run: bool
    at: float

    @property
    def first_id(self) -> Any:
        item = self.items[0]
        return item.get("_user_id", item.get("_event_id"))


Handler = Callable[[Call], WriteResult]


def accept_all(call: Call, rate_limit: RateLimit | None = None) -> WriteResult:
    return WriteResult(200, tuple(ItemResult(i, True) for i in range(len(call.items))),
                       call.dry_run, rate_limit or RateLimit())


class FakeClient:
    """Same write methods as ``IngestClient``; every call goes to ``handler`` and is recorded.

    Thread-safe: the engine's workers call it concurrently.
    """

    def __init__(self, handler: Handler = accept_all, clock: Callable[[], float] | None = None,
                 datasource_key: str = "http://127.0.0.1:1/v1|demo|demo") -> None:
        self.handler = handler
        self._clock = clock or (lambda: 0.0)
        self._lock = threading.Lock()
        self.calls: list[Call] = []
        self.datasource_key = datasource_key
        self.last_rate_limit = RateLimit()

    def _call(self, method: str, items: Sequence[Mapping[str, Any]] | EncodedItems,
              dry_run: bool) -> WriteResult:
        decoded = items.decoded() if isinstance(items, EncodedItems) else items
        with self._lock:
            call = Call(len(self.calls), method, tuple(decoded), dry_run, self._clock())
            self.calls.append(call)
        return self.handler(call)

    def post_contacts(self, items: Sequence[Mapping[str, Any]] | EncodedItems, *,
                      dry_run: bool = False, sync: bool = False) -> WriteResult:
        return self._call("contacts", items, dry_run)

    def post_events(self, items: Sequence[Mapping[str, Any]] | EncodedItems, *,
                    dry_run: bool = False, sync: bool = False) -> WriteResult:
        return self._call("events", items, dry_run)

    def delete_contact(self, user_id: str) -> WriteResult:
        return self._call("delete", [{"_user_id": user_id}], False)

    def methods(self) -> list[str]:
        with self._lock:
            return [call.method for call in self.calls]

    def first_ids(self) -> list[Any]:
        with self._lock:
            return [call.first_id for call in self.calls]


def make_batches(count: int, size: int = 3, kind: ImportKind = ImportKind.CONTACTS,
                 first_row: int = 2) -> list[Batch]:
    """``count`` batches of ``size`` items; item ``_user_id`` is ``u<row>``, rows consecutive."""
    batches = []
    row = first_row
    for index in range(count):
        rows = tuple(range(row, row + size))
        row += size
        if kind is ImportKind.EVENTS:
            items = tuple({"_user_id": f"u{r}", "_event_id": f"e{r}", "_event_type": "signup"}
                          for r in rows)
        else:
            items = tuple({"_user_id": f"u{r}"} for r in rows)
        batches.append(Batch.of_items(index, kind, items, rows))
    return batches
