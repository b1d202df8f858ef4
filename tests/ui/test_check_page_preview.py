"""The Check page says what an import will do before it is sent (issues 15, 16 and 18), against
the real sandbox: the preview, events of unknown contacts, the consent guard, phones read with
the datasource's default country, repeated events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt

from ingest_gui.core.mapping import ColumnOptions, EmptyCellPolicy, ImportKind, Mapping
from ingest_gui.core.workflow import ConsentRefusedError, ImportOutcome
from ingest_gui.ui import i18n
from ingest_gui.ui.models.problems import ProblemRowsModel
from ingest_gui.ui.pages.check import CheckPage
from ingest_gui.ui.session import WizardSession
from tests.core.factories import make_table
from tests.ui.support_pages import contacts_mapping, session_for

pytestmark = pytest.mark.gui

WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def english_numbers() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def previewed_page(qtbot, session: WizardSession) -> CheckPage:
    """The page once its check and its preview against the sandbox have finished."""
    page = CheckPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.initializePage()
    qtbot.waitUntil(lambda: page.result is not None and page.preview is not None
                    and not page.is_busy(), timeout=WAIT_MS)
    return page


def seed(session: WizardSession, contacts: list[dict[str, object]]) -> None:
    answer = session.client().post_contacts(contacts, sync=True)
    assert answer.rejected_count == 0


def send(page: CheckPage) -> ImportOutcome:
    """What the Upload page does with the page's workflow (the same calls, on this thread)."""
    assert page.validatePage()
    workflow = page.session.data.workflow
    assert workflow is not None
    workflow.open_journal()
    workflow.start_run()
    workflow.upload()
    return workflow.finish(write_log=False)


# -- 1. the preview -------------------------------------------------------------------------

def test_the_preview_counts_new_updated_unchanged_and_shows_contacts_side_by_side(
        qtbot, sandbox):
    table = make_table({"Id": ["K1", "K2", "K3", "K4"],
                        "Name": ["Ada", "Grace", "Linus", "Margaret"],
                        "Plan": ["pro", "free", "", "free"]})
    mapping = contacts_mapping(_user_id="Id", _first_name="Name", plan="Plan")
    mapping.options["Plan"] = ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
    session = session_for(table, mapping, sandbox=sandbox)
    seed(session, [{"_user_id": "K1", "_first_name": "Ada", "plan": "pro"},
                   {"_user_id": "K2", "_first_name": "Grace", "plan": "pro"},
                   {"_user_id": "K3", "_first_name": "Linus", "plan": "pro"}])
    page = previewed_page(qtbot, session)
    preview = page.preview
    assert preview is not None
    assert preview.sampled_all
    findings = page.preview_panel.findings_label.text()
    assert "Every row was compared with the datasource (rows: 4)." in findings
    assert "New contacts: 1. Updated: 2. Unchanged: 1." in findings
    assert "Attributes that would change (existing contacts, sampled): Plan: 1." in findings
    assert ("Attributes that would be cleared, because their cells are empty and set to clear "
            "(existing contacts, sampled): Plan: 1.") in findings
    assert not page.unknown_contacts.isVisibleTo(page)

    assert page.preview_panel.contacts_button.isVisibleTo(page)
    qtbot.mouseClick(page.preview_panel.contacts_button, Qt.MouseButton.LeftButton)
    dialog = page.sampled_contacts_dialog
    assert dialog is not None
    assert dialog.isVisible()
    rows = dialog.cell_texts()
    assert ["K2 (row 3, updated)", "Plan", "pro", "free"] in rows
    assert ["K3 (row 4, updated)", "Plan", "pro", "—"] in rows
    assert ["K4 (row 5, new)", "First name", "—", "Margaret"] in rows
    dialog.close()
    session.close()


