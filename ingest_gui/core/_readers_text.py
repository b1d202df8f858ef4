"""Text files (CSV/TSV/TXT): encoding, delimiter and header detection, then one pyarrow parse.

The whole file is parsed by pyarrow's multi-threaded CSV reader (the engine behind pandas'
``engine="pyarrow"``, used directly because pandas does not let that engine turn NA
detection off). Detection only looks at a bounded sample of whole lines. When pyarrow cannot
parse a file (ragged rows, odd quoting) pandas' C engine and then Python's csv module take over.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest_gui.core._readers_common import (
    Grid,
    arrow,
    arrow_csv,
    bare_name,
    detect_header_index,
)
from ingest_gui.texts import fill, group_thousands, translate

#: Detection reads this much from the top of the file (cut back to whole lines).
SAMPLE_BYTES = 64 * 1024
#: A sample grows up to this size when a single line is longer than SAMPLE_BYTES.
MAX_SAMPLE_BYTES = 4 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

# Exports sometimes hold cells far above csv's default 128 KB field limit; raising the
# process-wide limit only ever lets more files through.
try:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
except OverflowError:  # pragma: no cover - platform dependent C long
    csv.field_size_limit(2**31 - 1)


class TextReadError(Exception):
    """A text-file problem; ``loading`` turns it into a LoadError naming the file."""


@dataclass(slots=True)
class WorkingText:
    """The file as UTF-8 bytes (zero-copy when it already was UTF-8) and how it was decoded."""

    data: bytes | bytearray
    start: int
    encoding: str
    notes: list[str] = field(default_factory=list)
    #: True when ``data`` is the original bytes and pyarrow still has to validate the UTF-8.
    unverified_utf8: bool = False


# --------------------------------------------------------------------------------------------
# Encoding


def _looks_like_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is NUL for Western text."""
    sample = head[: 4096 - (len(head[:4096]) % 2)]
    if len(sample) < 8:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.4 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.4 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def detect_encoding(head: bytes, *, complete: bool) -> tuple[str, int]:
    """(encoding, BOM length) from the first bytes: BOM, then UTF-16 shape, UTF-8, cp1252."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    utf16 = _looks_like_utf16(head)
    if utf16:
        return utf16, 0
    probe = head
    if not complete:
        # Cut at a line end so a multi-byte character split by the sample cannot fail UTF-8.
        cut = max(probe.rfind(b"\n"), probe.rfind(b"\r"))
        probe = probe[: cut + 1] if cut >= 0 else probe[: max(0, len(probe) - 3)]
    try:
        probe.decode("utf-8")
    except UnicodeDecodeError:
        return western_single_byte(head), 0
    return "utf-8", 0


def western_single_byte(data: bytes | bytearray) -> str:
    """cp1252 (what Western Windows Excel writes), or latin-1 for its 5 undefined bytes."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _decode_not_utf8(raw: bytes | bytearray, file_label: str) -> tuple[str, str, list[str]]:
    """Decide between "mostly UTF-8 with a few broken bytes" and a Western single-byte file."""
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - raw.count("\ufffd".encode())
    multibyte = len(_UTF8_MULTIBYTE.findall(raw))
    if multibyte and multibyte >= 10 * broken:
        if broken == 1:
            template = translate(
                "Loading", '1 character in "{file}" was not valid UTF-8 text and shows as \ufffd.')
        else:
            template = translate(
                "Loading", '{count} characters in "{file}" were not valid UTF-8 text and show as '
                "\ufffd.")
        note = fill(template, count=group_thousands(broken), file=bare_name(file_label))
        return text, "utf-8", [note]
    encoding = western_single_byte(raw)
    return raw.decode(encoding), encoding, []


