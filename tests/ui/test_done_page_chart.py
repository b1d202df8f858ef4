"""Page 7, Done, at a glance: the outcome chart beside the numbers, with its text alternative;
and the same counts on Upload, Done and ``ingest-gui import --json`` for a file with repeated
rows."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWizard, QWizardPage

from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.payload import build_batches
from ingest_gui.core.upload import RowStatus, UploadResult
from ingest_gui.core.validation import validate
from ingest_gui.core.workflow import ImportWorkflow
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.pages.upload import UploadPage
from ingest_gui.ui.widgets.chart import OutcomeChart
from tests.import_helpers import EVENT_HEADERS, EVENT_MAP, event_rows, run_cli, write_csv
from tests.ui.support_pages import contacts_mapping, contacts_table, session_for
from tests.ui.test_done_page import finish, show

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def pixel(chart: OutcomeChart, share: float) -> QColor:
    """The colour painted in the middle of the first bar's height, ``share`` of the way along."""
    image = chart.grab().toImage()
    scale = image.width() / chart.width()  # device pixels per widget pixel
    return image.pixelColor(int(image.width() * share), int(9 * scale))


def test_the_done_page_shows_the_outcome_as_a_chart_and_in_words(qtbot):
    """Rows 3 and 5 skipped, row 2 rejected, row 4 accepted: a quarter, a quarter, a half."""
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
    session = session_for(contacts_table(), mapping)
    data = session.data
    data.validation = validate(data.table, mapping, data.specs)
    data.plan = build_batches(data.validation, datasource="ds")
    finish(session, UploadResult(
        statuses={2: RowStatus.REJECTED, 3: RowStatus.SKIPPED, 5: RowStatus.SKIPPED,
                  4: RowStatus.ACCEPTED}, messages={2: ["_email: Invalid format"]}))
    page = show(qtbot, session)
    page.resize(960, 640)
    page.show()
    chart = page.chart
    assert chart.isVisible()
    (title, segments), = chart.bars()
    assert title == "Rows"
    assert [(segment.key, segment.count) for segment in segments] == [
        ("accepted", 1), ("rejected", 1), ("skipped", 2), ("not_sent", 0)]
    described = ("Rows: accepted 1 (25%), rejected 1 (25%), skipped 2 (50%), not sent 0.")
    assert chart.accessibleDescription() == described
    assert chart.toolTip() == described
    assert chart.accessibleName() == "Outcome chart"
    # Painted as counted: green, red, then amber for half the bar.
    assert pixel(chart, 0.125).name() == "#34a853"
    assert pixel(chart, 0.375).name() == "#d93025"
    assert pixel(chart, 0.75).name() == "#e0a800"


def test_created_and_updated_are_a_second_bar_when_a_preview_ran(qtbot):
    chart = OutcomeChart()
    qtbot.addWidget(chart)
    chart.set_counts(8, 0, 2, 0, created=3, updated=5)
    assert [title for title, _ in chart.bars()] == ["Rows", "Contacts (preview)"]
    assert chart.accessibleDescription() == (
        "Rows: accepted 8 (80%), rejected 0, skipped 2 (20%), not sent 0. "
        "Contacts (preview): new 3 (38%), updated 5 (62%).")
    one_bar = OutcomeChart()
    qtbot.addWidget(one_bar)
    assert chart.heightForWidth(600) > one_bar.heightForWidth(600)
    # The key wraps rather than being cut: narrower is taller.
    assert one_bar.heightForWidth(120) > one_bar.heightForWidth(900)
    chart.set_counts(1, 0, 0, 0)  # no preview this time
    assert len(chart.bars()) == 1


def test_nothing_uploaded_draws_an_empty_bar(qtbot):
    session = session_for(contacts_table(), contacts_mapping(_user_id="Customer id"))
    page = show(qtbot, session)
    assert page.chart.accessibleDescription() == (
        "Rows: accepted 0, rejected 0, skipped 0, not sent 0.")


def test_upload_done_and_the_command_line_count_repeated_rows_alike(qtbot, sandbox, capsys,
                                                                    tmp_path, app_home):
    rows = event_rows(40, users=10)  # row 4 (n == 2) has a date that does not exist
    rows += [list(rows[5]), list(rows[7]), list(rows[5])]  # three repeats of two orders
    path = write_csv(tmp_path / "orders.csv", EVENT_HEADERS, rows)
    _code, out, err = run_cli(capsys, "import", str(path), "--kind", "events", "--sandbox",
                              sandbox.base_url, *EVENT_MAP, "--json",
                              "--allow-unknown-contacts")  # the orders' customers are not there
    expected = json.loads(out)
    assert expected["duplicates"] == 3, err
    sandbox.reset()

    mapping = Mapping(ImportKind.EVENTS, event_type="purchase")
    for flag, value in zip(EVENT_MAP[2::2], EVENT_MAP[3::2], strict=True):
        assert flag == "--map"
        header, target = value.split("=", 1)
        mapping.assign(header, target)
    table = load_table(path)
    session = session_for(table, mapping, sandbox=sandbox)
    data = session.data
    workflow = ImportWorkflow(table, mapping, data.specs, session.client())
    checked = workflow.check()
    data.validation, data.plan, data.workflow = checked.validation, checked.plan, workflow
    wizard = QWizard()
    upload, done = UploadPage(session), DonePage(session)
    for page in (QWizardPage(), upload, done):
        wizard.addPage(page)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    try:
        assert f"{expected['duplicates']} repeated rows will be sent once." in \
            upload.summary_label.text()
        assert f"{expected['invalid']} row with errors will be skipped." in \
            upload.summary_label.text()
        upload.start_upload()
        qtbot.waitUntil(upload.isComplete, timeout=WAIT_MS)
        assert f"{expected['duplicates']} repeated rows were sent once." in \
            upload.summary_label.text()
        assert upload.accepted_value.text() == str(expected["accepted"])
        assert upload.rejected_value.text() == str(expected["rejected"])
        wizard.next()
        assert wizard.currentPage() is done
        assert done.accepted_value.text() == str(expected["accepted"])
        assert done.rejected_value.text() == str(expected["rejected"])
        assert done.skipped_value.text() == str(expected["invalid"])
        assert done.duplicates_value.text() == str(expected["duplicates"])
        assert done.not_sent_value.text() == str(expected["not_sent"])
        assert done.summary is not None
        wizard_counts = done.summary.as_json()
        for key in ("rows_read", "valid", "invalid", "duplicates", "sent", "accepted",
                    "rejected", "not_sent", "skipped"):
            assert wizard_counts[key] == expected[key], key
        (_, segments), = done.chart.bars()
        assert [segment.count for segment in segments] == [
            expected["accepted"], expected["rejected"], expected["skipped"],
            expected["not_sent"]]
        # The repeated rows are sent once, not rows to fix.
        assert done.report is not None
        assert done.report.rows_to_fix == expected["invalid"] + expected["rejected"]
        assert "3 repeated rows were sent once — nothing to fix." in \
            done.error_log_label.text()
        # Events cannot be taken back: no undo, and the page says why.
        assert not done.undo_button.isEnabled()
        assert "Events cannot be removed through the Ingest API" in done.undo_note.text()
    finally:
        upload.shutdown()
        session.close()
