"""The cleaners' shortcuts give exactly what their general path (or phonenumbers) gives.

Each shortcut only runs on columns big or regular enough, so these tests build such columns and
compare value by value with the reference: phonenumbers for phones (``phones_fast``), the regex
reading and Arrow's formatting for dates (``dates_fast``), one vote per row for numbers, the
Unicode rules for lower-cased e-mails, hashing for repeated ids.
"""

from __future__ import annotations

import random

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest_gui.core import cleaning
from ingest_gui.core.arrow import holds_byte
from ingest_gui.core.cleaning import blank_to_null, dates, dates_fast, numbers, phones, repeats
from ingest_gui.core.cleaning.base import HIGH_DISTINCT_SHARE, LOW_DISTINCT_SHARE, distinct_share
from ingest_gui.core.cleaning.phones_fast import phone_digits

FAST_SETTINGS = settings(max_examples=12, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])
#: Regions whose national prefix is a plain literal ("0", "1", "0|180020"), and two without one.
REGIONS = ("ES", "GB", "FR", "DE", "US", "NL", "CH", "AT", "BE", "MX", "IT", "PT")
#: How a national number gets written: bare, with the trunk prefix, with the calling code but
#: no "+", with both, with a stray prefix, or cut short.
FORMS = ("bare", "trunk", "code", "code_trunk", "stray", "short")


def written_number(rng: random.Random, region: str, form: str) -> str:
    """A phone number of ``region`` written as people do (valid or not)."""
    kind = rng.choice([phonenumbers.PhoneNumberType.MOBILE,
                       phonenumbers.PhoneNumberType.FIXED_LINE])
    example = phonenumbers.example_number_for_type(region, kind) or \
        phonenumbers.example_number(region)
    assert example is not None
    national = list(phonenumbers.national_significant_number(example))
    for _ in range(rng.randint(0, 3)):  # other numbers of the same shape, some invalid
        national[rng.randrange(len(national))] = str(rng.randint(0, 9))
    body = "".join(national)
    code = str(phonenumbers.country_code_for_region(region))
    trunk = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix or "0"
    if form == "trunk":
        return trunk + body
    if form == "code":
        return code + body
    if form == "code_trunk":
        return code + trunk + body
    if form == "stray":
        return rng.choice(["0", "00", "1", "8", "011", "180020"]) + body
    if form == "short":
        return body[: rng.randint(2, len(body))]
    return body


def phonenumbers_answer(text: str, region: str) -> str | None:
    number = text.replace(" ", "")
    if number.startswith("00"):
        number = "+" + number[2:]
    key = f"|{number}" if number.startswith("+") else f"{region}|{number}"
    return cleaning.format_phone(key)


def valid_in_its_region(key: str) -> bool:
    """phonenumbers reads ``"REGION|digits"`` as a valid number of that region's plan (without
    the retry with a "+" that ``format_phone`` makes for invalid ones)."""
    region, _, number = key.partition("|")
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, region)))
    except phonenumbers.NumberParseException:
        return False


def code_then_trunk(key: str) -> bool:
    region, _, number = key.partition("|")
    code = str(phonenumbers.country_code_for_region(region))
    trunk = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix or "0"
    return number.startswith(code + trunk)


def batch(seed: int, region: str, forms: tuple[str, ...], size: int = 400,
          ) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts = [written_number(rng, region, rng.choice(forms)) for _ in range(size)]
    return texts, [region] * size


@FAST_SETTINGS
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(REGIONS))
def test_phone_fast_path_matches_phonenumbers_for_every_written_form(seed: int,
                                                                    region: str) -> None:
    texts, regions = batch(seed, region, FORMS)
    cleaned = cleaning.clean_phone(blank_to_null(texts), regions=pa.array(regions))
    for text, value in zip(texts, cleaned.values.to_pylist(), strict=True):
        assert value == phonenumbers_answer(text, region), (region, text)


def test_trunk_prefixes_and_codes_without_plus_need_no_phonenumbers_call(monkeypatch) -> None:
    """The fast path reads valid ones itself (the speed-up), and agrees with phonenumbers.
    (A handful of invalid long ones, retried with a "+", may still be asked.)"""
    texts: list[str] = []
    regions: list[str] = []
    for seed, region in enumerate(("ES", "GB", "FR", "DE", "US")):
        more, where = batch(seed, region, ("trunk", "code", "bare"), size=300)
        texts += more
        regions += where
    asked: list[str] = []

    def recording(keys: list[str]) -> list[str | None]:
        asked.extend(keys)
        return [cleaning.format_phone(key) for key in keys]

    monkeypatch.setattr(phones, "_format_many", recording)
    cleaned = cleaning.clean_phone(blank_to_null(texts), regions=pa.array(regions))
    got = cleaned.values.to_pylist()
    assert got == [phonenumbers_answer(t, r) for t, r in zip(texts, regions, strict=True)]
    assert sum(value is not None for value in got) > len(got) // 2
    # (A calling code followed by the trunk prefix, "4901…", is left to phonenumbers.)
    assert [key for key in asked if valid_in_its_region(key)
            and not code_then_trunk(key)] == []


