"""Small Arrow helpers shared by the core: string arrays, boolean masks, bytes, scattering.

Cleaning and validation both work on pyarrow string arrays and numpy masks; these are the few
conversions between them, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def as_array(values: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> pa.Array:
    """A contiguous pyarrow string array."""
    if isinstance(values, pa.ChunkedArray):
        array = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    elif isinstance(values, pa.Array):
        array = values
    else:
        array = pa.array(list(values), type=pa.string())
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not pa.types.is_string(array.type):
        # One string type everywhere: kernels joining two arrays refuse mixed string types.
        array = array.cast(pa.string())
    return array


def true_mask(boolean: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean result as numpy, nulls counting as False."""
    return np.asarray(pc.fill_null(boolean, False).to_numpy(zero_copy_only=False), dtype=bool)


def present_mask(values: pa.Array) -> np.ndarray:
    """True where ``values`` is not null."""
    return true_mask(pc.is_valid(values))


def null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """``values`` with the rows of ``mask`` made null."""
    if not mask.any():
        return values
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


class StringBytes:
    """The offsets and UTF-8 bytes behind a string array, as numpy (the bytes not copied).

    Row ``i`` is ``data[offsets[i]:offsets[i + 1]]``; byte tests over these (first and last
    bytes, fixed layouts) replace regex passes over whole columns.
    """

    def __init__(self, array: pa.Array) -> None:
        _validity, offsets, data = array.buffers()
        self.offsets = np.frombuffer(offsets, dtype=np.int32, count=len(array) + 1,
                                     offset=array.offset * 4).astype(np.int64)
        self.data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size \
            else np.zeros(1, dtype=np.uint8)
        self.starts = self.offsets[:-1]
        self.lengths = np.diff(self.offsets)

    def head(self, rows: np.ndarray, width: int) -> np.ndarray:
        """The first ``width`` bytes of each of ``rows`` (each at least that long)."""
        matrix: np.ndarray = self.data[self.starts[rows][:, None] + np.arange(width)]
        return matrix

    def rows_of_width(self, width: int, present: np.ndarray,
                      filled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows of the present values exactly ``width`` bytes long, their bytes as a
        rows x width matrix); ``filled`` marks the non-empty values."""
        in_width = present & (self.lengths == width)
        rows = np.flatnonzero(in_width)
        if len(rows) and np.array_equal(in_width, filled):
            # Every non-empty value has this width: the bytes are one (rows x width) block.
            block: np.ndarray = self.data[self.offsets[0]:self.offsets[-1]].reshape(
                len(rows), width)
            return rows, block
        return rows, self.head(rows, width)


def holds_byte(array: pa.Array, byte: int) -> bool:
    """Whether any value of a string array holds ``byte``: one pass over its data, a cheap gate
    before a regex over the whole column (bytes behind null slots count too)."""
    _validity, offsets, data = array.buffers()
    if data is None or len(array) == 0:
        return False
    bounds = np.frombuffer(offsets, dtype=np.int32, count=len(array) + 1,
                           offset=array.offset * 4)
    # A byte search (memchr) over a copy is several times faster than a numpy comparison.
    held = memoryview(data)[int(bounds[0]):int(bounds[-1])].tobytes()
    return held.find(bytes((byte,))) >= 0


class Scatter:
    """Values written at row positions piece by piece, gathered into one array at the end."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.rows: list[np.ndarray] = []
        self.values: list[pa.Array] = []

    def put(self, rows: np.ndarray, values: pa.Array) -> None:
        if len(rows):
            self.rows.append(np.asarray(rows, dtype=np.int64))
            self.values.append(values.cast(pa.string()))

    def gather(self) -> pa.Array:
        if not self.rows:
            return pa.nulls(self.count, pa.string())
        rows = np.concatenate(self.rows)
        values = pa.concat_arrays([*self.values, pa.nulls(1, pa.string())])
        source = np.full(self.count, len(rows), dtype=np.int64)  # the trailing null
        source[rows] = np.arange(len(rows))
        return values.take(pa.array(source))
