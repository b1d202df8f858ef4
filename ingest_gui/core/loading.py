"""Read any real spreadsheet export into one table of text cells.

Formats: .csv .tsv .txt (text) and .xlsx .xlsm .xls .ods (workbooks). Text files are parsed by
pyarrow's CSV reader after detecting, on a bounded sample of whole lines, the encoding (BOM, then
strict UTF-8, then cp1252), the delimiter (, ; tab |) and the header row; workbooks are read by
fastexcel (calamine) with openpyxl/xlrd/odf as fallbacks. The content decides, not the name: an
.xlsx that is really a CSV, or a .csv that is really a workbook, is read for what it is (a note
says so). Anything unreadable raises :class:`LoadError` with a sentence naming the file.

Contract of :class:`LoadedTable`:
- ``frame``: a pandas DataFrame, RangeIndex 0..n-1, one column per header with unique string
  names; every cell is ``str`` (pandas' Arrow-backed ``str`` dtype) holding the text a person sees
  in the spreadsheet; an empty cell is ``""`` (never NaN/None/"nan").
- ``row_numbers[i]`` is the 1-based spreadsheet row of ``frame`` row ``i`` (header row included in
  the count, so a file with a header in row 1 has its first data row at 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest_gui.core.cancel import Cancelled, CancelToken, ProgressCallback
from ingest_gui.texts import fill, group_thousands, translate

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES


class LoadError(Exception):
    """The file cannot be read; ``str()`` is a message a marketer understands, naming the file."""

    def __init__(
        self, message: str, *, path: Path | None = None, row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """Caller overrides; ``None`` means detect."""

    sheet: str | None = None
    #: 1-based spreadsheet row holding the column names.
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What a quick look at a file found, before loading it (for the File page's pickers)."""

    path: Path
    #: "csv" for every text file, else "xlsx", "xls" or "ods".
    format: str
    size_bytes: int
    sheet_names: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(slots=True)
class LoadedTable:
    path: Path
    frame: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int
    #: The header cells as written in the file (blank or repeated ones included).
    original_headers: tuple[str, ...]
    format: str
    #: sha256 of the file's bytes: the journal's file fingerprint.
    fingerprint: str
    sheet: str | None = None
    sheet_names: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    #: Human notes about what loading changed, e.g. a blank header named "Column C".
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headers(self) -> list[str]:
        return [str(name) for name in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)


#: Overrides for the size guards (tests, or a machine with special needs); ``None`` = automatic.
FILE_SIZE_LIMIT: int | None = None
#: A workbook whose zip members declare more than this, unpacked, is refused before reading.
MAX_UNCOMPRESSED_BYTES = 4 * 1024**3

_READ_CHUNK = 8 * 1024 * 1024
_HEAD_BYTES = 64 * 1024


