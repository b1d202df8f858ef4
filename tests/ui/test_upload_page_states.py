"""Page 6, Upload, at a glance and under trouble: the heading follows the upload, sensible speeds,
exactly "Resume" / "Start over" for an unfinished run, outages and waits named while they last."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt

from ingest_gui.api.results import ItemResult
from ingest_gui.core.journal import Journal
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.upload import RetryReason, RowStatus, UploadEngine, UploadProgress
from ingest_gui.core.workflow import ImportWorkflow
from ingest_gui.ui.pages.upload import UploadPage
from ingest_gui.ui.widgets.dialogs import CancelUploadDialog
from tests.core.factories import make_table
from tests.ui.support_pages import contacts_mapping, session_for

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def prepared_session(sandbox, rows: int, *, engine_options: dict | None = None):
    """A session as the Check page leaves it (``engine_options``: the upload engine's)."""
    table = make_table({"Id": [f"U{n:05d}" for n in range(rows)],
                        "Mail": [f"user{n}@example.com" for n in range(rows)]})
    session = session_for(table, contacts_mapping(_user_id="Id", _email="Mail"), sandbox=sandbox)
    data = session.data
    client = session.client()
    engine = UploadEngine(client, **engine_options) if engine_options else None
    workflow = ImportWorkflow(table, data.mapping, data.specs, client, engine=engine)
    checked = workflow.check()
    data.validation, data.plan, data.workflow = checked.validation, checked.plan, workflow
    return session



def leave_an_unfinished_run(session) -> int:
    """The first batch of this import acknowledged and journalled, then the app gone."""
    workflow = session.data.workflow
    first = workflow.checked.plan.batches[0]
    with Journal() as journal:
        run = journal.start_run(
            kind="contacts", file_path=workflow.file_path, fingerprint=workflow.table.fingerprint,
            datasource_key=workflow.datasource_key, mapping=workflow.mapping.to_json(),
            batches_total=len(workflow.checked.plan.batches))
        run.record_batch(first.index, first.rows,
                         [ItemResult(position, True) for position in range(len(first.rows))])
        run.interrupt()
        return len(first.rows)


def test_an_unfinished_run_is_offered_as_exactly_resume_or_start_over(qtbot, sandbox, upload_host):
    session = prepared_session(sandbox, 300)
    already_sent = leave_an_unfinished_run(session)
    _wizard, page = upload_host(session)
    assert page.resume_banner.isVisibleTo(page)
    shown = [button.text() for button in (page.resume_button, page.start_over_button,
                                          page.start_button, page.pause_button,
                                          page.cancel_button) if button.isVisibleTo(page)]
    assert shown == ["Resume", "Start over"]
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    # Only what was missing went (the sandbox counts every contact it receives).
    assert session.client().stream_info().received_contacts == 300 - already_sent
    assert page.result.count(RowStatus.ACCEPTED) == 300
    assert not page.start_button.isVisibleTo(page)


def test_the_heading_follows_the_upload(qtbot, sandbox, upload_host, monkeypatch):
    sandbox.set_faults("latency=40ms,seed=1")
    session = prepared_session(sandbox, 3000)
    _wizard, page = upload_host(session)
    assert page.summary_label.text().startswith("Ready to send 3,000 contacts in 30 batches.")
    page.start_upload()
    assert page.summary_label.text().startswith("Sending 3,000 contacts in 30 batches…")
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert page.summary_label.text().startswith("Paused while sending 3,000 contacts")
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert page.summary_label.text().startswith("Sending 3,000 contacts")
    qtbot.waitUntil(lambda: page._last_progress is not None and page._last_progress.rows_sent > 0,
                    timeout=WAIT_MS)
    monkeypatch.setattr(CancelUploadDialog, "ask", classmethod(lambda cls, parent: True))
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert page.summary_label.text().startswith("Stopping the upload of 3,000 contacts")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert page.summary_label.text().startswith("Stopped before sending all of 3,000 contacts")
    sandbox.set_faults(None)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # "Resume upload"
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.summary_label.text().startswith("Finished sending 3,000 contacts in 30 batches.")


def test_stopping_while_the_undo_copy_is_read_sends_nothing(qtbot, sandbox, upload_host,
                                                            monkeypatch):
    sandbox.set_faults("latency=40ms,seed=1")  # the reads take a while
    session = prepared_session(sandbox, 3000)
    _wizard, page = upload_host(session)
    page.start_upload()
    qtbot.waitUntil(lambda: page.status_text().startswith("Keeping a copy of the contacts"),
                    timeout=WAIT_MS)
    monkeypatch.setattr(CancelUploadDialog, "ask", classmethod(lambda cls, parent: True))
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert page.status_text() == "Upload stopped before anything was sent."
    assert page.summary_label.text().startswith("Ready to send 3,000 contacts")
    assert page.start_button.isVisibleTo(page)
    assert page.start_button.text() == "Start upload"
    assert sandbox.state()["contacts"] == {}
    sandbox.set_faults(None)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.result.count(RowStatus.ACCEPTED) == 3000


def test_a_small_file_shows_no_meaningless_speed(qtbot, sandbox, upload_host):
    session = prepared_session(sandbox, 76)
    _wizard, page = upload_host(session)
    page.start_upload()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.sent_value.text() == "76 of 76 rows"
    assert page.rate_value.text() == "—"


@pytest.mark.parametrize(("elapsed", "rate", "shown"), [
    (0.004, 19_063.0, "—"),          # 76 rows in 4 ms: no speed yet
    (2.0, 40.0, "—"),
    (10.0, 120.4, "120 rows/s"),
    (60.0, 0.5, "30 rows/min"),       # slow runs in rows a minute, not "0 rows/s"
    (60.0, 0.0, "—"),
])
def test_speeds_are_sensible(qtbot, elapsed, rate, shown):
    page = UploadPage(session_for(make_table({"Id": ["U1"]}), contacts_mapping(_user_id="Id")))
    qtbot.addWidget(page)
    progress = UploadProgress(rows_total=100, rows_sent=10, accepted=10, rejected=0, retries=0,
                              batches_done=1, batches_total=2, rate_per_second=rate,
                              eta_seconds=None, elapsed_seconds=elapsed)
    assert page.rate_text(progress) == shown


def test_an_outage_is_named_while_it_lasts_and_the_upload_then_finishes(qtbot, sandbox,
                                                                        upload_host):
    # Short back-off so the test does not wait long after the service is back.
    session = prepared_session(sandbox, 900, engine_options={"backoff_max": 1.0,
                                                             "concurrency": 2})
    _wizard, page = upload_host(session)
    sandbox.set_faults("drop=1")  # every call's connection is cut
    page.start_upload()
    qtbot.waitUntil(lambda: page.status_text().startswith("Cannot reach Instasent — trying "
                                                          "again"), timeout=WAIT_MS)
    text = page.status_text()
    assert text.endswith("rows are safe.") or text.endswith("row is safe.")
    assert "0 s" not in text
    assert page.eta_value.text() != "—" or page._last_progress.rows_sent == 0
    sandbox.set_faults(None)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.result.count(RowStatus.ACCEPTED) == 900
    assert "Upload finished." in page.status_text()
    assert "Cannot reach" not in page.status_text()


@pytest.mark.parametrize(("reason", "failure", "retry_in", "expected"), [
    (RetryReason.CONNECTION, "Could not connect.", 7.2,
     "Cannot reach Instasent — trying again in 8 s; 8,400 rows are safe."),
    (RetryReason.CONNECTION, "Could not connect.", 0.2,
     "Cannot reach Instasent — trying again now; 8,400 rows are safe."),
    (RetryReason.SERVER, "The service failed (HTTP 500).", 3.0,
     "Instasent answered with an error (The service failed (HTTP 500).) — trying again in 3 s; "
     "8,400 rows are safe."),
    (RetryReason.RATE_LIMITED, None, 0.3, ""),  # the pacer's rhythm: nothing to say
    (RetryReason.RATE_LIMITED, None, 41.5,
     "Instasent's rate limit was reached — sending again in 42 s."),
])
def test_each_kind_of_wait_is_named_and_the_estimate_stays(qtbot, reason, failure, retry_in,
                                                          expected):
    from ingest_gui.core.upload import UploadControl

    page = UploadPage(session_for(make_table({"Id": ["U1"]}), contacts_mapping(_user_id="Id")))
    qtbot.addWidget(page)
    page.show()
    page._control = UploadControl()  # an upload is running
    progress = UploadProgress(
        rows_total=20_000, rows_sent=8_400, accepted=8_400, rejected=0, retries=3,
        batches_done=84, batches_total=200, rate_per_second=0.0, eta_seconds=160.0,
        elapsed_seconds=120.0, retrying=reason, retrying_since=0.0,
        retrying_for_seconds=12.0, retry_in_seconds=retry_in, last_failure=failure,
        waiting_seconds=retry_in if reason is RetryReason.RATE_LIMITED else 0.0)
    page._on_progress(progress)
    assert page.status_text() == expected
    assert page.eta_value.text() == "about 2 min 40 s"
    page._on_progress(UploadProgress(
        rows_total=20_000, rows_sent=8_500, accepted=8_500, rejected=0, retries=3,
        batches_done=85, batches_total=200, rate_per_second=50.0, eta_seconds=230.0,
        elapsed_seconds=125.0))
    # Once calls go through again the named wait gives way (there was none to replace for a
    # wait too short to name).
    assert page.status_text() == ("Uploading…" if expected else "")


def test_repeated_rows_are_counted_as_on_the_other_pages(qtbot, sandbox, upload_host):
    table = make_table({"Customer": ["U1", "U2", "U1", "U2"], "Product": ["P1"] * 4})
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product")
    mapping.assign("Customer", "_user_id")
    mapping.assign("Product", "_event_parameters.product_id")
    session = session_for(table, mapping, sandbox=sandbox)
    data = session.data
    workflow = ImportWorkflow(table, mapping, data.specs, session.client())
    checked = workflow.check()
    data.validation, data.plan, data.workflow = checked.validation, checked.plan, workflow
    _wizard, page = upload_host(session)
    assert page.summary_label.text().startswith(
        "Ready to send 2 events in 1 batch. 2 repeated rows will be sent once.")
