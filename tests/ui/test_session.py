"""WizardSession: forgetting the file or the results, and the shared client's lifetime."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from ingest_gui.core.cancel import CancelToken
from ingest_gui.core.connections import Connection
from ingest_gui.core.loading import LoadOptions
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import PageTask
from tests.ui.support_pages import contacts_table

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


def filled_session() -> WizardSession:
    """Every field set, to something other than None."""
    session = WizardSession()
    data = session.data
    data.connection = Connection("Shop", "https://example.invalid/v1", "p", "d")
    data.token = "secret-token-123456"
    data.table = contacts_table()
    data.file_path = data.table.path
    data.load_options = LoadOptions()
    data.mapping = Mapping(ImportKind.CONTACTS)
    sentinel: Any = object()
    data.stream_info = data.specs = sentinel
    data.validation = data.plan = sentinel
    data.workflow = data.outcome = ClosingWorkflow()
    data.error_log_path = Path("errors.xlsx")
    return session


FILE_FIELDS = ("file_path", "load_options", "table", "mapping")
RESULT_FIELDS = ("validation", "plan", "workflow", "outcome", "error_log_path")


class ClosingWorkflow:
    """Stands for the session's workflow, which holds the journal open."""

    closed = False

    def close(self) -> None:
        self.closed = True
CONNECTION_FIELDS = ("connection", "token", "stream_info", "specs")


def test_forget_file_keeps_only_the_connection() -> None:
    session = filled_session()
    session.forget_file()
    assert {name: getattr(session.data, name) for name in (*FILE_FIELDS, *RESULT_FIELDS)} == \
        dict.fromkeys((*FILE_FIELDS, *RESULT_FIELDS))
    assert all(getattr(session.data, name) is not None for name in CONNECTION_FIELDS)


def test_forget_results_keeps_the_file_and_mapping() -> None:
    session = filled_session()
    workflow = session.data.workflow
    session.forget_results()
    assert workflow.closed  # its journal
    assert all(getattr(session.data, name) is None for name in RESULT_FIELDS)
    assert all(getattr(session.data, name) is not None
               for name in (*FILE_FIELDS, *CONNECTION_FIELDS))


class RecordingClient:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_reset_client_stays_open_until_the_work_using_it_ends(qtbot: Any) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    specs_reading, idle = PageTask(page), PageTask(page)
    session = WizardSession()
    client: Any = RecordingClient()
    session.adopt_client(client)
    release = threading.Event()

    def work(cancel: CancelToken, report: Any) -> None:
        release.wait(WAIT_MS / 1000)

    specs_reading.start(work)
    specs_reading.discard()  # superseded, as when the fields change: its thread still runs
    session.reset_client(in_use_by=(specs_reading, idle))
    assert not client.closed
    release.set()
    qtbot.waitUntil(lambda: client.closed, timeout=WAIT_MS)


def test_a_reset_client_nobody_uses_is_closed_at_once(qtbot: Any) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    session = WizardSession()
    client: Any = RecordingClient()
    session.adopt_client(client)
    session.reset_client(in_use_by=(PageTask(page),))
    assert client.closed
