"""Workbooks whose shape or zip sizes would exhaust calamine: scanned and bounded first."""

from __future__ import annotations

import re
import struct
import threading
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_gui.core import _readers_workbook as workbook
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.loading import LoadError, inspect_file, load_table


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


# -- references spelled every way calamine reads them -----------------------------------------

def _scan(xml: bytes, chunk: int) -> tuple[workbook.RefScanner, int]:
    """The scanner fed ``xml`` in chunks of ``chunk`` bytes, and the area it found."""
    scanner = workbook.RefScanner()
    for start in range(0, len(xml), chunk):
        scanner.feed(xml[start:start + chunk])
    return scanner, scanner.finish()


@pytest.mark.parametrize("chunk", [5, 64, 1 << 20])
@pytest.mark.parametrize(("cell", "row", "column"), [
    ('<c r="xfd1048576"/>', 1_048_576, 16_384),      # calamine reads lower case
    ('<c r="A0000003"/><c r="XFD999999"/>', 999_999, 16_384),  # zeros do not hide a row
    ('<c r="A99999999"/>', 99_999_999, 1),            # more than seven digits
    ('<c\tr="XFD1048576"/>', 1_048_576, 16_384),     # any whitespace before r
    ('<c\nr=\'XFD7\'/>', 7, 16_384),
    ('<x:c r="C5"/>', 5, 3),                          # a namespace prefix
])
def test_the_scan_reads_references_as_calamine_does(cell: str, row: int, column: int,
                                                    chunk: int) -> None:
    xml = f'<sheetData><row r="1"><c r="A1"/></row><row r="2">{cell}</row></sheetData>'
    scanner, _area = _scan(xml.encode(), chunk)
    assert (scanner.last_row, scanner.last_column) == (row, column)


@pytest.mark.parametrize("cell", [
    '<c r = "XFD1048576"/>', '<c r= "A1"/>', '<c r="AAAA1048576"/>', '<c r="A1B2"/>',
    '<c r="&#88;FD1048576"/>', '<c r="A00000000001"/>',
    "<c t='inlineStr'><is><t>a r" + " " * 100 + "b</t></is></c>",  # "=" may follow, unseen
])
def test_a_reference_the_scan_cannot_bound_sends_the_sheet_to_the_streamed_reader(
    cell: str,
) -> None:
    xml = f'<sheetData><row r="1"><c r="A1"/>{cell}</row></sheetData>'.encode()
    assert _scan(xml, 1 << 20)[1] == workbook.RefScanner.UNBOUNDED
    assert workbook.sheet_cell_limit() < workbook.RefScanner.UNBOUNDED


def test_cells_without_references_add_to_the_bound() -> None:
    """calamine puts such a cell after the previous one, past XFD if need be."""
    xml = (b'<sheetData><row r="9"><c r="XFD9"/>' + b"<c/>" * 1000 + b"</row>"
           b"<row><c/></row></sheetData>")
    scanner, _area = _scan(xml, 1 << 20)
    assert scanner.last_column == 16_384 + 1001
    assert scanner.last_row == 9 + 2


def _reference_area(xml: bytes) -> int:
    """What the scan must find, the slow and obvious way."""
    refs = re.findall(rb"""[ \t\r\n]r=["']([A-Za-z]*)([0-9]*)["']""", xml)
    last_row = max((int(digits or b"0") for _, digits in refs), default=0)
    last_column = 0
    for letters, _ in refs:
        value = 0
        for letter in letters.upper():
            value = value * 26 + letter - ord("A") + 1
        last_column = max(last_column, value)
    referenced = sum(1 for letters, _ in refs if letters)
    unreferenced = len(re.findall(rb"[<:]c[ \t\r\n>/]", xml)) - referenced
    if unreferenced > 0:
        last_column += unreferenced
        last_row += len(re.findall(rb"[<:]row[ \t\r\n>/]", xml))
    return last_row * last_column


