"""The one object the wizard's pages share (passed to each page's constructor, never global).

Pages read what earlier pages left here in ``initializePage`` and write their own results in
``validatePage``. It holds data only; the work is done by the core.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ingest_gui.api.client import IngestClient
    from ingest_gui.api.specs import DatasourceSpecs, StreamInfo
    from ingest_gui.core.connections import Connection
    from ingest_gui.core.loading import LoadedTable, LoadOptions
    from ingest_gui.core.mapping import Mapping
    from ingest_gui.core.payload import PayloadPlan
    from ingest_gui.core.validation import ValidationResult
    from ingest_gui.core.workflow import ImportOutcome, ImportWorkflow
    from ingest_gui.sandbox.server import SandboxServer
    from ingest_gui.ui.tasks import PageTask


def build_client(connection: Connection, token: str) -> IngestClient:
    """A new client for ``connection``. Slow (it builds the TLS context, tens of ms): call it
    on a worker thread, then hand the client to :meth:`WizardSession.adopt_client`."""
    from ingest_gui.api.client import IngestClient

    return IngestClient(connection.base_url, connection.project, connection.datasource, token)


@dataclass
class SessionData:
    connection: Connection | None = None
    #: Held only in memory for the session (the keychain keeps the saved copy).
    token: str | None = field(default=None, repr=False)
    sandbox: SandboxServer | None = None
    stream_info: StreamInfo | None = None
    specs: DatasourceSpecs | None = None
    file_path: Path | None = None
    load_options: LoadOptions | None = None
    table: LoadedTable | None = None
    #: A workbook's sheets -> their column names (empty for a text file or a single sheet):
    #: what the Kind page needs to propose the sheet that fits the import.
    sheet_headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mapping: Mapping | None = None
    validation: ValidationResult | None = None
    plan: PayloadPlan | None = None
    #: The import of this table and mapping (made by the Check page, sent by the Upload page).
    workflow: ImportWorkflow | None = None
    #: The finished upload: the workflow's summary, report and upload result.
    outcome: ImportOutcome | None = None
    error_log_path: Path | None = None


class WizardSession(QObject):
    """Shared state plus signals so pages can react when an earlier page changes it.

    Signals:
        changed(): an earlier page changed the data (a new file, a new connection).
        file_forgotten(): :meth:`forget_file` ran; pages showing the file start clean.
    """

    changed = Signal()
    file_forgotten = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = SessionData()
        self._client: IngestClient | None = None

    def forget_results(self) -> None:
        """The file or the mapping changed: the checks, plan and upload made for the old ones
        (and the error log saved from them) no longer apply."""
        data = self.data
        if data.workflow is not None:
            data.workflow.close()
        data.validation = None
        data.plan = None
        data.workflow = None
        data.outcome = None
        data.error_log_path = None

    def forget_file(self) -> None:
        """Start again from choosing a file, with the same connection: everything about the
        file goes (its path, options, table, mapping and all that was computed from them)."""
        data = self.data
        data.file_path = None
        data.load_options = None
        data.table = None
        data.sheet_headers = {}
        data.mapping = None
        self.forget_results()
        self.file_forgotten.emit()

    def client(self) -> IngestClient:
        """The one shared client for the current connection (built on first use, unless the
        Connect page's test already built one off the GUI thread and adopted it)."""
        if self._client is None:
            connection, token = self.data.connection, self.data.token
            if connection is None or token is None:
                raise RuntimeError("No connection has been chosen yet.")
            self._client = build_client(connection, token)
        return self._client

    def adopt_client(self, client: IngestClient) -> None:
        """Share ``client``, built by :func:`build_client` for the current connection.

        If a client was built meanwhile, that one stays and ``client`` is closed.
        """
        if self._client is None:
            self._client = client
        elif self._client is not client:
            client.close()

    def reset_client(self, *, in_use_by: Sequence[PageTask] = ()) -> None:
        """Forget the client (the connection changed) and close its sockets.

        Work of ``in_use_by`` still running with the old client (a connection test the user
        superseded) keeps it until its threads end; closing it under them would leak the socket
        they are using.
        """
        client, self._client = self._client, None
        if client is None:
            return
        # Each PageTask calls back on this (GUI) thread, at once if nothing of it runs.
        waiting = list(in_use_by)

        def release(task: PageTask) -> None:
            waiting.remove(task)
            if not waiting:
                client.close()

        if not waiting:
            client.close()
        for task in list(waiting):
            task.call_when_ended(functools.partial(release, task))

    def close(self) -> None:
        if self.data.workflow is not None:
            self.data.workflow.close()  # its journal
        self.reset_client()
        if self.data.sandbox is not None:
            self.data.sandbox.stop()
            self.data.sandbox = None
