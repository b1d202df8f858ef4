"""The import report: rows to fix apart from repeated events sent once (nothing to fix)."""

from __future__ import annotations

from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.payload import build_batches
from ingest_gui.core.report import build_report
from ingest_gui.core.upload import RowStatus, UploadResult
from ingest_gui.core.validation import validate
from tests.core.factories import make_specs, make_table


def test_repeated_events_are_sent_once_and_not_counted_as_rows_to_fix() -> None:
    # Rows 2-6: row 4 repeats row 2, row 6 repeats row 3; row 5 has no customer (invalid).
    table = make_table({"Customer": ["U1", "U2", "U1", "", "U2"], "Product": ["P1"] * 5})
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product")
    mapping.assign("Customer", "_user_id")
    mapping.assign("Product", "_event_parameters.product_id")
    validation = validate(table, mapping, make_specs())
    plan = build_batches(validation, datasource="ds")
    assert plan.duplicate_events == ((4, 2), (6, 3))
    upload = UploadResult(statuses={2: RowStatus.ACCEPTED, 3: RowStatus.REJECTED,
                                    5: RowStatus.SKIPPED},
                          messages={3: ["_user_id: unknown"]})
    report = build_report(validation, plan, upload)
    assert sorted(report.messages_by_row) == [3, 5]          # rejected, invalid: to fix
    assert report.rows_to_fix == 2
    assert report.sent_once_by_row == {
        4: ["Sent once — nothing to fix: row 4 is identical to row 2, whose event was sent."],
        6: ["Sent once — nothing to fix: row 6 is identical to row 3, whose event was sent."],
    }
    # The counts --json prints are unchanged: the two repeated rows count as duplicates.
    assert (report.duplicates, report.invalid, report.accepted, report.rejected) == (2, 1, 1, 1)
    assert report.skipped == 1 + 2
