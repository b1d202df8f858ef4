"""Issue 19, item 2: what Windows does to the app, simulated on Linux.

- A console in cp850 or cp1252 (``PYTHONIOENCODING``), which cannot print "→": the command
  prints what it can and never dies of a ``UnicodeEncodeError``.
- A file that cannot be written (a workbook open in Excel: a read-only or immutable file or
  folder here): saving an error log or a template over it gives a sentence and keeps the file
  as it was.
- ``C:\\Users\\José Núñez\\Escritorio\\clientes (1).xlsx``: spaces, accents, parentheses and
  long names, end to end through the command line (a fresh process, as a user runs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_gui import cli, paths
from ingest_gui.core.errorlog import write_error_log
from ingest_gui.core.mapping import ImportKind, Mapping, save_template
from ingest_gui.sandbox.server import SandboxServer
from tests.core.factories import make_table
from tests.import_helpers import (
    CONTACT_HEADERS,
    CONTACT_MAP,
    contact_rows,
    write_csv,
)
from tests.reliability.windows_hazards_support import CannotProtect, unwritable

ROOT = Path(__file__).resolve().parents[2]
#: A user folder as Windows spells it, under the test's own folder.
USER_FOLDER = Path("José Núñez") / "Escritorio"
#: Windows' classic MAX_PATH; the long-name test goes past it.
MAX_PATH = 260


def _command(*args: str, encoding: str | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    environment.pop("PYTHONUTF8", None)
    if encoding is not None:
        environment["PYTHONIOENCODING"] = encoding
    return subprocess.run([sys.executable, "-m", "ingest_gui", *args], cwd=ROOT,
                          env=environment, capture_output=True, timeout=180, check=False)


def _no_crash(process: subprocess.CompletedProcess[bytes]) -> None:
    text = process.stdout.decode("utf-8", "replace") + process.stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    assert "UnicodeEncodeError" not in text, text


def _accented_contacts(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = contact_rows(12)  # row 3 (index 1) has a bad email: an error log is written
    rows[0][1] = "Begoña → Peña"
    rows[2][1] = "Ærøskøbing “Ñandú” — 東京"
    headers = ["Customer ID", "Nombre → pila", *CONTACT_HEADERS[2:]]
    return write_csv(folder / "clientes (1) → España.csv", headers, rows)


@pytest.mark.parametrize("encoding", ["cp850", "cp1252"])
def test_a_windows_console_encoding_never_crashes_the_command(
    encoding: str, tmp_path: Path, sandbox: SandboxServer
) -> None:
    path = _accented_contacts(tmp_path / USER_FOLDER)
    mapping = ["--map", "Nombre → pila=_first_name",
               *[part for part in CONTACT_MAP if "First Name" not in part]]
    mapping = [part for index, part in enumerate(mapping)
               if not (part == "--map" and index + 1 < len(mapping)
                       and mapping[index + 1] == "--map")]
    imported = _command("import", str(path), "--kind", "contacts", "--sandbox",
                        sandbox.base_url, *mapping, encoding=encoding)
    _no_crash(imported)
    assert imported.returncode == cli.EXIT_ROWS_FAILED, imported.stderr
    # Every byte is in the console's encoding, and what it can show is shown as it is.
    printed = imported.stdout.decode(encoding) + imported.stderr.decode(encoding)
    assert "Rows read: 12" in printed
    assert "clientes (1) ? España-errors-" in printed  # the error log's name: "→" cannot show
    assert {contact["_first_name"] for contact in sandbox.state()["contacts"].values()} >= {
        "Begoña → Peña", "Ærøskøbing “Ñandú” — 東京"}  # the data itself is untouched

    listed = _command("runs", encoding=encoding)
    _no_crash(listed)
    assert listed.returncode == cli.EXIT_OK
    assert "clientes (1) ? España.csv" in listed.stdout.decode(encoding)

    # --json escapes what is not ASCII, so a script gets the exact names in any console.
    as_json = _command("import", str(path), "--kind", "contacts", "--sandbox", sandbox.base_url,
                       *mapping, "--restart", "--json", encoding=encoding)
    _no_crash(as_json)
    summary = json.loads(as_json.stdout.decode("ascii"))
    assert summary["accepted"] == 11


def _long_folder(base: Path) -> Path:
    folder = (base / USER_FOLDER / "Exportaciones del CRM – campaña de Navidad (versión "
              "final, revisada por María José y Núria)" / "Copia de seguridad (2) de las "
              "exportaciones de clientes de la tienda online de Barcelona y Málaga")
    folder.mkdir(parents=True)
    return folder


def _write_xlsx(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Clientes (España)"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("where", ["desktop", "past MAX_PATH"])
def test_awkward_paths_work_end_to_end_through_the_command_line(
    where: str, tmp_path: Path, sandbox: SandboxServer
) -> None:
    if where == "desktop":
        folder = tmp_path / USER_FOLDER
        folder.mkdir(parents=True)
        name = "clientes (1).xlsx"
    else:
        folder = _long_folder(tmp_path)
        name = ("clientes (1) – exportación completa del CRM antes de la migración, con "
                "teléfonos y países revisados (copia de José).xlsx")
    rows = 60
    invalid = len([n for n in range(rows) if n % 7 == 1])
    path = _write_xlsx(folder / name, CONTACT_HEADERS, contact_rows(rows, invalid_every=7))
    if where != "desktop":
        assert len(str(path)) > MAX_PATH
    template = folder / "plantilla de clientes (España).json"
    mapping = Mapping(ImportKind.CONTACTS, assignments={
        "_user_id": "Customer ID", "_first_name": "First Name", "_email": "Email",
        "_phone_mobile": "Phone", "_country_code": "Country"})
    save_template(template, mapping, CONTACT_HEADERS)
    error_log = folder / "clientes (1) – errores (revisar).xlsx"

    process = _command("import", str(path), "--kind", "contacts", "--sandbox", sandbox.base_url,
                       "--mapping", str(template), "--sheet", "Clientes (España)",
                       "--error-log", str(error_log), "--json")
    _no_crash(process)
    assert process.returncode == cli.EXIT_ROWS_FAILED, process.stderr.decode()
    summary = json.loads(process.stdout)
    assert invalid > 1
    assert summary["accepted"] == rows - invalid
    assert len(sandbox.state()["contacts"]) == rows - invalid
    from openpyxl import load_workbook

    workbook = load_workbook(error_log, read_only=True)
    lines = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert lines[0][-2:] == ("Row", "Errors")
    assert len(lines) == 1 + invalid
    # The error log, fixed, goes back in from the same folder.
    again = _command("import", str(error_log), "--kind", "contacts", "--sandbox",
                     sandbox.base_url, "--mapping", str(template), "--json", "--restart")
    _no_crash(again)
    assert json.loads(again.stdout)["rows_read"] == invalid

    listed = _command("runs")
    assert listed.returncode == cli.EXIT_OK
    assert str(path) in listed.stdout.decode("utf-8")


# -- files that cannot be written -----------------------------------------------------------------

def _protected(path: Path):  # type: ignore[no-untyped-def]
    try:
        return unwritable(path)
    except CannotProtect as reason:  # pragma: no cover - depends on the machine
        pytest.skip(str(reason))


def _contacts_table() -> object:
    return make_table({"Email": ["ana@example.com", "bad"], "Nombre": ["Ana", "Begoña"]})


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_error_log_that_cannot_be_replaced_is_left_as_it_was(
    suffix: str, tmp_path: Path
) -> None:
    path = tmp_path / f"clientes - errores{suffix}"
    path.write_bytes(b"the user's own edits")
    table = _contacts_table()
    with _protected(path), pytest.raises(PermissionError):
        write_error_log(path, table, {3: ["Email “bad” is not an email address."]})
    assert path.read_bytes() == b"the user's own edits"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary left


def test_an_error_log_in_a_folder_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "Escritorio"
    folder.mkdir()
    with _protected(folder), pytest.raises(PermissionError):
        write_error_log(folder / "errores.csv", _contacts_table(), {3: ["bad"]})
    assert list(folder.iterdir()) == []


def test_the_command_line_says_so_and_keeps_the_upload(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    path = write_csv(tmp_path / "clientes.csv", CONTACT_HEADERS, contact_rows(12))
    error_log = tmp_path / "clientes - errores.csv"
    error_log.write_text("open in Excel\n", encoding="utf-8")
    with _protected(error_log):
        process = _command("import", str(path), "--kind", "contacts", "--sandbox",
                           sandbox.base_url, *CONTACT_MAP, "--error-log", str(error_log))
    _no_crash(process)
    err = process.stderr.decode("utf-8")
    assert process.returncode == cli.EXIT_ROWS_FAILED  # the import's own outcome: one bad row
    assert f"Could not write the error log {error_log}" in err
    assert error_log.read_text(encoding="utf-8") == "open in Excel\n"
    assert len(sandbox.state()["contacts"]) == 11  # the valid rows were sent all the same
    # The rows to fix went to the default place instead, and the command said where.
    written = list(paths.error_logs_dir().iterdir())
    assert len(written) == 1
    assert f"The error log was written to {written[0]} instead." in err
    assert "Email" in written[0].read_text(encoding="utf-8-sig")


def test_a_template_in_a_folder_that_cannot_be_written_is_refused_and_kept(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "plantillas"
    folder.mkdir()
    template = folder / "clientes.json"
    save_template(template, Mapping(ImportKind.CONTACTS, assignments={"_email": "Email"}),
                  ["Email"])
    before = template.read_bytes()
    changed = Mapping(ImportKind.CONTACTS, assignments={"_email": "Correo"})
    with _protected(folder), pytest.raises(PermissionError):
        save_template(template, changed, ["Correo"])
    assert template.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["clientes.json"]


def test_a_template_that_cannot_be_replaced_leaves_no_temporary_file(tmp_path: Path) -> None:
    template = tmp_path / "clientes.json"
    save_template(template, Mapping(ImportKind.CONTACTS, assignments={"_email": "Email"}),
                  ["Email"])
    before = template.read_bytes()
    with _protected(template), pytest.raises(PermissionError):
        save_template(template, Mapping(ImportKind.CONTACTS, assignments={"_email": "Correo"}),
                      ["Correo"])
    assert template.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clientes.json"]


def test_the_data_folder_the_command_writes_to_is_private(tmp_path: Path,
                                                          sandbox: SandboxServer) -> None:
    """The error log the command writes on its own lands in the private error-logs folder."""
    path = write_csv(tmp_path / "clientes.csv", CONTACT_HEADERS, contact_rows(12))
    process = _command("import", str(path), "--kind", "contacts", "--sandbox",
                       sandbox.base_url, *CONTACT_MAP)
    _no_crash(process)
    logs = list(paths.error_logs_dir().iterdir())
    assert len(logs) == 1
    if os.name == "posix":
        assert logs[0].stat().st_mode & 0o777 == 0o600
        assert paths.data_dir().stat().st_mode & 0o777 == 0o700
