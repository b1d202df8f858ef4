"""The fast paths of the CSV reader give the same table as the careful ones.

Cells with line breaks force pyarrow into a slower mode; the reader tries the fast mode first and
must notice when a multi-line cell makes it fail, whatever block it falls in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest_gui.core import _readers_text
from ingest_gui.core._readers_text import has_quoted_line_break
from ingest_gui.core.loading import load_table


@pytest.mark.parametrize(("data", "expected"), [
    (b"a,b\n1,2\n", False),
    (b'a,b\n1,"x, ""quoted"" y"\n2,3', False),
    (b'a,b\n1,"x\ny"\n', True),
    (b'a,b\r\n1,"x\r\ny"\r\n', True),
    (b'a,b\r1,"x\ry"\r', True),
    (b'a,b\n1,5" screen\n', True),  # a stray quote: "maybe", which only costs speed
])
def test_quoted_line_breaks_are_found(data: bytes, expected: bool) -> None:
    assert has_quoted_line_break(data) is expected


def test_the_scan_carries_quote_parity_across_its_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_readers_text, "_QUOTE_SCAN_BYTES", 8)
    assert has_quoted_line_break(b'id,note\n1,"first line\nsecond line"\n2,plain\n')
    assert not has_quoted_line_break(b'id,note\n1,"one, line"\n2,"another, line"\n3,x\n')


def _record_parses(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    modes: list[bool] = []
    original = _readers_text._read_csv

    def recording(*args: Any, multi_line_cells: bool, **kwargs: Any) -> Any:
        modes.append(multi_line_cells)
        return original(*args, multi_line_cells=multi_line_cells, **kwargs)

    monkeypatch.setattr(_readers_text, "_read_csv", recording)
    return modes


def test_multi_line_cells_across_pyarrow_blocks_are_read_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ~3 MB: pyarrow cuts the text into 1 MB blocks, and two thirds of the line ends here sit
    # inside quoted cells, so a cut lands inside one and the fast parse gives up.
    rows = 30_000
    lines = ["id;note;city"] + [
        f'{n};"Note {n} first line\nsecond line\nthird line {"x" * 40}";Madrid'
        for n in range(rows)
    ]
    path = tmp_path / "notes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    modes = _record_parses(monkeypatch)
    table = load_table(path)
    assert modes == [False, True]
    assert len(table) == rows
    assert table.frame["note"].iloc[12_345] == \
        f"Note 12345 first line\nsecond line\nthird line {'x' * 40}"
    assert table.frame["city"].eq("Madrid").all()
    assert table.row_numbers[0] == 2
    assert table.row_numbers[-1] == rows + 1  # a multi-line cell is one row, as in Excel


def test_a_file_without_multi_line_cells_is_parsed_once_in_fast_mode(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["id,note"] + [f'{n},"note, with a comma {n}"' for n in range(50_000)]
    path = tmp_path / "plain.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    modes = _record_parses(monkeypatch)
    table = load_table(path)
    assert modes == [False]
    assert len(table) == 50_000
    assert table.frame["note"].iloc[-1] == "note, with a comma 49999"
    assert list(table.row_numbers[:2]) == [2, 3]


def test_a_panic_in_the_rust_workbook_reader_is_an_unreadable_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyo3 raises PanicException (a BaseException) when calamine panics on a damaged file."""
    import fastexcel

    from ingest_gui.core.loading import LoadError

    class PanicException(BaseException):  # the name pyo3 gives it; the class is not importable
        pass

    def panic(*_args: Any, **_kwargs: Any) -> Any:
        raise PanicException("range start index 116 out of range for slice of length 107")

    monkeypatch.setattr(fastexcel, "read_excel", panic)
    path = tmp_path / "damaged.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(LoadError, match=r'"damaged\.xls"'):
        load_table(path)


def test_other_base_exceptions_from_the_reader_are_not_swallowed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fastexcel

    def interrupted(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(fastexcel, "read_excel", interrupted)
    from tests.core.test_loading_builders import xls_workbook

    path = xls_workbook(tmp_path / "book.xls")  # a real one: a bare header is refused earlier
    with pytest.raises(KeyboardInterrupt):
        load_table(path)
