"""Readable names for the validation's problem kinds (the core's short codes)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def kind_label(kind: str) -> str:
    """``invalid_email`` -> "Invalid email"; unknown codes are spelled out the same way.

    Each label is a literal ``QCoreApplication.translate`` call: lupdate only extracts strings
    written that way, so a helper wrapping ``translate`` would leave them untranslated.
    """
    translate = QCoreApplication.translate
    labels = {
        "missing_required": translate("ProblemKinds", "Required value missing"),
        "missing_required_column": translate("ProblemKinds", "Required field without a column"),
        "missing_column": translate("ProblemKinds", "Mapped column not in the file"),
        "unknown_target": translate("ProblemKinds", "Unknown field"),
        "read_only_target": translate("ProblemKinds", "Field that cannot be imported"),
        "invalid_email": translate("ProblemKinds", "Invalid email"),
        "invalid_phone": translate("ProblemKinds", "Invalid phone number"),
        "phone_without_country": translate("ProblemKinds", "Phone number without a country"),
        "invalid_date": translate("ProblemKinds", "Invalid date"),
        "invalid_datetime": translate("ProblemKinds", "Invalid date and time"),
        "invalid_number": translate("ProblemKinds", "Invalid number"),
        "not_integer": translate("ProblemKinds", "Not a whole number"),
        "invalid_integer": translate("ProblemKinds", "Invalid whole number"),
        "invalid_decimal": translate("ProblemKinds", "Invalid decimal number"),
        "invalid_bool": translate("ProblemKinds", "Invalid yes/no value"),
        "invalid_country": translate("ProblemKinds", "Unknown country"),
        "invalid_event_type": translate("ProblemKinds", "Unknown event type"),
        "unknown_event_type": translate("ProblemKinds", "Unknown event type"),
        "unknown_event_type_setting": translate("ProblemKinds", "Unknown event type"),
        "invalid_user_id": translate("ProblemKinds", "Invalid user id"),
        "too_long": translate("ProblemKinds", "Too long"),
        "too_many_values": translate("ProblemKinds", "Too many values"),
        "duplicate_user_id": translate("ProblemKinds", "Repeated user id"),
        "duplicate_event_id": translate("ProblemKinds", "Repeated event id"),
        "ambiguous_date": translate("ProblemKinds", "Ambiguous date"),
        "date_out_of_range": translate("ProblemKinds", "Date out of range"),
    }
    if kind in labels:
        return labels[kind]
    text = kind.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else translate("ProblemKinds", "Other problem")
