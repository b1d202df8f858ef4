"""Builders shared by the tests of the Map columns, Check, Upload and Done pages."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from ingest_gui.core.connections import Connection
from ingest_gui.core.mapping import ColumnOptions, ImportKind, InvalidValuePolicy, Mapping
from ingest_gui.ui.session import WizardSession
from tests.core.factories import make_specs, make_table

if TYPE_CHECKING:
    from ingest_gui.core.loading import LoadedTable
    from ingest_gui.sandbox.server import SandboxServer

CONTACT_COLUMNS = {
    "Customer id": ["C-1", "C-2", "C-3", "C-4"],
    "E-mail": ["ada@example.com", "not-an-email", "grace@example.com", "bad@"],
    "Mobile": ["+34600000001", "+34600000002", "+34600000003", "+34600000004"],
    "Plan": ["pro", "free", "", "pro"],
}


#: Where the pages' tests without a sandbox "connect": the discard port, never contacted.
OFFLINE_CONNECTION = Connection("offline", "http://127.0.0.1:9/v1", "demo", "demo")


def contacts_table(columns: dict[str, list[str]] | None = None) -> LoadedTable:
    return make_table(columns or CONTACT_COLUMNS)


def session_for(table: LoadedTable, mapping: Mapping | None = None,
                sandbox: SandboxServer | None = None) -> WizardSession:
    """A session as the first three pages leave it (with a real sandbox connection if given)."""
    session = WizardSession()
    session.data.table = table
    session.data.file_path = table.path
    session.data.mapping = mapping if mapping is not None else Mapping(ImportKind.CONTACTS)
    if sandbox is None:
        # A connection nothing is sent to: its client's key derives the event ids, as in use.
        session.data.connection = OFFLINE_CONNECTION
        session.data.token = "offline-token"
        session.data.specs = make_specs()
    else:
        connect(session, sandbox)
    return session


def connect(session: WizardSession, sandbox: SandboxServer, token: str | None = None) -> None:
    config = sandbox.config
    session.data.connection = Connection("sandbox", sandbox.base_url, config.project,
                                         config.datasource)
    session.data.token = token or config.token
    session.reset_client()
    session.data.specs = session.client().fetch_specs()


def contacts_mapping(*, leave_out: bool = False, **assignments: str) -> Mapping:
    """Target -> column. The pages' tests use invalid e-mails as rows with errors: every column
    skips the rows of its invalid values, unless ``leave_out`` (the default choice in use)."""
    mapping = Mapping(ImportKind.CONTACTS)
    for target, column in assignments.items():
        mapping.assign(column, target)
        if not leave_out:
            mapping.options[column] = ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW)
    return mapping


def write_csv(path: Path, columns: dict[str, list[str]]) -> Path:
    headers = list(columns)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(zip(*(columns[name] for name in headers), strict=True))
    return path


def write_xlsx(path: Path, columns: dict[str, list[str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    headers = list(columns)
    sheet.append(headers)
    for row in zip(*(columns[name] for name in headers), strict=True):
        sheet.append(list(row))
    workbook.save(path)
    return path
