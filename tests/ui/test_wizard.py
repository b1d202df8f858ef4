"""The wizard shell: pages, window, About/Settings, dropping files, closing during an upload."""

from __future__ import annotations

import csv
import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QWizard,
)

from ingest_gui import __version__
from ingest_gui.core.cancel import CancelToken
from ingest_gui.core.connections import Connection
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.ui import settings
from ingest_gui.ui import wizard as wizard_module
from ingest_gui.ui.pages.connect import ConnectPage
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.pages.file import FilePage
from ingest_gui.ui.tasks import any_page_task_running
from ingest_gui.ui.wizard import PAGES, IngestWizard, PageId, SettingsDialog
from tests.core.factories import make_table

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def wizard(qtbot):
    window = IngestWizard()
    qtbot.addWidget(window)
    window.show()
    yield window
    window._shutdown()


def test_pages_come_from_one_tuple_in_order_and_share_the_session(wizard):
    assert wizard.pageIds() == [int(page_id) for page_id in PageId]
    for page_id, page_class in zip(wizard.pageIds(), PAGES, strict=True):
        page = wizard.page(page_id)
        assert type(page) is page_class
        assert page.session is wizard.session
    assert isinstance(wizard.currentPage(), ConnectPage)


def test_window_identity(wizard):
    assert wizard.windowTitle() == "Instasent Ingest Wizard"
    assert not wizard.windowIcon().isNull()
    assert wizard.minimumWidth() >= 960
    assert wizard.minimumHeight() >= 640
    assert __version__ in wizard.about_text()


def test_first_start_lands_on_connect_with_the_sandbox_highlighted(wizard):
    page = wizard.currentPage()
    assert isinstance(page, ConnectPage)
    assert page.sandbox_button.property("highlighted") is True
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_buttons_and_my_pages_controls_have_accessible_names(wizard):
    for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton,
                  QWizard.WizardButton.CustomButton1, QWizard.WizardButton.CustomButton2):
        assert wizard.button(which).accessibleName()
    for page_id in (PageId.CONNECT, PageId.FILE, PageId.KIND):
        page = wizard.page(page_id)
        controls = (page.findChildren(QLineEdit) + page.findChildren(QComboBox)
                    + page.findChildren(QAbstractButton))
        # Parts of composite widgets (a spin box's editor, a table's corner button) are
        # announced through their owner.
        unnamed = [c for c in controls if not c.accessibleName() and not isinstance(
            c.parent(), QComboBox | QAbstractSpinBox | QAbstractItemView)]
        assert unnamed == [], [type(c).__name__ for c in unnamed]


def test_settings_dialog_saves_the_language(qtbot):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "system"
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    dialog.accept()
    assert settings.language_choice() == "es"
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.language.currentData() == "es"


def test_settings_button_opens_the_dialog(wizard, monkeypatch):
    opened: list[object] = []
    monkeypatch.setattr(SettingsDialog, "edit", classmethod(
        lambda cls, parent: opened.append(parent) or False))
    wizard.button(QWizard.WizardButton.CustomButton2).click()
    assert opened == [wizard]


def drop_events(path, target):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    point = QPointF(target.rect().center())
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    return enter, drop, mime


def test_a_file_dropped_on_the_window_loads_on_the_file_page(wizard, qtbot, tmp_path):
    path = tmp_path / "dropped.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([["Email"], ["a@example.com"]])
    enter, drop, _mime = drop_events(path, wizard)
    wizard.dragEnterEvent(enter)
    assert not enter.isAccepted()  # the Connect page takes no files

    wizard.setStartId(PageId.FILE)
    wizard.restart()
    page = wizard.currentPage()
    assert isinstance(page, FilePage)
    enter, drop, _mime = drop_events(path, wizard)
    wizard.dragEnterEvent(enter)
    assert enter.isAccepted()
    wizard.dropEvent(drop)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=15_000)
    assert page.status.kind == "ok", page.status.message
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


class FakeBusyUpload:
    """Puts the real Upload page into the "busy" state the close check asks about."""

    def __init__(self, page, *, may_close: bool) -> None:
        self.cancel_requests = 0
        self.may_close = may_close
        page.is_busy = lambda: True
        page.request_cancel_for_close = self.request

    def request(self) -> bool:
        self.cancel_requests += 1
        return self.may_close


def test_closing_during_an_upload_asks_and_can_be_refused(wizard, monkeypatch):
    upload = FakeBusyUpload(wizard.page(PageId.UPLOAD), may_close=True)
    asked: list[object] = []
    monkeypatch.setattr(wizard_module.CloseDuringUploadDialog, "ask",
                        classmethod(lambda cls, parent: asked.append(parent) or False))
    assert wizard.close() is False
    assert wizard.isVisible()
    assert asked == [wizard]
    assert upload.cancel_requests == 0
    wizard.reject()  # Cancel / Escape asks too
    assert wizard.isVisible()
    assert len(asked) == 2


