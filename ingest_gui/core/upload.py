"""The upload engine: concurrent, paced, retrying, pausable, cancellable, journalled.

How it sends (the README's "How uploads are paced, retried and resumed" says the same for users):

* **Concurrency.** Up to ``concurrency`` batches (default 8) are in flight at once over the one
  shared :class:`~ingest_gui.api.client.IngestClient`: each of ``concurrency`` worker threads
  takes the next batch as soon as its previous one is answered (nothing is queued ahead, and no
  other thread has to wake up in between). Results are put back in batch order, whatever order
  the answers arrive in.
* **Pacing.** One :class:`RatePacer` per endpoint (the service limits each separately), shared
  by every worker under a lock, reads the ``X-RateLimit-Limit/Remaining/Reset`` headers of each
  answer and spreads the calls still allowed in the current window evenly until its reset.
  The ceiling is held without provoking 429s; when the window's calls are used up every worker
  waits for the reset.
* **429.** The pacer blocks every worker until ``Retry-After`` (when sent) or
  ``X-RateLimit-Reset``, and the batch is sent again. 429s have their own, larger budget
  (``max_rate_limited``) because waiting for a reset is expected, not a failure.
* **Retries.** 5xx, timeouts, dropped connections and malformed answers are retried with
  exponential backoff (capped at ``backoff_max``) and jitter through :mod:`tenacity` (with the
  injectable ``sleep``). An outage (the service cannot be reached: refused or dropped
  connections, timeouts, 502/503/504) is retried for a span of time, ``max_outage_seconds``
  (five minutes by default), however many attempts that takes: a server restarting for ten
  seconds or two minutes must not stop the upload. Other failures (500, malformed answers) get
  ``max_attempts`` attempts. 400, 401, 403 and 404 are never retried, nor are per-item
  rejections (they are the service's verdict on the data). While a call waits to be retried,
  progress events say why (``retrying``, ``last_failure``) and for how long
  (``retry_in_seconds``).
* **Log.** Outages and their end, and how a run stopped, are logged at INFO (WARNING for an
  error that stopped it) with the journal run's id; the token never appears (the client's
  messages never hold it).
* **Stopping.** A batch that exhausts its retries, or any 400/401/403/404, stops the run
  cleanly: batches whose request is on the wire finish and are recorded; nothing else is sent;
  unsent rows are ``NOT_SENT``; ``fatal_error`` says why (``auth_failed`` for 401/403). The run
  stays resumable. Cancel works the same way without an error. A batch still waiting for its
  turn (pacing, backoff) when the run stops is not sent: it was never acknowledged, so resuming
  sends it.
* **Journal.** Each batch is recorded in the :class:`~ingest_gui.core.journal.JournalRun` right
  after its answer; a resumed run skips recorded batches and reports their recorded results as
  if just sent. A kill between answer and record means that batch is sent again on resume, which
  is harmless: contacts are upserts and events carry the same ``_event_id``, deduplicated by the
  service.
* **Dry run.** ``dry_run=True`` passes ``dry_run`` to the write calls (the service validates and
  writes nothing) and never journals. Delete batches cannot be previewed: in a dry run they are
  not sent and their rows are ``NOT_SENT``.
* **Skipped rows.** Rows left out before sending are the caller's to report; pass them as
  ``run(..., skipped_rows=plan.skipped_rows)`` to have them marked ``SKIPPED`` in the result.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import queue
import random
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING

import tenacity

from ingest_gui.api.client import IngestClient
from ingest_gui.api.errors import (
    AuthError,
    IngestError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    TransportError,
)
from ingest_gui.api.results import ItemResult, WriteResult
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.pacing import RatePacer as RatePacer  # moved; importable from here too
from ingest_gui.core.payload import Batch
from ingest_gui.texts import QT_TRANSLATE_NOOP, fill, translate, translate_marked

if TYPE_CHECKING:
    from ingest_gui.core.journal import JournalRun

log = logging.getLogger(__name__)

# A rejected item's message when the service gave none, translated once per run. (Here, above
# the ``#:`` comments, which lupdate would hand to translators as notes on this sentence.)
REJECTED_WITHOUT_REASON = QT_TRANSLATE_NOOP("Upload", "Rejected by the service.")
#: Batches in flight at once unless the caller says otherwise. Against a network round trip
#: of 20-50 ms, 8 in flight sends 4.9-6.5 times what one at a time does (4 in flight: 2.8-3.6
#: times); the service documents no limit on concurrent calls, and the pacer holds its rate
#: limits whatever the concurrency. The client's connection pool holds 8 by default.
DEFAULT_CONCURRENCY = 8
#: The longest single sleep: waits are cut into slices so a cancel is noticed promptly.
SLEEP_SLICE_SECONDS = 0.5
#: At most this many progress events per second (plus a final one).
PROGRESS_EVENTS_PER_SECOND = 10.0
#: The "current rate" is measured over this many recent seconds.
RATE_WINDOW_SECONDS = 10.0
#: How often the coordinating thread wakes up to report progress while it waits.
_TICK_SECONDS = 0.1
#: How long an outage (the service cannot be reached) is retried before the run stops.
DEFAULT_MAX_OUTAGE_SECONDS = 300.0
#: Server statuses that mean "not reachable right now" (a proxy or a restart), not a bug.
_OUTAGE_STATUSES = frozenset({502, 503, 504})


class RetryReason(StrEnum):
    """Why a call is waiting to be sent again."""

    #: The service cannot be reached (connection refused or dropped, timeout, 502/503/504).
    CONNECTION = "connection"
    #: The service answered with an error (500, or an answer that is not what the API says).
    SERVER = "server"
    #: The rate limit: a 429 is waited out.
    RATE_LIMITED = "rate_limited"


def _retry_reason(error: BaseException) -> RetryReason:
    if isinstance(error, RateLimitedError):
        return RetryReason.RATE_LIMITED
    if isinstance(error, TransportError) or (
            isinstance(error, ServerError) and error.status in _OUTAGE_STATUSES):
        return RetryReason.CONNECTION
    return RetryReason.SERVER


class RowStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    #: Invalid before sending (never sent).
    SKIPPED = "skipped"
    #: Cancelled or stopped before its batch was acknowledged.
    NOT_SENT = "not_sent"


@dataclass(frozen=True, slots=True)
class UploadProgress:
    rows_total: int
    rows_sent: int
    accepted: int
    rejected: int
    retries: int
    batches_done: int
    batches_total: int
    #: Items acknowledged per second over the recent past.
    rate_per_second: float
    eta_seconds: float | None
    paused: bool = False
    #: Seconds left waiting on the rate limit, 0 when not waiting.
    waiting_seconds: float = 0.0
    #: Seconds since this run started sending (a rate over a few milliseconds means nothing).
    elapsed_seconds: float = 0.0
    #: Why calls are waiting to be sent again right now (None: nothing is being retried).
    retrying: RetryReason | None = None
    #: Engine-clock time the current trouble began (None when there is none).
    retrying_since: float | None = None
    #: How long the current trouble has lasted, in seconds.
    retrying_for_seconds: float = 0.0
    #: Seconds until the next attempt (0 when not retrying).
    retry_in_seconds: float = 0.0
    #: The sentence of the last failure being retried (never holds the token).
    last_failure: str | None = None


@dataclass(slots=True)
class UploadResult:
    #: spreadsheet row -> status, for every row of every batch given to ``run``.
    statuses: dict[int, RowStatus] = field(default_factory=dict)
    #: spreadsheet row -> the service's messages, for rejected rows.
    messages: dict[int, list[str]] = field(default_factory=dict)
    retries: int = 0
    rate_limited: int = 0
    cancelled: bool = False
    #: Set when the run stopped on an error it cannot retry (auth, 4xx, retries exhausted).
    fatal_error: str | None = None
    auth_failed: bool = False

    def count(self, status: RowStatus) -> int:
        return sum(1 for value in self.statuses.values() if value is status)

    @property
    def run_status(self) -> str:
        """The journal status this outcome calls for: ``completed``, ``cancelled`` or
        ``interrupted`` (stopped by an error; resumable)."""
        if self.fatal_error is not None:
            return "interrupted"
        if self.cancelled:
            return "cancelled"
        return "completed"


class UploadControl:
    """Pause / resume / cancel from another thread. Cancel lets in-flight batches finish."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._paused = False
        self._cancelled = False

    def pause(self) -> None:
        with self._condition:
            if not self._cancelled:
                self._paused = True
            self._condition.notify_all()

    def resume(self) -> None:
        with self._condition:
            self._paused = False
            self._condition.notify_all()

    def cancel(self) -> None:
        with self._condition:
            self._cancelled = True
            self._paused = False
            self._condition.notify_all()

    @property
    def is_paused(self) -> bool:
        with self._condition:
            return self._paused

    @property
    def is_cancelled(self) -> bool:
        with self._condition:
            return self._cancelled

    def wait_until_resumed(self, timeout: float | None = None) -> bool:
        """Block while paused (up to ``timeout``); True once running or cancelled."""
        with self._condition:
            return self._condition.wait_for(
                lambda: not self._paused or self._cancelled, timeout=timeout
            )