def working_text(
    raw: bytearray, *, file_label: str, encoding: str | None
) -> WorkingText:
    """Turn the file's bytes into UTF-8 for pyarrow, detecting the encoding unless given."""
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError as exc:
            raise TextReadError(fill(translate(
                "Loading", '"{encoding}" is not a text encoding this app knows.'),
                encoding=encoding)) from exc
        if codec == "utf-8":
            start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
            return WorkingText(raw, start, "utf-8", unverified_utf8=True)
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            raise TextReadError(fill(translate(
                "Loading", '"{file}" cannot be read as {encoding} text (byte {byte} does not '
                "fit); choose another encoding or let the app detect it."),
                file=bare_name(file_label), encoding=encoding,
                byte=group_thousands(exc.start + 1))) from exc
        return WorkingText(text.removeprefix("\ufeff").encode("utf-8"), 0, encoding)

    head = bytes(raw[:SAMPLE_BYTES])
    detected, bom_length = detect_encoding(head, complete=len(raw) <= SAMPLE_BYTES)
    if detected in ("utf-8", "utf-8-sig"):
        return WorkingText(raw, bom_length, detected, unverified_utf8=True)
    if detected.startswith("utf-16"):
        try:
            text = bytes(memoryview(raw)[bom_length:]).decode(detected)
        except UnicodeDecodeError as exc:
            raise TextReadError(fill(translate(
                "Loading", '"{file}" looks like UTF-16 text but is damaged near byte {byte}.'),
                file=bare_name(file_label), byte=group_thousands(exc.start + 1))) from exc
        return WorkingText(text.encode("utf-8"), 0, detected)
    text, detected, notes = _decode_not_utf8(raw, file_label)
    return WorkingText(text.encode("utf-8"), 0, detected, notes)


def retry_as_not_utf8(working: WorkingText, file_label: str) -> WorkingText:
    """pyarrow found invalid UTF-8 past the sample: decode the whole file the careful way."""
    text, encoding, notes = _decode_not_utf8(
        memoryview(working.data)[working.start :].tobytes(), file_label
    )
    return WorkingText(text.encode("utf-8"), 0, encoding, notes)


# --------------------------------------------------------------------------------------------
# Sample, delimiter and header


@dataclass(slots=True)
class Sample:
    text: str
    #: The sample reaches the end of the file (its last record is whole).
    complete: bool


def take_sample(data: bytes | bytearray, start: int, size: int = SAMPLE_BYTES) -> Sample:
    """Up to ``size`` bytes from ``start``, cut back to whole lines."""
    end = start + size
    if end >= len(data):
        return Sample(bytes(memoryview(data)[start:]).decode("utf-8", "replace"), True)
    cut = max(data.rfind(b"\n", start, end), data.rfind(b"\r", start, end))
    if cut < 0:  # one enormous line: grow until a line end, within reason
        limit = min(len(data), start + MAX_SAMPLE_BYTES)
        cut = data.find(b"\n", end, limit)
        if cut < 0:
            cut = limit - 1
    end = cut + 1
    text = bytes(memoryview(data)[start:end]).decode("utf-8", "replace")
    return Sample(text, end >= len(data))


