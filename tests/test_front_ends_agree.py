"""The command line and the wizard are two faces of one import: the same files, each sent by one
front-end to a fresh sandbox (same address, so the same datasource key derives the event ids),
must leave the same journal records, send the same contacts and event ids, and report the same
summaries.

What may differ is normalised explicitly, and only that: the run ids, the times
(``started_at``, ``finished_at``, ``acknowledged_at``, the summary's ``seconds``), the journal's
``owner_pid`` and where each app home keeps its error log (the folder and the timestamp in the
file name). Everything else — the file path, the fingerprint, the datasource key, the mapping,
the batches' rows and the service's answers, the summaries' numbers and statuses — must be
identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest_gui import cli, paths
from ingest_gui.sandbox.server import DEFAULT_TOKEN, SandboxConfig, SandboxServer
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    EVENT_HEADERS,
    EVENT_MAP,
    contact_rows,
    event_rows,
    journal_reader,
    run_cli,
    write_csv,
)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

WAIT_MS = 30_000
#: Contacts and events; a few of each invalid (every 97th row), events for users 0..119.
CONTACTS, EVENTS, USERS = 240, 300, 120


def _pairs(arguments: list[str]) -> dict[str, str]:
    """``["--map", "Header=target", ...]`` -> {header: target} (the wizard maps the same)."""
    return dict(value.split("=", 1) for flag, value in zip(arguments[::2], arguments[1::2],
                                                           strict=True) if flag == "--map")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    contacts = write_csv(tmp_path / "people.csv", CONTACT_HEADERS, contact_rows(CONTACTS))
    rows = event_rows(EVENTS, users=USERS)
    rows.append(list(rows[3]))  # the same purchase twice: one derived event id, sent once
    events = write_csv(tmp_path / "orders.csv", EVENT_HEADERS, rows)
    return contacts, events


@pytest.fixture
def fresh_sandbox() -> Iterator[Any]:
    """Starts a new, empty sandbox on the same port each time it is called."""
    port: list[int] = []
    running: list[SandboxServer] = []

    def start() -> SandboxServer:
        for server in running:
            server.stop()
        running.clear()
        server = SandboxServer(SandboxConfig(rate_limit=None), port=port[0] if port else 0).start()
        port[:] = [httpx.URL(server.base_url).port]
        running.append(server)
        return server

    yield start
    for server in running:
        server.stop()


def sandbox_state(server: SandboxServer) -> dict[str, Any]:
    """What the service stored, read over HTTP as a user would (``GET /_sandbox/state``)."""
    headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    with httpx.Client(timeout=10.0) as http:
        response = http.get(server.root_url + "/_sandbox/state", headers=headers)
    response.raise_for_status()
    state: dict[str, Any] = response.json()
    return state


def journal_records() -> dict[str, list[Any]]:
    """Every run and batch (with its acknowledged results) of this app home's journal."""
    with journal_reader(paths.data_dir() / "journal.sqlite3") as journal:
        runs = journal.execute(
            "SELECT id, status, kind, file_path, fingerprint, datasource_key, mapping_json, "
            "batches_total, summary_json, error_log_path FROM runs ORDER BY id").fetchall()
        batches = journal.execute(
            "SELECT run_id, batch_index, rows_json, results_json FROM batches "
            "ORDER BY run_id, batch_index").fetchall()
    return {"runs": [list(run) for run in runs], "batches": [list(batch) for batch in batches]}


_ERROR_LOG = re.compile(r"^.*[/\\]error-logs[/\\](?P<stem>.+)-errors-\d{8}-\d{6}\.csv$")


def normalised_path(value: str | None) -> str | None:
    """Where an app home keeps an error log, without the home and the timestamp."""
    if value is None:
        return None
    match = _ERROR_LOG.match(value)
    assert match is not None, f"an error log outside the data folder: {value}"
    return f"<data>/error-logs/{match['stem']}-errors-<time>.csv"


def normalised_summary(summary: dict[str, Any], run_ids: dict[int, int]) -> dict[str, Any]:
    assert isinstance(summary["seconds"], float | int)
    return summary | {"seconds": "<seconds>", "run_id": run_ids.get(summary["run_id"]),
                      "error_log": normalised_path(summary["error_log"])}


def normalised_journal(records: dict[str, list[Any]]) -> tuple[dict[str, list[Any]],
                                                                dict[int, int]]:
    """Run ids become 1, 2, ... in order; times and error-log homes go."""
    run_ids = {run[0]: position for position, run in enumerate(records["runs"], start=1)}
    runs = []
    for run_id, *rest, summary_json, error_log in records["runs"]:
        summary = normalised_summary(json.loads(summary_json), run_ids)
        runs.append([run_ids[run_id], *rest, summary, normalised_path(error_log)])
    batches = [[run_ids[run_id], *rest] for run_id, *rest in records["batches"]]
    return {"runs": runs, "batches": batches}, run_ids


def normalised_state(state: dict[str, Any]) -> dict[str, Any]:
    return {"contacts": state["contacts"],
            "events": sorted(state["events"], key=lambda event: event["_event_id"])}


