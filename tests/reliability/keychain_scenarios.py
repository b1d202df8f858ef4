"""Scenarios run by ``test_real_keychain.py`` inside their own D-Bus session, against a real
GNOME Keyring over Secret Service. Not collected by the suite (the name is not ``test_*``): each
scenario is one app "session", run in a fresh process so a restart is a real restart.

    dbus-run-session -- python -m tests.reliability.keychain_scenarios SCENARIO [--unlock]

``--unlock`` starts the keyring daemon and unlocks the login keyring with
:data:`KEYRING_PASSWORD` (creating it on first use); without it the daemon is started by D-Bus
activation on first use and the keyring stays locked (there is no display for the unlock prompt).

The environment gives the app's home (``KEYCHAIN_SCENARIO_HOME``) and the sandbox's address
(``KEYCHAIN_SCENARIO_SANDBOX``), shared by the scenarios of one test.
"""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest

from ingest_gui import cli
from ingest_gui.core import connections
from ingest_gui.core.connections import KEYRING_SERVICE, KeychainUnavailable
from tests.import_helpers import CONTACT_HEADERS, CONTACT_MAP, contact_rows, summary_of, write_csv
from tests.reliability.keychain_support import KEYRING_PASSWORD
from tests.reliability.secrets_support import TOKEN

CONNECTION = "Shop"
WAIT_MS = 30_000


@pytest.fixture
def real_keychain(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app home shared by the scenarios, and keyring's own choice of backend (the suite's
    conftest puts an in-memory keyring in place; the app never does)."""
    home = Path(os.environ["KEYCHAIN_SCENARIO_HOME"])
    monkeypatch.setenv("INGEST_GUI_HOME", str(home))
    keyring.core.init_backend()
    backend = keyring.get_keyring()
    assert connections.keychain_name() == "Secret Service", f"keyring chose {backend!r}"
    from ingest_gui.ui.logging_setup import setup_logging, shutdown_logging

    setup_logging(logging.DEBUG, to_stderr=False)  # a leaked token would land in the log
    try:
        yield home
    finally:
        shutdown_logging()


def _sandbox_url() -> str:
    return os.environ["KEYCHAIN_SCENARIO_SANDBOX"]


def _connect_page(qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWizard, QWizardPage

    from ingest_gui.ui.pages.connect import ConnectPage
    from ingest_gui.ui.session import WizardSession

    wizard = QWizard()
    session = WizardSession(wizard)
    page = ConnectPage(session)
    wizard.addPage(page)
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard, page, session


@pytest.mark.gui
def test_save(qtbot, real_keychain: Path) -> None:  # type: ignore[no-untyped-def]
    """First session: the token typed on the Connect page goes to the keychain."""
    wizard, page, session = _connect_page(qtbot)
    try:
        qtbot.waitUntil(lambda: "kept in the system keychain" in page.keychain_label.text(),
                        timeout=WAIT_MS)
        page.advanced_button.setChecked(True)
        for edit, text in ((page.name_edit, CONNECTION), (page.project_edit, "demo"),
                           (page.datasource_edit, "demo"), (page.token_edit, TOKEN),
                           (page.base_url_edit, _sandbox_url())):
            edit.clear()
            qtbot.keyClicks(edit, text)
        assert page.remember_box.isChecked()
        page.test_connection()
        qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
        wizard.next()  # validatePage: ids to connections.json, the token to the keychain
        assert wizard.currentId() == 1
        # The token is saved off the GUI thread.
        qtbot.waitUntil(lambda: not page.keychain_busy(), timeout=WAIT_MS)
    finally:
        page.shutdown()
        session.close()
    # Read back through libsecret's own tool, not keyring: the token is in the real keychain.
    found = subprocess.run(
        ["secret-tool", "lookup", "service", KEYRING_SERVICE, "username", CONNECTION],
        capture_output=True, text=True, timeout=30, check=False)
    assert found.stdout == TOKEN, found.stderr


@pytest.mark.gui
def test_restart(qtbot, real_keychain: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                 capsys: pytest.CaptureFixture[str]) -> None:
    """A later session (new process, keyring daemon restarted and unlocked): the Connect page
    fills the token in from the keychain, and so does the command line."""
    _wizard, page, session = _connect_page(qtbot)
    try:
        assert page.saved_combo.currentText() == CONNECTION
        qtbot.waitUntil(lambda: page.token_edit.text() == TOKEN, timeout=WAIT_MS)
        qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)  # and it works against the sandbox
    finally:
        page.shutdown()
        session.close()
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                     contact_rows(20, invalid_every=None))
    code = cli.main(["import", str(path), "--kind", "contacts", "--connection", CONNECTION,
                     *CONTACT_MAP, "--json"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, err
    assert summary_of(out)["accepted"] == 20
    assert TOKEN not in out + err


def test_locked(real_keychain: Path, capsys: pytest.CaptureFixture[str],
                tmp_path: Path) -> None:
    """The keyring was never unlocked (its prompt cannot show): the reader says which keychain
    is locked, and the command line passes that on instead of "no token"."""
    # keyring 25.7's Secret Service backend opens a D-Bus connection and raises KeyringLocked
    # before closing it; the socket is closed when collected. Collect it here, where its
    # ResourceWarning (an error under this suite's filters) is expected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        with pytest.raises(KeychainUnavailable) as caught:
            connections.read_token(CONNECTION)
        locked, message = caught.value.locked, str(caught.value)
        del caught  # its traceback holds the backend's frames, and so the connection
        path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(2))
        code = cli.main(["import", str(path), "--kind", "contacts", "--connection", CONNECTION,
                         *CONTACT_MAP])
        gc.collect()
    assert locked
    assert message.startswith("The system keychain (Secret Service) is locked")
    out, err = capsys.readouterr()
    assert code == cli.EXIT_CONNECTION
    assert "Secret Service" in err
    assert "locked" in err
    assert "Traceback" not in out + err


def main(argv: list[str]) -> int:
    scenario, *flags = argv
    if "--unlock" in flags:
        # Reads the password on stdin; creates the login keyring with it the first time.
        subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                       input=KEYRING_PASSWORD.encode(), stdout=subprocess.DEVNULL,
                       timeout=60, check=True)
    return int(pytest.main([f"{__file__}::test_{scenario}", "-p", "no:cacheprovider", "-q"]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
