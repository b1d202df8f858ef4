"""One import, from a loaded table and a mapping to a finished journal run: the one copy of it.

The command line and the wizard are two faces of the same import. Both drive an
:class:`ImportWorkflow` through the same steps, in this order::

    check()          validate every row (progress, cancel) and plan the batches
    preview()        read a sample of the contacts the plan touches and compare (paced; nothing
                     is written); for events it finds those the service would drop
    open_journal()   the journal is required: nothing is sent without it (dry runs excepted)
    find_resumable() the unfinished run of this file, mapping and datasource, if any
    start_run()      a new run, or the resumable one taken over
    take_snapshot()  contacts: what undo needs, read before sending and stored with the run
    upload()         the upload engine, with progress and pause / cancel (``UploadControl``)
    finish()         report, error log, the run's :class:`ImportSummary` stored in the journal

(``find_unknown_contacts()`` is the preview an events import without ``_user_data`` always
makes: a cheap sample, before sending.) :meth:`ImportWorkflow.run` does all of it in one go
(the command line); a wizard page calls the steps one at a time on a worker thread (Check runs
``check`` + ``preview``, Upload runs ``start_run`` + ``take_snapshot`` + ``upload`` +
``finish``). Front-ends only gather choices and show progress: every decision — which
datasource key derives event ids, where the journal lives, which run to resume, what path the
journal records, whether events of unknown contacts stop the import, whether a snapshot is taken
without asking, what the run's status and exit code are — is made here.

Between ``check`` and ``open_journal`` nothing has been written anywhere: a gate that may refuse
the import belongs there (``run(confirm=...)``, the unknown-contacts refusal, the consent guard:
``check`` counts what the batches change in marketing consent, ``CheckResult.consent``, and
``start_run`` refuses to send consent given on a channel nobody confirmed, ``confirm_consent``).
Between ``start_run`` and ``upload`` the run exists in the journal but nothing is sent: what
must be recorded with the run before sending belongs there (``run(on_run=...)``, the undo
snapshot). Undoing a run is :func:`ingest_gui.core.undo.undo_run`, with the same summary type.

No Qt here. A workflow runs one step at a time, from any thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from ingest_gui import paths
from ingest_gui.api.client import IngestClient
from ingest_gui.api.specs import DatasourceSpecs
from ingest_gui.core.cancel import CancelToken, ProgressCallback
from ingest_gui.core.consent import (
    ConsentNotConfirmedError,
    ConsentReport,
    count_consent,
    require_confirmation,
    withdraw_conflicting_grants,
)
from ingest_gui.core.contact_reads import ContactReader, ContactReadError
from ingest_gui.core.errorlog import write_error_log
from ingest_gui.core.journal import Journal, JournalError, JournalRun, RunInfo
from ingest_gui.core.loading import LoadedTable
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.mapping import Mapping as ColumnMapping
from ingest_gui.core.oserrors import describe_os_error
from ingest_gui.core.payload import PayloadPlan, build_batches
from ingest_gui.core.preview import READ_BUDGET_SECONDS, Preview, preview_import
from ingest_gui.core.report import ImportReport, build_report
from ingest_gui.core.snapshot import (
    Snapshot,
    snapshot_cost_sentence,
    snapshot_is_automatic,
    take_snapshot,
)
from ingest_gui.core.upload import UploadControl, UploadEngine, UploadProgress, UploadResult
from ingest_gui.core.validation import ValidationResult, validate
from ingest_gui.texts import fill, translate

log = logging.getLogger(__name__)

# The reads an events import makes before sending, to find events of unknown contacts.
UNKNOWN_CONTACT_CHECK_SECONDS = 3.0


class ExitCode(IntEnum):
    """The command line's exit codes (stable: scripts rely on them)."""

    #: Every valid row accepted and none invalid.
    OK = 0
    #: Some rows invalid or rejected.
    ROWS_FAILED = 1
    #: Bad usage or unreadable input (and an import refused before sending).
    USAGE = 2
    #: Authentication or connection failure.
    CONNECTION = 3
    #: Interrupted (cancelled, or stopped by an error): resumable.
    INTERRUPTED = 4