def test_phone_examples_of_each_new_form() -> None:
    """Worked cases: GB, FR and DE mobiles with their trunk "0", ES and US with the calling code
    typed without "+"; also invalid ones, read to the same answer as phonenumbers."""
    cases = {
        "GB": ["07400 123456", "447400123456", "07400 12345"],
        "FR": ["06 12 34 56 78", "33612345678", "0612"],
        "DE": ["01512 3456789", "4915123456789"],
        "ES": ["34612345678", "612345678", "34 612 345"],
        "US": ["12015550123", "(201) 555-0123"],
    }
    texts = [text for region, numbers in cases.items() for text in numbers for _ in range(60)]
    regions = [region for region, numbers in cases.items() for _ in numbers for _ in range(60)]
    got = cleaning.clean_phone(blank_to_null(texts), regions=pa.array(regions)).values
    answers = dict(zip(texts, got.to_pylist(), strict=True))
    assert answers["07400 123456"] == "+447400123456"
    assert answers["447400123456"] == "+447400123456"
    assert answers["06 12 34 56 78"] == "+33612345678"
    assert answers["01512 3456789"] == "+4915123456789"
    assert answers["34612345678"] == "+34612345678"
    assert answers["12015550123"] == "+12015550123"
    for text, region in zip(texts, regions, strict=True):
        assert answers[text] == phonenumbers_answer(text, region), (region, text)


def regex_phone_digits(array: pa.Array) -> tuple[list[str | None], list[bool], list[bool]]:
    """What clean_phone did with regexes before reading bytes: the reference."""
    digits = pc.replace_substring_regex(array, "[\\s\u00a0\u202f\\-().\\/]", "")
    double_zero = pc.fill_null(pc.starts_with(digits, "00"), False)
    digits = pc.if_else(double_zero, pc.binary_join_element_wise(
        "+", pc.utf8_slice_codeunits(digits, 2), ""), digits)
    shape = pc.fill_null(pc.match_substring_regex(digits, r"^\+?[0-9]{3,17}$"), False)
    plus = pc.fill_null(pc.starts_with(digits, "+"), False)
    return digits.to_pylist(), shape.to_pylist(), plus.to_pylist()


phone_piece = st.sampled_from(["0", "00", "1", "34", "+", "6", "9", " ", "-", ".", "(", ")",
                               "/", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u202f",
                               "\u2009", "\u3000", "é", "a", "x", "12345", "ñ0"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.none() | st.lists(phone_piece, max_size=12).map("".join), max_size=30),
       st.integers(0, 3))
def test_phone_digits_from_bytes_match_the_regexes(texts: list[str | None], skip: int) -> None:
    array = pa.array(["x"] * skip + texts, type=pa.string()).slice(skip)  # an offset array
    present = np.asarray(pc.is_valid(array).to_numpy(zero_copy_only=False), dtype=bool)
    digits, shape, plus = phone_digits(array, present)
    digits.validate(full=True)
    assert (digits.to_pylist(), shape.tolist(), plus.tolist()) == regex_phone_digits(array)


def test_phone_digits_drop_the_bytes_behind_null_slots() -> None:
    array = pc.if_else(pa.array([True, False, True]), pa.array(["00 34 612", "6 1 2", "+1"]),
                       pa.scalar(None, pa.string()))
    present = np.array([True, False, True])
    digits, shape, plus = phone_digits(array, present)
    digits.validate(full=True)
    assert digits.to_pylist() == ["+34612", None, "+1"]
    assert shape.tolist() == [True, False, False]
    assert plus.tolist() == [True, False, True]


# ----------------------------------------------------------------------------- dates