_COLUMN = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz", min_size=1, max_size=3)
_ROW = st.integers(0, 9_999_999).map(str) | st.integers(0, 999).map(lambda n: f"{n:07d}")
_SPACE = st.sampled_from([" ", "\t", "\n", "\r\n"])
_CELL = st.one_of(
    st.builds(lambda space, column, row, quote: f'<c{space}r={quote}{column}{row}{quote}>'
              "<v>1</v></c>", _SPACE, _COLUMN, _ROW, st.sampled_from(["'", '"'])),
    st.just("<c><v>2</v></c>"), st.just('<c t="s"/>'), st.just("<is><t>a r b</t></is>"),
)
_ROWS = st.lists(st.builds(lambda row, cells: f'<row r="{row}">{"".join(cells)}</row>'
                           if row else f'<row>{"".join(cells)}</row>',
                           st.integers(0, 2_000_000), st.lists(_CELL, max_size=6)),
                 max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows=_ROWS, chunk=st.integers(1, 200))
def test_the_scan_agrees_with_a_plain_reading_of_the_xml(rows: list[str], chunk: int) -> None:
    xml = f'<worksheet><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()
    assert _scan(xml, chunk)[1] == _reference_area(xml)


# -- crafted workbooks, loaded in a memory-limited child ---------------------------------------

