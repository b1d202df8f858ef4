"""What an import will do to the datasource, found before anything is sent.

The preview reads the current record of the contacts an upload plan touches
(:class:`~ingest_gui.core.contact_reads.ContactReader`) and compares it with the items the plan
would send:

* **Contacts.** Each sampled item is *new* (no such contact), *updated* (a value differs, or an
  explicit ``null`` clears a value the contact has) or *unchanged*. Per attribute, it counts the
  existing contacts whose value would change, and those whose value would be cleared (an empty
  cell under the "clear" policy over a non-empty value; a ``null`` over an absent attribute is
  no change). Values are compared as the service stores them, whatever their spelling on
  either side: numbers by value (``"7"``, ``7`` and ``7.0`` are the same), bools ``"1"``/``"0"``/
  ``true``/``false``, dates by day, date-times by instant (the datasource's zone when none is
  written), e-mails ignoring case, lists ignoring order, an empty text or list as absent. Items
  of the same contact are applied in file order, so a contact's second row is compared with
  what its first row leaves.
* **Events.** Each sampled event whose contact is not in the datasource is one the service will
  drop without an error (``events_unknown_contact``), unless it embeds its contact
  (``_user_data``), which then creates it: those are counted apart.

**Sampling.** A small file is read whole. A larger one is sampled: rows spread evenly across the
file (one in each equal stretch of it, the same rows every time), as many as take about
:data:`READ_BUDGET_SECONDS` at the datasource's rate limit, which the first read's
``X-RateLimit-*`` headers tell (the limit ``L`` per window of ``W`` seconds gives ``L * 15 / W``
reads, at most :data:`UNLIMITED_SAMPLE`). A datasource that reports no limit gets
:data:`UNLIMITED_SAMPLE` reads. Each read is one call to the API, counted against its rate limit
like any other; reading a contact twice is never needed (events of one contact share a read).

**Estimate.** Each count ``k`` of ``n`` sampled rows is scaled to the ``N`` rows of the file:
``round(k / n * N)``, with a 95 % margin from the normal approximation to the binomial with the
finite-population correction, ``1.96 * sqrt(p (1 - p) / n) * sqrt((N - n) / (N - 1)) * N``
rounded up. Where the sample found none (or only such rows) that formula would claim certainty;
the margin is then the "rule of three" bound ``3 / n`` of the rows, corrected alike. Every row
read: the margin is 0.

:meth:`Preview.as_json` gives the command line's ``"preview"`` object (its shape is documented
there); :meth:`Preview.summary_lines` the same in plain words for both front-ends.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from ingest_gui.api.items import user_id_text
from ingest_gui.api.results import RateLimit
from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs
from ingest_gui.core.cancel import CancelToken, ProgressCallback
from ingest_gui.core.contact_reads import ContactReader, ContactRecord, attributes_of
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import USER_DATA, USER_ID, PayloadPlan
from ingest_gui.texts import fill, translate

# The preview reads for about this long at the datasource's rate limit.
READ_BUDGET_SECONDS = 15.0
# Reads when the datasource reports no rate limit (and the most ever made).
UNLIMITED_SAMPLE = 1000
# Sampled contacts shown side by side, current vs after.
MAX_EXAMPLES = 5
# The confidence of every margin, and its z value.
CONFIDENCE = 0.95
_Z_95 = 1.959964


class SampleBasis(StrEnum):
    """Why the sample has the size it has."""

    # The file is small enough to read every row.
    EVERY_ROW = "every_row"
    # As many reads as take about 15 s at the datasource's rate limit.
    RATE_LIMIT = "rate_limit"
    # The datasource reports no limit: :data:`UNLIMITED_SAMPLE` reads.
    NO_RATE_LIMIT = "no_rate_limit"


class ContactStatus(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class FieldChange(StrEnum):
    CHANGED = "changed"
    CLEARED = "cleared"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class SampleSize:
    rows: int
    basis: SampleBasis


@dataclass(frozen=True, slots=True)
class Estimate:
    """A sampled count scaled to the whole file, ± ``margin`` at 95 % confidence."""

    sampled: int
    value: int
    margin: int

    def as_json(self) -> dict[str, int]:
        return {"sampled": self.sampled, "value": self.value, "margin": self.margin}


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """One attribute of a sampled contact: its value now and after the import (wire values,
    ``None`` where absent)."""

    attribute: str
    label: str
    before: Any
    after: Any
    change: FieldChange


@dataclass(frozen=True, slots=True)
class ContactComparison:
    """A sampled contact side by side: the attributes its item touches, current vs after."""

    row: int
    user_id: str
    status: ContactStatus
    fields: tuple[FieldComparison, ...]


@dataclass(frozen=True, slots=True)
class Preview:
    """What the sampled rows of an import would do, and the estimate for the whole file."""

    kind: ImportKind
    rows_total: int
    rows_sampled: int
    basis: SampleBasis
    # Calls per window the datasource reported (``None``: no limit, or nothing read).
    rate_limit: int | None
    window_seconds: float
    # Contacts only: sampled counts per status.
    contacts: Mapping[ContactStatus, int] | None
    # Contacts only: attribute uid -> sampled existing contacts whose value would change.
    attributes_changed: Mapping[str, int]
    # Contacts only: attribute uid -> sampled contacts whose value would be cleared.
    attributes_cleared: Mapping[str, int]
    # Events only: sampled events whose contact does not exist and that do not carry it.
    events_unknown_contact: int | None
    # Events only: sampled events whose contact does not exist yet and that carry it.
    events_creating_contact: int | None
    # The spreadsheet rows read, in file order.
    sampled_rows: tuple[int, ...] = ()
    # Contacts only: every sampled contact, current vs after, in file order.
    comparisons: tuple[ContactComparison, ...] = ()
    # Attribute uid -> label, for the summary.
    labels: Mapping[str, str] | None = None

    @property
    def examples(self) -> tuple[ContactComparison, ...]:
        """A few sampled contacts to show side by side: updated ones first, then new ones,
        then unchanged ones, each in file order."""
        preference = {ContactStatus.UPDATED: 0, ContactStatus.NEW: 1, ContactStatus.UNCHANGED: 2}
        shown = sorted(self.comparisons, key=lambda entry: (preference[entry.status], entry.row))
        return tuple(shown[:MAX_EXAMPLES])

    @property
    def sampled_all(self) -> bool:
        return self.rows_sampled >= self.rows_total

    @property
    def events_would_vanish(self) -> bool:
        """The sample found events the service would drop without an error."""
        return bool(self.events_unknown_contact)

    def estimate(self, sampled: int) -> Estimate:
        """``sampled`` (a count among the sampled rows) scaled to the whole file."""
        return estimate_count(sampled, self.rows_sampled, self.rows_total)

    def as_json(self) -> dict[str, Any]:
        """The command line's ``"preview"`` object::

            {"rows_sampled": n, "sampled_all": bool,
             "contacts": {"new": a, "updated": b, "unchanged": c} | null,   # null for events
             "attributes_changed": {"<uid>": n}, "attributes_cleared": {"<uid>": n},
             "events_unknown_contact": d | null,                           # null for contacts
             "estimate": {
               "rows_total": N, "confidence": 0.95,
               "sampling": {"basis": "every_row" | "rate_limit" | "no_rate_limit",
                            "rate_limit": L | null, "window_seconds": W},
               "contacts": {"new": E, "updated": E, "unchanged": E} | null,
               "attributes_changed": {"<uid>": E}, "attributes_cleared": {"<uid>": E},
               "events_unknown_contact": E | null,
               "events_creating_contact": E | null}}

        where each ``E`` is ``{"sampled": k, "value": v, "margin": m}``: ``k`` of the sampled
        rows, about ``v`` ± ``m`` (95 %) in the whole file (``m`` 0 when every row was read).
        ``events_creating_contact`` counts events of contacts not in the datasource that embed
        their contact (``_user_data``) and so create it.
        """
        contacts = (None if self.contacts is None
                    else {status.value: self.contacts[status] for status in ContactStatus})

        def estimated(counts: Mapping[str, int]) -> dict[str, dict[str, int]]:
            return {key: self.estimate(count).as_json() for key, count in counts.items()}

        def maybe(count: int | None) -> dict[str, int] | None:
            return None if count is None else self.estimate(count).as_json()

        return {
            "rows_sampled": self.rows_sampled,
            "sampled_all": self.sampled_all,
            "contacts": contacts,
            "attributes_changed": dict(self.attributes_changed),
            "attributes_cleared": dict(self.attributes_cleared),
            "events_unknown_contact": self.events_unknown_contact,
            "estimate": {
                "rows_total": self.rows_total,
                "confidence": CONFIDENCE,
                "sampling": {"basis": self.basis.value, "rate_limit": self.rate_limit,
                             "window_seconds": self.window_seconds},
                "contacts": None if contacts is None else estimated(contacts),
                "attributes_changed": estimated(self.attributes_changed),
                "attributes_cleared": estimated(self.attributes_cleared),
                "events_unknown_contact": maybe(self.events_unknown_contact),
                "events_creating_contact": maybe(self.events_creating_contact),
            },
        }

    def summary_lines(self) -> list[str]:
        """The preview in plain words, one sentence (or short paragraph) a line."""
        if self.rows_total == 0:
            return [translate("Preview", "There are no rows to send, so nothing to preview.")]
        lines = [self._sampling_line()]
        if self.contacts is not None:
            lines.extend(self._contact_lines(self.contacts))
        else:
            lines.extend(self._event_lines())
        return lines

    def _sampling_line(self) -> str:
        if self.sampled_all:
            return fill(translate(
                "Preview", "Every row was compared with the datasource (rows: {rows})."),
                rows=self.rows_total)
        if self.basis is SampleBasis.NO_RATE_LIMIT:
            template = translate(
                "Preview", "{sampled} of {total} rows, spread evenly across the file, were "
                "compared with the datasource (it reports no rate limit; the sample stops at "
                "{cap} reads). Figures for the whole file are estimates, ± a 95% margin.")
            return fill(template, sampled=self.rows_sampled, total=self.rows_total,
                        cap=UNLIMITED_SAMPLE)
        per_minute = round((self.rate_limit or 0) * 60 / self.window_seconds)
        template = translate(
            "Preview", "{sampled} of {total} rows, spread evenly across the file, were "
            "compared with the datasource (about {seconds} seconds of reads at its rate limit "
            "of {limit} calls a minute). Figures for the whole file are estimates, ± a 95% "
            "margin.")
        return fill(template, sampled=self.rows_sampled, total=self.rows_total,
                    seconds=round(READ_BUDGET_SECONDS), limit=per_minute)

    def _contact_lines(self, contacts: Mapping[ContactStatus, int]) -> list[str]:
        new, updated, unchanged = (contacts[status] for status in ContactStatus)
        lines = [fill(translate(
            "Preview", "New contacts: {new}. Updated: {updated}. Unchanged: {unchanged}."),
            new=new, updated=updated, unchanged=unchanged)]
        if not self.sampled_all:
            lines.append(fill(translate(
                "Preview", "In the whole file: about {new} new, {updated} updated, {unchanged} "
                "unchanged."),
                new=self._about(new), updated=self._about(updated),
                unchanged=self._about(unchanged)))
        labels = self.labels or {}

        def listed(counts: Mapping[str, int]) -> str:
            ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
            return ", ".join(fill("{label}: {count}", label=labels.get(uid, uid), count=count)
                             for uid, count in ordered)

        if self.attributes_changed:
            lines.append(fill(translate(
                "Preview", "Attributes that would change (existing contacts, sampled): "
                "{attributes}."), attributes=listed(self.attributes_changed)))
        if self.attributes_cleared:
            lines.append(fill(translate(
                "Preview", "Attributes that would be cleared, because their cells are empty "
                "and set to clear (existing contacts, sampled): {attributes}."),
                attributes=listed(self.attributes_cleared)))
        return lines

    def _event_lines(self) -> list[str]:
        lines: list[str] = []
        unknown = self.events_unknown_contact or 0
        creating = self.events_creating_contact or 0
        if unknown:
            if self.sampled_all:
                template = translate(
                    "Preview", "{count} of the {total} events belong to contacts that are not "
                    "in the datasource: Instasent drops such events without an error. Import "
                    "the contacts first, or send each event with its contact (its user id and "
                    "the mapped contact columns, embedded in the event).")
            else:
                template = translate(
                    "Preview", "{count} of the {total} sampled events belong to contacts that "
                    "are not in the datasource: Instasent drops such events without an error. "
                    "Import the contacts first, or send each event with its contact (its user "
                    "id and the mapped contact columns, embedded in the event). In the whole "
                    "file that is about {estimate} events.")
            lines.append(fill(template, count=unknown, total=self.rows_sampled,
                              estimate=self._about(unknown)))
        if creating:
            lines.append(fill(translate(
                "Preview", "{count} of the {total} sampled events belong to contacts that are "
                "not in the datasource yet; each carries its contact, so the import creates "
                "them."), count=creating, total=self.rows_sampled))
        if not unknown and not creating:
            lines.append(translate(
                "Preview", "Every sampled event belongs to a contact that is in the "
                "datasource."))
        return lines

    def _about(self, sampled: int) -> str:
        estimate = self.estimate(sampled)
        return fill("{value} ± {margin}", value=estimate.value, margin=estimate.margin)


# -- sampling and estimating --------------------------------------------------------------------

def sample_size(rows_total: int, rate_limit: RateLimit | None, *, window_seconds: float = 60.0,
                budget_seconds: float = READ_BUDGET_SECONDS) -> SampleSize:
    """How many rows to read: all when that fits the read budget, else what the budget allows
    at the rate limit (``rate_limit.limit`` calls per ``window_seconds``), at most
    :data:`UNLIMITED_SAMPLE`; the latter when the datasource reports no limit."""
    limit = None if rate_limit is None else rate_limit.limit
    if limit is None:
        reads, basis = UNLIMITED_SAMPLE, SampleBasis.NO_RATE_LIMIT
    else:
        reads = max(1, min(UNLIMITED_SAMPLE, math.floor(limit * budget_seconds / window_seconds)))
        basis = SampleBasis.RATE_LIMIT
    if rows_total <= reads:
        return SampleSize(rows_total, SampleBasis.EVERY_ROW)
    return SampleSize(reads, basis)


def spread_positions(rows_total: int, sampled: int) -> list[int]:
    """``sampled`` item positions spread evenly over ``rows_total``, in order: the file cut
    into ``sampled`` equal stretches, one row of each. The first stretch gives its first row
    (the read that learns the rate limit); every other one a row at a pseudo-random place,
    the same for the same file size. A fixed step would alias with files that repeat a
    pattern (every fourth row a reorder, say) and always land on the same kind of row."""
    sampled = min(sampled, rows_total)
    rng = random.Random(rows_total)
    positions = [0] if sampled else []
    for index in range(1, sampled):
        start, end = index * rows_total // sampled, (index + 1) * rows_total // sampled
        positions.append(start + rng.randrange(end - start))
    return positions


def estimate_count(sampled: int, rows_sampled: int, rows_total: int) -> Estimate:
    """``sampled`` of ``rows_sampled`` rows scaled to ``rows_total`` (see the module's text)."""
    if rows_sampled <= 0:
        return Estimate(sampled, 0, 0)
    if rows_sampled >= rows_total:
        return Estimate(sampled, sampled, 0)
    share = sampled / rows_sampled
    if sampled in (0, rows_sampled):
        half_width = min(1.0, 3 / rows_sampled)
    else:
        half_width = _Z_95 * math.sqrt(share * (1 - share) / rows_sampled)
    correction = math.sqrt((rows_total - rows_sampled) / (rows_total - 1))
    margin = min(rows_total, math.ceil(half_width * correction * rows_total))
    return Estimate(sampled, round(share * rows_total), margin)


# -- comparing values as the service stores them -----------------------------------------------

class _Comparer:
    """Turns an attribute's value (sent, or stored) into a form equal for equal meanings."""

    def __init__(self, specs: DatasourceSpecs | None) -> None:
        self._attributes: dict[str, AttributeSpec] = (
            {} if specs is None else {spec.uid: spec for spec in specs.attributes})
        self._zone = _zone(specs.timezone if specs is not None else "")

    def label(self, uid: str) -> str:
        spec = self._attributes.get(uid)
        return spec.display_label if spec is not None and spec.display_label else uid

    def labels(self) -> dict[str, str]:
        return {uid: self.label(uid) for uid in self._attributes}

    def comparable(self, uid: str, value: Any) -> Any:
        """``None`` for an empty value; otherwise a hashable equal for equal stored values."""
        if value is None:
            return None
        spec = self._attributes.get(uid)
        data_type = spec.effective_type if spec is not None else "text"
        if (spec is not None and spec.is_list) or isinstance(value, list):
            parts = value if isinstance(value, list) else [value]
            normal = [self._scalar(data_type, part) for part in parts]
            present = sorted((part for part in normal if part is not None), key=repr)
            return tuple(present) or None
        return self._scalar(data_type, value)

    def _scalar(self, data_type: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        if data_type == "bool":
            truth = _bool(value)
            if truth is not None:
                return truth
        elif data_type in ("number", "integer", "decimal"):
            number = _decimal(value)
            if number is not None:
                return number
        elif data_type == "date":
            day = _day(value)
            if day is not None:
                return day
        elif data_type == "datetime":
            moment = _moment(value, self._zone)
            if moment is not None:
                return moment
        elif data_type == "email" and isinstance(value, str):
            return value.strip().casefold()
        if isinstance(value, str):
            return value
        return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _zone(name: str) -> tzinfo:
    if not name:
        return UTC
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, OSError, ImportError):  # unknown zone, or no tz database
        return UTC


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("1", "true", "yes"):
            return True
        if text in ("0", "false", "no"):
            return False
    return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int | float):
        text = repr(value)  # a float's shortest round-trip text: 0.1 is 0.1
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _moment(value: Any, zone: tzinfo) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


