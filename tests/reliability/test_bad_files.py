"""Issue 8, bad files: what ``tests/core/test_loading*.py`` does not already cover.

Those tests fuzz the loader and hold a corpus of empty, binary, truncated, huge-cell,
huge-column-count and zip-bomb-like (honestly declared) files, plus a size guard. Added here:

* workbooks whose *shape* is the bomb: a tiny file with one cell in the far corner of the sheet
  (a reader that allocates the whole rectangle needs hundreds of gigabytes), and a zip whose
  declared sizes lie (the guard trusts them; the reader then inflates far more);
* the same corpus checks for OpenDocument (truncated, honestly declared bomb).

The dangerous ones run the loader in a child process with a data-size limit (``RLIMIT_DATA``), so
a reader that tries to take the machine's memory fails there, not in the test run; the promise
checked is the loader's: a table or a clear ``LoadError`` naming the file, within a bounded time
and memory, and never a crash of the process.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.core import loading
from ingest_gui.core.loading import LoadError, load_table

ROOT = Path(__file__).resolve().parents[2]
#: The child's data limit: far more than a small file needs (about 150 MB), far less than the
#: bombs below would take.
MEMORY_LIMIT_MB = 1_200
TIME_LIMIT_SECONDS = 60

_CHILD = """
import json, resource, sys, time
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
from pathlib import Path
from ingest_gui.core.loading import LoadError, load_table
started = time.monotonic()
try:
    table = load_table(Path(sys.argv[1]))
    outcome = {"outcome": "loaded", "headers": list(table.headers)[:5],
               "rows": [list(map(str, row)) for row in table.frame.head(3).itertuples(index=False)]}
except LoadError as error:
    outcome = {"outcome": "error", "message": str(error)}
outcome["seconds"] = time.monotonic() - started
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec,
# so a child of a big test process would report the parent's peak, not its own.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmHWM:"))
outcome["max_rss_mb"] = peak_kb / 1024
print(json.dumps(outcome))
"""


def load_in_a_child(path: Path, memory_limit_mb: int = MEMORY_LIMIT_MB) -> dict[str, Any]:
    """``load_table(path)`` in a memory-limited child; its outcome, or a failure if it died."""
    process = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(memory_limit_mb)],
        cwd=ROOT, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS * 2, check=False,
    )
    assert process.returncode == 0, (
        f"loading {path.name} killed the process (exit code {process.returncode}): "
        f"{process.stderr.strip().splitlines()[:1]}"
    )
    outcome: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    assert outcome["seconds"] < TIME_LIMIT_SECONDS
    return outcome


def assert_sound(outcome: dict[str, Any], name: str) -> None:
    """Either the two real rows, or a clear sentence naming the file."""
    if outcome["outcome"] == "error":
        assert name in outcome["message"]
        assert "Traceback" not in outcome["message"]
    else:
        assert outcome["headers"][0] == "Email"
        assert outcome["rows"][0][0] == "a@b.com"


# -- the far corner --------------------------------------------------------------------------

def far_corner_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["A2"] = "Email", "a@b.com"
    sheet["XFD1048576"] = "stray"  # the last cell a sheet has
    book.save(path)
    return path


_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(path: Path, rows_xml: str) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES} '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def _cell(text: str, repeated: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return (f'<table:table-cell office:value-type="string"{repeat}><text:p>{text}</text:p>'
            "</table:table-cell>")


def _row(cells: str, repeated: int = 1) -> str:
    repeat = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{repeat}>{cells}</table:table-row>"


def far_corner_ods(path: Path) -> Path:
    return ods(path, _row(_cell("Email")) + _row(_cell("a@b.com"))
               + _row('<table:table-cell table:number-columns-repeated="16384"/>', 1_048_570)
               + _row('<table:table-cell table:number-columns-repeated="16383"/>'
                      + _cell("stray")))


def repeated_value_ods(path: Path) -> Path:
    """One real value repeated over sixteen billion cells by two attributes."""
    return ods(path, _row(_cell("Email") + _cell("x", 16_000))
               + _row(_cell("y", 16_000), 1_000_000))


def test_a_stray_cell_in_the_far_corner_of_an_xlsx_does_not_kill_the_app(
    tmp_path: Path,
) -> None:
    """A 5 KB workbook with a value in XFD1048576 (someone pressed a key after Ctrl+End).

    BUG (for the lead): today fastexcel/calamine allocates the whole 16,384 × 1,048,576
    rectangle ("memory allocation of 549755813888 bytes failed") and aborts the process,
    wizard included; no exception reaches Python.
    """
    path = far_corner_xlsx(tmp_path / "stray.xlsx")
    assert path.stat().st_size < 10_000
    assert_sound(load_in_a_child(path), "stray.xlsx")


@pytest.mark.parametrize("build", [far_corner_ods, repeated_value_ods],
                         ids=["far-corner", "repeated-value"])
def test_ods_whose_repeats_span_the_whole_sheet_stay_bounded(build: Any, tmp_path: Path
                                                             ) -> None:
    path = build(tmp_path / "sheet.ods")
    outcome = load_in_a_child(path)
    assert_sound(outcome, "sheet.ods")
    assert outcome["max_rss_mb"] < MEMORY_LIMIT_MB


# -- lying zip sizes --------------------------------------------------------------------------

def lying_xlsx(path: Path, inflated_bytes: int) -> Path:
    """A valid small workbook whose sheet XML inflates to ``inflated_bytes`` (mostly one XML
    comment) while the zip's headers declare it tiny, so a guard on declared sizes passes."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["A2"] = "Email", "a@b.com"
    honest = path.with_name("honest.xlsx")
    book.save(honest)
    with zipfile.ZipFile(honest) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet_name = "xl/worksheets/sheet1.xml"
    xml = members[sheet_name].decode()
    head, tail = xml.split("<sheetData", 1)
    # Level 1: the fastest deflate; long runs of one byte still shrink about 200 times.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, data in members.items():
            if name != sheet_name:
                target.writestr(name, data)
        with target.open(sheet_name, "w") as stream:
            stream.write(head.encode() + b"<!--")
            chunk = b" " * (1 << 20)
            for _ in range(inflated_bytes >> 20):
                stream.write(chunk)
            stream.write(b"--><sheetData" + tail.encode())
    declared = 5_000
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo(sheet_name).header_offset
    assert data[offset:offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, offset + 22, declared)  # local header: uncompressed size
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + length] == sheet_name.encode():
            struct.pack_into("<I", data, central + 24, declared)  # central directory entry
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    honest.unlink()
    return path