class WorkflowError(Exception):
    """A step cannot go on. ``str()`` is a sentence a person can read; ``exit_code`` is what
    the command line exits with."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UnknownContactsError(WorkflowError):
    """An events import whose sample found events of contacts not in the datasource, which
    the service would drop without an error; refused before anything was written.
    ``preview`` is the sample."""

    def __init__(self, preview: Preview) -> None:
        super().__init__(unknown_contacts_sentence(preview), ExitCode.USAGE)
        self.preview = preview


def unknown_contacts_sentence(preview: Preview) -> str:
    """What the sample found, and that the service drops such events silently."""
    unknown = preview.events_unknown_contact or 0
    if preview.sampled_all:
        return fill(translate(
            "Workflow", "{count} of the {total} events belong to contacts that are not in the "
            "datasource, and Instasent drops such events without an error."),
            count=unknown, total=preview.rows_total)
    estimate = preview.estimate(unknown)
    return fill(translate(
        "Workflow", "{count} of {sampled} sampled events belong to contacts that are not in the "
        "datasource (about {value} ± {margin} of the {total} events), and Instasent drops such "
        "events without an error."), count=unknown, sampled=preview.rows_sampled,
        value=estimate.value, margin=estimate.margin, total=preview.rows_total)


class JournalUnavailableError(WorkflowError):
    """The journal cannot be opened or used: nothing was sent."""


class ErrorLogNotWrittenError(WorkflowError):
    """The import finished (its run is stored) but its error log could not be written.

    ``outcome`` is the finished import, its summary without an error log.
    """

    def __init__(self, message: str, outcome: ImportOutcome) -> None:
        super().__init__(message, ExitCode.USAGE)
        self.outcome = outcome


def _as_int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _as_optional_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one import did, in numbers: the ``--json`` output, the journal record of a finished
    run, the Done page's counts and ``ingest-gui runs``.

    ``as_json()`` keys: rows_read, valid, invalid, duplicates, sent, accepted, rejected,
    not_sent, skipped, events_inside_window, events_without_date, events_outside_window,
    error_log, retries, seconds, dry_run, status, run_id, stopped_because,
    events_unknown_contact_estimate, warnings, orders, values_left_out.
    """

    rows_read: int
    valid: int
    invalid: int
    duplicates: int
    sent: int
    accepted: int
    rejected: int
    not_sent: int
    #: Invalid rows left out before sending, plus duplicate events not sent again.
    skipped: int
    events_inside_window: int | None
    events_without_date: int | None
    events_outside_window: int | None
    #: The error log written for this import (None when no row needed fixing).
    error_log: str | None
    retries: int
    seconds: float
    dry_run: bool
    #: The run's journal status: ``completed``, ``cancelled`` or ``interrupted``.
    status: str
    #: The journal run (None for a dry run, which is not journalled).
    run_id: int | None
    #: Why the upload stopped before the end, when an error stopped it (a sentence).
    stopped_because: str | None = None
    #: The service refused the token (401/403): the exit code says "connection".
    auth_failed: bool = False
    #: Marketing consent given and withdrawn, per channel the mapping writes:
    #: ``{"sms": {"grant": n, "revoke": m}}`` (see :mod:`ingest_gui.core.consent`).
    consent: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    #: Events imports: about how many of the sent events belong to contacts not in the
    #: datasource, which the service skips without an error although it counts them accepted
    #: (None: not an events import, or not looked for; exact when every row was read).
    events_unknown_contact_estimate: int | None = None
    #: Sentences the import's counts must never be shown without.
    warnings: tuple[str, ...] = ()
    #: (rows, orders) when orders written one row per line item were gathered, one event each.
    orders: tuple[int, int] | None = None
    #: Invalid values left out of rows that were sent without them (not counted as invalid).
    values_left_out: int = 0

    @property
    def exit_code(self) -> ExitCode:
        """What the command line exits with; the wizard's headline follows the same rule."""
        if self.auth_failed:
            return ExitCode.CONNECTION
        if self.status != "completed":
            return ExitCode.INTERRUPTED
        if self.invalid or self.rejected:
            return ExitCode.ROWS_FAILED
        return ExitCode.OK

    def counts(self) -> dict[str, int]:
        """The row counts alone (``ingest-gui runs --json``)."""
        return {
            "rows_read": self.rows_read, "valid": self.valid, "invalid": self.invalid,
            "sent": self.sent, "accepted": self.accepted, "rejected": self.rejected,
            "skipped": self.skipped, "duplicates": self.duplicates, "not_sent": self.not_sent,
            "retries": self.retries,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "valid": self.valid,
            "invalid": self.invalid,
            "duplicates": self.duplicates,
            "sent": self.sent,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "not_sent": self.not_sent,
            "skipped": self.skipped,
            "events_inside_window": self.events_inside_window,
            "events_without_date": self.events_without_date,
            "events_outside_window": self.events_outside_window,
            "error_log": self.error_log,
            "retries": self.retries,
            "seconds": self.seconds,
            "dry_run": self.dry_run,
            "status": self.status,
            "run_id": self.run_id,
            "stopped_because": self.stopped_because,
            "consent": {channel: dict(count) for channel, count in self.consent.items()},
            "events_unknown_contact_estimate": self.events_unknown_contact_estimate,
            "warnings": list(self.warnings),
            "orders": (None if self.orders is None else
                       {"rows": self.orders[0], "orders": self.orders[1]}),
            "values_left_out": self.values_left_out,
        }

    @classmethod
    def from_report(cls, report: ImportReport, upload: UploadResult, *, error_log: Path | None,
                    seconds: float, dry_run: bool, run_id: int | None,
                    consent: ConsentReport | None = None,
                    orders: tuple[int, int] | None = None) -> ImportSummary:
        return cls(
            rows_read=report.rows_read, valid=report.valid, invalid=report.invalid,
            duplicates=report.duplicates, sent=report.sent, accepted=report.accepted,
            rejected=report.rejected, not_sent=report.not_sent, skipped=report.skipped,
            events_inside_window=report.events_inside_window,
            events_without_date=report.events_without_date,
            events_outside_window=report.events_outside_window,
            error_log=str(error_log) if error_log is not None else None,
            retries=upload.retries, seconds=round(seconds, 3), dry_run=dry_run,
            status=upload.run_status, run_id=run_id, stopped_because=upload.fatal_error,
            auth_failed=upload.auth_failed,
            consent=consent.as_json() if consent is not None else {},
            orders=orders,
            values_left_out=report.values_left_out,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, run_id: int | None = None,
                  status: str | None = None) -> ImportSummary | None:
        """A summary read back from the journal; None when the run stored none.

        Reads every shape the journal ever held: this one; the command line's earlier one
        (the same keys but ``run_id``); the wizard's earlier row counts (accepted, rejected,
        skipped, not_sent, retries), whose missing numbers are worked out from those.
        """
        if not isinstance(data, Mapping) or not data:
            return None
        accepted, rejected = _as_int(data.get("accepted")), _as_int(data.get("rejected"))
        skipped, not_sent = _as_int(data.get("skipped")), _as_int(data.get("not_sent"))
        sent = _as_int(data["sent"]) if "sent" in data else accepted + rejected
        rows_read = (_as_int(data["rows_read"]) if "rows_read" in data
                     else sent + skipped + not_sent)
        invalid = _as_int(data["invalid"]) if "invalid" in data else skipped
        seconds = data.get("seconds")
        error_log = data.get("error_log")
        stopped = data.get("stopped_because")
        stored_status = data.get("status")
        return cls(
            rows_read=rows_read,
            valid=_as_int(data["valid"]) if "valid" in data else rows_read - invalid,
            invalid=invalid, duplicates=_as_int(data.get("duplicates")), sent=sent,
            accepted=accepted, rejected=rejected, not_sent=not_sent, skipped=skipped,
            events_inside_window=_as_optional_int(data.get("events_inside_window")),
            events_without_date=_as_optional_int(data.get("events_without_date")),
            events_outside_window=_as_optional_int(data.get("events_outside_window")),
            error_log=error_log if isinstance(error_log, str) else None,
            retries=_as_int(data.get("retries")),
            seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
            dry_run=data.get("dry_run") is True,
            status=status or (stored_status if isinstance(stored_status, str) else "completed"),
            run_id=run_id if run_id is not None else _as_optional_int(data.get("run_id")),
            stopped_because=stopped if isinstance(stopped, str) else None,
            consent=_consent_counts(data.get("consent")),
            events_unknown_contact_estimate=_as_optional_int(
                data.get("events_unknown_contact_estimate")),
            warnings=tuple(text for text in data.get("warnings") or () if isinstance(text, str)),
            orders=_order_counts(data.get("orders")),
            values_left_out=_as_int(data.get("values_left_out")),
        )


