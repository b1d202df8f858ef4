"""Issue 8, secrets: whole imports (command line and wizard) with a recognisable token, then every
file the app wrote and everything it printed or logged is searched for it: zero hits. Plain
``http://`` to another machine is refused, and TLS verification cannot be switched off from the
environment.
"""

from __future__ import annotations

import logging
import os
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest_gui import cli, paths
from ingest_gui.api.client import IngestClient
from ingest_gui.api.errors import InsecureURLError, TransportError
from ingest_gui.core import connections
from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    EVENT_HEADERS,
    EVENT_MAP,
    contact_rows,
    event_rows,
    run_cli,
    summary_of,
    write_csv,
)
from tests.reliability.secrets_support import (
    TOKEN,
    WRONG_TOKEN,
    files_under,
    https_server,
    secret_hits,
    self_signed_certificate,
    text_hits,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def secret_sandbox() -> Iterator[SandboxServer]:
    """A sandbox that only accepts :data:`TOKEN`."""
    with SandboxServer(SandboxConfig(token=TOKEN, rate_limit=None)) as server:
        yield server


def test_the_scanner_finds_a_planted_token(tmp_path: Path) -> None:
    """The search below would see the token in plain text, UTF-16 and inside a workbook."""
    from openpyxl import Workbook

    (tmp_path / "plain.log").write_text(f"x {TOKEN} y", encoding="utf-8")
    (tmp_path / "wide.ini").write_bytes(TOKEN.encode("utf-16-le"))
    workbook = Workbook()
    workbook.active.append(["token", TOKEN])
    workbook.save(tmp_path / "book.xlsx")
    (tmp_path / "clean.txt").write_text("nothing here", encoding="utf-8")
    hits = secret_hits(tmp_path, [TOKEN])
    assert str(tmp_path / "plain.log") in hits
    assert str(tmp_path / "wide.ini") in hits
    assert any(hit.startswith(f"{tmp_path / 'book.xlsx'}!") for hit in hits)
    assert not any("clean.txt" in hit for hit in hits)


def test_command_line_imports_leave_no_trace_of_the_token(
    tmp_path: Path, app_home: Path, secret_sandbox: SandboxServer,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    base_url = secret_sandbox.base_url
    printed: dict[str, str] = {}
    contacts = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(300))
    events = write_csv(tmp_path / "orders.csv", EVENT_HEADERS, event_rows(300, users=300))
    exports = app_home / "exports"
    exports.mkdir()

    # 1. The token from the environment; invalid rows, so an error log is written (default
    #    place in the data folder, CSV).
    monkeypatch.setenv("INSTASENT_TOKEN", TOKEN)
    code, printed["contacts out"], printed["contacts err"] = run_cli(
        capsys, "import", str(contacts), "--kind", "contacts", "--sandbox", base_url,
        *CONTACT_MAP, "--json")
    assert code == cli.EXIT_ROWS_FAILED
    assert summary_of(printed["contacts out"])["accepted"] == 296
    # 2. Events, with an explicit XLSX error log; then a dry run. (The contacts of step 1's
    #    invalid rows are not in the datasource: their events are sent knowingly.)
    code, printed["events out"], printed["events err"] = run_cli(
        capsys, "import", str(events), "--kind", "events", "--sandbox", base_url, *EVENT_MAP,
        "--allow-unknown-contacts", "--error-log", str(exports / "event-errors.xlsx"))
    assert code == cli.EXIT_ROWS_FAILED
    code, printed["dry run out"], printed["dry run err"] = run_cli(
        capsys, "import", str(contacts), "--kind", "contacts", "--sandbox", base_url,
        *CONTACT_MAP, "--dry-run", "--restart")
    assert code == cli.EXIT_ROWS_FAILED
    # 3. A saved connection: ids in the config folder, the token in the keychain.
    monkeypatch.delenv("INSTASENT_TOKEN")
    connections.save_connection(connections.Connection("shop", base_url, "demo", "demo"))
    connections.store_token("shop", TOKEN)
    code, printed["saved out"], printed["saved err"] = run_cli(
        capsys, "import", str(contacts), "--kind", "contacts", *CONTACT_MAP, "--restart",
        "--error-log", str(exports / "contact-errors.csv"))
    assert code == cli.EXIT_ROWS_FAILED
    # 4. A wrong token is refused without being repeated.
    monkeypatch.setenv("INSTASENT_TOKEN", WRONG_TOKEN)
    code, printed["wrong out"], printed["wrong err"] = run_cli(
        capsys, "import", str(contacts), "--kind", "contacts", "--sandbox", base_url,
        *CONTACT_MAP)
    assert code == cli.EXIT_CONNECTION
    # 5. A separate process, as scripts run it, and the journal listing.
    process = subprocess.run(
        [sys.executable, "-m", "ingest_gui", "import", str(events), "--kind", "events",
         "--sandbox", base_url, *EVENT_MAP, "--allow-unknown-contacts", "--restart", "--json"],
        cwd=ROOT, env=dict(os.environ, INSTASENT_TOKEN=TOKEN), capture_output=True,
        timeout=120, check=False,
    )
    assert process.returncode == cli.EXIT_ROWS_FAILED, process.stderr
    printed["process out"] = process.stdout.decode()
    printed["process err"] = process.stderr.decode()
    code, printed["runs out"], printed["runs err"] = run_cli(capsys, "runs")
    assert code == cli.EXIT_OK
    printed["log records"] = caplog.text

    # The imports did happen and wrote what they should (else there is nothing to search).
    assert len(secret_sandbox.state()["contacts"]) == 296
    assert summary_of(printed["process out"])["accepted"] > 0
    written = files_under(app_home)
    names = {path.name for path in written}
    assert "journal.sqlite3" in names
    assert "connections.json" in names
    assert "event-errors.xlsx" in names
    assert "contact-errors.csv" in names
    assert any(path.parent == paths.data_dir() / "error-logs" for path in written)
    assert caplog.records, "nothing was logged: the log search would prove nothing"

    assert secret_hits(app_home, [TOKEN, WRONG_TOKEN]) == []
    assert text_hits(printed, [TOKEN, WRONG_TOKEN]) == []


# -- the wizard ---------------------------------------------------------------------------------

def _wizard_flow(qtbot, tmp_path: Path, app_home: Path, sandbox: SandboxServer,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Connect (typing the token) -> File -> Kind -> Map -> Check -> Upload -> Done, then save
    the error log and a mapping template from the Done page."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWizard

    from ingest_gui.ui.pages.check import CheckPage
    from ingest_gui.ui.pages.done import DonePage
    from ingest_gui.ui.pages.mapping import MappingPage
    from ingest_gui.ui.pages.upload import UploadPage
    from ingest_gui.ui.widgets.dialogs import SaveFileDialog
    from ingest_gui.ui.wizard import IngestWizard, PageId

    wait_ms = 30_000
    bot = qtbot
    rows = contact_rows(250)
    path = write_csv(tmp_path / "customers.csv", CONTACT_HEADERS, rows)
    window = IngestWizard()
    bot.addWidget(window)
    window.show()

    def go_next() -> None:
        page = window.currentPage()
        which = (QWizard.WizardButton.CommitButton if page.isCommitPage()
                 else QWizard.WizardButton.NextButton)
        button = window.button(which)
        bot.waitUntil(button.isEnabled, timeout=wait_ms)
        before = window.currentId()
        bot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.currentId() == before + 1

    try:
        connect = window.currentPage()
        assert window.currentId() == PageId.CONNECT
        connect.advanced_button.setChecked(True)
        for edit, text in ((connect.name_edit, "Shop"), (connect.project_edit, "demo"),
                           (connect.datasource_edit, "demo"), (connect.token_edit, TOKEN),
                           (connect.base_url_edit, sandbox.base_url)):
            edit.clear()
            bot.keyClicks(edit, text)
        assert connect.remember_box.isChecked()
        bot.mouseClick(connect.test_button, Qt.MouseButton.LeftButton)
        go_next()  # saves the connection: ids to the config folder, the token to the keychain

        file_page = window.currentPage()
        file_page.open_file(path)
        bot.waitUntil(lambda: not file_page.is_loading(), timeout=wait_ms)
        go_next()
        window.currentPage().contacts_radio.setChecked(True)
        go_next()

        mapping = window.currentPage()
        assert isinstance(mapping, MappingPage)
        columns, targets = mapping.column_model, mapping.target_model
        assert columns is not None
        assert targets is not None
        for column, target in {"Customer ID": "_user_id", "First Name": "_first_name",
                               "Email": "_email", "Phone": "_phone_mobile",
                               "Country": "_country_code", "Plan": "plan"}.items():
            data = columns.mimeData([columns.index(columns.row_of(column), 0)])
            assert targets.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1,
                                        targets.index(targets.row_of(target), 0))
        go_next()

        check = window.currentPage()
        assert isinstance(check, CheckPage)
        bot.waitUntil(lambda: check.result is not None and not check.is_busy(),
                      timeout=wait_ms)
        check.skip_checkbox.setChecked(True)
        go_next()

        upload = window.currentPage()
        assert isinstance(upload, UploadPage)
        bot.mouseClick(upload.start_button, Qt.MouseButton.LeftButton)
        bot.waitUntil(upload.isComplete, timeout=wait_ms)
        go_next()

        done = window.currentPage()
        assert isinstance(done, DonePage)
        exports = app_home / "exports"
        exports.mkdir(exist_ok=True)
        answers = iter([exports / "customers - errors.xlsx", exports / "customers.json"])
        monkeypatch.setattr(SaveFileDialog, "ask",
                            classmethod(lambda cls, *args, **kwargs: next(answers)))
        error_log = exports / "customers - errors.xlsx"
        # The button is enabled once the page has counted the rows to fix.
        bot.waitUntil(done.save_log_button.isEnabled, timeout=wait_ms)
        bot.mouseClick(done.save_log_button, Qt.MouseButton.LeftButton)
        bot.waitUntil(lambda: error_log.exists() and not done.is_busy(),
                      timeout=wait_ms)
        done.save_template()
        assert (exports / "customers.json").exists()
    finally:
        window.close()


@pytest.mark.gui
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_wizard_import_leaves_no_trace_of_the_token(
    qtbot, tmp_path: Path, app_home: Path, secret_sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch, memory_keyring,
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    from PySide6.QtCore import QSettings

    from ingest_gui.ui.logging_setup import setup_logging, shutdown_logging

    # Any QSettings the app creates without a path lands in the app home too, as an INI file.
    qsettings_home = app_home / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(qsettings_home))
    caplog.set_level(logging.DEBUG)
    log_file = setup_logging(logging.DEBUG, to_stderr=True)
    try:
        _wizard_flow(qtbot, tmp_path, app_home, secret_sandbox, monkeypatch)
    finally:
        shutdown_logging()
        QSettings.setDefaultFormat(QSettings.Format.NativeFormat)

    assert len(secret_sandbox.state()["contacts"]) == 247
    assert TOKEN in memory_keyring.passwords.values()
    written = {path.name for path in files_under(app_home)}
    assert log_file.name in written
    assert log_file.stat().st_size > 0
    assert {"journal.sqlite3", "connections.json", "customers - errors.xlsx",
            "customers.json"} <= written
    assert secret_hits(app_home, [TOKEN]) == []
    captured = capfd.readouterr()
    assert text_hits({"stdout": captured.out, "stderr": captured.err, "log": caplog.text},
                     [TOKEN]) == []


# -- plain http and TLS -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://api.instasent.com/v1",
    "http://0.0.0.0:8765/v1",
    "http://127.0.0.1.nip.io/v1",
    "http://[::ffff:10.0.0.1]/v1",
    "HTTP://API.INSTASENT.COM/v1",
])
def test_the_command_refuses_plain_http_to_another_machine(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INSTASENT_TOKEN", TOKEN)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(2))
    with pytest.raises(InsecureURLError):
        IngestClient(url, "p", "d", TOKEN)
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--base-url", url, "--project", "p", "--datasource", "d",
                             *CONTACT_MAP)
    assert code == cli.EXIT_USAGE
    assert "https://" in err
    assert TOKEN not in out + err
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", url, *CONTACT_MAP)
    assert code == cli.EXIT_USAGE
    assert "https://" in err


