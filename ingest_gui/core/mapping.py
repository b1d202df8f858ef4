"""Which spreadsheet column feeds which datasource target, with per-column cleaning options.

Target keys:
- contacts: the attribute uid (``_email``, ``plan``, ...);
- events: ``_user_id``, ``_event_id``, ``_event_type``, ``_event_date``,
  ``_event_parameters.<parameter>`` and ``_user_data.<attribute uid>``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest_gui import paths
from ingest_gui.api.specs import (
    DATE_TYPES,
    NUMBER_TYPES,
    AttributeSpec,
    DatasourceSpecs,
    DataType,
    EventParameterSpec,
)
from ingest_gui.core.sources import Role, column_roles, normalize_header, recognise_source
from ingest_gui.texts import QT_TRANSLATE_NOOP, fill, group_thousands, translate, translate_marked

if TYPE_CHECKING:
    from ingest_gui.core.loading import LoadedTable

PARAMETER_PREFIX = "_event_parameters."
USER_DATA_PREFIX = "_user_data."
TEMPLATE_VERSION = 1
TEMPLATE_FORMAT = "ingest-gui-mapping"
#: Suggestions at or above this confidence are applied by "Auto-map"; the rest are only offered.
AUTO_APPLY_CONFIDENCE = 0.85


class ImportKind(StrEnum):
    CONTACTS = "contacts"
    EVENTS = "events"
    #: Remove the contacts whose user ids a column lists.
    DELETE = "delete"


class EmptyCellPolicy(StrEnum):
    #: Omit the attribute: the datasource keeps what it had (the guide's recommendation).
    KEEP = "keep"
    #: Send ``null``: the datasource clears the attribute.
    CLEAR = "clear"


class InvalidValuePolicy(StrEnum):
    #: Send the row without the invalid value (an optional field only; the error log warns).
    LEAVE_OUT = "leave_out"
    #: Reject the whole row.
    SKIP_ROW = "skip_row"


#: Targets whose invalid value always rejects the row (so do required ones): without a valid
#: one the row means nothing else.
ROW_KEYS = frozenset({"_user_id", "_event_id", "_event_type", "_event_date"})


class DateOrder(StrEnum):
    AUTO = "auto"
    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


@dataclass(frozen=True, slots=True)
class Target:
    """Something a column can feed."""

    key: str
    label: str
    #: Effective dataType (unknown types already turned into text).
    data_type: DataType
    required: bool = False
    description: str = ""
    #: 0/1 single value; N > 1 a list of up to N values.
    multivalue: int = 0
    max_length: int | None = None
    read_only: bool = False
    #: "contact", "event", "parameter" or "user_data".
    group: str = "contact"


@dataclass(frozen=True, slots=True)
class ColumnOptions:
    """How the cells of one column are cleaned before validation."""

    empty_cells: EmptyCellPolicy = EmptyCellPolicy.KEEP
    #: ISO country for phones without a prefix; ``None``: the row's mapped country, else the
    #: datasource's defaultCountry.
    phone_country: str | None = None
    date_order: DateOrder = DateOrder.AUTO
    #: IANA zone for event dates/datetimes without an offset; ``None``: the datasource's timezone.
    timezone: str | None = None
    multivalue_separator: str = ","
    lowercase_email: bool = True
    trim: bool = True
    #: "." or ","; ``None``: decided per column from the values that can only be read one way.
    decimal_separator: str | None = None
    invalid_values: InvalidValuePolicy = InvalidValuePolicy.LEAVE_OUT


def _options_to_json(options: ColumnOptions) -> dict[str, object]:
    default = ColumnOptions()
    body: dict[str, object] = {}
    for name in ColumnOptions.__slots__:
        value = getattr(options, name)
        if value != getattr(default, name):
            body[name] = value.value if isinstance(value, StrEnum) else value
    return body


def _options_from_json(column: str, data: dict[str, object]) -> ColumnOptions:
    known = set(ColumnOptions.__slots__)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue  # options from a newer app are ignored rather than refused
        try:
            if name == "empty_cells":
                values[name] = EmptyCellPolicy(str(value))
            elif name == "date_order":
                values[name] = DateOrder(str(value))
            elif name == "invalid_values":
                values[name] = InvalidValuePolicy(str(value))
            elif name in {"lowercase_email", "trim"}:
                if not isinstance(value, bool):
                    raise ValueError
                values[name] = value
            elif name == "multivalue_separator":
                if not isinstance(value, str):
                    raise ValueError
                values[name] = value
            else:
                if value is not None and not isinstance(value, str):
                    raise ValueError
                values[name] = value
        except ValueError:
            raise ValueError(fill(translate(
                "Mapping", 'The option "{option}" of column "{column}" has an unusable value: '
                "{value}."), option=name, column=column, value=repr(value))) from None
    return ColumnOptions(**values)


@dataclass(slots=True)
class Mapping:
    """The user's choices for one file. ``assignments`` maps target key -> column header."""

    kind: ImportKind
    event_type: str | None = None
    with_user_data: bool = False
    assignments: dict[str, str] = field(default_factory=dict)
    options: dict[str, ColumnOptions] = field(default_factory=dict)

    @property
    def event_type_from_column(self) -> bool:
        return self.kind is ImportKind.EVENTS and "_event_type" in self.assignments

    def assign(self, column: str, target: str) -> None:
        """Map ``column`` onto ``target`` (replacing the column it had); a column may feed many."""
        self.assignments[target] = column

    def unassign(self, target: str) -> None:
        self.assignments.pop(target, None)

    def targets_of(self, column: str) -> list[str]:
        return [target for target, source in self.assignments.items() if source == column]

    def options_for(self, column: str) -> ColumnOptions:
        return self.options.get(column, ColumnOptions())

    def unmapped_columns(self, headers: Sequence[str]) -> list[str]:
        used = set(self.assignments.values())
        return [header for header in headers if header not in used]

    def missing_required(self, targets: Sequence[Target]) -> list[Target]:
        """Required targets with no column (a fixed event type satisfies ``_event_type``)."""
        missing = []
        for target in targets:
            if not target.required or target.key in self.assignments:
                continue
            if target.key == "_event_type" and self.event_type:
                continue
            missing.append(target)
        return missing

    def to_json(self) -> dict[str, object]:
        """A stable, versioned JSON form (the template file body and the journal's mapping)."""
        return {
            "format": TEMPLATE_FORMAT,
            "version": TEMPLATE_VERSION,
            "kind": self.kind.value,
            "event_type": self.event_type,
            "with_user_data": self.with_user_data,
            "assignments": dict(sorted(self.assignments.items())),
            "options": {
                column: _options_to_json(options)
                for column, options in sorted(self.options.items())
                if options != ColumnOptions()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Mapping:
        """Read :meth:`to_json`'s form; ``ValueError`` saying what is wrong otherwise."""
        if not isinstance(data, dict):
            raise ValueError(translate(
                "Mapping", "This is not a mapping template (expected a JSON object)."))
        if data.get("format", TEMPLATE_FORMAT) != TEMPLATE_FORMAT:
            raise ValueError(translate(
                "Mapping", "This is not an Ingest Wizard mapping template."))
        version = data.get("version", TEMPLATE_VERSION)
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError(translate("Mapping", "The template's version is not a number."))
        if version > TEMPLATE_VERSION:
            raise ValueError(fill(translate(
                "Mapping", "The template was saved by a newer version of the app (format "
                "{version}); update the app to use it."), version=str(version)))
        try:
            kind = ImportKind(str(data.get("kind")))
        except ValueError:
            # The kinds are the template's own words (contacts, events, delete): not translated.
            raise ValueError(fill(translate(
                "Mapping", 'The template\'s import kind "{kind}" is not one of contacts, events '
                "or delete."), kind=str(data.get("kind")))) from None
        event_type = data.get("event_type")
        if event_type is not None and not isinstance(event_type, str):
            raise ValueError(translate("Mapping", "The template's event type is not text."))
        assignments = data.get("assignments", {})
        if not isinstance(assignments, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in assignments.items()):
            raise ValueError(translate(
                "Mapping", "The template's assignments must map target names to column names."))
        raw_options = data.get("options", {})
        if not isinstance(raw_options, dict):
            raise ValueError(translate(
                "Mapping", "The template's column options must be an object."))
        options = {}
        for column, value in raw_options.items():
            if not isinstance(value, dict):
                raise ValueError(fill(translate(
                    "Mapping", 'The options of column "{column}" must be an object.'),
                    column=str(column)))
            options[str(column)] = _options_from_json(str(column), value)
        return cls(kind=kind, event_type=event_type or None,
                   with_user_data=bool(data.get("with_user_data", False)),
                   assignments=dict(assignments), options=options)


@dataclass(frozen=True, slots=True)
class Suggestion:
    column: str
    target: str
    #: 0..1; >= AUTO_APPLY_CONFIDENCE is applied by auto-map.
    confidence: float
    #: Why, for a tooltip: "header matches 'E-mail'", "values look like phone numbers".
    reason: str


@dataclass(frozen=True, slots=True)
class TemplateMatch:
    path: Path
    mapping: Mapping
    added_headers: tuple[str, ...]
    removed_headers: tuple[str, ...]


def _attribute_target(spec: AttributeSpec, *, prefix: str = "", group: str = "contact") -> Target:
    return Target(
        key=prefix + spec.uid,
        label=spec.display_label or spec.uid,
        data_type=spec.effective_type,
        description=spec.description,
        multivalue=spec.multivalue,
        read_only=spec.read_only,
        group=group,
    )


def _parameter_target(spec: EventParameterSpec, *, required: bool) -> Target:
    return Target(
        key=PARAMETER_PREFIX + spec.parameter,
        label=spec.title or spec.parameter,
        data_type=spec.effective_type,
        required=required,
        description=spec.description,
        multivalue=spec.multi_value,
        max_length=spec.max_length,
        group="parameter",
    )


def targets_for(
    kind: ImportKind,
    specs: DatasourceSpecs,
    *,
    event_type: str | None = None,
    with_user_data: bool = False,
) -> list[Target]:
    """What columns can feed for ``kind``.

    Read-only attributes are listed with ``read_only=True`` (the UI greys them out; validation
    rejects a mapping that uses one). For events with ``event_type=None`` the type comes from a
    column: every type's parameters are offered, none required (validation then checks each row
    against its own type's required parameters).
    """
    user_id = specs.attribute("_user_id")
    user_id_target = Target(
        key="_user_id",
        label=(user_id.display_label if user_id else "") or translate("Mapping", "User ID"),
        data_type=DataType.STRING, required=True,
        description=translate(
            "Mapping", "Identifies the contact; sending it again updates the same contact."),
        group="contact" if kind is not ImportKind.EVENTS else "event",
    )
    if kind is ImportKind.DELETE:
        return [user_id_target]
    if kind is ImportKind.CONTACTS:
        targets = [user_id_target]
        targets += [_attribute_target(spec) for spec in specs.attributes if spec.uid != "_user_id"]
        return targets

    targets = [
        user_id_target,
        Target("_event_id", translate("Mapping", "Event ID"), DataType.STRING,
               description=translate("Mapping", "A stable id per event; when unmapped one is "
                                     "derived from the row.")),
        Target("_event_type", translate("Mapping", "Event type"), DataType.STRING,
               required=event_type is None, description=translate(
                   "Mapping", "The type of each event, when it varies by row.")),
        Target("_event_date", translate("Mapping", "Event date"), DataType.DATETIME,
               description=translate(
                   "Mapping",
                   "When the event happened; empty means now (and triggers automations).")),
    ]
    if event_type is not None:
        targets += [_parameter_target(spec, required=spec.required)
                    for spec in specs.parameters_of(event_type)]
    else:
        seen: set[str] = set()
        for event in specs.events:
            for spec in specs.parameters_of(event.uid):
                if spec.parameter not in seen:
                    seen.add(spec.parameter)
                    targets.append(_parameter_target(spec, required=False))
    if with_user_data:
        targets += [_attribute_target(spec, prefix=USER_DATA_PREFIX, group="user_data")
                    for spec in specs.attributes if spec.uid != "_user_id"]
    return targets


# --------------------------------------------------------------------------- suggestions

#: Header spellings per target (English and Spanish), compared after :func:`normalize_header`;
#: the more specific spellings come first.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "_user_id": (
        "user id", "userid", "customer id", "customer number", "client id", "contact id",
        "record id", "external id", "member id", "subscriber id", "id", "uid",
        "id cliente", "id de cliente", "cliente id", "codigo cliente", "cod cliente",
        "numero de cliente", "numero cliente", "id usuario", "id de usuario", "id contacto",
        "identificador", "id socio", "numero de socio",
    ),
    "_email": (
        "email", "e mail", "email address", "e mail address", "mail", "correo",
        "correo electronico", "direccion de correo", "direccion de correo electronico",
        "email del cliente", "customer email", "emailaddress",
    ),
    "_phone_mobile": (
        "mobile", "mobile phone", "mobile phone number", "mobile number", "cell",
        "cell phone", "cellphone", "movil", "telefono movil", "numero de movil", "celular",
        "telefono celular", "whatsapp", "sms",
        "phone", "phone number", "telephone", "tel", "telefono", "numero de telefono",
    ),
    "_first_name": (
        "first name", "firstname", "given name", "forename", "name", "nombre",
        "nombre de pila",
    ),
    "_last_name": (
        "last name", "lastname", "surname", "family name", "apellido", "apellidos",
        "primer apellido",
    ),
    "_full_name": ("full name", "fullname", "nombre completo", "contact name", "customer name"),
    "_country_code": (
        "country", "country code", "country region", "cc", "pais", "codigo pais",
        "codigo de pais", "nacionalidad", "billing country", "shipping country",
    ),
    "_event_id": (
        "event id", "id evento", "id de evento", "transaction id", "id transaccion",
    ),
    "_event_type": ("event type", "event", "type", "tipo", "tipo de evento", "evento"),
    "_event_date": (
        "date", "event date", "fecha", "fecha del evento", "timestamp", "created at",
        "created", "order date", "fecha pedido", "fecha de pedido", "fecha de compra",
        "purchase date", "datetime", "time", "fecha y hora", "paid at",
    ),
}

