"""Reading many datasource contacts (``GET /stream/contacts/{userId}``): paced, retried,
cancellable. The preview compares an import with what these reads return; an undo snapshot
keeps them.

How it reads (the same rules as the upload engine, :mod:`ingest_gui.core.upload`):

* **Pacing.** One :class:`~ingest_gui.core.pacing.RatePacer` for the read endpoint (the service
  limits each endpoint separately), shared by a few worker threads, spreads the calls the
  ``X-RateLimit-*`` headers still allow evenly until the window resets. A few reads in flight
  hide the network's round trip when the service sets no limit; with a limit, the pacer sets
  the pace whatever the number of workers.
* **Retries.** 429s are waited out (until ``Retry-After`` or the reset) with their own budget;
  5xx, timeouts, dropped connections and malformed answers are retried with capped exponential
  back-off and jitter (:mod:`tenacity`, with the injectable ``sleep``).
* **Stopping.** 401/403 stop every read at once with the client's sentence
  (:class:`ContactReadError` with ``auth_failed``); so does any other error that cannot be
  retried, or retries running out. A cancelled :class:`~ingest_gui.core.cancel.CancelToken`
  stops them too (raising :class:`~ingest_gui.core.cancel.Cancelled`): reads in flight finish,
  nothing more is asked.
"""

from __future__ import annotations

import math
import queue
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import tenacity

from ingest_gui.api.errors import AuthError, IngestError, RateLimitedError
from ingest_gui.api.results import ContactRead, RateLimit
from ingest_gui.core.cancel import Cancelled, CancelToken, ProgressCallback
from ingest_gui.core.pacing import (
    RatePacer,
    acquire_ticket,
    sleep_unless_stopping,
)
from ingest_gui.texts import fill, translate

# Reads in flight at once: enough to hide a 20-50 ms round trip when nothing limits the rate.
DEFAULT_READ_CONCURRENCY = 4
# The longest single sleep: waits are cut into slices so a cancel is noticed promptly.
# At most this many progress calls per second (plus a final one).
PROGRESS_CALLS_PER_SECOND = 10.0
# How often the calling thread wakes up while the workers read.
_TICK_SECONDS = 0.1

# A contact as the datasource returns it; ``None``: not in the datasource.
ContactRecord = Mapping[str, Any] | None


def attributes_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """A contact record's attributes (uid -> value), whether the service lists them at the top
    level or under ``attributes``; without ``_user_id``."""
    attributes = {key: value for key, value in record.items()
                  if key not in ("_user_id", "attributes")}
    nested = record.get("attributes")
    if isinstance(nested, Mapping):
        attributes.update(nested)
    return attributes


class ContactSource(Protocol):
    """What the reader needs of :class:`~ingest_gui.api.client.IngestClient`."""

    def read_contact(self, user_id: str) -> ContactRead: ...


