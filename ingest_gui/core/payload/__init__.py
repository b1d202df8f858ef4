"""Turn validated rows into wire batches.

Two parts: :mod:`.planner` decides which rows go in which batch (limits, event ids, skipped
rows and duplicate events) and :mod:`.bodies` writes the JSON bodies from the cleaned columns
(its byte-scan fast paths in :mod:`.bodies_fast`).
"""

from ingest_gui.core.payload.planner import (
    EVENT_DATE,
    EVENT_ID,
    EVENT_ID_HEX_DIGITS,
    EVENT_ID_PREFIX,
    EVENT_PARAMETERS,
    EVENT_TYPE,
    MAX_BATCH_BYTES,
    MAX_ITEMS_PER_BATCH,
    USER_DATA,
    USER_ID,
    Batch,
    PayloadPlan,
    build_batches,
    event_id_for,
)

__all__ = [
    "EVENT_DATE",
    "EVENT_ID",
    "EVENT_ID_HEX_DIGITS",
    "EVENT_ID_PREFIX",
    "EVENT_PARAMETERS",
    "EVENT_TYPE",
    "MAX_BATCH_BYTES",
    "MAX_ITEMS_PER_BATCH",
    "USER_DATA",
    "USER_ID",
    "Batch",
    "PayloadPlan",
    "build_batches",
    "event_id_for",
]