#: Spellings of common event parameters, matched against a parameter's name.
_PARAMETER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_id": (
        "order id", "order", "order number", "name", "pedido", "numero de pedido",
        "numero pedido", "id pedido", "id de pedido",
    ),
    "amount": (
        "amount", "total", "importe", "total amount", "price", "precio", "revenue", "value",
        "valor", "total price", "subtotal", "importe total", "monto", "order total",
        "order total amount", "net sales", "ventas netas",
    ),
    "currency": ("currency", "moneda", "divisa", "currency code"),
    "products": ("products", "productos", "items", "line items", "articulos", "skus",
                 "product", "producto", "product name", "item name", "articulo",
                 "lineitem name"),
    "product_id": ("product id", "product", "sku", "producto", "id producto", "referencia"),
    "reservation_id": ("reservation id", "booking id", "reserva", "id reserva", "localizador"),
    "check_in": ("check in", "checkin", "arrival", "entrada", "fecha de entrada", "llegada"),
    "guests": ("guests", "people", "pax", "huespedes", "personas", "adults"),
    "source": ("source", "origen", "fuente", "channel", "canal", "utm source"),
    "url": ("url", "link", "page", "enlace", "pagina"),
}

_TEXT_TYPES = frozenset({DataType.STRING, DataType.TEXT})