def _crafted_xlsx(path: Path, far_row_xml: str) -> Path:
    """A real two-row workbook plus ``far_row_xml`` written into its sheet by hand."""
    honest = _xlsx(path.with_name("honest.xlsx"), "B2", "pro")
    with zipfile.ZipFile(honest) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = members[sheet].replace(b"</sheetData>", far_row_xml.encode()
                                            + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


_FAR = '<c {ref} t="inlineStr"><is><t>far</t></is></c>'


@pytest.mark.parametrize("far_row_xml", [
    '<row r="3">' + _FAR.format(ref='r="xfd1048576"') + "</row>",
    '<row r="3">' + _FAR.format(ref='r="A0000003"') + _FAR.format(ref='r="XFD999999"')
    + "</row>",
    '<row r="3"><c\tr="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>',
    '<row r="3">' + _FAR.format(ref='r = "XFD1048576"') + "</row>",
], ids=["lower-case", "leading-zeros", "tab", "spaced"])
def test_far_cells_spelled_unusually_do_not_kill_the_app(far_row_xml: str, tmp_path: Path
                                                          ) -> None:
    """Each of these once passed the scan and made calamine abort the process."""
    from tests.reliability.test_bad_files import assert_sound, load_in_a_child

    path = _crafted_xlsx(tmp_path / "crafted.xlsx", far_row_xml)
    outcome = load_in_a_child(path)
    assert_sound(outcome, "crafted.xlsx")
    assert outcome["outcome"] == "error"
    assert "XFD" in outcome["message"]


def test_a_sheet_part_outside_the_worksheets_folder_is_scanned(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "moved.xlsx", "XFD1048576", "oops")
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/elsewhere.xml"] = members.pop("xl/worksheets/sheet1.xml")
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(b"worksheets/sheet1.xml", b"elsewhere.xml")
    moved = tmp_path / "elsewhere.xlsx"
    with zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    container = workbook.check_container(moved, moved.read_bytes()[:8], ".xlsx", "x", 1 << 30)
    assert container.sheet_area("Sheet") == 1_048_576 * 16_384


# -- the worksheets' check overlaps calamine's opening of the workbook -------------------------

def _garbage_sheets(path: Path) -> Path:
    """A workbook whose worksheet parts' compressed bytes are garbage (their index is fine)."""
    _xlsx(path, "C5", "x")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        sheets = [info for info in archive.infolist()
                  if info.filename.startswith("xl/worksheets/sheet")]
    for info in sheets:
        name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        data[start:start + info.compress_size] = b"\xff" * info.compress_size
    path.write_bytes(bytes(data))
    return path


def test_calamine_opens_a_workbook_without_reading_its_worksheets(tmp_path: Path) -> None:
    """What lets the worksheets' check run while calamine opens the workbook: if a fastexcel
    upgrade reads sheets when opening, this fails and the overlap must go."""
    import fastexcel

    path = _garbage_sheets(tmp_path / "garbage.xlsx")
    assert fastexcel.read_excel(str(path)).sheet_names == ["Sheet"]
    with pytest.raises(LoadError, match=r'"garbage\.xlsx" is damaged'):
        load_table(path)
    with pytest.raises(LoadError, match=r'"garbage\.xlsx" is damaged'):
        inspect_file(path)


def test_inspect_refuses_a_lying_zip_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    from tests.reliability.test_bad_files import lying_xlsx

    path = lying_xlsx(tmp_path / "liar.xlsx", 3 * 1024 * 1024)
    monkeypatch.setattr(workbook, "_UNDECLARED_BYTES_ALLOWED", 1024 * 1024)
    with pytest.raises(LoadError, match=r'"liar.xlsx" is damaged: its part '):
        inspect_file(path)


def test_the_check_thread_never_outlives_a_cancelled_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _xlsx(tmp_path / "book.xlsx", "C5", "x")
    real_run = workbook.SheetCheck.run

    def slow_run(self: workbook.SheetCheck) -> dict[str, int]:
        time.sleep(0.3)  # still running when the load is cancelled
        return real_run(self)

    monkeypatch.setattr(workbook.SheetCheck, "run", slow_run)
    token = CancelToken()

    def progress(done: int, total: int) -> None:
        if done >= 2:  # the container is checked, its worksheets' check started
            token.cancel()

    with pytest.raises(Cancelled):
        load_table(path, progress=progress, cancel=token)
    assert not [thread for thread in threading.enumerate() if thread.name == "sheet-check"]


def test_an_xls_whose_header_points_past_its_end_is_refused(tmp_path: Path) -> None:
    """calamine allocates by the OLE2 header's sector numbers: a damaged .xls made it ask for
    gigabytes and abort (found by fuzzing). Such a header is refused with a sentence."""
    from tests.core.test_loading_builders import xls_workbook

    good = xls_workbook(tmp_path / "good.xls").read_bytes()
    damaged = bytearray(good)
    damaged[76:80] = (1_050_633).to_bytes(4, "little")  # first DIFAT entry: far past the end
    path = tmp_path / "damaged.xls"
    path.write_bytes(bytes(damaged))
    with pytest.raises(LoadError, match="damaged or incomplete"):
        load_table(path)
    assert len(load_table(tmp_path / "good.xls")) > 0


def _xls_words(tmp_path: Path) -> tuple[bytearray, int]:
    """A good .xls (xlwt's) as bytes, and the offset of its sector table (FAT)."""
    from tests.core.test_loading_builders import xls_workbook

    data = bytearray(xls_workbook(tmp_path / "good.xls").read_bytes())
    first_fat_sector = int.from_bytes(data[76:80], "little")
    return data, 512 + first_fat_sector * 512


def test_an_xls_whose_sector_chain_loops_is_refused(tmp_path: Path) -> None:
    """calamine follows a chain of sectors until "end of chain": one looping back on itself
    made it grow a buffer until the process was killed (found by fuzzing: >20 GB)."""
    data, fat = _xls_words(tmp_path)
    directory_start = int.from_bytes(data[48:52], "little")
    at = fat + 4 * directory_start
    assert data[at:at + 4] == b"\xfe\xff\xff\xff"  # the directory is one sector long
    data[at:at + 4] = directory_start.to_bytes(4, "little")  # ... now it never ends
    path = tmp_path / "looping.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(LoadError, match=r'"looping\.xls" is damaged or incomplete'):
        load_table(path)


def test_an_xls_whose_stream_is_bigger_than_the_file_is_refused(tmp_path: Path) -> None:
    """calamine reserves memory by a stream's declared size before reading it."""
    data, _ = _xls_words(tmp_path)
    directory = 512 + int.from_bytes(data[48:52], "little") * 512
    workbook_entry = directory + 128  # the entry after the root: xlwt's "Workbook" stream
    assert data[workbook_entry:workbook_entry + 16].decode("utf-16-le") == "Workbook"
    data[workbook_entry + 120:workbook_entry + 124] = (0xFFFF_FFF0).to_bytes(4, "little")
    path = tmp_path / "oversized.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(LoadError, match="damaged or incomplete"):
        load_table(path)


def test_an_xls_whose_sectors_are_all_shifted_is_refused(tmp_path: Path) -> None:
    """Sixteen bytes inserted after the header shift every sector: the chains read garbage
    and loop (the fuzzed file that took over 20 GB had this shape)."""
    data, _ = _xls_words(tmp_path)
    data[512:512] = bytes(range(16))
    path = tmp_path / "shifted.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(LoadError, match="damaged or incomplete"):
        load_table(path)
