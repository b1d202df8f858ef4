"""The resumable journal: a SQLite file (WAL) recording every run and every acknowledged batch.

One row per run (what was imported, where to, with which mapping, how it ended) and one row per
batch the service acknowledged, with its per-item results. A finished run stores its summary in
one shape, :meth:`ingest_gui.core.workflow.ImportSummary.as_json` (the import workflow is the
one writer); rows written by earlier versions hold other shapes and still list.

Running the same import again finds the unfinished run (:meth:`Journal.find_resumable`) and
:meth:`Journal.resume_run` hands the engine the batches it must not send again.

Crash safety comes from SQLite itself: WAL mode, and every write is one transaction, so a
process killed at any instant leaves either the whole batch record or none of it. The primary
key ``(run_id, batch_index)`` makes a second record of the same batch impossible.

A run whose status is still ``running`` but whose owning process is gone (killed, crashed,
laptop closed and the app quit) is reported, and stored on the next look, as ``interrupted``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest_gui import paths
from ingest_gui.api.results import ItemResult
from ingest_gui.texts import fill, translate

# The journal's file name in ``paths.data_dir()``.
JOURNAL_FILE = "journal.sqlite3"

#: Statuses a run can end with (``running`` while it is being sent).
RUN_STATUSES = frozenset({"running", "interrupted", "completed", "cancelled", "failed"})

# 1: runs and batches. 2: runs.undoes (an undo run's link to the run it takes back) and the
# snapshots table (what undo needs, read before a contact import sent anything).
_SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at      REAL    NOT NULL,
    finished_at     REAL,
    status          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    file_path       TEXT    NOT NULL,
    fingerprint     TEXT    NOT NULL,
    datasource_key  TEXT    NOT NULL,
    mapping_json    TEXT    NOT NULL,
    batches_total   INTEGER NOT NULL,
    summary_json    TEXT    NOT NULL DEFAULT '{}',
    error_log_path  TEXT,
    owner_pid       INTEGER,
    undoes          INTEGER REFERENCES runs (id)
);
CREATE INDEX IF NOT EXISTS runs_by_target ON runs (fingerprint, datasource_key, mapping_json);
CREATE TABLE IF NOT EXISTS batches (
    run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    batch_index     INTEGER NOT NULL,
    rows_json       TEXT    NOT NULL,
    results_json    TEXT    NOT NULL,
    acknowledged_at REAL    NOT NULL,
    PRIMARY KEY (run_id, batch_index)
);
CREATE TABLE IF NOT EXISTS snapshots (
    run_id          INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    snapshot_json   TEXT    NOT NULL,
    taken_at        REAL    NOT NULL
);
"""

# Schema changes of a journal written by an earlier version, by the version they lead to.
_MIGRATIONS = {
    2: ("ALTER TABLE runs ADD COLUMN undoes INTEGER REFERENCES runs (id)",),
}


class JournalError(Exception):
    """The journal cannot do what was asked; ``str()`` is a sentence a person can read."""


class BatchAlreadyRecordedError(JournalError):
    """A batch was recorded twice for the same run (a bug: the engine skips recorded ones)."""


