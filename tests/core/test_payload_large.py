"""Sanity run on 100,000 rows: the column-wise builder equals a plain row-by-row reference.

Asserts correctness, not time (timings live in the README's performance table).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import build_batches, event_id_for
from tests.core.test_payload import all_items, all_rows, assert_batches_well_formed, make_result

COUNT = 100_000


def sparse(values: list[str], every: int, offset: int = 0) -> list[str | None]:
    return [None if (i + offset) % every == 0 else value for i, value in enumerate(values)]


@pytest.mark.slow
def test_100k_contacts_match_a_row_by_row_reference():
    rng = np.random.default_rng(7)
    ids = [f"USER-{i:07d}" for i in range(COUNT)]
    columns: dict[str, list[str | None]] = {
        "_user_id": ids,
        "_email": sparse([f"user{i}@example.com" for i in range(COUNT)], 5),
        "_first_name": sparse(["Ada", "Grace", "José", "Zoë"] * (COUNT // 4), 7, 1),
        "_phone_mobile": sparse([f"+3460{i:07d}" for i in range(COUNT)], 11, 2),
        "orders_count": sparse([str(n) for n in rng.integers(0, 500, COUNT)], 3),
        "lifetime_value": sparse([f"{n / 100:.2f}" for n in rng.integers(0, 10**6, COUNT)], 4),
        "vip": sparse(["1", "0"] * (COUNT // 2), 13),
        "interests": sparse(["golf\x1fwine", "tea"] * (COUNT // 2), 2),
        "plan": sparse(["pro", "free"] * (COUNT // 2), 9),
    }
    valid = rng.random(COUNT) > 0.01
    result = make_result(ImportKind.CONTACTS, columns, valid=valid.tolist(), clear=["plan"])
    plan = build_batches(result, datasource="ds")

    expected_items = []
    for i in np.flatnonzero(valid).tolist():
        item = {}
        for key, cells in columns.items():
            cell = cells[i]
            if cell is None:
                if key == "plan":
                    item[key] = None
                continue
            if key == "orders_count":
                item[key] = int(cell)
            elif key == "lifetime_value":
                item[key] = json.loads(cell)
            elif key == "interests":
                item[key] = cell.split("\x1f")
            else:
                item[key] = cell
        expected_items.append(item)

    assert all_items(plan) == expected_items
    assert all_rows(plan) == (np.flatnonzero(valid) + 2).tolist()
    assert plan.skipped_rows == tuple((np.flatnonzero(~valid) + 2).tolist())
    assert len(plan.batches) == -(-len(expected_items) // 100)
    assert_batches_well_formed(plan)


@pytest.mark.slow
def test_100k_events_match_a_row_by_row_reference():
    users = [f"U{i % 20_000}" for i in range(COUNT)]
    dates = sparse([f"2026-01-{1 + i % 28:02d}T10:00:00.000Z" for i in range(COUNT)], 10)
    # Every 1000th row repeats the row before it exactly: a duplicate event.
    order_ids = [f"O{i - 1 if i % 1000 == 999 else i}" for i in range(COUNT)]
    users = [users[i - 1] if i % 1000 == 999 else user for i, user in enumerate(users)]
    dates = [dates[i - 1] if i % 1000 == 999 else date for i, date in enumerate(dates)]
    amounts = [f"{(i - 1 if i % 1000 == 999 else i) % 977}.5" for i in range(COUNT)]
    result = make_result(ImportKind.EVENTS, {
        "_user_id": users,
        "_event_date": dates,
        "_event_parameters.order_id": order_ids,
        "_event_parameters.amount": amounts,
    }, event_type="purchase")
    plan = build_batches(result, datasource="ds")

    expected = []
    for i in range(COUNT):
        if i % 1000 == 999:
            continue
        params = {"_event_parameters.order_id": order_ids[i],
                  "_event_parameters.amount": amounts[i]}
        item = {"_user_id": users[i],
                "_event_id": event_id_for("ds", "purchase", users[i], dates[i] or "", params),
                "_event_type": "purchase"}
        if dates[i] is not None:
            item["_event_date"] = dates[i]
        item["_event_parameters"] = {"order_id": order_ids[i], "amount": float(amounts[i])}
        expected.append(item)

    assert all_items(plan) == expected
    assert plan.duplicate_events == tuple((i + 2, i + 1) for i in range(999, COUNT, 1000))
    assert_batches_well_formed(plan)
