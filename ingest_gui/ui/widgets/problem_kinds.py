"""Readable names for the validation's problem kinds (the core's short codes)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProblemKinds", text)


def kind_label(kind: str) -> str:
    """``invalid_email`` -> "Invalid email"; unknown codes are spelled out the same way."""
    labels = {
        "missing_required": _tr("Required value missing"),
        "invalid_email": _tr("Invalid email"),
        "invalid_phone": _tr("Invalid phone number"),
        "invalid_date": _tr("Invalid date"),
        "invalid_datetime": _tr("Invalid date and time"),
        "invalid_number": _tr("Invalid number"),
        "invalid_integer": _tr("Invalid whole number"),
        "invalid_decimal": _tr("Invalid decimal number"),
        "invalid_bool": _tr("Invalid yes/no value"),
        "invalid_country": _tr("Unknown country"),
        "invalid_event_type": _tr("Unknown event type"),
        "invalid_user_id": _tr("Invalid user id"),
        "too_long": _tr("Too long"),
        "too_many_values": _tr("Too many values"),
        "duplicate_user_id": _tr("Repeated user id"),
        "duplicate_event_id": _tr("Repeated event id"),
        "ambiguous_date": _tr("Ambiguous date"),
        "date_out_of_range": _tr("Date out of range"),
    }
    if kind in labels:
        return labels[kind]
    text = kind.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else _tr("Other problem")