def sample_records(sample: Sample, delimiter: str) -> list[tuple[int, list[str]]]:
    """(character offset, cells) of each record in the sample; a blank line is ``[]``.

    The last record of an incomplete sample may be cut in the middle, so it is dropped.
    """
    lines = _LINE.findall(sample.text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    reader = csv.reader(iter(lines), delimiter=delimiter, quotechar='"', strict=False)
    records: list[tuple[int, list[str]]] = []
    consumed = 0
    try:
        for cells in reader:
            records.append((starts[consumed], cells))
            consumed = reader.line_num
    except csv.Error:
        pass
    if not sample.complete and len(records) > 1:
        records.pop()
    return records


def detect_delimiter(sample: Sample, preference: tuple[str, ...]) -> str:
    """The candidate that splits most records into the same number (>1) of cells."""
    best = preference[0]
    best_score = 0
    for candidate in preference:
        widths = [
            len(cells)
            for _, cells in sample_records(sample, candidate)[:300]
            if any(cell.strip() for cell in cells)
        ]
        if not widths:
            continue
        counts = Counter(widths)
        modal_width, modal_count = max(counts.items(), key=lambda item: (item[1], item[0]))
        if modal_width < 2:
            continue
        score = modal_count * modal_width
        if score > best_score:
            best, best_score = candidate, score
    return best


def delimiter_preference(suffix: str) -> tuple[str, ...]:
    first = "\t" if suffix in (".tsv", ".txt") else ","
    return (first, *(candidate for candidate in DELIMITERS if candidate != first))


@dataclass(slots=True)
class HeaderChoice:
    #: Byte offset in the working data where parsing starts.
    offset: int
    #: Spreadsheet row of the first parsed record.
    first_row: int
    has_header: bool


def choose_header(
    working: WorkingText, delimiter: str, header_row: int | None, file_label: str
) -> HeaderChoice:
    data, start = working.data, working.start
    size = SAMPLE_BYTES
    while True:
        sample = take_sample(data, start, size)
        records = sample_records(sample, delimiter)
        wanted = header_row if header_row is not None else 1
        if len(records) >= wanted or sample.complete or size >= len(data):
            break
        size *= 4
    if header_row == 0:
        return HeaderChoice(start, 1, has_header=False)
    if header_row is not None:
        if header_row > len(records):
            if len(records) == 1:
                template = translate(
                    "Loading", '"{file}" has no row {row}; it has 1 row at the top.')
            else:
                template = translate(
                    "Loading", '"{file}" has no row {row}; it has {count} rows at the top.')
            raise TextReadError(fill(
                template, file=bare_name(file_label), row=group_thousands(header_row),
                count=group_thousands(len(records))))
        index: int | None = header_row - 1
        if not any(cell.strip() for cell in records[header_row - 1][1]):
            raise TextReadError(fill(translate("Loading", 'Row {row} of "{file}" is empty.'),
                                     row=group_thousands(header_row),
                                     file=bare_name(file_label)))
    else:
        try:
            index = detect_header_index([cells for _, cells in records])
        except ValueError as exc:
            raise TextReadError(fill(translate(
                "Loading", '"{file}" is empty: it has no text in any cell.'),
                file=bare_name(file_label))) from exc
    if index is None:
        return HeaderChoice(start, 1, has_header=False)
    char_offset = records[index][0]
    byte_offset = start + len(sample.text[:char_offset].encode("utf-8"))
    return HeaderChoice(byte_offset, index + 1, has_header=True)


# --------------------------------------------------------------------------------------------
# Parsing


# --------------------------------------------------------------------------------------------
# Report footers

#: Lines of a Salesforce report's footer that no data row holds (research §9.1, corpus
#: SOURCES.md: "Confidential Information - Do Not Distribute", "Copyright (c) 2000-2026
#: salesforce.com, inc. All rights reserved.", with the © spelled out in some exports).
_SALESFORCE_FOOTER = re.compile(
    r"^(?:confidential information\s*-\s*do not distribute"
    r"|copyright\s*(?:\(c\)|©)?.*salesforce\.com)", re.IGNORECASE)
#: A footer is a handful of lines; the scan from the end stops after this many.
_FOOTER_MAX_LINES = 12
_FOOTER_SCAN_BYTES = 8 * 1024


def cut_report_footer(working: WorkingText, delimiter: str) -> int:
    """Cut a Salesforce report's footer off the end of ``working.data``; how many non-blank
    lines went.

    The footer is the file's tail after a blank line, every line of it a single cell (the
    report's title, ``"Grand Totals (70 records)"``, ``"Generated By: …"``, the company),
    among them the "Confidential Information" or "Copyright … salesforce.com" line. Anything
    else at the end of a file — a one-column file, a last row without delimiters — is data.
    """
    data = working.data
    end = _content_end(data, working.start)
    window_start = max(working.start, end - _FOOTER_SCAN_BYTES)
    tail = bytes(memoryview(data)[window_start:end]).decode("utf-8", "replace")
    lines = tail.splitlines(keepends=True)
    if window_start > working.start and lines:
        lines = lines[1:]  # the window may begin inside a line
    block_start = len(lines)
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - _FOOTER_MAX_LINES), -1):
        if not _single_cell(lines[index], delimiter):
            break
        block_start = index
    blank = next((index for index in range(block_start, len(lines))
                  if not lines[index].strip()), None)
    if blank is None or blank == 0:
        return 0
    footer = [_cell_text(line) for line in lines[blank:] if line.strip()]
    if not any(_SALESFORCE_FOOTER.match(text) for text in footer):
        return 0
    cut = end - len("".join(lines[blank:]).encode("utf-8"))
    working.data = data[:cut]
    working.notes.append(fill(translate(
        "Loading", "The Salesforce report footer at the end of the file (title, totals, "
        "copyright) is not data: lines left out: {count}."), count=group_thousands(len(footer))))
    return len(footer)