class _Stopped(Exception):
    """Internal: the run is stopping, so this batch is not sent."""


@dataclass(slots=True)
class _Outcome:
    batch: Batch
    #: Per-item results in request order (for deletes possibly fewer than the batch's items).
    results: tuple[ItemResult, ...] = ()
    #: Every item was answered.
    complete: bool = False
    #: The error that ended this batch early, if any.
    fatal_error: str | None = None
    auth_failed: bool = False
    #: Recovered from the journal, not sent in this run.
    resumed: bool = False


def _rows_label(batch: Batch) -> str:
    """"rows 201–300" (or "row 7"), in the user's language."""
    if not batch.rows:
        return translate("Upload", "no rows")
    first, last = min(batch.rows), max(batch.rows)
    if first == last:
        return fill(translate("Upload", "row {row}"), row=first)
    return fill(translate("Upload", "rows {first}–{last}"), first=first, last=last)


class _AttemptBudget:
    """tenacity ``stop``: ``max_attempts`` failures, an outage longer than
    ``max_outage_seconds``, or ``max_rate_limited`` 429s waited out.

    The attempt itself counts what happened (tenacity evaluates ``wait`` before ``stop``, so
    neither may be where the counting happens)."""

    def __init__(self, max_attempts: int, max_rate_limited: int, max_outage_seconds: float,
                 clock: Callable[[], float]) -> None:
        self.max_attempts = max_attempts
        self.max_rate_limited = max_rate_limited
        self.max_outage_seconds = max_outage_seconds
        self._clock = clock
        #: Failures other than outages and 429s (500s, malformed answers).
        self.failures = 0
        #: Failures in a row of any kind but a paced 429: the backoff's exponent.
        self.backoffs = 0
        self.rate_limited = 0
        #: When the current outage began for this call (None: the last failure was no outage).
        self.outage_since: float | None = None
        #: The last failure was a 429 the pacer waits out (no backoff needed).
        self.paced = False

    def record(self, *, paced_429: bool, reason: RetryReason) -> None:
        self.paced = paced_429
        if not paced_429:
            self.backoffs += 1
        if reason is RetryReason.CONNECTION:
            if self.outage_since is None:
                self.outage_since = self._clock()
            return
        self.outage_since = None  # it answered: whatever outage there was is over
        if reason is RetryReason.RATE_LIMITED:
            self.rate_limited += 1  # with or without a hint of when: the 429s' own budget
        else:
            self.failures += 1

    def __call__(self, state: tenacity.RetryCallState) -> bool:
        outage_over = (self.outage_since is not None
                       and self._clock() - self.outage_since >= self.max_outage_seconds)
        return (outage_over or self.failures >= self.max_attempts
                or self.rate_limited >= self.max_rate_limited)


