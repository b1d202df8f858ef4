"""The journal: runs and acknowledged batches in SQLite (WAL), resumable after any crash."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from ingest_gui.api.results import ItemResult
from ingest_gui.core.journal import (
    BatchAlreadyRecordedError,
    Journal,
    JournalError,
    canonical_json,
)

MAPPING = {"kind": "contacts", "assignments": {"Email": "_email", "Id": "_user_id"}}


def start(journal: Journal, **overrides):
    values = dict(kind="contacts", file_path="/data/customers.xlsx", fingerprint="sha256:abc",
                  datasource_key="https://api.example|p1|d1", mapping=MAPPING, batches_total=5)
    values.update(overrides)
    return journal.start_run(**values)


def test_the_default_file_lives_in_the_data_dir_in_wal_mode(app_home: Path) -> None:
    with Journal() as journal:
        assert journal.path == app_home / "data" / "journal.sqlite3"
        start(journal)
    connection = sqlite3.connect(app_home / "data" / "journal.sqlite3")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()


def test_batches_round_trip_with_their_item_results(tmp_path: Path) -> None:
    results = [ItemResult(0, True),
               ItemResult(1, False, {"_email": ("is not valid", "is too long"), "": ("nope",)}),
               ItemResult(2, True)]
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = start(journal)
        run.record_batch(3, [10, 11, 12], results)
        run.record_batch(0, [2, 3, 4], [ItemResult(i, True) for i in range(3)])
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = journal.resume_run(run.run_id)
        assert run.acknowledged()[3] == tuple(results)
        assert sorted(run.acknowledged()) == [0, 3]
        assert run.acknowledged_batches()[3].rows == (10, 11, 12)
        assert run.acknowledged()[3][1].messages() == ["_email: is not valid",
                                                       "_email: is too long", "nope"]


def test_a_batch_cannot_be_recorded_twice(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = start(journal)
        run.record_batch(1, [5], [ItemResult(0, True)])
        with pytest.raises(BatchAlreadyRecordedError, match="Batch 2 of import run"):
            run.record_batch(1, [5], [ItemResult(0, False, {"": ("changed",)})])
        assert run.acknowledged()[1] == (ItemResult(0, True),)
        # The same index in another run is a different batch.
        start(journal).record_batch(1, [5], [ItemResult(0, True)])


def test_find_resumable_matches_file_datasource_and_mapping(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = start(journal)
        run.record_batch(0, [2], [ItemResult(0, True)])
        run.finish("cancelled", {"accepted": 1})
        reordered = {"assignments": {"Id": "_user_id", "Email": "_email"}, "kind": "contacts"}
        found = journal.find_resumable(fingerprint="sha256:abc",
                                       datasource_key="https://api.example|p1|d1",
                                       mapping=reordered)
        assert found is not None
        assert (found.run_id, found.status, found.batches_acknowledged) == (run.run_id,
                                                                           "cancelled", 1)
        assert found.mapping == MAPPING
        assert found.summary == {"accepted": 1}
        assert found.file_path == "/data/customers.xlsx"
        assert found.batches_total == 5
        for other in ({"fingerprint": "sha256:other"}, {"datasource_key": "x|p|d"},
                      {"mapping": {**MAPPING, "kind": "events"}}):
            arguments = {"fingerprint": "sha256:abc",
                         "datasource_key": "https://api.example|p1|d1", "mapping": MAPPING}
            arguments.update(other)
            assert journal.find_resumable(**arguments) is None


@pytest.mark.parametrize("status", ["cancelled", "failed", "interrupted"])
def test_unfinished_runs_are_resumable_and_completed_ones_are_not(tmp_path: Path,
                                                                  status: str) -> None:
    keys = dict(fingerprint="sha256:abc", datasource_key="https://api.example|p1|d1",
                mapping=MAPPING)
    with Journal(tmp_path / "j.sqlite3") as journal:
        start(journal).finish(status, {})
        assert journal.find_resumable(**keys) is not None
        later = start(journal)
        later.finish("completed", {"accepted": 5}, "/logs/errors.csv")
        # Only the latest run of the same import counts.
        assert journal.find_resumable(**keys) is None
        with pytest.raises(JournalError, match="already completed"):
            journal.resume_run(later.run_id)


def test_a_running_run_whose_process_died_is_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    script = textwrap.dedent(f"""
        from ingest_gui.api.results import ItemResult
        from ingest_gui.core.journal import Journal
        journal = Journal({str(path)!r})
        run = journal.start_run(kind="events", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={{}}, batches_total=3)
        run.record_batch(0, [2], [ItemResult(0, True)])
        journal.close()
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    with Journal(path) as journal:
        found = journal.find_resumable(fingerprint="fp", datasource_key="ds", mapping={})
        assert found is not None
        assert found.status == "interrupted"
        assert found.batches_acknowledged == 1
        run = journal.resume_run(found.run_id)
        assert journal.run_info(run.run_id).status == "running"
        assert sorted(run.acknowledged()) == [0]


