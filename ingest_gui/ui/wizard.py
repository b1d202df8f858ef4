"""The wizard window: seven pages built from one tuple, sharing one :class:`WizardSession`.

Page contract (every class in :data:`PAGES`):
- ``Page(session, parent=None)``; pages read the session in ``initializePage`` and write their
  results in ``validatePage``.
- background work runs in :class:`~ingest_gui.ui.tasks.PageTask` children of the page: when the
  window closes they are cancelled and waited for, so no thread outlives the window;
- optional ``shutdown() -> None``: called once when the window closes, before that, for work
  that must stop another way (the upload lets its batches in flight finish).
- the Upload page also has ``is_busy() -> bool`` and ``request_cancel_for_close() -> bool``
  (True: the window may close now).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ingest_gui import APP_NAME, __version__
from ingest_gui.ui import i18n, settings
from ingest_gui.ui.logging_setup import log_file_path
from ingest_gui.ui.pages.check import CheckPage
from ingest_gui.ui.pages.connect import ConnectPage
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.pages.file import FilePage, dropped_file
from ingest_gui.ui.pages.kind import KindPage
from ingest_gui.ui.pages.mapping import MappingPage
from ingest_gui.ui.pages.upload import UploadPage
from ingest_gui.ui.resources import app_icon
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import stop_page_tasks
from ingest_gui.ui.widgets.page_helpers import accessible, secondary_label

log = logging.getLogger(__name__)

#: How every page is built: ``Page(session, parent)``.
PageFactory = Callable[[WizardSession, QWidget | None], QWizardPage]

#: The pages in order; their index is their QWizard page id (see :class:`PageId`).
PAGES: tuple[PageFactory, ...] = (
    ConnectPage, FilePage, KindPage, MappingPage, CheckPage, UploadPage, DonePage,
)

MINIMUM_WIDTH, MINIMUM_HEIGHT = 960, 640


class PageId(IntEnum):
    CONNECT = 0
    FILE = 1
    KIND = 2
    MAPPING = 3
    CHECK = 4
    UPLOAD = 5
    DONE = 6


class CloseDuringUploadDialog:
    """Asks whether to stop a running upload to close the window."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> bool:
        """True when the user chose to stop the upload and close."""
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("CloseDuringUploadDialog", "Stop the upload?"),
            QCoreApplication.translate(
                "CloseDuringUploadDialog",
                "An upload is still running. If you close now it stops after the batch in "
                "flight; nothing is lost and you can resume it the next time you open this "
                "file.\n\nStop the upload and close?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


class SettingsDialog(QDialog):
    """Preferences: the interface language (applied on the next start), and how long the
    error logs and undo snapshots the app keeps on its own stay (they hold customers' data)."""

    LANGUAGES = ("system", "en", "es")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.language = accessible(QComboBox(), self.tr("Language"))
        names = {
            "system": self.tr("Same as the system"),
            # Each language is named in itself so people can find their own.
            "en": "English",
            "es": "Español",
        }
        for code in self.LANGUAGES:
            self.language.addItem(names[code], code)
        current = settings.language_choice()
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.retention = accessible(
            QSpinBox(), self.tr("Keep automatic error logs and undo snapshots"),
            self.tr("Error logs the app saves on its own and the copies kept to undo an import "
                    "are deleted after this many days. Files you saved yourself are yours."))
        self.retention.setRange(0, settings.MAX_RETENTION_DAYS)
        self.retention.setSpecialValueText(self.tr("Until I delete them"))  # shown for 0
        self.retention.valueChanged.connect(self._name_retention_unit)
        self.retention.setValue(settings.retention_days())
        self._name_retention_unit(self.retention.value())
        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow(self.tr("&Keep error logs and undo copies for:"), self.retention)
        note = secondary_label(self.tr("A new language applies the next time you start the app."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _name_retention_unit(self, days: int) -> None:
        # "%n" is left out: the spin box shows the number itself; n still picks the plural form.
        self.retention.setSuffix(self.tr(" day(s)", "retention unit", days))

    def accept(self) -> None:
        settings.set_language_choice(str(self.language.currentData()))
        settings.set_retention_days(self.retention.value())
        super().accept()

    @classmethod
    def edit(cls, parent: QWidget | None) -> bool:
        """Show the dialog; True when the user saved a change."""
        return cls(parent).exec() == QDialog.DialogCode.Accepted


class IngestWizard(QWizard):
    """The main window."""

    def __init__(self, session: WizardSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session if session is not None else WizardSession(self)
        self._closed = False
        self.setWindowTitle(self.tr("Instasent Ingest Wizard"))
        self.setWindowIcon(app_icon())
        self.setMinimumSize(MINIMUM_WIDTH, MINIMUM_HEIGHT)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        # On the summary page there is nothing left to cancel.
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("&About"))
        self.setButtonText(QWizard.WizardButton.CustomButton2, self.tr("&Settings…"))
        self.setButtonLayout([
            QWizard.WizardButton.CustomButton1, QWizard.WizardButton.CustomButton2,
            QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton,
        ])
        self.customButtonClicked.connect(self._on_custom_button)
        for page_id, page_class in enumerate(PAGES):
            self.setPage(page_id, page_class(self.session, self))
        done = self.page(PageId.DONE)
        if isinstance(done, DonePage):
            done.start_over_requested.connect(self.import_another_file)
        file_page = self.page(PageId.FILE)
        if isinstance(file_page, FilePage):
            file_page.change_datasource_requested.connect(self.change_datasource)
            kind_page = self.page(PageId.KIND)
            if isinstance(kind_page, KindPage):
                # The Kind page proposes the sheet that fits; the File page loads it.
                kind_page.sheet_requested.connect(file_page.switch_sheet)
                file_page.sheet_switch_failed.connect(kind_page.sheet_switch_failed)
        self.setStartId(PageId.CONNECT)
        self._name_buttons()
        self.setAcceptDrops(True)
        QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self, self.show_about)
        geometry = settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _name_buttons(self) -> None:
        names = {
            QWizard.WizardButton.BackButton: self.tr("Back"),
            QWizard.WizardButton.NextButton: self.tr("Next"),
            QWizard.WizardButton.CommitButton: self.tr("Commit"),
            QWizard.WizardButton.FinishButton: self.tr("Finish"),
            QWizard.WizardButton.CancelButton: self.tr("Cancel"),
            QWizard.WizardButton.CustomButton1: self.tr("About"),
            QWizard.WizardButton.CustomButton2: self.tr("Settings"),
        }
        for which, name in names.items():
            button = self.button(which)
            if button is not None:
                button.setAccessibleName(name)

    # -- About and Settings -----------------------------------------------------------------
    def _on_custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.show_about()
        elif which == QWizard.WizardButton.CustomButton2.value:
            self.show_settings()

    def about_text(self) -> str:
        return i18n.arg(self.tr(
            "<h3>%1</h3><p>Version %2</p>"
            "<p>Imports spreadsheets of contacts and events into your Instasent datasource "
            "through the Ingest API.</p><p>Log file: %3</p>"
        ), APP_NAME, __version__, str(log_file_path()))

    def show_about(self) -> None:
        QMessageBox.about(self, i18n.arg(self.tr("About %1"), APP_NAME), self.about_text())

    def show_settings(self) -> None:
        if SettingsDialog.edit(self):
            language = i18n.resolve_language(settings.language_choice())
            log.info("Interface language set to %s (applies on next start)", language)

    # -- starting over -----------------------------------------------------------------------
    def import_another_file(self) -> None:
        """Back to the File page with the same connection; everything about the file goes."""
        self.session.forget_file()
        self.session.changed.emit()
        start = self.startId()
        self.setStartId(PageId.FILE)
        self.restart()
        self.setStartId(start)

    def change_datasource(self) -> None:
        """Back to the Connect page, the file kept (the Map page drops what the new
        datasource lacks). After "Import another file" Connect is not in the history, so the
        wizard restarts there."""
        if PageId.CONNECT in self.visitedIds():
            while self.currentId() != PageId.CONNECT:
                self.back()
            return
        start = self.startId()
        self.setStartId(PageId.CONNECT)
        self.restart()
        self.setStartId(start)

    # -- dropping a file anywhere on the window ----------------------------------------------
    def _file_page(self) -> FilePage | None:
        page = self.currentPage()
        return page if isinstance(page, FilePage) else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._file_page() is not None and dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        page = self._file_page()
        path = dropped_file(event.mimeData())
        if page is None or path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        page.open_file(Path(path))

    # -- closing ----------------------------------------------------------------------------
    def _may_close(self) -> bool:
        """Ask before abandoning a running upload; True when the window may close."""
        upload = self.page(PageId.UPLOAD)
        is_busy = getattr(upload, "is_busy", None)
        if is_busy is None or not is_busy():
            return True
        if not CloseDuringUploadDialog.ask(self):
            return False
        return bool(upload.request_cancel_for_close())  # type: ignore[attr-defined]

    def _shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        settings.set_window_geometry(self.saveGeometry())
        for page_id in self.pageIds():
            page = self.page(page_id)
            shutdown = getattr(page, "shutdown", None)
            if shutdown is not None:
                shutdown()
            stop_page_tasks(page)
        self.session.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed and not self._may_close():
            event.ignore()
            return
        self._shutdown()
        super().closeEvent(event)

    def reject(self) -> None:
        # Cancel and Escape come here without a closeEvent.
        if not self._closed and not self._may_close():
            return
        self._shutdown()
        super().reject()

    def done(self, result: int) -> None:
        self._shutdown()
        super().done(result)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Instasent Ingest Wizard"))


__all__ = ["PAGES", "CloseDuringUploadDialog", "IngestWizard", "PageId", "SettingsDialog"]
