"""The sandbox's demo datasource: its specs as served on the wire, and its stream metadata.

The field names and casing are exactly those of the Ingest API reference. The content mirrors
``tests/core/factories.py::make_specs()`` field for field, so core tests built on that factory and
end-to-end tests against the sandbox describe the same datasource.
"""

from __future__ import annotations

from typing import Any

DEFAULT_COUNTRY = "ES"
TIMEZONE = "Europe/Madrid"
LOCALE = "es"


def _attribute(uid: str, label: str, data_type: str, *, multivalue: int = 0,
               read_only: bool = False, custom: bool = False) -> dict[str, Any]:
    return {
        "uid": uid,
        "displayLabel": label,
        "description": "",
        "dataType": data_type,
        "multivalue": multivalue,
        "readOnly": read_only,
        "requiredInWebhook": False,
        "important": False,
        "visible": True,
        "custom": custom,
    }


def _event(uid: str, name: str, *, automation: bool = False) -> dict[str, Any]:
    return {
        "uid": uid,
        "name": name,
        "description": "",
        "category": "",
        "attribution": False,
        "automation": automation,
        "icon": "",
        "emoji": "",
        "important": False,
    }


def _parameter(parameter: str, title: str, data_type: str, *, max_length: int | None = None,
               required: bool = False, multi_value: int = 0) -> dict[str, Any]:
    return {
        "parameter": parameter,
        "title": title,
        "description": "",
        "icon": "",
        "dataType": data_type,
        "visualType": "",
        "maxLength": max_length,
        "required": required,
        "multiValue": multi_value,
    }


#: ``GET /stream/specs/attributes`` -> ``{"specs": ATTRIBUTES}``.
ATTRIBUTES: tuple[dict[str, Any], ...] = (
    _attribute("_user_id", "User ID", "string"),
    _attribute("_first_name", "First name", "string"),
    _attribute("_last_name", "Last name", "string"),
    _attribute("_full_name", "Full name", "string"),
    _attribute("_email", "Email", "email"),
    _attribute("_phone_mobile", "Mobile phone", "phone"),
    _attribute("_country_code", "Country", "string"),
    _attribute("_email_verified", "Email verified", "bool", read_only=True),
    # Marketing consent per channel: granting it by import is a legal act (see core/consent.py).
    _attribute("_accepts_marketing_sms", "Accepts SMS marketing", "bool"),
    _attribute("_accepts_marketing_email", "Accepts email marketing", "bool"),
    _attribute("_accepts_marketing_whatsapp", "Accepts WhatsApp marketing", "bool"),
    _attribute("notes", "Notes", "text", custom=True),
    _attribute("plan", "Plan", "string", custom=True),
    _attribute("lifetime_value", "Lifetime value", "decimal", custom=True),
    _attribute("orders_count", "Orders", "number", custom=True),
    _attribute("vip", "VIP", "bool", custom=True),
    _attribute("birthday", "Birthday", "date", custom=True),
    _attribute("last_login", "Last login", "datetime", custom=True),
    _attribute("work_email", "Work email", "email", custom=True),
    _attribute("landline", "Landline", "phone", custom=True),
    _attribute("interests", "Interests", "string", multivalue=5, custom=True),
    # A dataType the app does not know: clients must treat it as text and never crash.
    _attribute("loyalty_tier", "Loyalty tier", "mystery", custom=True),
)

#: ``GET /stream/specs/events`` -> ``{"specs": EVENTS}``.
EVENTS: tuple[dict[str, Any], ...] = (
    _event("purchase", "Purchase", automation=True),
    _event("viewed_product", "Viewed product"),
    _event("reservation_made", "Reservation made", automation=True),
    _event("signup", "Sign-up", automation=True),
)

#: ``GET /stream/specs/event-parameters/{type}`` -> ``{"specs": EVENT_PARAMETERS[type]}``.
EVENT_PARAMETERS: dict[str, tuple[dict[str, Any], ...]] = {
    "purchase": (
        _parameter("order_id", "Order", "string", max_length=32, required=True),
        _parameter("amount", "Amount", "decimal", required=True),
        _parameter("currency", "Currency", "string", max_length=3),
        _parameter("products", "Products", "string", multi_value=10),
    ),
    "viewed_product": (
        _parameter("product_id", "Product", "string", required=True),
        _parameter("url", "URL", "text", max_length=2048),
    ),
    "reservation_made": (
        _parameter("reservation_id", "Reservation", "string", required=True),
        _parameter("check_in", "Check-in", "date", required=True),
        _parameter("guests", "Guests", "number"),
    ),
    "signup": (
        _parameter("source", "Source", "string", max_length=64),
        _parameter("newsletter", "Newsletter", "bool"),
    ),
}


def stream_metadata(project: str, datasource: str, *, counters: dict[str, int],
                    rate_limit: int | None) -> dict[str, Any]:
    """The ``GET /stream`` body, with live usage counters. It never contains the token itself."""
    return {
        "organization": {
            "id": "sandbox",
            "name": "Sandbox organization",
            "api": {"tier": "sandbox"},
        },
        "project": {
            "id": project,
            "uid": project,
            "name": "Demo project" if project == "demo" else project,
            "locale": LOCALE,
            "timezone": TIMEZONE,
        },
        "datasource": {
            "id": datasource,
            "uid": datasource,
            "name": "Demo datasource" if datasource == "demo" else datasource,
            "type": "ingest",
            "locale": LOCALE,
            "timezone": TIMEZONE,
            "defaultCountry": DEFAULT_COUNTRY,
            "receivedContacts": counters["receivedContacts"],
            "receivedEvents": counters["receivedEvents"],
            "contacts": counters["contacts"],
            "events": counters["events"],
        },
        "stream": {
            "id": stream_id(project, datasource),
            "entitiesLimit": 100,
            "rateLimit": rate_limit,
            "callsTotal": counters["callsTotal"],
            "callsSuccess": counters["callsSuccess"],
            "callsFailures": counters["callsFailures"],
            "processedEntitiesSuccess": counters["processedEntitiesSuccess"],
            "processedEntitiesFailures": counters["processedEntitiesFailures"],
        },
        "token": {"type": "datasource", "scopes": ["ingest:read", "ingest:write"]},
    }


def stream_id(project: str, datasource: str) -> str:
    return f"{project}.{datasource}.stream"
