"""Property tests for the cleaners: round trips, output shapes, and never raising."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import phonenumbers
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.core import cleaning
from ingest_gui.core.cleaning import (
    blank_to_null,
    clean_bool_value,
    clean_date_value,
    clean_number_value,
    clean_phone_value,
)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


def group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def written(value: Decimal, decimal: str, grouped: bool) -> str:
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    thousands = "," if decimal == "." else "."
    whole = group(whole, thousands) if grouped else whole
    return sign + whole + (decimal + fraction if fraction else "")


def canonical(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


numbers = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4,
                      allow_nan=False, allow_infinity=False)


@PROPERTY_SETTINGS
@given(numbers, st.sampled_from([".", ","]), st.booleans())
def test_number_written_either_way_reads_back_with_its_separator(
        value: Decimal, decimal: str, grouped: bool) -> None:
    assert clean_number_value(written(value, decimal, grouped),
                              decimal_separator=decimal) == canonical(value)


@PROPERTY_SETTINGS
@given(numbers, st.sampled_from([".", ","]), st.booleans())
def test_number_with_an_unambiguous_fraction_reads_back_automatically(
        value: Decimal, decimal: str, grouped: bool) -> None:
    text = written(value, decimal, grouped)
    fraction = f"{abs(value):f}".partition(".")[2]
    if len(fraction) in {1, 2, 4}:  # a 3-digit fraction could be thousands
        assert clean_number_value(text) == canonical(value)


@PROPERTY_SETTINGS
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_integers_keep_their_value(value: int) -> None:
    assert clean_number_value(str(value), integer=True) == str(value)


@PROPERTY_SETTINGS
@given(st.sampled_from(["ES", "GB", "US", "FR", "DE", "MX", "AR", "IT"]),
       st.sampled_from(list(phonenumbers.PhoneNumberType.values())[:3]),
       st.integers(min_value=0, max_value=10**6), st.sampled_from(["national", "e164", "intl"]))
def test_phone_output_is_e164_and_reparses_to_itself(region: str, kind: int, bump: int,
                                                     style: str) -> None:
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        return
    formats = {"national": phonenumbers.PhoneNumberFormat.NATIONAL,
               "e164": phonenumbers.PhoneNumberFormat.E164,
               "intl": phonenumbers.PhoneNumberFormat.INTERNATIONAL}
    # Vary the last digits: some variants are valid, some are not; the contract holds for both.
    digits = str(example.national_number)
    tail = str(bump).zfill(min(len(digits) - 2, 6))[-min(len(digits) - 2, 6):]
    example.national_number = int(digits[: len(digits) - len(tail)] + tail)
    text = phonenumbers.format_number(example, formats[style])
    result = clean_phone_value(text, region)
    expected = cleaning.format_phone(
        "|" + text.replace(" ", "").replace("-", "") if text.startswith("+") else
        f"{region}|" + re.sub(r"[\s\-()./]", "", text))
    assert result == expected
    if result is not None:
        assert E164.match(result)
        parsed = phonenumbers.parse(result, None)
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == result
        assert clean_phone_value(result, None) == result


@PROPERTY_SETTINGS
@given(st.text(max_size=40), st.sampled_from(["ES", "US", None]))
def test_phone_cleaner_never_raises(text: str, region: str | None) -> None:
    result = clean_phone_value(text, region)
    assert result is None or E164.match(result)


@PROPERTY_SETTINGS
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
       st.sampled_from(["day_first", "month_first"]), st.sampled_from(["/", "-", "."]))
def test_date_written_in_an_order_reads_back(day: date, order: str, separator: str) -> None:
    first, second = (day.day, day.month) if order == "day_first" else (day.month, day.day)
    text = f"{first:02d}{separator}{second:02d}{separator}{day.year:04d}"
    assert clean_date_value(text, order=order) == day.isoformat()
    assert clean_date_value(day.isoformat(), order=order) == day.isoformat()


@PROPERTY_SETTINGS
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
       st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_datetime_with_offset_reads_back_in_utc(moment: datetime, offset_minutes: int) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + f"{sign}{hours:02d}:{minutes:02d}"
    expected = (moment - timedelta(minutes=offset_minutes)).replace(tzinfo=UTC)
    got = clean_date_value(text, with_time=True, timezone="Europe/Madrid")
    assert got == expected.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@PROPERTY_SETTINGS
@given(st.sampled_from(["yes", "Sí", "si", "true", "1", "x", "verdadero", "no", "false",
                        "0", "falso"]),
       st.sampled_from([str.lower, str.upper, str.title]), st.text(" \t", max_size=3))
def test_booleans_ignore_case_and_spaces(word: str, case: object, padding: str) -> None:
    assert callable(case)
    truthy = word.lower() in {"yes", "sí", "si", "true", "1", "x", "verdadero"}
    assert clean_bool_value(padding + case(word) + padding) == ("1" if truthy else "0")


@PROPERTY_SETTINGS
@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_cleaners_never_raise_on_arbitrary_text(texts: list[str]) -> None:
    array = blank_to_null(pa.array(texts, type=pa.string()))
    cleaners = {
        "email": cleaning.clean_email(array),
        "country": cleaning.clean_country(array),
        "bool": cleaning.clean_bool(array),
        "number": cleaning.clean_number(array),
        "integer": cleaning.clean_number(array, integer=True),
        "date": cleaning.clean_dates(array),
        "datetime": cleaning.clean_dates(array, with_time=True, timezone="America/New_York"),
        "text": cleaning.clean_text(array, max_length=5),
        "list": cleaning.clean_list(array, separator=",", limit=2),
    }
    present = [value is not None for value in array.to_pylist()]
    for name, cleaned in cleaners.items():
        assert len(cleaned.values) == len(texts)
        out = [value is not None for value in cleaned.values.to_pylist()]
        for was, now, bad in zip(present, out, cleaned.invalid.tolist(), strict=True):
            assert not (now and bad), name
            assert not now or was, name
            if was and not now and name != "list":  # a list of only separators is empty
                assert bad, name  # a non-empty cell is cleaned or reported, never dropped
