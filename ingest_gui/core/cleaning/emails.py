"""E-mail addresses: lower-cased (unless asked not to) and checked for a usable shape."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import (
    StringBytes,
    as_array,
    holds_byte,
    null_where,
    present_mask,
    true_mask,
)
from ingest_gui.core.cleaning.base import Cleaned, Failure, value_template
from ingest_gui.texts import QT_TRANSLATE_NOOP

# Deliberately permissive local part (what mail systems accept), strict domain with a TLD.
_EMAIL_RE = r"^[^@\s\"(),:;<>\[\]\\.]+(?:\.[^@\s\"(),:;<>\[\]\\.]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$"  # noqa: E501


def _lower(array: pa.Array) -> pa.Array:
    # ASCII text (nearly every address) lower-cases the same, several times faster.
    ascii_only = int(StringBytes(array).data.max(initial=0)) < 0x80
    return pc.ascii_lower(array) if ascii_only else pc.utf8_lower(array)


def clean_email(values: pa.Array, *, lowercase: bool = True) -> Cleaned:
    array = as_array(values)
    if lowercase:
        array = _lower(array)
    # No doubled dot, no dot next to the @: mail servers reject those.
    bad = present_mask(array) & ~true_mask(pc.match_substring_regex(array, _EMAIL_RE))
    return Cleaned(null_where(array, bad),
                   [Failure("invalid_email", bad, value_template(QT_TRANSLATE_NOOP(
                       "Validation", '"{value}" is not an e-mail address')))])


def lowercase_addresses(values: pa.Array) -> pa.Array:
    """The e-mail addresses among ``values`` lower-cased as :func:`clean_email` does; the other
    values unchanged. Value by value, so that re-checking a few edited rows reads them as the
    whole column did."""
    array = as_array(values)
    if not holds_byte(array, ord("@")):
        return array
    lowered = _lower(array)
    # Only values that lower-casing changes need the address check (most are lower-case).
    changed = np.flatnonzero(true_mask(pc.not_equal(lowered, array)))
    if len(changed) == 0:
        return array
    addresses = np.zeros(len(array), dtype=bool)
    addresses[changed] = true_mask(pc.match_substring_regex(
        lowered.take(pa.array(changed)), _EMAIL_RE))
    return pc.if_else(pa.array(addresses), lowered, array)
