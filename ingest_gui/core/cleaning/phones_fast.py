"""Phones read without calling phonenumbers per number: separators dropped from the bytes, and
numbers phonenumbers would read verbatim checked with its own metadata's patterns.

The reference is phonenumbers itself (:func:`.phones.format_phone`); tests compare them number
by number (tests/core/test_cleaning_fast_paths.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from ingest_gui.core.arrow import Scatter, StringBytes, true_mask

#: What people type between the digits of a phone number (RE2's ``\s`` is ``[\t\n\f\r ]``),
#: as ASCII bytes and as the UTF-8 runs of U+00A0 and U+202F (in valid UTF-8 those runs are
#: only ever those characters).
_PHONE_SEPARATOR_BYTE = np.zeros(256, dtype=bool)
_PHONE_SEPARATOR_BYTE[list(b"\t\n\f\r ()-./")] = True
_PHONE_SEPARATOR_RUNS = (b"\xc2\xa0", b"\xe2\x80\xaf")


def _kept_per_row(keep: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many kept bytes each row ``data[starts[i]:ends[i]]`` has."""
    before = np.zeros(len(keep) + 1, dtype=np.int32 if len(keep) < 2**31 else np.int64)
    np.cumsum(keep, out=before[1:])
    kept: np.ndarray = before[ends].astype(np.int64) - before[starts]
    return kept


def phone_digits(array: pa.Array, present: np.ndarray,
                  ) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Phones without separators and with "00" read as "+"; where they have the shape of a
    number (``^\\+?[0-9]{3,17}$``); where they start with "+".

    Byte tests and one compaction over the column's bytes, what regex replaces and matches
    did at several times the cost.
    """
    count = len(array)
    view = StringBytes(array)
    base = int(view.offsets[0])
    data = view.data[base:int(view.offsets[-1])]
    starts, ends = view.offsets[:-1] - base, view.offsets[1:] - base
    remove = _PHONE_SEPARATOR_BYTE[data]
    if len(data) and int(data.max()) >= 0x80:
        for run in _PHONE_SEPARATOR_RUNS:
            at = np.flatnonzero(data[:max(0, len(data) - len(run) + 1)] == run[0])
            for i in range(1, len(run)):
                at = at[data[at + i] == run[i]]
            for i in range(len(run)):
                remove[at + i] = True
    if (view.lengths[~present] > 0).any():  # bytes behind null slots: dropped
        remove |= np.repeat(~present, view.lengths)
    keep = ~remove
    lengths = _kept_per_row(keep, starts, ends)
    digits = data[keep]
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    heads = offsets[:-1]
    # "00" -> "+": the second zero becomes the "+", the first is dropped.
    long_enough = np.flatnonzero(lengths >= 2)
    double_zero = long_enough[(digits[heads[long_enough]] == ord("0"))
                              & (digits[heads[long_enough] + 1] == ord("0"))]
    if len(double_zero):
        digits[heads[double_zero] + 1] = ord("+")
        keep = np.ones(len(digits), dtype=bool)
        keep[heads[double_zero]] = False
        digits = digits[keep]
        lengths[double_zero] -= 1
        np.cumsum(lengths, out=offsets[1:])
        heads = offsets[:-1]
    filled = np.flatnonzero(lengths > 0)
    international = np.zeros(count, dtype=bool)
    international[filled[digits[heads[filled]] == ord("+")]] = True
    is_digit = (digits >= ord("0")) & (digits <= ord("9"))
    body = lengths - international
    shape_ok = present & (_kept_per_row(is_digit, heads, offsets[1:]) == body) & \
        (body >= 3) & (body <= 17)
    bitmap = pa.py_buffer(np.packbits(present, bitorder="little")) \
        if array.null_count else None
    result = pa.Array.from_buffers(pa.string(), count, [
        bitmap, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(digits.tobytes())],
        null_count=count - int(present.sum()))
    return result, shape_ok, international & present


@dataclass(frozen=True, slots=True)
class _RegionRules:
    """phonenumbers' own metadata for one region, in a form pyarrow's RE2 can run."""

    region: str
    country_code: str
    #: Patterns phonenumbers strips from the start of a number (``national_prefix_for_parsing``,
    #: ``international_prefix``): numbers starting so are left to phonenumbers.
    national_prefix: str | None
    international_prefix: str | None
    #: Regions sharing a calling code with leading-digit rules (Jersey in +44, ...).
    leading_digits: str | None
    #: (possible lengths, full-match pattern) of the general description and of every type.
    general: tuple[tuple[int, ...], str]
    types: tuple[tuple[tuple[int, ...], str], ...]
    #: Lengths the general description marks "possible locally only".
    local_lengths: tuple[int, ...] = ()
    #: ``national_prefix`` as literal alternatives in order ("0|180020"), when it is that
    #: simple and has no transform rule: the fast path can then strip it as phonenumbers does.
    prefix_literals: tuple[str, ...] | None = None


@cache
def _rules_for(region: str) -> _RegionRules | None:
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.country_code is None:
        return None

    def desc(number_desc: Any) -> tuple[tuple[int, ...], str] | None:
        if number_desc is None or number_desc.national_number_pattern is None:
            return None
        return (tuple(number_desc.possible_length or ()), number_desc.national_number_pattern)

    general = desc(metadata.general_desc)
    if general is None:
        return None
    # The order of phonenumbers' _number_type_helper; any match means "not UNKNOWN".
    type_descs = [
        metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
        metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail,
        metadata.fixed_line, metadata.mobile,
    ]
    types = tuple(d for d in (desc(x) for x in type_descs) if d is not None)
    prefix = metadata.national_prefix_for_parsing or None
    literals = None
    if prefix is not None and not metadata.national_prefix_transform_rule and \
            re.fullmatch(r"\d+(?:\|\d+)*", prefix):
        literals = tuple(prefix.split("|"))
    return _RegionRules(region, str(metadata.country_code), prefix,
                        metadata.international_prefix or None, metadata.leading_digits or None,
                        general, types,
                        tuple(getattr(metadata.general_desc, "possible_length_local_only", None)
                              or ()), literals)


@cache
def _code_rules(country_code: str) -> tuple[_RegionRules, ...] | None:
    """Rules of every region of a calling code, in phonenumbers' order; ``None`` if unusable."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(int(country_code), ())
    rules = tuple(_rules_for(region) for region in regions)
    if not rules or any(rule is None for rule in rules):
        return None  # non-geographic codes ("001") and gaps: leave to phonenumbers
    return tuple(rule for rule in rules if rule is not None)


