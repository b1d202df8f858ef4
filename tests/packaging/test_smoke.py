"""``ingest-gui --smoke-test`` from source: every check passes, and a broken one fails the run."""

from __future__ import annotations

import io

import keyring
import keyring.backend
import pytest

from ingest_gui.__main__ import main
from ingest_gui.ui import smoke

EXPECTED_CHECKS = (
    "wizard window", "wizard pages", "app icon", "translations", "heavy modules",
    "read workbook", "time zones",
    "phone metadata", "TLS certificates", "keyring backend", "plain-text keyring",
    "worker process", "sandbox start", "import contacts", "import events", "sandbox stop",
    "wizard close",
)


@pytest.mark.slow
def test_every_check_passes_from_source(qapp, tmp_path, capsys) -> None:
    report_file = tmp_path / "report.txt"
    assert smoke.run_smoke_test(["--output", str(report_file)]) == 0
    printed = capsys.readouterr().out
    report = report_file.read_text(encoding="utf-8")
    assert printed == report
    lines = report.splitlines()
    assert "(from source," in lines[0]
    assert [line.split(":")[0].removeprefix("ok   ") for line in lines[1:-1]] == list(
        EXPECTED_CHECKS)
    assert lines[-1].startswith(f"smoke test passed: {len(EXPECTED_CHECKS)} checks")


def test_a_failed_check_is_named_with_its_reason_and_fails_the_run() -> None:
    out, details = io.StringIO(), io.StringIO()
    report = smoke.SmokeReport([out], [details])

    def broken() -> str:
        raise smoke.CheckFailed("the sandbox holds 3 contacts, expected 20")

    def crashing() -> str:
        raise RuntimeError("no platform plugin")

    assert report.check("fine", lambda: "all good")
    assert not report.check("import contacts", broken)
    assert not report.check("wizard window", crashing)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ok   fine: all good [")
    assert lines[1].startswith("FAIL import contacts: the sandbox holds 3 contacts, expected 20")
    assert lines[2].startswith("FAIL wizard window: RuntimeError: no platform plugin")
    assert report.passed == 1
    assert report.failed == ["import contacts", "wizard window"]
    assert "Traceback" in details.getvalue()
    assert "Traceback" not in out.getvalue()


def test_a_module_missing_from_the_build_fails_the_import_check(monkeypatch) -> None:
    monkeypatch.setattr(smoke, "HEAVY_MODULES", ("json", "no_such_module_in_this_build"))
    with pytest.raises(smoke.CheckFailed, match="cannot import no_such_module_in_this_build"):
        smoke._import_modules()


class PlainTextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's file backends (only the module name matters)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise AssertionError("the smoke test must never write to the keyring")

    def delete_password(self, service, username):
        raise AssertionError("the smoke test must never write to the keyring")


PlainTextKeyring.__module__ = "keyrings.alt.file"


def test_a_plain_text_keyring_fails_the_keyring_check() -> None:
    keyring.set_keyring(PlainTextKeyring())  # the autouse fixture restores the memory keyring
    with pytest.raises(smoke.CheckFailed, match="plain-text file"):
        smoke._keyring_backend()


def test_a_frozen_build_without_its_platform_keychain_fails(monkeypatch) -> None:
    import sys

    monkeypatch.setattr(smoke, "_frozen", lambda: True)
    monkeypatch.setitem(smoke.EXPECTED_KEYRING, sys.platform, "keyring.backends.Windows")
    with pytest.raises(smoke.CheckFailed, match=r"must use keyring\.backends\.Windows"):
        smoke._keyring_backend()


def test_the_keyring_check_reports_the_backend_without_writing(memory_keyring) -> None:
    detail = smoke._keyring_backend()
    assert detail.startswith("tests.conftest.MemoryKeyring")
    assert memory_keyring.passwords == {}


def test_ingest_gui_dispatches_the_smoke_test_option(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--smoke-test", "--help"])
    assert exit_.value.code == 0
    assert "ingest-gui --smoke-test" in capsys.readouterr().out
