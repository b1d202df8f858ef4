"""The per-column cleaners: examples of every accepted form, and what is refused."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from ingest_gui.api.items import LIST_SEPARATOR
from ingest_gui.core import cleaning
from ingest_gui.core.cleaning import (
    blank_to_null,
    clean_bool_value,
    clean_date_value,
    clean_number_value,
    clean_phone_value,
    phones,
)
from ingest_gui.core.countries import country_names, is_country_code, to_country_code


def values_of(cleaned: cleaning.Cleaned) -> list[str | None]:
    return cleaned.values.to_pylist()


# ----------------------------------------------------------------------------- blanks, text


def test_blank_to_null_trims_and_turns_empty_cells_into_nulls() -> None:
    array = blank_to_null(pa.array([" a ", "", "   ", "b", None]))
    assert array.to_pylist() == ["a", None, None, "b", None]


def test_blank_to_null_can_keep_spaces() -> None:
    assert blank_to_null(pa.array([" a ", ""]), trim=False).to_pylist() == [" a ", None]


def test_text_longer_than_max_length_fails_with_its_limit_in_the_message() -> None:
    cleaned = cleaning.clean_text(blank_to_null(["abc", "abcd", None]), max_length=3)
    assert values_of(cleaned) == ["abc", None, None]
    (failure,) = cleaned.failures
    assert failure.kind == "too_long"
    assert failure.mask.tolist() == [False, True, False]
    assert "longer than 3 characters" in failure.template[1]


# ----------------------------------------------------------------------------- e-mails


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ada@Example.COM", "ada@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("ñandú@example.es", "ñandú@example.es"),
    ],
)
def test_valid_emails_are_lower_cased(raw: str, expected: str) -> None:
    assert values_of(cleaning.clean_email(blank_to_null([raw]))) == [expected]


@pytest.mark.parametrize(
    "raw",
    ["plainaddress", "a@b", "a@@b.com", "a..b@example.com", ".a@example.com", "a.@example.com",
     "a@.example.com", "a b@example.com", "a@exam_ple.com", "a@example.c", "@example.com"],
)
def test_invalid_emails_fail(raw: str) -> None:
    cleaned = cleaning.clean_email(blank_to_null([raw]))
    assert values_of(cleaned) == [None]
    assert cleaned.invalid.tolist() == [True]
    assert cleaned.failures[0].kind == "invalid_email"


def test_email_lowercasing_can_be_turned_off() -> None:
    assert values_of(cleaning.clean_email(blank_to_null(["Ada@X.com"]), lowercase=False)) == [
        "Ada@X.com"]


# ----------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Spain", "ES"), ("España", "ES"), (" es ", "ES"), ("ESP", "ES"), ("UK", "GB"),
     ("United Kingdom", "GB"), ("Reino Unido", "GB"), ("EE.UU.", "US"), ("USA", "US"),
     ("méxico", "MX"), ("Alemania", "DE"), ("NA", "NA"), ("Namibia", "NA"), ("Perú", "PE"),
     ("Côte d'Ivoire", "CI"), ("Países Bajos", "NL"), ("Brasil", "BR")],
)
def test_countries_become_iso_codes(raw: str, code: str) -> None:
    assert to_country_code(raw) == code
    assert values_of(cleaning.clean_country(blank_to_null([raw]))) == [code]


def test_unknown_country_fails_and_the_table_has_every_iso_code() -> None:
    cleaned = cleaning.clean_country(blank_to_null(["Atlantis", "ES", None]))
    assert values_of(cleaned) == [None, "ES", None]
    assert cleaned.invalid.tolist() == [True, False, False]
    assert len(country_names()) == 249
    assert is_country_code("AQ")
    assert not is_country_code("AN")
    assert not is_country_code("XX")


# ----------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", "1"), ("Sí", "1"), ("si", "1"), ("TRUE", "1"), ("1", "1"), ("x", "1"),
     ("Verdadero", "1"), ("no", "0"), ("false", "0"), ("0", "0"), ("Falso", "0"), ("N", "0")],
)
def test_booleans(raw: str, expected: str) -> None:
    assert clean_bool_value(raw) == expected


def test_empty_boolean_is_missing_and_unknown_word_fails() -> None:
    cleaned = cleaning.clean_bool(blank_to_null(["", "maybe", "yes"]))
    assert values_of(cleaned) == [None, None, "1"]
    assert cleaned.invalid.tolist() == [False, True, False]


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("12,5", "12.5"), ("1 234", "1234"),
     ("1\u00a0234,5", "1234.5"), ("+0012.500", "12.5"), ("-0,0", "0"), ("€ 12,50", "12.5"),
     ("12.50 EUR", "12.5"), ("$1,234,567.89", "1234567.89"), ("1.234.567", "1234567"),
     (".5", "0.5"), ("12.", "12"), ("−5", "-5"), ("007", "7"), ("1,234", "1234"),
     ("1.234", "1.234")],
)
def test_numbers_with_either_convention(raw: str, expected: str) -> None:
    assert clean_number_value(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "-", "1,2,3", "1.234,567.8", "12a", "1e5x"])
def test_not_numbers(raw: str) -> None:
    assert clean_number_value(raw) is None


def test_integer_type_rejects_fractions_but_accepts_zero_fraction() -> None:
    cleaned = cleaning.clean_number(blank_to_null(["12", "12,5", "12.0", "x"]), integer=True)
    assert values_of(cleaned) == ["12", None, "12", None]
    kinds = {failure.kind: failure.mask.tolist() for failure in cleaned.failures}
    assert kinds == {"invalid_number": [False, False, False, True],
                     "not_integer": [False, True, False, False]}


def test_ambiguous_thousands_follow_the_column_majority() -> None:
    # "12,5" and "3,75" can only be decimal commas, so "1.234" is one thousand two hundred...
    spanish = cleaning.clean_number(blank_to_null(["12,5", "3,75", "1.234", "1,234"]))
    assert values_of(spanish) == ["12.5", "3.75", "1234", "1.234"]
    english = cleaning.clean_number(blank_to_null(["12.5", "3.75", "1.234", "1,234"]))
    assert values_of(english) == ["12.5", "3.75", "1.234", "1234"]


def test_explicit_decimal_separator_wins() -> None:
    assert clean_number_value("1.234", decimal_separator=",") == "1234"
    assert clean_number_value("1,234", decimal_separator=",") == "1.234"


def test_numbers_on_a_large_distinct_column_take_the_vectorised_path() -> None:
    raw = [f"{i},{i % 97:02d}" for i in range(30_000)]
    cleaned = cleaning.clean_number(blank_to_null(raw))
    got = values_of(cleaned)
    assert got[0] == "0"
    assert got[1234] == f"1234.{1234 % 97:02d}".rstrip("0").rstrip(".")


# ----------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("612345678", "ES", "+34612345678"),
        ("612 34 56 78", "ES", "+34612345678"),
        ("+34 612-34-56-78", "GB", "+34612345678"),
        ("0034612345678", "GB", "+34612345678"),
        ("(0)20 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", "ES", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("(123) 456-7890", "US", None),  # no US area code starts with 1
        ("(201) 555-0123", "US", "+12015550123"),
        ("34612345678", "ES", "+34612345678"),  # Excel dropped the "+"
    ],
)
def test_phones_become_e164(raw: str, region: str, expected: str | None) -> None:
    assert clean_phone_value(raw, region) == expected


@pytest.mark.parametrize("raw", ["12ab", "123", "+999 123456789", "612 345", "hello"])
def test_invalid_phones_fail_naming_the_value(raw: str) -> None:
    cleaned = cleaning.clean_phone(blank_to_null([raw]), regions="ES")
    assert values_of(cleaned) == [None]
    assert cleaned.failures[0].kind == "invalid_phone"
    assert cleaned.failures[0].mask.tolist() == [True]


def test_phone_without_prefix_and_without_country_is_its_own_problem() -> None:
    cleaned = cleaning.clean_phone(blank_to_null(["612345678", "+34612345678"]), regions=None)
    assert values_of(cleaned) == [None, "+34612345678"]
    kinds = {failure.kind: failure.mask.tolist() for failure in cleaned.failures}
    assert kinds["phone_without_country"] == [True, False]
    assert kinds["invalid_phone"] == [False, False]


def test_phone_region_per_row() -> None:
    cleaned = cleaning.clean_phone(blank_to_null(["612345678", "020 7946 0958", "612345678"]),
                                   regions=pa.array(["ES", "GB", None]))
    assert values_of(cleaned) == ["+34612345678", "+442079460958", None]


def test_fast_path_agrees_with_phonenumbers_on_a_large_mixed_batch() -> None:
    """The vectorised shortcut must give exactly what phonenumbers gives, valid or not."""
    rng = np.random.default_rng(7)
    raw: list[str] = []
    regions: list[str] = []
    for _ in range(4000):
        style = rng.integers(0, 8)
        digits = "".join(str(d) for d in rng.integers(0, 10, rng.integers(6, 12)))
        region = str(rng.choice(["ES", "GB", "US", "FR", "DE", "CA", "JE"]))
        if style == 0:
            raw.append("6" + digits[:8])
        elif style == 1:
            raw.append("+34 " + digits)
        elif style == 2:
            raw.append("+44 7" + digits[:9])
        elif style == 3:
            raw.append("+1 " + digits[:10])
        elif style == 4:
            raw.append("0" + digits)
        elif style == 5:
            raw.append("+44 1534 " + digits[:6])  # Jersey shares +44 with leading digits
        elif style == 6:
            raw.append(digits[:10])  # read in the row's region: +1 has 25 of them
        else:
            raw.append(digits)
        regions.append(region)
    cleaned = cleaning.clean_phone(blank_to_null(raw), regions=pa.array(regions))
    got = values_of(cleaned)
    for text, region, value in zip(raw, regions, got, strict=True):
        number = text.replace(" ", "")
        if number.startswith("00"):
            number = "+" + number[2:]
        key = f"|{number}" if number.startswith("+") else f"{region}|{number}"
        assert value == cleaning.format_phone(key), (text, region)
    assert any(got)
    assert not all(got)


def test_parallel_phone_formatting_gives_the_serial_answer(monkeypatch) -> None:
    keys = [f"ES|6{i:08d}" for i in range(60)] + ["|+44 20 7946 0958", "ES|12"]
    serial = [cleaning.format_phone(key) for key in keys]
    monkeypatch.setattr(phones, "PARALLEL_PHONE_THRESHOLD", 10)
    assert phones._format_many(keys) == serial


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("27/01/2016", "auto", "2016-01-27"),
        ("01/27/2016", "auto", "2016-01-27"),
        ("2016-01-27", "month_first", "2016-01-27"),
        ("2016/1/7", "day_first", "2016-01-07"),
        ("03/04/2016", "day_first", "2016-04-03"),
        ("03/04/2016", "month_first", "2016-03-04"),
        ("3.4.16", "day_first", "2016-04-03"),
        ("27-01-1985", "auto", "1985-01-27"),
        ("2016-01-27 10:15:00", "auto", "2016-01-27"),
        ("27 de enero de 2016", "auto", "2016-01-27"),
        ("27 Jan 2016", "auto", "2016-01-27"),
        ("January 27, 2016", "auto", "2016-01-27"),
    ],
)
def test_dates(raw: str, order: str, expected: str) -> None:
    assert clean_date_value(raw, order=order) == expected


@pytest.mark.parametrize("raw", ["31/02/2016", "2016-13-01", "32/01/2016", "hello", "27/01",
                                 "2016-01-27 25:00", "0000-01-01"])
def test_not_dates(raw: str) -> None:
    assert clean_date_value(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-01-27T10:15:00", "2016-01-27T09:15:00.000Z"),  # Madrid is UTC+1 in winter
        ("2016-07-27 10:15", "2016-07-27T08:15:00.000Z"),  # and UTC+2 in summer
        ("27/01/2016 10:15:30,5", "2016-01-27T09:15:30.500Z"),
        ("2016-01-27T10:15:00Z", "2016-01-27T10:15:00.000Z"),
        ("2016-01-27T10:15:00.123456+05:30", "2016-01-27T04:45:00.123Z"),
        ("1/27/2016 10:15 PM", "2016-01-27T21:15:00.000Z"),
        ("1/27/2016 12:05 AM", "2016-01-26T23:05:00.000Z"),
        ("2016-01-27", "2016-01-26T23:00:00.000Z"),
    ],
)
def test_datetimes_in_a_zone_come_out_in_utc(raw: str, expected: str) -> None:
    assert clean_date_value(raw, with_time=True, timezone="Europe/Madrid") == expected


def test_auto_order_is_decided_per_column_and_ambiguous_values_counted() -> None:
    cleaned = cleaning.clean_dates(blank_to_null(["03/04/2016", "25/04/2016", "03/04/2016",
                                                  "2016-05-06", "05/05/2016", None]))
    assert cleaned.detected_order == "day_first"
    assert values_of(cleaned) == ["2016-04-03", "2016-04-25", "2016-04-03", "2016-05-06",
                                  "2016-05-05", None]
    # 03/04 twice is ambiguous; 05/05 reads the same either way; ISO never is.
    assert cleaned.ambiguous is not None
    assert int(cleaned.ambiguous.sum()) == 2

    us = cleaning.clean_dates(blank_to_null(["03/04/2016", "04/25/2016"]))
    assert us.detected_order == "month_first"
    assert values_of(us) == ["2016-03-04", "2016-04-25"]


def test_auto_order_without_evidence_uses_the_default() -> None:
    assert cleaning.clean_dates(blank_to_null(["03/04/2016"])).detected_order == "day_first"
    month = cleaning.clean_dates(blank_to_null(["03/04/2016"]), month_first_default=True)
    assert month.detected_order == "month_first"
    assert values_of(month) == ["2016-03-04"]


def test_values_against_the_chosen_order_fail() -> None:
    cleaned = cleaning.clean_dates(blank_to_null(["25/04/2016"]), order="month_first")
    assert values_of(cleaned) == [None]
    assert cleaned.failures[0].kind == "invalid_date"


def test_datetime_epoch_and_nonexistent_local_time_is_shifted_forward() -> None:
    cleaned = cleaning.clean_dates(blank_to_null(["2016-03-27 02:30", None]), with_time=True,
                                   timezone="Europe/Madrid")
    # 02:30 does not exist in Madrid that night: clocks jump from 02:00 to 03:00 (01:00 UTC).
    assert values_of(cleaned) == ["2016-03-27T01:00:00.000Z", None]
    assert cleaned.epoch_ms is not None
    assert cleaned.epoch_ms[1] == cleaning.NO_TIME


def test_unknown_timezone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not a time zone"):
        cleaning.clean_dates(blank_to_null(["2016-01-01 10:00"]), with_time=True,
                             timezone="Mars/Olympus")


# ----------------------------------------------------------------------------- lists


def test_lists_are_split_trimmed_and_joined() -> None:
    cleaned = cleaning.clean_list(blank_to_null(["a, b ,,c", None, "x;y", " , "]),
                                  separator=",", limit=3)
    assert values_of(cleaned) == [f"a{LIST_SEPARATOR}b{LIST_SEPARATOR}c", None, "x;y", None]
    assert cleaned.invalid.tolist() == [False] * 4


def test_list_over_the_limit_fails() -> None:
    cleaned = cleaning.clean_list(blank_to_null(["a,b,c,d"]), separator=",", limit=3)
    assert values_of(cleaned) == [None]
    assert cleaned.failures[-1].kind == "too_many_values"
    assert "more than 3 values" in cleaned.failures[-1].template[1]


def test_list_elements_are_cleaned_with_the_element_type() -> None:
    cleaned = cleaning.clean_list(
        blank_to_null(["Ana@X.com; b@y.org", "ok@x.com;nope"]), separator=";", limit=5,
        element=cleaning.clean_email)
    assert values_of(cleaned) == [f"ana@x.com{LIST_SEPARATOR}b@y.org", None]
    assert cleaned.failures[0].kind == "invalid_email"
    assert cleaned.failures[0].mask.tolist() == [False, True]


def test_phone_cleaning_falls_back_to_one_process_when_no_pool_can_start(monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(phones, "PARALLEL_PHONE_THRESHOLD", 1)

    class NoPool:
        def __init__(self, *args, **kwargs) -> None:
            calls.append(1)
            raise OSError("no processes here")

    monkeypatch.setattr(phones, "ProcessPoolExecutor", NoPool)
    assert phones._format_many(["ES|612345678", "ES|1"]) == ["+34612345678", None]
    assert calls == [1]