def _type_known(national: pa.Array, rules: _RegionRules) -> np.ndarray:
    """``_number_type_helper(...) != UNKNOWN`` for national significant numbers."""
    lengths = np.asarray(pc.utf8_length(national).to_numpy(zero_copy_only=False))

    def matching(descs: Sequence[tuple[tuple[int, ...], str]]) -> np.ndarray:
        # One alternation per set of possible lengths: a regex pass costs more than the rest.
        by_lengths: dict[tuple[int, ...], list[str]] = {}
        for possible, pattern in descs:
            key = () if -1 in possible else possible
            by_lengths.setdefault(key, []).append(pattern)
        hit = np.zeros(len(national), dtype=bool)
        for possible, patterns in by_lengths.items():
            regex = "^(?:" + "|".join(f"(?:{pattern})" for pattern in patterns) + ")$"
            ok = true_mask(pc.match_substring_regex(national, regex))
            if possible:
                ok &= np.isin(lengths, possible)
            hit |= ok
        return hit

    known: np.ndarray = matching([rules.general]) & matching(rules.types)
    return known


def _valid_in_code(national: pa.Array, code_rules: Sequence[_RegionRules]) -> np.ndarray:
    """``is_valid_number`` for national numbers of one calling code, read verbatim.

    Mirrors phonenumbers: the number belongs to the first region of the code whose leading
    digits match it (regions with such rules) or whose patterns know it (the others), and it
    is valid when that region's patterns know it. Raises ``pa.ArrowInvalid`` when RE2 cannot
    run one of the patterns.
    """
    valid = np.zeros(len(national), dtype=bool)
    open_rows = np.arange(len(national))
    for rules in code_rules:
        if len(open_rows) == 0:
            break
        numbers = national.take(pa.array(open_rows))
        if rules.leading_digits is not None:
            claimed = true_mask(pc.match_substring_regex(numbers, f"^(?:{rules.leading_digits})"))
            valid[open_rows[claimed]] = _type_known(numbers.filter(pa.array(claimed)), rules)
        else:
            claimed = _type_known(numbers, rules)
            valid[open_rows[claimed]] = True
        open_rows = open_rows[~claimed]
    return valid


#: Regions (or calling codes) with fewer candidate rows than this go straight to phonenumbers.
_FAST_PATH_MIN_ROWS = 200
#: National numbers at least this long that are invalid are retried with a "+" (Excel drops it).
_RETRY_INTERNATIONAL_MIN_DIGITS = 10


