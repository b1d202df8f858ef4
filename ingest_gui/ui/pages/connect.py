"""Page 1, Connect: which datasource to import into, tested before Next is enabled.

The test (``GET /stream``) and the spec download run off the GUI thread (:class:`PageTask`);
Next waits for both. The saved connection's ids go to ``core.connections``; the token only to the OS
keychain, or nowhere (kept in the session) when there is none.

The keychain is asked off the GUI thread too, once the window shows (whether there is one, and
the saved connection's token), and when the token is saved: loading keyring and choosing its
backend takes a good part of a second, which the window's first appearance does not wait for,
and a locked keychain's call waits for its unlock prompt, which may never be answered. So each
keychain call runs on a daemon thread nothing waits for (:class:`KeychainCall`): closing the
window during an unlock prompt closes it at once.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ingest_gui.api import errors
from ingest_gui.api.urls import DEFAULT_BASE_URL, normalize_base_url
from ingest_gui.core import connections
from ingest_gui.core.connections import Connection, KeychainUnavailable
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.logging_setup import register_secret
from ingest_gui.ui.session import WizardSession, build_client
from ingest_gui.ui.tasks import PageTask
from ingest_gui.ui.widgets.page_helpers import (
    StatusLabel,
    accessible,
    highlight_button,
    secondary_label,
)
from ingest_gui.ui.workers import describe_error, gui_thread_collections

if TYPE_CHECKING:
    from ingest_gui.api.client import IngestClient
    from ingest_gui.api.specs import DatasourceSpecs, StreamInfo
    from ingest_gui.core.cancel import CancelToken
    from ingest_gui.sandbox.server import SandboxServer

log = logging.getLogger(__name__)

def describe_connection_error(error: BaseException) -> str:
    """A plain-language reason why the connection test failed (runs on the worker thread)."""
    # Each call names its context in full (no helper) so lupdate files it under "ConnectPage".
    translate = QCoreApplication.translate
    if isinstance(error, errors.AuthError):
        return arg(translate(
            "ConnectPage",
            "The API token was refused (HTTP %1). Check that you copied the whole token "
            "and that it belongs to this project."), str(error.status or 401))
    if isinstance(error, errors.NotFoundError):
        return translate(
            "ConnectPage",
            "The project or datasource was not found (HTTP 404). Check both ids; the token may "
            "also belong to a different project.")
    if isinstance(error, errors.InsecureURLError):
        return translate(
            "ConnectPage",
            "This address would send the token unencrypted. Use an https:// address.")
    if isinstance(error, errors.TransportError):
        return arg(translate(
            "ConnectPage",
            "Could not reach the Instasent service. Check your internet connection and the "
            "service address. (%1)"), str(error))
    if isinstance(error, errors.RateLimitedError):
        return translate(
            "ConnectPage",
            "The service asks us to slow down (HTTP 429). Wait a minute and try again.")
    if isinstance(error, errors.ServerError):
        return arg(translate(
            "ConnectPage",
            "The Instasent service had a problem (HTTP %1). Try again in a few "
            "minutes."), str(error.status or 500))
    if isinstance(error, errors.IngestError):
        return str(error)
    return describe_error(error)


class KeychainCall(QObject):
    """One keychain call on a daemon thread; its result (or the :class:`KeychainUnavailable` it
    raised) reaches ``on_done`` on the GUI thread, unless ``receiver`` is gone by then.

    Nothing waits for the thread at shutdown: a call blocked on an unlock prompt nobody answers
    is left behind, and ends with the process. (A ``QThread`` cannot be: destroying a running
    one aborts the process, and waiting for it froze the window for 30 s.)

    Why a plain thread is safe here (see :class:`ingest_gui.ui.workers.GuiThreadCollections`):
    the thread runs only keyring and, at the end, one signal emission; it holds no Qt wrapper
    but this object, which the application owns (so no wrapper is freed on it). Python's
    automatic garbage collection is held off from before the thread starts until after it
    has ended, so no collection ever starts on it and walks Qt objects while the GUI thread
    destroys a widget tree. (While an unlock prompt waits for an answer, the GUI thread does
    the young collections instead, as it does while any task runs.)

    Signals:
        done(object): the call's result or its ``KeychainUnavailable``, emitted on the thread
            and delivered on the GUI thread.
    """

    done = Signal(object)

    # How often the GUI thread looks whether the ended call's thread is gone.
    _ENDED_POLL_MS = 1

    def __init__(self, call: Callable[[], Any], receiver: QObject) -> None:
        # Owned by the application, not the page: its ending (the collections released, the
        # object deleted) must happen even when the page is destroyed first.
        super().__init__(QCoreApplication.instance())
        self._call = call
        self._receiver = receiver
        self._on_done: Callable[[Any], None] | None = None
        self._thread: threading.Thread | None = None
        self._running = False

    def start(self, on_done: Callable[[Any], None]) -> KeychainCall:
        self._on_done = on_done
        self.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        gui_thread_collections.task_started()
        self._running = True
        self._thread = threading.Thread(target=self._run, name="ingest-gui-keychain",
                                        daemon=True)
        self._thread.start()
        return self

    def is_running(self) -> bool:
        """True until the result has been delivered."""
        return self._running

    def _run(self) -> None:  # on the daemon thread
        try:
            result: Any = self._call()
        except KeychainUnavailable as error:
            result = error
        except Exception as error:  # a backend is plug-in code: any failure means "no answer"
            result = KeychainUnavailable(type(error).__name__)
        # The application, and this object with it, may be gone at shutdown.
        with contextlib.suppress(RuntimeError):
            self.done.emit(result)

    @Slot(object)
    def _deliver(self, result: Any) -> None:
        self._running = False
        if self._on_done is not None and shiboken6.isValid(self._receiver):
            self._on_done(result)
        self._on_done = None
        self._end_when_thread_gone()

    def _end_when_thread_gone(self) -> None:
        # The thread still runs a little Python after its emission: automatic collection
        # resumes only once it has ended.
        if self._thread is not None and self._thread.is_alive():
            QTimer.singleShot(self._ENDED_POLL_MS, self._end_when_thread_gone)
            return
        gui_thread_collections.task_ended()
        self.deleteLater()


class KeychainNotice:
    """Tells the user the token could not be saved (the keychain refused at the last moment)."""

    @classmethod
    def tell(cls, parent: QWidget | None, message: str) -> None:
        QMessageBox.information(
            parent, QCoreApplication.translate("KeychainNotice", "Token not saved"), message)


class ConnectPage(QWizardPage):
    """Choose or enter a connection, test it, and fetch the datasource's specs."""

    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._shown = False
        self._shut_down = False
        self._tested_connection: tuple[Connection, str] | None = None
        self._specs_ready = False
        self._filling = False
        # Whether there is a system keychain (None until asked), and the sentence saying why
        # the saved token could not be read or saved (a locked or failing keychain).
        self._keychain_available: bool | None = None
        self._keychain_problem = ""
        self.keychain_calls: list[KeychainCall] = []  # running, oldest first
        self._token_read: KeychainCall | None = None
        self.setTitle(self.tr("Connect to your datasource"))
        self.setSubTitle(self.tr(
            "Enter the project and datasource you want to import into, or try the wizard on a "
            "built-in sandbox first. Nothing is sent until the Upload step."))
        self._build()
        self.testing = PageTask(self, disables=(self.test_button,),
                                describe=describe_connection_error)
        self.specs_reading = PageTask(self, describe=describe_connection_error)
        self.sandbox_starting = PageTask(self, disables=(self.sandbox_button,))
        self._load_saved_connections()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.sandbox_frame = QFrame()
        self.sandbox_frame.setFrameShape(QFrame.Shape.StyledPanel)
        sandbox_layout = QHBoxLayout(self.sandbox_frame)
        self.sandbox_text = secondary_label(self.tr(
            "New here? The sandbox is a practice datasource running on this computer: try "
            "every step safely, nothing reaches Instasent."))
        self.sandbox_button = accessible(
            QPushButton(self.tr("Try it on the &sandbox")), self.tr("Try it on the sandbox"),
            self.tr("Starts a practice datasource on this computer and connects to it."))
        self.sandbox_button.clicked.connect(self.start_sandbox)
        sandbox_layout.addWidget(self.sandbox_text, 1)
        sandbox_layout.addWidget(self.sandbox_button)

        self.saved_combo = accessible(
            QComboBox(), self.tr("Saved connections"),
            self.tr("Connections you used before; the token is read from the system keychain."))
        self.saved_combo.currentIndexChanged.connect(self._on_saved_chosen)
        self.forget_button = accessible(
            QToolButton(), self.tr("Forget this connection"),
            self.tr("Removes the saved connection and its token from this computer."))
        self.forget_button.setText(self.tr("&Forget"))
        self.forget_button.clicked.connect(self._forget_connection)
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved_combo, 1)
        saved_row.addWidget(self.forget_button)

        self.name_edit = accessible(QLineEdit(), self.tr("Connection name"),
                                    self.tr("A name to find this connection again later."))
        self.name_edit.setPlaceholderText(self.tr("e.g. Online shop"))
        self.project_edit = accessible(QLineEdit(), self.tr("Project id"))
        self.project_edit.setPlaceholderText(self.tr("From Settings → API in the Instasent app"))
        self.datasource_edit = accessible(QLineEdit(), self.tr("Datasource id"))
        self.datasource_edit.setPlaceholderText(self.tr("The datasource you import into"))
        self.token_edit = accessible(
            QLineEdit(), self.tr("API token"),
            self.tr("The datasource's API token. It is stored only in the system keychain."))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Paste the API token"))
        self.show_token_action = QAction(self.tr("Show token"), self.token_edit)
        self.show_token_action.setCheckable(True)
        self.show_token_action.setIcon(QIcon.fromTheme("view-reveal-symbolic",
                                                       QIcon.fromTheme("document-open")))
        self.show_token_action.setToolTip(self.tr("Show or hide the token"))
        self.show_token_action.toggled.connect(self._toggle_token_visible)
        self.token_edit.addAction(self.show_token_action, QLineEdit.ActionPosition.TrailingPosition)
        for button in self.token_edit.findChildren(QToolButton):  # the action's own button
            accessible(button, self.tr("Show or hide the token"))
        self.show_token_box = accessible(QCheckBox(self.tr("S&how token")), self.tr("Show token"))
        self.show_token_box.toggled.connect(self.show_token_action.setChecked)
        self.show_token_action.toggled.connect(self.show_token_box.setChecked)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.show_token_box)

        self.base_url_edit = accessible(
            QLineEdit(DEFAULT_BASE_URL), self.tr("Service address"),
            self.tr("Only change this if Instasent support asked you to."))
        self.advanced_button = accessible(QToolButton(), self.tr("Show advanced settings"))
        self.advanced_button.setText(self.tr("&Advanced"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.toggled.connect(self._toggle_advanced)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(self._buddy(self.tr("Sa&ved connection:"), self.saved_combo), saved_row)
        self.form.addRow(self._buddy(self.tr("&Name:"), self.name_edit), self.name_edit)
        self.form.addRow(self._buddy(self.tr("&Project id:"), self.project_edit),
                         self.project_edit)
        self.form.addRow(self._buddy(self.tr("&Datasource id:"), self.datasource_edit),
                         self.datasource_edit)
        self.form.addRow(self._buddy(self.tr("API &token:"), self.token_edit), token_row)
        self.form.addRow("", self.advanced_button)
        self.base_url_label = self._buddy(self.tr("Service &address:"), self.base_url_edit)
        self.form.addRow(self.base_url_label, self.base_url_edit)
        self.form.setRowVisible(self.base_url_edit, False)

        self.remember_box = accessible(
            QCheckBox(self.tr("&Remember this connection on this computer")),
            self.tr("Remember this connection"))
        self.remember_box.setChecked(True)
        # Filled by _check_keychain once the window shows.
        self.keychain_label = secondary_label()

        self.test_button = accessible(QPushButton(self.tr("T&est connection")),
                                      self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        self.status = accessible(StatusLabel(), self.tr("Connection status"))
        self.status.clear_message()
        self.details = accessible(QLabel(), self.tr("Connection details"))
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        for edit in (self.name_edit, self.project_edit, self.datasource_edit, self.token_edit,
                     self.base_url_edit):
            edit.textEdited.connect(self._on_fields_edited)

        layout = QVBoxLayout(self)
        layout.addWidget(self.sandbox_frame)
        layout.addLayout(self.form)
        layout.addWidget(self.remember_box)
        layout.addWidget(self.keychain_label)
        layout.addLayout(test_row)
        layout.addWidget(self.status)
        layout.addWidget(self.details)
        layout.addStretch(1)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _toggle_token_visible(self, visible: bool) -> None:
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password)
        self.show_token_action.setText(self.tr("Hide token") if visible else self.tr("Show token"))

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.form.setRowVisible(self.base_url_edit, shown)

    # -- the keychain, asked off the GUI thread once the window shows -----------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            # Queued, so the window finishes appearing before a worker competes for the GIL.
            QTimer.singleShot(0, self._after_first_show)

    @Slot()
    def _after_first_show(self) -> None:
        if self._shut_down:
            return
        self._check_keychain()
        connection = self.saved_combo.currentData()
        if connection is not None and not self.current_token():
            self._read_saved_token(connection)

    def _call_keychain(self, call: Callable[[], Any],
                       on_done: Callable[[Any], None]) -> KeychainCall:
        """Run ``call`` on a :class:`KeychainCall`; ``on_done`` gets its result or its
        ``KeychainUnavailable`` on the GUI thread, unless the page has shut down meanwhile."""
        def done(result: Any) -> None:
            if keychain_call in self.keychain_calls:
                self.keychain_calls.remove(keychain_call)
            if not self._shut_down:
                on_done(result)

        keychain_call = KeychainCall(call, self)
        self.keychain_calls.append(keychain_call)
        return keychain_call.start(done)

    def keychain_busy(self) -> bool:
        """True while a keychain call of this page has not answered yet."""
        return bool(self.keychain_calls)

    def _check_keychain(self) -> None:
        def checked(available: bool | KeychainUnavailable) -> None:
            if isinstance(available, KeychainUnavailable):
                log.warning("Could not find out whether there is a system keychain: %s",
                            available)
                available = False
            self._keychain_available = available
            self._show_keychain_state()

        self._call_keychain(connections.keychain_available, checked)

    def _keychain_failed(self, error: KeychainUnavailable, *, saving: bool = False) -> None:
        """A read or save failed: say so instead of promising the keychain keeps the token."""
        if not error.keychain:  # there is none: the page says so already
            self._keychain_available = False
        elif saving:
            # Names the keychain and says the token is kept in memory (core.connections).
            self._keychain_problem = str(error)
        elif error.locked:
            self._keychain_problem = arg(self.tr(
                "The system keychain (%1) is locked, so the saved token could not be read. "
                "Unlock it and choose the connection again, or paste the token: it is kept in "
                "memory until you close the app."), error.keychain)
        else:
            self._keychain_problem = arg(self.tr(
                "The system keychain (%1) could not be read, so the saved token is not filled "
                "in. Paste the token: it is kept in memory until you close the app."),
                error.keychain)
        self._show_keychain_state()

    def _show_keychain_state(self) -> None:
        if self._keychain_available is False:
            self.keychain_label.setText(self.tr(
                "No system keychain is available on this computer, so the token cannot be "
                "saved: it is kept in memory until you close the app, and you will need to "
                "paste it again next time."))
        elif self._keychain_problem:
            self.keychain_label.setText(self._keychain_problem)
        elif self._keychain_available:
            self.keychain_label.setText(self.tr(
                "The token is kept in the system keychain, never in a file."))

    # -- saved connections ------------------------------------------------------------------
    def _load_saved_connections(self) -> None:
        saved = connections.load_connections()
        last = connections.last_connection()
        self._filling = True
        try:
            self.saved_combo.clear()
            for connection in saved:
                self.saved_combo.addItem(connection.name, connection)
            self.saved_combo.addItem(self.tr("New connection"), None)
        finally:
            self._filling = False
        highlight_button(self.sandbox_button, not saved)
        self.forget_button.setEnabled(bool(saved))
        if last is not None:
            index = next(i for i, c in enumerate(saved) if c.name == last.name)
            self.saved_combo.setCurrentIndex(index)
            self._on_saved_chosen(index)
        else:
            self.saved_combo.setCurrentIndex(self.saved_combo.count() - 1)

    @Slot(int)
    def _on_saved_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        connection = self.saved_combo.itemData(index)
        self.forget_button.setEnabled(connection is not None)
        if connection is None:
            self._fill(Connection("", DEFAULT_BASE_URL, "", ""), "")
            return
        self._fill(connection, "")
        self._read_saved_token(connection)

    def _read_saved_token(self, connection: Connection) -> None:
        """Fill in ``connection``'s token from the keychain, read off the GUI thread, then
        test it."""
        self._token_read = None  # an earlier read's answer no longer counts
        if not self._shown or self._shut_down:
            return  # read by _after_first_show, so the window opens first

        def read() -> str | None:
            return connections.read_token(connection.name)

        def answered(token: str | KeychainUnavailable | None) -> None:
            if self._token_read is reading:
                self._token_read = None
                self._on_saved_token(connection, token)

        reading = self._call_keychain(read, answered)
        self._token_read = reading

    def token_read_pending(self) -> bool:
        """True while the saved connection's token is being read from the keychain."""
        return self._token_read is not None

    def _on_saved_token(self, connection: Connection,
                        token: str | KeychainUnavailable | None) -> None:
        if isinstance(token, KeychainUnavailable):
            log.warning("Could not read the saved token of connection %r: %s",
                        connection.name, token)
            self._keychain_failed(token)
            return
        if token:  # the keychain answers again: an earlier failure is over
            self._keychain_problem = ""
            self._show_keychain_state()
        # Only into the connection it was read for, and never over a token typed meanwhile.
        if (not token or self.saved_combo.currentData() != connection
                or self.current_token()):
            return
        register_secret(token)
        self.token_edit.setText(token)
        self._invalidate()
        self.test_connection()

    def _fill(self, connection: Connection, token: str) -> None:
        register_secret(token)
        self.name_edit.setText(connection.name)
        self.project_edit.setText(connection.project)
        self.datasource_edit.setText(connection.datasource)
        self.base_url_edit.setText(connection.base_url)
        self.token_edit.setText(token)
        self._invalidate()

    def _forget_connection(self) -> None:
        connection = self.saved_combo.currentData()
        if connection is None:
            return
        connections.delete_connection(connection.name)
        self._load_saved_connections()

    # -- state ------------------------------------------------------------------------------
    def current_connection(self) -> Connection:
        name = self.name_edit.text().strip() or self.tr("My datasource")
        return Connection(
            name=name,
            base_url=self.base_url_edit.text().strip().rstrip("/") or DEFAULT_BASE_URL,
            project=self.project_edit.text().strip(),
            datasource=self.datasource_edit.text().strip(),
        )

    def current_token(self) -> str:
        return str(self.token_edit.text()).strip()

    def _on_fields_edited(self) -> None:
        register_secret(self.current_token())
        self._invalidate()

    def _invalidate(self) -> None:
        """The fields changed: an earlier test no longer counts."""
        self.testing.discard()
        self.specs_reading.discard()
        self._tested_connection = None
        self._specs_ready = False
        self.status.clear_message()
        self.details.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._specs_ready and self._tested_connection == (
            self.current_connection(), self.current_token())

    # -- testing ----------------------------------------------------------------------------
    @Slot()
    def test_connection(self) -> None:
        connection, token = self.current_connection(), self.current_token()
        missing = [label for label, value in (
            (self.tr("project id"), connection.project),
            (self.tr("datasource id"), connection.datasource),
            (self.tr("API token"), token),
        ) if not value]
        self._invalidate()
        if missing:
            self.status.show_message("error", arg(self.tr("Please fill in the %1."),
                                                     ", ".join(missing)))
            return
        register_secret(token)
        self.session.reset_client(in_use_by=(self.testing, self.specs_reading))
        self.session.data.connection = connection
        self.session.data.token = token
        self.session.data.stream_info = None
        self.session.data.specs = None
        try:
            normalize_base_url(connection.base_url)  # a mistyped address is told at once
        except Exception as error:
            self.status.show_message("error", describe_connection_error(error))
            return
        self.status.show_message("busy", self.tr("Testing the connection…"))
        built: list[IngestClient] = []

        def work(cancel: CancelToken, report: Any) -> StreamInfo:
            # Built here, not on the GUI thread: setting up its TLS context takes tens of ms.
            # The client's other checks (ids, token) fail here and are told like the test's.
            client = build_client(connection, token)
            built.append(client)
            return client.stream_info()

        def close_unadopted() -> None:
            # A client the session did not adopt (the test failed or was superseded) is closed.
            while built:
                built.pop().close()

        self.testing.start(
            work, on_success=lambda info: self._on_test_succeeded(connection, token, info, built),
            on_failure=self._on_test_failed, cleanup=close_unadopted)

    def _on_test_failed(self, message: str) -> None:
        log.info("Connection test failed: %s", message)
        self.status.show_message("error", message)

    def _on_test_succeeded(self, connection: Connection, token: str, info: StreamInfo,
                           built: list[IngestClient]) -> None:
        self.session.adopt_client(built.pop())
        self.session.data.stream_info = info
        self._tested_connection = (connection, token)
        self.status.show_message("busy", self.tr(
            "Connected. Reading the datasource's fields and event types…"))
        self.details.setText(self.describe_stream(info))
        client = self.session.client()

        def work(cancel: CancelToken, report: Any) -> DatasourceSpecs:
            return client.fetch_specs()

        self.specs_reading.start(work, on_success=self._on_specs,
                                 on_failure=self._on_specs_failed)

    def describe_stream(self, info: StreamInfo) -> str:
        return arg(self.tr(
            "Organisation: %1\nProject: %2\nDatasource: %3\n"
            "Usage: contacts received: %4 · events received: %5 · "
            "API calls: %6 (failed: %7)"),
            info.organization_name or "—", info.project_name or info.project_id,
            info.datasource_name or info.datasource_id, info.received_contacts,
            info.received_events, info.calls_total, info.calls_failures)

    def _on_specs(self, specs: DatasourceSpecs) -> None:
        self.session.data.specs = specs
        self._specs_ready = True
        self.status.show_message("ok", arg(self.tr(
            "Connection works. Contact fields: %1; event types: %2."),
            len(specs.attributes), len(specs.events)))

    def _on_specs_failed(self, message: str) -> None:
        self.status.show_message("error", arg(self.tr(
            "Connected, but the datasource's fields could not be read: %1"), message))

    # -- sandbox ----------------------------------------------------------------------------
    @Slot()
    def start_sandbox(self) -> None:
        existing = self.session.data.sandbox
        if existing is not None:
            self._use_sandbox(existing)
            return
        if self.sandbox_starting.is_running():
            return
        self.status.show_message("busy", self.tr("Starting the sandbox…"))
        started: list[SandboxServer] = []

        def work(cancel: CancelToken, report: Any) -> None:
            # Deferred: the server's web stack is not needed until someone asks for it.
            from ingest_gui.sandbox.server import SandboxConfig, SandboxServer

            started.append(SandboxServer(SandboxConfig()).start())

        def stop_unused() -> None:
            # Started for a window that closed meanwhile: nobody will use it.
            while started:
                started.pop().stop()

        self.sandbox_starting.start(
            work, on_success=lambda _none: self._on_sandbox_started(started.pop()),
            on_failure=lambda message: self.status.show_message("error", arg(self.tr(
                "The sandbox could not start: %1"), message)),
            cleanup=stop_unused)

    def _on_sandbox_started(self, server: SandboxServer) -> None:
        self.session.data.sandbox = server
        self._use_sandbox(server)

    def _use_sandbox(self, server: SandboxServer) -> None:
        config = server.config
        self._filling = True
        self.saved_combo.setCurrentIndex(self.saved_combo.count() - 1)
        self._filling = False
        # Its address changes every start, so remembering it would only clutter the list.
        self.remember_box.setChecked(False)
        self._fill(Connection(self.tr("Sandbox"), server.base_url, config.project,
                              config.datasource), config.token)
        self.test_connection()

    # -- leaving the page -------------------------------------------------------------------
    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        connection, token = self.current_connection(), self.current_token()
        self.session.data.connection = connection
        self.session.data.token = token
        if self.remember_box.isChecked():
            connections.save_connection(connection)
            self._call_keychain(lambda: connections.store_token(connection.name, token),
                                self._on_token_stored)
            self._filling = True
            self._load_saved_connections_quietly(connection.name)
            self._filling = False
        return True

    def _on_token_stored(self, result: KeychainUnavailable | None) -> None:
        if not isinstance(result, KeychainUnavailable):
            return
        log.warning("Token kept in memory only: %s", result)
        if not result.keychain:
            return  # no keychain at all: the page said so before Next
        self._keychain_failed(result, saving=True)
        KeychainNotice.tell(self, self._keychain_problem)

    def _load_saved_connections_quietly(self, select: str) -> None:
        self.saved_combo.clear()
        saved = connections.load_connections()
        for connection in saved:
            self.saved_combo.addItem(connection.name, connection)
        self.saved_combo.addItem(self.tr("New connection"), None)
        self.saved_combo.setCurrentIndex(max(0, self.saved_combo.findText(select)))
        highlight_button(self.sandbox_button, not saved)
        self.forget_button.setEnabled(bool(saved))

    def shutdown(self) -> None:
        self._shut_down = True  # nothing new starts (the wizard then stops the running work)
