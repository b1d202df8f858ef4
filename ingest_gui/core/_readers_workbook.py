"""Workbooks (.xlsx/.xlsm/.xls/.ods): container checks, then fastexcel (calamine, in Rust).

Every cell is read as calamine's text for it, which already prints numbers the short way
(``34612345678``, ``0.1``, never ``3.46E+10``); dates, datetimes and booleans are then rewritten
column-wise to ISO text and TRUE/FALSE. When calamine cannot read a workbook, pandas' openpyxl,
xlrd or odf engines are tried before giving up.

Before calamine sees a zip workbook, every member is inflated once here (counting the real bytes,
so a zip whose declared sizes lie is refused) and each worksheet's cell references are scanned;
the worksheets can be checked on a helper thread while calamine opens the workbook, which reads
every other part but no worksheet (see :func:`check_container`). calamine allocates the whole
rectangle from A1 to the farthest cell with a value, so one stray value in XFD1048576 would ask
for half a terabyte and abort the process; a sheet whose rectangle is beyond
:func:`sheet_cell_limit` is read by openpyxl's streaming parser instead, which only
materialises the cells that exist, and refused with a clear message if its values really span
such a rectangle.
"""

from __future__ import annotations

import posixpath
import struct
import threading
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ingest_gui.core._readers_common import (
    HEADER_SCAN_ROWS,
    Grid,
    arrow,
    arrow_compute,
    bare_name,
    detect_header_index,
    format_cell,
    human_size,
    physical_memory_bytes,
)
from ingest_gui.core._readers_compound import compound_file_is_sound
from ingest_gui.texts import (
    QT_TRANSLATE_NOOP,
    fill,
    group_thousands,
    translate,
    translate_marked,
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

#: (regex, replacement) applied in order to calamine's text of each cell.
_DATE_REWRITES = (
    # Time-only cells sit on Excel's day zero.
    (r"^1899-12-3[01][ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$", r"\1"),
    (r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$", r"\1"),
    (r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$", r"\1T\2"),
)
_DATE_PREFIX = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}"


class WorkbookReadError(Exception):
    """A workbook problem, already phrased for a person; ``loading`` adds nothing."""


@dataclass(frozen=True, slots=True)
class Container:
    #: "xlsx", "xls" or "ods": what the bytes are, whatever the file is called.
    format: str
    #: The suffix lies about the content, so calamine must sniff the bytes.
    mismatched: bool = False
    #: Upper bound of the cells calamine would allocate per sheet name (xlsx only; the key ""
    #: holds the largest sheet, for a name the workbook's index does not map to a part).
    sheet_areas: Mapping[str, int] = field(default_factory=dict)
    #: The worksheets' check, still running (``check_container(..., background=True)``):
    #: until :meth:`wait` returns, nothing may read a worksheet part.
    pending: SheetCheck | None = None

    def wait(self) -> None:
        """Block until every part is checked; raises :class:`WorkbookReadError` for a
        damaged or lying worksheet part."""
        if self.pending is not None:
            self.pending.areas()

    def join(self) -> None:
        """Block until the check's thread has ended, raising nothing (for ``finally``)."""
        if self.pending is not None:
            self.pending.join()

    def sheet_area(self, name: str) -> int:
        areas = self.pending.areas() if self.pending is not None else self.sheet_areas
        return areas.get(name, areas.get("", 0))


def looks_encrypted(path: Path, *, chunk_size: int = 1 << 20) -> bool:
    """An OLE2 container holding an ``EncryptedPackage`` stream: a password-protected xlsx."""
    overlap = len(_ENCRYPTED_STREAM)
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(chunk_size):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def check_container(
    path: Path, head: bytes, suffix: str, label: str, max_uncompressed: int, *,
    background: bool = False,
) -> Container:
    """Check the bytes are the workbook the name promises before any reader touches them.

    With ``background``, an xlsx's worksheet parts are checked on a helper thread while the
    caller opens the workbook (calamine reads the index, shared strings and styles then, never
    a worksheet): the returned container's :meth:`Container.wait` (or ``sheet_area``) must
    come before anything reads a sheet, and before the caller returns, so that the thread
    never outlives it.
    """
    wanted = "ods" if suffix == ".ods" else "xls" if suffix == ".xls" else "xlsx"
    if head.startswith(OLE_MAGIC):
        if looks_encrypted(path):  # refused whole: no reader opens it
            raise WorkbookReadError(password_message(label))
        if not compound_file_is_sound(path):
            raise WorkbookReadError(fill(translate(
                "Loading", '"{file}" is damaged or incomplete: its internal index does not fit '
                "its contents. Open it in Excel and save it again, or export it as CSV."),
                file=bare_name(label)))
        if wanted == "ods":
            raise WorkbookReadError(fill(translate(
                "Loading", '"{file}" is an old Excel (.xls) file, not an OpenDocument '
                "spreadsheet; rename it to .xls or save it again as .ods."),
                file=bare_name(label)))
        return Container("xls", mismatched=wanted != "xls")
    if head.startswith(ZIP_MAGIC):
        with _damaged_zip_is_unreadable(label), zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            kind = _zip_kind(members, label, max_uncompressed)
            if kind != "xlsx":
                # calamine parses an .ods whole when it opens it: check every part now.
                _verify_members(path, archive, members, label, scanned=set())
                return Container(kind, mismatched=kind != wanted)
            # The index first (it says which parts are sheets), then the sheets' check (on its
            # thread from here on), then every other part: calamine reads those when it opens
            # the workbook.
            index = [member for member in members if member.filename in _INDEX_PARTS]
            _verify_members(path, archive, index, label, scanned=set())
            sheets, worksheets = _worksheet_parts(archive, members)
            check = SheetCheck(path, worksheets, sheets, label)
            if background:
                check.start()
            try:
                _verify_members(path, archive, [
                    member for member in members if member not in worksheets
                    and member not in index], label, scanned=set())
            except BaseException:
                check.join()  # it is not returned: its thread must not outlive this call
                raise
        if not background:
            return Container(kind, mismatched=kind != wanted, sheet_areas=check.run())
        return Container(kind, mismatched=kind != wanted, pending=check)
    raise WorkbookReadError(not_a_workbook_message(label, head))


@contextmanager
def _damaged_zip_is_unreadable(label: str) -> Iterator[None]:
    try:
        yield
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        raise WorkbookReadError(damaged_message(label)) from exc


def _zip_kind(members: list[zipfile.ZipInfo], label: str, max_uncompressed: int) -> str:
    declared = sum(member.file_size for member in members)
    if declared > max_uncompressed:
        raise WorkbookReadError(fill(translate(
            "Loading", '"{file}" would unpack to {size}, more than this app accepts ({limit}). '
            "It may be damaged or built to exhaust memory; if it is a genuine export, save it "
            "as CSV and load that instead."), file=bare_name(label), size=human_size(declared),
            limit=human_size(max_uncompressed)))
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise WorkbookReadError(fill(translate(
            "Loading", '"{file}" is an Excel binary workbook (.xlsb), which this app cannot '
            "read; open it in Excel and save it as .xlsx or CSV."), file=bare_name(label)))
    if "content.xml" in names:
        return "ods"
    raise WorkbookReadError(fill(translate(
        "Loading", '"{file}" is a zip archive but not a spreadsheet (maybe a Word or other '
        "document renamed); open it in Excel and save it as .xlsx or CSV."),
        file=bare_name(label)))


def lying_zip_message(label: str, name: str) -> str:
    return fill(translate(
        "Loading", '"{file}" is damaged: its part {part} unpacks to more than the size the '
        "file declares for it (the file is corrupt, or built to exhaust memory). Open it in "
        "Excel to check, save it again, and retry."), file=bare_name(label), part=name)


_INFLATE_CHUNK = 4 * 1024 * 1024
#: A member may inflate beyond its declared size by this much (some writers get the sizes
#: wrong): harmless for calamine, unlike the hundreds of megabytes of a zip built to lie.
_UNDECLARED_BYTES_ALLOWED = 64 * 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _verify_members(
    path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], label: str, *,
    scanned: set[str],
) -> dict[str, int]:
    """Inflate each member once, counting its real bytes against the declared size.

    calamine inflates a member's real stream whatever size it declares: one declaring 5 KB
    that inflates to 800 MB would take about a gigabyte. Counting here stops at the declared
    size (or :data:`_UNDECLARED_BYTES_ALLOWED`) plus one chunk and refuses the file. While
    the bytes of the members named in ``scanned`` pass, their cell references are scanned
    (see :class:`RefScanner`); returns those members' areas.
    """
    areas_by_part: dict[str, int] = {}
    with path.open("rb") as raw:
        for member in members:
            if member.is_dir():
                continue
            scanner = RefScanner() if member.filename in scanned else None
            real = 0
            for chunk in _inflate(raw, archive, member):
                real += len(chunk)
                if real > max(member.file_size, _UNDECLARED_BYTES_ALLOWED):
                    raise WorkbookReadError(lying_zip_message(label, member.filename))
                if scanner is not None:
                    scanner.feed(chunk)
            if scanner is not None:
                # A name twice in one zip: whichever a reader picks, bound it.
                areas_by_part[member.filename] = max(scanner.finish(),
                                                     areas_by_part.get(member.filename, 0))
    return areas_by_part


_INDEX_PARTS = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels"})


def _is_worksheet_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _worksheet_parts(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> tuple[dict[str, str], list[zipfile.ZipInfo]]:
    """(sheet name -> part, the members to scan): the parts the workbook's index names for
    its sheets, wherever they are, and every part under xl/worksheets/; every XML part when
    the index cannot be read (calamine might still read it)."""
    try:
        sheets = _sheet_parts(archive)
    except (KeyError, ElementTree.ParseError):
        sheets = {}
    named = set(sheets.values())
    worksheets = [
        member for member in members if not member.is_dir() and (
            member.filename in named or _is_worksheet_part(member.filename)
            or (not sheets and member.filename.endswith(".xml")))
    ]
    return sheets, worksheets


class SheetCheck:
    """The worksheet parts' inflate-and-scan (:func:`_verify_members`), run inline or on a
    helper thread; :meth:`areas` returns the sheet areas or raises what the check raised."""

    def __init__(self, path: Path, members: list[zipfile.ZipInfo], sheets: dict[str, str],
                 label: str) -> None:
        self._path = path
        self._members = members
        self._sheets = sheets
        self._label = label
        self._thread: threading.Thread | None = None
        self._result: dict[str, int] | None = None
        self._error: BaseException | None = None

    def run(self) -> dict[str, int]:
        with _damaged_zip_is_unreadable(self._label), zipfile.ZipFile(self._path) as archive:
            by_part = _verify_members(
                self._path, archive, self._members, self._label,
                scanned={member.filename for member in self._members})
        areas = {sheet: by_part.get(part, 0) for sheet, part in self._sheets.items()}
        areas[""] = max(by_part.values(), default=0)
        return areas

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run_catching, name="sheet-check",
                                        daemon=True)
        self._thread.start()

    def _run_catching(self) -> None:
        try:
            self._result = self.run()
        except BaseException as error:  # handed to the caller of areas()
            self._error = error

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def areas(self) -> dict[str, int]:
        self.join()
        if self._error is not None:
            raise self._error
        if self._result is None:
            self._result = self.run()
        return self._result


def _inflate(
    raw: Any, archive: zipfile.ZipFile, member: zipfile.ZipInfo
) -> Iterator[bytes]:
    """The member's real inflated bytes in chunks (never more than one chunk held)."""
    if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED,
                                                              zipfile.ZIP_DEFLATED):
        # Encrypted or exotic members: zipfile stops at the declared size and checks the CRC.
        with archive.open(member) as stream:
            while chunk := stream.read(_INFLATE_CHUNK):
                yield chunk
        return
    raw.seek(member.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {member.filename}")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    raw.seek(member.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = member.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if member.compress_type else None
    while left > 0:
        data = raw.read(min(left, _INFLATE_CHUNK))
        if not data:
            raise EOFError(f"{member.filename} is cut short")
        left -= len(data)
        if inflater is None:
            yield data
            continue
        while data:
            out = inflater.decompress(data, _INFLATE_CHUNK)
            data = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                return
    if inflater is not None and (rest := inflater.flush()):
        yield rest


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part's path, from xl/workbook.xml and its relationships."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relationships = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    package = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{package}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id", "")] = part
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{main}sheet"):
        found = targets.get(sheet.get(f"{relationships}id", ""))
        if found is not None:
            parts[sheet.get("name", "")] = found
    return parts


class RefScanner:
    """The rectangle calamine would allocate for a worksheet, from a stream of its XML.

    calamine places each cell at its ``r="XFD1048576"`` reference (or, without one, after the
    previous cell) and allocates every cell from A1 to the farthest. The scan is vectorised
    with numpy over each inflated chunk, never holding the whole XML: it finds every ``r`` byte
    and ``c`` byte once, keeps those that start an ``r`` attribute or a ``<c``/``<row``
    element, and parses the references' bytes column by column. It counts every referenced
    cell, also those holding only formatting (which calamine skips), so its area is an upper
    bound. A reference is read as calamine reads it: any XML whitespace before ``r``, either
    quote, lower- or upper-case letters, any number of digits (leading zeros included). A
    reference it cannot bound (whitespace around ``=``, more than :data:`_WINDOW` characters,
    anything but letters then digits) makes the area unbounded, which sends the sheet to the
    streamed reader: slower, never unsafe.
    """

    #: Bytes read after a reference's opening quote: "XFD1048576" and its closing quote.
    _WINDOW = 11
    #: Bytes kept from one chunk for the next: an attribute starting before them is read
    #: whole in this chunk ("r", '="', the window), one starting among them in the next.
    _CARRY = 64
    #: The area of a sheet the scan cannot bound.
    UNBOUNDED = 1 << 62

    def __init__(self) -> None:
        self._carry = b""
        self.last_row = 0
        self.last_column = 0
        self._referenced_cells = 0
        self._cell_elements = 0
        self._row_elements = 0
        self._unbounded = False

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk
        self._carry = data[-self._CARRY:]
        self._scan(data, len(data) - self._CARRY)

    def finish(self) -> int:
        self._scan(self._carry + b"\0" * self._CARRY, len(self._carry))
        self._carry = b""
        if self._unbounded:
            return self.UNBOUNDED
        unreferenced = max(0, self._cell_elements - self._referenced_cells)
        if unreferenced:
            # Cells without a reference follow the previous one (and rows without one the
            # previous row): bound them by adding their counts.
            self.last_column += unreferenced
            self.last_row += self._row_elements
        return self.last_row * self.last_column

    def _scan(self, data: bytes, limit: int) -> None:
        """Read the attributes and elements that start before ``limit``."""
        if limit <= 0 or self._unbounded:
            return
        buffer = np.frombuffer(data, dtype=np.uint8)
        # ``found`` indexes the byte before each "c" or "r" (index 0 is never one worth
        # reading: the previous chunk's carry covered it), so buffer[found + k] is
        # buffer[k:][found], with no index arithmetic.
        body = buffer[1:limit + 1]
        found = np.flatnonzero((body == ord("c")) | (body == ord("r")))  # one pass for both
        is_c = buffer[1:][found] == ord("c")
        before, after = buffer[found], buffer[2:][found]
        tag = _tag_start(before)
        self._cell_elements += int(np.count_nonzero(is_c & tag & _tag_end(after)))
        self._row_elements += int(np.count_nonzero(
            tag & (after == ord("o")) & (buffer[3:][found] == ord("w"))
            & _tag_end(buffer[4:][found])))
        found = found[~is_c & _is_space(before) & ((after == ord("=")) | _is_space(after))]
        quote = buffer[3:][found]
        plain = (buffer[2:][found] == ord("=")) & ((quote == ord('"')) | (quote == ord("'")))
        if not plain.all():
            if _spaced_attribute(buffer, found[~plain]):
                self._unbounded = True
                return
            found = found[plain]
        if found.size:
            self._read_references(buffer, found + 4)

    def _read_references(self, buffer: Any, starts: Any) -> None:
        """Parse the references starting at ``starts`` (just after their opening quote):
        letters, then digits, then the closing quote."""
        letters = _run_length(buffer, starts, lambda byte: ((byte | 0x20) - ord("a")) < 26)
        first_digit = starts + letters
        digits = _run_length(buffer, first_digit, lambda byte: (byte - ord("0")) < 10)
        closing = buffer[first_digit + digits]
        if not ((letters + digits < self._WINDOW)
                & ((closing == ord('"')) | (closing == ord("'")))).all():
            self._unbounded = True
            return
        cells = letters > 0
        self._referenced_cells += int(np.count_nonzero(cells))
        if cells.any():
            self.last_column = max(self.last_column, _largest_value(
                buffer, starts, letters, base=26))
        self.last_row = max(self.last_row, _largest_value(buffer, first_digit, digits, base=10))


def _run_length(buffer: Any, starts: Any, member: Callable[[Any], Any]) -> Any:
    """How many bytes from each of ``starts`` are ``member``s, up to ``RefScanner._WINDOW``."""
    length = np.zeros(starts.size, dtype=np.int64)
    running = np.ones(starts.size, dtype=bool)
    for offset in range(RefScanner._WINDOW):
        running &= member(buffer[offset:][starts])  # uint8 arithmetic wraps: no false hits
        if not running.any():
            break
        length += running
    return length


def _spaced_attribute(buffer: Any, found: Any) -> bool:
    """Whether an "r" at ``found + 1`` (after whitespace, followed by "=" or whitespace) is
    an attribute spelled ``r = "..."`` or ``r= "..."``: valid XML that no spreadsheet writer
    produces, so the scan does not guess where it points. A lone " r " (text of an inline
    string) is no attribute; one followed by more whitespace than the scan can see might be.
    """
    if np.any(buffer[2:][found] == ord("=")):
        return True  # "r=" then no quote
    undecided = found
    for offset in range(3, RefScanner._CARRY):
        following = buffer[offset:][undecided]
        if np.any(following == ord("=")):
            return True
        undecided = undecided[_is_space(following)]
        if not undecided.size:
            return False
    return True


# Byte classes by comparison: on numpy arrays of bytes a few comparisons beat a lookup table.


def _is_space(byte: Any) -> Any:
    return (byte == ord(" ")) | (byte == ord("\t")) | (byte == ord("\n")) | (byte == ord("\r"))


def _tag_start(byte: Any) -> Any:
    """What precedes an element's name: "<c", or "<x:c" with a namespace prefix."""
    return (byte == ord("<")) | (byte == ord(":"))


def _tag_end(byte: Any) -> Any:
    """What follows an element's name: "<c ", "<c>", "<c/"."""
    return _is_space(byte) | (byte == ord(">")) | (byte == ord("/"))


def _largest_value(buffer: Any, starts: Any, widths: Any, *, base: int) -> int:
    """The largest number spelled by ``widths`` bytes at ``starts``: digits (base 10) or
    column letters (base 26, either case, A = 1)."""
    widest = int(widths.max(initial=0))
    # A spelling of ``width`` characters is below ``bound ** width`` (26 letters spell
    # A..Z, AA.. as 1..26, 27.., below 27 ** width): once the best value reaches that, no
    # narrower spelling can beat it. Narrower ones still count: leading zeros.
    bound = 27 if base == 26 else base
    best = 0
    for width in range(widest, 0, -1):
        if best >= bound ** width:
            break
        chosen = starts[widths == width]
        if not chosen.size:
            continue
        # Equal widths compare like their bytes, left to right: keep the largest byte at
        # each place (so after the first place only a handful of candidates remain).
        value = 0
        for offset in range(width):
            byte = buffer[offset:][chosen] | (0x20 if base == 26 else 0)
            largest = byte.max()
            chosen = chosen[byte == largest]
            value = value * base + int(largest) - (ord("0") if base == 10 else ord("a") - 1)
        best = max(best, value)
    return best


def sheet_cell_limit() -> int:
    """Largest sheet rectangle (rows x columns, from A1) handed to calamine.

    calamine holds about 35 bytes per cell of the rectangle, empty or not; a quarter of the
    RAM at that rate, between 20 and 200 million cells.
    """
    memory = physical_memory_bytes() or 8 * 1024**3
    return max(20_000_000, min(memory // 4 // 40, 200_000_000))


def password_message(label: str) -> str:
    return fill(translate(
        "Loading", '"{file}" is protected with a password. Open it in Excel, remove the '
        "password (File > Info > Protect Workbook > Encrypt with Password, clear it), save, "
        "and load it again."), file=bare_name(label))


def damaged_message(label: str) -> str:
    return fill(translate(
        "Loading", '"{file}" is damaged or incomplete (perhaps it was not fully downloaded or '
        "copied). Open it in Excel to check, save it again, and retry."), file=bare_name(label))


_MAGIC_NAMES = (
    (b"\x89PNG", QT_TRANSLATE_NOOP("Loading", "a PNG image")),
    (b"\xff\xd8\xff", QT_TRANSLATE_NOOP("Loading", "a JPEG image")),
    (b"GIF8", QT_TRANSLATE_NOOP("Loading", "a GIF image")),
    (b"%PDF", QT_TRANSLATE_NOOP("Loading", "a PDF document")),
    (b"\x1f\x8b", QT_TRANSLATE_NOOP("Loading", "a gzip archive")),
    (b"Rar!", QT_TRANSLATE_NOOP("Loading", "a RAR archive")),
    (b"7z\xbc\xaf", QT_TRANSLATE_NOOP("Loading", "a 7-Zip archive")),
)


def not_a_workbook_message(label: str, head: bytes, *, text_name: bool = False) -> str:
    """Why ``head`` is no workbook; ``text_name``: the file is named like a text file (.csv)
    but holds binary data."""
    file = bare_name(label)
    for magic, what in _MAGIC_NAMES:
        if head.startswith(magic):
            return fill(translate(
                "Loading", '"{file}" is actually {what}, not a spreadsheet (it may have been '
                "renamed). Choose the real export file."),
                file=file, what=translate_marked("Loading", what))
    if text_name:
        return fill(translate(
            "Loading", '"{file}" is not a text (CSV) file: it contains binary data (it may have '
            "been renamed or damaged)."), file=file)
    return fill(translate(
        "Loading", '"{file}" is not a spreadsheet this app can read: its content is not an '
        "Excel or OpenDocument workbook (it may have been renamed or damaged)."), file=file)


# --------------------------------------------------------------------------------------------
# Reading


def _friendly_reader_error(label: str, exc: BaseException) -> WorkbookReadError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return WorkbookReadError(password_message(label))
    return WorkbookReadError(damaged_message(label))


class ReaderCrashed(Exception):
    """fastexcel's Rust code panicked on a damaged file (pyo3 raises a BaseException for that)."""


def _calamine(call: Callable[[], Any]) -> Any:
    """Run a fastexcel call, turning a Rust panic into an ordinary exception.

    pyo3's ``PanicException`` derives from ``BaseException`` so that ``except Exception`` does
    not swallow it; for a damaged workbook it is just another unreadable file, which the
    fallback readers and the friendly message handle.
    """
    try:
        return call()
    except Exception:
        raise
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise ReaderCrashed(str(exc).strip() or "the workbook reader failed") from exc


def open_workbook(path: Path, container: Container) -> Any:
    import fastexcel

    source: str | bytes = path.read_bytes() if container.mismatched else str(path)
    return _calamine(lambda: fastexcel.read_excel(source))


def sheet_names(path: Path, container: Container, label: str) -> tuple[str, ...]:
    try:
        names = tuple(open_workbook(path, container).sheet_names)
    except Exception as fast_error:
        container.wait()  # a damaged or lying part is the better explanation
        try:
            return tuple(_pandas_sheet_names(path, container))
        except Exception:
            raise _friendly_reader_error(label, fast_error) from fast_error
    container.wait()
    return names


def _pandas_engine(container: Container) -> Literal["openpyxl", "xlrd", "odf"]:
    if container.format == "xls":
        return "xlrd"
    return "odf" if container.format == "ods" else "openpyxl"


def _pandas_sheet_names(path: Path, container: Container) -> list[str]:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.ExcelFile(path, engine=_pandas_engine(container)) as book:
            return [str(name) for name in book.sheet_names]


def pick_sheet(names: tuple[str, ...], wanted: str | None, label: str) -> str | None:
    """The caller's sheet (exact, then ignoring case); ``None`` means first non-empty."""
    if wanted is None:
        return None
    if wanted in names:
        return wanted
    for name in names:
        if name.casefold() == wanted.strip().casefold():
            return name
    quoted = translate("Loading", '"{sheet}"', "a sheet name in a list of sheet names")
    listed = ", ".join(fill(quoted, sheet=name) for name in names)
    raise WorkbookReadError(fill(translate(
        "Loading", '"{file}" has no sheet called "{sheet}"; its sheets are {sheets}.'),
        file=bare_name(label), sheet=wanted, sheets=listed))


@dataclass(slots=True)
class SheetData:
    name: str
    table: Any  # pyarrow.Table of strings (nulls = empty)
    column_indexes: list[int]


def _fast_sheet(reader: Any, name: str) -> SheetData:
    pa = arrow()

    def load() -> tuple[Any, list[int]]:
        indexes: list[int] = []

        def keep(column: Any) -> bool:
            indexes.append(int(column.absolute_index))
            return True

        # Eager: the sheet straight into Arrow, without the lazy sheet in between (a third less
        # time on big sheets). Eager loading reports no column positions, but the column filter
        # is asked about each column in order, with its position.
        batch = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string",
                                  eager=True, use_columns=keep)
        if len(indexes) == batch.num_columns:
            return batch, indexes
        sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        return sheet.to_arrow(), [int(column.absolute_index) for column in sheet.selected_columns]

    batch, indexes = _calamine(load)
    table = pa.Table.from_batches([batch]) if batch.num_columns else pa.table({})
    return SheetData(name, _normalise_calamine_text(table), indexes)


def _streamed_sheet(path: Path, name: str, label: str, cell_limit: int) -> SheetData:
    """A sheet too sparse for calamine, read cell by cell with openpyxl's streaming parser.

    Only cells holding a value are kept; if those still span more than ``cell_limit`` cells
    from A1 (a stray value far outside the table), the sheet is refused, naming that cell.
    """
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils.cell import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet._reader import WorkSheetParser  # type: ignore[import-untyped]

    pa = arrow()
    values: dict[int, dict[int, str]] = {}
    last_row = last_column = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book[name]
            with sheet._get_source() as source:
                parser = WorkSheetParser(
                    source, sheet._shared_strings,
                    data_only=True, epoch=book.epoch, date_formats=book._date_formats,
                    timedelta_formats=book._timedelta_formats,
                )
                for _index, cells in parser.parse():
                    for cell in cells:
                        text = format_cell(cell["value"])
                        if text == "":
                            continue
                        row, column = int(cell["row"]), int(cell["column"])
                        values.setdefault(column, {})[row - 1] = text
                        last_row, last_column = max(last_row, row), max(last_column, column)
                        if last_row * last_column > cell_limit:
                            raise WorkbookReadError(fill(translate(
                                "Loading", '"{file}" has a value in cell {cell} of sheet '
                                '"{sheet}", far outside the table. Delete the stray cells '
                                "(Ctrl+End shows where the sheet ends) and save again."),
                                file=bare_name(label), sheet=name,
                                cell=f"{get_column_letter(column)}{row}"))
        finally:
            book.close()
    columns = []
    for column in range(1, last_column + 1):
        cells_of_column = values.get(column, {})
        texts: list[str | None] = [None] * last_row
        for row_index, text in cells_of_column.items():
            texts[row_index] = text
        columns.append(pa.array(texts, type=pa.string()))
    table = pa.table(columns, names=[f"c{index}" for index in range(len(columns))])
    return SheetData(name, table, list(range(len(columns))))


def _pandas_sheet(path: Path, container: Container, name: str) -> SheetData:
    import pandas as pd
    pa = arrow()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pd.read_excel(
            path, sheet_name=name, header=None, dtype=object, keep_default_na=False,
            na_filter=False, engine=_pandas_engine(container),
        )
    columns = [
        pa.array([format_cell(value) for value in frame[column].tolist()], type=pa.string())
        for column in frame.columns
    ]
    table = pa.table(columns, names=[f"c{index}" for index in range(len(columns))])
    return SheetData(name, table, list(range(len(columns))))


def _normalise_calamine_text(table: Any) -> Any:
    """Dates to ISO, datetimes to ISO with "T", booleans to TRUE/FALSE, column by column."""
    pa = arrow()
    pc = arrow_compute()
    columns = []
    booleans = pa.array(["true", "false"])
    for column in table.columns:
        # A date-time text has at least 19 characters: a length check spares most columns
        # (names, codes, amounts) the regex pass.
        if pc.any(pc.greater_equal(pc.utf8_length(column), 19)).as_py() and \
                pc.any(pc.match_substring_regex(column, _DATE_PREFIX)).as_py():
            for pattern, replacement in _DATE_REWRITES:
                column = pc.replace_substring_regex(
                    column, pattern=pattern, replacement=replacement
                )
        if pc.any(pc.is_in(column, booleans)).as_py():
            for lower, upper in (("true", "TRUE"), ("false", "FALSE")):
                matches = pc.equal(column, lower)
                if pc.any(matches).as_py():
                    column = pc.if_else(matches, upper, column)
        columns.append(column)
    return table.from_arrays(columns, names=table.column_names) if columns else table


def _is_blank_table(table: Any) -> bool:
    pc = arrow_compute()
    if table.num_rows == 0 or table.num_columns == 0:
        return True
    for column in table.columns:
        filled = pc.and_(pc.is_valid(column), pc.not_equal(pc.utf8_trim_whitespace(column), ""))
        if pc.any(filled).as_py():
            return False
    return True


def read_sheet(
    path: Path, container: Container, sheet: str | None, label: str,
    check_cancel: Callable[[], None],
) -> tuple[SheetData, tuple[str, ...], list[str]]:
    """The chosen (or first non-empty) sheet, all sheet names, and notes."""
    notes: list[str] = []
    fast_error: Exception | None = None
    try:
        # calamine reads the index, shared strings and styles here, never a worksheet: this
        # overlaps the worksheets' check (Container.pending), which ends before any sheet is
        # read (and, when a part is damaged or lying, explains better than calamine would).
        reader = open_workbook(path, container)
        names = tuple(reader.sheet_names)
    except Exception as error:
        fast_error = error
    container.wait()
    if fast_error is None:
        def load(name: str) -> SheetData:
            return _fast_sheet(reader, name)
    else:
        try:
            names = tuple(_pandas_sheet_names(path, container))
        except Exception:
            raise _friendly_reader_error(label, fast_error) from fast_error

        def load(name: str) -> SheetData:
            return _pandas_sheet(path, container, name)

    if not names:
        raise WorkbookReadError(fill(translate("Loading", '"{file}" has no sheets.'),
                                     file=bare_name(label)))
    chosen = pick_sheet(names, sheet, label)
    candidates = [chosen] if chosen is not None else list(names)
    cell_limit = sheet_cell_limit()
    for name in candidates:
        check_cancel()
        if container.format == "xlsx" and container.sheet_area(name) > cell_limit:
            data = _streamed_sheet(path, name, label, cell_limit)
        else:
            data = _load_with_fallback(load, path, container, name, label)
        if not _is_blank_table(data.table):
            if chosen is None and name != names[0]:
                if names.index(name) == 1:
                    template = translate(
                        "Loading", 'The first sheet is empty; reading sheet "{sheet}".')
                else:
                    template = translate(
                        "Loading", 'The first sheets are empty; reading sheet "{sheet}".')
                notes.append(fill(template, sheet=name))
            return data, names, notes
    if chosen is not None:
        raise WorkbookReadError(fill(translate("Loading", 'Sheet "{sheet}" of "{file}" is empty.'),
                                     sheet=chosen, file=bare_name(label)))
    raise WorkbookReadError(fill(translate(
        "Loading", '"{file}" is empty: none of its sheets has any data.'), file=bare_name(label)))


def _load_with_fallback(
    load: Callable[[str], SheetData], path: Path, container: Container, name: str, label: str
) -> SheetData:
    try:
        return load(name)
    except Exception as fast_error:
        try:
            return _pandas_sheet(path, container, name)
        except Exception:
            raise _friendly_reader_error(label, fast_error) from fast_error


def sheet_grid(data: SheetData, header_row: int | None, label: str) -> Grid:
    """Cut the sheet at its header row (given, or detected) into a Grid."""
    table = data.table
    file = bare_name(label)
    if header_row == 0:
        index: int | None = None
    elif header_row is not None:
        if header_row > table.num_rows:
            raise WorkbookReadError(fill(translate(
                "Loading", 'Sheet "{sheet}" of "{file}" has no row {row}; its last row is '
                "{last_row}."), sheet=data.name, file=file, row=group_thousands(header_row),
                last_row=group_thousands(table.num_rows)))
        index = header_row - 1
        if _is_blank_table(table.slice(index, 1)):
            raise WorkbookReadError(fill(translate(
                "Loading", 'Row {row} of sheet "{sheet}" of "{file}" is empty.'),
                row=group_thousands(header_row), sheet=data.name, file=file))
    else:
        top = table.slice(0, HEADER_SCAN_ROWS).to_pylist()
        rows = [["" if cell is None else str(cell) for cell in row.values()] for row in top]
        index = detect_header_index(rows)
    first = 0 if index is None else index
    sliced = table.slice(first)
    return Grid(
        table=sliced,
        row_numbers=np.arange(first + 1, first + 1 + sliced.num_rows, dtype=np.int64),
        column_indexes=data.column_indexes,
        has_header=index is not None,
    )