#: Instasent's consent attributes, one per channel (see issue 16 and the API reference).
_CONSENT_UIDS = ("_accepts_marketing_sms", "_accepts_marketing_email",
                 "_accepts_marketing_whatsapp")
#: Words that make a yes/no attribute a consent attribute, whatever its uid.
_CONSENT_WORDS = ("consent", "consentimiento", "opt in", "optin", "accepts marketing",
                  "accepts", "subscribed", "suscrito", "acepta", "newsletter", "boletin",
                  "marketing")
#: Words naming each channel, in headers and in attribute labels.
_CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "sms": ("sms", "text", "movil", "mobile"),
    "whatsapp": ("whatsapp", "whats app"),  # "WhatsApp" reads as two words
    "email": ("email", "mail", "correo", "newsletter", "boletin", "news"),
}
#: A consent column that says who refused ("Unsubscribed from all email", "HasOptedOutOfEmail",
#: "EMAIL_BLACKLISTED"): mapped onto an "accepts" attribute it would grant what was refused.
_NEGATIVE_CONSENT_WORDS = ("unsubscribed", "unsub", "opted out", "opt out", "optout",
                           "blacklisted", "do not", "baja", "clean")


def _channels(text: str) -> set[str]:
    words = f" {normalize_header(text).replace('e mail', 'email')} "
    return {channel for channel, names in _CHANNEL_WORDS.items()
            if any(f" {name} " in words for name in names)}


def _is_consent_target(target: Target) -> bool:
    if target.data_type != DataType.BOOL:
        return False
    if _bare_key(target) in _CONSENT_UIDS:
        return True
    words = f" {' '.join(sorted(_own_names(target)))} "
    return any(f" {word} " in words for word in _CONSENT_WORDS)


@dataclass(frozen=True, slots=True)
class _RoleHint:
    """How a :class:`Role` is found among a datasource's targets, and what its columns are
    called. A target is the role's when its bare key is one of ``keys``, or when its label or
    key is one of ``names`` and its data type one of ``types``."""

    keys: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    types: frozenset[DataType] = frozenset()


