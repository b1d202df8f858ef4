"""Spec objects: data types as served and as the app handles them."""

from __future__ import annotations

import pytest

from ingest_gui.api.specs import (
    DATE_TYPES,
    NUMBER_TYPES,
    AttributeSpec,
    DataType,
    EventParameterSpec,
)


@pytest.mark.parametrize("wire", [member.value for member in DataType])
def test_every_known_data_type_reads_as_its_member(wire: str) -> None:
    spec = AttributeSpec.from_json({"uid": "x", "dataType": wire})
    assert spec.data_type == wire
    assert spec.effective_type is DataType(wire)
    assert spec.effective_type == wire  # a StrEnum: equal to its wire text


@pytest.mark.parametrize("wire", ["hologram", "", "Phone", "PHONE", "datetime2"])
def test_an_unknown_data_type_is_kept_as_served_and_handled_as_text(wire: str) -> None:
    attribute = AttributeSpec.from_json({"uid": "x", "dataType": wire})
    parameter = EventParameterSpec.from_json({"parameter": "p", "dataType": wire})
    assert (attribute.data_type, parameter.data_type) == (wire, wire)
    assert attribute.effective_type is DataType.TEXT
    assert parameter.effective_type is DataType.TEXT


def test_a_missing_data_type_is_text() -> None:
    assert AttributeSpec.from_json({"uid": "x"}).effective_type is DataType.TEXT
    assert EventParameterSpec.from_json({"parameter": "p"}).effective_type is DataType.TEXT


def test_data_type_of_falls_back_to_text() -> None:
    assert DataType.of("decimal") is DataType.DECIMAL
    assert DataType.of("mystery") is DataType.TEXT


def test_number_and_date_groups() -> None:
    assert {"number", "integer", "decimal"} == NUMBER_TYPES
    assert {"date", "datetime"} == DATE_TYPES
    assert DataType.PHONE not in NUMBER_TYPES | DATE_TYPES