@dataclass(slots=True)
class _Trouble:
    """Why the run's calls are being retried, since when, and when the next attempt goes."""

    reason: RetryReason
    since: float
    retry_at: float
    message: str


@dataclass(slots=True)
class _RunState:
    """Mutable state of one ``run``; counters touched by workers are guarded by ``lock``."""

    control: UploadControl
    journal: JournalRun | None
    pacer: RatePacer
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    retries: int = 0
    rate_limited: int = 0
    #: What is being retried now (None while calls go through), guarded by ``lock``.
    trouble: _Trouble | None = None

    def stopping(self) -> bool:
        return self.stop.is_set() or self.control.is_cancelled

    @property
    def label(self) -> str:
        """How the log names this run (never with the token)."""
        return f"run #{self.journal.run_id}" if self.journal is not None else "unjournalled run"

    def retrying(self, error: IngestError, reason: RetryReason, now: float,
                 delay: float) -> None:
        """A call failed and waits ``delay`` seconds to be sent again."""
        with self.lock:
            trouble = self.trouble
            if trouble is None or trouble.reason is not reason:
                if trouble is None:
                    log.info("Upload %s: retrying after a failure (%s): %s", self.label,
                             reason.value, error.message)
                self.trouble = _Trouble(reason, trouble.since if trouble else now,
                                        now + delay, error.message)
            else:
                trouble.retry_at = now + delay
                trouble.message = error.message

    def went_through(self, now: float) -> None:
        """A call was answered: whatever trouble there was is over."""
        if self.trouble is None:  # the usual case, read without the lock
            return
        with self.lock:
            trouble, self.trouble = self.trouble, None
        if trouble is not None:
            log.info("Upload %s: the service answers again after %.0f s (%s)", self.label,
                     now - trouble.since, trouble.reason.value)


class _AllDone:
    """The mail that says the last worker has finished."""


_ALL_DONE = _AllDone()