#: Roles of custom attributes (no fixed uid): found by label and type in the datasource.
_ROLE_HINTS: dict[Role, _RoleHint] = {
    Role.USER_ID: _RoleHint(("_user_id",)),
    Role.EMAIL: _RoleHint(("_email",)),
    Role.PHONE: _RoleHint(("_phone_mobile",)),
    Role.SECOND_PHONE: _RoleHint(names=(
        "landline", "phone", "phone number", "telephone", "home phone", "work phone",
        "other phone", "second phone", "telefono", "telefono fijo", "fijo", "otro telefono",
        "billing phone", "default address phone", "address phone",
    ), types=frozenset({DataType.PHONE})),
    Role.FIRST_NAME: _RoleHint(("_first_name",)),
    Role.LAST_NAME: _RoleHint(("_last_name",)),
    Role.FULL_NAME: _RoleHint(("_full_name",)),
    Role.COUNTRY: _RoleHint(("_country_code",)),
    Role.TOTAL_SPENT: _RoleHint(names=(
        "lifetime value", "total spent", "total spend", "customer lifetime value", "ltv", "clv",
        "historic customer lifetime value", "total compras", "total de compras", "gasto total",
        "total gastado", "valor de vida", "valor del cliente", "total sales", "sales",
        "ventas", "revenue", "total revenue", "importe total compras", "amount spent",
        "money spent",
    ), types=NUMBER_TYPES),
    Role.ORDERS_COUNT: _RoleHint(names=(
        "orders", "orders count", "order count", "total orders", "number of orders",
        "historic number of orders", "num orders", "pedidos", "numero de pedidos",
        "numero pedidos", "total pedidos", "total de pedidos", "num pedidos", "compras",
        "numero de compras",
    ), types=NUMBER_TYPES),
    Role.BIRTHDAY: _RoleHint(names=(
        "birthday", "birth date", "birthdate", "date of birth", "dob", "fecha de nacimiento",
        "nacimiento", "cumpleanos", "f nacimiento", "fecha nacimiento",
    ), types=DATE_TYPES),
    Role.NOTES: _RoleHint(names=(
        "notes", "note", "notas", "nota", "comments", "comment", "comentarios",
        "observaciones",
    ), types=_TEXT_TYPES),
    Role.TAGS: _RoleHint(names=("tags", "tag", "etiquetas", "labels"), types=_TEXT_TYPES),
    Role.INTERESTS: _RoleHint(names=(
        "interests", "intereses", "interest", "interes", "areas de interes",
    ), types=_TEXT_TYPES),
    Role.VIP: _RoleHint(names=("vip", "cliente vip", "es vip", "is vip", "vip customer"),
                        types=frozenset({DataType.BOOL})),
    Role.LOYALTY_TIER: _RoleHint(names=(
        "loyalty tier", "tier", "loyalty level", "loyalty", "nivel fidelidad",
        "nivel de fidelidad", "nivel fidelizacion", "fidelidad", "nivel",
    ), types=_TEXT_TYPES),
    Role.LAST_SEEN: _RoleHint(names=(
        "last login", "last active", "last seen", "last activity", "last visit",
        "last connection", "ultima visita", "ultima conexion", "ultimo acceso",
        "ultima actividad", "ultimo login",
    ), types=DATE_TYPES),
    Role.EVENT_ID: _RoleHint(("_event_id",)),
    Role.EVENT_TYPE: _RoleHint(("_event_type",)),
    Role.EVENT_DATE: _RoleHint(("_event_date",)),
    Role.ORDER_ID: _RoleHint(("order_id",)),
    Role.AMOUNT: _RoleHint(("amount",)),
    Role.CURRENCY: _RoleHint(("currency",)),
    Role.PRODUCTS: _RoleHint(("products",)),
    Role.CONSENT: _RoleHint(_CONSENT_UIDS, types=frozenset({DataType.BOOL})),
}

def _bare_key(target: Target) -> str:
    for prefix in (PARAMETER_PREFIX, USER_DATA_PREFIX):
        if target.key.startswith(prefix):
            return target.key[len(prefix):]
    return target.key


def _own_names(target: Target) -> frozenset[str]:
    bare = _bare_key(target)
    names = {normalize_header(target.label), normalize_header(bare),
             normalize_header(bare.lstrip("_"))}
    return frozenset(name for name in names if name)


def _target_role(target: Target) -> Role | None:
    """The role a target plays, from its key, else its label and type."""
    if _is_consent_target(target):
        return Role.CONSENT
    bare = _bare_key(target)
    own = _own_names(target)
    for role, hint in _ROLE_HINTS.items():
        if bare in hint.keys:
            return role
    for role, hint in _ROLE_HINTS.items():
        if hint.names and target.data_type in hint.types and own & set(hint.names):
            return role
    return None


def _target_names(target: Target) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(exact names, synonyms) a header may match, normalised."""
    bare = _bare_key(target)
    if target.group == "parameter":
        synonyms = _PARAMETER_SYNONYMS.get(bare, ())
    else:
        synonyms = _SYNONYMS.get(bare, ())
    if not synonyms:
        role = _target_role(target)
        if role is not None:
            synonyms = _ROLE_HINTS[role].names
        if role is Role.SECOND_PHONE:
            # A plain "Phone" is the main phone's; the second one gets it by convention only.
            synonyms = tuple(name for name in synonyms if name not in _SYNONYMS["_phone_mobile"])
    return tuple(sorted(_own_names(target))), tuple(synonyms)


_SAMPLE_SIZE = 200
_EMAIL_VALUE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_VALUE = re.compile(r"^\+?\(?\+?[0-9][0-9 ().\-/]{6,22}[0-9]$")
#: A plain decimal such as a coordinate (``47.6614000``, ``-122.2930000``): never a phone.
_DECIMAL_VALUE = re.compile(r"^-?\d{1,3}\.\d+$")
_DATE_VALUE = re.compile(
    r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?"
    r"|[A-Za-z]{3,9}\.? \d{1,2}, \d{4}( \d{1,2}:\d{2}.*)?"
    r"|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{4}( \d{1,2}:\d{2}.*)?)$")
#: A day and month with no year (Mailchimp's ``MM/DD`` birthday).
_YEARLESS_DATE_VALUE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$")
#: Currency signs and codes and percent signs around a number: ``1.234,56 €``, ``$1,234.56``,
#: ``12,5 %``, ``EUR 10``.
_NUMBER_DECORATION = re.compile(
    r"^[\s$€£¥]*(?:[A-Z]{3}\s*)?|(?:\s*[A-Z]{3})?[\s$€£¥%]*$")
_NUMBER_VALUE = re.compile(r"^[-+]?(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d+)?([.,]\d+)?$")
#: A hashed or opaque id (Mailchimp's EUID ``89501affba``): not a person's id when an e-mail
#: column exists.
_HASH_VALUE = re.compile(r"^(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,64}$")
#: What Shopify and WooCommerce put before ids, phones and zips to keep them as text.
_TEXT_MARKER = "'"


def _is_number(value: str) -> bool:
    core = _NUMBER_DECORATION.sub("", value)
    return bool(core) and any(ch.isdigit() for ch in core) and \
        _NUMBER_VALUE.match(core) is not None


def _is_yearless_date(value: str) -> bool:
    match = _YEARLESS_DATE_VALUE.match(value)
    if match is None:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)


def _sniff(values: Sequence[str]) -> dict[str, float]:
    """Share of sample values that look like each kind of data.

    A leading ``'`` (a spreadsheet's "keep as text" marker) is looked through.
    """
    from ingest_gui.core.countries import to_country_code

    present = [value.strip() for value in values if value and value.strip()]
    present = [value[1:].strip() if value.startswith(_TEXT_MARKER) and len(value) > 1
               else value for value in present]
    if not present:
        return {}

    def share(test: Any) -> float:
        return sum(1 for value in present if test(value)) / len(present)

    return {
        "email": share(lambda v: _EMAIL_VALUE.match(v) is not None),
        "phone": share(lambda v: _PHONE_VALUE.match(v) is not None
                       and _DECIMAL_VALUE.match(v) is None and _DATE_VALUE.match(v) is None
                       and sum(ch.isdigit() for ch in v) >= 6),
        "date": share(lambda v: _DATE_VALUE.match(v) is not None),
        "yearless_date": share(_is_yearless_date),
        "country": share(lambda v: len(v) <= 40 and to_country_code(v) is not None),
        "bool": share(lambda v: v.lower() in {"yes", "no", "true", "false", "si", "sí", "0", "1",
                                               "y", "n", "x", "verdadero", "falso"}),
        "number": share(_is_number),
        "digits": share(lambda v: v.replace(" ", "").isdigit()),
        "has_digit": share(lambda v: any(ch.isdigit() for ch in v)),
        "hash": share(lambda v: _HASH_VALUE.match(v) is not None),
    }


#: The sniffed kind of value (see :func:`_sniff`) each data type holds.
_KIND_OF_TYPE: dict[DataType, str] = {
    DataType.EMAIL: "email", DataType.PHONE: "phone", DataType.DATE: "date",
    DataType.DATETIME: "date", DataType.BOOL: "bool", DataType.NUMBER: "number",
    DataType.INTEGER: "number", DataType.DECIMAL: "number",
}


def _value_kind(target: Target) -> str | None:
    """Which sniffed kind fits a target's data."""
    if _bare_key(target) == "_country_code":
        return "country"
    return _KIND_OF_TYPE.get(target.data_type)


