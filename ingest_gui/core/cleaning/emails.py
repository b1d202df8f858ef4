"""E-mail addresses: lower-cased (unless asked not to) and checked for a usable shape."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import StringBytes, as_array, null_where, present_mask, true_mask
from ingest_gui.core.cleaning.base import Cleaned, Failure, value_template
from ingest_gui.texts import QT_TRANSLATE_NOOP

# Deliberately permissive local part (what mail systems accept), strict domain with a TLD.
_EMAIL_RE = r"^[^@\s\"(),:;<>\[\]\\.]+(?:\.[^@\s\"(),:;<>\[\]\\.]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$"  # noqa: E501


def clean_email(values: pa.Array, *, lowercase: bool = True) -> Cleaned:
    array = as_array(values)
    if lowercase:
        # ASCII text (nearly every address) lower-cases the same, several times faster.
        ascii_only = int(StringBytes(array).data.max(initial=0)) < 0x80
        array = pc.ascii_lower(array) if ascii_only else pc.utf8_lower(array)
    # No doubled dot, no dot next to the @: mail servers reject those.
    bad = present_mask(array) & ~true_mask(pc.match_substring_regex(array, _EMAIL_RE))
    return Cleaned(null_where(array, bad),
                   [Failure("invalid_email", bad, value_template(QT_TRANSLATE_NOOP(
                       "Validation", '"{value}" is not an e-mail address')))])
