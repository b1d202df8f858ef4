"""What to import: the choice becomes session.data.mapping."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard, QWizardPage

from ingest_gui.api.specs import DatasourceSpecs
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.ui.pages.kind import KindPage
from ingest_gui.ui.session import WizardSession
from tests.core.factories import make_specs

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def host(qtbot):
    def make(specs: DatasourceSpecs | None = None) -> tuple[QWizard, KindPage, WizardSession]:
        wizard = QWizard()
        session = WizardSession(wizard)
        session.data.specs = specs if specs is not None else make_specs()
        page = KindPage(session)
        wizard.addPage(page)
        wizard.addPage(QWizardPage())
        qtbot.addWidget(wizard)
        wizard.show()  # QWizard initialises its first page here
        return wizard, page, session

    return make


def test_contacts_is_the_default(host):
    wizard, _page, session = host()
    wizard.next()
    assert session.data.mapping == Mapping(ImportKind.CONTACTS)


def test_events_of_one_type_offers_the_specs_event_types(host, qtbot):
    wizard, page, session = host()
    uids = [page.event_type_combo.itemData(i) for i in range(page.event_type_combo.count())]
    assert uids == ["purchase", "viewed_product", "reservation_made", "signup"]
    page.events_radio.click()
    page.event_type_combo.setCurrentIndex(page.event_type_combo.findData("signup"))
    page.user_data_box.click()
    assert "Sign-up" in page.automation_note.message  # signup events start automations
    wizard.next()
    assert session.data.mapping == Mapping(ImportKind.EVENTS, "signup", True)


def test_picking_an_event_type_selects_events_of_one_type(host):
    _wizard, page, _session = host()
    page.event_type_combo.setCurrentIndex(2)
    assert page.events_radio.isChecked()


def test_events_whose_type_is_in_a_column(host):
    wizard, page, session = host()
    page.events_column_radio.click()
    assert page.user_data_box.isEnabled()
    wizard.next()
    assert session.data.mapping == Mapping(ImportKind.EVENTS, None, False)


def test_removing_contacts_ignores_the_user_data_box(host):
    wizard, page, session = host()
    page.events_radio.click()
    page.user_data_box.setChecked(True)
    page.delete_radio.click()
    assert not page.user_data_box.isEnabled()
    wizard.next()
    assert session.data.mapping == Mapping(ImportKind.DELETE, None, False)


def test_an_unchanged_choice_keeps_the_mapping_and_a_new_one_replaces_it(host):
    wizard, page, session = host()
    existing = Mapping(ImportKind.EVENTS, "purchase", False, assignments={"_user_id": "Email"})
    session.data.mapping = existing
    page.initializePage()
    assert page.events_radio.isChecked()
    assert page.event_type_combo.currentData() == "purchase"
    assert page.validatePage()
    assert session.data.mapping is existing
    page.contacts_radio.click()
    assert page.validatePage()
    assert session.data.mapping == Mapping(ImportKind.CONTACTS)
    assert session.data.mapping is not existing
    assert wizard.currentPage() is page


def test_a_datasource_without_event_types_cannot_pick_one(host):
    specs = make_specs()
    bare = DatasourceSpecs(specs.attributes, (), {}, specs.default_country, specs.timezone)
    _wizard, page, _session = host(bare)
    assert not page.events_radio.isEnabled()
    assert page.specs_note.message