# -- the two front-ends --------------------------------------------------------------------------

def import_with_the_command_line(capsys: pytest.CaptureFixture[str], server: SandboxServer,
                                 contacts: Path, events: Path) -> list[dict[str, Any]]:
    summaries = []
    for path, kind, mapping in ((contacts, "contacts", CONTACT_MAP),
                                (events, "events", EVENT_MAP)):
        # Some events belong to the invalid contacts (not imported): accepted, not stored.
        unknown = ["--allow-unknown-contacts"] if kind == "events" else []
        code, out, err = run_cli(capsys, "import", str(path), "--kind", kind,
                                 "--sandbox", server.base_url, *mapping, *unknown, "--json")
        assert code == cli.EXIT_ROWS_FAILED, err  # some rows invalid, every other one sent
        summaries.append(json.loads(out))
    return summaries


def import_with_the_wizard(qtbot: Any, server: SandboxServer, contacts: Path,
                           events: Path) -> list[dict[str, Any]]:
    from ingest_gui.ui.pages.check import CheckPage
    from ingest_gui.ui.pages.done import DonePage
    from ingest_gui.ui.pages.upload import UploadPage
    from ingest_gui.ui.wizard import IngestWizard, PageId
    from tests.ui.test_wizard_e2e import go_next, map_columns, open_file, to_mapping_page

    window = IngestWizard()
    qtbot.addWidget(window)
    window.show()
    summaries = []
    try:
        for path, event_type, mapping in ((contacts, None, CONTACT_MAP),
                                          (events, "purchase", EVENT_MAP)):
            if event_type is None:
                page = to_mapping_page(qtbot, window, server, path)
            else:
                window.currentPage().import_another_button.click()
                assert window.currentId() == PageId.FILE
                open_file(qtbot, window, path)
                go_next(qtbot, window)
                kind = window.currentPage()
                kind.events_radio.setChecked(True)
                kind.event_type_combo.setCurrentIndex(kind.event_type_combo.findData(event_type))
                go_next(qtbot, window)
                page = window.currentPage()
            map_columns(page, _pairs(mapping))
            go_next(qtbot, window)
            check = window.currentPage()
            assert isinstance(check, CheckPage)
            qtbot.waitUntil(lambda check=check: check.result is not None and not check.is_busy()
                            and not check.previewing.is_running(), timeout=WAIT_MS)
            assert check.result.invalid_count > 0
            check.skip_checkbox.setChecked(True)  # as the command line does
            if event_type is not None:  # as --allow-unknown-contacts does
                assert check.unknown_contacts.isVisibleTo(check)
                check.unknown_contacts.send_anyway.setChecked(True)
            go_next(qtbot, window)
            upload = window.currentPage()
            assert isinstance(upload, UploadPage)
            upload.start_button.click()
            qtbot.waitUntil(upload.isComplete, timeout=WAIT_MS)
            go_next(qtbot, window)
            done = window.currentPage()
            assert isinstance(done, DonePage)
            assert done.summary is not None
            summaries.append(done.summary.as_json())
    finally:
        window.close()
    return summaries


def test_the_command_line_and_the_wizard_import_alike(
        qtbot: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path, files: tuple[Path, Path], fresh_sandbox: Any) -> None:
    contacts, events = files
    seen = {}
    for front_end in ("command line", "wizard"):
        home = tmp_path / front_end.replace(" ", "-")
        monkeypatch.setenv("INGEST_GUI_HOME", str(home))  # its own journal and error logs
        server = fresh_sandbox()
        if front_end == "command line":
            summaries = import_with_the_command_line(capsys, server, contacts, events)
        else:
            summaries = import_with_the_wizard(qtbot, server, contacts, events)
        journal, run_ids = normalised_journal(journal_records())
        seen[front_end] = {
            "journal": journal,
            "summaries": [normalised_summary(summary, run_ids) for summary in summaries],
            "state": normalised_state(sandbox_state(server)),
        }

    line, wizard = seen["command line"], seen["wizard"]
    # What was sent: the same contacts, and the same events under the same derived ids.
    assert line["state"]["events"], "no event was stored: nothing compared"
    assert [event["_event_id"] for event in wizard["state"]["events"]] == \
        [event["_event_id"] for event in line["state"]["events"]]
    assert wizard["state"] == line["state"]
    # The journal: the same two runs (file, fingerprint, key, mapping, summary, error log) and
    # the same batches with the same acknowledged results.
    assert [run[2] for run in line["journal"]["runs"]] == ["contacts", "events"]
    assert line["journal"]["batches"], "no batch was recorded: nothing compared"
    assert wizard["journal"] == line["journal"]
    # The summaries the user read: --json and the Done page.
    assert line["summaries"][1]["duplicates"] == 1
    assert line["summaries"][0]["invalid"] > 0
    assert wizard["summaries"] == line["summaries"]
    # And those are the summaries the journal stored for each run.
    assert [run[-2] for run in line["journal"]["runs"]] == line["summaries"]
