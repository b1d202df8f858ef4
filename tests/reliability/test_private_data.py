"""Issue 19, item 5: the files the app writes hold customers' data, so they are the user's only
(0600 in 0700 folders on POSIX). The folders and retention are in tests/core/test_paths.py."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from ingest_gui import paths
from ingest_gui.core import connections
from ingest_gui.core.errorlog import write_error_log
from tests.core.factories import make_table

pytestmark = pytest.mark.skipif(os.name != "posix",
                                reason="POSIX permissions (Windows: the per-user folder's ACL)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_error_logs_are_written_private_even_over_an_open_file(suffix: str, tmp_path: Path):
    path = tmp_path / f"clientes - errores{suffix}"
    path.write_text("an older log, readable by all", encoding="utf-8")
    path.chmod(0o644)
    table = make_table({"Email": ["ana@example.com", "bad"]})
    assert write_error_log(path, table, {3: ["Not an email address."]}) == 1
    assert _mode(path) == 0o600
    assert path.stat().st_size > 0


def test_the_app_log_and_its_rotations_are_private(monkeypatch):
    from ingest_gui.ui import logging_setup

    monkeypatch.setattr(logging_setup, "_MAX_BYTES", 200)
    log_file = logging_setup.setup_logging(logging.INFO, to_stderr=False)
    try:
        for number in range(20):
            logging.getLogger("test").info("Row %d of clientes.xlsx: ana@example.com", number)
    finally:
        logging_setup.shutdown_logging()
    written = sorted(log_file.parent.glob(log_file.name + "*"))
    assert len(written) > 1  # it rotated
    assert {_mode(path) for path in written} == {0o600}
    assert _mode(log_file.parent) == 0o700


def test_a_log_left_open_by_an_older_version_is_tightened():
    from ingest_gui.ui import logging_setup

    old = logging_setup.log_file_path()
    old.write_text("old lines\n", encoding="utf-8")
    old.chmod(0o644)
    logging_setup.setup_logging(logging.INFO, to_stderr=False)
    logging_setup.shutdown_logging()
    assert _mode(old) == 0o600
    assert old.read_text(encoding="utf-8").startswith("old lines\n")


def test_saved_connections_are_private():
    connections.save_connection(connections.Connection("Shop", "https://x", "p", "d"))
    assert _mode(paths.config_dir() / connections.CONNECTIONS_FILE) == 0o600
    assert _mode(paths.config_dir()) == 0o700


@pytest.mark.gui
def test_the_wizard_deletes_expired_automatic_error_logs_at_start(qapp, monkeypatch):
    import sys
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ingest_gui.ui import app as app_module
    from ingest_gui.ui import i18n, logging_setup
    from ingest_gui.ui.wizard import IngestWizard

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(app_module.settings, "language_choice", lambda: i18n.SOURCE_LANGUAGE)
    now = time.time()
    expired = paths.error_logs_dir() / "clientes-errors-20250101-101010.csv"
    recent = paths.error_logs_dir() / "clientes-errors-20261201-101010.csv"
    for path, days in ((expired, paths.ERROR_LOG_RETENTION_DAYS + 1), (recent, 1)):
        path.write_text("Row,Errors\n", encoding="utf-8")
        os.utime(path, (now - days * 86_400, now - days * 86_400))

    def close_wizard() -> None:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, IngestWizard):
                window.close()
                window.deleteLater()

    QTimer.singleShot(0, close_wizard)
    try:
        assert app_module.run_wizard([]) == 0
    finally:
        logging_setup.shutdown_logging()
        i18n.install_translators(i18n.SOURCE_LANGUAGE)
    assert not expired.exists()
    assert recent.exists()


def test_the_journal_and_its_write_ahead_files_are_private():
    from ingest_gui.core.journal import JOURNAL_FILE, Journal

    with Journal() as journal:
        journal.start_run(kind="contacts", file_path="clientes.csv", fingerprint="f",
                          datasource_key="k", mapping={}, batches_total=1)
        written = sorted(paths.data_dir().glob(JOURNAL_FILE + "*"))
        # The database and, while it is open in WAL mode, its -wal and -shm files.
        assert {path.name for path in written} >= {JOURNAL_FILE, JOURNAL_FILE + "-wal"}
        assert {_mode(path) for path in written} == {0o600}


def test_a_journal_left_open_by_an_older_version_is_tightened():
    from ingest_gui.core.journal import JOURNAL_FILE, Journal

    with Journal():
        pass
    journal_path = paths.data_dir() / JOURNAL_FILE
    journal_path.chmod(0o644)
    with Journal() as journal:
        assert journal.runs() == []
    assert _mode(journal_path) == 0o600


def test_templates_are_private_and_replace_an_open_one(tmp_path: Path):
    from ingest_gui.core.mapping import ImportKind, Mapping, save_template

    template = tmp_path / "clientes.json"
    template.write_text("{}", encoding="utf-8")
    template.chmod(0o644)
    save_template(template, Mapping(ImportKind.CONTACTS, assignments={"_email": "Email"}),
                  ["Email"])
    assert _mode(template) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clientes.json"]


def test_expired_undo_snapshots_are_deleted_and_recent_ones_kept():
    import time

    from ingest_gui.core.journal import Journal

    with Journal() as journal:
        runs = [journal.start_run(kind="contacts", file_path=f"{name}.csv", fingerprint=name,
                                  datasource_key="k", mapping={}, batches_total=1)
                for name in ("old", "new")]
        for run in runs:
            journal.save_snapshot(run.run_id, {"contacts": {"U1": {"_first_name": "Ana"}}})
        in_40_days = time.time() + 40 * 86_400
        assert journal.delete_expired_snapshots(0, now=in_40_days) == 0  # 0: kept for ever
        journal._execute("UPDATE snapshots SET taken_at = taken_at - 10 * 86400 "
                         "WHERE run_id = ?", (runs[0].run_id,))
        assert journal.delete_expired_snapshots(45, now=in_40_days) == 1  # 50 days old
        assert journal.snapshot(runs[0].run_id) is None
        assert journal.snapshot(runs[1].run_id) is not None
        assert journal.run_info(runs[0].run_id).file_path == "old.csv"  # the run stays


def test_forgetting_a_run_keeps_an_error_log_another_run_names():
    from ingest_gui.core.journal import Journal
    from ingest_gui.core.workflow import forget_run

    shared = paths.error_logs_dir() / "clientes-errors-20261207-101010.csv"
    shared.write_text("Row,Errors\n", encoding="utf-8")
    with Journal() as journal:
        ids = []
        for _ in range(2):
            run = journal.start_run(kind="contacts", file_path="clientes.csv", fingerprint="f",
                                    datasource_key="k", mapping={}, batches_total=1)
            run.finish("completed", {}, str(shared))
            ids.append(run.run_id)
    forgotten = forget_run(ids[0])
    assert forgotten.deleted_logs == ()
    assert shared.exists()
    assert forget_run(ids[1]).deleted_logs == (shared,)
    assert not shared.exists()


@pytest.mark.gui
def test_the_settings_dialog_sets_the_retention(qtbot):
    from ingest_gui.ui import settings
    from ingest_gui.ui.wizard import SettingsDialog

    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.retention.value() == paths.ERROR_LOG_RETENTION_DAYS == 30
    assert dialog.retention.suffix() == " days"
    dialog.retention.setValue(1)
    assert dialog.retention.suffix() == " day"
    dialog.retention.setValue(7)
    dialog.accept()
    assert settings.retention_days() == 7
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.retention.value() == 7
    again.retention.setValue(0)
    assert again.retention.text() == "Until I delete them"
    again.accept()
    assert settings.retention_days() == 0


@pytest.mark.gui
def test_the_wizard_keeps_error_logs_and_snapshots_for_the_days_set_in_settings(
        qapp, monkeypatch):
    import sys
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ingest_gui.core.journal import Journal
    from ingest_gui.ui import app as app_module
    from ingest_gui.ui import i18n, logging_setup, settings
    from ingest_gui.ui.wizard import IngestWizard

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(app_module.settings, "language_choice", lambda: i18n.SOURCE_LANGUAGE)
    settings.set_retention_days(5)
    now = time.time()
    expired = paths.error_logs_dir() / "clientes-errors-20261130-101010.csv"
    recent = paths.error_logs_dir() / "clientes-errors-20261204-101010.csv"
    for path, days in ((expired, 6), (recent, 4)):
        path.write_text("Row,Errors\n", encoding="utf-8")
        os.utime(path, (now - days * 86_400, now - days * 86_400))
    with Journal() as journal:
        run = journal.start_run(kind="contacts", file_path="clientes.csv", fingerprint="f",
                                datasource_key="k", mapping={}, batches_total=1)
        journal.save_snapshot(run.run_id, {"contacts": {}})
        journal._execute("UPDATE snapshots SET taken_at = ?", (now - 6 * 86_400,))

    def close_wizard() -> None:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, IngestWizard):
                window.close()
                window.deleteLater()

    def close_once_snapshots_are_gone() -> None:
        with Journal() as journal:
            gone = journal.snapshot(run.run_id) is None
        if gone:
            close_wizard()
        else:
            QTimer.singleShot(10, close_once_snapshots_are_gone)

    QTimer.singleShot(0, close_once_snapshots_are_gone)
    try:
        assert app_module.run_wizard([]) == 0
    finally:
        logging_setup.shutdown_logging()
        i18n.install_translators(i18n.SOURCE_LANGUAGE)
    assert not expired.exists()
    assert recent.exists()
    with Journal() as journal:
        assert journal.snapshot(run.run_id) is None