def _starts_with_any(numbers: pa.Array, patterns: Sequence[str | None]) -> np.ndarray:
    alternatives = [f"(?:{pattern})" for pattern in patterns if pattern]
    if not alternatives:
        return np.zeros(len(numbers), dtype=bool)
    return true_mask(pc.match_substring_regex(numbers, "^(?:" + "|".join(alternatives) + ")"))


def _full_match(numbers: pa.Array, pattern: str) -> np.ndarray:
    """phonenumbers' ``_match_national_number``: the pattern matches the whole number."""
    return true_mask(pc.match_substring_regex(numbers, f"^(?:{pattern})$"))


def _length_kept(lengths: np.ndarray, rules: _RegionRules) -> np.ndarray:
    """``_test_number_length`` (general description) is not TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY
    or INVALID_LENGTH: what ``parse`` asks before keeping a number with its prefix stripped."""
    possible = rules.general[0]
    minimum, maximum = possible[0], possible[-1]
    kept = (lengths == minimum) | (lengths > minimum) & (
        (lengths > maximum) | np.isin(lengths, possible[1:]))
    kept &= ~np.isin(lengths, rules.local_lengths)
    return np.asarray(kept, dtype=bool)


def _national_significant(numbers: pa.Array, rules: _RegionRules,
                          code_rules: Sequence[_RegionRules]) -> tuple[pa.Array, np.ndarray]:
    """What ``phonenumbers.parse(number, region)`` keeps as the national significant number of
    national numbers (digits, no "+"), and where this mirror of it is exact.

    As ``parse`` does: a number starting with the region's calling code ("34612345678") loses
    it when the rest is a better number; then a national prefix ("07…" in GB) is stripped when
    what is left still looks like a number of the region. Numbers starting with an
    international prefix, and prefixes this mirror cannot strip exactly (patterns with carrier
    codes or transform rules, a calling code shared with another main region) are not readable.
    """
    count = len(numbers)
    if not rules.general[0]:
        return numbers, np.zeros(count, dtype=bool)
    lengths = np.asarray(pc.utf8_length(numbers).to_numpy(zero_copy_only=False), dtype=np.int64)
    general = rules.general[1]
    readable = ~_starts_with_any(numbers, (rules.international_prefix,))
    national = numbers
    taken = np.zeros(count, dtype=bool)  # the national number is decided

    # 1. The region's own calling code without "+" (_maybe_extract_country_code).
    code = rules.country_code
    with_code = readable & true_mask(pc.starts_with(numbers, code))
    if with_code.any():
        if code_rules[0].region != rules.region:
            readable &= ~with_code  # parse would switch to the code's main region
        else:
            rest = pc.utf8_slice_codeunits(numbers, len(code))
            # The rest must not start with a national prefix (parse would strip it too).
            plain_rest = ~_starts_with_any(rest, (rules.national_prefix,))
            readable &= ~(with_code & ~plain_rest)
            whole_fits = _full_match(numbers, general)
            rest_fits = _full_match(rest, general)
            possible = rules.general[0]
            too_long = (lengths > possible[-1]) & ~np.isin(lengths, rules.local_lengths)
            extract = with_code & plain_rest & ((~whole_fits & rest_fits) | too_long)
            # phonenumbers refuses national significant numbers shorter than two digits.
            readable &= ~(extract & (lengths - len(code) < 2))
            national = pc.if_else(pa.array(extract), rest, national)
            taken |= extract

    # 2. A national prefix, stripped when what is left still fits
    #    (_maybe_strip_national_prefix_carrier_code, then _test_number_length).
    open_rows = readable & ~taken
    if rules.national_prefix is not None and open_rows.any():
        prefixed = open_rows & _starts_with_any(numbers, (rules.national_prefix,))
        if prefixed.any() and rules.prefix_literals is None:
            readable &= ~prefixed
        elif prefixed.any():
            prefix_length = np.zeros(count, dtype=np.int64)
            for literal in rules.prefix_literals or ():  # the first alternative that matches
                hit = prefixed & (prefix_length == 0) & true_mask(pc.starts_with(numbers, literal))
                prefix_length[hit] = len(literal)
            stripped_rows = np.flatnonzero(prefix_length > 0)
            original = numbers.take(pa.array(stripped_rows))
            cut = prefix_length[stripped_rows]
            stripped = original
            for length in np.unique(cut):  # one slice per prefix length
                stripped = pc.if_else(pa.array(cut == length),
                                      pc.utf8_slice_codeunits(original, int(length)), stripped)
            keep_original = _full_match(original, general) & ~_full_match(stripped, general)
            use = ~keep_original & _length_kept(lengths[stripped_rows] - cut, rules)
            strip = np.zeros(count, dtype=bool)
            strip[stripped_rows[use]] = True
            if strip.any():
                full = np.full(count, -1, dtype=np.int64)
                full[stripped_rows] = np.arange(len(stripped_rows))
                replaced = stripped.take(pa.array(np.where(strip, full, 0)))
                national = pc.if_else(pa.array(strip), replaced, national)
    return national, readable


