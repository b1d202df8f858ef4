"""Phones read with the datasource's default country, found after a check (issue 18, item 9).

A phone without an international prefix is read with its row's mapped country, else with the
column's chosen country, else with the datasource's default country. The last is right for most
files but silent; the Check page counts those phones and offers to treat them as errors.

Validation does not say which country each phone was read with, so this works it out from the
table and the mapping, the way validation chooses (a column's own country option wins; then a
non-empty country cell of the row). Runs on the check's worker thread (it reads whole columns).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ingest_gui.core.mapping import USER_DATA_PREFIX, targets_for
from ingest_gui.core.validation import ValidationResult

COUNTRY = "_country_code"
PHONE_WITHOUT_COUNTRY = "phone_without_country"


@dataclass(frozen=True, slots=True)
class DefaultCountryPhones:
    """Phones of valid rows read with the datasource's default country."""

    #: How many phones (cells) in all.
    count: int = 0
    #: Per phone target key: (its column, the frame rows of those phones).
    by_target: dict[str, tuple[str, np.ndarray]] = field(default_factory=dict)


def _present(column: pd.Series) -> np.ndarray:
    mask: np.ndarray = column.notna().to_numpy(dtype=bool)
    return mask


def _cleaned_present(values: object, key: str, rows: int) -> np.ndarray:
    """Rows whose cleaned value of ``key`` is kept (a DataFrame or an Arrow table of values)."""
    column_names = getattr(values, "column_names", None)
    if column_names is not None:  # an Arrow table
        if key not in column_names:
            return np.zeros(rows, dtype=bool)
        valid: np.ndarray = values.column(key).is_valid().to_numpy(  # type: ignore[attr-defined]
            zero_copy_only=False).astype(bool)
        return valid
    if isinstance(values, pd.DataFrame) and key in values.columns:
        return _present(values[key])
    return np.zeros(rows, dtype=bool)


def phones_read_with_default_country(result: ValidationResult) -> DefaultCountryPhones:
    """Count the phones of valid rows that had no prefix and no country of their own."""
    mapping, specs, frame = result.mapping, result.specs, result.table.frame
    if not specs.default_country or mapping.kind.value == "delete":
        return DefaultCountryPhones()
    targets = {target.key: target for target in targets_for(
        mapping.kind, specs, event_type=mapping.event_type,
        with_user_data=mapping.with_user_data)}
    rows = len(frame)
    valid = np.asarray(result.valid, dtype=bool)
    found: dict[str, tuple[str, np.ndarray]] = {}
    for key, column in mapping.assignments.items():
        target = targets.get(key)
        if target is None or target.data_type != "phone" or column not in frame.columns:
            continue
        if mapping.options_for(column).phone_country:
            continue  # the user chose this column's country
        cells = frame[column].astype("string").str.strip()
        without_prefix = (cells.notna() & (cells != "") & ~cells.str.startswith("+")
                          & ~cells.str.startswith("00")).fillna(False).to_numpy(dtype=bool)
        country_key = (USER_DATA_PREFIX + COUNTRY if key.startswith(USER_DATA_PREFIX)
                       else COUNTRY)
        country_column = mapping.assignments.get(country_key)
        if country_column is not None and country_column in frame.columns:
            countries = frame[country_column].astype("string").str.strip()
            has_country = (countries.notna() & (countries != "")).fillna(False).to_numpy(
                dtype=bool)
        else:
            has_country = np.zeros(rows, dtype=bool)
        defaulted = (without_prefix & ~has_country & valid
                     & _cleaned_present(result.values, key, rows))
        if defaulted.any():
            found[key] = (column, np.flatnonzero(defaulted))
    return DefaultCountryPhones(sum(len(frame_rows) for _, frame_rows in found.values()), found)


def phones_as_errors(result: ValidationResult, phones: DefaultCountryPhones,
                     template: str) -> ValidationResult:
    """``result`` with the rows of ``phones`` invalid, each phone an error whose message is
    ``template`` with ``%1`` the spreadsheet row, ``%2`` the column, ``%3`` the value."""
    if not phones.count:
        return result
    frame = result.table.frame
    row_numbers = result.table.row_numbers
    valid = np.array(result.valid, dtype=bool, copy=True)
    records = []
    for _key, (column, frame_rows) in phones.by_target.items():
        for frame_row in frame_rows.tolist():
            value = str(frame[column].iloc[frame_row])
            row = int(row_numbers[frame_row])
            message = _filled(template, str(row), column, value)
            records.append({"row": row, "column": column, "value": value, "message": message,
                            "severity": "error", "kind": PHONE_WITHOUT_COUNTRY,
                            "frame_row": frame_row})
            valid[frame_row] = False
    added = pd.DataFrame.from_records(records, columns=list(result.problems.columns))
    problems = pd.concat([result.problems, added.astype(result.problems.dtypes.to_dict())],
                         ignore_index=True).sort_values(["frame_row"], kind="stable")
    return dataclasses.replace(result, valid=valid, problems=problems.reset_index(drop=True))


def _filled(template: str, *values: str) -> str:
    """``%1``, ``%2``, ... replaced in one pass (a value holding "%2" stays as it is)."""
    return re.sub(r"%(\d)", lambda found: values[int(found[1]) - 1]
                  if int(found[1]) <= len(values) else found[0], template)