date_text = st.builds(
    lambda day, month, year, cuts, clock, seconds, year_first, odd: (
        (f"{year:04d}{cuts[0]}{month:02d}{cuts[1]}{day:02d}" if year_first else
         f"{day:02d}{cuts[0]}{month:02d}{cuts[1]}{year:04d}")
        + (f"{clock[0]}{clock[1]:02d}:{clock[2]:02d}" if clock else "")
        + (f":{seconds:02d}" if clock and seconds is not None else "")
        + odd),
    st.integers(0, 39), st.integers(0, 19), st.integers(0, 9999),
    st.tuples(st.sampled_from("-/.x"), st.sampled_from("-/.")),
    st.none() | st.tuples(st.sampled_from([" ", "T", "t", ","]), st.integers(0, 29),
                          st.integers(0, 69)),
    st.none() | st.integers(0, 69), st.booleans(),
    st.sampled_from(["", "", "", " ", "Z", " pm", "+01:00", ".5"]))


def assert_same_dates(cleaned: cleaning.Cleaned, reference: cleaning.Cleaned, *,
                      with_time: bool) -> None:
    """Two readings of a date column agree on values, invalid rows, order and instants."""
    assert cleaned.values.to_pylist() == reference.values.to_pylist()
    assert cleaned.invalid.tolist() == reference.invalid.tolist()
    assert cleaned.detected_order == reference.detected_order
    assert cleaned.ambiguous is not None
    assert reference.ambiguous is not None
    assert cleaned.ambiguous.tolist() == reference.ambiguous.tolist()
    if with_time:
        assert cleaned.epoch_ms is not None
        assert reference.epoch_ms is not None
        assert cleaned.epoch_ms.tolist() == reference.epoch_ms.tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(date_text | st.sampled_from(["27 Jan 2016", "January 27, 2016", "hello"]),
                min_size=1, max_size=40),
       st.sampled_from(["auto", "day_first", "month_first"]), st.booleans())
def test_date_layouts_read_what_the_regex_reads(texts: list[str], order: str,
                                               with_time: bool) -> None:
    array = pa.array([*texts, None], type=pa.string())
    fast = dates._clean_distinct_dates(array, order, with_time, "Europe/Madrid", False)
    slow = dates._clean_distinct_dates(array, order, with_time, "Europe/Madrid", False,
                                          layouts=False)
    assert_same_dates(fast, slow, with_time=with_time)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(date_text | st.sampled_from(["27 Jan 2016", "January 27, 2016", "hello", ""]),
                min_size=1, max_size=30),
       st.lists(st.integers(0, 29), min_size=1, max_size=120),
       st.sampled_from(["auto", "day_first", "month_first"]), st.booleans(), st.booleans())
def test_dates_read_by_date_and_time_part_match_the_regex_per_distinct_value(
        texts: list[str], picks: list[int], order: str, with_time: bool,
        month_first_default: bool) -> None:
    """A column repeating values, read by its parts (fixed layouts) and by distinct values for
    the rest, gives what reading each distinct value with the regex gives, votes included."""
    column = [None if pick % 11 == 10 else texts[pick % len(texts)] for pick in picks]
    array = blank_to_null(column)
    cleaned = cleaning.clean_dates(array, order=order, with_time=with_time,
                                   timezone="Europe/Madrid",
                                   month_first_default=month_first_default)
    reference = cleaning.by_distinct(array, lambda distinct: dates._clean_distinct_dates(
        distinct, order, with_time, "Europe/Madrid", month_first_default, layouts=False))
    assert_same_dates(cleaned, reference, with_time=with_time)
    assert [(f.kind, f.mask.tolist(), f.template) for f in cleaned.failures] == \
        [(f.kind, f.mask.tolist(), f.template) for f in reference.failures]
    if not with_time:
        assert cleaned.epoch_ms is None


EDGE_DATES = [
    "31/12/2024 23:59:60", "31/12/2024 23:60", "31/12/2024 24:00", "31/12/2024 00:00:00",
    "29/02/2023", "29/02/2024", "2024-02-30 10:00:00", "00/01/2024", "01/00/2024",
    "0999-01-01", "31-12-2024T10:00", "31.12.2024 10:00:59", "2024/12/31 00:00", "12/13/2024",
    "13/12/2024 12:00", "05/06/2024", "05/05/2024", "2016-03-27 02:30", "2016-10-30 02:30",
    "31/12/2024 2:00", "1/2/2024 10:00", "31/12/24", "31/12/2024  10:00", "31/12/2024 10:00 pm",
]


@pytest.mark.parametrize("order", ["auto", "day_first", "month_first"])
@pytest.mark.parametrize("with_time", [False, True])
def test_fixed_layout_edge_values_match_the_regex(order: str, with_time: bool) -> None:
    column = [EDGE_DATES[i % len(EDGE_DATES)] for i in range(0, 7 * len(EDGE_DATES), 5)]
    array = blank_to_null([*column, None, ""])
    cleaned = cleaning.clean_dates(array, order=order, with_time=with_time,
                                   timezone="Europe/Madrid")
    reference = cleaning.by_distinct(array, lambda distinct: dates._clean_distinct_dates(
        distinct, order, with_time, "Europe/Madrid", False, layouts=False))
    assert_same_dates(cleaned, reference, with_time=with_time)


