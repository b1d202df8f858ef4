"""Properties of judging columns by their values, through the public proposal: text markers are
looked through, coordinates are never phones, currency and locale numbers are numbers."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.core.mapping import ImportKind, Suggestion, suggest, targets_for
from tests.core.factories import make_specs, make_table

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])
CONTACT_TARGETS = targets_for(ImportKind.CONTACTS, make_specs())
PHONE_TARGETS = {"_phone_mobile", "landline"}


def suggested(columns: dict[str, list[str]]) -> list[Suggestion]:
    return suggest(make_table(columns), CONTACT_TARGETS)


phones = st.builds(
    lambda prefix, digits: prefix + digits,
    st.sampled_from(["+34", "+33 ", "+1 ", "0", ""]),
    st.text(alphabet="0123456789", min_size=9, max_size=11),
)


@PROPERTY_SETTINGS
@given(st.lists(phones, min_size=1, max_size=6))
def test_a_text_marker_never_changes_what_a_column_is_judged_to_be(values: list[str]) -> None:
    plain = suggested({"col": values})
    marked = suggested({"col": ["'" + value for value in values]})
    assert [(s.target, s.confidence) for s in marked] == \
        [(s.target, s.confidence) for s in plain]


coordinates = st.builds(
    lambda degrees, fraction: f"{degrees}.{fraction}",
    st.integers(min_value=-180, max_value=180),
    st.text(alphabet="0123456789", min_size=4, max_size=9),
)


@PROPERTY_SETTINGS
@given(st.lists(coordinates, min_size=1, max_size=6),
       st.sampled_from(["LATITUDE", "LONGITUDE", "col", "Phone", "Landline"]))
def test_coordinates_are_never_phones(values: list[str], header: str) -> None:
    found = {s.target for s in suggested({header: values})}
    assert not found & PHONE_TARGETS


def _grouped(integer: int, separator: str) -> str:
    text = str(integer)
    groups = []
    while len(text) > 3:
        groups.insert(0, text[-3:])
        text = text[:-3]
    groups.insert(0, text)
    return separator.join(groups)


@st.composite
def money(draw: st.DrawFn) -> str:
    amount = draw(st.decimals(min_value=0, max_value=Decimal("9999999.99"), places=2,
                              allow_nan=False, allow_infinity=False))
    integer, cents = divmod(int(amount * 100), 100)
    style = draw(st.sampled_from(["es", "en", "plain"]))
    if style == "es":
        body = f"{_grouped(integer, '.')},{cents:02d}"
    elif style == "en":
        body = f"{_grouped(integer, ',')}.{cents:02d}"
    else:
        body = f"{integer}.{cents:02d}"
    decoration = draw(st.sampled_from(["{} €", "€{}", "${}", "{} EUR", "USD {}", "{}", "{} %"]))
    return decoration.format(body)


@PROPERTY_SETTINGS
@given(st.lists(money(), min_size=1, max_size=6),
       st.sampled_from(["Total Spent", "Lifetime Value", "Total compras (€)", "Gasto total"]))
def test_currency_and_locale_numbers_feed_a_decimal_attribute(values: list[str],
                                                              header: str) -> None:
    found = {s.target: s for s in suggested({header: values})}
    assert found["lifetime_value"].column == header