def test_the_preview_shows_progress_and_can_be_stopped(qtbot, sandbox):
    sandbox.set_rate_limit(60)  # one read a second: the preview takes a while
    rows = 40
    table = make_table({"Id": [f"S{n}" for n in range(rows)],
                        "Name": [f"Name {n}" for n in range(rows)]})
    session = session_for(table, contacts_mapping(_user_id="Id", _first_name="Name"),
                          sandbox=sandbox)
    page = CheckPage(session)
    qtbot.addWidget(page)
    page.initializePage()
    qtbot.waitUntil(lambda: page.previewing.is_running(), timeout=WAIT_MS)
    panel = page.preview_panel
    assert panel.progress_bar.isVisibleTo(page)
    assert panel.stop_button.isVisibleTo(page)
    assert not page.isComplete()  # Next waits for the preview (or for it to be stopped)
    qtbot.waitUntil(lambda: panel.progress_label.text().startswith("Read "), timeout=WAIT_MS)
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert page.preview is None
    assert panel.findings_label.text() == (
        "The preview was stopped. Nothing has been sent; you can preview again.")
    assert panel.preview_button.isEnabled()
    assert page.isComplete()
    assert sandbox.state()["contacts"] == {}
    session.close()


# -- 2. events never vanish silently ---------------------------------------------------------