@dataclass(frozen=True, slots=True)
class _Judgement:
    """What a column's values say about one target."""

    #: The values contradict the target: never offer it.
    contradicted: bool
    #: Share of values of the target's kind (0 when the target has no kind or no values).
    fits: float
    #: Appended to the reason: "values look like phone numbers".
    note: str = ""
    #: The values fit only with a caveat (dates without a year): offered, never auto-applied.
    offer_only: bool = False


def _judge(kinds: dict[str, float], target: Target, *, email_column_exists: bool) -> _Judgement:
    """Do the sampled values fit ``target``? Empty columns never contradict."""
    if not kinds:
        return _Judgement(False, 0.0)
    bare = _bare_key(target)
    kind = _value_kind(target)
    if bare in {"_event_id", "order_id"} and kinds["has_digit"] < 0.8:
        return _Judgement(True, 0.0)  # a first name is not an order id
    if bare == "_user_id" and email_column_exists and kinds["hash"] >= 0.8:
        return _Judgement(True, 0.0)  # Mailchimp's EUID is not the person
    if bare in {"_first_name", "_last_name", "_full_name"} and (
            kinds["digits"] >= 0.5 or kinds["email"] >= 0.5):
        return _Judgement(True, 0.0)
    if kind is None:
        return _Judgement(False, 0.0)
    fits = kinds.get(kind, 0.0)
    note = ""
    offer_only = False
    if kind == "date" and target.data_type == DataType.DATE and kinds["yearless_date"] >= 0.5:
        fits = kinds["yearless_date"] + fits
        offer_only = True
        note = translate(
            "Mapping", "; the values are a day and month with no year (MM/DD) and a date field "
            "needs one: check on the Check page how they are read before importing")
    minimum = {"email": 0.5, "phone": 0.5, "country": 0.5}.get(kind, 0.8)
    if fits < minimum:
        return _Judgement(True, fits)
    if not note and fits >= 0.9:
        note = fill(translate("Mapping", "; values look like {kind}"),
                    kind=translate_marked("Mapping", _KIND_WORDS[kind]))
    return _Judgement(False, fits, note, offer_only)


#: A trailing note in brackets: Shopify's "(customer.metafields.facts.birth_date)", "(€)".
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def _header_score(header: str, target: Target) -> tuple[float, str]:
    """How well a header names ``target``: the header as written, or without a trailing note in
    brackets."""
    score = _header_score_of(header, target)
    plain = _TRAILING_NOTE.sub("", header)
    if plain and plain != header:
        score = max(score, _header_score_of(plain, target), key=lambda found: found[0])
    return score


def _header_score_of(header: str, target: Target) -> tuple[float, str]:
    from rapidfuzz import fuzz

    normal = normalize_header(header)
    if not normal:
        return 0.0, ""
    names, synonyms = _target_names(target)
    if normal in names:
        return 0.97, fill(translate("Mapping", "header matches '{label}'"), label=target.label)
    if normal in synonyms:
        # Earlier synonyms are more specific: "Mobile Phone Number" beats "Phone Number".
        rank = min(synonyms.index(normal), 20)
        return 0.95 - rank * 0.002, fill(translate(
            "Mapping", "header '{header}' is a usual name for {label}"),
            header=header, label=target.label)
    candidates = names + synonyms
    best: tuple[float, str] = (0.0, "")
    # Short names are too alike to compare letter by letter ("euid" and "uid").
    if len(normal) >= 5:
        score, name = max(((fuzz.ratio(normal, name), name) for name in candidates
                           if len(name) >= 5), default=(0.0, ""))
        if score >= 85:
            best = (0.55 + (score - 85) / 15 * 0.25, fill(translate(
                "Mapping", "header resembles '{name}'"), name=name))
    # "Default Address Country Code" holds "country code": a weaker hint.
    words = set(normal.split())
    contained = [name for name in candidates
                 if len(name) >= 4 and set(name.split()) <= words]
    if contained:
        longest = max(contained, key=len)
        best = max(best, (0.6 + min(len(longest), 20) / 200, fill(translate(
            "Mapping", "header contains '{name}'"), name=longest)), key=lambda found: found[0])
    return best


@dataclass(frozen=True, slots=True)
class ProposalEntry:
    """One (column, target) pair of a proposal; ``target`` is ``None`` for a column that goes
    nowhere."""

    column: str
    target: str | None
    #: 0..1.
    confidence: float
    #: What :func:`auto_map` applies (confidence at or above :data:`AUTO_APPLY_CONFIDENCE`).
    applied: bool
    #: Why, for people: "header matches 'Email'; values look like e-mail addresses".
    reason: str


