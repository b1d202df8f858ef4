"""The sandbox's contacts, events and usage counters; optionally durable in a SQLite file.

Memory is the working copy every answer is computed from. With a state file, each acknowledged
write batch is committed to SQLite (WAL journal) before its answer is sent, so restarting the
sandbox — even after it was killed — keeps everything it acknowledged. One small transaction per
batch stays fast with hundreds of thousands of contacts, unlike rewriting one big JSON file.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Write batches between two moves of the stored data out of the garbage collector's reach.
_SETTLE_EVERY = 64

COUNTER_NAMES = (
    "callsTotal", "callsSuccess", "callsFailures",
    "processedEntitiesSuccess", "processedEntitiesFailures",
    "receivedContacts", "receivedEvents",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (user_id TEXT PRIMARY KEY, attributes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    """Not thread-safe by itself: the sandbox holds its one lock around every use."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.contacts: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.event_ids: set[str] = set()
        self.counters: dict[str, int] = dict.fromkeys(COUNTER_NAMES, 0)
        self._db: sqlite3.Connection | None = None
        self._writes_since_settle = 0
        if path is not None:
            self._open(path)

    def _open(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # The server thread writes, test and control threads read: the caller serializes.
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise ValueError(f"Cannot open the sandbox state file {path}: {error}.") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives the process being killed (not a power cut).
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            contacts = {
                user_id: json.loads(attributes)
                for user_id, attributes in db.execute("SELECT user_id, attributes FROM contacts")
            }
            events = [json.loads(text) for (text,) in
                      db.execute("SELECT event FROM events ORDER BY seq")]
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except (sqlite3.Error, ValueError) as error:
            db.close()
            raise ValueError(
                f"The sandbox state file {path} is not a sandbox state database ({error}); "
                f"choose another file or delete this one."
            ) from None
        self._db = db
        self.contacts = contacts
        self.events = events
        self.event_ids = {event["_event_id"] for event in events}
        saved = json.loads(meta.get("counters", "{}"))
        for name in COUNTER_NAMES:
            self.counters[name] = int(saved.get(name, 0))

    def persist(self, changed_contacts: Iterable[str] = (),
                new_events: Iterable[dict[str, Any]] = (),
                deleted_contacts: Iterable[str] = ()) -> None:
        """Make a batch's changes durable (no-op without a state file)."""
        self._settle_now_and_then()
        db = self._db
        if db is None:
            return
        contacts = self.contacts
        db.execute("BEGIN")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO contacts (user_id, attributes) VALUES (?, ?)",
                [(user_id, _dumps(contacts[user_id])) for user_id in changed_contacts
                 if user_id in contacts],
            )
            db.executemany("DELETE FROM contacts WHERE user_id = ?",
                           [(user_id,) for user_id in deleted_contacts])
            db.executemany("INSERT INTO events (event) VALUES (?)",
                           [(_dumps(event),) for event in new_events])
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('counters', ?)",
                       (_dumps(self.counters),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _settle_now_and_then(self) -> None:
        """Keep hundreds of thousands of stored dicts out of full garbage collections.

        In the wizard's "Try it on the sandbox" mode this server shares the GUI's process, and a
        full collection walking every stored contact holds the GIL for 250-600 ms, freezing the
        window. Freezing (after a cheap young collection, so no garbage is kept) moves what is
        alive into the permanent generation; the stored data has no reference cycles, so
        reference counting still frees it on reset or delete.
        """
        self._writes_since_settle += 1
        if self._writes_since_settle >= _SETTLE_EVERY:
            self._writes_since_settle = 0
            if gc.isenabled():
                # Automatic collection turned off means the host program collects on a thread
                # of its choosing (the wizard: its GUI thread); never collect on this one then.
                gc.collect(1)
            gc.freeze()

    def clear(self) -> None:
        self.contacts = {}
        self.events = []
        self.event_ids = set()
        self.counters = dict.fromkeys(COUNTER_NAMES, 0)
        if self._db is not None:
            self._db.executescript(
                "BEGIN; DELETE FROM contacts; DELETE FROM events; DELETE FROM meta; COMMIT;"
            )

    def close(self) -> None:
        """Save the latest counters (reads are only counted in memory) and close the file."""
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('counters', ?)",
                             (_dumps(self.counters),))
            self._db.close()
            self._db = None
