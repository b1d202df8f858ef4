"""Phone numbers -> E.164, with the row's country for numbers without an international prefix.

phonenumbers is the reference: it reads what :mod:`.phones_fast` cannot settle exactly, once
per distinct (country, number), on both cores for large inputs.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import Scatter, as_array, present_mask, true_mask
from ingest_gui.core.cleaning.base import (
    Cleaned,
    Failure,
    blank_to_null,
    first_value,
    value_template,
)
from ingest_gui.core.cleaning.phones_fast import phone_digits, settle_by_metadata
from ingest_gui.core.cleaning.text import shortened_by_excel
from ingest_gui.texts import QT_TRANSLATE_NOOP

#: Distinct phone numbers needing phonenumbers above which the work is spread over processes.
PARALLEL_PHONE_THRESHOLD = 40_000


def clean_phone(values: pa.Array, *, regions: pa.Array | str | None) -> Cleaned:
    """Phones -> E.164. ``regions``: ISO country per row (or one for all) for numbers without
    an international prefix; ``+`` or ``00`` numbers carry their own.
    """
    array = as_array(values)
    count = len(array)
    present = present_mask(array)
    digits, shape_ok, international = phone_digits(array, present)
    if regions is None or isinstance(regions, str):
        region_array = pa.array(np.full(count, (regions or "").upper(), dtype=object),
                                type=pa.string())
    else:
        region_array = pc.fill_null(pc.utf8_upper(as_array(regions)), "")
    no_region = present & shape_ok & ~international & true_mask(pc.equal(region_array, ""))
    candidates = present & shape_ok & ~no_region
    out = Scatter(count)
    decided = np.zeros(count, dtype=bool)

    # Fast, exact path: numbers phonenumbers would read verbatim, checked with its own patterns.
    settle_by_metadata(digits, region_array, international, candidates, out, decided)

    # Everything else: phonenumbers, once per distinct (region, number).
    rest = np.flatnonzero(candidates & ~decided)
    if len(rest):
        rest_digits = digits.take(pa.array(rest))
        rest_regions = pc.if_else(pa.array(international[rest]), "",
                                  region_array.take(pa.array(rest)))
        keys = pc.binary_join_element_wise(rest_regions, rest_digits, "|")
        encoded = pc.dictionary_encode(keys)
        distinct = encoded.dictionary.to_pylist()
        formatted = pa.array(_format_many(distinct), type=pa.string())
        out.put(rest, formatted.take(encoded.indices))
    result = out.gather()
    valid = present_mask(result)
    shortened = shortened_by_excel(array)
    failures = [
        Failure("invalid_phone", present & ~valid & ~no_region & ~shortened.mask,
                value_template(QT_TRANSLATE_NOOP("Validation", '"{value}" is not a phone number'))),
        Failure("phone_without_country", no_region,
                value_template(QT_TRANSLATE_NOOP(
                    "Validation",
                    '"{value}" has no international prefix (+…) and no country is known for '
                    'it'))),
        shortened,
    ]
    return Cleaned(result, failures)


def format_phone(key: str) -> str | None:
    """E.164 for ``"REGION|digits"`` (``"|+digits"`` for international), ``None`` if invalid."""
    region, _, number = key.partition("|")
    try:
        parsed = phonenumbers.parse(number, region or None)
        if phonenumbers.is_valid_number(parsed):
            return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    except phonenumbers.NumberParseException:
        pass
    # Excel often drops the "+" of an international number typed as a number: 34612345678.
    if region and not number.startswith("+") and len(number) >= 10:
        return format_phone("|+" + number)
    return None


def format_phones(keys: list[str]) -> list[str | None]:
    return [format_phone(key) for key in keys]


def _format_many(keys: list[str]) -> list[str | None]:
    workers = min(2, os.cpu_count() or 1)
    # A frozen app can spawn these workers because its entry point calls freeze_support().
    if len(keys) < PARALLEL_PHONE_THRESHOLD or workers < 2:
        return format_phones(keys)
    # "spawn" everywhere: forking a process that runs Arrow/Qt threads can deadlock.
    context = multiprocessing.get_context("spawn")
    size = max(1, -(-len(keys) // (workers * 4)))
    chunks = [keys[start:start + size] for start in range(0, len(keys), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(format_phones, chunks))
    except (OSError, RuntimeError, BrokenProcessPool):
        # No usable worker processes (a sandboxed OS, a process limit): slower, same answer.
        return format_phones(keys)
    return [value for chunk in results for value in chunk]


def clean_phone_value(text: str, region: str | None = None) -> str | None:
    return first_value(clean_phone(blank_to_null([text]), regions=region))
