"""Page 7, Done: "Undo this import…" through the wizard against the sandbox — offered only when
the run can be undone, asked first with the counts, run in the background, and the sandbox's
contacts are back exactly as they were."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QWizard, QWizardPage

from ingest_gui.api.client import IngestClient
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ColumnOptions, EmptyCellPolicy, ImportKind, Mapping
from ingest_gui.core.undo import UndoTarget
from ingest_gui.core.workflow import ImportWorkflow
from ingest_gui.ui.pages.done import DonePage, UndoImportDialog
from ingest_gui.ui.pages.upload import UploadPage
from tests.import_helpers import write_csv
from tests.ui.support_pages import session_for

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

WAIT_MS = 30_000
HEADERS = ["ID", "Name", "Plan", "Notes"]
SEEDED: list[dict[str, Any]] = [
    {"_user_id": "S1", "_first_name": "Ana", "plan": "pro", "notes": "call back"},
    {"_user_id": "S2", "_first_name": "Bea", "plan": "basic"},
    {"_user_id": "S3", "_first_name": "Cai", "plan": "free", "notes": "keep"},
]
ROWS = [
    ["S1", "Ana", "basic", ""],     # plan changes, notes cleared
    ["S2", "Bea", "pro", "vip"],    # plan changes, notes added
    ["S3", "Cai", "free", "keep"],  # unchanged
    ["N1", "Eva", "pro", "new"],    # created
    ["N2", "Fer", "", ""],          # created
]


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def import_through_the_wizard(qtbot, sandbox, tmp_path):
    """Upload ROWS with the Upload page and go on to Done; returns the session, the wizard
    (kept by the caller: it owns the pages), the Upload and the Done page."""
    table = load_table(write_csv(tmp_path / "contacts.csv", HEADERS, ROWS))
    mapping = Mapping(ImportKind.CONTACTS)
    for header, target in zip(HEADERS, ["_user_id", "_first_name", "plan", "notes"],
                              strict=True):
        mapping.assign(header, target)
    mapping.options["Notes"] = ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
    session = session_for(table, mapping, sandbox=sandbox)
    data = session.data
    workflow = ImportWorkflow(table, mapping, data.specs, session.client())
    checked = workflow.check()
    workflow.preview()  # as the Check page may: what the import would do to the datasource
    data.validation, data.plan, data.workflow = checked.validation, checked.plan, workflow
    wizard = QWizard()
    upload, done = UploadPage(session), DonePage(session)
    for page in (QWizardPage(), upload, done):
        wizard.addPage(page)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    upload.start_upload()
    qtbot.waitUntil(upload.isComplete, timeout=WAIT_MS)
    wizard.next()
    assert wizard.currentPage() is done
    return session, wizard, upload, done


def test_undo_asks_with_the_counts_and_brings_the_contacts_back(qtbot, sandbox, tmp_path,
                                                               app_home, monkeypatch):
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        assert client.post_contacts(SEEDED, sync=True).rejected_count == 0
    seeded = dict(sandbox.state()["contacts"])
    session, _wizard, upload, done = import_through_the_wizard(qtbot, sandbox, tmp_path)
    try:
        assert sandbox.state()["contacts"] != seeded
        assert done.undo_button.isVisibleTo(done)
        assert done.undo_button.isEnabled()
        assert done.undo_note.text() == ""
        # The preview that ran: 2 new contacts and 2 updated (S3 is unchanged), at a glance.
        assert [(title, [(segment.key, segment.count) for segment in segments])
                for title, segments in done.chart.bars()][1] == (
            "Contacts (preview)", [("created", 2), ("updated", 2)])

        asked: list[UndoTarget] = []
        monkeypatch.setattr(UndoImportDialog, "ask", classmethod(
            lambda cls, parent, target: asked.append(target) or False))
        qtbot.mouseClick(done.undo_button, Qt.MouseButton.LeftButton)
        (target,) = asked
        assert (target.deletions, target.restorations) == (2, 3)
        assert "deletes the 2 contacts it created" in target.sentence()
        assert "Events cannot be removed through the Ingest API" in target.sentence()
        assert not done.is_busy()  # declined: nothing happens
        assert sandbox.state()["contacts"] != seeded

        monkeypatch.setattr(UndoImportDialog, "ask",
                            classmethod(lambda cls, parent, target: True))
        qtbot.mouseClick(done.undo_button, Qt.MouseButton.LeftButton)
        assert done.is_busy()
        assert not done.undo_button.isEnabled()
        qtbot.waitUntil(lambda: not done.is_busy(), timeout=WAIT_MS)
        assert sandbox.state()["contacts"] == seeded
        assert done.status_label.text().startswith(
            f"Import run #{target.run.run_id} was undone. Contacts deleted: 2. Contacts "
            "restored: 3.")
        # Undone once: not offered again, and the page says why.
        assert not done.undo_button.isEnabled()
        assert "was already undone" in done.undo_note.text()
        assert not done.undo_progress.isVisibleTo(done)
    finally:
        upload.shutdown()
        done.shutdown()
        session.close()


def test_the_undo_question_names_the_counts_and_keeps_things_by_default(qtbot, sandbox,
                                                                      tmp_path, app_home):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    session, _wizard, upload, done = import_through_the_wizard(qtbot, sandbox, tmp_path)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Cancel).click()

    try:
        QTimer.singleShot(0, answer)
        assert UndoImportDialog.ask(done, done._undo_target) is False
        (text,) = seen
        assert "deletes the 5 contacts it created and restores" in text  # none seeded
    finally:
        upload.shutdown()
        done.shutdown()
        session.close()