@dataclass(frozen=True, slots=True)
class MappingProposal:
    """What a file was recognised as and the mapping proposed for it."""

    source: str | None
    source_label: str | None
    entries: tuple[ProposalEntry, ...]

    def suggestions(self) -> list[Suggestion]:
        """The entries with a target, as the Map page and :func:`auto_map` take them."""
        return [Suggestion(entry.column, entry.target, entry.confidence, entry.reason)
                for entry in self.entries if entry.target is not None]

    def as_json(self, *, sheet: str | None, header_row: int) -> dict[str, Any]:
        """The ``ingest-gui map --json`` body."""
        return {
            "source": self.source,
            "sheet": sheet,
            "header_row": header_row,
            "columns": [
                {"column": entry.column, "target": entry.target,
                 "confidence": entry.confidence, "applied": entry.applied,
                 "reason": entry.reason}
                for entry in self.entries
            ],
        }


_PROFILE_CONFIDENCE = 0.96
_CONSENT_CONFIDENCE = 0.7
#: Fits, with a caveat the user must see (a date without a year).
_OFFER_ONLY_CONFIDENCE = 0.8


#: A user id column with fewer values than this (Brevo's EXT_ID, filled only for synced
#: contacts) leaves the rest of the people without an id.
_ID_FILLED_SHARE = 0.9


def _filled_share(table: LoadedTable, header: str) -> float:
    values = table.frame[header].head(_SAMPLE_SIZE * 5).tolist()
    if not values:
        return 0.0
    return sum(1 for value in values if isinstance(value, str) and value.strip()) / len(values)


def _sample(table: LoadedTable, header: str) -> list[str]:
    values = table.frame[header].head(_SAMPLE_SIZE * 5).tolist()
    return [str(value) for value in values if isinstance(value, str) and value.strip()][
        :_SAMPLE_SIZE]


def _resolve_role(role: Role, targets: Sequence[Target],
                  exclude: frozenset[str] = frozenset()) -> Target | None:
    """The target of ``targets`` that plays ``role`` (by key, else by label and type)."""
    hint = _ROLE_HINTS.get(role)
    if hint is None:
        return None
    free = [target for target in targets if target.key not in exclude]
    for target in free:
        if _bare_key(target) in hint.keys:
            return target
    if not hint.names:
        return None
    named = [target for target in free
             if target.data_type in hint.types and _own_names(target) & set(hint.names)]
    if named:
        return named[0]
    if role is Role.SECOND_PHONE:
        # The datasource's other phone attribute, whatever it is called.
        others = [target for target in free if target.data_type == DataType.PHONE
                  and _target_role(target) is not Role.PHONE]
        return others[0] if others else None
    return None