# -- the preview -------------------------------------------------------------------------------

@dataclass(slots=True)
class _Sampled:
    row: int
    item: dict[str, Any]


def _sampled_items(plan: PayloadPlan, positions: Sequence[int]) -> Iterator[_Sampled]:
    """The items at ``positions`` (sorted), decoding only the batches that hold them."""
    wanted = iter(positions)
    target = next(wanted, None)
    start = 0
    for batch in plan.batches:
        end = start + len(batch.rows)
        if target is not None and target < end:
            items = batch.items
            # Each decode holds the GIL; a sample spread over every batch of a large file
            # decodes them all back to back, which kept the wizard's GUI thread from running
            # for a third of a second. Yielding between batches lets it in.
            time.sleep(0)
            while target is not None and target < end:
                yield _Sampled(batch.rows[target - start], items[target - start])
                target = next(wanted, None)
        start = end
        if target is None:
            return


def _user_id(item: Mapping[str, Any]) -> str:
    user_id = user_id_text(item.get(USER_ID))
    if user_id is None:  # the plan never builds one; refuse rather than guess
        raise ValueError("an item of the plan has no user id")
    return user_id


def preview_import(
    plan: PayloadPlan,
    kind: ImportKind,
    reader: ContactReader,
    *,
    specs: DatasourceSpecs | None = None,
    budget_seconds: float = READ_BUDGET_SECONDS,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> Preview:
    """Read a sample of the contacts ``plan`` touches and compare (see the module's text).

    ``specs`` (the datasource's) say how to compare each attribute and how to name it; without
    them every value is compared as text. ``progress(done, total)`` counts reads (``total`` 0
    until the sample size is known). Raises
    :class:`~ingest_gui.core.contact_reads.ContactReadError` when the reads stop on an error,
    ``Cancelled`` when cancelled.
    """
    if kind is ImportKind.DELETE:
        raise ValueError("a preview compares contact or event imports, not deletions")
    total = plan.item_count
    records: dict[str, ContactRecord] = {}
    if total:
        first = next(_sampled_items(plan, [0]))
        records.update(reader.read([_user_id(first.item)], cancel=cancel))
        if progress is not None:
            progress(1, 0)
    size = sample_size(total, reader.rate_limit, window_seconds=reader.window_seconds,
                       budget_seconds=budget_seconds)
    sampled = list(_sampled_items(plan, spread_positions(total, size.rows)))
    wanted = [user_id for user_id in dict.fromkeys(_user_id(s.item) for s in sampled)
              if user_id not in records]
    if wanted:
        already = len(records)
        reads = already + len(wanted)

        def reported(done: int, _total: int) -> None:
            if progress is not None:
                progress(already + done, reads)

        records.update(reader.read(wanted, cancel=cancel, progress=reported))
    comparer = _Comparer(specs)
    limit = None if reader.rate_limit is None else reader.rate_limit.limit
    bare = Preview(kind=kind, rows_total=total, rows_sampled=len(sampled), basis=size.basis,
                   rate_limit=limit, window_seconds=reader.window_seconds, contacts=None,
                   attributes_changed={}, attributes_cleared={}, events_unknown_contact=None,
                   events_creating_contact=None, labels=comparer.labels(),
                   sampled_rows=tuple(entry.row for entry in sampled))
    if kind is ImportKind.EVENTS:
        unknown = creating = 0
        for entry in sampled:
            if records[_user_id(entry.item)] is None:
                if entry.item.get(USER_DATA) is not None:
                    creating += 1
                else:
                    unknown += 1
        return replace(bare, events_unknown_contact=unknown, events_creating_contact=creating)
    return _compare_contacts(sampled, records, comparer, bare)


def _compare_contacts(sampled: Sequence[_Sampled], records: Mapping[str, ContactRecord],
                      comparer: _Comparer, bare: Preview) -> Preview:
    statuses = dict.fromkeys(ContactStatus, 0)
    changed: dict[str, int] = {}
    cleared: dict[str, int] = {}
    comparisons: list[ContactComparison] = []
    # What each sampled contact holds after the sampled rows before it (file order).
    state: dict[str, dict[str, Any] | None] = {}
    for entry in sampled:
        user_id = _user_id(entry.item)
        if user_id not in state:
            record = records[user_id]
            state[user_id] = None if record is None else attributes_of(record)
        current = state[user_id]
        before = current or {}
        fields: list[FieldComparison] = []
        after = dict(before)
        for uid, value in entry.item.items():
            if uid == USER_ID:
                continue
            old = before.get(uid)
            old_form, new_form = comparer.comparable(uid, old), comparer.comparable(uid, value)
            if value is None:  # an explicit null: the service clears the attribute
                change = FieldChange.CLEARED if old_form is not None else FieldChange.UNCHANGED
                after.pop(uid, None)
            else:
                change = FieldChange.CHANGED if new_form != old_form else FieldChange.UNCHANGED
                after[uid] = value
            if current is not None and change is FieldChange.CHANGED:
                changed[uid] = changed.get(uid, 0) + 1
            elif current is not None and change is FieldChange.CLEARED:
                cleared[uid] = cleared.get(uid, 0) + 1
            fields.append(FieldComparison(uid, comparer.label(uid), old,
                                          after.get(uid), change))
        if current is None:
            status = ContactStatus.NEW
        elif any(field.change is not FieldChange.UNCHANGED for field in fields):
            status = ContactStatus.UPDATED
        else:
            status = ContactStatus.UNCHANGED
        statuses[status] += 1
        state[user_id] = after
        comparisons.append(ContactComparison(entry.row, user_id, status, tuple(fields)))
    return replace(bare, contacts=statuses, attributes_changed=dict(sorted(changed.items())),
                   attributes_cleared=dict(sorted(cleared.items())),
                   comparisons=tuple(comparisons))
