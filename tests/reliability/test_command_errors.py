"""Issue 8: when the journal or the machine's setup is in the way, the command says so in a
sentence and exits with a code; it never ends in a traceback and never sends half an import
without a journal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_gui import cli, paths
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    contact_rows,
    journal_reader,
    run_cli,
    wait_for,
    write_csv,
)
from tests.reliability.secrets_support import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def corrupt_journal() -> Path:
    journal = paths.data_dir() / "journal.sqlite3"
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(b"this is not an SQLite database, it was damaged\n" * 200)
    return journal


def test_a_damaged_journal_stops_the_import_with_a_sentence(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = corrupt_journal()
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(20))
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP)
    assert code not in (cli.EXIT_OK, cli.EXIT_ROWS_FAILED)
    assert str(journal) in err
    assert "Traceback" not in err
    # Nothing sent that could not be resumed.
    assert sandbox.state()["contacts"] == {}


def test_a_damaged_journal_is_reported_by_runs(capsys: pytest.CaptureFixture[str]) -> None:
    journal = corrupt_journal()
    code, _out, err = run_cli(capsys, "runs")
    assert code != cli.EXIT_OK
    assert str(journal) in err


@pytest.mark.slow
def test_importing_a_file_that_another_process_is_importing_is_refused_clearly(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(3_000))
    sandbox.set_faults("latency=300-400ms,seed=4")
    first = subprocess.Popen(
        [sys.executable, "-m", "ingest_gui", "import", str(path), "--kind", "contacts",
         "--sandbox", sandbox.base_url, *CONTACT_MAP],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True,
    )
    journal = paths.data_dir() / "journal.sqlite3"

    def first_is_sending() -> bool:
        if first.poll() is not None or not journal.exists():
            return first.poll() is not None
        with journal_reader(journal) as reader:
            try:
                return bool(reader.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
            except Exception:  # tables not created yet
                return False

    try:
        wait_for(first_is_sending, 60, "the first import to send a batch")
        assert first.poll() is None, "the first import ended too soon to overlap"
        code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                                  "--sandbox", sandbox.base_url, *CONTACT_MAP)
        assert code not in (cli.EXIT_OK, cli.EXIT_ROWS_FAILED)
        assert "still running in another process" in err
        assert "Traceback" not in err
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)


def test_an_unreadable_certificate_file_in_the_environment_is_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SSL_CERT_FILE naming a file that is not there (a stale company setting) must not end
    the command in a traceback."""
    monkeypatch.setenv("INSTASENT_TOKEN", TOKEN)
    missing = tmp_path / "company-ca.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(2))
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--base-url", "https://api.example.invalid/v1", "--project", "p",
                             "--datasource", "d", *CONTACT_MAP)
    assert code in (cli.EXIT_USAGE, cli.EXIT_CONNECTION)
    assert "SSL_CERT_FILE" in err or str(missing) in err
    assert TOKEN not in out + err
