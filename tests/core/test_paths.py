"""Where the app keeps its files on each platform, who may read them, how long error logs stay."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import platformdirs
import platformdirs.macos
import platformdirs.windows
import pytest

from ingest_gui import paths

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions (Windows: ACLs)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def platform_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No INGEST_GUI_HOME: the folders platformdirs gives, under a fake user profile."""
    monkeypatch.delenv("INGEST_GUI_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    return tmp_path


def test_on_windows_everything_is_under_local_appdata(platform_home, monkeypatch):
    # The Windows class with the environment-variable lookup platformdirs itself uses on a
    # Windows Python without ctypes or winreg; LOCALAPPDATA is the per-user, non-roaming folder.
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER",
                        platformdirs.windows.get_win_folder_from_env_vars)
    app = platform_home / "AppData" / "Local" / "Instasent" / "IngestWizard"
    assert paths.data_dir() == app  # the journal, templates and error logs
    assert paths.config_dir() == app
    assert paths.log_dir() == app / "Logs"
    assert paths.error_logs_dir() == app / "error-logs"
    assert not (platform_home / "AppData" / "Roaming").exists()  # nothing roams to a server


def test_on_macos_data_is_in_application_support_and_logs_in_library_logs(platform_home,
                                                                         monkeypatch):
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.macos.MacOS)
    library = platform_home / "Library"
    assert paths.data_dir() == library / "Application Support" / "IngestWizard"
    assert paths.config_dir() == library / "Application Support" / "IngestWizard"
    assert paths.log_dir() == library / "Logs" / "IngestWizard"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
def test_on_linux_the_xdg_folders_are_used(platform_home, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(platform_home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(platform_home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(platform_home / "state"))
    assert paths.data_dir() == platform_home / "data" / "IngestWizard"
    assert paths.config_dir() == platform_home / "config" / "IngestWizard"
    assert paths.log_dir() == platform_home / "state" / "IngestWizard" / "log"


@posix_only
def test_the_app_folders_are_private(app_home):
    for folder in (paths.data_dir(), paths.config_dir(), paths.log_dir(),
                   paths.error_logs_dir()):
        assert _mode(folder) == 0o700, folder


@posix_only
def test_a_folder_left_open_by_an_older_version_is_tightened(app_home):
    folder = app_home / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert paths.data_dir() == folder
    assert _mode(folder) == 0o700


@posix_only
def test_a_file_system_without_permissions_is_no_error(app_home, monkeypatch):
    def refuse(self, mode, **kwargs):
        raise PermissionError(1, "Operation not permitted", str(self))  # what vfat answers

    folder = app_home / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    monkeypatch.setattr(Path, "chmod", refuse)
    assert paths.data_dir() == folder
    assert paths.create_private_file(folder / "journal.sqlite3").exists()


@posix_only
def test_private_files_are_created_and_tightened(app_home, tmp_path):
    fresh = paths.create_private_file(tmp_path / "journal.sqlite3")
    assert fresh.read_bytes() == b""
    assert _mode(fresh) == 0o600
    old = tmp_path / "old.log"
    old.write_text("kept", encoding="utf-8")
    old.chmod(0o644)
    paths.create_private_file(old)
    assert old.read_text(encoding="utf-8") == "kept"  # never truncated
    assert _mode(old) == 0o600
    with open(tmp_path / "opened.txt", "w", encoding="utf-8", opener=paths.private_opener) as f:
        f.write("x")
    assert _mode(tmp_path / "opened.txt") == 0o600


def _aged(path: Path, days: float, now: float) -> Path:
    path.write_text("Row,Errors\n", encoding="utf-8")
    moment = now - days * 86_400
    os.utime(path, (moment, moment))
    return path


def test_automatic_error_logs_older_than_the_retention_are_deleted(app_home):
    now = time.time()
    folder = paths.error_logs_dir()
    old = _aged(folder / "clientes-errors-20250101-101010.csv", 31, now)
    older = _aged(folder / "pedidos-errors-20240101-101010.xlsx", 400, now)
    recent = _aged(folder / "clientes-errors-20261201-101010.csv", 29, now)
    beside = _aged(paths.data_dir() / "mine - errors.csv", 90, now)  # not in the folder
    assert paths.ERROR_LOG_RETENTION_DAYS == 30
    assert sorted(paths.delete_expired_error_logs(now=now)) == sorted([old, older])
    assert not old.exists()
    assert not older.exists()
    assert recent.exists()
    assert beside.exists()


def test_retention_follows_the_setting_and_zero_keeps_everything(app_home):
    now = time.time()
    log = _aged(paths.error_logs_dir() / "a-errors.csv", 8, now)
    assert paths.delete_expired_error_logs(0, now=now) == []
    assert paths.delete_expired_error_logs(10, now=now) == []
    assert paths.delete_expired_error_logs(7, now=now) == [log]
    assert not log.exists()


def test_a_log_that_cannot_be_deleted_is_left_for_next_time(app_home, monkeypatch):
    now = time.time()
    stuck = _aged(paths.error_logs_dir() / "open-in-excel-errors.csv", 60, now)
    gone = _aged(paths.error_logs_dir() / "closed-errors.csv", 60, now)
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if str(path) == str(stuck):  # what Windows answers for a file open in Excel
            raise PermissionError(13, "The process cannot access the file", str(path))
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    assert paths.delete_expired_error_logs(now=now) == [gone]
    assert stuck.exists()