def _single_cell(line: str, delimiter: str) -> bool:
    if not line.strip():
        return True
    cells = next(csv.reader([line.strip()], delimiter=delimiter, strict=False), [])
    return sum(1 for cell in cells if cell.strip()) <= 1 and len(cells) <= 1


def _cell_text(line: str) -> str:
    cells = next(csv.reader([line.strip()], strict=False), [""])
    return cells[0].strip() if cells else ""


class NotUtf8Error(Exception):
    """pyarrow met bytes that are not UTF-8 (the sample was, the rest of the file is not)."""


def _content_end(data: bytes | bytearray, offset: int) -> int:
    """End of the data without trailing line breaks (they are not rows)."""
    end = len(data)
    while end > offset and data[end - 1] in (10, 13):
        end -= 1
    return end


#: Bytes scanned per numpy pass when looking for line breaks inside quotes (bounds memory).
_QUOTE_SCAN_BYTES = 16 * 1024 * 1024


def has_quoted_line_break(data: bytes | bytearray, offset: int = 0) -> bool:
    """Whether a line break may sit inside a quoted cell (a multi-line cell).

    A break inside quotes has an odd number of quote characters before it (doubled quotes
    inside a cell count twice), so the scan looks for any line break at odd parity. A stray
    quote in an unquoted cell also makes its line end odd: the answer is then "maybe", which
    only costs the slower parse. Works in 16 MB slices with numpy (which releases the GIL).
    """
    end = len(data)
    if data.find(b'"', offset, end) < 0:
        return False
    # "\r\n" files are found by their "\n"; only old Mac files break lines with "\r" alone.
    line_break = 10 if data.find(b"\n", offset, end) >= 0 else 13
    raw = np.frombuffer(data, dtype=np.uint8, count=end - offset, offset=offset)
    parity = 0
    for start in range(0, len(raw), _QUOTE_SCAN_BYTES):
        piece = raw[start : start + _QUOTE_SCAN_BYTES]
        quotes = np.flatnonzero(piece == 34)
        breaks = np.flatnonzero(piece == line_break)
        if len(breaks):
            quotes_before = np.searchsorted(quotes, breaks) + parity
            if (quotes_before % 2).any():
                return True
        parity = (parity + len(quotes)) % 2
    return False


def parse_with_arrow(
    working: WorkingText, choice: HeaderChoice, delimiter: str, width_hint: int
) -> Any:
    """Parse from the header choice on with pyarrow's multi-threaded reader.

    Allowing line breaks inside cells halves pyarrow's speed (it can no longer cut the file at
    any line end), and most files have none: the fast parse goes first. A quoted cell with a
    line break where pyarrow cuts the file stops it with an error ("got out of sync", or a
    wrong number of columns), never a wrong table; then, if a quoted line break is possible,
    the file is parsed again allowing them.
    """
    pa = arrow()
    try:
        return _read_csv(working, choice, delimiter, width_hint, multi_line_cells=False)
    except pa.ArrowInvalid as exc:
        _raise_if_not_utf8(exc)
        if not has_quoted_line_break(working.data, choice.offset):
            raise
    try:
        return _read_csv(working, choice, delimiter, width_hint, multi_line_cells=True)
    except pa.ArrowInvalid as exc:
        _raise_if_not_utf8(exc)
        raise


def _raise_if_not_utf8(exc: Exception) -> None:
    if "invalid UTF8" in str(exc) or "invalid utf8" in str(exc).lower():
        raise NotUtf8Error(str(exc)) from exc


def _read_csv(working: WorkingText, choice: HeaderChoice, delimiter: str, width_hint: int,
              *, multi_line_cells: bool) -> Any:
    pa = arrow()
    pacsv = arrow_csv()
    view = memoryview(working.data)[choice.offset :]
    columns = max(width_hint, 1) + 64
    return pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(view)),
        read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=True),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
            newlines_in_values=multi_line_cells, ignore_empty_lines=True,
        ),
        convert_options=pacsv.ConvertOptions(
            # large_string is the storage of pandas' "str" dtype: no cast in to_pandas().
            column_types={f"f{index}": pa.large_string() for index in range(columns)},
            strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[],
            check_utf8=True,
        ),
    )


