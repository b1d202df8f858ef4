"""What spreadsheet exports do to values (issue 14): the ``'`` text marker, ids Excel shortened,
e-mail addresses as user ids, currency and locale numbers."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_gui.core import cleaning
from ingest_gui.core.cleaning import blank_to_null, clean_number_value, strip_text_markers
from ingest_gui.core.mapping import ColumnOptions, ImportKind, Mapping
from ingest_gui.core.validation import validate
from tests.core.factories import make_specs, make_table

# ----------------------------------------------------------------------------- text markers

#: Numbers, phones and postal codes as exports write them.
code = st.one_of(
    st.integers(0, 10**15).map(str),
    st.from_regex(r"\+[1-9][0-9]{7,13}", fullmatch=True),
    st.from_regex(r"0[0-9]{3,5}", fullmatch=True),
    st.sampled_from(["(892) 350-253", "9 5333 7391", "+92 324 6074596", "612 34 56 78",
                     "-5", "08001"]))
#: Text where an apostrophe is content.
prose = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["O'Connor", "'Tis the season", "D'Angelo", "'99 was a good year", "'",
                     "'abc", "Rock 'n' roll"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | code | prose, max_size=20))
def test_only_a_leading_marker_is_ever_removed(texts: list[str | None]) -> None:
    got = strip_text_markers(pa.array(texts, type=pa.string())).to_pylist()
    assert len(got) == len(texts)
    for before, after in zip(texts, got, strict=True):
        if before is None or not before.startswith("'"):
            assert after == before
        else:
            assert after in (before, before[1:])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(code, st.booleans()), min_size=1, max_size=20),
       st.lists(st.none(), max_size=3))
def test_a_column_of_codes_loses_every_marker(marked_codes: list[tuple[str, bool]],
                                               nulls: list[None]) -> None:
    """Marked or not (Shopify marks only the postal codes starting with a zero), a column of
    numbers, phones and codes comes out without the marker."""
    texts = [("'" + text) if marked else text for text, marked in marked_codes] + nulls
    expected = [text for text, _marked in marked_codes] + nulls
    assert strip_text_markers(pa.array(texts, type=pa.string())).to_pylist() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | code.map(lambda text: "'" + text), max_size=10),
       st.sampled_from(["'Tis the season", "'abc", "'", "'99 was a good year", "' 12"]))
def test_one_marked_value_that_is_prose_keeps_every_marker(codes: list[str | None],
                                                            prose_value: str) -> None:
    texts = [*codes, prose_value]
    assert strip_text_markers(pa.array(texts, type=pa.string())).to_pylist() == texts


@settings(max_examples=100, deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-z][A-Za-z' ]{1,10}", fullmatch=True), min_size=2,
                max_size=10),
       code)
def test_a_column_of_prose_keeps_a_marked_number(words: list[str], number: str) -> None:
    """Most of the column is text: an apostrophe before a number there is the writer's."""
    texts = [*words, "'" + number]
    assert strip_text_markers(pa.array(texts, type=pa.string())).to_pylist() == texts


def test_shopify_columns_lose_their_markers() -> None:
    zips = ["'04616", "49600", "462043", "7700069", "'08001", None]
    assert strip_text_markers(pa.array(zips)).to_pylist() == [
        "04616", "49600", "462043", "7700069", "08001", None]
    phones = ["'+573158173380", "'+919098544263", "'(892) 350-253"]
    assert strip_text_markers(pa.array(phones)).to_pylist() == [
        "+573158173380", "+919098544263", "(892) 350-253"]
    names = ["O'Connor", "'Tis", "Ana"]
    assert strip_text_markers(pa.array(names)).to_pylist() == names


# ----------------------------------------------------------------------------- Excel's loss


@pytest.mark.parametrize("text", ["7.02255E+12", "9.19961E+11", "7,02255E+12", "1E+15"])
def test_ids_shortened_by_excel_are_refused(text: str) -> None:
    cleaned = cleaning.clean_identifier(blank_to_null([text, "7022550000000"]))
    assert cleaned.values.to_pylist() == [None, "7022550000000"]
    (failure,) = [f for f in cleaned.failures if f.mask.any()]
    assert failure.kind == "shortened_by_excel"
    assert failure.mask.tolist() == [True, False]
    before, after = failure.template
    assert "Excel" in before + text + after


def test_phones_shortened_by_excel_say_so_rather_than_not_a_phone() -> None:
    cleaned = cleaning.clean_phone(blank_to_null(["9.19961E+11", "612345678", "12ab"]),
                                   regions="ES")
    assert cleaned.values.to_pylist() == [None, "+34612345678", None]
    kinds = {f.kind: f.mask.tolist() for f in cleaned.failures}
    assert kinds["shortened_by_excel"] == [True, False, False]
    assert kinds["invalid_phone"] == [False, False, True]


# ----------------------------------------------------------------------------- e-mail ids