def test_closing_during_an_upload_cancels_it_when_confirmed(wizard, monkeypatch):
    upload = FakeBusyUpload(wizard.page(PageId.UPLOAD), may_close=True)
    monkeypatch.setattr(wizard_module.CloseDuringUploadDialog, "ask",
                        classmethod(lambda cls, parent: True))
    assert wizard.close() is True
    assert upload.cancel_requests >= 1  # the page's own shutdown may ask again
    assert not wizard.isVisible()


def test_the_upload_page_can_keep_the_window_open(wizard, monkeypatch):
    FakeBusyUpload(wizard.page(PageId.UPLOAD), may_close=False)
    monkeypatch.setattr(wizard_module.CloseDuringUploadDialog, "ask",
                        classmethod(lambda cls, parent: True))
    assert wizard.close() is False
    assert wizard.isVisible()


def test_closing_stops_the_sandbox_and_remembers_the_geometry(wizard, qtbot):
    page = wizard.currentPage()
    page.start_sandbox()
    qtbot.waitUntil(page.isComplete, timeout=15_000)
    server = wizard.session.data.sandbox
    assert server is not None
    assert wizard.close() is True
    assert wizard.session.data.sandbox is None
    assert settings.window_geometry() is not None


def test_import_another_file_starts_over_on_the_file_page(wizard):
    """The Done page asks by a signal; the wizard forgets the file and keeps the connection."""
    data = wizard.session.data
    data.connection = Connection("Shop", "https://example.invalid/v1", "p", "d")
    data.table = make_table({"Email": ["a@example.com"]})
    data.file_path = data.table.path
    data.mapping = Mapping(ImportKind.CONTACTS)
    data.error_log_path = data.file_path.with_name("errors.xlsx")
    changes: list[bool] = []
    wizard.session.changed.connect(lambda: changes.append(True))
    done = wizard.page(PageId.DONE)
    assert isinstance(done, DonePage)
    done.import_another_button.click()
    assert wizard.currentId() == PageId.FILE
    assert wizard.startId() == PageId.CONNECT  # Back from the File page still leads there
    assert data.connection is not None
    assert (data.table, data.file_path, data.mapping, data.error_log_path) == (None,) * 4
    assert changes == [True]


def test_closing_the_window_stops_every_pages_work(wizard, qtbot):
    page = wizard.page(PageId.MAPPING)
    started = threading.Event()

    def work(cancel: CancelToken, report: object) -> None:
        started.set()
        while not cancel.is_cancelled:
            threading.Event().wait(0.005)

    cancelled: list[bool] = []
    page.suggesting.start(work, on_cancel=lambda: cancelled.append(True))
    assert started.wait(10)
    assert any_page_task_running(page)
    wizard.close()
    # Stopped and settled inside close(): no thread outlives the window.
    assert cancelled == [True]
    assert not any_page_task_running(page)


def test_import_another_file_shows_a_clean_file_page_with_next_disabled(wizard, qtbot, tmp_path):
    path = tmp_path / "first.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([["Email"], ["a@example.com"], ["b@example.com"]])
    wizard.session.data.connection = Connection("Shop", "https://example.invalid/v1", "p", "d")
    wizard.setStartId(PageId.FILE)
    wizard.restart()
    wizard.setStartId(PageId.CONNECT)
    page = wizard.currentPage()
    assert isinstance(page, FilePage)
    page.open_file(path)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=15_000)
    assert page.isComplete()
    assert page.validatePage()  # Next: the session holds the file now
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    done = wizard.page(PageId.DONE)
    assert isinstance(done, DonePage)
    done.import_another_button.click()
    assert wizard.currentPage() is page
    assert not page.isComplete()
    assert not next_button.isEnabled()
    assert page.path_label.text() == "No file chosen yet."
    assert page.preview_model.rowCount() == 0
    assert page.preview_label.text() == ""
    assert not page.options_box.isVisibleTo(page)
    assert wizard.session.data.table is None


def test_the_file_page_leads_back_to_connect_to_change_datasource(wizard, qtbot):
    wizard.session.data.connection = Connection("Shop", "https://example.invalid/v1", "p", "d")
    done = wizard.page(PageId.DONE)
    assert isinstance(done, DonePage)
    done.import_another_button.click()  # (the File page is then the first page in history)
    page = wizard.currentPage()
    assert isinstance(page, FilePage)
    assert "Shop" in page.destination_label.text()
    button = page.change_datasource_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PageId.CONNECT
    assert wizard.startId() == PageId.CONNECT
    assert wizard.session.data.connection is not None  # chosen again (or kept) on Connect
