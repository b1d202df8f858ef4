"""The Qt-free translation hook: English by default, the installed translator when there is one,
templates filled after translation, and a broken translation never breaks a message."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from ingest_gui import texts
from ingest_gui.core import cleaning, report, validation
from tests.core.factories import make_specs, make_table


@pytest.fixture
def translator():
    """Install a dictionary as the translator for one test; English again afterwards."""
    table: dict[tuple[str, str], str] = {}

    def lookup(context: str, text: str, _disambiguation: str | None) -> str:
        return table.get((context, text), text)

    texts.install_translator(lookup)
    yield table
    texts.install_translator(None)


def test_without_a_translator_the_text_is_english():
    assert texts.translate("Validation", "Row {row}: {message}") == "Row {row}: {message}"
    assert texts.QT_TRANSLATE_NOOP("Report", "no reason given.") == "no reason given."
    assert texts.group_thousands(1_234_567) == "1,234,567"


def test_an_installed_translator_is_used_and_can_be_removed(translator):
    translator[("Numbers", ",")] = "."
    translator[("Report", "no reason given.")] = "sin motivo indicado."
    assert texts.translate_marked("Report", report.NO_REASON) == "sin motivo indicado."
    assert texts.group_thousands(1_234_567) == "1.234.567"
    texts.install_translator(None)
    assert texts.translate_marked("Report", report.NO_REASON) == "no reason given."


def _email_problems(*, skip_row: bool = True) -> list[str]:
    """The problems of a bad e-mail: an error when its column skips the row, else a value
    left out."""
    from ingest_gui.core.mapping import ColumnOptions, ImportKind, InvalidValuePolicy, Mapping

    table = make_table({"Customer id": ["1", "2"], "E-mail": ["ok@example.com", "nope"]})
    mapping = Mapping(ImportKind.CONTACTS)
    mapping.assign("Customer id", "_user_id")
    mapping.assign("E-mail", "_email")
    if skip_row:
        mapping.options["E-mail"] = ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW)
    result = validation.validate(table, mapping, make_specs())
    return result.problems["message"].tolist()


def test_a_value_left_out_is_said_in_the_translated_sentence(translator):
    translator[("Validation", validation.LEFT_OUT)] = (
        "{problem}; este valor se omite y se envía el resto de la fila")
    assert _email_problems(skip_row=False) == [
        'Row 3, column "E-mail": "nope" is not an e-mail address; este valor se omite y se '
        "envía el resto de la fila"]


def test_problem_messages_are_built_from_the_translated_templates(translator):
    translator[("Validation", validation.ROW_AND_COLUMN)] = (
        "Fila {row}, columna «{column}»: {message}")
    translator[("Validation", '"{value}" is not an e-mail address')] = (
        "«{value}» no es una dirección de correo electrónico")
    assert _email_problems() == [
        "Fila 3, columna «E-mail»: «nope» no es una dirección de correo electrónico"]


def test_a_translator_may_move_the_placeholders(translator):
    translator[("Validation", validation.ROW_AND_COLUMN)] = "{message} ({column}, {row})"
    assert _email_problems() == ['"nope" is not an e-mail address (E-mail, 3)']


def test_a_translation_that_lost_a_placeholder_falls_back_to_english(translator):
    translator[("Validation", validation.ROW_AND_COLUMN)] = "Fila {fila}: {message}"
    translator[("Validation", '"{value}" is not an e-mail address')] = "no es un correo"
    assert _email_problems() == ['Row 3, column "E-mail": "nope" is not an e-mail address']


def test_row_numbers_use_the_languages_digit_grouping(translator):
    translator[("Numbers", ",")] = "."
    rows = np.array([7, 1_234, 1_234_567])
    assert validation._thousands(rows).to_pylist() == ["7", "1.234", "1.234.567"]


def test_limits_inside_templates_are_grouped_too(translator):
    translator[("Numbers", ",")] = "."
    cleaned = cleaning.clean_text(pa.array(["x" * 1_001]), max_length=1_000)
    assert cleaned.failures[0].template == ('"', '" is longer than 1.000 characters')


def test_many_rows_translate_each_template_once(translator):
    """The translator is called per template, not per row (Arrow builds the messages)."""
    from ingest_gui.core.mapping import ImportKind, Mapping

    calls: list[str] = []

    def counting(context: str, text: str, _disambiguation: str | None) -> str:
        calls.append(text)
        return text

    texts.install_translator(counting)
    rows = 20_000
    table = make_table({"Customer id": [str(i) for i in range(rows)], "E-mail": ["bad"] * rows})
    mapping = Mapping(ImportKind.CONTACTS)
    mapping.assign("Customer id", "_user_id")
    mapping.assign("E-mail", "_email")
    result = validation.validate(table, mapping, make_specs())
    assert len(result.problems) == rows
    assert len(calls) < 20


def test_file_names_fill_translated_load_errors_without_being_read_as_placeholders(
        translator, tmp_path):
    from ingest_gui.core.loading import LoadError, load_table

    translator[("Loading", '"{file}" is empty (0 bytes).')] = "«{file}» está vacío (0 bytes)."
    empty = tmp_path / "{file} {row}.csv"
    empty.write_bytes(b"")
    with pytest.raises(LoadError) as caught:
        load_table(empty)
    assert str(caught.value) == "«{file} {row}.csv» está vacío (0 bytes)."
    assert caught.value.path == empty


# -- fill: the one way to fill a Qt-free message ------------------------------------------------

def test_fill_fills_every_placeholder_in_one_pass():
    """A value is never read as a template: a column named "{row}" stays as it is."""
    assert texts.fill("Row {row}, column {column}: {message}", row="7", column="{row}",
                      message="{column} is empty") == "Row 7, column {row}: {column} is empty"


def test_fill_lets_the_translation_reorder_and_repeat_placeholders():
    assert texts.fill("{b}, {a}, {b}", a="1", b="2") == "2, 1, 2"


def test_fill_groups_whole_numbers_but_not_text(translator):
    assert texts.fill("rows {first}–{last} of {status}", first=1_232, last=1_234_567,
                      status="1234") == "rows 1,232–1,234,567 of 1234"
    translator[("Numbers", ",")] = "."
    assert texts.fill("filas {first}–{last}", first=1_232, last=7) == "filas 1.232–7"
    assert texts.fill("{flag}", flag=True) == "True"  # a bool is not a count


def test_fill_leaves_a_placeholder_it_was_not_given():
    """A translation with a misspelt placeholder still gives a message instead of raising."""
    assert texts.fill("Fila {fila}: {message}", message="x") == "Fila {fila}: x"
    assert texts.fill("{ not a placeholder } {A}", A="y") == "{ not a placeholder } {A}"


def test_template_pieces_is_the_parse_fill_uses():
    template = "Row {row}, column {column}: {message}."
    pieces = texts.template_pieces(template)
    assert pieces == [("Row ", "row"), (", column ", "column"), (": ", "message"), (".", None)]
    fields = {"row": "3", "column": "E-mail", "message": "bad"}
    assert "".join(literal + (fields[name] if name else "") for literal, name in pieces) == (
        texts.fill(template, **fields))
    assert texts.template_pieces("{value}") == [("", "value")]
    assert texts.template_pieces("no placeholders") == [("no placeholders", None)]