def canonical_json(value: Mapping[str, Any]) -> str:
    """The one spelling of a mapping used to compare runs: sorted keys, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def _results_to_json(results: Sequence[ItemResult]) -> str:
    return json.dumps(
        [
            [item.position, item.accepted, {key: list(texts) for key, texts in item.errors.items()}]
            for item in results
        ],
        separators=(",", ":"), ensure_ascii=False,
    )


def _results_from_json(text: str) -> tuple[ItemResult, ...]:
    out: list[ItemResult] = []
    for position, accepted, errors in json.loads(text):
        out.append(ItemResult(
            position=int(position), accepted=bool(accepted),
            errors={str(key): tuple(str(t) for t in texts) for key, texts in errors.items()},
        ))
    return tuple(out)


def _summary_from_json(text: str | None) -> Mapping[str, Any]:
    """A stored summary; an empty one for a row whose summary is missing or unreadable (rows
    written by older versions must list, whatever they hold)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _process_alive(pid: int) -> bool:
    """Whether a process with this id exists (a reused id reads as alive: the safe side)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        process_query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return False
            return bool(code.value == still_active)
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: int
    started_at: float
    finished_at: float | None
    #: "running", "interrupted", "completed", "cancelled", "failed"
    status: str
    kind: str
    file_path: str
    fingerprint: str
    datasource_key: str
    mapping: Mapping[str, Any]
    batches_total: int
    batches_acknowledged: int
    summary: Mapping[str, Any]
    error_log_path: str | None
    #: An undo run: the run it takes back (None for imports).
    undoes: int | None = None
    #: A snapshot of the contacts before the run is stored (undo needs it).
    has_snapshot: bool = False


@dataclass(frozen=True, slots=True)
class AcknowledgedBatch:
    """What the journal holds for one acknowledged batch."""

    rows: tuple[int, ...]
    results: tuple[ItemResult, ...]


class JournalRun:
    """One run's handle; thread-safe, used by the engine's worker threads."""

    run_id: int

    def __init__(self, journal: Journal, run_id: int) -> None:
        self._journal = journal
        self.run_id = run_id

    def __repr__(self) -> str:
        return f"JournalRun(run_id={self.run_id})"

    def acknowledged(self) -> dict[int, tuple[ItemResult, ...]]:
        """batch index -> per-item results, for batches already acknowledged."""
        return {index: batch.results for index, batch in self.acknowledged_batches().items()}

    def acknowledged_batches(self) -> dict[int, AcknowledgedBatch]:
        """batch index -> rows and per-item results, for batches already acknowledged."""
        rows = self._journal._query(
            "SELECT batch_index, rows_json, results_json FROM batches WHERE run_id = ? "
            "ORDER BY batch_index", (self.run_id,),
        )
        return {
            int(index): AcknowledgedBatch(
                rows=tuple(int(row) for row in json.loads(rows_json)),
                results=_results_from_json(results_json),
            )
            for index, rows_json, results_json in rows
        }

    def record_batch(self, batch_index: int, rows: Sequence[int],
                     results: Sequence[ItemResult]) -> None:
        """Atomically record one acknowledged batch (raises if recorded twice)."""
        rows_json = json.dumps([int(row) for row in rows], separators=(",", ":"))
        results_json = _results_to_json(results)
        try:
            self._journal._execute(
                "INSERT INTO batches (run_id, batch_index, rows_json, results_json, "
                "acknowledged_at) VALUES (?, ?, ?, ?, ?)",
                (self.run_id, batch_index, rows_json, results_json, time.time()),
            )
        except sqlite3.IntegrityError:
            raise BatchAlreadyRecordedError(
                fill(translate("Journal",
                    "Batch {batch} of import run #{run} is already recorded in the journal; it "
                    "was not recorded a second time."), batch=batch_index + 1, run=str(self.run_id))
            ) from None

    def finish(self, status: str, summary: Mapping[str, Any],
               error_log_path: str | None = None) -> None:
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        self._journal._execute(
            "UPDATE runs SET status = ?, finished_at = ?, summary_json = ?, error_log_path = ?, "
            "owner_pid = NULL WHERE id = ?",
            (status, time.time(), canonical_json(summary), error_log_path, self.run_id),
        )

    def interrupt(self) -> None:
        """The run stopped without a summary (the engine failed, or it was never sent):
        ``interrupted``, resumable."""
        self._journal._execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ?, owner_pid = NULL "
            "WHERE id = ? AND status = 'running'", (time.time(), self.run_id),
        )

    def info(self) -> RunInfo:
        return self._journal.run_info(self.run_id)


class Journal:
    """The journal file. Thread-safe: one connection, every statement under one lock.

    Several processes (the wizard and a scripted import) may share the file; SQLite's locking
    and a busy timeout keep them from corrupting it.
    """

    def __init__(self, path: Path | None = None) -> None:
        """Default path: ``paths.data_dir() / "journal.sqlite3"``."""
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        if path is None:
            try:
                path = paths.data_dir() / JOURNAL_FILE
            except OSError as error:  # the data folder cannot be made (read-only, no permission)
                folder = f"{error.filename} " if error.filename else ""
                raise JournalError(
                    fill(translate("Journal",
                        "Cannot open the import journal: the app's data folder {folder} cannot "
                        "be created ({reason})."), folder=str(folder),
                        reason=str(error.strerror or error))
                ) from None
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # It holds customers' personal data: private before sqlite creates it with 0644
            # (its -wal and -shm files take the database file's permissions).
            paths.create_private_file(self.path)
            # Autocommit mode: every write below is its own explicit transaction.
            self._connection = sqlite3.connect(
                str(self.path), timeout=10.0, isolation_level=None, check_same_thread=False,
            )
            connection = self._connection
            connection.execute("PRAGMA busy_timeout = 10000")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(
                    fill(translate("Journal",
                        "The import journal {path} cannot use write-ahead logging (SQLite chose "
                        "'{mode}'); put the app's data folder on a local disk."),
                        path=str(self.path), mode=str(mode))
                )
            # WAL + NORMAL survives any process crash; only a power cut can lose the last
            # acknowledgements, which then just means those batches are sent again.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version == 0:
                    connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
                elif version < _SCHEMA_VERSION:
                    for step in range(version + 1, _SCHEMA_VERSION + 1):
                        for statement in _MIGRATIONS.get(step, ()):
                            connection.execute(statement)
                    connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
                elif version > _SCHEMA_VERSION:
                    raise JournalError(
                        fill(translate("Journal",
                            "The import journal {path} was written by a newer version of this "
                            "app; update the app or move that file away."), path=str(self.path))
                    )
        except sqlite3.DatabaseError as error:
            self.close()
            raise JournalError(
                fill(translate("Journal", "Cannot open the import journal {path}: {reason}."),
                     path=str(self.path), reason=str(error))
            ) from None
        except OSError as error:  # its folder cannot be made (read-only, no permission)
            self.close()
            raise JournalError(
                fill(translate("Journal", "Cannot open the import journal {path}: {reason}."),
                     path=str(self.path), reason=str(error.strerror or error))
            ) from None

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # -- low level ---------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise JournalError(fill(translate("Journal", "The import journal {path} is closed."),
                                    path=str(self.path)))
        return self._connection

    class _Transaction:
        def __init__(self, connection: sqlite3.Connection) -> None:
            self._connection = connection

        def __enter__(self) -> sqlite3.Connection:
            # IMMEDIATE takes the write lock up front, so two processes never deadlock on
            # upgrading a read lock.
            self._connection.execute("BEGIN IMMEDIATE")
            return self._connection

        def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
            if exc_type is None:
                self._connection.execute("COMMIT")
            else:
                self._connection.execute("ROLLBACK")

    def _transaction(self) -> Journal._Transaction:
        return Journal._Transaction(self._conn())

    def _execute(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        """One write in its own transaction; returns the last row id."""
        with self._lock, self._transaction() as connection:
            cursor = connection.execute(sql, parameters)
            return int(cursor.lastrowid or 0)

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._conn().execute(sql, parameters).fetchall())

    def _mark_dead_runs_interrupted(self) -> None:
        """Runs left ``running`` by a process that no longer exists become ``interrupted``."""
        running = self._query("SELECT id, owner_pid FROM runs WHERE status = 'running'")
        dead = [run_id for run_id, pid in running if pid is None or not _process_alive(int(pid))]
        for run_id in dead:
            self._execute(
                "UPDATE runs SET status = 'interrupted', owner_pid = NULL "
                "WHERE id = ? AND status = 'running'", (run_id,),
            )

    _RUN_COLUMNS = (
        "r.id, r.started_at, r.finished_at, r.status, r.kind, r.file_path, r.fingerprint, "
        "r.datasource_key, r.mapping_json, r.batches_total, r.summary_json, r.error_log_path, "
        "(SELECT COUNT(*) FROM batches b WHERE b.run_id = r.id), r.undoes, "
        "EXISTS (SELECT 1 FROM snapshots s WHERE s.run_id = r.id)"
    )

    @staticmethod
    def _info_from_row(row: Sequence[Any]) -> RunInfo:
        return RunInfo(
            run_id=int(row[0]), started_at=float(row[1]),
            finished_at=None if row[2] is None else float(row[2]), status=str(row[3]),
            kind=str(row[4]), file_path=str(row[5]), fingerprint=str(row[6]),
            datasource_key=str(row[7]), mapping=json.loads(row[8]), batches_total=int(row[9]),
            summary=_summary_from_json(row[10]), error_log_path=row[11],
            batches_acknowledged=int(row[12]),
            undoes=None if row[13] is None else int(row[13]), has_snapshot=bool(row[14]),
        )

    # -- public ------------------------------------------------------------------------------
    def start_run(self, *, kind: str, file_path: str, fingerprint: str, datasource_key: str,
                  mapping: Mapping[str, Any], batches_total: int,
                  undoes: int | None = None) -> JournalRun:
        """A new run, ``running`` and owned by this process. ``undoes``: the run an undo run
        takes back."""
        run_id = self._execute(
            "INSERT INTO runs (started_at, status, kind, file_path, fingerprint, datasource_key, "
            "mapping_json, batches_total, owner_pid, undoes) "
            "VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), kind, file_path, fingerprint, datasource_key, canonical_json(mapping),
             batches_total, os.getpid(), undoes),
        )
        return JournalRun(self, run_id)

    def save_snapshot(self, run_id: int, snapshot: Mapping[str, Any]) -> None:
        """Keep ``snapshot`` (JSON-ready) with run ``run_id``; a second one replaces it."""
        self._execute(
            "INSERT OR REPLACE INTO snapshots (run_id, snapshot_json, taken_at) VALUES (?, ?, ?)",
            (run_id, json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False),
             time.time()),
        )

    def snapshot(self, run_id: int) -> Any:
        """The snapshot stored with run ``run_id`` as JSON data (None when there is none)."""
        rows = self._query("SELECT snapshot_json FROM snapshots WHERE run_id = ?", (run_id,))
        if not rows:
            return None
        try:
            return json.loads(rows[0][0])
        except ValueError:
            return {}  # damaged: the snapshot's reader says so in a sentence

    def undo_runs(self, run_id: int) -> list[RunInfo]:
        """The undo runs of run ``run_id``, newest first."""
        self._mark_dead_runs_interrupted()
        rows = self._query(
            f"SELECT {self._RUN_COLUMNS} FROM runs r WHERE r.undoes = ? ORDER BY r.id DESC",
            (run_id,))
        return [self._info_from_row(row) for row in rows]

    def find_resumable(self, *, fingerprint: str, datasource_key: str,
                       mapping: Mapping[str, Any]) -> RunInfo | None:
        """The latest unfinished run of this file, mapping and datasource, if any.

        Only the latest run of that combination counts: once it completed, older unfinished
        ones are history, not something to resume.
        """
        self._mark_dead_runs_interrupted()
        rows = self._query(
            f"SELECT {self._RUN_COLUMNS} FROM runs r WHERE r.fingerprint = ? AND "
            "r.datasource_key = ? AND r.mapping_json = ? ORDER BY r.id DESC LIMIT 1",
            (fingerprint, datasource_key, canonical_json(mapping)),
        )
        if not rows:
            return None
        info = self._info_from_row(rows[0])
        return None if info.status == "completed" else info

    def resume_run(self, run_id: int) -> JournalRun:
        """Take over an unfinished run: it becomes ``running`` again, owned by this process."""
        self._mark_dead_runs_interrupted()
        with self._lock, self._transaction() as connection:
            row = connection.execute(
                "SELECT status, owner_pid FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            if row is None:
                raise JournalError(fill(translate(
                    "Journal", "There is no import run #{run} in the journal."), run=str(run_id)))
            status, owner = row
            if status == "completed":
                raise JournalError(fill(translate(
                    "Journal", "Import run #{run} already completed; nothing to resume."),
                    run=str(run_id)))
            if status == "running" and owner is not None and int(owner) != os.getpid():
                raise JournalError(
                    fill(translate("Journal",
                        "Import run #{run} is still running in another process (id {process}); "
                        "wait for it to finish or stop it first."),
                        run=str(run_id), process=str(owner))
                )
            connection.execute(
                "UPDATE runs SET status = 'running', finished_at = NULL, owner_pid = ? "
                "WHERE id = ?", (os.getpid(), run_id),
            )
        return JournalRun(self, run_id)

    def run_info(self, run_id: int) -> RunInfo:
        """One run (a ``running`` run whose process is gone reads as ``interrupted``)."""
        self._mark_dead_runs_interrupted()
        rows = self._query(f"SELECT {self._RUN_COLUMNS} FROM runs r WHERE r.id = ?", (run_id,))
        if not rows:
            raise JournalError(fill(translate(
                    "Journal", "There is no import run #{run} in the journal."), run=str(run_id)))
        return self._info_from_row(rows[0])

    def runs(self, limit: int = 100) -> list[RunInfo]:
        """The most recent runs, newest first, whatever their status (completed ones carry
        their summary and error log path)."""
        self._mark_dead_runs_interrupted()
        rows = self._query(
            f"SELECT {self._RUN_COLUMNS} FROM runs r ORDER BY r.id DESC LIMIT ?", (limit,)
        )
        return [self._info_from_row(row) for row in rows]

    def forget_run(self, run_id: int) -> RunInfo:
        """Remove run ``run_id`` from the journal: its row, its batches and its snapshot, and
        the undo runs that took it back (they are about the same import). Returns the run as
        it was, so the caller can remove its automatic error log. A run still sending in a
        live process cannot be forgotten."""
        info = self.run_info(run_id)
        if info.status == "running":
            raise JournalError(fill(translate(
                "Journal", "Import run #{run} is still running; wait for it to finish or stop "
                "it first."), run=str(run_id)))
        with self._lock, self._transaction() as connection:
            # Batches and snapshots go with their runs (ON DELETE CASCADE).
            connection.execute("DELETE FROM runs WHERE undoes = ?", (run_id,))
            connection.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        return info

    def error_log_in_use(self, path: str) -> bool:
        """Whether a run in the journal names ``path`` as its error log."""
        return bool(self._query("SELECT 1 FROM runs WHERE error_log_path = ? LIMIT 1", (path,)))

    def delete_expired_snapshots(self, max_age_days: int, *,
                                 now: float | None = None) -> int:
        """Delete the undo snapshots taken more than ``max_age_days`` ago (they hold the
        contacts' earlier records); the runs stay, no longer undoable. ``max_age_days`` of 0
        or less keeps everything. Returns how many were deleted."""
        if max_age_days <= 0:
            return 0
        limit = (time.time() if now is None else now) - max_age_days * 86_400
        with self._lock, self._transaction() as connection:
            cursor = connection.execute("DELETE FROM snapshots WHERE taken_at < ?", (limit,))
            return int(cursor.rowcount)

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file: ``"ok"`` when sound."""
        rows = self._query("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)
