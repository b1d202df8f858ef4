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