def _order_counts(value: object) -> tuple[int, int] | None:
    if not isinstance(value, Mapping):
        return None
    return _as_int(value.get("rows")), _as_int(value.get("orders"))


def _consent_counts(value: object) -> dict[str, dict[str, int]]:
    if not isinstance(value, Mapping):
        return {}
    return {str(channel): {"grant": _as_int(count.get("grant")),
                           "revoke": _as_int(count.get("revoke"))}
            for channel, count in value.items() if isinstance(count, Mapping)}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What :meth:`ImportWorkflow.check` found: every row checked, and the batches to send."""

    validation: ValidationResult
    plan: PayloadPlan
    #: What the batches change in marketing consent (empty when the mapping writes none).
    consent: ConsentReport = field(default_factory=ConsentReport)


class ConsentRefusedError(WorkflowError):
    """The import would give marketing consent on channels nobody confirmed: nothing was
    sent. ``channels`` are the channel names still to confirm."""

    def __init__(self, message: str, channels: list[str]) -> None:
        super().__init__(message, ExitCode.USAGE)
        self.channels = channels


@dataclass(frozen=True, slots=True)
class StartedRun:
    """The journal run an upload is about to send under."""

    run_id: int
    #: The unfinished run taken over, as it stood before (None for a new run).
    resumed: RunInfo | None


@dataclass(frozen=True, slots=True)
class SnapshotChoice:
    """Whether a contact import keeps a copy of its contacts before sending (so it can be
    undone) without asking: ``automatic`` when the reads fit a few minutes at the rate limit
    (at most 5,000 contacts); else on request, with ``cost`` said first."""

    #: The reads a snapshot makes: at most one per row (one per contact).
    contacts: int
    automatic: bool
    #: What the snapshot costs in reads and time, in a sentence.
    cost: str


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """A finished import: its summary, the row-by-row report and the engine's result."""

    summary: ImportSummary
    report: ImportReport
    upload: UploadResult


def default_error_log_path(table: LoadedTable) -> Path:
    """Where an import's error log goes unless the user chose a place: the data folder."""
    folder = paths.error_logs_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{table.path.stem}-errors-{stamp}.csv"
    number = 2
    while path.exists():  # two imports of one file in the same second keep two logs
        path = folder / f"{table.path.stem}-errors-{stamp}-{number}.csv"
        number += 1
    return path


def _journal_refusal(error: Exception) -> JournalUnavailableError:
    """The sentence an import stops with when its journal fails it: nothing was sent."""
    return JournalUnavailableError(fill(translate(
        "Workflow", "{reason} Nothing was sent: an import without its journal could not be "
        "resumed."), reason=str(error)))


