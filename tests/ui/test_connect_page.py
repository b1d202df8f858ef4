"""Connect page against the real sandbox over loopback."""

from __future__ import annotations

import logging
import threading

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard, QWizardPage

from ingest_gui.core import connections
from ingest_gui.core.connections import KEYRING_SERVICE, Connection
from ingest_gui.sandbox.server import DEFAULT_TOKEN
from ingest_gui.ui import logging_setup
from ingest_gui.ui.pages import connect
from ingest_gui.ui.pages.connect import ConnectPage
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import stop_page_tasks

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform warns when a wizard page change resizes the window.
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]

WAIT_MS = 15_000


@pytest.fixture
def host(qtbot):
    """A QWizard holding the real Connect page followed by an empty page (so Next exists)."""
    created: list[tuple[QWizard, ConnectPage, WizardSession]] = []

    def make() -> tuple[QWizard, ConnectPage, WizardSession]:
        wizard = QWizard()
        session = WizardSession(wizard)
        page = ConnectPage(session)
        wizard.addPage(page)
        wizard.addPage(QWizardPage())
        qtbot.addWidget(wizard)
        wizard.show()
        created.append((wizard, page, session))
        return wizard, page, session

    yield make
    for _wizard, page, session in created:
        page.shutdown()
        stop_page_tasks(page)
        session.close()


def fill(qtbot, page: ConnectPage, server, *, token: str = DEFAULT_TOKEN,
         project: str | None = None) -> None:
    page.advanced_button.setChecked(True)
    for edit, text in (
        (page.name_edit, "Shop"), (page.project_edit, project or server.config.project),
        (page.datasource_edit, server.config.datasource), (page.token_edit, token),
        (page.base_url_edit, server.base_url),
    ):
        edit.clear()
        qtbot.keyClicks(edit, text)