#: Switches people reach for to turn certificate checks off in Python tools.
INSECURE_ENVIRONMENT = {
    "PYTHONHTTPSVERIFY": "0",
    "SSL_CERT_FILE": "",
    "SSL_CERT_DIR": "",
    "REQUESTS_CA_BUNDLE": "",
    "CURL_CA_BUNDLE": "",
    "HTTPX_SSL_VERIFY": "0",
    "INGEST_GUI_INSECURE": "1",
    "INGEST_GUI_VERIFY": "0",
}


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path)


def test_a_self_signed_server_is_refused_whatever_the_environment_says(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = certificate
    for name, value in INSECURE_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with https_server(cert, key) as (base_url, seen):
        with IngestClient(base_url, "demo", "demo", TOKEN) as client, \
                pytest.raises(TransportError) as caught:
            client.stream_info()
        assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
        assert TOKEN not in str(caught.value)
        assert seen == []  # the request, and its token, never got through

        # Control: the server does answer a client told to trust its certificate, so the
        # refusal above is the verification and nothing else.
        trusting = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(cert)))
        with IngestClient(base_url, "demo", "demo", TOKEN, transport=trusting) as client:
            client.stream_info()
        assert seen == ["/v1/project/demo/datasource/demo/stream"]


def test_a_certificate_file_named_in_the_environment_does_not_apply_to_loopback(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SSL_CERT_FILE may add a company CA for the real service; it never turns checks off and
    is not read for this computer (where only the sandbox runs, over http)."""
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with https_server(cert, key) as (base_url, seen), \
            IngestClient(base_url, "demo", "demo", TOKEN) as client, \
            pytest.raises(TransportError):
        client.stream_info()
    assert seen == []


@pytest.mark.parametrize("url", ["https://api.instasent.com/v1", "https://127.0.0.1:9/v1"])
def test_every_client_transport_verifies_certificates_and_host_names(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in INSECURE_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with IngestClient(url, "demo", "demo", TOKEN) as client:
        transport = client._http._transport
        assert isinstance(transport, httpx.HTTPTransport)
        context = transport._pool._ssl_context
        assert context is not None
        assert context.verify_mode is ssl.CERT_REQUIRED
        assert context.check_hostname


def test_the_command_refuses_a_self_signed_server_in_a_fresh_process(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    """PYTHONHTTPSVERIFY is read when Python starts, so this runs the real command with the
    whole insecure environment set from the start."""
    cert, key = certificate
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(3))
    with https_server(cert, key) as (base_url, seen):
        process = subprocess.run(
            [sys.executable, "-m", "ingest_gui", "import", str(path), "--kind", "contacts",
             "--base-url", base_url, "--project", "demo", "--datasource", "demo",
             *CONTACT_MAP],
            cwd=ROOT, env=dict(os.environ, INSTASENT_TOKEN=TOKEN, **INSECURE_ENVIRONMENT),
            capture_output=True, text=True, timeout=120, check=False,
        )
    assert process.returncode == cli.EXIT_CONNECTION, process.stderr
    assert "certificate" in process.stderr.lower()
    assert "Traceback" not in process.stderr
    assert TOKEN not in process.stdout + process.stderr
    assert seen == []


def test_no_code_path_in_the_app_can_switch_verification_off() -> None:
    """The client's ``transport`` argument is a test seam; nothing in the app passes one, and
    no module builds an unverified TLS context."""
    package = ROOT / "ingest_gui"
    switches = ("verify=False", "CERT_NONE", "check_hostname = False", "check_hostname=False",
                "_create_unverified_context", "PYTHONHTTPSVERIFY")
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for switch in switches:
            assert switch not in text, f"{source.relative_to(ROOT)} contains {switch}"
        if source.name != "client.py":
            assert "transport=" not in text.replace("transport=None", ""), source
