"""Workbooks whose shape or zip sizes would exhaust calamine: scanned and bounded first."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_gui.core import _readers_workbook as workbook
from ingest_gui.core.loading import LoadError, load_table


def _xlsx(path: Path, far_cell: str, far_value: str | None) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "Email", "Plan", "a@b.com", "pro"
    if far_value is None:
        sheet[far_cell].font = Font(bold=True)  # formatting only: no value
    else:
        sheet[far_cell] = far_value
    book.save(path)
    return path


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_the_scan_finds_the_farthest_reference_across_chunk_boundaries(chunk: int) -> None:
    xml = (b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
           b"<row r='70000'><c s=\"1\" r='AB70000'><v>1</v></c></row>"
           b'<row r="3"><c r="XFD3"/></row></sheetData>')
    scanner = workbook.RefScanner()
    for start in range(0, len(xml), chunk):
        scanner.feed(xml[start:start + chunk])
    assert scanner.finish() == 70_000 * 16_384
    assert (scanner.last_row, scanner.last_column) == (70_000, 16_384)


def test_a_far_stray_value_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "stray.xlsx", "XFD1048576", "oops")
    with pytest.raises(LoadError) as caught:
        load_table(path)
    message = str(caught.value)
    assert '"stray.xlsx"' in message
    assert "XFD1048576" in message
    assert "Ctrl+End" in message


def test_a_far_formatted_but_empty_cell_is_read_correctly(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "styled.xlsx", "XFD1048576", None)
    container = workbook.check_container(path, path.read_bytes()[:8], ".xlsx", "x", 1 << 30)
    assert container.sheet_area("Sheet") > workbook.sheet_cell_limit()  # the streamed path
    table = load_table(path)
    assert list(table.headers) == ["Email", "Plan"]
    assert table.frame.values.tolist() == [["a@b.com", "pro"]]


def test_a_sheet_within_the_limit_keeps_the_fast_reader(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "near.xlsx", "C5", "x")
    container = workbook.check_container(path, path.read_bytes()[:8], ".xlsx", "x", 1 << 30)
    assert container.sheet_area("Sheet") == 5 * 3


def test_a_member_inflating_far_beyond_its_declared_size_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.reliability.test_bad_files import lying_xlsx

    path = lying_xlsx(tmp_path / "liar.xlsx", 3 * 1024 * 1024)
    monkeypatch.setattr(workbook, "_UNDECLARED_BYTES_ALLOWED", 1024 * 1024)
    with pytest.raises(LoadError, match=r'"liar.xlsx" is damaged: its part '
                                        r"xl/worksheets/sheet1.xml unpacks to more"):
        load_table(path)
