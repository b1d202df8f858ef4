"""Page 6, Upload, against the real sandbox: progress, pause/resume, cancel, resume a run."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QWizard

from ingest_gui.core.journal import Journal
from ingest_gui.core.upload import RowStatus
from ingest_gui.core.workflow import ImportWorkflow
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


def contacts(rows: int, *, bad: int = 0):
    """``rows`` contacts, the last ``bad`` of them with an invalid e-mail."""
    mails = [f"user{n}@example.com" for n in range(rows)]
    for n in range(rows - bad, rows):
        mails[n] = "not-an-email"
    return make_table({"Id": [f"U{n:05d}" for n in range(rows)], "Mail": mails})


def prepared_session(sandbox, rows: int, *, bad: int = 0, token: str | None = None):
    """A session as the Check page leaves it: the import's workflow, checked and planned."""
    table = contacts(rows, bad=bad)
    session = session_for(table, contacts_mapping(_user_id="Id", _email="Mail"), sandbox=sandbox)
    data = session.data
    if token is not None:
        data.token = token
        session.reset_client()
    workflow = ImportWorkflow(table, data.mapping, data.specs, session.client())
    checked = workflow.check()
    data.validation, data.plan, data.workflow = checked.validation, checked.plan, workflow
    return session



def stored_ids(sandbox) -> set[str]:
    return set(sandbox.state()["contacts"])


def test_upload_sends_every_valid_row_and_reports_totals(qtbot, sandbox, upload_host):
    session = prepared_session(sandbox, 250, bad=3)
    wizard, page = upload_host(session)
    assert page.summary_label.text().startswith("Ready to send 247 contacts in 3 batches.")
    assert "3 rows with errors will be skipped." in page.summary_label.text()
    assert not page.isComplete()
    assert not page.resume_banner.isVisibleTo(page)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.is_busy()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    result = page.result
    assert result is not None
    assert result.count(RowStatus.ACCEPTED) == 247
    assert result.count(RowStatus.SKIPPED) == 3
    # The workflow's one summary goes on to the Done page, with the error log it wrote.
    outcome = session.data.outcome
    assert outcome is page.outcome
    assert outcome.upload is result
    summary = outcome.summary
    assert (summary.accepted, summary.invalid, summary.not_sent) == (247, 3, 0)
    assert summary.run_id == page.run_id
    assert session.data.error_log_path == Path(summary.error_log)
    assert session.data.error_log_path.exists()
    assert stored_ids(sandbox) == {f"U{n:05d}" for n in range(247)}
    assert page.accepted_value.text() == "247"
    assert page.rejected_value.text() == "0"
    assert page.sent_value.text() == "247 of 247 rows"
    assert "Upload finished." in page.status_text()
    # The line that said what was about to be sent now says it was sent.
    assert page.summary_label.text().startswith("Finished sending 247 contacts in 3 batches.")
    assert "3 rows with errors were skipped." in page.summary_label.text()
    assert "Ready to send" not in page.summary_label.text()
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    with Journal() as journal:
        run = journal.runs()[0]
    assert run.status == "completed"
    assert run.summary == summary.as_json()  # the same summary in the journal


def test_nothing_is_sent_without_a_journal(qtbot, sandbox, upload_host, app_home):
    (app_home / "data").write_text("a file where the data folder should be")
    session = prepared_session(sandbox, 20)
    _wizard, page = upload_host(session)
    text = page.status_text()
    assert text.startswith("Cannot open the import journal")
    assert text.endswith("Nothing was sent: an import without its journal could not be resumed.")
    assert not page.start_button.isEnabled()
    page.start_upload()  # not even when asked directly
    assert not page.is_busy()
    assert page.result is None
    assert not page.isComplete()
    assert stored_ids(sandbox) == set()


def test_pause_holds_new_batches_and_resume_finishes(qtbot, sandbox, upload_host):
    sandbox.set_faults("latency=40ms,seed=1")
    session = prepared_session(sandbox, 2000)
    _wizard, page = upload_host(session)
    page.start_upload()
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert page.pause_button.text() == "Resume"
    assert "Paused" in page.status_text()
    qtbot.waitUntil(lambda: page._last_progress is not None and page._last_progress.paused,
                    timeout=WAIT_MS)
    sent_while_paused = len(stored_ids(sandbox))
    assert sent_while_paused < 2000
    assert page.is_busy()
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert page.pause_button.text() == "Pause"
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.result.count(RowStatus.ACCEPTED) == 2000
    assert len(stored_ids(sandbox)) == 2000


