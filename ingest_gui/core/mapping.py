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
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs, EventParameterSpec
from ingest_gui.core._readers_common import fill
from ingest_gui.texts import QT_TRANSLATE_NOOP, group_thousands, translate, translate_marked

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


class DateOrder(StrEnum):
    AUTO = "auto"
    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


@dataclass(frozen=True, slots=True)
class Target:
    """Something a column can feed."""

    key: str
    label: str
    #: Effective dataType (unknown types already turned into "text").
    data_type: str
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
        data_type="string", required=True,
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
        Target("_event_id", translate("Mapping", "Event ID"), "string", description=translate(
            "Mapping", "A stable id per event; when unmapped one is derived from the row.")),
        Target("_event_type", translate("Mapping", "Event type"), "string",
               required=event_type is None, description=translate(
                   "Mapping", "The type of each event, when it varies by row.")),
        Target("_event_date", translate("Mapping", "Event date"), "datetime",
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
        "numero de cliente", "n cliente", "id usuario", "id de usuario", "id contacto",
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
        "n pedido", "id pedido", "id de pedido",
    ),
    "amount": (
        "amount", "total", "importe", "total amount", "price", "precio", "revenue", "value",
        "valor", "total price", "subtotal", "importe total", "monto",
    ),
    "currency": ("currency", "moneda", "divisa", "currency code"),
    "products": ("products", "productos", "items", "line items", "articulos", "skus"),
    "product_id": ("product id", "product", "sku", "producto", "id producto", "referencia"),
    "reservation_id": ("reservation id", "booking id", "reserva", "id reserva", "localizador"),
    "check_in": ("check in", "checkin", "arrival", "entrada", "fecha de entrada", "llegada"),
    "guests": ("guests", "people", "pax", "huespedes", "personas", "adults"),
    "source": ("source", "origen", "fuente", "channel", "canal", "utm source"),
    "newsletter": ("newsletter", "accepts marketing", "accepts email marketing", "opt in",
                   "suscrito", "acepta marketing"),
    "url": ("url", "link", "page", "enlace", "pagina"),
}

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_header(text: str) -> str:
    """Fold accents, case and punctuation: "Correo electrónico:" -> "correo electronico"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # camelCase and snake_case read as words: "firstName" / "first_name" -> "first name".
    plain = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", plain)
    return _NON_WORD.sub(" ", plain.lower()).strip()


def _target_names(target: Target) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(exact names, synonyms) a header may match, normalised."""
    bare = target.key
    for prefix in (PARAMETER_PREFIX, USER_DATA_PREFIX):
        if bare.startswith(prefix):
            bare = bare[len(prefix):]
    names = {normalize_header(target.label), normalize_header(bare),
             normalize_header(bare.lstrip("_"))}
    if target.group == "parameter":
        synonyms = _PARAMETER_SYNONYMS.get(bare, ())
    else:
        synonyms = _SYNONYMS.get(bare, ())
    return tuple(sorted(name for name in names if name)), tuple(synonyms)


_SAMPLE_SIZE = 200
_EMAIL_VALUE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_VALUE = re.compile(r"^\+?[0-9][0-9 ().\-]{6,18}[0-9]$")
_DATE_VALUE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?$")
_NUMBER_VALUE = re.compile(r"^[-+]?\d[\d.,\s]*$")


def _sniff(values: Sequence[str]) -> dict[str, float]:
    """Share of sample values that look like each kind of data."""
    from ingest_gui.core.countries import to_country_code

    present = [value.strip() for value in values if value and value.strip()]
    if not present:
        return {}
    def share(test: Any) -> float:
        return sum(1 for value in present if test(value)) / len(present)

    digits_only = share(lambda v: v.replace(" ", "").isdigit())
    return {
        "email": share(lambda v: _EMAIL_VALUE.match(v) is not None),
        "phone": share(lambda v: _PHONE_VALUE.match(v) is not None
                       and sum(ch.isdigit() for ch in v) >= 9),
        "date": share(lambda v: _DATE_VALUE.match(v) is not None),
        "country": share(lambda v: len(v) <= 40 and to_country_code(v) is not None),
        "bool": share(lambda v: v.lower() in {"yes", "no", "true", "false", "si", "sí", "0", "1",
                                               "y", "n", "x"}),
        "number": share(lambda v: _NUMBER_VALUE.match(v) is not None),
        "digits": digits_only,
        "unique": len(set(present)) / len(present),
    }


