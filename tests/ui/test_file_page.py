"""File page: real CSV and XLSX files written by the tests, loaded on a worker thread."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWizard, QWizardPage

from ingest_gui.core import errorlog
from ingest_gui.ui import settings
from ingest_gui.ui.pages import file as file_page
from ingest_gui.ui.pages.file import FilePage, dropped_file
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import stop_page_tasks
from ingest_gui.ui.workers import gui_thread_collections
from tests.core.factories import make_table

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

WAIT_MS = 15_000


@pytest.fixture
def host(qtbot):
    wizard = QWizard()
    session = WizardSession(wizard)
    page = FilePage(session)
    wizard.addPage(page)
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    yield wizard, page, session
    page.shutdown()
    stop_page_tasks(page)
    session.close()


def write_csv(path: Path, rows: int, *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(["Email", "Nombre", "Ciudad"])
        for index in range(rows):
            writer.writerow([f"person{index}@example.com", f"Begoña {index}", "Málaga"])
    return path


def write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Contacts"
    first.append(["Exported from the shop"])  # a title line above the header
    first.append(["Email", "First name", "Plan"])
    for index in range(30):
        first.append([f"c{index}@example.com", f"Ana {index}", "gold"])
    orders = workbook.create_sheet("Orders")
    orders.append(["Order", "Amount"])
    orders.append(["A-1", 12.5])
    workbook.save(path)
    return path


def wait_loaded(qtbot, page: FilePage) -> None:
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=WAIT_MS)


def next_enabled(wizard: QWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_csv_loads_with_progress_preview_and_detected_pickers(qtbot, host, tmp_path):
    wizard, page, session = host
    path = write_csv(tmp_path / "contacts.csv", 2_000, delimiter=";", encoding="cp1252")
    seen: list[tuple[int, int]] = []
    page.open_file(path)
    task = page.loading.current_task
    assert task is not None
    task.progressed.connect(seen.append)
    assert page.progress.isVisible()
    assert not next_enabled(wizard)
    wait_loaded(qtbot, page)
    assert page.status.kind == "ok", page.status.message
    assert "2,000" in page.status.message
    assert seen  # the worker reported progress
    assert seen[-1][1] == 100
    assert not page.progress.isVisible()
    model = page.preview_model
    assert model.rowCount() == 50
    assert model.columnCount() == 3
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Nombre"
    assert model.index(0, 1).data() == "Begoña 0"
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"  # spreadsheet row numbers
    assert page.delimiter_combo.currentData() == ";"
    assert page.encoding_combo.currentData() == "cp1252"
    assert page.encoding_combo.isVisibleTo(page)
    assert not page.sheet_combo.isVisibleTo(page)
    assert next_enabled(wizard)
    wizard.next()
    assert session.data.table is not None
    assert len(session.data.table) == 2_000
    assert session.data.file_path == path
    assert session.data.load_options is not None
    assert settings.recent_files() == [path.resolve()]


def test_the_recent_files_list_is_written_by_the_loading_thread(qtbot, host, tmp_path,
                                                                monkeypatch):
    """QSettings writes through to the disk (15-45 ms): not on the GUI thread."""
    import threading

    on_gui_thread: list[bool] = []
    real_add = settings.add_recent_file

    def recording_add(path: Path) -> None:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        real_add(path)

    monkeypatch.setattr(settings, "add_recent_file", recording_add)
    _wizard, page, _session = host
    path = write_csv(tmp_path / "people.csv", 5)
    page.open_file(path)
    wait_loaded(qtbot, page)
    assert page.status.kind == "ok"
    assert on_gui_thread == [False]
    assert settings.recent_files() == [path.resolve()]


def test_changing_the_delimiter_reloads(qtbot, host, tmp_path):
    _wizard, page, _session = host
    page.open_file(write_csv(tmp_path / "people.csv", 5, delimiter=";"))
    wait_loaded(qtbot, page)
    assert page.preview_model.columnCount() == 3
    page.delimiter_combo.setCurrentIndex(page.delimiter_combo.findData(","))
    qtbot.waitUntil(lambda: page.is_loading() or page.preview_model.columnCount() == 1,
                    timeout=WAIT_MS)
    wait_loaded(qtbot, page)
    assert page.preview_model.columnCount() == 1  # read with the wrong delimiter, as asked
    assert page._options.delimiter == ","


def test_xlsx_offers_sheets_and_header_row(qtbot, host, tmp_path):
    wizard, page, session = host
    page.open_file(write_xlsx(tmp_path / "book.xlsx"))
    wait_loaded(qtbot, page)
    assert page.status.kind == "ok", page.status.message
    assert [page.sheet_combo.itemText(i) for i in range(page.sheet_combo.count())] == [
        "Contacts", "Orders"]
    assert page.sheet_combo.isVisibleTo(page)
    assert not page.encoding_combo.isVisibleTo(page)
    assert page.header_spin.value() == 2  # the title line was skipped
    assert page.preview_model.headerData(0, Qt.Orientation.Horizontal) == "Email"
    assert page.preview_model.rowCount() == 30
    page.sheet_combo.setCurrentText("Orders")
    qtbot.waitUntil(lambda: page.preview_model.headerData(0, Qt.Orientation.Horizontal)
                    == "Order", timeout=WAIT_MS)
    wait_loaded(qtbot, page)
    assert page.preview_model.index(0, 1).data() == "12.5"
    wizard.next()
    assert session.data.load_options is not None
    assert session.data.load_options.sheet == "Orders"


def test_cancel_stops_loading_and_keeps_next_disabled(qtbot, host, tmp_path):
    wizard, page, _session = host
    path = write_csv(tmp_path / "big.csv", 50_000)
    page.open_file(path)
    task = page.loading.current_task
    assert task is not None
    with qtbot.waitSignal(task.cancelled, timeout=WAIT_MS):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, page)
    assert "cancelled" in page.status.message
    assert page.preview_model.rowCount() == 0
    assert not next_enabled(wizard)
    page.open_file(path)  # and it can still be loaded afterwards
    wait_loaded(qtbot, page)
    assert next_enabled(wizard)


def test_unreadable_file_shows_the_message_and_stays(qtbot, host, tmp_path):
    wizard, page, session = host
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook at all" * 10)
    page.open_file(broken)
    wait_loaded(qtbot, page)
    assert page.status.kind == "error"
    assert "broken.xlsx" in page.status.message
    assert "Traceback" not in page.status.message
    assert not next_enabled(wizard)
    wizard.next()
    assert wizard.currentPage() is page
    assert session.data.table is None


def test_an_error_log_loses_its_row_and_errors_columns(qtbot, host, tmp_path):
    _wizard, page, _session = host
    table = make_table({"Email": ["bad@", "ok@example.com"], "Plan": ["gold", "silver"]})
    log_path = tmp_path / "errors.csv"
    errorlog.write_error_log(log_path, table, {2: ["Email: not an email address"]})
    page.open_file(log_path)
    wait_loaded(qtbot, page)
    assert page.status.kind == "ok", page.status.message
    assert page.preview_model.columnCount() == 2
    assert [page.preview_model.headerData(i, Qt.Orientation.Horizontal) for i in range(2)] == [
        "Email", "Plan"]
    assert "error log" in page.status.message


def test_open_dialog_and_recent_files(qtbot, host, tmp_path, monkeypatch):
    _wizard, page, _session = host
    path = write_csv(tmp_path / "chosen.csv", 3)
    monkeypatch.setattr(file_page.OpenFileDialog, "ask",
                        classmethod(lambda cls, parent, directory="": path))
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, page)
    assert page.status.kind == "ok"
    page._fill_recent_menu()
    actions = page.recent_menu.actions()
    assert [action.text() for action in actions] == ["chosen.csv"]
    other = write_csv(tmp_path / "other.csv", 4)
    page.open_file(other)
    wait_loaded(qtbot, page)
    page._fill_recent_menu()
    page.recent_menu.actions()[1].trigger()  # chosen.csv again, now second
    wait_loaded(qtbot, page)
    assert page._table is not None
    assert page._table.path == path


def file_mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_dropping_a_file_url_on_the_page_loads_it(qtbot, host, tmp_path):
    _wizard, page, _session = host
    path = write_csv(tmp_path / "dropped.csv", 3)
    mime = file_mime(path)
    enter = QDragEnterEvent(QPointF(page.rect().center()), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(page.rect().center()), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(drop)
    assert drop.isAccepted()
    wait_loaded(qtbot, page)
    assert page._table is not None
    assert page._table.path == path


def test_only_supported_local_files_are_accepted_for_dropping(tmp_path):
    assert dropped_file(file_mime(tmp_path / "notes.pdf")) is None
    web = QMimeData()
    web.setUrls([QUrl("https://example.com/contacts.csv")])
    assert dropped_file(web) is None
    assert dropped_file(file_mime(tmp_path / "Book.XLSX")) == tmp_path / "Book.XLSX"


def test_a_page_destroyed_while_loading_stops_its_load(qtbot, tmp_path, destroy_deleted_objects):
    """Its load is cancelled and reaches no dead widget; the thread ends on its own."""
    page = FilePage(WizardSession())
    page.open_file(write_csv(tmp_path / "big.csv", 50_000))
    task = page.loading.current_task
    assert task is not None
    token = task.cancel_token
    ended: list[bool] = []
    task.finished.connect(lambda: ended.append(True))
    page.deleteLater()
    del page
    destroy_deleted_objects()
    assert token.is_cancelled
    qtbot.waitUntil(lambda: ended == [True], timeout=WAIT_MS)
    assert not gui_thread_collections.active


@pytest.mark.parametrize(("name", "content"), [
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),  # an image renamed .xlsx
    ("empty.csv", b""),
])
def test_expected_refusals_are_one_log_line_without_traceback(qtbot, host, tmp_path, caplog,
                                                              name, content):
    caplog.set_level(logging.INFO, logger="ingest_gui")
    _wizard, page, _session = host
    path = tmp_path / name
    path.write_bytes(content)
    page.open_file(path)
    wait_loaded(qtbot, page)
    assert page.status.kind == "error"
    assert name in page.status.message
    records = [record for record in caplog.records if record.name.startswith("ingest_gui")]
    assert records, "the refusal is logged"
    for record in records:
        assert record.levelno in (logging.INFO, logging.WARNING)
        assert record.exc_info is None
        assert "\n" not in record.getMessage()
        assert "Traceback" not in caplog.text


CORPUS = Path(__file__).parents[1] / "benchmarks" / "corpus" / "files"


def test_the_page_says_what_the_file_looks_like(qtbot, host, tmp_path):
    _wizard, page, _session = host
    page.open_file(CORPUS / "customers_export.csv")
    wait_loaded(qtbot, page)
    assert page.source is not None
    assert page.source.source == "shopify_customers"
    assert page.source_banner.isVisible()
    assert page.source_banner.text().startswith(
        "This file looks like a Shopify customers export.")
    # "Import another file" starts clean.
    page.session.forget_file()
    assert page.source is None
    assert not page.source_banner.isVisible()
    page.open_file(CORPUS / "customers_export.csv")
    wait_loaded(qtbot, page)
    assert page.source_banner.isVisible()
    # A file of no known platform: nothing claimed, and the previous claim is gone.
    page.open_file(write_csv(tmp_path / "people.csv", 3))
    wait_loaded(qtbot, page)
    assert page.source is None
    assert not page.source_banner.isVisible()


def test_a_workbook_of_several_sheets_says_which_one_is_read(qtbot, host):
    wizard, page, session = host
    page.open_file(CORPUS / "ventas_2025.xlsx")
    wait_loaded(qtbot, page)
    assert page.sheet_banner.isVisible()
    assert page.sheet_banner.text() == (
        "This workbook has 3 sheets: “Resumen”, “Clientes”, “Pedidos”. Reading the sheet "
        "“Resumen”; choose another under Sheet.")
    page.sheet_combo.setCurrentText("Pedidos")
    qtbot.waitUntil(lambda: "Reading the sheet “Pedidos”" in page.sheet_banner.text(),
                    timeout=WAIT_MS)
    wait_loaded(qtbot, page)
    wizard.next()
    # The Kind page proposes a sheet from these.
    assert list(session.data.sheet_headers) == ["Resumen", "Clientes", "Pedidos"]
    assert session.data.sheet_headers["Clientes"] == ("Email", "Nombre", "Móvil")
    session.forget_file()
    assert session.data.sheet_headers == {}
    assert not page.sheet_banner.isVisible()


def test_a_single_sheet_or_a_text_file_has_no_sheet_banner(qtbot, host, tmp_path):
    wizard, page, session = host
    workbook = openpyxl.Workbook()
    workbook.active.append(["Email"])
    workbook.active.append(["a@example.com"])
    workbook.save(tmp_path / "one.xlsx")
    page.open_file(tmp_path / "one.xlsx")
    wait_loaded(qtbot, page)
    assert not page.sheet_banner.isVisible()
    wizard.next()
    assert session.data.sheet_headers == {}


def test_a_sheet_asked_for_by_a_later_page_goes_to_the_session(qtbot, host):
    _wizard, page, session = host
    page.open_file(CORPUS / "ventas_2025.xlsx")
    wait_loaded(qtbot, page)
    page.validatePage()
    first = session.data.table
    assert first is not None
    assert first.sheet == "Resumen"
    with qtbot.waitSignal(session.changed, timeout=WAIT_MS):
        page.switch_sheet("Pedidos")
    table = session.data.table
    assert table is not None
    assert table is not first
    assert table.sheet == "Pedidos"
    assert table.headers[0] == "Nº pedido"
    assert session.data.load_options is not None
    assert session.data.load_options.sheet == "Pedidos"
    assert page.sheet_combo.currentText() == "Pedidos"
    assert "Reading the sheet “Pedidos”" in page.sheet_banner.text()


def test_a_sheet_that_cannot_be_loaded_is_reported_to_the_page_that_asked(qtbot, host):
    _wizard, page, session = host
    page.open_file(CORPUS / "ventas_2025.xlsx")
    wait_loaded(qtbot, page)
    page.validatePage()
    first = session.data.table
    with qtbot.waitSignal(page.sheet_switch_failed, timeout=WAIT_MS) as failed:
        page.switch_sheet("Facturas")
    assert "Facturas" in failed.args[0]
    assert session.data.table is first  # the session keeps the table it had
