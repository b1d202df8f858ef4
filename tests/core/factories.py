"""Builders for core tests: a datasource like the sandbox's demo one, and tables from columns."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs, EventParameterSpec, EventSpec
from ingest_gui.core.loading import LoadedTable


def make_specs(default_country: str = "ES", timezone: str = "Europe/Madrid") -> DatasourceSpecs:
    attributes = (
        AttributeSpec("_user_id", "User ID", data_type="string"),
        AttributeSpec("_first_name", "First name", data_type="string"),
        AttributeSpec("_last_name", "Last name", data_type="string"),
        AttributeSpec("_full_name", "Full name", data_type="string"),
        AttributeSpec("_email", "Email", data_type="email"),
        AttributeSpec("_phone_mobile", "Mobile phone", data_type="phone"),
        AttributeSpec("_country_code", "Country", data_type="string"),
        AttributeSpec("_email_verified", "Email verified", data_type="bool", read_only=True),
        AttributeSpec("_accepts_marketing_sms", "Accepts SMS marketing", data_type="bool"),
        AttributeSpec("_accepts_marketing_email", "Accepts email marketing", data_type="bool"),
        AttributeSpec("_accepts_marketing_whatsapp", "Accepts WhatsApp marketing",
                      data_type="bool"),
        AttributeSpec("notes", "Notes", data_type="text", custom=True),
        AttributeSpec("plan", "Plan", data_type="string", custom=True),
        AttributeSpec("lifetime_value", "Lifetime value", data_type="decimal", custom=True),
        AttributeSpec("orders_count", "Orders", data_type="number", custom=True),
        AttributeSpec("vip", "VIP", data_type="bool", custom=True),
        AttributeSpec("birthday", "Birthday", data_type="date", custom=True),
        AttributeSpec("last_login", "Last login", data_type="datetime", custom=True),
        AttributeSpec("work_email", "Work email", data_type="email", custom=True),
        AttributeSpec("landline", "Landline", data_type="phone", custom=True),
        AttributeSpec("interests", "Interests", data_type="string", multivalue=5, custom=True),
        AttributeSpec("loyalty_tier", "Loyalty tier", data_type="mystery", custom=True),
    )
    events = (
        EventSpec("purchase", "Purchase", automation=True),
        EventSpec("viewed_product", "Viewed product"),
        EventSpec("reservation_made", "Reservation made", automation=True),
        EventSpec("signup", "Sign-up", automation=True),
    )
    parameters = {
        "purchase": (
            EventParameterSpec("order_id", "Order", data_type="string", max_length=32,
                               required=True),
            EventParameterSpec("amount", "Amount", data_type="decimal", required=True),
            EventParameterSpec("currency", "Currency", data_type="string", max_length=3),
            EventParameterSpec("products", "Products", data_type="string", multi_value=10),
        ),
        "viewed_product": (
            EventParameterSpec("product_id", "Product", data_type="string", required=True),
            EventParameterSpec("url", "URL", data_type="text", max_length=2048),
        ),
        "reservation_made": (
            EventParameterSpec("reservation_id", "Reservation", data_type="string",
                               required=True),
            EventParameterSpec("check_in", "Check-in", data_type="date", required=True),
            EventParameterSpec("guests", "Guests", data_type="number"),
        ),
        "signup": (
            EventParameterSpec("source", "Source", data_type="string", max_length=64),
            EventParameterSpec("newsletter", "Newsletter", data_type="bool"),
        ),
    }
    return DatasourceSpecs(attributes, events, parameters, default_country, timezone)


def make_table(columns: dict[str, list[str]], *, header_row: int = 1,
               path: Path | None = None) -> LoadedTable:
    """A LoadedTable as the loader would produce it for a file with these columns."""
    frame = pd.DataFrame({name: pd.Series(values, dtype="str") for name, values in columns.items()})
    rows = len(frame)
    digest = hashlib.sha256(repr(sorted(columns.items())).encode()).hexdigest()
    return LoadedTable(
        path=path or Path("contacts.csv"),
        frame=frame,
        row_numbers=np.arange(header_row + 1, header_row + 1 + rows, dtype=np.int64),
        header_row=header_row,
        original_headers=tuple(columns),
        format="csv",
        fingerprint=digest,
    )
