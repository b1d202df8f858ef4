"""Start the wizard: the QApplication, its identity, icon, language, log and error dialog."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ingest_gui import APP_NAME, __version__, paths
from ingest_gui.ui import i18n, settings
from ingest_gui.ui.logging_setup import redact, setup_logging
from ingest_gui.ui.resources import app_icon
from ingest_gui.ui.wizard import IngestWizard

ORGANIZATION_NAME = "Instasent"
ORGANIZATION_DOMAIN = "instasent.com"

log = logging.getLogger(__name__)


class UnexpectedErrorDialog:
    """Tells the user something went wrong and where the details are; never a silent exit."""

    @classmethod
    def show_error(cls, parent: QWidget | None, summary: str, log_path: Path) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("UnexpectedErrorDialog", "Unexpected error"))
        box.setText(QCoreApplication.translate(
            "UnexpectedErrorDialog",
            "Something unexpected went wrong. Your data on the server is safe; an upload in "
            "progress can be resumed when you start the app again."))
        box.setInformativeText(i18n.arg(QCoreApplication.translate(
            "UnexpectedErrorDialog",
            "The details were written to the log file:\n%1"), str(log_path)))
        box.setDetailedText(summary)
        box.exec()


class _ErrorReporter(QObject):
    """Lives on the GUI thread; exceptions from any thread reach the dialog through it."""

    reported = Signal(str)

    def __init__(self, log_path: Path) -> None:
        super().__init__()
        self._log_path = log_path
        self._showing = False
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _show(self, summary: str) -> None:
        if self._showing:  # an error while the dialog is open: logged, not stacked
            return
        self._showing = True
        try:
            parent = QApplication.activeWindow()
            UnexpectedErrorDialog.show_error(parent, summary, self._log_path)
        finally:
            self._showing = False


_reporter: _ErrorReporter | None = None


def install_excepthook(log_path: Path) -> None:
    """Log every uncaught exception (GUI or worker thread) and show the error dialog."""
    global _reporter
    _reporter = _ErrorReporter(log_path)

    def report(kind: type[BaseException], error: BaseException,
               trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("Uncaught exception", exc_info=(kind, error, trace))
        summary = redact("".join(traceback.format_exception(kind, error, trace)))
        if _reporter is not None:
            _reporter.reported.emit(summary)

    def report_thread(hook_args: threading.ExceptHookArgs) -> None:
        if hook_args.exc_value is not None:
            report(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback)

    sys.excepthook = report
    threading.excepthook = report_thread


def configure_application(app: QApplication) -> None:
    """Identity, icon and a style that follows the OS light/dark palette."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # The classic Windows style ignores the OS dark mode; Fusion follows it. Elsewhere the
    # platform's own style already does.
    if app.style().name().lower() == "windowsvista":
        app.setStyle("Fusion")


def delete_expired_snapshots(retention_days: int) -> int:
    """Delete the undo snapshots older than ``retention_days`` from the journal (they hold the
    contacts' earlier records); a journal that cannot be opened is left for the next start."""
    from ingest_gui.core.journal import JOURNAL_FILE, Journal, JournalError

    try:
        if not (paths.data_dir() / JOURNAL_FILE).exists():
            return 0  # nothing imported yet: no journal to create just for this
        with Journal() as journal:
            deleted = journal.delete_expired_snapshots(retention_days)
    except (JournalError, OSError) as error:
        log.warning("Could not delete expired undo snapshots: %s", error)
        return 0
    if deleted:
        log.info("Deleted %d undo snapshots older than %d days", deleted, retention_days)
    return deleted


def run_wizard(args: list[str]) -> int:
    """Open the wizard; returns the process exit code."""
    log_path = setup_logging()
    log.info("Starting %s %s", APP_NAME, __version__)
    # Error logs written automatically hold customers' data: they go after the retention period
    # set in Settings (its undo snapshots too, once the window shows).
    retention = settings.retention_days()
    expired = paths.delete_expired_error_logs(retention)
    if expired:
        log.info("Deleted %d automatic error logs older than %d days", len(expired), retention)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *args])
    configure_application(app)
    language = i18n.resolve_language(settings.language_choice())
    if not i18n.install_translators(language):
        log.warning("No translation catalogue for %r; using English", language)
    install_excepthook(log_path)
    wizard = IngestWizard()
    wizard.show()
    # Queued: opening the journal need not delay the window's first appearance.
    QTimer.singleShot(0, lambda: delete_expired_snapshots(retention))
    code = int(app.exec())
    log.info("Exiting with code %d", code)
    return code