class ContactReadError(Exception):
    """The reads stopped on an error they cannot get past; ``str()`` is a sentence to show."""

    def __init__(self, message: str, *, auth_failed: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.auth_failed = auth_failed


class _Stopped(Exception):
    """Internal: the reads are stopping (cancelled, or another read failed)."""


class _AttemptBudget:
    """tenacity ``stop``: ``max_attempts`` failures, or ``max_rate_limited`` 429s waited out."""

    def __init__(self, max_attempts: int, max_rate_limited: int) -> None:
        self.max_attempts = max_attempts
        self.max_rate_limited = max_rate_limited
        self.failures = 0
        self.rate_limited = 0
        # The last failure was a 429 the pacer waits out (no back-off needed).
        self.paced = False

    def record(self, *, paced_429: bool) -> None:
        self.paced = paced_429
        if paced_429:
            self.rate_limited += 1
        else:
            self.failures += 1

    def __call__(self, state: tenacity.RetryCallState) -> bool:
        return self.failures >= self.max_attempts or self.rate_limited >= self.max_rate_limited


@dataclass(slots=True)
class _ReadState:
    """One :meth:`ContactReader.read`'s shared state; ``lock`` guards ``next`` and ``failure``."""

    user_ids: Sequence[str]
    cancel: CancelToken
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next: int = 0
    failure: ContactReadError | None = None
    crash: BaseException | None = None
    answers: queue.SimpleQueue[tuple[str, ContactRecord] | None] = field(
        default_factory=queue.SimpleQueue)

    def stopping(self) -> bool:
        return self.stop.is_set() or self.cancel.is_cancelled

    def take(self) -> str | None:
        with self.lock:
            if self.stopping() or self.next >= len(self.user_ids):
                return None
            user_id = self.user_ids[self.next]
            self.next += 1
            return user_id

    def fail(self, failure: ContactReadError) -> None:
        with self.lock:
            if self.failure is None:
                self.failure = failure
        self.stop.set()


class ContactReader:
    """Reads contacts by user id for the preview and undo snapshots.

    Keep one reader for a connection: its pacer remembers what the last answers said about the
    rate limit, so a second round of reads starts at the right pace.

    Args:
        client: the connection (an :class:`~ingest_gui.api.client.IngestClient`).
        concurrency: reads in flight at once.
        max_attempts: attempts per read on 5xx, transport and format errors.
        max_rate_limited: 429s a single read may wait out before the reads stop.
        backoff_initial / backoff_max: back-off before retry *n* is
            ``backoff_initial * 2**(n-1)`` (at most ``backoff_max``) plus up to half that again
            of jitter (``rng``).
        window_seconds: the rate-limit window assumed when the headers do not say (the service
            documents limits per minute).
        sleep / clock / wall_clock: injectable, so tests need not wait.
    """

    def __init__(
        self,
        client: ContactSource,
        *,
        concurrency: int = DEFAULT_READ_CONCURRENCY,
        max_attempts: int = 6,
        max_rate_limited: int = 30,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        window_seconds: float = 60.0,
        reset_margin: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if max_attempts < 1 or max_rate_limited < 1:
            raise ValueError("max_attempts and max_rate_limited must be at least 1")
        self._client = client
        self._concurrency = concurrency
        self._max_attempts = max_attempts
        self._max_rate_limited = max_rate_limited
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._window_seconds = window_seconds
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._pacer = RatePacer(clock=clock, wall_clock=wall_clock,
                                window_seconds=window_seconds, reset_margin=reset_margin)
        self._lock = threading.Lock()
        self._rate_limit: RateLimit | None = None

    @property
    def window_seconds(self) -> float:
        """The rate-limit window the reader assumes (headers give a limit, not its window)."""
        return self._window_seconds

    @property
    def rate_limit(self) -> RateLimit | None:
        """The ``X-RateLimit-*`` headers of the latest answer (``None`` before any answer;
        ``limit`` None: the service said nothing, i.e. it sets no limit)."""
        with self._lock:
            return self._rate_limit

    def read(
        self,
        user_ids: Sequence[str],
        *,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
    ) -> dict[str, ContactRecord]:
        """Every contact of ``user_ids`` (each read once), user id -> record or ``None``.

        ``progress(done, total)`` is called from this thread, at most
        :data:`PROGRESS_CALLS_PER_SECOND` times a second plus once at the end. Raises
        :class:`ContactReadError` when the reads stop on an error, ``Cancelled`` when cancelled.
        """
        unique = list(dict.fromkeys(user_ids))
        state = _ReadState(unique, cancel or CancelToken())
        records: dict[str, ContactRecord] = {}
        if not unique:
            return records
        workers = [threading.Thread(target=self._work, args=(state,),
                                    name=f"ingest-contact-read-{number}")
                   for number in range(min(self._concurrency, len(unique)))]
        last_progress = -math.inf
        finished = 0
        try:
            for worker in workers:
                worker.start()
            while finished < len(workers):
                try:
                    answer = state.answers.get(timeout=_TICK_SECONDS)
                except queue.Empty:
                    continue
                if answer is None:
                    finished += 1
                    continue
                user_id, record = answer
                records[user_id] = record
                now = self._clock()
                if progress is not None and now - last_progress >= 1 / PROGRESS_CALLS_PER_SECOND:
                    last_progress = now
                    progress(len(records), len(unique))
        except BaseException:
            state.stop.set()
            raise
        finally:
            for worker in workers:
                if worker.ident is not None:
                    worker.join()
        if state.crash is not None:
            raise state.crash
        if state.failure is not None:
            raise state.failure
        if len(records) < len(unique):
            raise Cancelled()
        if progress is not None:
            progress(len(records), len(unique))
        return records

    # -- worker threads -------------------------------------------------------------------------
    def _work(self, state: _ReadState) -> None:
        try:
            while (user_id := state.take()) is not None:
                try:
                    record = self._read_with_retries(user_id, state)
                except _Stopped:
                    break
                except AuthError as error:
                    state.fail(ContactReadError(str(error), auth_failed=True))
                    break
                except IngestError as error:
                    state.fail(ContactReadError(self._failure_sentence(error)))
                    break
                state.answers.put((user_id, record))
        except BaseException as error:  # a programming error: re-raised by read()
            with state.lock:
                state.crash = state.crash or error
            state.stop.set()
        finally:
            state.answers.put(None)

    @staticmethod
    def _failure_sentence(error: IngestError) -> str:
        if error.retryable:
            template = translate(
                "ContactReads", "Reading the datasource's contacts kept failing; gave up after "
                "repeated attempts. Last error: {error}")
        else:
            template = translate(
                "ContactReads", "Reading the datasource's contacts stopped: {error}")
        return fill(template, error=str(error))

    def _note(self, rate_limit: RateLimit | None) -> None:
        if rate_limit is not None:
            with self._lock:
                self._rate_limit = rate_limit

    def _read_with_retries(self, user_id: str, state: _ReadState) -> ContactRecord:
        budget = _AttemptBudget(self._max_attempts, self._max_rate_limited)
        pacer = self._pacer

        def attempt() -> ContactRecord:
            ticket = self._acquire(state)
            try:
                answer = self._client.read_contact(user_id)
            except RateLimitedError as error:
                self._note(error.rate_limit)
                budget.record(paced_429=pacer.rate_limited(ticket, error))
                raise
            except IngestError as error:
                self._note(error.rate_limit)
                pacer.observe(ticket, error.rate_limit)
                budget.record(paced_429=False)
                raise
            except BaseException:
                pacer.release(ticket)
                raise
            self._note(answer.rate_limit)
            pacer.observe(ticket, answer.rate_limit)
            return answer.record

        def wait_before_retry(retry_state: tenacity.RetryCallState) -> float:
            if budget.paced:
                return 0.0  # the pacer holds every worker until the window resets
            base: float = min(self._backoff_max,
                              self._backoff_initial * 2 ** max(budget.failures - 1, 0))
            return base + self._rng.uniform(0.0, base / 2)

        retrying = tenacity.Retrying(
            stop=budget,
            wait=wait_before_retry,
            retry=tenacity.retry_if_exception(
                lambda error: isinstance(error, IngestError) and error.retryable),
            sleep=lambda seconds: self._sleep_unless_stopping(seconds, state),
            reraise=True,
        )
        return retrying(attempt)

    def _acquire(self, state: _ReadState) -> int:
        ticket = acquire_ticket(self._pacer, state.stopping, self._sleep)
        if ticket is None:
            raise _Stopped
        return ticket

    def _sleep_unless_stopping(self, seconds: float, state: _ReadState) -> None:
        sleep_unless_stopping(seconds, state.stopping, self._sleep)
