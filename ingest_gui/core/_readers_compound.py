"""Whether an OLE2 compound file (an old .xls) is safe to hand to calamine.

calamine trusts the file's own numbers: it reserves memory by a stream's declared size, grows
a sector table to whatever sector number a chain names, and follows each chain until it reads
"end of chain". A damaged .xls whose header or sector table lies therefore made it ask for
gigabytes (a sector past the end of the file), or follow a chain that loops back on itself
for ever, and abort the whole process (both found by fuzzing). This module walks the same
chains calamine will walk, with the file's real size as the bound, before calamine sees it.
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path

_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_SPECIAL = 0xFFFFFFFA  # this and above: end of chain, free, reserved markers
_HEADER_SIZE = 512
_MINI_SECTOR = 64
_MINI_STREAM_CUTOFF = 4096  # smaller streams live in the mini stream
_DIRECTORY_ENTRY = 128
_STREAM_ENTRY = 2


class _Unsound(Exception):
    """The file names something it does not hold."""


def compound_file_is_sound(path: Path) -> bool:
    """Whether every chain calamine follows in ``path`` ends inside the file, without loops,
    and every size it reserves memory by fits in the file."""
    with path.open("rb") as handle:
        if len(handle.read(_HEADER_SIZE)) < _HEADER_SIZE:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            try:
                _check(data)
            except _Unsound:
                return False
    return True


def _words(data: bytes | mmap.mmap, start: int, end: int) -> tuple[int, ...]:
    end = min(end, len(data))
    count = max(0, (end - start) // 4)
    return struct.unpack_from(f"<{count}I", data, start) if count else ()


def _check(data: mmap.mmap) -> None:
    size = len(data)

    def word(offset: int) -> int:
        return int(struct.unpack_from("<I", data, offset)[0])

    shift = int.from_bytes(data[30:32], "little")
    if not 7 <= shift <= 16:
        raise _Unsound
    sector = 1 << shift
    first = max(_HEADER_SIZE, sector)  # where sector 0 starts
    available = max(0, -(-(size - first) // sector))

    def sector_words(number: int) -> tuple[int, ...]:
        start = first + number * sector
        return _words(data, start, start + sector)

    if any(count > available for count in (word(40), word(44), word(64), word(72))):
        raise _Unsound  # directory, FAT, mini FAT and DIFAT sector counts

    # The sector table (FAT): the header lists its first sectors, the DIFAT chain the rest.
    fat_sectors = list(_words(data, 76, _HEADER_SIZE))
    difat, seen = word(68), set()
    while difat not in (_FREE, _END_OF_CHAIN):
        if difat >= available or difat in seen:
            raise _Unsound
        seen.add(difat)
        *listed, difat = sector_words(difat) or (_END_OF_CHAIN,)
        fat_sectors.extend(listed)
    fat: list[int] = []
    for number in fat_sectors:
        if number == _FREE:
            continue
        if number >= available:
            raise _Unsound
        fat.extend(sector_words(number))

    def chain(start: int, table: list[int] | tuple[int, ...], limit: int) -> list[int]:
        """The sector numbers of the chain from ``start``, as calamine reads them: refused
        when it loops, or names a sector at or past ``limit`` (calamine would grow its buffer
        to that sector). A chain leaving ``table`` ends here (calamine stops with an error)."""
        numbers: list[int] = []
        seen: set[int] = set()
        number = start
        while number != _END_OF_CHAIN:
            if number >= limit or number in seen:
                raise _Unsound
            seen.add(number)
            numbers.append(number)
            if number >= len(table):
                break
            number = table[number]
        return numbers

    directory = b"".join(
        data[first + number * sector:first + (number + 1) * sector]
        for number in chain(word(48), fat, available))
    entries = [directory[at:at + _DIRECTORY_ENTRY]
               for at in range(0, len(directory) - _DIRECTORY_ENTRY + 1, _DIRECTORY_ENTRY)]
    if not entries:
        raise _Unsound

    def start_and_size(entry: bytes) -> tuple[int, int]:
        width = "<I" if sector == 512 else "<Q"
        return (int.from_bytes(entry[116:120], "little"),
                int(struct.unpack_from(width, entry, 120)[0]))

    # calamine walks the directory's, the mini stream's and the mini FAT's chains whatever
    # they say, then those of the streams it reads (here: every stream; small ones live in
    # the mini stream, in sectors of 64 bytes).
    root_start, root_size = start_and_size(entries[0])
    if root_size > size:
        raise _Unsound
    chain(root_start, fat, available)
    mini_fat: list[int] = []
    for number in chain(word(60), fat, available):
        mini_fat.extend(sector_words(number))
    mini_limit = -(-size // _MINI_SECTOR)  # what a buffer of mini sectors may grow to
    for entry in entries[1:]:
        if entry[66] != _STREAM_ENTRY:
            continue
        start, stream_size = start_and_size(entry)
        if stream_size > size:
            raise _Unsound
        if stream_size < _MINI_STREAM_CUTOFF:
            chain(start, mini_fat, mini_limit)
        else:
            chain(start, fat, available)
