"""Issue 19, item 5: "Forget this import" (``ingest-gui runs --forget RUN_ID --yes``) removes a
run's journal rows, its undo snapshot and the error log the app wrote on its own; an error log
saved where the user chose is never deleted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest_gui import cli, paths
from ingest_gui.core.journal import Journal, JournalError
from ingest_gui.core.workflow import WorkflowError, forget_run
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import CONTACT_HEADERS, CONTACT_MAP, contact_rows, run_cli, write_csv


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch, sandbox: SandboxServer) -> None:
    monkeypatch.setenv("INSTASENT_TOKEN", sandbox.config.token)


def _import(capsys: pytest.CaptureFixture[str], sandbox: SandboxServer, path: Path,
            *options: str) -> int:
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--sandbox",
                             sandbox.base_url, *CONTACT_MAP, "--json", *options)
    assert code == cli.EXIT_ROWS_FAILED, err  # one invalid row: an error log is written
    run_id = json.loads(out)["run_id"]
    assert isinstance(run_id, int)
    return run_id


def _run_ids(capsys: pytest.CaptureFixture[str]) -> list[int]:
    code, out, err = run_cli(capsys, "runs", "--json")
    assert code == cli.EXIT_OK, err
    return [run["id"] for run in json.loads(out)]


def test_forget_removes_the_rows_the_snapshot_and_the_automatic_error_log(
        tmp_path, capsys, sandbox, token):
    path = write_csv(tmp_path / "clientes.csv", CONTACT_HEADERS, contact_rows(12))
    kept_id = _import(capsys, sandbox, path)
    run_id = _import(capsys, sandbox, path, "--restart")
    with Journal() as journal:
        info = journal.run_info(run_id)
        assert info.has_snapshot  # a small contact import is snapshotted for undo
        assert journal.snapshot(run_id) is not None
    assert info.error_log_path is not None
    error_log = Path(info.error_log_path)
    assert error_log.parent == paths.error_logs_dir()
    assert error_log.is_file()

    code, _out, err = run_cli(capsys, "runs", "--forget", str(run_id), "--yes")

    assert code == cli.EXIT_OK, err
    assert f"Forgot run #{run_id}" in err
    assert f"Deleted its error log {error_log}." in err
    assert not error_log.exists()
    assert _run_ids(capsys) == [kept_id]
    with Journal() as journal:
        assert journal.snapshot(run_id) is None
        assert journal._query("SELECT COUNT(*) FROM batches WHERE run_id = ?", (run_id,)) \
            == [(0,)]
        with pytest.raises(JournalError, match=f"no import run #{run_id}"):
            journal.run_info(run_id)
        # The other run and its own error log are untouched.
        other = journal.run_info(kept_id)
    assert other.error_log_path is not None
    assert Path(other.error_log_path).is_file()


def test_forget_needs_yes_and_changes_nothing_without_it(tmp_path, capsys, sandbox, token):
    path = write_csv(tmp_path / "clientes.csv", CONTACT_HEADERS, contact_rows(12))
    run_id = _import(capsys, sandbox, path)
    code, _out, err = run_cli(capsys, "runs", "--forget", str(run_id))
    assert code == cli.EXIT_USAGE
    assert "Add --yes to confirm." in err
    assert _run_ids(capsys) == [run_id]
    assert len(list(paths.error_logs_dir().iterdir())) == 1


def test_an_error_log_the_user_chose_is_kept(tmp_path, capsys, sandbox, token):
    path = write_csv(tmp_path / "clientes.csv", CONTACT_HEADERS, contact_rows(12))
    chosen = tmp_path / "Escritorio" / "clientes - errores.csv"
    chosen.parent.mkdir()
    run_id = _import(capsys, sandbox, path, "--error-log", str(chosen))
    assert chosen.is_file()
    code, _out, err = run_cli(capsys, "runs", "--forget", str(run_id), "--yes")
    assert code == cli.EXIT_OK, err
    assert chosen.is_file()
    assert f"Kept the error log {chosen}" in err
    assert _run_ids(capsys) == []


def test_forgetting_an_undone_import_forgets_its_undo_too(tmp_path, capsys, sandbox, token):
    path = write_csv(tmp_path / "clientes.csv", CONTACT_HEADERS,
                     contact_rows(5, invalid_every=None))
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--sandbox",
                             sandbox.base_url, *CONTACT_MAP, "--json")
    assert code == cli.EXIT_OK, err
    run_id = json.loads(out)["run_id"]
    code, _out, err = run_cli(capsys, "undo", str(run_id), "--yes", "--sandbox",
                              sandbox.base_url)
    assert code == cli.EXIT_OK, err
    assert len(_run_ids(capsys)) == 2  # the import and its undo
    forgotten = forget_run(run_id)
    assert forgotten.run.run_id == run_id
    assert _run_ids(capsys) == []


def test_an_unknown_run_is_told(capsys):
    code, _out, err = run_cli(capsys, "runs", "--forget", "999", "--yes")
    assert code == cli.EXIT_USAGE
    assert "There is no import run #999 in the journal." in err
    with pytest.raises(WorkflowError, match="#999"):
        forget_run(999)