def next_enabled(wizard: QWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_success_shows_names_and_enables_next_after_specs(qtbot, host, sandbox):
    wizard, page, session = host()
    fill(qtbot, page, sandbox)
    assert not next_enabled(wizard)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.status.kind == "ok"
    details = page.details.text()
    assert session.data.stream_info is not None
    assert session.data.stream_info.project_name in details
    assert session.data.stream_info.datasource_name in details
    assert session.data.stream_info.organization_name in details
    assert "Usage:" in details
    assert session.data.specs is not None
    assert session.data.specs.events
    assert next_enabled(wizard)


def test_wrong_token_shows_the_plain_reason_and_keeps_next_disabled(qtbot, host, sandbox):
    wizard, page, _session = host()
    fill(qtbot, page, sandbox, token="not-the-right-token")
    page.test_connection()
    qtbot.waitUntil(lambda: page.status.kind == "error", timeout=WAIT_MS)
    assert "token was refused" in page.status.message
    assert "not-the-right-token" not in page.status.message
    assert not next_enabled(wizard)


def test_wrong_project_says_the_ids_are_wrong(qtbot, host, sandbox):
    _wizard, page, _session = host()
    fill(qtbot, page, sandbox, project="no-such-project")
    page.test_connection()
    qtbot.waitUntil(lambda: page.status.kind == "error", timeout=WAIT_MS)
    assert "not found" in page.status.message


def test_offline_service_says_it_cannot_be_reached(qtbot, host, sandbox):
    _wizard, page, _session = host()
    fill(qtbot, page, sandbox)
    page.base_url_edit.setText("http://127.0.0.1:9/v1")  # discard port: nothing listens
    page.test_connection()
    qtbot.waitUntil(lambda: page.status.kind == "error", timeout=WAIT_MS)
    assert "Could not reach" in page.status.message


def test_the_client_is_built_off_the_gui_thread_and_then_shared(qtbot, host, sandbox,
                                                                  monkeypatch):
    """Its TLS context takes tens of ms to build: the test's worker builds it, the session
    adopts it, and the later pages use that same client."""
    import threading

    built: list[tuple[object, bool]] = []
    real_build = connect.build_client

    def recording_build(connection, token):
        client = real_build(connection, token)
        built.append((client, threading.current_thread() is threading.main_thread()))
        return client

    monkeypatch.setattr(connect, "build_client", recording_build)
    _wizard, page, session = host()
    fill(qtbot, page, sandbox)
    page.test_connection()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert [on_gui for _client, on_gui in built] == [False]
    assert session.client() is built[0][0]


def test_a_superseded_test_closes_its_own_client(qtbot, host, sandbox, monkeypatch):
    closed: list[object] = []
    built: list[object] = []
    real_build = connect.build_client

    def recording_build(connection, token):
        client = real_build(connection, token)
        real_close = client.close

        def close() -> None:
            closed.append(client)
            real_close()

        client.close = close  # type: ignore[method-assign]
        built.append(client)
        return client

    monkeypatch.setattr(connect, "build_client", recording_build)
    _wizard, page, session = host()
    fill(qtbot, page, sandbox)
    page.test_connection()
    page.test_connection()  # the user clicks again before the first answer
    tests_ended: list[bool] = []
    page.testing.call_when_ended(lambda: tests_ended.append(True))
    qtbot.waitUntil(lambda: page.isComplete() and tests_ended == [True], timeout=WAIT_MS)
    assert len(built) == 2  # the two workers may build them in either order
    kept = session.client()
    assert len(closed) == 1
    assert closed[0] is not kept
    assert {id(client) for client in built} == {id(closed[0]), id(kept)}


def test_an_address_that_would_expose_the_token_is_refused_at_once(qtbot, host, sandbox):
    _wizard, page, _session = host()
    fill(qtbot, page, sandbox)
    page.base_url_edit.setText("http://example.com/v1")
    page.test_connection()
    assert page.status.kind == "error"  # told before any thread starts
    assert "https://" in page.status.message
    assert page.test_button.isEnabled()
    assert not page.testing.is_running()


def test_missing_fields_are_named(qtbot, host):
    _wizard, page, _session = host()
    page.test_connection()
    assert page.status.kind == "error"
    assert "project id" in page.status.message
    assert "API token" in page.status.message


def test_editing_after_a_successful_test_disables_next_again(qtbot, host, sandbox):
    wizard, page, _session = host()
    fill(qtbot, page, sandbox)
    page.test_connection()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    qtbot.keyClicks(page.datasource_edit, "x")
    assert not page.isComplete()
    assert not next_enabled(wizard)


def test_sandbox_button_starts_an_in_process_sandbox_and_enables_next(qtbot, host):
    wizard, page, session = host()
    assert page.sandbox_button.property("highlighted") is True  # no saved connection yet
    qtbot.mouseClick(page.sandbox_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    server = session.data.sandbox
    assert server is not None
    assert page.base_url_edit.text() == server.base_url
    assert page.project_edit.text() == server.config.project
    assert session.data.specs is not None
    assert next_enabled(wizard)
    assert not page.remember_box.isChecked()  # its port changes every start


def test_saving_puts_ids_in_json_token_in_keychain_and_nowhere_else(
        qtbot, host, sandbox, memory_keyring, app_home):
    logging_setup.setup_logging(logging.DEBUG, to_stderr=False)
    try:
        wizard, page, _session = host()
        fill(qtbot, page, sandbox, token="wrong-token-123456")
        page.test_connection()
        qtbot.waitUntil(lambda: page.status.kind == "error", timeout=WAIT_MS)
        fill(qtbot, page, sandbox)
        page.test_connection()
        qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
        logging.getLogger("test").info("typed %s into the form", DEFAULT_TOKEN)
        wizard.next()
        assert wizard.currentId() == wizard.pageIds()[1]
        # Saved off the GUI thread: the page has moved on meanwhile.
        qtbot.waitUntil(lambda: not page.keychain_busy(), timeout=WAIT_MS)
    finally:
        logging_setup.shutdown_logging()
    assert connections.load_connections() == [
        Connection("Shop", sandbox.base_url, sandbox.config.project, sandbox.config.datasource)]
    assert memory_keyring.passwords[(KEYRING_SERVICE, "Shop")] == DEFAULT_TOKEN
    log_text = logging_setup.log_file_path().read_text(encoding="utf-8")
    assert "typed [REDACTED] into the form" in log_text
    written = [file for file in app_home.rglob("*") if file.is_file()]
    assert any(file.name == "connections.json" for file in written)
    for file in written:
        content = file.read_bytes()
        assert DEFAULT_TOKEN.encode() not in content, file
        assert b"wrong-token-123456" not in content, file


def test_saved_connection_is_preselected_and_tested(qtbot, host, sandbox):
    connections.save_connection(Connection("Old", "https://example.invalid/v1", "p", "d"))
    shop = Connection("Shop", sandbox.base_url, sandbox.config.project, sandbox.config.datasource)
    connections.save_connection(shop)
    connections.store_token("Shop", DEFAULT_TOKEN)
    wizard, page, _session = host()
    assert page.saved_combo.currentText() == "Shop"
    assert page.project_edit.text() == sandbox.config.project
    # The token is read from the keychain on a worker once the window shows.
    qtbot.waitUntil(lambda: page.token_edit.text() == DEFAULT_TOKEN, timeout=WAIT_MS)
    assert page.sandbox_button.property("highlighted") is False
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)  # tested on its own
    assert next_enabled(wizard)


def test_without_a_keychain_the_token_stays_in_memory_only(qtbot, host, sandbox, app_home,
                                                           monkeypatch):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    told: list[str] = []
    monkeypatch.setattr(connect.KeychainNotice, "tell",
                        classmethod(lambda cls, parent, message: told.append(message)))
    wizard, page, session = host()
    qtbot.waitUntil(lambda: "No system keychain" in page.keychain_label.text(), timeout=WAIT_MS)
    fill(qtbot, page, sandbox)
    page.test_connection()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    wizard.next()
    assert session.data.token == DEFAULT_TOKEN
    qtbot.waitUntil(lambda: not page.keychain_busy(), timeout=WAIT_MS)
    assert told == []  # the page already said so; no extra dialog
    assert connections.load_connections()[0].name == "Shop"
    with pytest.raises(connections.KeychainUnavailable):
        connections.read_token("Shop")
    for file in app_home.rglob("*"):
        if file.is_file():
            assert DEFAULT_TOKEN.encode() not in file.read_bytes()


def test_a_keychain_refusing_at_the_last_moment_is_told(qtbot, host, sandbox, memory_keyring,
                                                        monkeypatch):
    def refuse(service, username, password):
        raise keyring.errors.PasswordSetError("locked")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    told: list[str] = []
    monkeypatch.setattr(connect.KeychainNotice, "tell",
                        classmethod(lambda cls, parent, message: told.append(message)))
    wizard, page, session = host()
    fill(qtbot, page, sandbox)
    page.test_connection()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    wizard.next()
    assert session.data.token == DEFAULT_TOKEN
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)  # the save answers off the GUI thread
    assert "kept in memory" in told[0]
    assert "refused to save" in told[0]
    assert "kept in the system keychain" not in page.keychain_label.text()