def test_cancel_asks_first_and_declining_keeps_uploading(qtbot, sandbox, upload_host, monkeypatch):
    sandbox.set_faults("latency=20ms,seed=1")
    session = prepared_session(sandbox, 800)
    _wizard, page = upload_host(session)
    asked = []
    monkeypatch.setattr(CancelUploadDialog, "ask",
                        classmethod(lambda cls, parent: asked.append(parent) or False))
    page.start_upload()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert asked == [page]
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert not page.result.cancelled
    assert len(stored_ids(sandbox)) == 800


def test_cancel_stops_cleanly_and_the_run_is_offered_for_resume(qtbot, sandbox, upload_host,
                                                               monkeypatch):
    sandbox.set_faults("latency=40ms,seed=1")
    session = prepared_session(sandbox, 3000)
    _wizard, page = upload_host(session)
    monkeypatch.setattr(CancelUploadDialog, "ask", classmethod(lambda cls, parent: True))
    page.start_upload()
    qtbot.waitUntil(lambda: page._last_progress is not None and page._last_progress.rows_sent > 0,
                    timeout=WAIT_MS)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    result = page.result
    assert result is not None
    assert result.cancelled
    not_sent = result.count(RowStatus.NOT_SENT)
    assert 0 < not_sent < 3000
    assert len(stored_ids(sandbox)) == result.count(RowStatus.ACCEPTED)
    assert "Upload stopped." in page.status_text()
    assert page.summary_label.text().startswith(
        "Stopped before sending all of 3,000 contacts in 30 batches.")
    assert page.isComplete()  # on to Done for the error log, if the user wants
    assert page.start_button.isVisibleTo(page)
    assert page.start_button.text() == "Resume upload"

    # Coming back to the page later offers the unfinished run.
    sandbox.set_faults(None)
    page.initializePage()
    assert page.resumable_run is not None
    assert page.resume_banner.isVisibleTo(page)
    assert "stopped after" in page.resume_banner.text()
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert page.summary_label.text().startswith("Sending 3,000 contacts in 30 batches…")
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.result.count(RowStatus.ACCEPTED) == 3000
    assert len(stored_ids(sandbox)) == 3000
    assert page.summary_label.text().startswith("Finished sending 3,000 contacts in 30 batches.")
    with Journal() as journal:
        runs = journal.runs()
    assert len(runs) == 1  # resumed, not started again
    assert runs[0].status == "completed"


def test_start_over_ignores_the_unfinished_run(qtbot, sandbox, upload_host, monkeypatch):
    sandbox.set_faults("latency=40ms,seed=1")
    session = prepared_session(sandbox, 2000)
    _wizard, page = upload_host(session)
    page.start_upload()
    qtbot.waitUntil(lambda: page._last_progress is not None and page._last_progress.rows_sent > 0,
                    timeout=WAIT_MS)
    assert page.request_cancel_for_close()  # what the window does when closed mid-upload
    assert not page.is_busy()
    sandbox.set_faults(None)
    page.initializePage()
    assert page.resume_banner.isVisibleTo(page)
    qtbot.mouseClick(page.start_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert page.result.count(RowStatus.ACCEPTED) == 2000
    with Journal() as journal:
        assert [run.status for run in journal.runs()] == ["completed", "cancelled"]


def test_a_rejected_token_stops_the_upload_with_a_clear_reason(qtbot, sandbox, upload_host):
    session = prepared_session(sandbox, 50, token="revoked-token")
    _wizard, page = upload_host(session)
    page.start_upload()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    # The undo copy's reads come first: the refusal stops the import there.
    assert page.result is None
    text = page.status_text()
    assert text.startswith("Could not keep a copy of the contacts before the import:")
    assert "Nothing was sent" in text
    assert "revoked-token" not in text
    assert page.start_button.isVisibleTo(page)
    assert stored_ids(sandbox) == set()