class _Proposer:
    """Builds one proposal: profile roles first, then header and value matching for the rest,
    then the conventions that give one column two targets."""

    def __init__(self, table: LoadedTable, targets: Sequence[Target]) -> None:
        self.table = table
        self.headers = table.headers
        self.usable = [target for target in targets if not target.read_only]
        self.by_key = {target.key: target for target in self.usable}
        self.kinds = {header: _sniff(_sample(table, header)) for header in self.headers}
        self.filled = {header: _filled_share(table, header) for header in self.headers}
        self.match = recognise_source(table.headers, file_name=table.path.name)
        self.source = self.match.source if self.match else None
        # An error log holds exactly the values that were wrong: its headers are the evidence.
        self.lenient = self.source == "ingest_gui_error_log"
        self.email_column_exists = any(
            kinds.get("email", 0.0) >= 0.8 for kinds in self.kinds.values())
        self.chosen: list[Suggestion] = []
        self.taken_targets: set[str] = set()
        self.notes: dict[str, str] = {}

    def _take(self, suggestion: Suggestion) -> None:
        self.chosen.append(suggestion)
        self.taken_targets.add(suggestion.target)

    def run(self) -> list[Suggestion]:
        generic_columns = self._apply_profile()
        self._match_generic(generic_columns)
        self._conventions()
        order = {header: position for position, header in enumerate(self.headers)}
        self.chosen.sort(key=lambda s: order[s.column])
        return self.chosen

    # ---- profile
    def _apply_profile(self) -> dict[str, bool]:
        """Apply the recognised source's roles; return the columns left for generic matching
        (column -> only exact header matches allowed).

        Every column's first role is placed before any second one: Brevo's ``EXT_ID`` is the
        user id before ``EMAIL``'s "the e-mail is the id when nothing else is".
        """
        generic: dict[str, bool] = {}
        profiled: list[tuple[str, tuple[Role, ...]]] = []
        for header in self.headers:
            roles = column_roles(self.source, header)
            if not roles:
                generic[header] = False
            elif Role.SECRET in roles:
                self.notes[header] = translate(
                    "Mapping", "a password hash or security token: never sent")
            elif Role.CONSENT in roles:
                self._offer_consent(header)
            elif roles == (Role.IGNORE,):
                generic[header] = True
            else:
                profiled.append((header, roles))
        profiled = self._drop_sparse_ids(profiled, generic)
        placed: set[str] = set()
        for position in (0, 1):
            for header, roles in profiled:
                if position < len(roles) and self._place_role(header, roles[position]):
                    placed.add(header)
        for header, _roles in profiled:
            if header not in placed:
                generic[header] = False
        return generic

    def _drop_sparse_ids(self, profiled: list[tuple[str, tuple[Role, ...]]],
                         generic: dict[str, bool]) -> list[tuple[str, tuple[Role, ...]]]:
        """A user id column that is mostly empty yields to one that is full (Brevo's EXT_ID,
        filled for synced contacts only, yields to EMAIL)."""
        candidates = [header for header, roles in profiled if Role.USER_ID in roles]
        if not any(self.filled[header] >= _ID_FILLED_SHARE for header in candidates):
            return profiled
        kept: list[tuple[str, tuple[Role, ...]]] = []
        for header, roles in profiled:
            if Role.USER_ID in roles and self.filled[header] < _ID_FILLED_SHARE:
                roles = tuple(role for role in roles if role is not Role.USER_ID)
                if not roles:
                    generic[header] = True
                    continue
            kept.append((header, roles))
        return kept

    def _place_role(self, header: str, role: Role) -> bool:
        target = _resolve_role(role, self.usable, frozenset(self.taken_targets))
        if target is None:
            return False
        kinds = self.kinds[header]
        judgement = _judge(kinds, target, email_column_exists=self.email_column_exists)
        if judgement.contradicted or (role is Role.SECOND_PHONE and kinds.get("phone", 0) < 0.8):
            return False
        label = self.match.label if self.match else ""
        confidence = _OFFER_ONLY_CONFIDENCE if judgement.offer_only else _PROFILE_CONFIDENCE
        self._take(Suggestion(header, target.key, confidence, fill(translate(
            "Mapping", "{source}: this column is usually {label}"),
            source=label, label=target.label) + judgement.note))
        return True

    def _offer_consent(self, header: str) -> None:
        """Offer a consent column to the consent attribute of its channel (never applied)."""
        normal = f" {normalize_header(header)} "
        if any(f" {word} " in normal for word in _NEGATIVE_CONSENT_WORDS):
            self.notes[header] = translate(
                "Mapping", "says who refused marketing (the opposite of consent): not offered "
                "for a consent field")
            return
        reason = translate("Mapping", "a marketing-consent column: check it before using it")
        wanted = _channels(header)
        if not wanted and " marketing " in normal:
            wanted = {"email"}  # Shopify's first "Accepts Marketing" was e-mail marketing
        if not wanted:
            # No channel named ("Partner offers", "Consentimiento RGPD"): nothing to offer.
            self.notes[header] = reason
            return
        for target in self.usable:
            if target.key in self.taken_targets or not _is_consent_target(target):
                continue
            if not _channels(target.key + " " + target.label) & wanted:
                continue
            if _judge(self.kinds[header], target, email_column_exists=False).contradicted:
                continue
            self._take(Suggestion(header, target.key, _CONSENT_CONFIDENCE, reason))
            return
        self.notes[header] = reason

    # ---- headers and values
    def _match_generic(self, columns: dict[str, bool]) -> None:
        scored: list[Suggestion] = []
        free = [target for target in self.usable if target.key not in self.taken_targets
                and _target_role(target) is not Role.CONSENT]
        for header, exact_only in columns.items():
            kinds = self.kinds[header]
            for target in free:
                confidence, reason = _header_score(header, target)
                if exact_only and confidence < 0.97:
                    continue
                judgement = _judge(kinds, target, email_column_exists=self.email_column_exists)
                if judgement.contradicted and not (self.lenient and confidence >= 0.9):
                    continue
                kind = _value_kind(target)
                if confidence > 0:
                    if judgement.fits >= 0.9:
                        confidence = min(0.99, confidence + 0.03)
                    if judgement.offer_only:
                        confidence = min(confidence, _OFFER_ONLY_CONFIDENCE)
                    reason += judgement.note
                elif kind in {"email", "phone", "country"} and judgement.fits >= 0.9 \
                        and not exact_only:
                    # Values alone: offered, never auto-applied.
                    confidence = 0.5 + 0.2 * judgement.fits
                    reason = fill(translate("Mapping", "values look like {kind}"),
                                  kind=translate_marked("Mapping", _KIND_WORDS[kind]))
                if confidence >= 0.35:
                    scored.append(Suggestion(header, target.key, round(confidence, 3), reason))
        # Greedy: the most confident pairs first; a column gets one target, a target one column.
        order = {header: position for position, header in enumerate(self.headers)}
        scored.sort(key=lambda s: (-s.confidence, order[s.column], s.target))
        taken_columns: set[str] = set()
        for suggestion in scored:
            if suggestion.column in taken_columns or suggestion.target in self.taken_targets:
                continue
            self._take(suggestion)
            taken_columns.add(suggestion.column)

    # ---- one column, two targets
    def _conventions(self) -> None:
        self._order_id_is_event_id()
        self._email_is_user_id()
        self._second_phone()

    def _order_id_is_event_id(self) -> None:
        order_key = PARAMETER_PREFIX + "order_id"
        if "_event_id" in self.taken_targets or "_event_id" not in self.by_key:
            return
        for suggestion in [s for s in self.chosen if s.target == order_key]:
            self._take(Suggestion(suggestion.column, "_event_id", suggestion.confidence,
                                  translate("Mapping", "the order id identifies the event")))

    def _email_is_user_id(self) -> None:
        if "_user_id" in self.taken_targets or "_user_id" not in self.by_key:
            return
        email_columns = [s.column for s in self.chosen
                         if _bare_key(self.by_key[s.target]) == "_email"]
        used = {s.column for s in self.chosen}
        if not email_columns:
            # Events without user data have no e-mail target: a column of e-mails named so.
            email_target = Target("_email", "Email", DataType.EMAIL)
            email_columns = [
                header for header in self.headers if header not in used
                and _header_score(header, email_target)[0] >= 0.6
                and self.kinds[header].get("email", 0.0) >= 0.9]
        if not email_columns:
            return
        column = email_columns[0]
        # With no other column that could be an id, the e-mail is the only way to tell people
        # apart (a column surely mapped elsewhere, like an order id, is not a person's id).
        sure = {s.column for s in self.chosen if s.confidence >= AUTO_APPLY_CONFIDENCE}
        id_like = any(self._could_be_id(header) for header in self.headers
                      if header != column and header not in sure)
        confidence = 0.6 if id_like else 0.88
        self._take(Suggestion(column, "_user_id", confidence, translate(
            "Mapping", "no id column: the e-mail address can identify each contact")))

    def _could_be_id(self, header: str) -> bool:
        """The header names a person's id ("Customer number", "Código cliente", "DNI"), not
        just any code ("Código postal")."""
        words = set(normalize_header(header).split())
        if words & {"id", "uid", "identificador", "dni", "nif", "nie", "ref", "referencia"}:
            return True
        return "_user_id" in self.by_key and \
            _header_score(header, self.by_key["_user_id"])[0] >= 0.6

    def _second_phone(self) -> None:
        primary = [s for s in self.chosen if _target_role(self.by_key[s.target]) is Role.PHONE]
        if not primary:
            return
        second = _resolve_role(Role.SECOND_PHONE, self.usable, frozenset({primary[0].target}))
        if second is None:
            return
        holder = [s for s in self.chosen if s.target == second.key]
        if holder and holder[0].confidence >= AUTO_APPLY_CONFIDENCE:
            return
        # Values alone may have offered it a column: a column named like a phone takes over.
        used = {s.column for s in self.chosen} - {s.column for s in holder}
        for header in self.headers:
            if header in used or column_roles(self.source, header):
                continue
            kinds = self.kinds[header]
            # "Teléfono 2", "Other phone": the header names a phone, the values are phones.
            named = _header_score(header, self.by_key[primary[0].target])[0] >= 0.6
            if named and kinds and kinds["phone"] >= 0.8:
                for suggestion in holder:
                    self.chosen.remove(suggestion)
                self._take(Suggestion(header, second.key, 0.9, fill(translate(
                    "Mapping", "a second phone column: values look like phone numbers, so it "
                    "goes to {label}"), label=second.label)))
                return

    def proposal(self) -> MappingProposal:
        chosen = self.run()
        entries: list[ProposalEntry] = []
        by_column: dict[str, list[Suggestion]] = {}
        for suggestion in chosen:
            by_column.setdefault(suggestion.column, []).append(suggestion)
        for header in self.headers:
            found = by_column.get(header, [])
            entries += [ProposalEntry(s.column, s.target, s.confidence,
                                      s.confidence >= AUTO_APPLY_CONFIDENCE, s.reason)
                        for s in found]
            if not found:
                entries.append(ProposalEntry(header, None, 0.0, False, self.notes.get(
                    header, translate("Mapping", "no field of the datasource fits this column"))))
        return MappingProposal(self.source, self.match.label if self.match else None,
                               tuple(entries))