def settle_by_metadata(digits: pa.Array, regions: pa.Array, international: np.ndarray,
               candidates: np.ndarray, out: Scatter, decided: np.ndarray) -> None:
    """Decide, without calling phonenumbers per number, what its own patterns settle exactly.

    phonenumbers reads a number verbatim when it starts with none of the prefixes it would
    strip (the IDD, the calling code, the national prefix); for such numbers validity is
    matching the metadata's patterns, which pyarrow runs over whole columns. Anything else
    (prefixes to strip, patterns RE2 cannot run, rare regions) is left undecided.
    """
    retry = np.zeros(len(digits), dtype=bool)
    national_rows = candidates & ~international
    if national_rows.sum() >= _FAST_PATH_MIN_ROWS:
        idx = np.flatnonzero(national_rows)
        row_regions = regions.take(pa.array(idx))
        for item in pc.value_counts(row_regions).to_pylist():
            rules = _rules_for(item["values"]) if item["counts"] >= _FAST_PATH_MIN_ROWS else None
            code_rules = _code_rules(rules.country_code) if rules is not None else None
            if rules is None or code_rules is None:
                continue
            in_region = idx[true_mask(pc.equal(row_regions, item["values"]))]
            numbers = digits.take(pa.array(in_region))
            try:
                national, readable = _national_significant(numbers, rules, code_rules)
                ok = readable & _valid_in_code(national, code_rules)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            chosen = in_region[ok]
            out.put(chosen, pc.binary_join_element_wise(
                "+" + rules.country_code, national.filter(pa.array(ok)), ""))
            decided[chosen] = True
            wrong = in_region[readable & ~ok]
            long_enough = true_mask(pc.greater_equal(
                pc.utf8_length(digits.take(pa.array(wrong))), _RETRY_INTERNATIONAL_MIN_DIGITS))
            decided[wrong[~long_enough]] = True
            retry[wrong[long_enough]] = True

    # International numbers, and invalid long national ones read again with a "+".
    intl_rows = candidates & (international | retry)
    if intl_rows.sum() < _FAST_PATH_MIN_ROWS:
        return
    idx = np.flatnonzero(intl_rows)
    numbers = digits.take(pa.array(idx))
    plus = international[idx]
    if plus.any():  # the "+" dropped by a slice (a regex replace costs several times more)
        numbers = pc.if_else(pa.array(plus), pc.utf8_slice_codeunits(numbers, 1), numbers)
    known_codes = pa.array([str(code) for code in COUNTRY_CODE_TO_REGION_CODE])
    code_of = np.zeros(len(idx), dtype=np.int64)  # 0: no calling code
    for length in (1, 2, 3):  # calling codes are prefix-free: at most one length matches
        prefix = pc.utf8_slice_codeunits(numbers, 0, length)
        known = true_mask(pc.is_in(prefix, known_codes)) & (code_of == 0)
        if known.any():
            as_int = np.asarray(pc.fill_null(pc.cast(pc.if_else(pa.array(known), prefix, "0"),
                                                     pa.int64()), 0), dtype=np.int64)
            code_of = np.where(known, as_int, code_of)
    unknown_code = code_of == 0
    # "+99..." or "+0..." has no calling code at all: phonenumbers refuses it too, and so its
    # retry of a long national number with a "+" (the same "+digits" string).
    decided[idx[unknown_code]] = True
    codes, how_many = np.unique(code_of[~unknown_code], return_counts=True)
    for code, count in zip(codes, how_many, strict=True):
        code_rules = _code_rules(str(code)) if count >= _FAST_PATH_MIN_ROWS else None
        if code_rules is None:
            continue
        positions = np.flatnonzero(code_of == code)
        national = pc.utf8_slice_codeunits(numbers.take(pa.array(positions)), len(str(code)))
        try:
            # After "+CC" phonenumbers only strips the main region's national prefix.
            verbatim = ~_starts_with_any(national, (code_rules[0].national_prefix,))
            ok = verbatim & _valid_in_code(national, code_rules)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        chosen = idx[positions[ok]]
        out.put(chosen, pc.binary_join_element_wise(
            "+", numbers.take(pa.array(positions[ok])), ""))
        decided[chosen] = True
        decided[idx[positions[verbatim & ~ok]]] = True
