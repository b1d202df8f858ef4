"""What an import did, row by row: the numbers for summaries and the messages for error logs.

Shared by the command line and the wizard's Done page so both count and explain alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest_gui.core.payload import PayloadPlan
    from ingest_gui.core.upload import UploadResult
    from ingest_gui.core.validation import ValidationResult


@dataclass(frozen=True, slots=True)
class ImportReport:
    rows_read: int
    valid: int
    invalid: int
    duplicates: int
    sent: int
    accepted: int
    rejected: int
    not_sent: int
    #: Invalid rows left out before sending, plus duplicate events not sent again.
    skipped: int
    events_inside_window: int | None
    events_without_date: int | None
    events_outside_window: int | None
    #: spreadsheet row -> every reason it was not imported (validation errors, service rejections).
    messages_by_row: dict[int, list[str]]

    def as_json(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "valid": self.valid,
            "invalid": self.invalid,
            "duplicates": self.duplicates,
            "sent": self.sent,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "not_sent": self.not_sent,
            "skipped": self.skipped,
            "events_inside_window": self.events_inside_window,
            "events_without_date": self.events_without_date,
            "events_outside_window": self.events_outside_window,
        }


def build_report(
    validation: ValidationResult, plan: PayloadPlan, upload: UploadResult | None
) -> ImportReport:
    """Combine what validation, payload building and the upload said about each row."""
    from ingest_gui.core.upload import RowStatus

    messages: dict[int, list[str]] = {}
    problems = validation.problems
    if len(problems):
        errors = problems[problems["severity"] == "error"]
        for row, message in zip(errors["row"].tolist(), errors["message"].tolist(), strict=True):
            messages.setdefault(int(row), []).append(str(message))
    for row, first_row in plan.duplicate_events:
        messages.setdefault(row, []).append(
            f"Row {row:,} is identical to row {first_row:,}; the event was sent once."
        )
    sent = accepted = rejected = not_sent = 0
    if upload is not None:
        for row, status in upload.statuses.items():
            if status is RowStatus.ACCEPTED:
                accepted += 1
            elif status is RowStatus.REJECTED:
                rejected += 1
                reasons = upload.messages.get(row) or ["Rejected by the service."]
                messages.setdefault(row, []).extend(reasons)
            elif status is RowStatus.NOT_SENT:
                not_sent += 1
                messages.setdefault(row, []).append(
                    "Not sent: the upload stopped before this row (it can be resumed)."
                )
        sent = accepted + rejected
    automation = validation.automation
    return ImportReport(
        rows_read=len(validation.valid),
        valid=validation.valid_count,
        invalid=validation.invalid_count,
        duplicates=len(plan.duplicate_events),
        sent=sent,
        accepted=accepted,
        rejected=rejected,
        not_sent=not_sent,
        skipped=len(plan.skipped_rows) + len(plan.duplicate_events),
        events_inside_window=automation.inside_window if automation else None,
        events_without_date=automation.no_date if automation else None,
        events_outside_window=automation.outside_window if automation else None,
        messages_by_row=dict(sorted(messages.items())),
    )
