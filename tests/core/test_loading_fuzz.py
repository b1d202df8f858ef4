"""Property and fuzz tests: the loader only ever returns a sound table or raises LoadError."""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.core.loading import LoadedTable, LoadError, LoadOptions, load_table
from tests.core.test_loading import assert_contract
from tests.core.test_loading_builders import (
    csv_line,
    ods_workbook,
    openpyxl_workbook,
    shopify_csv,
    spanish_excel_csv,
    unicode_text_txt,
    xls_workbook,
)

FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=10),  # "never hangs": each example is bounded
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")


@pytest.fixture(scope="module")
def seeds() -> Iterator[dict[str, bytes]]:
    """Valid files of every kind, as bytes, to mutate."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        yield {
            ".csv": shopify_csv(base / "s.csv").read_bytes(),
            ".tsv": unicode_text_txt(base / "u.tsv").read_bytes(),
            ".txt": spanish_excel_csv(base / "es.txt").read_bytes(),
            ".xlsx": openpyxl_workbook(base / "w.xlsx").read_bytes(),
            ".xls": xls_workbook(base / "w.xls").read_bytes(),
            ".ods": ods_workbook(base / "w.ods").read_bytes(),
        }


def load_bytes(data: bytes, suffix: str, options: LoadOptions | None = None) -> LoadedTable | None:
    """Load ``data`` saved under ``suffix``: a checked table, or None after a LoadError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            table = load_table(path, options)
        except LoadError as error:
            message = str(error)
            assert message, "a LoadError must say something"
            assert "Traceback" not in message
            return None
        finally:
            assert time.perf_counter() - started < 10
        assert_contract(table)
        return table


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(data, suffix):
    load_bytes(data, suffix)


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "zero"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at : at + 16] = bytes(len(data[at : at + 16]))
    return bytes(data)


@FUZZ
@given(data=st.data(), suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"]))
def test_mutated_files(seeds, data, suffix):
    mutated = data.draw(mutations(seeds[suffix]))
    load_bytes(mutated, suffix)


@pytest.mark.slow
@FUZZ
@given(data=st.data(), suffix=st.sampled_from([".xlsx", ".ods"]))
def test_mutated_xml_inside_valid_zip(seeds, data, suffix):
    """A readable zip whose XML is damaged: the workbook parser's own error handling."""
    source = zipfile.ZipFile(io.BytesIO(seeds[suffix]))
    names = [info.filename for info in source.infolist() if info.filename.endswith(".xml")]
    victim = data.draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == victim:
                content = data.draw(mutations(content))
            target.writestr(info.filename, content)
    load_bytes(out.getvalue(), suffix)


_CELL = st.text(
    alphabet=st.sampled_from([*"ab zñé0129.,;|\t\"'\n\r-+@NA/", "Ω", "😀"]), max_size=12
)


@FUZZ
@given(
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=25),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_round_trip(rows, delimiter, encoding, line_end):
    """Whatever the cells hold, what was written is what the loader reads, row for row."""
    if encoding == "cp1252":
        rows = [[cell.replace("Ω", "o").replace("😀", ":)") for cell in row] for row in rows]
    # Minimal quoting, but any cell holding \r or \n is quoted (csv.writer with "\n" line
    # ends leaves a lone "\r" bare, which Excel would read as a line break too).
    text = "".join(csv_line(row, delimiter) + line_end for row in [["Name", "Email", "Phone"],
                                                                   *rows])
    table = load_bytes(text.encode(encoding), ".csv",
                       LoadOptions(delimiter=delimiter, header_row=1))
    expected = [(index + 2, row) for index, row in enumerate(rows) if any(row)]
    if not expected:
        assert table is None
        return
    assert table is not None
    assert table.headers == ["Name", "Email", "Phone"]
    got = [list(values) for values in table.frame.itertuples(index=False)]
    assert got == [row for _, row in expected]
    assert list(table.row_numbers) == [number for number, _ in expected]


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.text(alphabet="abcdefgh@.0123456789 ", max_size=10), min_size=4, max_size=4),
        min_size=2, max_size=30,
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_detection_finds_the_delimiter(rows, delimiter):
    text = delimiter.join(["Email", "Phone", "City", "Notes"]) + "\n"
    text += "".join(delimiter.join(row) + "\n" for row in rows)
    table = load_bytes(text.encode(), ".csv")
    if all(not any(cell.strip() for cell in row) for row in rows):
        return
    assert table is not None
    assert table.delimiter == delimiter
    assert table.headers == ["Email", "Phone", "City", "Notes"]


# ---------------------------------------------------------------------------------------------
# A corpus of nasty shapes


def test_huge_cell(tmp_path):
    path = tmp_path / "huge-cell.csv"
    path.write_text('Name,Note\nAna,"' + "x" * 3_000_000 + '"\nBob,short\n', encoding="utf-8")
    table = load_table(path)
    assert len(table.frame["Note"][0]) == 3_000_000
    assert list(table.row_numbers) == [2, 3]


@pytest.mark.slow
def test_huge_column_count_csv(tmp_path):
    path = tmp_path / "wide.csv"
    columns = 10_000
    path.write_text(",".join(f"c{i}" for i in range(columns)) + "\n"
                    + ",".join(str(i) for i in range(columns)) + "\n", encoding="utf-8")
    table = load_table(path)
    assert len(table.headers) == columns
    assert table.frame["c9999"][0] == "9999"


@pytest.mark.slow
def test_huge_column_count_xlsx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Wide")
    sheet.append([f"h{i}" for i in range(3000)])
    sheet.append(list(range(3000)))
    path = tmp_path / "wide.xlsx"
    book.save(path)
    table = load_table(path)
    assert len(table.headers) == 3000
    assert table.frame["h2999"][0] == "2999"
