"""Write items as they travel: one JSON array, encoded once, with each item's ``_user_id``.

The upload plan encodes every batch before the upload starts (column-wise, far faster than one
``json.dumps`` per request), so the engine's worker threads only send bytes. Encoding rules
(one place for them): UTF-8, no ASCII escaping, no ``NaN``/``Infinity``, compact separators.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Joins the values of a list (multivalue) target from cleaning to the body writer, which
#: splits on it: the ASCII unit separator, so a value's own commas or semicolons survive.
LIST_SEPARATOR = "\x1f"


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} cannot be sent as JSON")


def encode_items(items: Sequence[Mapping[str, Any]]) -> bytes:
    """The request body for ``items``: the one serialisation every write uses."""
    return json.dumps(
        list(items), default=_json_default, ensure_ascii=False, allow_nan=False,
        separators=(",", ":"),
    ).encode("utf-8")


def user_id_text(value: Any) -> str | None:
    """An item's ``_user_id`` as text (a JSON integer counts), else ``None``."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


@dataclass(frozen=True, slots=True)
class EncodedItems:
    """A batch of write items as the JSON array sent on the wire (UTF-8 ``body``).

    ``user_ids[i]`` is item ``i``'s ``_user_id`` (``None`` when it has none): the answer's
    echoes are checked against it, and deletes are sent one per user id.
    """

    body: bytes
    user_ids: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.user_ids)

    def __repr__(self) -> str:
        # Contacts are personal data: a repr (logs, tracebacks) says how much, not what.
        return f"EncodedItems({len(self.user_ids)} items, {len(self.body)} bytes)"

    @classmethod
    def of(cls, items: Sequence[Mapping[str, Any]]) -> EncodedItems:
        return cls(encode_items(items),
                   tuple(user_id_text(item.get("_user_id")) for item in items))

    def decoded(self) -> list[dict[str, Any]]:
        """The items as Python objects (for reports and tests; the engine sends ``body``)."""
        items: list[dict[str, Any]] = json.loads(self.body)
        return items