def arrow_row_numbers(
    working: WorkingText, choice: HeaderChoice, table_rows: int, delimiter: str
) -> np.ndarray | None:
    """Spreadsheet rows of the parsed records, or None when they cannot be matched up.

    pyarrow skips blank lines and keeps quoted line breaks inside one record, as Excel does; a
    blank line is still a row in Excel. The common case (neither) is found by counting lines.
    """
    data, offset = working.data, choice.offset
    end = _content_end(data, offset)
    if end <= offset:
        return np.zeros(0, dtype=np.int64)
    newline = b"\n" if data.find(b"\n", offset, end) >= 0 else b"\r"
    lines = data.count(newline, offset, end) + 1
    if lines == table_rows:
        return np.arange(choice.first_row, choice.first_row + table_rows, dtype=np.int64)
    if data.find(b'"', offset, end) < 0:
        # No quoting: records are lines; empty lines are the blank rows pyarrow skipped.
        raw = np.frombuffer(data, dtype=np.uint8, count=end - offset, offset=offset)
        breaks = np.flatnonzero(raw == newline[0])
        starts = np.concatenate(([0], breaks + 1))
        ends = np.concatenate((breaks, [len(raw)]))
        lengths = ends - starts
        carriage_only = (lengths == 1) & (raw[np.minimum(starts, len(raw) - 1)] == 13)
        ordinals = np.flatnonzero((lengths > 0) & ~carriage_only)
    else:
        text = bytes(memoryview(data)[offset:end]).decode("utf-8", "replace")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        ordinals = np.fromiter(
            (ordinal for ordinal, cells in enumerate(reader) if cells), dtype=np.int64
        )
    if len(ordinals) != table_rows:
        return None
    return (ordinals + choice.first_row).astype(np.int64)


def parse_with_pandas(
    working: WorkingText, choice: HeaderChoice, delimiter: str,
    check_cancel: Callable[[], None],
) -> tuple[Any, np.ndarray, str]:
    """Ragged rows or odd quoting: the C engine, then Python's csv module; blank lines kept."""
    import pandas as pd
    pa = arrow()

    data = working.data
    end = _content_end(data, choice.offset)
    text = bytes(memoryview(data)[choice.offset : end]).decode("utf-8", "replace")
    width = 1
    rows: list[list[str]] = []
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False):
        width = max(width, len(cells))
        rows.append(cells)
    check_cancel()
    try:
        frame = pd.read_csv(
            io.StringIO(text, newline=""), engine="c", sep=delimiter, header=None,
            names=list(range(width)), dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=False, quotechar='"', doublequote=True, index_col=False,
        )
        if len(frame) != len(rows):
            raise ValueError("the C engine and the csv module disagree on the rows")
        columns: list[Any] = [
            pa.array(frame[name].fillna(""), type=pa.large_string()) for name in frame.columns
        ]
        engine = "c"
    except (ValueError, pd.errors.ParserError):
        padded = [cells + [""] * (width - len(cells)) for cells in rows]
        columns = [
            pa.array(list(column), type=pa.large_string())
            for column in zip(*padded, strict=True)
        ]
        engine = "python"
    table = pa.table(columns, names=[f"f{index}" for index in range(len(columns))])
    row_numbers = np.arange(choice.first_row, choice.first_row + table.num_rows, dtype=np.int64)
    return table, row_numbers, engine


def read_text_grid(
    working: WorkingText, choice: HeaderChoice, delimiter: str, width_hint: int,
    check_cancel: Callable[[], None],
) -> Grid:
    """Parse from the header choice on (pyarrow, else the pandas/csv fallback)."""
    pa = arrow()

    notes: list[str] = []
    try:
        table = parse_with_arrow(working, choice, delimiter, width_hint)
        check_cancel()
        row_numbers = arrow_row_numbers(working, choice, table.num_rows, delimiter)
    except NotUtf8Error:
        raise  # the caller re-decodes the file and chooses the header again
    except pa.ArrowInvalid:
        row_numbers = None
    if row_numbers is None:
        check_cancel()
        table, row_numbers, _engine = parse_with_pandas(working, choice, delimiter, check_cancel)
    return Grid(
        table=table, row_numbers=row_numbers, column_indexes=list(range(table.num_columns)),
        has_header=choice.has_header, notes=notes,
    )
