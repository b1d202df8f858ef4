"""Free text and identifiers, and what spreadsheet programs leave in text: the ``'`` that keeps a
value as text, and long numbers Excel shortened to scientific notation."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import as_array, holds_byte, null_where, present_mask, true_mask
from ingest_gui.core.cleaning.base import Cleaned, Failure, value_template
from ingest_gui.core.cleaning.emails import lowercase_addresses
from ingest_gui.texts import QT_TRANSLATE_NOOP, group_thousands


def clean_text(values: pa.Array, *, max_length: int | None = None) -> Cleaned:
    array = as_array(values)
    failures = []
    if max_length is not None:
        too_long = true_mask(pc.greater(pc.utf8_length(array), max_length))
        if too_long.any():
            failures.append(Failure("too_long", too_long,
                                    value_template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is longer than {limit} characters'),
                                        limit=group_thousands(max_length))))
            array = null_where(array, too_long)
    return Cleaned(array, failures)


# A number, phone or code (id, postal code): a digit, perhaps after a sign or "(", then digits
# and what phones are written with.
_CODE = r"[+\-(]?[0-9][0-9 ()\-./]*"


def strip_text_markers(values: pa.Array) -> pa.Array:
    """``values`` without the leading ``'`` that spreadsheet exports write to keep a value as
    text (Shopify's ids, phones and postal codes, WooCommerce's escaping of ``+34…``).

    Removed only where the column shows the pattern: every value starting with ``'`` is a
    number, phone or code after it, and so are most of the column's values, marked or not
    (Shopify marks only the postal codes that start with a zero). Elsewhere the apostrophe is
    content and stays (``O'Connor``, ``'Tis``, a note that quotes ``'99``).
    """
    array = as_array(values)
    if not holds_byte(array, ord("'")):
        return array
    marked = true_mask(pc.starts_with(array, "'"))
    if not marked.any():
        return array
    marked_codes = true_mask(pc.match_substring_regex(array, f"^'{_CODE}$"))
    if (marked & ~marked_codes).any():
        return array
    codes = marked_codes | true_mask(pc.match_substring_regex(array, f"^{_CODE}$"))
    if int(codes.sum()) * 2 <= int(present_mask(array).sum()):
        return array
    return pc.if_else(pa.array(marked), pc.utf8_slice_codeunits(array, 1), array)


# What Excel shows for a long number it holds as a number ("7.02255E+12", "7,02255E+12" with
# a decimal comma): saved so, the digits past the sixth are gone.
_SCIENTIFIC = r"^[+-]?[0-9](?:[.,][0-9]+)?[Ee]\+[0-9]+$"


def shortened_by_excel(values: pa.Array) -> Failure:
    """The values of an id or phone column that Excel shortened to scientific notation."""
    array = as_array(values)
    lost = true_mask(pc.match_substring_regex(array, _SCIENTIFIC)) \
        if holds_byte(array, ord("+")) else np.zeros(len(array), dtype=bool)
    return Failure("shortened_by_excel", lost, value_template(QT_TRANSLATE_NOOP(
        "Validation", '"{value}" was shortened by Excel and its digits are lost; export the '
        "file again and import it without opening it in Excel")))


def clean_identifier(values: pa.Array, *, max_length: int | None = None,
                     lowercase_emails: bool = False) -> Cleaned:
    """Ids (``_user_id``, ``_event_id``): text, refused where Excel shortened them.

    ``lowercase_emails``: ids that are e-mail addresses (a mailing list's contact id) are
    lower-cased as the e-mail attribute is, so that one person is one contact.
    """
    array = as_array(values)
    if lowercase_emails:
        array = lowercase_addresses(array)
    lost = shortened_by_excel(array)
    cleaned = clean_text(null_where(array, lost.mask), max_length=max_length)
    cleaned.failures.append(lost)
    return cleaned

