"""Taking back a contact import: the snapshot it kept, sent back through the upload engine.

Undoing run N deletes the contacts N created and posts back, for every contact that existed,
each attribute N wrote with its earlier value (an explicit ``null`` where the contact had
none). It runs like an import: paced and retried by :class:`~ingest_gui.core.upload.
UploadEngine`, journalled as its own run (kind ``undo``, linked to N), and resumable: undoing
N again continues the unfinished undo run instead of starting another.

What cannot be undone: events (the Ingest API cannot remove them), removals (the removed
contacts are gone), and contact imports that kept no snapshot.

No Qt here; :func:`undo_run` is what the command line and the wizard's Done page call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest_gui.api.client import IngestClient
from ingest_gui.core.contact_reads import ContactReader, ContactReadError
from ingest_gui.core.journal import Journal, JournalError, RunInfo
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import USER_ID, Batch
from ingest_gui.core.snapshot import Snapshot, undo_batches
from ingest_gui.core.upload import (
    RowStatus,
    UploadControl,
    UploadEngine,
    UploadProgress,
    UploadResult,
)
from ingest_gui.core.workflow import (
    ExitCode,
    ImportSummary,
    JournalUnavailableError,
    WorkflowError,
    open_journal,
)
from ingest_gui.texts import fill, translate

UNDO_KIND = "undo"


class UndoRefusedError(WorkflowError):
    """This run cannot be undone (or not now); ``str()`` says why. Nothing was sent."""


@dataclass(frozen=True, slots=True)
class UndoTarget:
    """A run that can be undone, and what undoing it sends."""

    run: RunInfo
    snapshot: Snapshot
    #: The unfinished undo run of it, to continue (None: a new undo run).
    unfinished: RunInfo | None

    @property
    def deletions(self) -> int:
        """Contacts the import created, which undo deletes."""
        return len(self.snapshot.created)

    @property
    def restorations(self) -> int:
        """Contacts that existed, whose written attributes undo posts back."""
        return len(self.snapshot.restored)

    @property
    def attributes(self) -> int:
        """Attribute values undo posts back (nulls included)."""
        return sum(len(contact.attributes) for contact in self.snapshot.restored)

    def sentence(self) -> str:
        """What undoing sends, counted (for the question asked before it)."""
        return fill(translate(
            "Undo", "Undoing import run #{run} ({file}) deletes the {created} contacts it "
            "created and restores {attributes} attribute values of the {restored} existing "
            "contacts it wrote to. Events cannot be removed through the Ingest API; this "
            "import sent none."), run=self.run.run_id, file=Path(self.run.file_path).name,
            created=self.deletions, attributes=self.attributes, restored=self.restorations)


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    """A finished (or stopped) undo: its summary, like an import's, and what it undid."""

    summary: ImportSummary
    target: UndoTarget
    upload: UploadResult


def events_sentence(info: RunInfo) -> str:
    """Why an events import cannot be undone, with how many events it sent."""
    sent = info.summary.get("accepted")
    count = sent if isinstance(sent, int) else 0
    return fill(translate(
        "Undo", "Import run #{run} sent {count} events. Events cannot be removed through the "
        "Ingest API, so this import cannot be undone."), run=info.run_id, count=count)


def find_undo_target(journal: Journal, run_id: int | None, *, datasource_key: str) -> UndoTarget:
    """The run to undo (``None``: the latest import), checked. Raises
    :class:`UndoRefusedError` with a sentence when it cannot be undone."""
    try:
        if run_id is None:
            imports = [info for info in journal.runs(1000) if info.kind != UNDO_KIND]
            if not imports:
                raise UndoRefusedError(translate(
                    "Undo", "The journal holds no import to undo."))
            info = imports[0]
        else:
            info = journal.run_info(run_id)
        undo_runs = journal.undo_runs(info.run_id)
        stored = journal.snapshot(info.run_id)
    except JournalError as error:
        raise UndoRefusedError(str(error)) from None
    run = info.run_id
    if info.kind == UNDO_KIND:
        raise UndoRefusedError(fill(translate(
            "Undo", "Run #{run} is itself an undo; it cannot be undone."), run=run))
    if info.kind == ImportKind.EVENTS.value:
        raise UndoRefusedError(events_sentence(info))
    if info.kind == ImportKind.DELETE.value:
        raise UndoRefusedError(fill(translate(
            "Undo", "Run #{run} removed contacts; removed contacts are gone and cannot be "
            "brought back."), run=run))
    if info.datasource_key != datasource_key:
        raise UndoRefusedError(fill(translate(
            "Undo", "Import run #{run} went to another datasource than the one connected; "
            "connect to that datasource to undo it."), run=run))
    if info.status == "running":
        raise UndoRefusedError(fill(translate(
            "Undo", "Import run #{run} is still running; stop it before undoing it."), run=run))
    done = next((undo for undo in undo_runs if undo.status == "completed"), None)
    if done is not None:
        raise UndoRefusedError(fill(translate(
            "Undo", "Import run #{run} was already undone (run #{undo})."),
            run=run, undo=done.run_id))
    if stored is None:
        raise UndoRefusedError(fill(translate(
            "Undo", "Import run #{run} kept no copy of the contacts before it, so it cannot be "
            "undone. A copy is kept automatically for imports of up to 5,000 contacts; ask for "
            "one for larger imports (--snapshot)."), run=run))
    try:
        snapshot = Snapshot.from_json(stored)
    except ValueError as error:
        raise UndoRefusedError(str(error)) from None
    unfinished = undo_runs[0] if undo_runs else None
    return UndoTarget(info, snapshot, unfinished)