def suggest(table: LoadedTable, targets: Sequence[Target]) -> list[Suggestion]:
    """The proposed (column, target) pairs for ``targets`` (see :func:`propose_mapping`).

    A target gets at most one column; a column feeds two targets only where that is the
    convention (an order id is also the event id; the e-mail is also the user id when no
    column is an id).
    """
    return _Proposer(table, targets).run()


def propose_mapping(table: LoadedTable, specs: DatasourceSpecs, kind: ImportKind, *,
                    event_type: str | None = None,
                    with_user_data: bool = False) -> MappingProposal:
    """Recognise the file's source and propose its mapping onto the connected datasource."""
    targets = targets_for(kind, specs, event_type=event_type, with_user_data=with_user_data)
    return _Proposer(table, targets).proposal()


_KIND_WORDS = {
    "email": QT_TRANSLATE_NOOP("Mapping", "e-mail addresses"),
    "phone": QT_TRANSLATE_NOOP("Mapping", "phone numbers"),
    "date": QT_TRANSLATE_NOOP("Mapping", "dates"),
    "country": QT_TRANSLATE_NOOP("Mapping", "countries"),
    "bool": QT_TRANSLATE_NOOP("Mapping", "yes/no values"),
    "number": QT_TRANSLATE_NOOP("Mapping", "numbers"),
}


def auto_map(mapping: Mapping, suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Apply confident suggestions to ``mapping``; return the ones only offered.

    Targets the user already mapped are left alone.
    """
    offered = []
    for suggestion in suggestions:
        if suggestion.confidence >= AUTO_APPLY_CONFIDENCE \
                and suggestion.target not in mapping.assignments:
            mapping.assign(suggestion.column, suggestion.target)
        elif suggestion.target not in mapping.assignments:
            offered.append(suggestion)
    return offered



# --------------------------------------------------------------------------- templates


def _template_body(mapping: Mapping, headers: Sequence[str]) -> dict[str, object]:
    body = mapping.to_json()
    ordered: dict[str, object] = {key: body[key] for key in ("format", "version", "kind",
                                                             "event_type", "with_user_data")}
    ordered["headers"] = list(headers)
    ordered["assignments"] = body["assignments"]
    ordered["options"] = body["options"]
    return ordered


def save_template(path: Path, mapping: Mapping, headers: Sequence[str]) -> None:
    """Write the template atomically (a crash never leaves half a file), readable by its owner
    only (it names a customer file's columns). When it cannot be written or replaced (a
    template open elsewhere on Windows), the old one stays and no temporary file is left."""
    text = json.dumps(_template_body(mapping, headers), ensure_ascii=False, indent=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.unlink(missing_ok=True)  # one left by a crash keeps its old permissions
        with open(temporary, "w", encoding="utf-8", opener=paths.private_opener) as stream:
            stream.write(text + "\n")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def load_template(path: Path) -> tuple[Mapping, tuple[str, ...]]:
    """The mapping and the headers it was saved with; ``ValueError`` with a clear message if bad."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValueError(fill(translate(
            "Mapping", 'The mapping template "{path}" does not exist.'), path=str(path))) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(fill(translate(
            "Mapping", 'The mapping template "{path}" cannot be read ({reason}).'),
            path=str(path), reason=str(error))) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(fill(translate(
            "Mapping", 'The mapping template "{file}" is not valid JSON (line {line}, column '
            "{column})."), file=path.name, line=group_thousands(error.lineno),
            column=group_thousands(error.colno))) from None
    try:
        mapping = Mapping.from_json(data)
    except ValueError as error:
        raise ValueError(fill(translate(
            "Mapping", 'The mapping template "{file}" cannot be used: {reason}'),
            file=path.name, reason=str(error))) from None
    headers = data.get("headers", [])
    if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
        raise ValueError(fill(translate(
            "Mapping", 'The mapping template "{file}" cannot be used: its headers must be a '
            "list of column names."), file=path.name))
    return mapping, tuple(headers)


def templates_dir() -> Path:
    """Where templates are saved by default, and where :func:`find_template` looks."""
    from ingest_gui import paths

    return paths.data_dir() / "templates"


def find_template(headers: Sequence[str], directory: Path | None = None) -> TemplateMatch | None:
    """The saved template (default dir: :func:`templates_dir`) best matching headers.

    A template matches when every column it maps is present and at least half of the headers
    are shared; the best has the most shared headers (then the newest file). Unreadable files
    are skipped.
    """
    if directory is None:
        directory = templates_dir()
    if not directory.is_dir():
        return None
    wanted = list(headers)
    wanted_set = set(wanted)
    best: tuple[tuple[float, float], TemplateMatch] | None = None
    for path in directory.glob("*.json"):
        try:
            mapping, saved = load_template(path)
        except ValueError:
            continue
        saved_set = set(saved)
        if not set(mapping.assignments.values()) <= wanted_set:
            continue
        shared = len(saved_set & wanted_set)
        if shared * 2 < max(len(saved_set | wanted_set), 1):
            continue
        match = TemplateMatch(
            path=path,
            mapping=mapping,
            added_headers=tuple(h for h in wanted if h not in saved_set),
            removed_headers=tuple(h for h in saved if h not in wanted_set),
        )
        score = (shared / len(saved_set | wanted_set), path.stat().st_mtime)
        if best is None or score > best[0]:
            best = (score, match)
    return None if best is None else best[1]
