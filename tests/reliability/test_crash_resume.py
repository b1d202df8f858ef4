"""Issue 8, crashes: ``ingest-gui import`` killed with SIGKILL at seeded random points and run
again, several times over one file; then the final state is exact, no batch was acknowledged
twice and the journal is sound.

The kill points vary on purpose: a random moment after start (often before the first batch,
sometimes while the file is still being read), right after the journal acknowledged a batch,
and right after the sandbox applied a batch whose answer the command has not recorded yet (the
answer is lost with the process, so resuming sends that batch again). With calls taking 80-160
ms and four in flight, most kills also leave requests on the wire.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingest_gui import cli, paths
from ingest_gui.api.client import IngestClient
from ingest_gui.core.journal import Journal
from ingest_gui.core.loading import load_table
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    EVENT_HEADERS,
    EVENT_MAP,
    assert_contacts_exact,
    assert_events_exactly_once,
    contact_rows,
    event_rows,
    is_valid_contact,
    is_valid_event,
    journal_reader,
    run_cli,
    summary_of,
    wait_for,
    write_csv,
)
from tests.reliability.conftest import CRASH_POINTS

ROOT = Path(__file__).resolve().parents[2]
KILLS = 5
#: Every kill happens while at least this many batches are still unacknowledged.
LAST_BATCHES_LEFT = 8
#: The command must start, read the file and fetch the specs in this long (a loaded CI box).
STARTUP_TIMEOUT = 60.0


def journal_path() -> Path:
    return paths.data_dir() / "journal.sqlite3"


def acknowledged_rows() -> set[int]:
    """Spreadsheet rows in batches the journal acknowledged (any run)."""
    if not journal_path().exists():
        return set()
    with journal_reader(journal_path()) as journal:
        try:
            found = journal.execute("SELECT rows_json FROM batches").fetchall()
        except Exception:  # schema not created yet by the command
            return set()
    return {row for (rows_json,) in found for row in json.loads(rows_json)}


@dataclass
class CrashRun:
    """One file imported by a command that keeps getting killed."""

    path: Path
    kind: str
    mapping: list[str]
    sandbox: SandboxServer
    #: row number in the sheet -> the key the sandbox stores it under (user id or order id)
    key_of_row: dict[int, str]
    applied_keys: Callable[[], set[str]]
    valid_rows: int
    kill_points: Counter[str] = field(default_factory=Counter)

    def spawn(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "ingest_gui", "import", str(self.path), "--kind", self.kind,
             "--sandbox", self.sandbox.base_url, *self.mapping, "--json"],
            cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )

    def acknowledged_keys(self) -> set[str]:
        return {self.key_of_row[row] for row in acknowledged_rows()}

    def applied_unacknowledged(self) -> bool:
        return bool(self.applied_keys() - self.acknowledged_keys())

    def kill_once(self, rng: random.Random) -> None:
        """Run the command and SIGKILL it at a random point, always before it could finish:
        whatever the trigger, it fires once all but the last few batches are acknowledged."""
        trigger = rng.choice(["moment", "acknowledged", "applied-unacknowledged"])
        acknowledged_before = len(acknowledged_rows())
        last_chance = self.valid_rows - LAST_BATCHES_LEFT * 100
        process = self.spawn()
        started = time.monotonic()
        try:
            def nearly_done() -> bool:
                assert process.poll() is None, "the command ended before it was killed"
                return len(acknowledged_rows()) >= last_chance

            if trigger == "moment":
                # A random moment after start: the kill point itself.
                delay = rng.uniform(0.2, 3.0)
                wait_for(lambda: nearly_done() or time.monotonic() - started >= delay,
                         STARTUP_TIMEOUT, "the moment to kill")
            elif trigger == "acknowledged":
                target = acknowledged_before + 100 * rng.randint(1, 6)
                wait_for(lambda: nearly_done() or len(acknowledged_rows()) >= target,
                         STARTUP_TIMEOUT, "batches to be acknowledged")
            else:
                wait_for(lambda: nearly_done() or (
                    len(acknowledged_rows()) > acknowledged_before
                    and self.applied_unacknowledged()
                ), STARTUP_TIMEOUT, "a batch applied but not yet acknowledged")
            point = self.classify(acknowledged_before)
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            _out, err = process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL, err
        self.kill_points[point] += 1
        CRASH_POINTS[f"{self.kind}: {point}"] += 1
        self.check_journal_after_kill()

    def classify(self, acknowledged_before: int) -> str:
        """Where the command is, seen from outside just before the kill (approximate: it
        keeps working while we look)."""
        if self.applied_unacknowledged():
            return "a batch applied by the service, its answer not yet recorded"
        if len(acknowledged_rows()) == acknowledged_before:
            return "nothing acknowledged yet in this attempt (starting, reading, first calls)"
        return "just after an answer was recorded, others on the wire"

    def check_journal_after_kill(self) -> None:
        with Journal() as journal:
            assert journal.integrity_check() == "ok"
        with journal_reader(journal_path()) as journal:
            twice = journal.execute(
                "SELECT run_id, batch_index FROM batches GROUP BY run_id, batch_index "
                "HAVING COUNT(*) > 1"
            ).fetchall()
        assert twice == []

    def resume_to_the_end(self, capsys: pytest.CaptureFixture[str], valid_rows: set[int]
                          ) -> dict[str, object]:
        code, out, err = run_cli(capsys, "import", str(self.path), "--kind", self.kind,
                                 "--sandbox", self.sandbox.base_url, *self.mapping, "--json",
                                 "--resume")
        assert code == cli.EXIT_ROWS_FAILED, err  # the file has invalid rows; nothing else
        assert "Resuming" in err
        summary = summary_of(out)
        assert summary["status"] == "completed"
        assert summary["not_sent"] == summary["rejected"] == 0
        self.check_final_journal(valid_rows)
        return summary

    def check_final_journal(self, valid_rows: set[int]) -> None:
        fingerprint = load_table(self.path).fingerprint
        with Journal() as journal:
            assert journal.integrity_check() == "ok"
            runs = [run for run in journal.runs() if run.fingerprint == fingerprint]
        # Every kill was resumed: one run for the file, never a fresh start that resent all.
        assert len(runs) == 1
        run = runs[0]
        assert run.status == "completed"
        assert run.batches_acknowledged == run.batches_total
        with journal_reader(journal_path()) as journal:
            batches = journal.execute(
                "SELECT batch_index, rows_json, results_json FROM batches WHERE run_id = ?",
                (run.run_id,),
            ).fetchall()
        indexes = [index for index, _rows, _results in batches]
        assert sorted(indexes) == list(range(run.batches_total))
        rows = [row for _index, rows_json, _results in batches for row in json.loads(rows_json)]
        assert len(rows) == len(set(rows)), "a row was acknowledged in two batches"
        assert set(rows) == valid_rows
        for _index, _rows, results_json in batches:
            assert all(accepted for _position, accepted, _errors in json.loads(results_json))


def kill_repeatedly(crash: CrashRun, seed: int) -> None:
    rng = random.Random(seed)
    for _kill in range(KILLS):
        crash.kill_once(rng)


@pytest.mark.slow
def test_contacts_killed_at_random_points_resume_to_the_exact_state(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = contact_rows(6_000)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, rows)
    sandbox.set_faults("latency=80-160ms,seed=31")
    crash = CrashRun(
        path=path, kind="contacts", mapping=CONTACT_MAP, sandbox=sandbox,
        key_of_row={number + 2: row[0] for number, row in enumerate(rows)},
        applied_keys=lambda: set(sandbox.state()["contacts"]),
        valid_rows=sum(1 for row in rows if is_valid_contact(row)),
    )
    kill_repeatedly(crash, seed=8)
    sandbox.set_faults(None)
    valid_rows = {number + 2 for number, row in enumerate(rows) if is_valid_contact(row)}

    summary = crash.resume_to_the_end(capsys, valid_rows)

    assert summary["accepted"] == len(valid_rows)
    assert_contacts_exact(sandbox.state(), rows)
    # Acknowledged batches were never sent again: only what was on the wire at each kill
    # (at most 4 batches of 100) may have been received twice.
    with IngestClient(sandbox.base_url, "demo", "demo", sandbox.config.token) as client:
        received = client.stream_info().received_contacts
    assert len(valid_rows) <= received <= len(valid_rows) + KILLS * 4 * 100
    assert sum(crash.kill_points.values()) == KILLS


@pytest.mark.slow
def test_events_killed_while_answers_are_lost_are_stored_exactly_once(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    people = contact_rows(500, invalid_every=None)
    people_path = write_csv(tmp_path / "people.csv", CONTACT_HEADERS, people)
    code, _out, err = run_cli(capsys, "import", str(people_path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP)
    assert code == cli.EXIT_OK, err

    rows = event_rows(6_000, users=500)
    path = write_csv(tmp_path / "orders.csv", EVENT_HEADERS, rows)
    # Dropped answers (the batch applied, the answer lost) widen the window in which a kill
    # finds a batch applied by the service but not yet acknowledged in the journal.
    sandbox.set_faults("drop=0.1,latency=80-160ms,seed=32")
    crash = CrashRun(
        path=path, kind="events", mapping=EVENT_MAP, sandbox=sandbox,
        key_of_row={number + 2: row[1] for number, row in enumerate(rows)},
        applied_keys=lambda: {event["_event_parameters"]["order_id"]
                              for event in sandbox.state()["events"]},
        valid_rows=sum(1 for row in rows if is_valid_event(row)),
    )
    kill_repeatedly(crash, seed=9)
    sandbox.set_faults(None)
    valid_rows = {number + 2 for number, row in enumerate(rows) if is_valid_event(row)}

    summary = crash.resume_to_the_end(capsys, valid_rows)

    assert summary["accepted"] == len(valid_rows)
    assert_events_exactly_once(sandbox.state(), rows, {row[0] for row in people})
    assert sum(crash.kill_points.values()) == KILLS