def test_email_ids_are_lower_cased_and_other_ids_kept_as_written() -> None:
    ids = blank_to_null(["Emiliano.Morales@Example.Com", "ABC-123", "ÉLODIE@X.COM", None])
    assert cleaning.clean_identifier(ids, lowercase_emails=True).values.to_pylist() == [
        "emiliano.morales@example.com", "ABC-123", "élodie@x.com", None]
    assert cleaning.clean_identifier(ids).values.to_pylist() == ids.to_pylist()


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56 €", "1234.56"), ("$1,234.56", "1234.56"), ("12,5 %", "12.5"),
        ("12.5%", "12.5"), ("R$ 1.234,56", "1234.56"), ("CHF 1'234.50", "1234.5"),
        ("kr 1.234,56", "1234.56"), ("1.234,56 zł", "1234.56"), ("₹1,234.50", "1234.5"),
        ("1.234,56 MXN", "1234.56"), ("-12,50 €", "-12.5"), ("USD 1,234", "1234"),
        ("12 apples", None), ("%", None), ("€", None),
    ],
)
def test_currency_and_locale_numbers_are_numbers(text: str, expected: str | None) -> None:
    assert clean_number_value(text) == expected


def test_a_percentage_is_a_whole_number_when_it_is_one() -> None:
    assert clean_number_value("50 %", integer=True) == "50"


# ----------------------------------------------------------------------------- in validation


def test_a_shopify_export_is_validated_without_markers_and_with_its_losses_named() -> None:
    table = make_table({
        "Customer ID": ["'7391542345851", "'7391542345852", "7.02255E+12"],
        "Phone": ["'+34600111222", "'+34600111223", "9.19961E+11"],
        "Email": ["Ana@Example.com", "bob@example.com", "c@example.com"],
    })
    mapping = Mapping(ImportKind.CONTACTS, assignments={
        "_user_id": "Customer ID", "_phone_mobile": "Phone", "_email": "Email"})
    result = validate(table, mapping, make_specs())
    assert result.values["_user_id"].to_pylist()[:2] == ["7391542345851", "7391542345852"]
    assert result.values["_phone_mobile"].to_pylist()[:2] == ["+34600111222", "+34600111223"]
    assert result.valid.tolist() == [True, True, False]
    problems = result.problems.to_dict("records")
    assert {(p["column"], p["value"], p["kind"]) for p in problems} == {
        ("Customer ID", "7.02255E+12", "shortened_by_excel"),
        ("Phone", "9.19961E+11", "shortened_by_excel")}
    # The table, and so the error log, keeps the cells as the file has them.
    assert table.frame["Customer ID"].tolist()[0] == "'7391542345851"


def test_a_marked_value_that_fails_is_quoted_as_the_file_has_it() -> None:
    table = make_table({"ID": ["1", "2"], "Móvil": ["'+34600111222", "'12"]})
    mapping = Mapping(ImportKind.CONTACTS, assignments={"_user_id": "ID",
                                                        "_phone_mobile": "Móvil"})
    result = validate(table, mapping, make_specs())
    (problem,) = result.problems.to_dict("records")
    assert (problem["value"], problem["kind"]) == ("'12", "invalid_phone")


def test_an_email_user_id_is_lower_cased_unless_the_column_keeps_it() -> None:
    table = make_table({"Email": ["Emiliano.Morales@Example.Com", "ana@x.com"]})
    assignments = {"_user_id": "Email", "_email": "Email"}
    result = validate(table, Mapping(ImportKind.CONTACTS, assignments=assignments),
                      make_specs())
    assert result.values["_user_id"].to_pylist() == ["emiliano.morales@example.com", "ana@x.com"]
    assert result.values["_email"].to_pylist() == ["emiliano.morales@example.com", "ana@x.com"]
    verbatim = Mapping(ImportKind.CONTACTS, assignments=assignments,
                       options={"Email": ColumnOptions(lowercase_email=False)})
    result = validate(table, verbatim, make_specs())
    assert result.values["_user_id"].to_pylist() == ["Emiliano.Morales@Example.Com", "ana@x.com"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.none() | st.sampled_from(["Ana@X.com", "ana@x.com", "ABC-123", "A@B", "É@X.ES",
                                              "x@Y.org ", "Mixed@Case", "@"])
                | st.text(st.characters(blacklist_characters="+"), max_size=8), max_size=15))
def test_email_ids_are_lower_cased_value_by_value(texts: list[str | None]) -> None:
    """Each value reads the same alone as in its column (a re-check of edited rows agrees), and
    only e-mail addresses change."""
    column = cleaning.clean_identifier(pa.array(texts, type=pa.string()),
                                       lowercase_emails=True).values.to_pylist()
    for text, got in zip(texts, column, strict=True):
        alone = cleaning.clean_identifier(pa.array([text], type=pa.string()),
                                          lowercase_emails=True).values.to_pylist()
        assert alone == [got]
        email = cleaning.clean_email(pa.array([text], type=pa.string())).values[0].as_py()
        assert got == (email if email is not None else text)