class _Dispatch:
    """What one run's worker threads share: the batches still to send (each worker takes the
    next one as soon as it is free, so no thread hand-off sits between two batches), the
    outcomes, and the progress events for the thread that called ``run``."""

    def __init__(self, pending: Sequence[Batch], outcomes: dict[int, _Outcome], fatal: list[str],
                 progress: _ProgressTracker, snapshot: Callable[[], UploadProgress]) -> None:
        self._pending = pending
        self._next = 0
        self._outcomes = outcomes
        self._fatal = fatal
        self._progress = progress
        self._snapshot = snapshot
        self._lock = threading.Lock()
        self.mail: queue.SimpleQueue[UploadProgress | _AllDone] = queue.SimpleQueue()
        self.workers_left = 0
        self.crash: BaseException | None = None

    def take(self, state: _RunState) -> Batch | None:
        """The next batch to send; ``None`` once there is none or the run is stopping. Blocks
        while paused."""
        while True:
            if state.stopping():
                return None
            if state.control.is_paused:
                state.control.wait_until_resumed(timeout=_TICK_SECONDS)
                continue
            with self._lock:
                if self._next >= len(self._pending):
                    return None
                batch = self._pending[self._next]
                self._next += 1
                return batch

    def finish(self, outcome: _Outcome) -> None:
        with self._lock:
            self._outcomes[outcome.batch.index] = outcome
            if outcome.fatal_error is not None:
                self._fatal.append(outcome.fatal_error)
            self._progress.absorb(outcome)
            self._post_if_due()

    def post_progress_if_due(self) -> None:
        with self._lock:
            self._post_if_due()

    def _post_if_due(self) -> None:
        # Taken under the lock and queued in that order: events arrive in the order they
        # describe, at most PROGRESS_EVENTS_PER_SECOND a second (by the engine's clock).
        if self._progress.due():
            self.mail.put(self._progress.emitting(self._snapshot()))

    def crashed(self, error: BaseException) -> None:
        with self._lock:
            if self.crash is None:
                self.crash = error

    def worker_done(self) -> None:
        with self._lock:
            self.workers_left -= 1
            if self.workers_left == 0:
                self.mail.put(_ALL_DONE)