def _value_kind(target: Target) -> str | None:
    """Which sniffed kind fits a target's data."""
    bare = target.key.rsplit(".", 1)[-1]
    if bare == "_country_code":
        return "country"
    return {
        "email": "email", "phone": "phone", "date": "date", "datetime": "date", "bool": "bool",
        "number": "number", "integer": "number", "decimal": "number",
    }.get(target.data_type)


def _header_score(header: str, target: Target) -> tuple[float, str]:
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
    best = max((fuzz.ratio(normal, name), name) for name in candidates)
    score, name = best
    if score >= 85:
        return 0.55 + (score - 85) / 15 * 0.3, fill(translate(
            "Mapping", "header resembles '{name}'"), name=name)
    # "Default Address Country Code" holds "country code": a weaker hint.
    words = set(normal.split())
    contained = [name for name in candidates
                 if len(name) >= 4 and set(name.split()) <= words]
    if contained:
        longest = max(contained, key=len)
        return 0.6 + min(len(longest), 20) / 200, fill(translate(
            "Mapping", "header contains '{name}'"), name=longest)
    return 0.0, ""


def suggest(table: LoadedTable, targets: Sequence[Target]) -> list[Suggestion]:
    """Best target per column (at most one column per target), from headers and values.

    A column whose values are e-mail addresses is also offered for ``_user_id`` (at a
    confidence below :data:`AUTO_APPLY_CONFIDENCE`) when nothing else claims it: Mailchimp
    exports have no other id.
    """
    frame = table.frame
    usable = [target for target in targets if not target.read_only]
    scored: list[Suggestion] = []
    sniffed: dict[str, dict[str, float]] = {}
    for header in table.headers:
        sample = [str(v) for v in frame[header].head(_SAMPLE_SIZE * 5).tolist()
                  if isinstance(v, str) and v.strip()][:_SAMPLE_SIZE]
        kinds = _sniff(sample)
        sniffed[header] = kinds
        for target in usable:
            confidence, reason = _header_score(header, target)
            kind = _value_kind(target)
            fits = kinds.get(kind, 0.0) if kind else 0.0
            if confidence > 0:
                if kind is not None and kinds and fits < 0.5:
                    # The header says phone but the cells are not phones: do not auto-apply.
                    confidence = min(confidence, 0.6) * (0.5 + fits)
                elif kind is not None and fits >= 0.9:
                    confidence = min(0.99, confidence + 0.03)
                    reason += fill(translate("Mapping", "; values look like {kind}"),
                                   kind=translate_marked("Mapping", _KIND_WORDS[kind]))
            elif kind in {"email", "phone", "country"} and fits >= 0.9:
                # Values alone: offered, never auto-applied.
                confidence = 0.5 + 0.2 * fits
                reason = fill(translate("Mapping", "values look like {kind}"),
                              kind=translate_marked("Mapping", _KIND_WORDS[kind]))
            if confidence >= 0.35:
                scored.append(Suggestion(header, target.key, round(confidence, 3), reason))

    # Greedy: the most confident pairs first; a column gets one target, a target one column.
    scored.sort(key=lambda s: (-s.confidence, table.headers.index(s.column), s.target))
    taken_columns: set[str] = set()
    taken_targets: set[str] = set()
    chosen: list[Suggestion] = []
    for suggestion in scored:
        if suggestion.column in taken_columns or suggestion.target in taken_targets:
            continue
        chosen.append(suggestion)
        taken_columns.add(suggestion.column)
        taken_targets.add(suggestion.target)

    if "_user_id" not in taken_targets and any(t.key == "_user_id" for t in usable):
        email_columns = [s for s in chosen if s.target.rsplit(".", 1)[-1] == "_email"]
        for suggestion in email_columns[:1]:
            chosen.append(Suggestion(
                suggestion.column, "_user_id", 0.6,
                "no id column: the e-mail address can identify each contact"))
    chosen.sort(key=lambda s: table.headers.index(s.column))
    return chosen


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
    """Write the template atomically (a crash never leaves half a file)."""
    text = json.dumps(_template_body(mapping, headers), ensure_ascii=False, indent=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)


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