@pytest.mark.slow
def test_a_zip_whose_sizes_lie_is_refused_or_read_within_bounded_memory(tmp_path: Path
                                                                         ) -> None:
    """BUG (for the lead): the guard in ``_readers_workbook._check_zip`` trusts the declared
    sizes; calamine then inflates the real stream, so a ~4 MB file takes ~1 GB (and more for
    a bigger one). Checking the actual inflated size while streaming each member (Python's
    zipfile stops at the declared size and fails the CRC) would catch it."""
    path = lying_xlsx(tmp_path / "liar.xlsx", 800 * 1024 * 1024)
    with zipfile.ZipFile(path) as archive:
        assert sum(member.file_size for member in archive.infolist()) < 100_000
    assert path.stat().st_size < 5 * 1024 * 1024  # 800 MB inside
    # A small workbook loads in about 150 MB; this one must not take more than 600.
    outcome = load_in_a_child(path, memory_limit_mb=600)
    assert_sound(outcome, "liar.xlsx")
    assert outcome["max_rss_mb"] < 600


def test_the_lying_zip_builder_makes_a_readable_workbook(tmp_path: Path) -> None:
    """Control for the test above: with a modest inflated size the same file loads fine, so a
    failure there is about memory, not a broken file."""
    path = lying_xlsx(tmp_path / "small-liar.xlsx", 2 * 1024 * 1024)
    table = load_table(path)
    assert list(table.headers) == ["Email"]
    assert table.frame["Email"].tolist() == ["a@b.com"]


# -- OpenDocument corpus -----------------------------------------------------------------------

@pytest.fixture
def ods_bytes(tmp_path: Path) -> bytes:
    return ods(tmp_path / "whole.ods", _row(_cell("Email") + _cell("Plan"))
               + "".join(_row(_cell(f"u{n}@example.com") + _cell("pro")) for n in range(200))
               ).read_bytes()


@pytest.mark.parametrize("fraction", [0.0, 0.2, 0.5, 0.9, 0.99])
def test_a_truncated_ods_is_a_clear_error(fraction: float, ods_bytes: bytes, tmp_path: Path
                                          ) -> None:
    path = tmp_path / "cut.ods"
    path.write_bytes(ods_bytes[: int(len(ods_bytes) * fraction)])
    with pytest.raises(LoadError) as caught:
        load_table(path)
    assert '"cut.ods"' in str(caught.value)


def test_an_ods_declaring_more_than_the_guard_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ods(tmp_path / "bomb.ods", _row(_cell("Email")) + _row(_cell("a@b.com"))
               + "<!--" + " " * (8 * 1024 * 1024) + "-->")
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(loading, "MAX_UNCOMPRESSED_BYTES", 4 * 1024 * 1024)
    with pytest.raises(LoadError, match=r'"bomb.ods" would unpack to 8.0 MB'):
        load_table(path)
