"""What to import, for a workbook of several sheets: the sheet that fits the chosen kind is
proposed, and one click has the File page load it off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard, QWizardPage

from ingest_gui.core.loading import LoadOptions, load_table, sheet_headers
from ingest_gui.ui.pages.file import FilePage
from ingest_gui.ui.pages.kind import KindPage
from ingest_gui.ui.pages.mapping import MappingPage
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.wizard import IngestWizard, PageId
from tests.core.factories import make_specs
from tests.ui.test_wizard_e2e import WAIT_MS, connect, go_next, map_columns, open_file

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

SALES = Path(__file__).parents[1] / "benchmarks" / "corpus" / "files" / "ventas_2025.xlsx"


@pytest.fixture
def host(qtbot):
    """The Kind page after the File page read the workbook's first sheet."""
    wizard = QWizard()
    session = WizardSession(wizard)
    session.data.specs = make_specs()
    session.data.table = load_table(SALES, LoadOptions())
    session.data.file_path = SALES
    session.data.sheet_headers = sheet_headers(SALES)
    page = KindPage(session)
    wizard.addPage(page)
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard, page, session


def next_enabled(wizard: QWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_the_sheet_that_fits_the_kind_is_proposed(host):
    _wizard, page, _session = host
    page.contacts_radio.setChecked(True)
    assert page.sheet_banner.isVisible()
    assert page.proposed_sheet == "Clientes"
    assert page.sheet_banner.text() == (
        "Your contacts seem to be on the sheet “Clientes”, but the sheet “Resumen” is read.")
    page.events_column_radio.setChecked(True)
    assert page.proposed_sheet == "Pedidos"
    assert page.sheet_banner.text().startswith("Your events seem to be on the sheet “Pedidos”")
    assert page.use_sheet_button.text() == "Use the sheet “Pedidos”"


def test_using_it_waits_for_the_sheet_then_says_it_is_read(qtbot, host):
    wizard, page, session = host
    page.events_column_radio.setChecked(True)
    with qtbot.waitSignal(page.sheet_requested) as requested:
        qtbot.mouseClick(page.use_sheet_button, Qt.MouseButton.LeftButton)
    assert requested.args == ["Pedidos"]
    assert page.is_switching_sheet()
    assert not next_enabled(wizard)
    assert page.sheet_banner.text() == "Loading the sheet “Pedidos”…"
    assert not page.use_sheet_button.isVisible()
    # What the File page does once the sheet is loaded.
    session.data.table = load_table(SALES, LoadOptions(sheet="Pedidos"))
    session.changed.emit()
    assert not page.is_switching_sheet()
    assert next_enabled(wizard)
    assert page.sheet_banner.text().startswith("Now reading the sheet “Pedidos”:")
    assert page.proposed_sheet is None


def test_a_sheet_that_failed_to_load_is_said_and_offered_again(qtbot, host):
    wizard, page, _session = host
    page.events_column_radio.setChecked(True)
    qtbot.mouseClick(page.use_sheet_button, Qt.MouseButton.LeftButton)
    page.sheet_switch_failed("ventas_2025.xlsx could not be read.")
    assert next_enabled(wizard)
    assert page.sheet_banner.text() == "ventas_2025.xlsx could not be read."
    assert page.use_sheet_button.isVisible()
    assert page.proposed_sheet == "Pedidos"


def test_a_text_file_has_no_sheet_proposal(host):
    _wizard, page, session = host
    session.data.sheet_headers = {}
    page.events_column_radio.setChecked(True)
    assert not page.sheet_banner.isVisible()
    assert page.proposed_sheet is None


def test_the_orders_sheet_through_the_wizard(qtbot, sandbox):
    window = IngestWizard()
    qtbot.addWidget(window)
    window.show()
    try:
        connect(qtbot, window, sandbox)
        go_next(qtbot, window)
        open_file(qtbot, window, SALES)
        file_page = window.currentPage()
        assert isinstance(file_page, FilePage)
        assert "Reading the sheet “Resumen”" in file_page.sheet_banner.text()
        go_next(qtbot, window)
        kind = window.currentPage()
        assert isinstance(kind, KindPage)
        kind.events_radio.setChecked(True)
        kind.event_type_combo.setCurrentIndex(kind.event_type_combo.findData("purchase"))
        assert kind.sheet_banner.isVisible()
        qtbot.mouseClick(kind.use_sheet_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not kind.is_switching_sheet(), timeout=WAIT_MS)
        table = window.session.data.table
        assert table is not None
        assert table.sheet == "Pedidos"
        assert file_page.sheet_combo.currentText() == "Pedidos"
        go_next(qtbot, window)
        mapping = window.currentPage()
        assert isinstance(mapping, MappingPage)
        assert mapping.column_model is not None
        assert mapping.column_model.column_at(0) == "Nº pedido"
        # Back on the File page, the workbook reads the sheet chosen on the Kind page.
        window.back()
        window.back()
        assert window.currentId() == PageId.FILE
        assert file_page.sheet_combo.currentText() == "Pedidos"
        assert "Reading the sheet “Pedidos”" in file_page.sheet_banner.text()
    finally:
        window.close()


def test_the_map_page_says_which_sheet_fits_when_fields_are_missing(qtbot, sandbox):
    window = IngestWizard()
    qtbot.addWidget(window)
    window.show()
    try:
        connect(qtbot, window, sandbox)
        go_next(qtbot, window)
        open_file(qtbot, window, SALES)
        go_next(qtbot, window)
        kind = window.currentPage()
        assert isinstance(kind, KindPage)
        kind.contacts_radio.setChecked(True)
        go_next(qtbot, window)  # the proposal ignored: the summary sheet is read
        mapping = window.currentPage()
        assert isinstance(mapping, MappingPage)
        map_columns(mapping, {"Mes": "_first_name"})
        assert mapping.missing_label.text().endswith(
            "The sheet “Clientes” of the workbook seems to fit this import better: go Back to "
            "use it.")
        window.back()
        qtbot.mouseClick(kind.use_sheet_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not kind.is_switching_sheet(), timeout=WAIT_MS)
        go_next(qtbot, window)
        map_columns(mapping, {"Nombre": "_first_name"})
        assert "seems to fit" not in mapping.missing_label.text()
    finally:
        window.close()
