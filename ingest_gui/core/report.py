"""What an import did, row by row: the numbers for summaries and the messages for error logs.

Shared by the command line and the wizard's Done page so both count and explain alike. The
error log explains every row that did not go in as it is: invalid rows (the validation's
errors), rows the service rejected, and rows never sent because the upload stopped (those can
be resumed) — the rows to fix. Rows sent without an invalid value (left out, a warning) are
listed too, their cells as they were, to fix and import again. Repeated events are apart: the
event went in once, for the first row, so there is nothing to fix
(:attr:`ImportReport.sent_once_by_row`, listed after the rows to fix).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest_gui.core.validation import left_out_problems
from ingest_gui.texts import (
    QT_TRANSLATE_NOOP,
    group_thousands,
    thousands_separator,
    translate_marked,
)

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
    #: spreadsheet row -> every reason it was not imported (validation errors, service
    #: rejections, not sent because the upload stopped) or was sent without a value (warnings),
    #: in row order: the rows to fix.
    messages_by_row: dict[int, list[str]]
    #: spreadsheet row -> why it was not sent again, for repeated events ("sent once — nothing
    #: to fix"), in row order.
    sent_once_by_row: dict[int, list[str]] = field(default_factory=dict)
    #: Invalid values left out of the rows that were sent (the rest of each row went).
    values_left_out: int = 0

    @property
    def rows_to_fix(self) -> int:
        """How many rows the error log lists as needing a fix."""
        return len(self.messages_by_row)


#: Put before the service's own words, so the error log says who refused the row.
REJECTED_PREFIX = QT_TRANSLATE_NOOP("Report", "Rejected by Instasent: ")
NOT_SENT_MESSAGE = QT_TRANSLATE_NOOP(
    "Report", "Not sent: the upload stopped before this row (it can be resumed).")
DUPLICATE_EVENT = QT_TRANSLATE_NOOP(
    "Report", "Sent once — nothing to fix: row {row} is identical to row {first_row}, whose "
    "event was sent.")
NO_REASON = QT_TRANSLATE_NOOP("Report", "no reason given.")


def build_report(
    validation: ValidationResult, plan: PayloadPlan, upload: UploadResult | None
) -> ImportReport:
    """Combine what validation, payload building and the upload said about each row.

    Linear in the number of rows (a million-row upload takes a second or more): callers with a
    window run it off the GUI thread.
    """
    from ingest_gui.core.upload import RowStatus

    # Each sentence is translated once (the wizard installs a translator; the CLI does not).
    rejected_prefix = translate_marked("Report", REJECTED_PREFIX)
    not_sent_message = translate_marked("Report", NOT_SENT_MESSAGE)
    duplicate_event = translate_marked("Report", DUPLICATE_EVENT)
    no_reason = translate_marked("Report", NO_REASON)
    separator = thousands_separator()
    messages: dict[int, list[str]] = {}
    sent_once: dict[int, list[str]] = {}
    problems = validation.problems
    if len(problems):
        listed = problems[(problems["severity"] == "error").to_numpy(dtype=bool)
                          | left_out_problems(problems)]
        for row, message in zip(listed["row"].tolist(), listed["message"].tolist(), strict=True):
            messages.setdefault(int(row), []).append(str(message))
    for row, first_row in plan.duplicate_events:
        sent_once.setdefault(row, []).append(duplicate_event.replace(
            "{row}", group_thousands(row, separator)).replace(
            "{first_row}", group_thousands(first_row, separator)))
    sent = accepted = rejected = not_sent = 0
    if upload is not None:
        counts = Counter(upload.statuses.values())
        accepted = counts[RowStatus.ACCEPTED]
        rejected = counts[RowStatus.REJECTED]
        not_sent = counts[RowStatus.NOT_SENT]
        rejected_status, not_sent_status = RowStatus.REJECTED, RowStatus.NOT_SENT
        for row, status in upload.statuses.items():
            # An order gathered from several rows is named by all of them.
            if status is rejected_status:
                reasons = upload.messages.get(row) or [no_reason]
                for member in plan.rows_of(row):
                    messages.setdefault(member, []).extend(
                        rejected_prefix + text for text in reasons)
            elif status is not_sent_status:
                for member in plan.rows_of(row):
                    messages.setdefault(member, []).append(not_sent_message)
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
        messages_by_row={row: messages[row] for row in sorted(messages)},
        sent_once_by_row={row: sent_once[row] for row in sorted(sent_once)},
        values_left_out=validation.values_left_out_count,
    )
