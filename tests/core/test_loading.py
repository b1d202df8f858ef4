"""The loader on files made by the tests: every format, encoding, trap and bad input."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from ingest_gui.core import loading
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.loading import LoadError, LoadOptions, inspect_file, load_table
from tests.core.test_loading_builders import (
    HUBSPOT_HEADERS,
    SHOPIFY_HEADERS,
    encrypted_xlsx,
    hubspot_csv,
    ods_workbook,
    openpyxl_workbook,
    shopify_csv,
    spanish_excel_csv,
    unicode_text_txt,
    xls_workbook,
)


def rows_of(table: loading.LoadedTable) -> list[dict[str, str]]:
    return table.frame.to_dict("records")


def assert_contract(table: loading.LoadedTable) -> None:
    """What every consumer relies on (see the module docstring of loading)."""
    frame = table.frame
    assert list(frame.index) == list(range(len(frame)))
    assert len(set(frame.columns)) == len(frame.columns)
    for name in frame.columns:
        assert isinstance(name, str)
        assert str(frame[name].dtype) == "str"
        assert not frame[name].isna().any()
        assert all(isinstance(value, str) for value in frame[name].tolist())
    assert len(table.row_numbers) == len(frame)
    assert np.all(np.diff(table.row_numbers) > 0)
    if len(frame):
        assert table.row_numbers[0] > table.header_row
    assert table.fingerprint == hashlib.sha256(table.path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Real exports


def test_shopify_customers_export(tmp_path):
    table = load_table(shopify_csv(tmp_path / "customers_export.csv"))
    assert_contract(table)
    assert table.headers == SHOPIFY_HEADERS
    assert table.format == "csv"
    assert table.delimiter == ","
    assert table.encoding == "utf-8"
    assert table.header_row == 1
    assert list(table.row_numbers) == [2, 3, 4]
    first, namibia, joe = rows_of(table)
    assert first["Note"] == 'Prefers "express" delivery, mornings'
    assert first["Tags"] == "vip, newsletter"
    assert first["Phone"] == "+34612345678"
    assert first["Default Address Zip"] == "'28013"
    assert first["Total Spent"] == "120.50"
    # Namibia's country code and the usual NA spellings stay text.
    assert namibia["Default Address Country Code"] == "NA"
    assert namibia["Default Address Company"] == "Etosha Tours"
    assert namibia["Note"] == ""
    assert joe["Note"] == "N/A"
    assert joe["Tags"] == "null"


def test_hubspot_export_with_bom_and_crlf(tmp_path):
    table = load_table(hubspot_csv(tmp_path / "hubspot-crm-exports-all-contacts.csv"))
    assert_contract(table)
    assert table.headers == HUBSPOT_HEADERS  # no BOM glued to "Record ID"
    assert table.encoding == "utf-8-sig"
    assert [row["Record ID"] for row in rows_of(table)] == ["1001", "1002"]
    assert rows_of(table)[0]["First Name"] == "María"
    assert rows_of(table)[1]["Country/Region"] == "United States"  # no stray "\r"


def test_spanish_excel_csv_cp1252_semicolon(tmp_path):
    table = load_table(spanish_excel_csv(tmp_path / "clientes.csv"))
    assert_contract(table)
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.headers[:4] == ["Nombre", "Apellidos", "Correo electrónico", "Móvil"]
    jose, begona = rows_of(table)
    assert jose["Apellidos"] == "Peña Ibáñez"
    assert jose["Importe"] == "1.234,56"
    assert jose["Fecha alta"] == "27/01/2016"
    assert jose["País"] == "España"
    assert begona["Nombre"] == "Begoña"
    assert begona["Importe"] == "12,5"


def test_utf16_unicode_text_tab_separated(tmp_path):
    table = load_table(unicode_text_txt(tmp_path / "contacts.txt"))
    assert_contract(table)
    assert table.encoding == "utf-16-le"
    assert table.delimiter == "\t"
    assert table.headers == ["Name", "Phone", "City"]
    assert rows_of(table) == [
        {"Name": "Zoë", "Phone": "+34612345678", "City": "Málaga"},
        {"Name": "Łukasz", "Phone": "+48501234567", "City": "Kraków"},
    ]


def test_utf16_big_endian_bom(tmp_path):
    path = tmp_path / "be.tsv"
    path.write_bytes(b"\xfe\xff" + "a\tb\r\n1\tñ\r\n".encode("utf-16-be"))
    table = load_table(path)
    assert table.encoding == "utf-16-be"
    assert rows_of(table) == [{"a": "1", "b": "ñ"}]


@pytest.mark.parametrize(("delimiter", "suffix"), [(",", ".csv"), (";", ".csv"), ("\t", ".tsv"),
                                                    ("|", ".txt"), ("\t", ".csv")])
def test_delimiter_detection(tmp_path, delimiter, suffix):
    path = tmp_path / f"data{suffix}"
    lines = [delimiter.join(["Email", "Phone", "Note"])]
    lines += [delimiter.join([f"u{i}@x.com", f"+3461{i:07d}", "a, b; c" if delimiter == "|"
                              else "x"]) for i in range(50)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = load_table(path)
    assert table.delimiter == delimiter
    assert table.headers == ["Email", "Phone", "Note"]
    assert len(table) == 50
    assert inspect_file(path).delimiter == delimiter


def test_delimiter_and_encoding_overrides(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes("name;city\nJosé;Cádiz\n".encode("latin-1"))
    as_is = load_table(path, LoadOptions(delimiter=",", encoding="latin-1"))
    assert as_is.headers == ["name;city"]
    assert rows_of(as_is) == [{"name;city": "José;Cádiz"}]
    assert as_is.encoding == "latin-1"
    with pytest.raises(LoadError, match="cannot be read as utf-8"):
        load_table(path, LoadOptions(encoding="utf-8"))
    with pytest.raises(LoadError, match="not a text encoding"):
        load_table(path, LoadOptions(encoding="klingon"))
    with pytest.raises(LoadError, match="single character"):
        load_table(path, LoadOptions(delimiter=";;"))
    assert load_table(path, LoadOptions(delimiter="tab")).delimiter == "\t"


def test_csv_sniffing_on_large_crlf_file_is_bounded(tmp_path):
    """csv.Sniffer misreads CRLF and grows super-linearly past ~64 KB; we sample lines."""
    path = tmp_path / "big.csv"
    line = "user{0}@example.com;+3461{0:07d};Ana María;NA\r\n"
    path.write_text("Email;Phone;Name;Country\r\n" + "".join(line.format(i) for i in range(20000)),
                    encoding="utf-8", newline="")
    started = time.perf_counter()
    table = load_table(path)
    assert time.perf_counter() - started < 5
    assert table.delimiter == ";"
    assert len(table) == 20000
    assert table.row_numbers[-1] == 20001
    assert rows_of(table)[-1]["Country"] == "NA"


def test_title_rows_blank_rows_and_quoted_newlines_keep_spreadsheet_rows(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "Customer report\r\n"            # 1 title
        "\r\n"                            # 2 blank
        "Name,Email,Notes\r\n"           # 3 header
        "Ana,ana@x.com,\"line one\r\nline two\"\r\n"  # 4 (one row in Excel)
        "\r\n"                            # 5 blank line
        ",,\r\n"                          # 6 row of empty cells
        "Bob,bob@x.com,ok\r\n"           # 7
        "\r\n\r\n",                       # trailing blank lines
        encoding="utf-8", newline="",
    )
    table = load_table(path)
    assert_contract(table)
    assert table.header_row == 3
    assert list(table.row_numbers) == [4, 7]
    assert rows_of(table)[0]["Notes"] == "line one\r\nline two"


def test_blank_lines_without_quotes_row_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("a,b\n1,2\n\n3,4\n\n\n5,6\n", encoding="utf-8")
    table = load_table(path)
    assert list(table.row_numbers) == [2, 4, 7]
    assert rows_of(table)[2] == {"a": "5", "b": "6"}


def test_common_case_row_numbers_are_a_range(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("id,v\n" + "".join(f"{i:05d},{i}\n" for i in range(3000)), encoding="utf-8")
    table = load_table(path)
    assert np.array_equal(table.row_numbers, np.arange(2, 3002))
    assert rows_of(table)[0]["id"] == "00000"


def test_ragged_rows_fall_back_and_keep_rows(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2\n\n3,4,5,6\n7,8,9\n", encoding="utf-8")
    table = load_table(path)
    assert_contract(table)
    assert table.headers == ["a", "b", "c", "Column D"]
    assert list(table.row_numbers) == [2, 4, 5]
    assert rows_of(table) == [
        {"a": "1", "b": "2", "c": "", "Column D": ""},
        {"a": "3", "b": "4", "c": "5", "Column D": "6"},
        {"a": "7", "b": "8", "c": "9", "Column D": ""},
    ]


def test_unterminated_quote_does_not_crash(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('a,b\n1,"never closed\n2,3\n', encoding="utf-8")
    table = load_table(path)
    assert_contract(table)
    assert rows_of(table)[0]["b"].startswith("never closed")


def test_blank_and_duplicate_headers_are_named_and_noted(tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text("Email,,Email,email, Phone ,,\nx,y,z,w,1,,\n", encoding="utf-8")
    table = load_table(path)
    assert table.headers == ["Email", "Column B", "Email (2)", "email (3)", "Phone"]
    assert table.original_headers == ("Email", "", "Email", "email", " Phone ")
    assert any("Column B" in note for note in table.notes)
    assert any('"Email (2)"' in note for note in table.notes)


def test_header_row_override_and_no_header(tmp_path):
    path = tmp_path / "over.csv"
    path.write_text("Title\nName,Phone\nAna,1\n", encoding="utf-8")
    assert load_table(path).header_row == 2
    first = load_table(path, LoadOptions(header_row=1))
    assert first.headers == ["Title", "Column B"]
    assert list(first.row_numbers) == [2, 3]
    none = load_table(path, LoadOptions(header_row=0))
    assert none.header_row == 0
    assert none.headers == ["Column A", "Column B"]
    assert list(none.row_numbers) == [1, 2, 3]
    with pytest.raises(LoadError, match="no row 9"):
        load_table(path, LoadOptions(header_row=9))
    with pytest.raises(LoadError, match="must be a row number"):
        load_table(path, LoadOptions(header_row=-1))


def test_a_bare_list_of_numbers_has_no_header(tmp_path):
    path = tmp_path / "phones.csv"
    path.write_text("34612345678\n34699000111\n", encoding="utf-8")
    table = load_table(path)
    assert table.header_row == 0
    assert table.headers == ["Column A"]
    assert list(table.row_numbers) == [1, 2]
    assert any("No row looked like column names" in note for note in table.notes)


def test_cp1252_after_the_sample_is_detected_late(tmp_path):
    path = tmp_path / "late.csv"
    body = "".join(f"user{i},plain\n" for i in range(8000))  # > 64 KB of ASCII
    path.write_bytes(("name,city\n" + body + "José,Cádiz\n").encode("cp1252"))
    table = load_table(path)
    assert table.encoding == "cp1252"
    assert rows_of(table)[-1] == {"name": "José", "city": "Cádiz"}


def test_mostly_utf8_with_a_broken_byte_keeps_utf8(tmp_path):
    path = tmp_path / "mostly.csv"
    good = "".join(f"Müller{i},Straße\n" for i in range(200)).encode("utf-8")
    path.write_bytes(b"name,street\n" + good + b"bad\xff,x\n")
    table = load_table(path)
    assert table.encoding == "utf-8"
    assert rows_of(table)[0]["name"] == "Müller0"
    assert rows_of(table)[-1]["name"] == "bad\ufffd"
    assert any("not valid UTF-8" in note for note in table.notes)


def test_error_log_written_by_the_app_reimports(tmp_path):
    path = tmp_path / "contacts-errors.csv"
    path.write_bytes(
        b"\xef\xbb\xbfEmail,Phone,Row,Errors\r\n"
        b"bad-email,+34612345678,7,\"Email: not an e-mail address\"\r\n"
        b"'=cmd,123,9,\"Phone: too short; Email: not an e-mail address\"\r\n"
    )
    table = load_table(path)
    assert table.headers == ["Email", "Phone", "Row", "Errors"]
    assert rows_of(table)[1]["Email"] == "'=cmd"
    assert rows_of(table)[1]["Errors"] == "Phone: too short; Email: not an e-mail address"


# ---------------------------------------------------------------------------------------------
# Workbooks


def test_xlsx_with_title_rows_and_every_cell_type(tmp_path):
    path = openpyxl_workbook(tmp_path / "customers.xlsx")
    table = load_table(path)
    assert_contract(table)
    assert table.format == "xlsx"
    assert table.sheet == "Customers"
    assert table.sheet_names == ("Customers", "Notes")
    assert table.header_row == 4
    assert table.headers == ["Customer ID", "Email", "Phone", "Birthday", "Last login",
                             "Country", "Column G", "Email (2)", "Score", "VIP"]
    assert list(table.row_numbers) == [5, 6, 8]  # row 7 blank, rows 9-12 formatted only
    ana, bob, third = rows_of(table)
    assert ana == {
        "Customer ID": "00042", "Email": "ana@example.com", "Phone": "34612345678",
        "Birthday": "2016-01-27", "Last login": "2016-01-27T10:15:00", "Country": "NA",
        "Column G": "x", "Email (2)": "ana@work.example", "Score": "0.1", "VIP": "TRUE",
    }
    assert bob["Last login"] == "2024-02-29T23:59:59"
    assert bob["VIP"] == "FALSE"
    assert bob["Score"] == "2.5"
    assert bob["Column G"] == ""
    assert third["Phone"] == "+34 600 000 000"
    assert any("Column G" in note for note in table.notes)


def test_xlsm_and_sheet_choice(tmp_path):
    path = openpyxl_workbook(tmp_path / "macro.xlsm")
    notes = load_table(path, LoadOptions(sheet="notes"))  # case-insensitive match
    assert notes.sheet == "Notes"
    assert notes.headers == ["Note"]
    assert rows_of(notes) == [{"Note": "not the data"}]
    assert list(notes.row_numbers) == [3]
    with pytest.raises(LoadError, match=r'no sheet called "Orders".*"Customers", "Notes"'):
        load_table(path, LoadOptions(sheet="Orders"))
    info = inspect_file(path)
    assert info.format == "xlsx"
    assert info.sheet_names == ("Customers", "Notes")


def test_first_non_empty_sheet_is_the_default(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Cover"
    data = book.create_sheet("Data")
    data.append(["Email", "Phone"])
    data.append(["a@b.com", 34612345678])
    path = tmp_path / "two.xlsx"
    book.save(path)
    table = load_table(path)
    assert table.sheet == "Data"
    assert rows_of(table) == [{"Email": "a@b.com", "Phone": "34612345678"}]
    assert any('reading sheet "Data"' in note for note in table.notes)


def test_workbook_header_row_override(tmp_path):
    path = openpyxl_workbook(tmp_path / "customers.xlsx")
    table = load_table(path, LoadOptions(header_row=1))
    assert table.header_row == 1
    assert table.headers[0] == "Customer export — March 2024"
    assert table.row_numbers[0] == 2
    with pytest.raises(LoadError, match="Row 3 of sheet"):
        load_table(path, LoadOptions(header_row=3))


def test_xls_written_by_xlwt(tmp_path):
    table = load_table(xls_workbook(tmp_path / "clientes.xls"))
    assert_contract(table)
    assert table.format == "xls"
    assert rows_of(table) == [
        {"Nombre": "José", "Móvil": "34612345678", "Fecha alta": "2016-01-27", "ID": "007"},
        {"Nombre": "Nangula", "Móvil": "264811234567", "Fecha alta": "2020-02-29", "ID": "NA"},
    ]


def test_ods_written_by_pandas(tmp_path):
    table = load_table(ods_workbook(tmp_path / "contacts.ods"))
    assert_contract(table)
    assert table.format == "ods"
    assert rows_of(table) == [
        {"Name": "Ana", "Phone": "34612345678", "Joined": "2016-01-27",
         "Seen": "2016-01-27T10:15:00", "Active": "TRUE"},
        {"Name": "NA", "Phone": "1.5", "Joined": "2016-01-28", "Seen": "2017-05-01T08:00:30",
         "Active": "FALSE"},
    ]


def test_workbook_fallback_reader_formats_cells_the_same(tmp_path, monkeypatch):
    """When calamine fails, openpyxl reads the file and cells come out identically."""
    path = openpyxl_workbook(tmp_path / "customers.xlsx")
    expected = rows_of(load_table(path))
    import fastexcel

    def broken(*_args, **_kwargs):
        raise fastexcel.CalamineError("simulated calamine failure")

    monkeypatch.setattr(fastexcel, "read_excel", broken)
    table = load_table(path)
    assert rows_of(table) == expected
    assert list(table.row_numbers) == [5, 6, 8]


def test_cell_formatting_helpers():
    import datetime as dt

    from ingest_gui.core._readers_common import format_cell

    assert format_cell(34612345678.0) == "34612345678"
    assert format_cell(0.1) == "0.1"
    assert format_cell(0.1 + 0.2) == "0.3"
    assert format_cell(1.5e-05) == "0.000015"
    assert format_cell(1e21) == "1000000000000000000000"
    assert format_cell(True) == "TRUE"
    assert format_cell(dt.datetime(2016, 1, 27)) == "2016-01-27"
    assert format_cell(dt.datetime(2016, 1, 27, 10, 15)) == "2016-01-27T10:15:00"
    assert format_cell(dt.time(10, 15)) == "10:15:00"
    assert format_cell(None) == ""
    assert format_cell(float("nan")) == ""


def test_content_beats_the_name(tmp_path):
    csv_named_xlsx = tmp_path / "export.xlsx"
    csv_named_xlsx.write_text("Email,Phone\na@b.com,1\n", encoding="utf-8")
    table = load_table(csv_named_xlsx)
    assert table.format == "csv"
    assert any("really a text (CSV) file" in note for note in table.notes)

    workbook_named_csv = tmp_path / "export.csv"
    workbook_named_csv.write_bytes(openpyxl_workbook(tmp_path / "real.xlsx").read_bytes())
    table = load_table(workbook_named_csv)
    assert table.format == "xlsx"
    assert table.header_row == 4
    assert any("really a spreadsheet workbook" in note for note in table.notes)

    xls_named_xlsx = tmp_path / "legacy.xlsx"
    xls_named_xlsx.write_bytes(xls_workbook(tmp_path / "real.xls").read_bytes())
    assert load_table(xls_named_xlsx).format == "xls"


# ---------------------------------------------------------------------------------------------
# Bad input: one clear LoadError naming the file


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(LoadError, match=r'"empty.csv" is empty') as caught:
        load_table(path)
    assert caught.value.path == path


def test_blank_lines_only(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\n ,  \r\n")
    with pytest.raises(LoadError, match=r'"blank.csv" is empty'):
        load_table(path)


@pytest.mark.parametrize("name", ["only-header.csv", "only-header.xlsx"])
def test_header_only(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("Email,Phone\n\n", encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        assert book.active is not None
        book.active.append(["Email", "Phone"])
        book.save(path)
    with pytest.raises(LoadError, match=f'"{name}" has column names but no rows'):
        load_table(path)


def test_png_renamed_xlsx(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(LoadError, match=r'"photo.xlsx" is actually a PNG image'):
        load_table(path)
    with pytest.raises(LoadError, match="PNG image"):
        inspect_file(path)


def test_binary_file_named_csv(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x00\x01\x02binary\x00" * 100)
    with pytest.raises(LoadError, match=r'"data.csv" is not a text'):
        load_table(path)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_xlsx(tmp_path, fraction):
    whole = openpyxl_workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: int(len(whole) * fraction)])
    with pytest.raises(LoadError, match=r'"cut.xlsx" is damaged or incomplete'):
        load_table(path)


def test_truncated_xls(tmp_path):
    whole = xls_workbook(tmp_path / "whole.xls").read_bytes()
    path = tmp_path / "cut.xls"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LoadError, match=r'"cut.xls"'):
        load_table(path)


def test_password_protected_xlsx(tmp_path):
    path = encrypted_xlsx(tmp_path / "secret.xlsx")
    with pytest.raises(LoadError, match=r'"secret.xlsx" is protected with a password'):
        load_table(path)
    with pytest.raises(LoadError, match="password"):
        inspect_file(path)


def test_unsupported_suffix_and_missing_file(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(LoadError, match=r'"report.pdf" is a "\.pdf" file.*CSV'):
        load_table(pdf)
    with pytest.raises(LoadError, match=r'"gone.csv" was not found'):
        load_table(tmp_path / "gone.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(LoadError, match="is a folder"):
        load_table(folder)


def test_permission_denied(tmp_path, monkeypatch):
    path = shopify_csv(tmp_path / "locked.csv")
    real_open = Path.open

    def denied(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(LoadError, match=r'not allowed to open "locked.csv"'):
        load_table(path)


def test_zip_bomb_like_workbook_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(loading, "MAX_UNCOMPRESSED_BYTES", 4 * 1024 * 1024)
    with pytest.raises(LoadError, match=r'"bomb.xlsx" would unpack to 8.0 MB'):
        load_table(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<doc/>")
    with pytest.raises(LoadError, match="zip archive but not a spreadsheet"):
        load_table(path)


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><td>Email</td></tr></table></body></html>",
                    encoding="utf-8")
    with pytest.raises(LoadError, match=r'"report.xls" is a web page \(HTML\)'):
        load_table(path)


def test_size_guard(tmp_path, monkeypatch):
    path = shopify_csv(tmp_path / "huge.csv")
    monkeypatch.setattr(loading, "FILE_SIZE_LIMIT", 100)
    with pytest.raises(LoadError, match=r'"huge.csv" is .* too large to load on this computer'):
        load_table(path)
    with pytest.raises(LoadError, match="too large"):
        inspect_file(path)


def test_automatic_size_limit_is_sane():
    limit = loading.file_size_limit()
    assert 256 * 1024**2 <= limit <= 8 * 1024**3


def test_unexpected_failures_become_load_errors(tmp_path, monkeypatch):
    path = shopify_csv(tmp_path / "x.csv")
    from ingest_gui.core import _readers_text

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(_readers_text, "parse_with_arrow", explode)
    with pytest.raises(LoadError, match=r'"x.csv" could not be read: boom.'):
        load_table(path)


# ---------------------------------------------------------------------------------------------
# Progress, cancel, fingerprint, inspect


@pytest.mark.parametrize("builder", [shopify_csv, openpyxl_workbook])
def test_progress_reaches_100_in_order(tmp_path, builder):
    suffix = ".csv" if builder is shopify_csv else ".xlsx"
    path = builder(tmp_path / f"file{suffix}")
    seen: list[tuple[int, int]] = []
    load_table(path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (100, 100)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) >= 4


@pytest.mark.parametrize("builder", [shopify_csv, openpyxl_workbook])
def test_cancel(tmp_path, builder):
    suffix = ".csv" if builder is shopify_csv else ".xlsx"
    path = builder(tmp_path / f"file{suffix}")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        load_table(path, cancel=token)

    later = CancelToken()
    reports: list[int] = []

    def cancel_midway(done: int, _total: int) -> None:
        reports.append(done)
        if done >= 40:
            later.cancel()

    with pytest.raises(Cancelled):
        load_table(path, progress=cancel_midway, cancel=later)
    assert max(reports) < 100


def test_fingerprint_is_sha256_of_bytes(tmp_path):
    path = xls_workbook(tmp_path / "a.xls")
    assert load_table(path).fingerprint == hashlib.sha256(path.read_bytes()).hexdigest()


def test_inspect_text_files(tmp_path):
    info = inspect_file(spanish_excel_csv(tmp_path / "es.csv"))
    assert (info.format, info.encoding, info.delimiter) == ("csv", "cp1252", ";")
    info = inspect_file(unicode_text_txt(tmp_path / "u.txt"))
    assert (info.format, info.encoding, info.delimiter) == ("csv", "utf-16-le", "\t")
    assert info.size_bytes == (tmp_path / "u.txt").stat().st_size
    assert inspect_file(ods_workbook(tmp_path / "c.ods")).sheet_names == ("Sheet1",)


def test_load_error_never_shows_a_traceback(tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(LoadError) as caught:
        load_table(path)
    message = str(caught.value)
    assert '"junk.xlsx"' in message
    assert "Traceback" not in message
    assert "\n" not in message


def test_frame_reads_back_through_io(tmp_path):
    """The frame is ordinary pandas: writing it back as CSV gives the same text."""
    table = load_table(shopify_csv(tmp_path / "s.csv"))
    out = io.StringIO()
    table.frame.to_csv(out, index=False)
    assert out.getvalue().splitlines()[0] == ",".join(SHOPIFY_HEADERS)


def test_a_table_that_starts_right_of_column_a_keeps_its_column_letters(tmp_path):
    # calamine reads from the first used column; the letters in names and messages must still
    # be the spreadsheet's own (the unnamed column here is D, not B).
    import openpyxl

    path = tmp_path / "shifted.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for column, header in zip("CDE", ["Email", None, "Name"], strict=True):
        sheet[f"{column}3"] = header
    for column, value in zip("CDE", ["ana@example.com", "x", "Ana"], strict=True):
        sheet[f"{column}4"] = value
    book.save(path)
    table = load_table(path)
    assert table.headers == ["Email", "Column D", "Name"]
    assert any("Column D has no name" in note for note in table.notes)
