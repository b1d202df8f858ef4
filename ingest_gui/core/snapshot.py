"""What undoing a contact import needs, read before it is sent: the snapshot.

Before a contact import, :func:`take_snapshot` reads the current record of every contact the
plan touches (paced and retried by :class:`~ingest_gui.core.contact_reads.ContactReader`) and
keeps, as plain JSON-ready data:

* the user ids the import will **create** (no such contact yet): undo deletes them;
* for every contact that exists, each attribute the import writes, with its **earlier value**,
  or ``None`` where the contact did not have it: undo posts these back, and the explicit
  ``null`` clears what the import added.

:func:`undo_plan` turns a snapshot into those two lists of work; :func:`undo_batches` into
batches for the upload engine. Events cannot be removed through the Ingest API: a snapshot is
for contact imports only.

Where the snapshot is stored (the import journal) is the workflow's business; a snapshot goes
to and from JSON with :meth:`Snapshot.to_json` / :meth:`Snapshot.from_json`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ingest_gui.api.items import user_id_text
from ingest_gui.api.results import RateLimit
from ingest_gui.core.cancel import CancelToken, ProgressCallback
from ingest_gui.core.contact_reads import ContactReader, attributes_of
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import MAX_ITEMS_PER_BATCH, USER_ID, Batch, PayloadPlan
from ingest_gui.texts import fill, translate

SNAPSHOT_FORMAT = 1
# A snapshot is taken without asking when its reads take at most this long at the rate limit
# and touch at most this many contacts; a larger one is taken on request.
AUTOMATIC_SNAPSHOT_SECONDS = 300.0
AUTOMATIC_SNAPSHOT_CONTACTS = 5000


@dataclass(frozen=True, slots=True)
class RestoredContact:
    """A contact that existed: its spreadsheet row (the first that touches it), and each
    attribute the import writes with its earlier value (``None``: it had none)."""

    user_id: str
    row: int
    attributes: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CreatedContact:
    """A contact the import creates, and its spreadsheet row (the first that touches it)."""

    user_id: str
    row: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The contacts an import touches, as they were before it; in file order."""

    created: tuple[CreatedContact, ...]
    restored: tuple[RestoredContact, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"format": 1, "created": [{"user_id", "row"}], "restored": [{"user_id", "row",
        "attributes": {uid: earlier value | null}}]}``."""
        return {
            "format": SNAPSHOT_FORMAT,
            "created": [{"user_id": contact.user_id, "row": contact.row}
                        for contact in self.created],
            "restored": [{"user_id": contact.user_id, "row": contact.row,
                          "attributes": dict(contact.attributes)}
                         for contact in self.restored],
        }

    @classmethod
    def from_json(cls, data: Any) -> Snapshot:
        """The snapshot :meth:`to_json` wrote; ``ValueError`` with a sentence if it is not one."""
        try:
            if not isinstance(data, Mapping) or data.get("format") != SNAPSHOT_FORMAT:
                raise TypeError
            created = tuple(CreatedContact(_text(entry["user_id"]), _row(entry["row"]))
                            for entry in _entries(data["created"]))
            restored = []
            for entry in _entries(data["restored"]):
                attributes = entry["attributes"]
                if not isinstance(attributes, Mapping) or not all(
                        isinstance(uid, str) for uid in attributes):
                    raise TypeError
                restored.append(RestoredContact(_text(entry["user_id"]), _row(entry["row"]),
                                                dict(attributes)))
        except (KeyError, TypeError):
            raise ValueError(translate(
                "Snapshot", "The saved snapshot of the contacts before this import is damaged "
                "or from another version of the app; this import cannot be undone.")) from None
        return cls(created, tuple(restored))


def _entries(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(entry, Mapping) for entry in value):
        raise TypeError
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError
    return value


def _row(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    return value


@dataclass(slots=True)
class _Touched:
    row: int
    attributes: dict[str, None]  # an ordered set: the attributes written, first seen first


def touched_contacts(plan: PayloadPlan) -> dict[str, tuple[int, tuple[str, ...]]]:
    """user id -> (first spreadsheet row, attributes written), in file order."""
    touched: dict[str, _Touched] = {}
    for batch in plan.batches:
        if batch.kind is not ImportKind.CONTACTS:
            raise ValueError("a snapshot is taken of a contact import's plan")
        for row, item in zip(batch.rows, batch.items, strict=True):
            user_id = user_id_text(item.get(USER_ID))
            if user_id is None:  # the plan never builds one; refuse rather than guess
                raise ValueError("an item of the plan has no user id")
            entry = touched.get(user_id)
            if entry is None:
                entry = touched[user_id] = _Touched(row, {})
            entry.attributes.update(dict.fromkeys(key for key in item if key != USER_ID))
    return {user_id: (entry.row, tuple(entry.attributes)) for user_id, entry in touched.items()}


def take_snapshot(
    plan: PayloadPlan,
    reader: ContactReader,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> Snapshot:
    """Read every contact ``plan`` (a contact import) touches and keep what undo needs.

    Raises :class:`~ingest_gui.core.contact_reads.ContactReadError` when the reads stop on an
    error, ``Cancelled`` when cancelled; ``progress(done, total)`` counts reads.
    """
    touched = touched_contacts(plan)
    records = reader.read(list(touched), cancel=cancel, progress=progress)
    created: list[CreatedContact] = []
    restored: list[RestoredContact] = []
    for user_id, (row, written) in touched.items():
        record = records[user_id]
        if record is None:
            created.append(CreatedContact(user_id, row))
            continue
        earlier = attributes_of(record)
        restored.append(RestoredContact(user_id, row,
                                        {uid: earlier.get(uid) for uid in written}))
    return Snapshot(tuple(created), tuple(restored))


@dataclass(frozen=True, slots=True)
class UndoPlan:
    """What undoing an import sends: contacts to delete, then contacts to post back."""

    delete_user_ids: tuple[str, ...]
    # ``{"_user_id": ..., uid: earlier value | None, ...}`` per contact that existed.
    restore_items: tuple[dict[str, Any], ...]


def undo_plan(snapshot: Snapshot) -> UndoPlan:
    return UndoPlan(
        tuple(contact.user_id for contact in snapshot.created),
        tuple({USER_ID: contact.user_id, **contact.attributes} for contact in snapshot.restored),
    )


def undo_batches(snapshot: Snapshot) -> tuple[Batch, ...]:
    """The undo as batches for the upload engine: deletions first, then restorations, each
    item labelled with the spreadsheet row of the import it takes back. Batch indexes are
    consecutive from 0, so a journal can resume an interrupted undo."""
    batches: list[Batch] = []
    deletions = [({USER_ID: contact.user_id}, contact.row) for contact in snapshot.created]
    restorations = [({USER_ID: contact.user_id, **contact.attributes}, contact.row)
                    for contact in snapshot.restored]
    for kind, entries in ((ImportKind.DELETE, deletions), (ImportKind.CONTACTS, restorations)):
        for start in range(0, len(entries), MAX_ITEMS_PER_BATCH):
            chunk = entries[start:start + MAX_ITEMS_PER_BATCH]
            batches.append(Batch.of_items(len(batches), kind, [item for item, _ in chunk],
                                          [row for _, row in chunk]))
    return tuple(batches)


def read_seconds(reads: int, rate_limit: RateLimit | None, *,
                 window_seconds: float = 60.0) -> float | None:
    """About how long ``reads`` paced reads take at ``rate_limit`` (``None``: no limit known,
    so only the network's speed sets it)."""
    if rate_limit is None or not rate_limit.limit:
        return None
    return reads * window_seconds / rate_limit.limit


def snapshot_is_automatic(contacts: int, rate_limit: RateLimit | None, *,
                          window_seconds: float = 60.0) -> bool:
    """Whether a snapshot of ``contacts`` is small and quick enough to take without asking."""
    if contacts > AUTOMATIC_SNAPSHOT_CONTACTS:
        return False
    seconds = read_seconds(contacts, rate_limit, window_seconds=window_seconds)
    return seconds is None or seconds <= AUTOMATIC_SNAPSHOT_SECONDS


def snapshot_cost_sentence(contacts: int, rate_limit: RateLimit | None, *,
                           window_seconds: float = 60.0) -> str:
    """What a snapshot of ``contacts`` costs, for the question asked before a large one."""
    seconds = read_seconds(contacts, rate_limit, window_seconds=window_seconds)
    if seconds is None:
        return fill(translate(
            "Snapshot", "Keeping a copy of the contacts before the import, so it can be undone, "
            "reads each of them once ({contacts} reads)."), contacts=contacts)
    return fill(translate(
        "Snapshot", "Keeping a copy of the contacts before the import, so it can be undone, "
        "reads each of them once ({contacts} reads): about {minutes} min at the datasource's "
        "rate limit."), contacts=contacts, minutes=max(1, math.ceil(seconds / 60)))