def undo_run(
    run_id: int | None,
    client: IngestClient,
    *,
    journal_path: Path | None = None,
    confirm: Callable[[UndoTarget], None] | None = None,
    on_progress: Callable[[UploadProgress], None] | None = None,
    control: UploadControl | None = None,
    engine: UploadEngine | None = None,
    reader: ContactReader | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> UndoOutcome:
    """Undo import run ``run_id`` (``None``: the latest import) in the datasource ``client``
    writes to: find it (:class:`UndoRefusedError` when it cannot be undone), ``confirm``
    (raise to stop: nothing sent), then continue its unfinished undo run or start one, send,
    and store the summary. Pause and cancel through ``control``.

    A contact the undo should delete that is already gone (a resumed undo, or an import that
    stopped before creating it) counts as accepted: that is what the undo wanted.
    """
    started = clock()
    try:
        journal = open_journal(journal_path)
    except JournalUnavailableError as error:
        raise UndoRefusedError(str(error)) from None
    with journal:
        target = find_undo_target(journal, run_id, datasource_key=client.datasource_key)
        if confirm is not None:
            confirm(target)
        batches = undo_batches(target.snapshot)
        info = target.run
        try:
            if target.unfinished is not None:
                run = journal.resume_run(target.unfinished.run_id)
            else:
                run = journal.start_run(
                    kind=UNDO_KIND, file_path=info.file_path,
                    fingerprint=f"undo:{info.fingerprint}", datasource_key=info.datasource_key,
                    mapping={"undo": info.run_id}, batches_total=len(batches),
                    undoes=info.run_id)
        except JournalError as error:
            raise UndoRefusedError(str(error)) from None
        sender = engine if engine is not None else UploadEngine(client)
        try:
            result = sender.run(batches, on_progress=on_progress, control=control, journal=run)
        except BaseException:
            run.interrupt()
            raise
        result = _deletions_already_done(result, batches, reader or ContactReader(client))
        accepted, rejected = result.count(RowStatus.ACCEPTED), result.count(RowStatus.REJECTED)
        items = sum(len(batch.rows) for batch in batches)
        summary = ImportSummary(
            rows_read=items, valid=items, invalid=0, duplicates=0, sent=accepted + rejected,
            accepted=accepted, rejected=rejected, not_sent=result.count(RowStatus.NOT_SENT),
            skipped=0, events_inside_window=None, events_without_date=None,
            events_outside_window=None, error_log=None, retries=result.retries,
            seconds=round(clock() - started, 3), dry_run=False, status=result.run_status,
            run_id=run.run_id, stopped_because=result.fatal_error,
            auth_failed=result.auth_failed)
        try:
            run.finish(summary.status, summary.as_json())
        except JournalError as error:
            raise WorkflowError(str(error), ExitCode.USAGE) from None
    return UndoOutcome(summary, target, result)


def _deletions_already_done(result: UploadResult, batches: Sequence[Batch],
                            reader: ContactReader) -> UploadResult:
    """Rejected deletions whose contact is in fact gone become accepted (checked by reading
    them: a rejection for another reason stays one)."""
    rejected: dict[str, int] = {}
    for batch in batches:
        if batch.kind is not ImportKind.DELETE:
            continue
        for row, item in zip(batch.rows, batch.items, strict=True):
            if result.statuses.get(row) is RowStatus.REJECTED:
                rejected[str(item[USER_ID])] = row
    if not rejected or result.fatal_error is not None:
        return result
    try:
        records = reader.read(list(rejected))
    except ContactReadError:
        return result
    for user_id, row in rejected.items():
        if records.get(user_id) is None:
            result.statuses[row] = RowStatus.ACCEPTED
            result.messages.pop(row, None)
    return result