class UploadEngine:
    def __init__(
        self,
        client: IngestClient,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_attempts: int = 8,
        dry_run: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        max_rate_limited: int = 30,
        max_outage_seconds: float = DEFAULT_MAX_OUTAGE_SECONDS,
        backoff_initial: float = 0.5,
        backoff_max: float = 20.0,
        window_seconds: float = 60.0,
        reset_margin: float = 0.5,
        rng: random.Random | None = None,
    ) -> None:
        """``max_attempts``: attempts per call on 500s and malformed answers.
        ``max_outage_seconds``: how long a call is retried while the service cannot be
        reached (connection errors, timeouts, 502/503/504) before the run stops.
        ``max_rate_limited``: 429s a single call may wait out before the run stops.
        Backoff before retry *n* is ``backoff_initial * 2**(n-1)`` (at most ``backoff_max``)
        plus up to half that again of random jitter (``rng``)."""
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if max_attempts < 1 or max_rate_limited < 1:
            raise ValueError("max_attempts and max_rate_limited must be at least 1")
        self._client = client
        self._concurrency = concurrency
        self._max_attempts = max_attempts
        self._max_rate_limited = max_rate_limited
        self._max_outage_seconds = max_outage_seconds
        self._dry_run = dry_run
        self._sleep = sleep
        self._clock = clock
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._rng = rng or random.Random()
        self._pacer_options = {"window_seconds": window_seconds, "reset_margin": reset_margin}
        self._wall_clock = wall_clock
        # The service limits each endpoint separately: one pacer per kind of batch, kept across
        # runs so a resumed or follow-up run starts from what the last answers said.
        self._pacers: dict[ImportKind, RatePacer] = {}
        self._pacers_lock = threading.Lock()

    def pacer_for(self, kind: ImportKind) -> RatePacer:
        """The pacer shared by every call to the endpoint of ``kind``."""
        with self._pacers_lock:
            pacer = self._pacers.get(kind)
            if pacer is None:
                pacer = self._pacers[kind] = RatePacer(
                    clock=self._clock, wall_clock=self._wall_clock, **self._pacer_options)
            return pacer

    # -- public ----------------------------------------------------------------------------------
    def run(
        self,
        batches: Sequence[Batch],
        *,
        on_progress: Callable[[UploadProgress], None] | None = None,
        control: UploadControl | None = None,
        journal: JournalRun | None = None,
        skipped_rows: Iterable[int] = (),
    ) -> UploadResult:
        """Send every batch not already acknowledged in ``journal``; never raises for service
        errors (they end up in the result), only for programming errors.

        ``on_progress`` is called from the thread that called ``run``, at most
        :data:`PROGRESS_EVENTS_PER_SECOND` times a second plus once at the end.
        ``skipped_rows`` (optional) are marked :attr:`RowStatus.SKIPPED` in the result.
        """
        indexes = [batch.index for batch in batches]
        if len(set(indexes)) != len(indexes):
            raise ValueError("batch indexes must be unique")
        kinds = {batch.kind for batch in batches}
        state = _RunState(
            control=control or UploadControl(), journal=None if self._dry_run else journal,
            pacer=self.pacer_for(kinds.pop() if len(kinds) == 1 else ImportKind.CONTACTS),
        )
        outcomes: dict[int, _Outcome] = {}
        fatal: list[str] = []
        mismatch = self._load_acknowledged(batches, state.journal, outcomes)
        if mismatch is not None:
            fatal.append(mismatch)
            pending: list[Batch] = []
        else:
            pending = [batch for batch in batches if batch.index not in outcomes]

        progress = _ProgressTracker(batches, outcomes, self._clock, on_progress)
        dispatch = _Dispatch(pending, outcomes, fatal, progress,
                             partial(self._snapshot, state, progress))
        workers = [
            threading.Thread(target=self._work, args=(dispatch, state),
                             name=f"ingest-upload-{number}")
            for number in range(min(self._concurrency, len(pending)))
        ]
        dispatch.workers_left = len(workers)
        if not workers:
            dispatch.mail.put(_ALL_DONE)
        try:
            for worker in workers:
                worker.start()
            # The workers fetch their own batches; this thread only hands progress to the
            # caller, so it wakes at most ten times a second, never once per batch.
            while True:
                try:
                    mail = dispatch.mail.get(timeout=_TICK_SECONDS)
                except queue.Empty:
                    dispatch.post_progress_if_due()  # paused, or waiting on the rate limit
                    continue
                if isinstance(mail, _AllDone):
                    break
                if on_progress is not None:
                    on_progress(mail)
        except BaseException:
            state.stop.set()
            raise
        finally:
            for worker in workers:
                if worker.ident is not None:
                    worker.join()
        if dispatch.crash is not None:
            raise dispatch.crash
        while on_progress is not None and not dispatch.mail.empty():
            mail = dispatch.mail.get()
            if not isinstance(mail, _AllDone):
                on_progress(mail)

        result = self._assemble(batches, outcomes, state, fatal, skipped_rows)
        progress.maybe_emit(lambda: self._snapshot(state, progress), final=True)
        if result.fatal_error is not None:
            log.warning("Upload %s stopped by an error: %s", state.label, result.fatal_error)
        elif result.cancelled:
            log.info("Upload %s stopped by the user; %d rows not sent (resumable)", state.label,
                     result.count(RowStatus.NOT_SENT))
        return result

    def _work(self, dispatch: _Dispatch, state: _RunState) -> None:
        """One worker thread: take the next batch, send it, hand over its outcome; repeat."""
        try:
            while (batch := dispatch.take(state)) is not None:
                dispatch.finish(self._send_batch(batch, state))
        except BaseException as error:  # a programming error: stop the run, re-raised by run()
            state.stop.set()
            dispatch.crashed(error)
        finally:
            dispatch.worker_done()

    # -- building the result --------------------------------------------------------------------
    @staticmethod
    def _load_acknowledged(batches: Sequence[Batch], journal: JournalRun | None,
                           outcomes: dict[int, _Outcome]) -> str | None:
        """Fill ``outcomes`` from the journal; a sentence when the journal does not fit."""
        if journal is None:
            return None
        recorded = journal.acknowledged_batches()
        for batch in batches:
            entry = recorded.get(batch.index)
            if entry is None:
                continue
            positions = sorted(item.position for item in entry.results)
            if entry.rows != batch.rows or positions != list(range(len(batch.rows))):
                outcomes.clear()
                return fill(translate(
                    "Upload", "The journal of import run #{run} does not match batch {batch} "
                    "({rows}) any more; the file or the mapping changed since. Nothing was "
                    "sent: start the import afresh instead of resuming it."),
                    run=str(journal.run_id), batch=batch.index + 1, rows=_rows_label(batch))
            outcomes[batch.index] = _Outcome(batch, results=entry.results, complete=True,
                                             resumed=True)
        return None

    def _assemble(self, batches: Sequence[Batch], outcomes: dict[int, _Outcome],
                  state: _RunState, fatal: list[str], skipped_rows: Iterable[int]) -> UploadResult:
        statuses: dict[int, RowStatus] = {}
        messages: dict[int, list[str]] = {}
        auth_failed = False
        not_sent = False
        accepted, rejected = RowStatus.ACCEPTED, RowStatus.REJECTED
        no_reason = translate_marked("Upload", REJECTED_WITHOUT_REASON)
        for batch in batches:
            outcome = outcomes.get(batch.index)
            rows = batch.rows
            if outcome is None:
                statuses.update(dict.fromkeys(rows, RowStatus.NOT_SENT))
                not_sent = not_sent or bool(rows)
                continue
            auth_failed = auth_failed or outcome.auth_failed
            results = outcome.results
            if (outcome.complete and len(results) == len(rows)
                    and all(item.accepted for item in results)):
                # The usual batch: every item answered (positions checked) and accepted.
                statuses.update(dict.fromkeys(rows, accepted))
                continue
            answered: set[int] = set()
            for item in results:
                row = rows[item.position]
                answered.add(item.position)
                if item.accepted:
                    statuses[row] = accepted
                else:
                    statuses[row] = rejected
                    messages[row] = item.messages() or [no_reason]
            for position, row in enumerate(rows):
                if position not in answered:
                    statuses[row] = RowStatus.NOT_SENT
                    not_sent = True
        for row in skipped_rows:
            statuses.setdefault(row, RowStatus.SKIPPED)
        return UploadResult(
            # Sorting the keys, not the items: no tuple per row for the garbage collector to
            # chase, which cost seconds on a million rows.
            statuses={row: statuses[row] for row in sorted(statuses)},
            messages={row: messages[row] for row in sorted(messages)},
            retries=state.retries,
            rate_limited=state.rate_limited,
            cancelled=state.control.is_cancelled and not_sent and not fatal,
            fatal_error=fatal[0] if fatal else None,
            auth_failed=auth_failed,
        )

    def _snapshot(self, state: _RunState, progress: _ProgressTracker) -> UploadProgress:
        with state.lock:
            retries = state.retries
            trouble = None if state.trouble is None else dataclasses.replace(state.trouble)
        return progress.snapshot(retries=retries, paused=state.control.is_paused,
                                 waiting_seconds=state.pacer.waiting_seconds(), trouble=trouble)

    # -- sending (worker threads) ---------------------------------------------------------------
    def _send_batch(self, batch: Batch, state: _RunState) -> _Outcome:
        if state.stopping():
            return _Outcome(batch)
        if batch.kind is ImportKind.DELETE:
            return self._send_deletes(batch, state)
        post = (self._client.post_events if batch.kind is ImportKind.EVENTS
                else self._client.post_contacts)
        encoded = batch.encoded
        try:
            answer = self._with_retries(
                lambda: post(encoded, dry_run=self._dry_run), len(encoded), state
            )
        except _Stopped:
            return _Outcome(batch)
        except IngestError as error:
            return self._fail(batch, (), error, state)
        outcome = _Outcome(batch, results=_in_request_order(answer.items), complete=True)
        self._record(outcome, state)
        return outcome

    def _send_deletes(self, batch: Batch, state: _RunState) -> _Outcome:
        if self._dry_run:
            return _Outcome(batch)
        results: list[ItemResult] = []
        for position, user_id in enumerate(batch.encoded.user_ids):
            if user_id is None:
                # The plan never builds such an item; refuse rather than guess which contact.
                return self._fail(batch, tuple(results), IngestError(fill(translate(
                    "Upload", "Item {item} of this batch has no user id to delete."),
                    item=position + 1)), state)
            try:
                answer = self._with_retries(partial(self._client.delete_contact, user_id), 1,
                                            state)
            except _Stopped:
                return _Outcome(batch, results=tuple(results))
            except IngestError as error:
                return self._fail(batch, tuple(results), error, state)
            only = answer.items[0]
            results.append(ItemResult(position, only.accepted, only.errors))
        outcome = _Outcome(batch, results=tuple(results), complete=True)
        self._record(outcome, state)
        return outcome

    def _record(self, outcome: _Outcome, state: _RunState) -> None:
        if state.journal is None:
            return
        from ingest_gui.core.journal import JournalError

        try:
            state.journal.record_batch(outcome.batch.index, outcome.batch.rows, outcome.results)
        except (JournalError, sqlite3.Error) as error:
            state.stop.set()
            outcome.fatal_error = fill(translate(
                "Upload", "Batch {batch} ({rows}) was sent but could not be recorded in the "
                "import journal: {error}. The import stopped; running it again resumes it (that "
                "batch is sent again, which is harmless)."),
                batch=outcome.batch.index + 1, rows=_rows_label(outcome.batch), error=str(error))

    def _fail(self, batch: Batch, partial: tuple[ItemResult, ...], error: IngestError,
              state: _RunState) -> _Outcome:
        state.stop.set()
        if isinstance(error, AuthError):
            template = translate(
                "Upload", "The service refused the API token while sending batch {batch} "
                "({rows}): {error} Nothing more was sent; fix the token and run the import "
                "again to resume it.")
        elif error.retryable:
            template = translate(
                "Upload", "The service kept failing on batch {batch} ({rows}); gave up after "
                "repeated attempts. Last error: {error} The import stopped; run it again to "
                "resume it.")
        else:
            template = translate(
                "Upload", "The service refused batch {batch} ({rows}): {error} The import "
                "stopped; run it again to resume it.")
        message = fill(template, batch=batch.index + 1, rows=_rows_label(batch), error=str(error))
        return _Outcome(batch, results=partial, fatal_error=message,
                        auth_failed=isinstance(error, AuthError))

    def _with_retries(self, send: Callable[[], WriteResult], expected_items: int,
                      state: _RunState) -> WriteResult:
        budget = _AttemptBudget(self._max_attempts, self._max_rate_limited,
                                self._max_outage_seconds, self._clock)

        def attempt() -> WriteResult:
            ticket = self._acquire(state)
            try:
                answer = send()
            except RateLimitedError as error:
                with state.lock:
                    state.rate_limited += 1
                budget.record(paced_429=state.pacer.rate_limited(ticket, error),
                              reason=RetryReason.RATE_LIMITED)
                raise
            except IngestError as error:
                state.pacer.observe(ticket, error.rate_limit)
                budget.record(paced_429=False, reason=_retry_reason(error))
                raise
            except BaseException:
                state.pacer.release(ticket)
                raise
            state.pacer.observe(ticket, answer.rate_limit)
            state.went_through(self._clock())
            try:
                _check_items(answer, expected_items)
            except ResponseFormatError:
                budget.record(paced_429=False, reason=RetryReason.SERVER)
                raise
            return answer

        def wait_before_retry(retry_state: tenacity.RetryCallState) -> float:
            error = retry_state.outcome.exception() if retry_state.outcome is not None else None
            delay = self._retry_delay(error, budget)
            if isinstance(error, IngestError):
                # The pacer's own wait (a paced 429) is added by the snapshot.
                state.retrying(error, _retry_reason(error), self._clock(), delay)
            return delay

        def count_retry(retry_state: tenacity.RetryCallState) -> None:
            with state.lock:
                state.retries += 1

        # Most calls succeed at once: tenacity is only set up (tens of microseconds a batch)
        # after a first failure, which it then receives as its own first attempt's.
        replay: list[IngestError] = []
        try:
            return attempt()
        except IngestError as error:
            if not error.retryable:
                raise
            replay.append(error)

        def attempt_after_first_failure() -> WriteResult:
            if replay:
                raise replay.pop()
            return attempt()

        retrying = tenacity.Retrying(
            stop=budget,
            wait=wait_before_retry,
            retry=tenacity.retry_if_exception(
                lambda error: isinstance(error, IngestError) and error.retryable
            ),
            sleep=lambda seconds: self._sleep_unless_stopping(seconds, state),
            before_sleep=count_retry,
            reraise=True,
        )
        return retrying(attempt_after_first_failure)

    def _retry_delay(self, error: BaseException | None, budget: _AttemptBudget) -> float:
        if isinstance(error, RateLimitedError) and budget.paced:
            return 0.0  # the pacer holds every worker until the window resets
        base: float = min(self._backoff_max,
                          self._backoff_initial * 2 ** max(budget.backoffs - 1, 0))
        delay = base + self._rng.uniform(0.0, base / 2)
        hinted = error.rate_limit if isinstance(error, IngestError) else None
        if hinted is not None and hinted.retry_after is not None:
            delay = max(delay, hinted.retry_after)
        if budget.outage_since is not None:
            # The last attempt goes when the span is over, not a backoff later.
            left = budget.outage_since + self._max_outage_seconds - self._clock()
            delay = min(delay, max(left, 0.0))
        return delay

    def _acquire(self, state: _RunState) -> int:
        while True:
            if state.stopping():
                raise _Stopped
            ticket, wait_seconds = state.pacer.try_acquire()
            if ticket is not None:
                return ticket
            self._sleep(min(wait_seconds, SLEEP_SLICE_SECONDS))

    def _sleep_unless_stopping(self, seconds: float, state: _RunState) -> None:
        left = seconds
        while left > 0 and not state.stopping():
            step = min(left, SLEEP_SLICE_SECONDS)
            self._sleep(step)
            left -= step