def test_the_keychain_is_asked_off_the_gui_thread_once_the_window_shows(qtbot, host,
                                                                        monkeypatch):
    """Loading keyring and choosing its backend takes a good part of a second: the window
    neither waits for it nor freezes while it happens."""
    connections.save_connection(Connection("Shop", "https://example.invalid/v1", "p", "d"))
    connections.store_token("Shop", DEFAULT_TOKEN)
    asked_on: list[tuple[str, bool]] = []
    real_available, real_read = connections.keychain_available, connections.read_token

    def available() -> bool:
        asked_on.append(("available", threading.current_thread() is threading.main_thread()))
        return real_available()

    def read(name: str) -> str | None:
        asked_on.append(("read", threading.current_thread() is threading.main_thread()))
        return real_read(name)

    monkeypatch.setattr(connections, "keychain_available", available)
    monkeypatch.setattr(connections, "read_token", read)
    _wizard, page, _session = host()
    assert asked_on == []  # nothing while the window was built and shown
    qtbot.waitUntil(lambda: "kept in the system keychain" in page.keychain_label.text(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.token_edit.text() == DEFAULT_TOKEN, timeout=WAIT_MS)
    assert page.keychain_label.text() == (
        "The token is kept in the system keychain, never in a file.")
    assert {what for what, _on_main in asked_on} == {"available", "read"}
    assert not any(on_main for _what, on_main in asked_on)


def test_a_token_typed_while_the_saved_one_is_read_is_kept(qtbot, host, monkeypatch):
    connections.save_connection(Connection("Shop", "https://example.invalid/v1", "p", "d"))
    connections.store_token("Shop", DEFAULT_TOKEN)
    release = threading.Event()
    real_read = connections.read_token

    def slow_read(name: str) -> str | None:
        release.wait(WAIT_MS / 1000)
        return real_read(name)

    monkeypatch.setattr(connections, "read_token", slow_read)
    _wizard, page, _session = host()
    qtbot.waitUntil(page.token_read_pending, timeout=WAIT_MS)
    qtbot.keyClicks(page.token_edit, "typed-token-123456")
    release.set()
    qtbot.waitUntil(lambda: not page.token_read_pending(), timeout=WAIT_MS)
    # (Not running any more means its result has reached the page.)
    assert page.token_edit.text() == "typed-token-123456"


class LockedSecretService(keyring.backend.KeyringBackend):
    """A Secret Service keychain whose unlock prompt was refused: every read is refused."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


# Named as keyring's own backend module, so the app names it as the user knows it.
LockedSecretService.__module__ = "keyring.backends.SecretService"


def test_a_locked_keychain_is_named_and_the_token_can_still_be_pasted(qtbot, host, sandbox):
    shop = Connection("Shop", sandbox.base_url, sandbox.config.project, sandbox.config.datasource)
    connections.save_connection(shop)
    keyring.set_keyring(LockedSecretService())
    wizard, page, session = host()
    expected = (
        "The system keychain (Secret Service) is locked, so the saved token could not be "
        "read. Unlock it and choose the connection again, or paste the token: it is kept in "
        "memory until you close the app.")
    qtbot.waitUntil(lambda: page.keychain_label.text() == expected, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not page.keychain_busy(), timeout=WAIT_MS)
    # The keychain check answered too, and did not cover the sentence with a promise.
    assert page.keychain_label.text() == expected
    assert page.token_edit.text() == ""
    qtbot.keyClicks(page.token_edit, DEFAULT_TOKEN)
    page.test_connection()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    page.remember_box.setChecked(False)
    wizard.next()
    assert session.data.token == DEFAULT_TOKEN


def test_a_keychain_that_fails_to_read_is_named(qtbot, host, memory_keyring, monkeypatch):
    connections.save_connection(Connection("Shop", "https://example.invalid/v1", "p", "d"))

    def broken(service: str, username: str) -> str | None:
        raise keyring.errors.InitError("no D-Bus session")

    monkeypatch.setattr(memory_keyring, "get_password", broken)
    _wizard, page, _session = host()
    qtbot.waitUntil(lambda: "could not be read" in page.keychain_label.text(), timeout=WAIT_MS)
    assert page.keychain_label.text().startswith("The system keychain (MemoryKeyring)")
    assert "kept in memory" in page.keychain_label.text()
    qtbot.waitUntil(lambda: not page.keychain_busy(), timeout=WAIT_MS)
    assert "kept in the system keychain" not in page.keychain_label.text()


def test_a_keychain_answer_after_the_page_is_gone_is_dropped(qtbot, monkeypatch):
    """The window closed during an unlock prompt: when the keychain answers at last, nothing
    reaches the destroyed page, and automatic garbage collection resumes."""
    import gc

    from ingest_gui.ui.workers import gui_thread_collections

    release = threading.Event()
    wizard = QWizard()
    session = WizardSession(wizard)
    page = ConnectPage(session)
    wizard.addPage(page)
    answers: list[object] = []
    call = connect.KeychainCall(lambda: release.wait(WAIT_MS / 1000) and "late", page)
    call.start(answers.append)
    assert gui_thread_collections.active
    page.shutdown()
    session.close()
    wizard.deleteLater()
    qtbot.waitUntil(lambda: not shiboken_valid(page), timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: not call.is_running(), timeout=WAIT_MS)
    assert answers == []
    qtbot.waitUntil(lambda: not gui_thread_collections.active, timeout=WAIT_MS)
    assert gc.isenabled()


def shiboken_valid(widget: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(widget))


def test_show_token_toggles_the_mask(qtbot, host):
    _wizard, page, _session = host()
    from PySide6.QtWidgets import QLineEdit

    assert page.token_edit.echoMode() == QLineEdit.EchoMode.Password
    page.show_token_action.trigger()
    assert page.token_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert page.show_token_box.isChecked()
    page.show_token_action.trigger()
    assert page.token_edit.echoMode() == QLineEdit.EchoMode.Password


def test_every_control_has_an_accessible_name(qtbot, host):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    _wizard, page, _session = host()
    controls = page.findChildren(QLineEdit) + page.findChildren(QComboBox) + \
        page.findChildren(QAbstractButton)
    assert controls
    unnamed = [type(c).__name__ for c in controls
               if not c.accessibleName() and not (isinstance(c, QAbstractButton) and c.text())
               and c.parent() is not None and not isinstance(c.parent(), QComboBox)]
    assert unnamed == []