def _journal_stopped(error: Exception) -> JournalUnavailableError:
    """The sentence an import stops with when the journal refuses a step: nothing was sent."""
    return JournalUnavailableError(fill(translate("Workflow", "{reason} Nothing was sent."),
                                        reason=str(error)))


def open_journal(path: Path | None = None) -> Journal:
    """The journal (default: in the data folder), or :class:`JournalUnavailableError` with a
    sentence saying why it cannot be used."""
    try:
        return Journal(path)
    except JournalError as error:
        raise JournalUnavailableError(str(error)) from None


class ImportWorkflow:
    """One import of ``table`` with ``mapping`` into the datasource ``client`` writes to.

    ``dry_run``: the service checks the rows and writes nothing; no journal is needed or
    written. ``journal_path``: the journal file (default: in the data folder).
    ``started``: when the import began on ``clock`` (default: now), for the summary's seconds.
    ``engine``: the upload engine (default: a new one for ``client``, made with the same
    ``dry_run``; tests inject one with other pacing or concurrency). ``reader``: the paced
    contact reader of the preview and the undo snapshot (default: one for ``client``).

    The client belongs to the caller (it is not closed here); the journal belongs to the
    workflow: :meth:`close` it, or use the workflow as a context manager.
    """

    def __init__(
        self,
        table: LoadedTable,
        mapping: ColumnMapping,
        specs: DatasourceSpecs,
        client: IngestClient,
        *,
        dry_run: bool = False,
        journal_path: Path | None = None,
        engine: UploadEngine | None = None,
        reader: ContactReader | None = None,
        clock: Callable[[], float] = time.monotonic,
        started: float | None = None,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.specs = specs
        self.client = client
        self.dry_run = dry_run
        self._journal_path = journal_path
        self._engine = engine if engine is not None else UploadEngine(client, dry_run=dry_run)
        self._clock = clock
        self._started = clock() if started is None else started
        self._checked: CheckResult | None = None
        self._journal: Journal | None = None
        self._run: JournalRun | None = None
        self._run_id: int | None = None
        self._upload: UploadResult | None = None
        self._consent_confirmed: set[str] = set()
        self._reader = reader
        self._preview: Preview | None = None

    def __repr__(self) -> str:
        return (f"ImportWorkflow({self.table.path.name!r}, {self.mapping.kind.value}, "
                f"dry_run={self.dry_run})")

    def __enter__(self) -> ImportWorkflow:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what it knows -------------------------------------------------------------------------
    @property
    def datasource_key(self) -> str:
        """The one key identifying the datasource: in derived event ids and in the journal."""
        return self.client.datasource_key

    @property
    def checked(self) -> CheckResult | None:
        """The last check (None before :meth:`check`)."""
        return self._checked

    @property
    def file_path(self) -> str:
        """The file as the journal records it: always the resolved, absolute path."""
        return str(self.table.path.resolve())

    @property
    def reader(self) -> ContactReader:
        """The one contact reader of this import: its pacer remembers the rate limit the
        preview learnt, so the snapshot's reads start at the right pace."""
        if self._reader is None:
            self._reader = ContactReader(self.client)
        return self._reader

    @property
    def previewed(self) -> Preview | None:
        """The last preview of the current plan (None before :meth:`preview`, and after a
        re-check)."""
        return self._preview

    @property
    def unknown_contacts_matter(self) -> bool:
        """An events import whose events do not carry their contact (``_user_data``): the
        service drops, without an error, each one whose contact is not in the datasource."""
        return self.mapping.kind is ImportKind.EVENTS and not self.mapping.with_user_data

    @property
    def run_id(self) -> int | None:
        """The journal run being (or last) sent; None before :meth:`start_run` and in a dry run."""
        return self._run_id

    # -- 1. check ------------------------------------------------------------------------------
    def check(self, *, progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None, now: datetime | None = None) -> CheckResult:
        """Validate every row, then plan the batches. Raises ``Cancelled`` when ``cancel`` is
        set (nothing is kept), :class:`WorkflowError` when no batch can be planned."""
        validation = validate(self.table, self.mapping, self.specs, progress=progress,
                              cancel=cancel, now=now)
        if cancel is not None:
            cancel.raise_if_cancelled()
        return self.replan(validation)

    def replan(self, validation: ValidationResult) -> CheckResult:
        """Adopt ``validation`` (the rows re-checked after edits) and plan its batches again.
        Not while a run is started: its journal records batches of the plan it began with."""
        if self._run is not None:
            raise RuntimeError("a run is started with the current plan; finish() it first")
        # Negative signals win: a person the file both grants and withdraws is sent withdrawn.
        validation, conflicts = withdraw_conflicting_grants(validation)
        try:
            plan = build_batches(validation, datasource=self.datasource_key)
        except ValueError as error:
            raise WorkflowError(str(error)) from None
        consent = count_consent(validation, plan, conflicts=conflicts)
        self._checked = CheckResult(validation, plan, consent)
        self._preview = None
        return self._checked

    # -- the consent guard ---------------------------------------------------------------------
    def confirm_consent(self, channels: Collection[str]) -> None:
        """The user deliberately confirmed giving marketing consent on ``channels`` (names:
        ``sms``, ``email``, ``whatsapp``, ``other``). Without it no import that gives consent
        on a channel is sent (:meth:`start_run` refuses)."""
        self._consent_confirmed |= {str(channel).lower() for channel in channels}

    def require_consent_confirmed(self) -> None:
        """Raise :class:`ConsentRefusedError` (a sentence naming the counts and channels) when
        the checked batches give consent on a channel not confirmed. Dry runs write nothing:
        never refused."""
        checked = self._require_checked()
        if self.dry_run:
            return
        try:
            require_confirmation(checked.consent, self._consent_confirmed)
        except ConsentNotConfirmedError as error:
            raise ConsentRefusedError(
                str(error), [channel.value for channel in error.channels]) from None

    # -- 1b. preview ---------------------------------------------------------------------------
    def preview(self, *, budget_seconds: float = READ_BUDGET_SECONDS,
                progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> Preview:
        """Compare the checked plan with the datasource: read a sample of the contacts it
        touches (every one when the file is small; else about ``budget_seconds`` of reads at
        the datasource's rate limit, spread across the file), paced like uploads. Nothing is
        written. The result is kept (:attr:`previewed`) for the summary and the snapshot.

        ``progress(done, total)`` counts reads (``total`` 0 until the sample size is known).
        Raises ``Cancelled`` when ``cancel`` is set (nothing kept), :class:`WorkflowError`
        (exit code "connection") when the reads stop on an error, and :class:`WorkflowError`
        (usage) for a deletion, which has nothing to compare."""
        checked = self._require_checked()
        if self.mapping.kind is ImportKind.DELETE:
            raise WorkflowError(translate(
                "Workflow", "A removal has nothing to preview: it deletes the listed contacts."))
        try:
            preview = preview_import(checked.plan, self.mapping.kind, self.reader,
                                     specs=self.specs, budget_seconds=budget_seconds,
                                     cancel=cancel, progress=progress)
        except ContactReadError as error:
            raise WorkflowError(fill(translate(
                "Workflow", "Could not compare the import with the datasource: {reason} "
                "Nothing was sent."), reason=error.message), ExitCode.CONNECTION) from None
        self._preview = preview
        return preview

    def find_unknown_contacts(self, *, progress: ProgressCallback | None = None,
                              cancel: CancelToken | None = None) -> Preview | None:
        """For an events import without ``_user_data`` (:attr:`unknown_contacts_matter`):
        the preview that tells how many sampled events belong to contacts not in the
        datasource — the last one, else a cheap one (about
        :data:`UNKNOWN_CONTACT_CHECK_SECONDS` of reads at the rate limit: 30 reads at 600 a
        minute, every row of a file that small, 1,000 at most without a limit). None for
        other imports. A dry run looks too: its summary must not call such events accepted
        without saying the service skips them."""
        if not self.unknown_contacts_matter:
            return None
        if self._preview is not None:
            return self._preview
        return self.preview(budget_seconds=UNKNOWN_CONTACT_CHECK_SECONDS, progress=progress,
                            cancel=cancel)

    def _require_checked(self) -> CheckResult:
        if self._checked is None:
            raise RuntimeError("check() the rows before sending them")
        return self._checked

    # -- 2. the journal ------------------------------------------------------------------------
    def open_journal(self) -> None:
        """Open the journal (once). Raises :class:`JournalUnavailableError` when it cannot be
        opened; a dry run needs none and opens none."""
        if self.dry_run or self._journal is not None:
            return
        try:
            self._journal = open_journal(self._journal_path)
        except JournalUnavailableError as error:
            raise _journal_refusal(error) from None

    def _require_journal(self) -> Journal:
        self.open_journal()
        if self._journal is None:
            raise RuntimeError("a dry run keeps no journal")
        return self._journal

    def find_resumable(self) -> RunInfo | None:
        """The unfinished run of this file, mapping and datasource (None in a dry run)."""
        if self.dry_run:
            return None
        journal = self._require_journal()
        try:
            return journal.find_resumable(
                fingerprint=self.table.fingerprint, datasource_key=self.datasource_key,
                mapping=self.mapping.to_json())
        except JournalError as error:
            raise _journal_stopped(error) from None

    # -- 3. the run ----------------------------------------------------------------------------
    def start_run(self, *, resume_run_id: int | None = None) -> StartedRun | None:
        """Start a new run, or take over the unfinished run ``resume_run_id`` (its acknowledged
        batches are not sent again). None in a dry run, which is not journalled."""
        checked = self._require_checked()
        if self._run is not None:
            raise RuntimeError("a run is already started; finish() it first")
        self._upload = None
        if self.dry_run:
            return None
        self.require_consent_confirmed()
        journal = self._require_journal()
        try:
            if resume_run_id is not None:
                before = journal.run_info(resume_run_id)
                self._run = journal.resume_run(resume_run_id)
                self._run_id = resume_run_id
                log.info("Upload run #%d resumed (%s, %d of %d batches already acknowledged)",
                         resume_run_id, self.mapping.kind.value, before.batches_acknowledged,
                         before.batches_total)
                return StartedRun(resume_run_id, before)
            self._run = journal.start_run(
                kind=self.mapping.kind.value, file_path=self.file_path,
                fingerprint=self.table.fingerprint, datasource_key=self.datasource_key,
                mapping=self.mapping.to_json(), batches_total=len(checked.plan.batches))
        except JournalError as error:
            raise _journal_stopped(error) from None
        self._run_id = self._run.run_id
        log.info("Upload run #%d started (%s, %d batches, %d items)", self._run_id,
                 self.mapping.kind.value, len(checked.plan.batches), checked.plan.item_count)
        return StartedRun(self._run.run_id, None)

    # -- 3b. the undo snapshot -----------------------------------------------------------------
    def snapshot_choice(self) -> SnapshotChoice | None:
        """Whether this import's snapshot is taken without asking, and what it costs; None
        when there is none to take (not a contact import, or a dry run)."""
        checked = self._require_checked()
        if self.mapping.kind is not ImportKind.CONTACTS or self.dry_run:
            return None
        rate_limit = self.reader.rate_limit or self.client.last_rate_limit
        window = self.reader.window_seconds
        contacts = checked.plan.item_count
        return SnapshotChoice(
            contacts, snapshot_is_automatic(contacts, rate_limit, window_seconds=window),
            snapshot_cost_sentence(contacts, rate_limit, window_seconds=window))

    def take_snapshot(self, *, progress: ProgressCallback | None = None,
                      cancel: CancelToken | None = None) -> Snapshot | None:
        """Read every contact the started run will touch and store, with the run, what undo
        needs (the contacts it creates; each attribute it writes, with its earlier value).
        Between :meth:`start_run` and :meth:`upload`. None, and nothing read, when the run
        already has its snapshot (a resumed run) or has sent batches without one (too late:
        that run cannot be undone). Raises ``Cancelled``, and :class:`WorkflowError`
        (connection) when the reads stop on an error; the run stays resumable."""
        checked = self._require_checked()
        run, journal = self._run, self._journal
        if run is None or journal is None:
            raise RuntimeError("start_run() before take_snapshot()")
        if self.mapping.kind is not ImportKind.CONTACTS:
            return None
        try:
            info = run.info()
            if info.has_snapshot or info.batches_acknowledged:
                return None
            try:
                snapshot = take_snapshot(checked.plan, self.reader, cancel=cancel,
                                         progress=progress)
            except ContactReadError as error:
                raise WorkflowError(fill(translate(
                    "Workflow", "Could not keep a copy of the contacts before the import: "
                    "{reason} Nothing was sent; run the import again to resume it."),
                    reason=error.message), ExitCode.CONNECTION) from None
            journal.save_snapshot(run.run_id, snapshot.to_json())
        except JournalError as error:
            raise _journal_stopped(error) from None
        return snapshot

    # -- 4. upload -----------------------------------------------------------------------------
    def upload(self, *, on_progress: Callable[[UploadProgress], None] | None = None,
               control: UploadControl | None = None) -> UploadResult:
        """Send every planned batch the run has not had acknowledged. Pause and cancel through
        ``control``; ``on_progress`` is called on this thread. Never sends without a started
        run (dry runs excepted). If the engine fails unexpectedly, the run is left
        ``interrupted`` (resumable) and the error raised."""
        checked = self._require_checked()
        if not self.dry_run and self._run is None:
            raise RuntimeError("start_run() before upload(): nothing is sent without a journal")
        if self._upload is not None:
            raise RuntimeError("this run was sent already; finish() it")
        run = self._run
        try:
            result = self._engine.run(
                checked.plan.batches, on_progress=on_progress, control=control, journal=run,
                skipped_rows=checked.plan.skipped_rows)
        except BaseException:
            if run is not None:
                run.interrupt()
                self._run = None
            raise
        self._upload = result
        return result

    def send_dry_run(self, *, on_progress: Callable[[UploadProgress], None] | None = None,
                     control: UploadControl | None = None) -> UploadResult:
        """Ask the service to check the planned batches without writing anything (the Check
        page's "Dry run"). Journals nothing and leaves this workflow's state as it was."""
        checked = self._require_checked()
        engine = UploadEngine(self.client, dry_run=True)
        return engine.run(checked.plan.batches, on_progress=on_progress, control=control,
                          skipped_rows=checked.plan.skipped_rows)

    # -- 5. finish -----------------------------------------------------------------------------
    def finish(self, *, error_log: Path | None = None,
               write_log: bool = True) -> ImportOutcome:
        """Build the report, write the error log (``error_log``, default
        :func:`default_error_log_path`) when some row needs fixing, and store the run's summary
        in the journal. Raises :class:`ErrorLogNotWrittenError` (the run stored all the same)
        when the log cannot be written."""
        checked = self._require_checked()
        upload = self._upload
        if upload is None:
            raise RuntimeError("upload() before finish()")
        report = build_report(checked.validation, checked.plan, upload)
        log_path: Path | None = None
        log_failure: str | None = None
        log_warning: str | None = None
        if write_log and report.messages_by_row:
            log_path, log_failure = self._write_error_log(error_log, report)
            if log_failure is not None and error_log is not None:
                # The place the user chose cannot be written (a workbook open in Excel): the
                # rows to fix go to the default place instead, and the user is told where.
                log_path, default_failure = self._write_error_log(None, report)
                if default_failure is None:
                    log_warning = fill(translate(
                        "Workflow", "{reason}. The error log was written to {path} instead."),
                        reason=log_failure.rstrip("."), path=str(log_path))
                    log_failure = None
        run = self._run
        summary = ImportSummary.from_report(
            report, upload, error_log=log_path, seconds=self._clock() - self._started,
            dry_run=self.dry_run, run_id=run.run_id if run is not None else None,
            consent=checked.consent, orders=checked.plan.orders_grouped)
        summary = self._with_unknown_contacts(summary)
        if log_warning is not None:
            summary = replace(summary, warnings=(*summary.warnings, log_warning))
        if run is not None:
            run.finish(summary.status, summary.as_json(), summary.error_log)
            self._run = None
        self._upload = None  # finished: the next upload starts with start_run()
        log.info("Upload %s %s: accepted %d, rejected %d, skipped %d, duplicates %d, not sent "
                 "%d, retries %d", f"run #{summary.run_id}" if summary.run_id else "(dry run)",
                 summary.status, summary.accepted, summary.rejected, summary.skipped,
                 summary.duplicates, summary.not_sent, summary.retries)
        outcome = ImportOutcome(summary, report, upload)
        if log_failure is not None:
            raise ErrorLogNotWrittenError(log_failure, outcome)
        return outcome

    def _write_error_log(self, error_log: Path | None,
                         report: ImportReport) -> tuple[Path | None, str | None]:
        """Write the error log to ``error_log`` (None: :func:`default_error_log_path`); the
        path written, or the sentence saying why it could not be."""
        log_path: Path | None = None
        try:
            log_path = error_log if error_log is not None else default_error_log_path(
                self.table)
            write_error_log(log_path, self.table, report.messages_by_row,
                            nothing_to_fix=report.sent_once_by_row)
        except (OSError, ValueError) as error:
            return None, fill(translate(
                "Workflow", "Could not write the error log {path}: {reason}"),
                path=str(log_path) if log_path is not None else translate(
                    "Workflow", "in the data folder"), reason=str(error))
        return log_path, None

    def _with_unknown_contacts(self, summary: ImportSummary) -> ImportSummary:
        """The summary of an events import whose sample found events of unknown contacts
        (the risk was accepted): the estimate and the sentence it is never shown without."""
        preview = self._preview
        if preview is None or not self.unknown_contacts_matter:
            return summary
        unknown = preview.events_unknown_contact or 0
        estimate = preview.estimate(unknown).value
        if not unknown:
            return replace(summary, events_unknown_contact_estimate=0)
        if preview.sampled_all:
            warning = fill(translate(
                "Workflow", "{count} of these events belong to contacts that are not in the "
                "datasource: Instasent skips such events without an error; they count as "
                "accepted but are not stored."), count=estimate)
        else:
            warning = fill(translate(
                "Workflow", "About {count} of these events (from a sample of {sampled}) belong "
                "to contacts that are not in the datasource: Instasent skips such events "
                "without an error; they count as accepted but are not stored."),
                count=estimate, sampled=preview.rows_sampled)
        return replace(summary, events_unknown_contact_estimate=estimate,
                       warnings=(*summary.warnings, warning))

    # -- all of it -----------------------------------------------------------------------------
    def run(
        self,
        *,
        restart: bool = False,
        check_progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        on_progress: Callable[[UploadProgress], None] | None = None,
        control: UploadControl | None = None,
        confirm: Callable[[CheckResult], None] | None = None,
        on_run: Callable[[StartedRun], None] | None = None,
        error_log: Path | None = None,
        consent_confirmed: Collection[str] = (),
        allow_unknown_contacts: bool = False,
        read_progress: ProgressCallback | None = None,
        snapshot: bool | None = None,
    ) -> ImportOutcome:
        """Every step in order: check; for events without ``_user_data``, the sample of
        :meth:`find_unknown_contacts` (raises :class:`UnknownContactsError` when it finds
        events the service would drop, unless ``allow_unknown_contacts`` or a dry run);
        ``confirm`` (nothing written yet: raise to stop); the consent guard
        (``consent_confirmed``: the channels the user confirmed giving consent on); open the
        journal, resume the unfinished run unless ``restart``, ``on_run`` (the run exists,
        nothing sent yet), the snapshot, upload, finish.
        ``read_progress(done, total)`` counts the contact reads. ``snapshot`` (contact
        imports, before sending): None takes it when :meth:`snapshot_choice` says it is
        automatic, True always, False never."""
        self.confirm_consent(consent_confirmed)
        checked = self.check(progress=check_progress, cancel=cancel)
        found = self.find_unknown_contacts(progress=read_progress, cancel=cancel)
        if (found is not None and found.events_would_vanish and not allow_unknown_contacts
                and not self.dry_run):
            raise UnknownContactsError(found)
        if confirm is not None:
            confirm(checked)
        self.require_consent_confirmed()
        self.open_journal()
        previous = None if restart else self.find_resumable()
        started = self.start_run(resume_run_id=previous.run_id if previous else None)
        if started is not None and on_run is not None:
            on_run(started)
        choice = self.snapshot_choice() if started is not None else None
        if choice is not None and (snapshot or (snapshot is None and choice.automatic)):
            self.take_snapshot(progress=read_progress, cancel=cancel)
        self.upload(on_progress=on_progress, control=control)
        return self.finish(error_log=error_log)

    def close(self) -> None:
        """Close the journal. A run still started (never finished) is left resumable."""
        if self._run is not None:
            self._run.interrupt()
            self._run = None
        if self._journal is not None:
            self._journal.close()
            self._journal = None


# -- the journal's list of runs --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RunListing:
    """One run as ``ingest-gui runs`` shows it."""

    run_id: int
    started_at: float
    file_path: str
    kind: str
    status: str
    batches_acknowledged: int
    batches_total: int
    #: None while running, or when the run stopped without storing one.
    summary: ImportSummary | None
    undoable: bool = False

    @classmethod
    def from_info(cls, info: RunInfo, *, undone: bool = False) -> RunListing:
        """``undone``: an undo of this run completed."""
        return cls(
            run_id=info.run_id, started_at=info.started_at, file_path=info.file_path,
            kind=info.kind, status=info.status, batches_acknowledged=info.batches_acknowledged,
            batches_total=info.batches_total,
            summary=ImportSummary.from_json(info.summary, run_id=info.run_id,
                                            status=info.status),
            undoable=is_undoable(info, undone=undone),
        )

    @property
    def started(self) -> str:
        """The start, local time with its offset (ISO 8601, to the second)."""
        return datetime.fromtimestamp(self.started_at).astimezone().isoformat(
            timespec="seconds")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.run_id, "started": self.started, "file": self.file_path,
            "kind": self.kind, "status": self.status,
            "counts": self.summary.counts() if self.summary is not None else {},
            "undoable": self.undoable,
        }


def list_runs(*, journal_path: Path | None = None, limit: int = 100) -> list[RunListing]:
    """The most recent runs, newest first. Raises :class:`JournalUnavailableError`."""
    with _opened(journal_path) as journal:
        try:
            runs = journal.runs(limit)
            return [RunListing.from_info(info, undone=_undone(journal, info)) for info in runs]
        except JournalError as error:
            raise JournalUnavailableError(str(error)) from None


@dataclass(frozen=True, slots=True)
class ForgottenRun:
    """What :func:`forget_run` removed, and the files it left."""

    run: RunInfo
    #: Error logs the app wrote on its own (in :func:`ingest_gui.paths.error_logs_dir`), deleted.
    deleted_logs: tuple[Path, ...] = ()
    #: Error logs saved where the user chose: theirs, never deleted.
    kept_logs: tuple[Path, ...] = ()
    #: Automatic error logs that could not be deleted (open in Excel), with the sentence why.
    undeleted_logs: tuple[tuple[Path, str], ...] = ()


def forget_run(run_id: int, *, journal_path: Path | None = None) -> ForgottenRun:
    """"Forget this import": remove run ``run_id``'s journal rows and undo snapshot (and its
    undo runs'), and the error logs the app wrote for them on its own. An error log saved
    where the user chose is the user's file and stays. Raises :class:`WorkflowError`
    (:class:`JournalUnavailableError` when the journal cannot be used)."""
    with _opened(journal_path) as journal:
        try:
            undo_runs = journal.undo_runs(run_id)
            run = journal.forget_run(run_id)
            logs = [info.error_log_path for info in (run, *undo_runs)
                    if info.error_log_path and not journal.error_log_in_use(info.error_log_path)]
        except JournalError as error:
            raise WorkflowError(str(error), ExitCode.USAGE) from None
    automatic_folder = paths.error_logs_dir().resolve()
    deleted: list[Path] = []
    kept: list[Path] = []
    undeleted: list[tuple[Path, str]] = []
    for name in logs:  # (one another run still names is not this run's alone)
        log = Path(name)
        if log.resolve().parent != automatic_folder:
            kept.append(log)
            continue
        try:
            log.unlink()
        except FileNotFoundError:
            continue  # already gone (deleted by hand, or expired)
        except OSError as error:
            undeleted.append((log, describe_os_error(error, path=log, writing=True)))
            continue
        deleted.append(log)
    return ForgottenRun(run, tuple(deleted), tuple(kept), tuple(undeleted))


def is_undoable(info: RunInfo, *, undone: bool) -> bool:
    """A contact import that completed or stopped, with its snapshot, not yet undone."""
    return (info.kind == ImportKind.CONTACTS.value and info.has_snapshot and not undone
            and info.status in ("completed", "cancelled", "interrupted", "failed"))


def _undone(journal: Journal, info: RunInfo) -> bool:
    if not info.has_snapshot:
        return False
    return any(run.status == "completed" for run in journal.undo_runs(info.run_id))


@contextmanager
def _opened(journal_path: Path | None) -> Iterator[Journal]:
    journal = open_journal(journal_path)
    try:
        yield journal
    finally:
        journal.close()