def events_session(sandbox) -> WizardSession:
    table = make_table({"Customer": ["E1", "E2", "E3", "E4"],
                        "When": ["2020-01-01 10:00"] * 4,
                        "Product": ["P1", "P2", "P3", "P4"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product")
    for column, target in (("Customer", "_user_id"), ("When", "_event_date"),
                           ("Product", "_event_parameters.product_id")):
        mapping.assign(column, target)
    session = session_for(table, mapping, sandbox=sandbox)
    seed(session, [{"_user_id": "E1"}, {"_user_id": "E2"}])
    return session


def test_events_of_unknown_contacts_block_next_until_a_way_out_is_chosen(qtbot, sandbox):
    session = events_session(sandbox)
    page = previewed_page(qtbot, session)
    box = page.unknown_contacts
    assert box.isVisibleTo(page)
    assert box.text().startswith(
        "2 of the 4 events belong to contacts that are not in the datasource. Instasent "
        "drops such events without an error")
    assert not page.isComplete()
    assert not page.validatePage()

    qtbot.mouseClick(box.contacts_first_button, Qt.MouseButton.LeftButton)
    assert box.explanation.isVisibleTo(page)
    assert "Import the file with these contacts first" in box.explanation.text()
    assert not page.isComplete()  # an explanation, not a way past

    with qtbot.waitSignal(page.completeChanged, timeout=1000):
        box.send_anyway.setChecked(True)
    assert page.isComplete()
    summary = send(page).summary
    stored = sandbox.state()
    assert sorted(stored["contacts"]) == ["E1", "E2"]  # the other two were dropped, as said
    # The workflow kept the page's preview: the summary (the Done page's) says so too.
    assert summary.events_unknown_contact_estimate == 2
    assert summary.warnings
    session.close()


def test_sending_each_event_with_its_contact_rechecks_and_creates_the_contacts(qtbot, sandbox):
    session = events_session(sandbox)
    page = previewed_page(qtbot, session)
    assert page.unknown_contacts.isVisibleTo(page)
    qtbot.mouseClick(page.unknown_contacts.with_contact_button, Qt.MouseButton.LeftButton)
    assert session.data.mapping.with_user_data
    qtbot.waitUntil(lambda: page.preview is not None and not page.is_busy(), timeout=WAIT_MS)
    assert page.preview.events_unknown_contact == 0
    assert page.preview.events_creating_contact == 2
    assert not page.unknown_contacts.isVisibleTo(page)
    assert "Each event carries its contact (its user id only)" in page.summary_label.text()
    assert page.isComplete()
    send(page)
    assert sorted(sandbox.state()["contacts"]) == ["E1", "E2", "E3", "E4"]
    session.close()


def test_the_unknown_contacts_warning_is_in_spanish(qtbot, sandbox):
    assert i18n.install_translators("es")
    try:
        page = previewed_page(qtbot, events_session(sandbox))
        box = page.unknown_contacts
        assert box.text().startswith("2 de los 4 eventos")
        assert box.with_contact_button.text() == "Enviar cada evento con su contacto"
        assert page.preview_panel.title() == "Qué cambiará esta importación"
        page.session.close()
    finally:
        i18n.install_translators(i18n.SOURCE_LANGUAGE)


# -- 3. the consent guard ----------------------------------------------------------------------

def test_granting_consent_needs_a_tick_naming_the_count_and_channel(qtbot, sandbox):
    table = make_table({"Id": ["C1", "C2", "C3"], "SMS ok": ["yes", "yes", "no"]})
    mapping = contacts_mapping(_user_id="Id", _accepts_marketing_sms="SMS ok")
    session = session_for(table, mapping, sandbox=sandbox)
    seed(session, [{"_user_id": "C1", "_accepts_marketing_sms": "1"}])
    page = previewed_page(qtbot, session)
    consent = page.consent_box
    assert consent.isVisibleTo(page)
    assert consent.counts_label.text().splitlines() == [
        "This import gives SMS marketing consent to 2 contacts and withdraws it from 1.",
        "In the preview sample, 1 of the 2 contacts given SMS consent did not have it before."]
    box = consent.boxes["sms"]
    assert box.text() == "I confirm these 2 contacts agreed to receive SMS marketing"
    assert not box.isChecked()
    assert not page.isComplete()
    assert not page.validatePage()
    with qtbot.waitSignal(page.completeChanged, timeout=1000):
        box.setChecked(True)
    assert page.isComplete()
    send(page)  # the workflow's own guard lets it through: the page confirmed "sms"
    contacts = sandbox.state()["contacts"]
    granted = sorted(user for user, record in contacts.items()
                     if str(record.get("_accepts_marketing_sms")).lower() in ("1", "true"))
    assert granted == ["C1", "C2"]
    session.close()


def test_without_the_tick_the_workflow_refuses_to_send(qtbot, sandbox):
    table = make_table({"Id": ["C1"], "SMS ok": ["yes"]})
    session = session_for(table, contacts_mapping(_user_id="Id", _accepts_marketing_sms="SMS ok"),
                          sandbox=sandbox)
    page = previewed_page(qtbot, session)
    workflow = page.workflow
    assert workflow is not None
    workflow.open_journal()
    with pytest.raises(ConsentRefusedError):
        workflow.start_run()
    assert sandbox.state()["contacts"] == {}
    session.close()


def test_only_withdrawing_consent_needs_no_tick_and_is_shown(qtbot, sandbox):
    table = make_table({"Id": ["C1", "C2"], "SMS ok": ["no", "no"]})
    session = session_for(table, contacts_mapping(_user_id="Id", _accepts_marketing_sms="SMS ok"),
                          sandbox=sandbox)
    page = previewed_page(qtbot, session)
    assert page.consent_box.isVisibleTo(page)
    assert page.consent_box.boxes == {}
    assert "withdraws SMS marketing consent from 2 contacts" in \
        page.consent_box.counts_label.text()
    assert page.isComplete()
    session.close()


# -- 4. phones read with the datasource's default country -------------------------------------

def test_phones_without_a_country_are_counted_and_can_be_made_errors(qtbot, sandbox):
    table = make_table({"Id": ["P1", "P2", "P3", "P4"],
                        "Mobile": ["612345678", "+34612345679", "612345680", ""],
                        "Country": ["", "", "FR", ""]})
    mapping = contacts_mapping(_user_id="Id", _phone_mobile="Mobile")
    session = session_for(table, mapping, sandbox=sandbox)
    page = previewed_page(qtbot, session)
    assert page.default_country_phones is not None
    assert page.default_country_phones.count == 2
    assert page.default_country_label.text() == (
        "2 phones had no country: read as Spain, the datasource's default.")
    assert page.result.valid_count == 4

    qtbot.mouseClick(page.phones_as_errors_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result is not None and page.preview is not None
                    and not page.is_busy(), timeout=WAIT_MS)
    assert page.result.invalid_count == 2
    assert page.plan.item_count == 2
    assert page.default_country_label.text().startswith(
        "2 phones had no country: they are errors, as you chose")
    assert page.problems_model.rowCount() == 2
    assert "has no international prefix" in page.problem_details.text()
    assert not page.isComplete()  # rows with errors: the usual choice applies
    session.close()


def test_a_mapped_country_column_is_used_before_the_default(qtbot, sandbox):
    table = make_table({"Id": ["P1", "P2"], "Mobile": ["612345678", "0612345678"],
                        "Country": ["ES", "FR"]})
    mapping = contacts_mapping(_user_id="Id", _phone_mobile="Mobile", _country_code="Country")
    page = previewed_page(qtbot, session_for(table, mapping, sandbox=sandbox))
    assert page.default_country_phones.count == 0
    assert not page.default_country_label.isVisibleTo(page)
    assert not page.phones_as_errors_box.isVisibleTo(page)
    page.session.close()


# -- 5. repeated events --------------------------------------------------------------------------

def test_repeated_events_are_counted_on_check_as_on_upload_and_done(qtbot, sandbox):
    table = make_table({"Customer": ["R1", "R2", "R1"],
                        "When": ["2020-01-01 10:00", "2020-01-02 10:00", "2020-01-01 10:00"],
                        "Product": ["P1", "P2", "P1"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product")
    for column, target in (("Customer", "_user_id"), ("When", "_event_date"),
                           ("Product", "_event_parameters.product_id")):
        mapping.assign(column, target)
    session = session_for(table, mapping, sandbox=sandbox)
    seed(session, [{"_user_id": "R1"}, {"_user_id": "R2"}])
    page = previewed_page(qtbot, session)
    assert len(page.plan.duplicate_events) == 1
    assert page.summary_label.text() == (
        "2 rows are ready to upload. 1 repeated row is the same event as an earlier row: "
        "sent once, nothing to fix.")
    assert page.plan.item_count == 2  # what the Upload page counts
    summary = send(page).summary  # what the Done page shows
    assert (summary.accepted, summary.duplicates) == (2, 1)
    session.close()


def test_an_edit_previews_the_new_plan_again(qtbot, sandbox):
    table = make_table({"Id": ["K1", "K2"], "Mail": ["a@example.com", "not-an-email"]})
    session = session_for(table, contacts_mapping(_user_id="Id", _email="Mail"),
                          sandbox=sandbox)
    page = previewed_page(qtbot, session)
    assert page.preview.rows_sampled == 1
    model = page.problems_model
    column = ProblemRowsModel.FIRST_FILE_COLUMN + table.headers.index("Mail")
    assert model.setData(model.index(0, column), "b@example.com", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.rows_sampled == 2
                    and not page.is_busy(), timeout=WAIT_MS)
    assert "New contacts: 2. Updated: 0. Unchanged: 0." in \
        page.preview_panel.findings_label.text()
    assert page.workflow.previewed is page.preview  # what the summary will be built with
    session.close()


def test_a_tick_stands_only_for_the_count_it_named(qtbot):
    from ingest_gui.core.consent import (
        Channel,
        ConsentAttribute,
        ConsentCount,
        ConsentReport,
        ConsentTarget,
    )
    from ingest_gui.ui.widgets.consent_confirmations import ConsentConfirmations

    target = ConsentTarget("_accepts_marketing_sms", "SMS ok", ConsentAttribute(
        "_accepts_marketing_sms", "Accepts SMS marketing", Channel.SMS))

    def report(grant: int, sampled: int | None = None) -> ConsentReport:
        count = ConsentCount(grant, 0, sampled, 0 if sampled else None)
        return ConsentReport((target,), {Channel.SMS: count}, {target.key: count})

    widget = ConsentConfirmations()
    qtbot.addWidget(widget)
    widget.set_report(report(1234))
    assert widget.boxes["sms"].text() == (
        "I confirm these 1,234 contacts agreed to receive SMS marketing")
    assert not widget.all_confirmed()
    widget.boxes["sms"].setChecked(True)
    assert widget.confirmed_channels() == ["sms"]
    widget.set_report(report(1234, sampled=10))  # the preview adds its sample: still 1,234
    assert widget.all_confirmed()
    widget.set_report(report(1300))  # another count: confirm again
    assert not widget.all_confirmed()
    assert widget.confirmed_channels() == []


def test_the_default_country_is_named_in_spanish(qtbot, sandbox):
    assert i18n.install_translators("es")
    try:
        table = make_table({"Id": ["P1"], "Mobile": ["612345678"]})
        session = session_for(table, contacts_mapping(_user_id="Id", _phone_mobile="Mobile"),
                              sandbox=sandbox)
        page = previewed_page(qtbot, session)
        assert page.default_country_label.text() == (
            "1 teléfono no tenía país: se leyó como España, el país predeterminado de la "
            "fuente de datos.")
        assert page.phones_as_errors_box.text() == "Tratarlos como errores"
        session.close()
    finally:
        i18n.install_translators(i18n.SOURCE_LANGUAGE)