def _check_items(answer: WriteResult, expected: int) -> None:
    items = answer.items
    if len(items) == expected and all(
            item.position == index for index, item in enumerate(items)):
        return  # already in request order, one per item (what the parser returns)
    positions = sorted(item.position for item in items)
    if positions != list(range(expected)):
        raise ResponseFormatError(fill(translate(
            "Upload", "The service's answer does not match the items sent (answers: "
            "{answered}, items sent: {sent}); nothing in that answer was taken as accepted."),
            answered=len(items), sent=expected))


def _in_request_order(items: Sequence[ItemResult]) -> tuple[ItemResult, ...]:
    if all(item.position == index for index, item in enumerate(items)):
        return tuple(items)
    return tuple(sorted(items, key=lambda item: item.position))


class _ProgressTracker:
    """Counts what has been acknowledged and throttles progress events (used by the workers
    under the dispatch lock, then by the run's thread once they are done)."""

    def __init__(self, batches: Sequence[Batch], outcomes: dict[int, _Outcome],
                 clock: Callable[[], float],
                 on_progress: Callable[[UploadProgress], None] | None) -> None:
        self._clock = clock
        self._on_progress = on_progress
        self._rows_total = sum(len(batch.rows) for batch in batches)
        self._batches_total = len(batches)
        self._accepted = self._rejected = self._batches_done = 0
        #: Items acknowledged in this run (not recovered from the journal).
        self._sent_here = 0
        self._started = clock()
        self._recent: deque[tuple[float, int]] = deque()
        self._last_emit = -math.inf
        for outcome in outcomes.values():
            self.absorb(outcome)

    def absorb(self, outcome: _Outcome) -> None:
        accepted = sum(1 for item in outcome.results if item.accepted)
        self._accepted += accepted
        self._rejected += len(outcome.results) - accepted
        if outcome.complete:
            self._batches_done += 1
        if not outcome.resumed and outcome.results:
            self._recent.append((self._clock(), len(outcome.results)))
            self._sent_here += len(outcome.results)

    def snapshot(self, *, retries: int, paused: bool, waiting_seconds: float,
                 trouble: _Trouble | None = None) -> UploadProgress:
        now = self._clock()
        while self._recent and self._recent[0][0] < now - RATE_WINDOW_SECONDS:
            self._recent.popleft()
        elapsed = now - self._started
        span = min(RATE_WINDOW_SECONDS, elapsed)
        recent_items = sum(count for _, count in self._recent)
        rate = recent_items / span if span > 0 else 0.0
        sent = self._accepted + self._rejected
        left = self._rows_total - sent
        retry_in = max(trouble.retry_at - now, 0.0) if trouble is not None else 0.0
        retry_in = max(retry_in, waiting_seconds)
        # While nothing gets through (an outage, a rate-limit wait) the recent rate drops to
        # nothing; the pace of the run so far, after the wait, stays an honest estimate.
        pace = rate if rate > 0 else (self._sent_here / elapsed if elapsed > 0 else 0.0)
        if left == 0:
            eta: float | None = 0.0
        elif pace > 0:
            eta = left / pace + (retry_in if rate == 0 else 0.0)
        else:
            eta = None
        return UploadProgress(
            rows_total=self._rows_total, rows_sent=sent, accepted=self._accepted,
            rejected=self._rejected, retries=retries, batches_done=self._batches_done,
            batches_total=self._batches_total, rate_per_second=rate, eta_seconds=eta,
            paused=paused, waiting_seconds=waiting_seconds, elapsed_seconds=elapsed,
            retrying=trouble.reason if trouble is not None else (
                RetryReason.RATE_LIMITED if waiting_seconds > 0 else None),
            retrying_since=trouble.since if trouble is not None else None,
            retrying_for_seconds=now - trouble.since if trouble is not None else 0.0,
            retry_in_seconds=retry_in,
            last_failure=trouble.message if trouble is not None else None,
        )

    def due(self) -> bool:
        """Whether a progress event is wanted now (someone listens, and the last is old enough)."""
        return (self._on_progress is not None
                and self._clock() - self._last_emit >= 1.0 / PROGRESS_EVENTS_PER_SECOND)

    def emitting(self, progress: UploadProgress) -> UploadProgress:
        """Note ``progress`` as sent now (it is delivered by the thread that called ``run``)."""
        self._last_emit = self._clock()
        return progress

    def maybe_emit(self, progress: Callable[[], UploadProgress], *, final: bool = False) -> None:
        if self._on_progress is None:
            return
        now = self._clock()
        if not final and now - self._last_emit < 1.0 / PROGRESS_EVENTS_PER_SECOND:
            return
        self._last_emit = now
        self._on_progress(progress())