def test_date_votes_count_distinct_values_not_rows() -> None:
    """Ten rows of one month-first value lose to two distinct day-first values: each distinct
    value votes once, also when the values are read by their parts."""
    texts = ["04/25/2016 10:00"] * 10 + ["25/04/2016 10:00", "26/04/2016 11:00", "03/04/2016"]
    cleaned = cleaning.clean_dates(blank_to_null(texts), with_time=True, timezone="UTC")
    assert cleaned.detected_order == "day_first"
    assert cleaned.values.to_pylist()[-1] == "2016-04-03T00:00:00.000Z"
    assert cleaned.invalid.tolist() == [True] * 10 + [False] * 3
    assert cleaned.ambiguous is not None
    assert cleaned.ambiguous.tolist() == [False] * 12 + [True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-62_135_596_800_000, 253_402_300_799_999), min_size=1, max_size=50))
def test_iso_text_from_bytes_is_what_arrow_writes_for_any_instant(epoch: list[int]) -> None:
    """Instants from year 1 to 9999: the byte rows, where they are written, read as Arrow's."""
    moments = np.array(epoch, dtype=np.int64)
    rows = dates_fast.iso_millis_rows(moments)
    if rows is None:  # a span too wide or a year Arrow writes otherwise: its own path is used
        return
    assert dates_fast.strings_at(len(moments), np.arange(len(moments)), rows).equals(
        dates._iso_millis(moments))


@pytest.mark.parametrize("low", ["0999-06-01", "1969-12-25", "2024-03-30", "9999-06-01"])
def test_iso_text_from_bytes_is_what_arrow_writes(low: str) -> None:
    rng = np.random.default_rng(7)
    start = int(np.datetime64(low, "ms").astype(np.int64))
    epoch = start + rng.integers(-200 * 86_400_000, 200 * 86_400_000, 5_000)
    rows = dates_fast.iso_millis_rows(epoch)
    expected = dates._iso_millis(epoch)
    if rows is None:  # beyond year 9999 Arrow writes five digits: its own path is used
        assert low.startswith("9999")
        return
    assert dates_fast.strings_at(len(epoch), np.arange(len(epoch)), rows).equals(expected)


def test_a_column_of_mixed_widths_uses_the_layouts_row_by_row() -> None:
    texts = ["31/12/2024", "2024-12-31 23:59", "1/2/2024", "31/12/2024 23:59:59", "", None]
    cleaned = cleaning.clean_dates(blank_to_null(texts), with_time=True, timezone="UTC")
    assert cleaned.values.to_pylist() == [
        "2024-12-31T00:00:00.000Z", "2024-12-31T23:59:00.000Z", "2024-02-01T00:00:00.000Z",
        "2024-12-31T23:59:59.000Z", None, None]


# ----------------------------------------------------------------------------- numbers


def test_numbers_read_per_distinct_value_still_vote_per_row() -> None:
    """A column repeating some values: each distinct value is read once, but a value written on
    many rows still has one vote per row, as when every row is read."""
    rng = np.random.default_rng(3)
    # 10,000 rows of "3,5" vote for the comma; 8,000 distinct values vote for the dot (more
    # distinct values, fewer rows); 12,000 distinct integers do not vote.
    texts = (["3,5"] * 10_000 + ["1.250"] * 1_000
             + [f"{value}.{value % 7 + 1}" for value in range(8_000)]
             + [str(value) for value in range(100_000, 112_000)])
    texts = [texts[i] for i in rng.permutation(len(texts))]
    array = blank_to_null(texts)
    share = distinct_share(array)
    assert LOW_DISTINCT_SHARE <= share <= HIGH_DISTINCT_SHARE
    cleaned = cleaning.clean_number(array)
    every_row = numbers._clean_numbers(array, False, None)
    assert cleaned.values.to_pylist() == every_row.values.to_pylist()
    assert cleaned.invalid.tolist() == every_row.invalid.tolist()
    by_row = dict(zip(texts, cleaned.values.to_pylist(), strict=True))
    assert by_row["1.250"] == "1250"  # the comma won by rows; by distinct values it would lose
    assert by_row["3,5"] == "3.5"


