"""What every cleaner shares: its result (:class:`Cleaned`), failure messages, and cleaning
each distinct value once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import as_array
from ingest_gui.texts import fill, template_pieces, translate_marked

#: Missing marker inside ``Cleaned.epoch_ms``.
NO_TIME = np.iinfo(np.int64).min

Template = tuple[str, str]
"""A message around the offending value: ``before + value + after``, in the user's language."""

#: Marks the offending value's place while a sentence is split around it.
_VALUE_MARK = "\x00"


def value_template(sentence: str, **arguments: str) -> Template:
    """``sentence`` (English, marked with ``QT_TRANSLATE_NOOP`` under "Validation") translated,
    its named placeholders filled, split around ``{value}``. Once per cleaner call, never per row;
    a translation that lost or broke a placeholder falls back to the English sentence."""
    known = {"value", *arguments}
    for text in (translate_marked("Validation", sentence), sentence):
        if any(name not in known for _literal, name in template_pieces(text) if name):
            continue
        before, mark, after = fill(text, value=_VALUE_MARK, **arguments).partition(_VALUE_MARK)
        if mark:
            return before, after
    raise ValueError(f"the message {sentence!r} has no {{value}} placeholder")


@dataclass(slots=True)
class Failure:
    kind: str
    mask: np.ndarray
    template: Template


@dataclass(slots=True)
class Cleaned:
    """What a cleaner made of a column (or of the distinct values of one)."""

    values: pa.Array
    failures: list[Failure] = field(default_factory=list)
    #: Datetimes and event dates: UTC milliseconds since the epoch, ``NO_TIME`` where missing.
    epoch_ms: np.ndarray | None = None
    #: Dates: True where day-first and month-first read differently.
    ambiguous: np.ndarray | None = None
    #: Dates read with DateOrder.AUTO: "day_first" or "month_first".
    detected_order: str | None = None

    @property
    def invalid(self) -> np.ndarray:
        mask = np.zeros(len(self.values), dtype=bool)
        for failure in self.failures:
            mask |= failure.mask
        return mask

    def take(self, indices: np.ndarray) -> Cleaned:
        return Cleaned(
            values=self.values.take(pa.array(indices)),
            failures=[Failure(f.kind, f.mask[indices], f.template) for f in self.failures],
            epoch_ms=None if self.epoch_ms is None else self.epoch_ms[indices],
            ambiguous=None if self.ambiguous is None else self.ambiguous[indices],
            detected_order=self.detected_order,
        )


def blank_to_null(values: pa.Array, *, trim: bool = True) -> pa.Array:
    """Trim (if asked) and turn empty strings into nulls."""
    array = as_array(values)
    if trim:
        array = pc.utf8_trim_whitespace(array)
    empty = pc.equal(array, "")
    if not pc.any(empty).as_py():
        return array
    return pc.if_else(empty, pa.scalar(None, array.type), array)


#: Below this share of distinct values (in a sample), cleaners work on distinct values.
LOW_DISTINCT_SHARE = 0.5
#: Above it, encoding the distinct values costs more than it saves.
HIGH_DISTINCT_SHARE = 0.9


def distinct_share(values: pa.Array, sample: int = 20_000) -> float:
    """Cheap guess of the share of distinct values (0 for short columns: always worth it)."""
    if len(values) <= sample:
        return 0.0
    step = max(1, len(values) // sample)
    head = values.slice(0, step * sample)
    probe = pc.take(head, pa.array(np.arange(0, len(head), step)))
    return len(pc.unique(probe)) / len(probe)


def distinct_cardinality_is_low(values: pa.Array, sample: int = 20_000) -> bool:
    """Cheap guess whether working on distinct values pays off."""
    return distinct_share(values, sample) < LOW_DISTINCT_SHARE


def by_distinct(values: pa.Array, cleaner: Callable[[pa.Array], Cleaned]) -> Cleaned:
    """Run ``cleaner`` once per distinct value and spread the result back over the rows."""
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    cleaned = cleaner(encoded.dictionary)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return cleaned.take(indices)


def lookup_distinct(values: pa.Array, lookup: Callable[[str], str | None],
                    failure: Failure | None) -> Cleaned:
    """Clean with a Python function applied to each distinct value (small vocabularies)."""

    def clean(distinct: pa.Array) -> Cleaned:
        texts = distinct.to_pylist()
        out = [None if text is None else lookup(text) for text in texts]
        bad = np.array([t is not None and o is None for t, o in zip(texts, out, strict=True)],
                       dtype=bool)
        failures = [] if failure is None else [Failure(failure.kind, bad, failure.template)]
        return Cleaned(pa.array(out, type=pa.string()), failures)

    return by_distinct(values, clean)


def first_value(cleaned: Cleaned) -> str | None:
    """The value a cleaner made of a one-row column."""
    value = cleaned.values[0].as_py()
    return None if value is None else str(value)