def test_a_run_still_owned_by_a_live_process_is_not_taken_over(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = start(journal)
        # Pretend another live process (our parent) owns it.
        journal._execute("UPDATE runs SET owner_pid = ? WHERE id = ?", (os.getppid(), run.run_id))
        info = journal.run_info(run.run_id)
        assert info.status == "running"
        assert journal.runs()[0].status == "running"
        with pytest.raises(JournalError, match="still running in another process"):
            journal.resume_run(run.run_id)


def test_runs_lists_newest_first_with_summaries_and_error_logs(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        first = start(journal)
        first.finish("completed", {"accepted": 5, "rejected": 0})
        second = start(journal, kind="events", batches_total=2)
        second.record_batch(0, [2, 3], [ItemResult(0, True), ItemResult(1, False)])
        second.finish("completed", {"accepted": 1, "rejected": 1}, "/logs/errors.xlsx")
        runs = journal.runs()
        assert [run.run_id for run in runs] == [second.run_id, first.run_id]
        assert runs[0].summary == {"accepted": 1, "rejected": 1}
        assert runs[0].error_log_path == "/logs/errors.xlsx"
        assert runs[0].finished_at is not None
        assert runs[0].finished_at >= runs[0].started_at
        assert runs[0].batches_acknowledged == 1
        assert runs[1].error_log_path is None
        assert len(journal.runs(limit=1)) == 1
        with pytest.raises(ValueError, match="unknown run status"):
            first.finish("done", {})


def test_worker_threads_record_concurrently(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = start(journal, batches_total=400)
        errors: list[BaseException] = []

        def worker(offset: int) -> None:
            try:
                for index in range(offset, 400, 8):
                    run.record_batch(index, [index], [ItemResult(0, True)])
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not errors
        assert sorted(run.acknowledged()) == list(range(400))
        assert journal.integrity_check() == "ok"


def test_a_closed_or_unreadable_journal_says_so(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    run = start(journal)
    journal.close()
    with pytest.raises(JournalError, match="is closed"):
        run.record_batch(0, [1], [ItemResult(0, True)])
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(JournalError, match="Cannot open the import journal"):
        Journal(garbage)


def test_canonical_json_ignores_key_order() -> None:
    assert canonical_json({"b": 1, "a": {"d": 2, "c": 3}}) == '{"a":{"c":3,"d":2},"b":1}'


_WRITER = textwrap.dedent("""
    import random, sys
    from ingest_gui.api.results import ItemResult
    from ingest_gui.core.journal import Journal

    path, seed, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    journal = Journal(path)
    found = journal.find_resumable(fingerprint="fp", datasource_key="ds", mapping={"m": 1})
    if found is None:
        run = journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                                datasource_key="ds", mapping={"m": 1}, batches_total=total)
    else:
        run = journal.resume_run(found.run_id)
    done = set(run.acknowledged())
    todo = [index for index in range(total) if index not in done]
    rng.shuffle(todo)   # the engine's batches finish in any order
    for index in todo:
        results = [ItemResult(i, rng.random() > 0.1, {} if rng.random() > 0.1 else
                              {"_email": ("x" * rng.randint(1, 3000),)}) for i in range(100)]
        run.record_batch(index, list(range(index * 100, index * 100 + 100)), results)
        print(index, flush=True)
    run.finish("completed", {"batches": total})
    print("done", flush=True)
""")


@pytest.mark.slow
def test_sigkill_mid_write_never_corrupts_and_never_records_a_batch_twice(
        tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    total = 300
    rng = random.Random(20240611)
    acknowledged_before_kill: set[int] = set()
    kills = 0
    for _ in range(12):                       # bounded: a few kills, then a clean finish
        process = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(rng.randrange(1 << 30)), str(total)],
            stdout=subprocess.PIPE, text=True,
        )
        assert process.stdout is not None
        lines_before_kill = rng.randint(1, 40)
        finished = False
        for count, line in enumerate(process.stdout, start=1):
            if line.strip() == "done":
                finished = True
                break
            acknowledged_before_kill.add(int(line))
            if count >= lines_before_kill and kills < 6:
                process.kill()                # SIGKILL: no cleanup, maybe mid-transaction
                kills += 1
                break
        process.stdout.close()
        process.wait(timeout=60)
        with Journal(path) as journal:
            assert journal.integrity_check() == "ok"
            info = journal.runs()[0]
            run = journal.resume_run(info.run_id) if info.status != "completed" else None
            if run is not None:
                recorded = set(run.acknowledged())
                # Everything the writer reported committed survived the kill.
                assert acknowledged_before_kill <= recorded
                run.finish("interrupted", {})
        if finished:
            break
    assert kills == 6
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT batch_index, COUNT(*) FROM batches GROUP BY run_id, batch_index"
        ).fetchall()
        runs = connection.execute("SELECT COUNT(*), MIN(status) FROM runs").fetchone()
    finally:
        connection.close()
    assert runs == (1, "completed")
    assert sorted(index for index, _ in rows) == list(range(total))
    assert {count for _, count in rows} == {1}


# -- schema 2: snapshots and undo runs -----------------------------------------------------------

VERSION_1_SCHEMA = """
    CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at REAL NOT NULL,
        finished_at REAL, status TEXT NOT NULL, kind TEXT NOT NULL, file_path TEXT NOT NULL,
        fingerprint TEXT NOT NULL, datasource_key TEXT NOT NULL, mapping_json TEXT NOT NULL,
        batches_total INTEGER NOT NULL, summary_json TEXT NOT NULL DEFAULT '{}',
        error_log_path TEXT, owner_pid INTEGER);
    CREATE INDEX runs_by_target ON runs (fingerprint, datasource_key, mapping_json);
    CREATE TABLE batches (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        batch_index INTEGER NOT NULL, rows_json TEXT NOT NULL, results_json TEXT NOT NULL,
        acknowledged_at REAL NOT NULL, PRIMARY KEY (run_id, batch_index));
    INSERT INTO runs (started_at, finished_at, status, kind, file_path, fingerprint,
        datasource_key, mapping_json, batches_total, summary_json)
        VALUES (1.0, 2.0, 'completed', 'contacts', '/x.csv', 'f', 'k', '{}', 1,
                '{"accepted": 3}');
    PRAGMA user_version = 1;
"""


def test_a_version_1_journal_is_migrated_and_its_runs_still_list(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    connection.executescript(VERSION_1_SCHEMA)
    connection.close()
    with Journal(path) as journal:
        (run,) = journal.runs()
        assert (run.status, run.summary, run.undoes, run.has_snapshot) == (
            "completed", {"accepted": 3}, None, False)
        journal.save_snapshot(run.run_id, {"format": 1, "created": [], "restored": []})
        assert journal.run_info(run.run_id).has_snapshot
        undo = start(journal, kind="undo", undoes=run.run_id)
        assert journal.run_info(undo.run_id).undoes == run.run_id
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    finally:
        connection.close()
    with Journal(path) as reopened:  # opening a migrated journal again changes nothing
        assert [run.kind for run in reopened.runs()] == ["undo", "contacts"]


def test_a_snapshot_is_kept_with_its_run_and_undo_runs_link_back(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite3") as journal:
        imported = start(journal)
        other = start(journal)
        assert journal.snapshot(imported.run_id) is None
        snapshot = {"format": 1, "created": [{"user_id": "ñ1", "row": 2}], "restored": []}
        journal.save_snapshot(imported.run_id, snapshot)
        assert journal.snapshot(imported.run_id) == snapshot
        assert journal.snapshot(other.run_id) is None
        assert [info.has_snapshot for info in journal.runs()] == [False, True]
        first = start(journal, kind="undo", undoes=imported.run_id)
        first.finish("cancelled", {})
        second = start(journal, kind="undo", undoes=imported.run_id)
        assert [info.run_id for info in journal.undo_runs(imported.run_id)] == [
            second.run_id, first.run_id]
        assert journal.undo_runs(other.run_id) == []


def test_run_info_reads_a_run_whose_process_died_as_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    script = textwrap.dedent(f"""
        from ingest_gui.core.journal import Journal
        journal = Journal({str(path)!r})
        journal.start_run(kind="contacts", file_path="f.csv", fingerprint="fp",
                          datasource_key="ds", mapping={{}}, batches_total=1)
        journal.close()
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    with Journal(path) as journal:
        assert journal.run_info(1).status == "interrupted"  # undo may take such a run back