def file_size_limit() -> int:
    """Largest file this machine is trusted to load: a quarter of its RAM, 256 MB to 8 GB.

    Loading needs the bytes plus the parsed table (about three times a CSV's size at peak).
    """
    if FILE_SIZE_LIMIT is not None:
        return FILE_SIZE_LIMIT
    from ingest_gui.core._readers_common import physical_memory_bytes

    memory = physical_memory_bytes() or 8 * 1024**3
    return max(256 * 1024**2, min(memory // 4, 8 * 1024**3))


class _Steps:
    """Progress in percent plus cancellation checks between steps."""

    def __init__(self, progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
        self._progress = progress
        self._cancel = cancel
        self._last = -1

    def check(self) -> None:
        if self._cancel is not None:
            self._cancel.raise_if_cancelled()

    def report(self, percent: int) -> None:
        self.check()
        percent = max(0, min(100, percent))
        if self._progress is not None and percent != self._last:
            self._last = percent
            self._progress(percent, 100)


def _label(path: Path) -> str:
    return f'"{path.name}"'


def _not_found(path: Path) -> LoadError:
    return LoadError(fill(translate(
        "Loading", '"{file}" was not found. It may have been moved, renamed or deleted.'),
        file=path.name), path=path)


def _not_allowed(path: Path) -> LoadError:
    return LoadError(fill(translate(
        "Loading", 'This app is not allowed to open "{file}". Check the file\'s permissions, '
        "or copy it to your Documents folder and try again."), file=path.name), path=path)


def _no_rows(path: Path) -> LoadError:
    return LoadError(fill(translate("Loading", '"{file}" is empty: it has no rows.'),
                           file=path.name), path=path)


def _could_not_read(path: Path, exc: BaseException) -> LoadError:
    return LoadError(fill(translate("Loading", '"{file}" could not be read: {reason}'),
                           file=path.name, reason=_short(exc)), path=path)


def _stat_size(path: Path) -> int:
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise _not_found(path) from exc
    except PermissionError as exc:
        raise _not_allowed(path) from exc
    except OSError as exc:
        raise LoadError(fill(translate("Loading", '"{file}" cannot be opened: {reason}.'),
                              file=path.name, reason=str(exc.strerror or exc)),
                        path=path) from exc
    import stat as stat_module

    if stat_module.S_ISDIR(stat.st_mode):
        raise LoadError(fill(translate("Loading", '"{file}" is a folder, not a file.'),
                              file=path.name), path=path)
    return int(stat.st_size)


def _open_error(path: Path, exc: OSError) -> LoadError:
    if isinstance(exc, PermissionError):
        return _not_allowed(path)
    if isinstance(exc, FileNotFoundError):
        return _not_found(path)
    return LoadError(fill(translate("Loading", '"{file}" cannot be read: {reason}.'),
                           file=path.name, reason=str(exc.strerror or exc)), path=path)


def _read_head(path: Path, size: int = _HEAD_BYTES) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(size)
    except OSError as exc:
        raise _open_error(path, exc) from exc


def _check_supported(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if suffix:
            template = translate(
                "Loading", '"{file}" is a "{suffix}" file. This app reads CSV, TSV and TXT '
                "text files and Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) spreadsheets.")
        else:
            template = translate(
                "Loading", '"{file}" is a file without an extension. This app reads CSV, TSV '
                "and TXT text files and Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) "
                "spreadsheets.")
        raise LoadError(fill(template, file=path.name, suffix=suffix), path=path)
    return suffix


def _check_size(path: Path, size: int) -> None:
    from ingest_gui.core._readers_common import human_size

    if size == 0:
        raise LoadError(fill(translate("Loading", '"{file}" is empty (0 bytes).'),
                              file=path.name), path=path)
    limit = file_size_limit()
    if size > limit:
        raise LoadError(fill(translate(
            "Loading", '"{file}" is {size}, too large to load on this computer (the limit here '
            "is {limit}). Split it into smaller files and import them one by one."),
            file=path.name, size=human_size(size), limit=human_size(limit)), path=path)


def _read_all(path: Path, size: int, steps: _Steps, until: int) -> bytearray:
    """The file's bytes, read in chunks with progress and cancel checks."""
    buffer = bytearray(size)
    filled = 0
    try:
        with path.open("rb") as stream, memoryview(buffer) as view:
            while filled < size:
                count = stream.readinto(view[filled : filled + _READ_CHUNK])
                if not count:
                    break
                filled += count
                steps.report(until * filled // size)
    except OSError as exc:
        raise _open_error(path, exc) from exc
    # A file that shrank while being read: keep (and fingerprint) what was there.
    del buffer[filled:]
    return buffer


class _BackgroundDigest:
    """sha256 of bytes computed on a helper thread while the caller parses them.

    hashlib releases the GIL for large buffers, so the ~0.3 s a 160 MB file costs overlaps
    the parse instead of adding to it. The bytes must not change until :meth:`hexdigest`.
    """

    def __init__(self, data: bytearray) -> None:
        import hashlib
        import threading

        self._digest = hashlib.sha256()
        self._view = memoryview(data).toreadonly()
        self._thread = threading.Thread(target=self._run, name="fingerprint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._view:
            self._digest.update(self._view)

    def hexdigest(self) -> str:
        self._thread.join()
        return self._digest.hexdigest()


def _hash_file(path: Path, steps: _Steps, until: int) -> str:
    import hashlib

    digest = hashlib.sha256()
    size = max(1, _stat_size(path))
    done = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_READ_CHUNK):
                digest.update(chunk)
                done += len(chunk)
                steps.report(until * min(done, size) // size)
    except OSError as exc:
        raise _open_error(path, exc) from exc
    return digest.hexdigest()


# ----------------------------------------------------------------------------------------------
# What is it really?


def _looks_binary(head: bytes) -> bool:
    from ingest_gui.core._readers_text import _looks_like_utf16
    from ingest_gui.core._readers_workbook import _MAGIC_NAMES

    if any(head.startswith(magic) for magic, _ in _MAGIC_NAMES):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(head):
        return False
    return b"\x00" in head


def _looks_like_web_page(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or (
        start.startswith(b"<") and (b"<table" in start or b"<html" in start)
    )


def _route(path: Path, head: bytes, suffix: str) -> tuple[str, list[str]]:
    """("text" | "workbook", notes): decided by the bytes, named by the suffix."""
    from ingest_gui.core._readers_workbook import OLE_MAGIC, ZIP_MAGIC, not_a_workbook_message

    label = _label(path)
    is_workbook_content = head.startswith((*ZIP_MAGIC, OLE_MAGIC))
    if suffix in TEXT_SUFFIXES:
        if is_workbook_content:
            return "workbook", [fill(translate(
                "Loading", '"{file}" is really a spreadsheet workbook despite its {suffix} '
                "name; it was read as one."), file=path.name, suffix=suffix)]
        if _looks_binary(head):
            raise LoadError(not_a_workbook_message(label, head, text_name=True), path=path)
        return "text", []
    if is_workbook_content:
        return "workbook", []
    if _looks_like_web_page(head):
        raise LoadError(fill(translate(
            "Loading", '"{file}" is a web page (HTML) saved with a {suffix} name, not a real '
            "spreadsheet. Open it in Excel and save it as .xlsx or CSV, then load that file."),
            file=path.name, suffix=suffix), path=path)
    if not _looks_binary(head):
        return "text", [fill(translate(
            "Loading", '"{file}" is really a text (CSV) file despite its {suffix} name; it was '
            "read as text."), file=path.name, suffix=suffix)]
    raise LoadError(not_a_workbook_message(label, head), path=path)


def _workbook_suffix(head: bytes, suffix: str) -> str:
    """The suffix the content deserves when a text name hides a workbook."""
    from ingest_gui.core._readers_workbook import OLE_MAGIC

    if suffix in WORKBOOK_SUFFIXES:
        return suffix
    return ".xls" if head.startswith(OLE_MAGIC) else ".xlsx"


# ----------------------------------------------------------------------------------------------
# Public API


def inspect_file(path: Path) -> FileInfo:
    """Detect format, sheets, encoding and delimiter without loading the whole file.

    Raises :class:`LoadError` for the same unreadable files :func:`load_table` refuses.
    """
    try:
        return _inspect(Path(path))
    except LoadError:
        raise
    except Exception as exc:
        raise _could_not_read(Path(path), exc) from exc


def _inspect(path: Path) -> FileInfo:
    from ingest_gui.core import _readers_text as text
    from ingest_gui.core import _readers_workbook as workbook

    suffix = _check_supported(path)
    size = _stat_size(path)
    _check_size(path, size)
    head = _read_head(path)
    route, _notes = _route(path, head, suffix)
    if route == "workbook":
        container = _container(path, head, suffix, background=True)
        try:
            names = workbook.sheet_names(path, container, _label(path))
        finally:
            _settle(path, container)
        return FileInfo(path, container.format, size, sheet_names=names)
    encoding, bom = text.detect_encoding(head, complete=size <= len(head))
    if encoding.startswith("utf-16"):
        sample_text = head[bom : len(head) - (len(head) - bom) % 2].decode(encoding, "replace")
        data = sample_text.removeprefix("\ufeff").encode("utf-8")
        start = 0
    elif encoding in ("utf-8", "utf-8-sig"):
        data, start = head, bom
    else:
        data, start = head.decode(encoding).encode("utf-8"), 0
    sample = text.take_sample(data, start)
    sample.complete = sample.complete and size <= len(head)
    delimiter = text.detect_delimiter(sample, text.delimiter_preference(suffix))
    return FileInfo(path, "csv", size, encoding=encoding, delimiter=delimiter)


def _container(path: Path, head: bytes, suffix: str, *, background: bool) -> _ContainerT:
    """The checked container; with ``background`` its worksheets may still be under check
    (see ``check_container``): wait for it (:func:`_settle`) or join it on every way out."""
    from ingest_gui.core import _readers_workbook as workbook

    try:
        return workbook.check_container(
            path, head, _workbook_suffix(head, suffix), _label(path), MAX_UNCOMPRESSED_BYTES,
            background=background,
        )
    except workbook.WorkbookReadError as exc:
        raise LoadError(str(exc), path=path) from exc
    except OSError as exc:
        raise _open_error(path, exc) from exc


def _settle(path: Path, container: _ContainerT) -> None:
    """Wait for the container's check; what it found wrong becomes the :class:`LoadError`
    (in a ``finally``, it replaces a reader's vaguer complaint about the same file)."""
    from ingest_gui.core import _readers_workbook as workbook

    try:
        container.wait()
    except workbook.WorkbookReadError as exc:
        raise LoadError(str(exc), path=path) from exc
    except OSError as exc:
        raise _open_error(path, exc) from exc


if TYPE_CHECKING:
    from ingest_gui.core._readers_common import Grid
    from ingest_gui.core._readers_text import WorkingText
    from ingest_gui.core._readers_workbook import Container as _ContainerT


def load_table(
    path: Path,
    options: LoadOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> LoadedTable:
    """Load ``path``; raises :class:`LoadError` for anything unreadable, ``Cancelled`` if cancelled.

    ``progress(done, 100)`` reports percent; ``cancel`` is checked between reading chunks and
    between the detection, parsing and tidying steps.
    """
    from ingest_gui.core.heap import settle_long_lived

    path = Path(path)
    try:
        table = _load(path, options or LoadOptions(), _Steps(progress, cancel))
    except (LoadError, Cancelled):
        raise
    except MemoryError as exc:
        raise LoadError(fill(translate(
            "Loading", '"{file}" is too large to load with the memory this computer has free. '
            "Close other programs or split the file into smaller ones."), file=path.name),
            path=path) from exc
    except Exception as exc:
        raise _could_not_read(path, exc) from exc
    # The app, its libraries and the table live through the import: keep them out of the
    # full garbage collections that would otherwise stall every thread (see core.heap).
    settle_long_lived()
    return table


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first if first.endswith(".") else first + "."


def _load(path: Path, options: LoadOptions, steps: _Steps) -> LoadedTable:
    suffix = _check_supported(path)
    if options.header_row is not None and options.header_row < 0:
        raise LoadError(fill(translate(
            "Loading", 'The header row of "{file}" must be a row number (1 or more), or 0 for '
            "a file without column names."), file=path.name), path=path)
    size = _stat_size(path)
    _check_size(path, size)
    steps.report(0)
    head = _read_head(path)
    route, notes = _route(path, head, suffix)
    if route == "workbook":
        return _load_workbook(path, head, suffix, options, steps, notes)
    return _load_text(path, size, suffix, options, steps, notes)


def _load_workbook(
    path: Path, head: bytes, suffix: str, options: LoadOptions, steps: _Steps, notes: list[str]
) -> LoadedTable:
    from ingest_gui.core import _readers_workbook as workbook

    label = _label(path)
    # The worksheets' check runs while the file is hashed and calamine opens the workbook;
    # read_sheet waits for it before reading a sheet.
    container = _container(path, head, suffix, background=True)
    try:
        steps.report(2)
        fingerprint = _hash_file(path, steps, until=10)
        data, names, sheet_notes = workbook.read_sheet(
            path, container, options.sheet, label, steps.check
        )
        steps.report(80)
        grid = workbook.sheet_grid(data, options.header_row, label)
    except workbook.WorkbookReadError as exc:
        raise LoadError(str(exc), path=path) from exc
    finally:
        container.join()  # read_sheet waited for it, unless hashing failed or was cancelled
    steps.report(85)
    return _finish(
        path, grid, steps, format=container.format, fingerprint=fingerprint,
        sheet=data.name, sheet_names=names, notes=[*notes, *sheet_notes],
        header_override=options.header_row is not None,
    )


def _normalise_delimiter(path: Path, delimiter: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    value = named.get(delimiter.strip().lower(), delimiter)
    if len(value) != 1 or value in "\"\r\n":
        raise LoadError(fill(translate(
            "Loading", '"{delimiter}" cannot separate the columns of "{file}"; use a single '
            "character such as , ; | or tab."), delimiter=delimiter, file=path.name), path=path)
    return value


def _load_text(
    path: Path, size: int, suffix: str, options: LoadOptions, steps: _Steps, notes: list[str]
) -> LoadedTable:
    from ingest_gui.core import _readers_text as text

    label = _label(path)
    raw = _read_all(path, size, steps, until=40)
    digest = _BackgroundDigest(raw)
    try:
        working = text.working_text(raw, file_label=label, encoding=options.encoding)
        steps.report(45)
        if options.delimiter:
            delimiter = _normalise_delimiter(path, options.delimiter)
        else:
            delimiter = text.detect_delimiter(
                text.take_sample(working.data, working.start), text.delimiter_preference(suffix)
            )
        try:
            grid = _parse_text(working, delimiter, options, steps, label)
        except text.NotUtf8Error:
            if options.encoding is not None:
                raise LoadError(fill(translate(
                    "Loading", '"{file}" cannot be read as {encoding} text; choose another '
                    "encoding or let the app detect it."), file=path.name,
                    encoding=options.encoding), path=path) from None
            working = text.retry_as_not_utf8(working, label)
            grid = _parse_text(working, delimiter, options, steps, label)
    except text.TextReadError as exc:
        raise LoadError(str(exc), path=path) from exc
    finally:
        fingerprint = digest.hexdigest()  # also on errors: the helper thread never outlives us
    del raw
    steps.report(85)
    return _finish(
        path, grid, steps, format="csv", fingerprint=fingerprint, encoding=working.encoding,
        delimiter=delimiter, notes=[*notes, *working.notes],
        header_override=options.header_row is not None,
    )


def _parse_text(
    working: WorkingText, delimiter: str, options: LoadOptions, steps: _Steps, label: str
) -> Grid:
    from ingest_gui.core import _readers_text as text

    text.cut_report_footer(working, delimiter)
    choice = text.choose_header(working, delimiter, options.header_row, label)
    sample = text.take_sample(working.data, choice.offset)
    records = text.sample_records(sample, delimiter)
    width_hint = max((len(cells) for _, cells in records), default=1)
    steps.report(50)
    grid = text.read_text_grid(working, choice, delimiter, width_hint, steps.check)
    steps.report(80)
    return grid


def _finish(
    path: Path, grid: Grid, steps: _Steps, *, format: str, fingerprint: str,
    header_override: bool, sheet: str | None = None, sheet_names: tuple[str, ...] = (),
    encoding: str | None = None, delimiter: str | None = None, notes: list[str] | None = None,
) -> LoadedTable:
    """Header names, blank rows/columns dropped, row numbers kept: the LoadedTable."""
    import numpy as np

    from ingest_gui.core._readers_common import arrow, arrow_compute, make_unique_names

    pa = arrow()
    pc = arrow_compute()
    all_notes = list(notes or ()) + list(grid.notes)
    table = grid.table
    if table.num_rows == 0 or table.num_columns == 0:
        raise _no_rows(path)
    text_type = pa.large_string()
    columns = [
        column if column.null_count == 0 else pc.fill_null(column, "")
        for column in (
            column if column.type == text_type else column.cast(text_type)
            for column in table.columns
        )
    ]
    row_numbers = np.asarray(grid.row_numbers, dtype=np.int64)
    if grid.has_header:
        header_cells = [str(column[0].as_py()) for column in columns]
        columns = [column.slice(1) for column in columns]
        header_row = int(row_numbers[0])
        row_numbers = row_numbers[1:]
    else:
        header_cells = [""] * len(columns)
        header_row = 0
        if not header_override:
            all_notes.append(translate(
                "Loading", "No row looked like column names, so every row is data and the "
                "columns are called Column A, Column B, ..."))
    indexes = list(grid.column_indexes)

    def is_blank(column: object) -> bool:
        trimmed = pc.utf8_trim_whitespace(column)
        return bool(len(column) == 0 or pc.all(pc.equal(trimmed, "")).as_py())  # type: ignore[arg-type]

    while len(columns) > 1 and not header_cells[-1].strip() and is_blank(columns[-1]):
        columns.pop()
        header_cells.pop()
        indexes.pop()
    steps.report(90)

    if len(row_numbers):
        # Narrow the candidates column by column: real data usually rules every row out after
        # the first column or two, which matters for very wide sheets.
        blank = None
        for column in columns:
            empty = pc.equal(column, "")
            blank = empty if blank is None else pc.and_(blank, empty)
            if not pc.any(blank).as_py():
                break
        if blank is not None and pc.any(blank).as_py():
            keep = pc.invert(blank)
            columns = [pc.filter(column, keep) for column in columns]
            row_numbers = row_numbers[np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)]
    if len(row_numbers) == 0:
        if grid.has_header:
            raise LoadError(fill(translate(
                "Loading", '"{file}" has column names but no rows: there is nothing to import '
                "below row {row}."), file=path.name, row=group_thousands(header_row)),
                path=path, row=header_row)
        raise _no_rows(path)

    names, name_notes = make_unique_names(header_cells, indexes)
    frame = pa.table(columns, names=names).to_pandas()
    steps.report(100)
    return LoadedTable(
        path=path, frame=frame, row_numbers=row_numbers, header_row=header_row,
        original_headers=tuple(header_cells), format=format, fingerprint=fingerprint,
        sheet=sheet, sheet_names=sheet_names, encoding=encoding, delimiter=delimiter,
        notes=tuple(all_notes + name_notes),
    )


def sheet_headers(path: Path) -> dict[str, tuple[str, ...]]:
    """Each worksheet's column names, read from the top of the sheet only: what
    :func:`ingest_gui.core.sources.propose_sheet` needs to propose the sheet that fits an import.

    A sheet whose top rows cannot be read or hold no header row gets ``()``; a text file has no
    sheets (``{}``). Raises :class:`LoadError` for the files :func:`inspect_file` refuses.
    """
    try:
        return _sheet_headers(Path(path))
    except LoadError:
        raise
    except Exception as exc:
        raise _could_not_read(Path(path), exc) from exc


def _sheet_headers(path: Path) -> dict[str, tuple[str, ...]]:
    from ingest_gui.core import _readers_workbook as workbook
    from ingest_gui.core._readers_common import HEADER_SCAN_ROWS, detect_header_index

    suffix = _check_supported(path)
    _check_size(path, _stat_size(path))
    head = _read_head(path)
    route, _notes = _route(path, head, suffix)
    if route != "workbook":
        return {}
    container = _container(path, head, suffix, background=False)
    reader = workbook.open_workbook(path, container)
    found: dict[str, tuple[str, ...]] = {}
    for name in reader.sheet_names:
        try:
            top = reader.load_sheet(name, header_row=None, skip_rows=0, n_rows=HEADER_SCAN_ROWS,
                                    dtypes="string", eager=True)
            columns = [column.to_pylist() for column in top.columns]
            rows = [["" if cell is None else str(cell).strip() for cell in row]
                    for row in zip(*columns, strict=True)]
            index = detect_header_index(rows)
        except Exception:  # an unreadable or blank sheet is simply not proposed
            found[str(name)] = ()
            continue
        found[str(name)] = () if index is None else tuple(cell for cell in rows[index] if cell)
    return found