#: Values that vote for the comma, for the dot, and ambiguous ones the vote decides.
number_text = st.one_of(
    st.sampled_from(["12,5", "3,75", "1.234,56", "1.234.567", "1.5", "2.25", "1,234.56",
                     "1,234,567", "1,234", "1.234", "-7.500", "+0,250", "", "abc"]),
    st.decimals(min_value=-10**7, max_value=10**7, places=3, allow_nan=False).map(str),
    st.lists(st.sampled_from(list("0123456789.,-+ €$")), min_size=1, max_size=9).map("".join))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | number_text, st.integers(1, 6)), min_size=1, max_size=10),
       st.randoms(use_true_random=False), st.booleans(), st.sampled_from([None, ".", ","]))
@example([("1,234", 1), ("12,5", 3), ("1.5", 1), ("2.25", 1)], random.Random(0), False, None)
def test_numbers_read_once_per_distinct_value_match_every_row_read(
        counted: list[tuple[str | None, int]], rng: random.Random, integer: bool,
        decimal_separator: str | None) -> None:
    """Reading each distinct value once, its vote weighed by its rows, gives what reading every
    row gives: values, failures and so the decimal separator chosen."""
    column = [text for text, count in counted for _ in range(count)]
    rng.shuffle(column)
    array = blank_to_null(column)
    weighted = numbers._clean_numbers_weighted(array, integer, decimal_separator)
    every_row = numbers._clean_numbers(array, integer, decimal_separator)
    assert weighted.values.to_pylist() == every_row.values.to_pylist()
    assert [(f.kind, f.mask.tolist(), f.template) for f in weighted.failures] == \
        [(f.kind, f.mask.tolist(), f.template) for f in every_row.failures]


# ----------------------------------------------------------------------------- e-mails


@settings(max_examples=100, deadline=None)
@given(st.lists(st.none() | st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12)
                | st.sampled_from(["Ada@Example.COM", "A.B@x.ORG", "x@Y.es"]), max_size=20))
def test_ascii_lower_casing_of_addresses_matches_the_unicode_rules(texts: list[str | None]) -> None:
    """An ASCII column takes Arrow's ASCII lower-casing; the same values in a column with one
    non-ASCII address take the Unicode rules: both read alike."""
    ascii_only = cleaning.clean_email(blank_to_null(texts))
    with_unicode = cleaning.clean_email(blank_to_null([*texts, "ÉLODIE@Example.COM"]))
    assert ascii_only.values.to_pylist() == with_unicode.values.to_pylist()[:-1]
    assert ascii_only.invalid.tolist() == with_unicode.invalid.tolist()[:-1]



def test_email_lower_casing_of_non_ascii_addresses_still_uses_unicode_rules() -> None:
    cleaned = cleaning.clean_email(blank_to_null(["ÉLODIE@Example.COM", "Ada@X.com"]))
    assert cleaned.values.to_pylist() == ["élodie@example.com", "ada@x.com"]


# ----------------------------------------------------------------------------- repeats


@settings(max_examples=150, deadline=None)
@given(st.lists(st.none() | st.lists(st.sampled_from(["a", "b", "\x00", "é", "C00", "1", "abcd"]),
                                     max_size=4).map("".join), max_size=12),
       st.integers(0, 2))
def test_repeats_found_by_packed_bytes_are_the_repeated_values(texts: list[str | None],
                                                              skip: int) -> None:
    array = pa.array(["zz"] * skip + texts, type=pa.string()).slice(skip)
    present = [text for text in texts if text is not None]
    assert cleaning.has_repeats(array) == (len(set(present)) != len(present))
    assert cleaning.has_repeats(array) == repeats.has_repeats_by_hashing(array)


def test_repeats_in_a_column_of_fixed_width_ids() -> None:
    ids = [f"C{number:07d}" for number in range(5_000)]
    assert not cleaning.has_repeats(pa.array(ids))
    assert cleaning.has_repeats(pa.array([*ids, "C0000042"]))
    assert not cleaning.has_repeats(pa.array([*ids, None, None]))
    assert cleaning.has_repeats(pa.array(["a-much-longer-id", "x", "a-much-longer-id"]))


# ----------------------------------------------------------------------------- byte gates


@settings(max_examples=150, deadline=None)
@given(st.lists(st.none() | st.text(alphabet="ab'@+é", max_size=5), max_size=10),
       st.integers(0, 3), st.sampled_from("'@+"))
def test_a_byte_is_held_where_some_value_holds_it(texts: list[str | None], skip: int,
                                                  character: str) -> None:
    """The gate before the text-marker, e-mail id and Excel checks: an offset array's
    neighbours outside it do not count."""
    array = pa.array([character] * skip + texts, type=pa.string()).slice(skip)
    held = any(text is not None and character in text for text in texts)
    assert holds_byte(array, ord(character)) == held
