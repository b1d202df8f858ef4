"""Which platform exported a file, from its header row, and what each of its columns means.

Real exports differ between generations of the same exporter, the exporter's UI language, the
columns a merchant chose and the case or spacing of headers; recognition therefore looks for a few
columns only that platform writes (``Financial Status`` + ``Lineitem quantity`` for Shopify
orders), compared after :func:`normalize_header`. The shapes come from
``shared/research/export-formats.md``.

A source's *profile* says what its columns mean as :class:`Role` values — never which datasource
attribute they go to: :mod:`ingest_gui.core.mapping` resolves roles onto the *connected*
datasource's targets by uid, label and data type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ingest_gui.core.errorlog import is_error_log
from ingest_gui.texts import QT_TRANSLATE_NOOP, translate_marked

_NON_WORD = re.compile(r"[^0-9a-z]+")
#: Spanish "number" abbreviations: "Nº pedido", "N.º cliente", "N° socio".
_NUMBER_SIGN = re.compile(r"\b[Nn]\s*\.?\s*[º°]")


def normalize_header(text: str) -> str:
    """Fold accents, case and punctuation: "Correo electrónico:" -> "correo electronico";
    "Nº pedido" -> "numero pedido"."""
    decomposed = unicodedata.normalize("NFKD", _NUMBER_SIGN.sub("numero ", text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # camelCase and snake_case read as words: "firstName" / "first_name" -> "first name".
    plain = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", plain)
    return _NON_WORD.sub(" ", plain.lower()).strip()


class Role(StrEnum):
    """What a column holds, independent of any datasource."""

    USER_ID = "user_id"
    EMAIL = "email"
    PHONE = "phone"
    #: Another phone of the same person (a landline, the address's phone).
    SECOND_PHONE = "second_phone"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    COUNTRY = "country"
    TOTAL_SPENT = "total_spent"
    ORDERS_COUNT = "orders_count"
    BIRTHDAY = "birthday"
    NOTES = "notes"
    TAGS = "tags"
    INTERESTS = "interests"
    VIP = "vip"
    LOYALTY_TIER = "loyalty_tier"
    #: When the person was last seen (last login, last visit, last activity).
    LAST_SEEN = "last_seen"
    EVENT_ID = "event_id"
    EVENT_TYPE = "event_type"
    EVENT_DATE = "event_date"
    ORDER_ID = "order_id"
    AMOUNT = "amount"
    CURRENCY = "currency"
    PRODUCTS = "products"
    #: Marketing consent (positive or negative): offered, never applied by a profile or auto-map.
    CONSENT = "consent"
    #: Known to the source, nothing to send (Mailchimp's LEID, coordinates, tax flags...).
    IGNORE = "ignore"
    #: Must never leave the machine (password hashes, reset tokens): never offered.
    SECRET = "secret"


#: Source id -> human label (translated with :func:`source_label`).
SOURCE_LABELS: dict[str, str] = {
    "shopify_customers": QT_TRANSLATE_NOOP("Sources", "Shopify customers export"),
    "shopify_orders": QT_TRANSLATE_NOOP("Sources", "Shopify orders export"),
    "woocommerce_customers": QT_TRANSLATE_NOOP("Sources", "WooCommerce customers export"),
    "woocommerce_orders": QT_TRANSLATE_NOOP("Sources", "WooCommerce orders export"),
    "prestashop_customers": QT_TRANSLATE_NOOP("Sources", "PrestaShop customers export"),
    "magento_customers": QT_TRANSLATE_NOOP("Sources", "Magento customers export"),
    "mailchimp_subscribed": QT_TRANSLATE_NOOP("Sources", "Mailchimp export of subscribed contacts"),
    "mailchimp_unsubscribed": QT_TRANSLATE_NOOP(
        "Sources", "Mailchimp export of unsubscribed contacts"),
    "mailchimp_cleaned": QT_TRANSLATE_NOOP(
        "Sources", "Mailchimp export of cleaned (bounced) contacts"),
    "mailchimp_nonsubscribed": QT_TRANSLATE_NOOP(
        "Sources", "Mailchimp export of non-subscribed contacts"),
    "klaviyo_profiles": QT_TRANSLATE_NOOP("Sources", "Klaviyo profiles export"),
    "hubspot_contacts": QT_TRANSLATE_NOOP("Sources", "HubSpot contacts export"),
    "brevo_contacts": QT_TRANSLATE_NOOP("Sources", "Brevo contacts export"),
    "salesforce_report": QT_TRANSLATE_NOOP("Sources", "Salesforce report export"),
    "salesforce_dataloader": QT_TRANSLATE_NOOP("Sources", "Salesforce Data Loader export"),
    "ingest_gui_error_log": QT_TRANSLATE_NOOP("Sources", "Error log saved by this app"),
}


def source_label(source: str) -> str:
    """The translated human label of a source id ("Shopify customers export")."""
    return translate_marked("Sources", SOURCE_LABELS[source])


@dataclass(frozen=True, slots=True)
class SourceMatch:
    """What a header row was recognised as."""

    source: str
    #: 0..1: how many of the source's telltale columns were found.
    confidence: float

    @property
    def label(self) -> str:
        return source_label(self.source)

    @property
    def kind(self) -> str:
        """The import kind the file feeds: "contacts" or "events"."""
        return "events" if self.source in _EVENT_SOURCES else "contacts"


_EVENT_SOURCES = frozenset({"shopify_orders", "woocommerce_orders"})


class _Headers:
    """A header row in the forms the rules compare: normalised, compact, as written."""

    def __init__(self, headers: Sequence[str]) -> None:
        self.raw = tuple(str(header).strip().lstrip("\ufeff") for header in headers)
        self.normal = frozenset(normalize_header(header) for header in self.raw)
        self.compact = frozenset(name.replace(" ", "") for name in self.normal)

    def has(self, *names: str) -> bool:
        """Any of ``names`` (normalised spellings) is a header."""
        return any(name in self.normal for name in names)

    def count(self, groups: Sequence[tuple[str, ...]]) -> int:
        return sum(1 for group in groups if self.has(*group))


def _score(headers: _Headers, required: Sequence[tuple[str, ...]],
           telltales: Sequence[tuple[str, ...]] = (), *, at_least: int = 0) -> float:
    """0 unless every required group and ``at_least`` telltale groups are present; else the
    share of all groups present (more evidence, more confidence)."""
    if headers.count(required) < len(required):
        return 0.0
    found = headers.count(telltales)
    if found < at_least:
        return 0.0
    return 0.6 + 0.4 * (len(required) + found) / (len(required) + len(telltales))


def _shopify_customers(h: _Headers) -> float:
    if h.has("lineitem quantity", "financial status"):
        return 0.0
    return _score(h, [("total spent",), ("total orders",)], [
        ("accepts email marketing", "accepts marketing"), ("accepts sms marketing",),
        ("tax exempt",), ("default address zip", "zip"), ("customer id",),
        ("default address country code", "country code"), ("tags",), ("note",)], at_least=1)


def _shopify_orders(h: _Headers) -> float:
    return _score(h, [("financial status",), ("lineitem quantity", "lineitem name")], [
        ("name",), ("billing zip",), ("fulfillment status",), ("paid at",),
        ("lineitem price",), ("shipping method",)])


def _woocommerce_customers(h: _Headers) -> float:
    return _score(h, [("last active", "ultima actividad"),
                      ("date registered", "fecha de registro", "registrado")], [
        ("aov", "valor medio del pedido", "pedido medio"), ("country region", "pais region"),
        ("total spend", "gasto total"), ("orders", "pedidos"), ("username", "nombre de usuario")],
        at_least=1)


def _woocommerce_orders(h: _Headers) -> float:
    analytics = _score(h, [("order", "order number", "pedido", "pedido numero", "numero de pedido"),
                           ("customer type", "tipo de cliente")], [
        ("net sales", "ventas netas"), ("items sold", "articulos vendidos"),
        ("product s", "producto s"), ("coupon s", "cupon es"), ("status", "estado")],
        at_least=1)
    billing = sum(1 for name in h.normal if name.endswith(" billing"))
    plugin = 0.0
    if billing >= 2 and h.has("order number", "order id", "order date"):
        plugin = 0.9
    snake = _score(h, [("order id", "order number"), ("billing email", "customer email")], [
        ("order date", "date"), ("billing first name",), ("order total",), ("status",),
        ("billing phone",), ("order currency",), ("paid date",)], at_least=2)
    return max(analytics, plugin, snake)


def _prestashop_customers(h: _Headers) -> float:
    # 1.7/8 write "Social title"; 1.6 wrote "Title", "News." and "Opt.".
    return _score(h, [("social title", "title", "tratamiento", "titulo", "titre", "anrede"),
                      ("last visit", "ultima visita", "ultima conexion", "derniere visite",
                       "letzter besuch")], [
        ("partner offers", "ofertas de socios", "ofertas asociados", "offres partenaires",
         "ofertas de colaboradores", "opt"),
        ("newsletter", "boletin", "boletin de noticias", "lettre d informations", "news"),
        ("sales", "ventas", "ventes"), ("enabled", "activado", "habilitado", "active"),
        ("registration", "registro", "fecha de registro", "inscription")], at_least=1)


def _magento_customers(h: _Headers) -> float:
    grid = _score(h, [("customer since", "cliente desde"), ("web site", "sitio web")], [
        ("id",), ("name", "nombre"), ("group", "grupo"), ("zip", "codigo postal"),
        ("state province", "estado provincia")])
    technical = _score(h, [("email",), ("website",), ("store",)], [
        ("password hash",), ("rp token",), ("created in",), ("group id",), ("website id",),
        ("firstname",), ("lastname",)], at_least=2)
    return max(grid, technical)


_MAILCHIMP_SYSTEM = [("member rating",), ("optin time",), ("optin ip",), ("confirm time",),
                     ("leid",), ("euid",), ("last changed",), ("gmtoff",), ("dstoff",)]


def _mailchimp(h: _Headers) -> float:
    return _score(h, [("email address", "direccion de correo electronico", "email")],
                  _MAILCHIMP_SYSTEM, at_least=2)


def _klaviyo(h: _Headers) -> float:
    return max(
        _score(h, [("klaviyo id",)], [("email",), ("email marketing consent",),
                                      ("profile created on",), ("first active",)]),
        _score(h, [("email marketing consent",)], [
            ("email suppressions",), ("profile created on",), ("first active",),
            ("last active",), ("historic customer lifetime value",)], at_least=2),
    )


def _hubspot(h: _Headers) -> float:
    english = _score(h, [("record id",)], [
        ("create date",), ("contact owner",), ("lifecycle stage",), ("lead status",),
        ("marketing contact status",), ("last activity date",)], at_least=1)
    spanish = _score(h, [("id de registro", "id del registro")], [
        ("fecha de creacion",), ("propietario del contacto",), ("etapa del ciclo de vida",),
        ("estado del lead", "estado de lead"), ("fecha de la ultima actividad",)], at_least=1)
    internal = _score(h, [("hs object id",)], [("createdate",), ("lifecyclestage",),
                                                ("hubspot owner id",), ("firstname",)])
    return max(english, spanish, internal)


_SALESFORCE_API_NAMES = ("accountid", "ownerid", "hasoptedoutofemail", "mobilephone", "mailingcity",
                         "mailingcountry", "mailingstreet", "createddate", "lastmodifieddate",
                         "isdeleted", "systemmodstamp", "donotcall", "createdbyid",
                         "lastmodifiedbyid", "masterrecordid", "leadsource", "firstname",
                         "lastname")

_BREVO_NAMES = frozenset({"SMS", "FIRSTNAME", "LASTNAME", "NOMBRE", "APELLIDOS", "PRENOM", "NOM",
                          "EMAIL_BLACKLISTED", "SMS_BLACKLISTED", "ADDED_TIME", "MODIFIED_TIME",
                          "WHATSAPP", "LANDLINE_NUMBER", "EXT_ID", "DOUBLE_OPT-IN", "OPT_IN"})


def _brevo(h: _Headers) -> float:
    if "EMAIL" not in h.raw or any(name in h.compact for name in _SALESFORCE_API_NAMES[:-2]):
        return 0.0
    found = sum(1 for name in h.raw if name in _BREVO_NAMES)
    return 0.0 if found == 0 else min(0.95, 0.7 + 0.05 * found)


def _salesforce_report(h: _Headers) -> float:
    if h.has("record id"):
        return 0.0
    return _score(h, [("contact id", "lead id", "account id", "id del contacto",
                       "id de contacto", "id del candidato")], [
        ("account name", "nombre de la cuenta"), ("contact owner", "lead owner",
                                                  "propietario del contacto"),
        ("mailing city", "ciudad de correo"), ("mailing country", "pais de correo"),
        ("mailing street",), ("email opt out", "no recibir correos electronicos"),
        ("lead source", "origen del candidato"), ("title", "cargo")], at_least=1)


def _salesforce_dataloader(h: _Headers) -> float:
    if "id" not in h.normal:
        return 0.0
    found = sum(1 for name in _SALESFORCE_API_NAMES if name in h.compact)
    # FirstName/LastName alone are too common; a Salesforce-only name must be there too.
    specific = sum(1 for name in _SALESFORCE_API_NAMES[:-2] if name in h.compact)
    if found < 3 or specific < 1:
        return 0.0
    return min(0.97, 0.6 + 0.04 * found)


def _error_log(h: _Headers) -> float:
    return 0.99 if is_error_log(h.raw) else 0.0


def _mailchimp_status(h: _Headers, file_name: str | None) -> str:
    if h.has("unsub time"):
        return "mailchimp_unsubscribed"
    if h.has("clean time"):
        return "mailchimp_cleaned"
    name = (file_name or "").lower()
    for status in ("nonsubscribed", "unsubscribed", "cleaned"):
        if name.startswith(status) or f" {status}" in name or f"_{status}" in name:
            return f"mailchimp_{status}"
    return "mailchimp_subscribed"


_RULES: tuple[tuple[str, Callable[[_Headers], float]], ...] = (
    ("ingest_gui_error_log", _error_log),
    ("shopify_customers", _shopify_customers),
    ("shopify_orders", _shopify_orders),
    ("woocommerce_customers", _woocommerce_customers),
    ("woocommerce_orders", _woocommerce_orders),
    ("prestashop_customers", _prestashop_customers),
    ("magento_customers", _magento_customers),
    ("mailchimp", _mailchimp),
    ("klaviyo_profiles", _klaviyo),
    ("hubspot_contacts", _hubspot),
    ("brevo_contacts", _brevo),
    ("salesforce_report", _salesforce_report),
    ("salesforce_dataloader", _salesforce_dataloader),
)


def recognise_source(headers: Sequence[str], *, file_name: str | None = None) -> SourceMatch | None:
    """The platform whose export has these headers, or ``None``.

    ``file_name`` tells the Mailchimp files apart whose headers are the same (subscribed and
    non-subscribed); without it those are taken as subscribed.
    """
    h = _Headers(headers)
    best: SourceMatch | None = None
    for source, rule in _RULES:
        confidence = rule(h)
        if confidence <= 0 or (best is not None and confidence <= best.confidence):
            continue
        if source == "mailchimp":
            source = _mailchimp_status(h, file_name)
        best = SourceMatch(source, round(confidence, 3))
    return best


# --------------------------------------------------------------------------- profiles

_R = Role

#: Per source: normalised header -> what the column holds. Roles with two entries feed two targets
#: (the source's convention). Headers not listed are matched by the generic rules.
_PROFILES: dict[str, dict[str, tuple[Role, ...]]] = {
    "shopify_customers": {
        "customer id": (_R.USER_ID,), "first name": (_R.FIRST_NAME,),
        "last name": (_R.LAST_NAME,), "email": (_R.EMAIL, _R.USER_ID), "phone": (_R.PHONE,),
        "default address phone": (_R.SECOND_PHONE,),
        "country code": (_R.COUNTRY,), "default address country code": (_R.COUNTRY,),
        "country": (_R.IGNORE,),
        "total spent": (_R.TOTAL_SPENT,), "total orders": (_R.ORDERS_COUNT,),
        "note": (_R.NOTES,), "tags": (_R.TAGS,),
        "accepts email marketing": (_R.CONSENT,), "accepts marketing": (_R.CONSENT,),
        "accepts sms marketing": (_R.CONSENT,), "accepts whatsapp marketing": (_R.CONSENT,),
        "tax exempt": (_R.IGNORE,), "province code": (_R.IGNORE,),
        "default address province code": (_R.IGNORE,),
    },
    "shopify_orders": {
        "name": (_R.EVENT_ID, _R.ORDER_ID), "email": (_R.USER_ID, _R.EMAIL),
        "phone": (_R.PHONE,), "billing phone": (_R.SECOND_PHONE,),
        "created at": (_R.EVENT_DATE,), "total": (_R.AMOUNT,), "currency": (_R.CURRENCY,),
        "lineitem name": (_R.PRODUCTS,), "billing country": (_R.COUNTRY,),
        "accepts marketing": (_R.CONSENT,), "id": (_R.IGNORE,), "subtotal": (_R.IGNORE,),
        "taxes": (_R.IGNORE,), "shipping": (_R.IGNORE,), "paid at": (_R.IGNORE,),
        "fulfilled at": (_R.IGNORE,), "cancelled at": (_R.IGNORE,),
        "lineitem price": (_R.IGNORE,), "lineitem compare at price": (_R.IGNORE,),
        "lineitem quantity": (_R.IGNORE,), "lineitem discount": (_R.IGNORE,),
        "refunded amount": (_R.IGNORE,), "outstanding balance": (_R.IGNORE,),
        "discount amount": (_R.IGNORE,), "billing name": (_R.FULL_NAME,),
        "shipping name": (_R.IGNORE,), "shipping phone": (_R.IGNORE,),
        "shipping country": (_R.IGNORE,), "source": (_R.IGNORE,), "device id": (_R.IGNORE,),
        "payment id": (_R.IGNORE,), "payment reference": (_R.IGNORE,),
        "payment references": (_R.IGNORE,), "receipt number": (_R.IGNORE,),
        "next payment due at": (_R.IGNORE,), "notes": (_R.IGNORE,),
    },
    "woocommerce_customers": {
        "name": (_R.FULL_NAME,), "email": (_R.EMAIL, _R.USER_ID),
        "country region": (_R.COUNTRY,), "total spend": (_R.TOTAL_SPENT,),
        "orders": (_R.ORDERS_COUNT,), "aov": (_R.IGNORE,), "username": (_R.IGNORE,),
        "date registered": (_R.IGNORE,), "last active": (_R.LAST_SEEN,),
    },
    "woocommerce_orders": {
        "order": (_R.EVENT_ID, _R.ORDER_ID), "order number": (_R.EVENT_ID, _R.ORDER_ID),
        "order id": (_R.EVENT_ID, _R.ORDER_ID), "date": (_R.EVENT_DATE,),
        "order date": (_R.EVENT_DATE,), "net sales": (_R.AMOUNT,),
        "order total": (_R.AMOUNT,), "order total amount": (_R.AMOUNT,),
        "product s": (_R.PRODUCTS,),
        "email billing": (_R.USER_ID, _R.EMAIL), "billing email": (_R.USER_ID, _R.EMAIL),
        "phone billing": (_R.PHONE,), "billing phone": (_R.PHONE,),
        "first name billing": (_R.FIRST_NAME,), "billing first name": (_R.FIRST_NAME,),
        "last name billing": (_R.LAST_NAME,), "billing last name": (_R.LAST_NAME,),
        "country code billing": (_R.COUNTRY,), "billing country": (_R.COUNTRY,),
        "order currency": (_R.CURRENCY,), "currency": (_R.CURRENCY,),
        "item name": (_R.PRODUCTS,), "customer": (_R.IGNORE,), "customer type": (_R.IGNORE,),
        "items sold": (_R.IGNORE,), "coupon s": (_R.IGNORE,), "origin": (_R.IGNORE,),
        "status": (_R.IGNORE,), "order status": (_R.IGNORE,),
    },
    "prestashop_customers": {
        "id": (_R.USER_ID,), "first name": (_R.FIRST_NAME,), "nombre": (_R.FIRST_NAME,),
        "last name": (_R.LAST_NAME,), "apellido": (_R.LAST_NAME,),
        "apellidos": (_R.LAST_NAME,),
        "email address": (_R.EMAIL,), "email": (_R.EMAIL,),
        "direccion de correo electronico": (_R.EMAIL,), "correo electronico": (_R.EMAIL,),
        "sales": (_R.TOTAL_SPENT,), "ventas": (_R.TOTAL_SPENT,),
        "newsletter": (_R.CONSENT,), "boletin": (_R.CONSENT,), "news": (_R.CONSENT,),
        "opt": (_R.CONSENT,), "title": (_R.IGNORE,), "age": (_R.IGNORE,),
        "boletin de noticias": (_R.CONSENT,), "partner offers": (_R.CONSENT,),
        "ofertas de socios": (_R.CONSENT,), "ofertas asociados": (_R.CONSENT,),
        "ofertas de colaboradores": (_R.CONSENT,),
        "social title": (_R.IGNORE,), "tratamiento": (_R.IGNORE,), "enabled": (_R.IGNORE,),
        "activado": (_R.IGNORE,), "habilitado": (_R.IGNORE,), "group": (_R.IGNORE,),
        "grupo": (_R.IGNORE,), "registration": (_R.IGNORE,), "registro": (_R.IGNORE,),
        "last visit": (_R.LAST_SEEN,), "ultima visita": (_R.LAST_SEEN,),
        "ultima conexion": (_R.LAST_SEEN,),
    },
    "magento_customers": {
        "id": (_R.USER_ID,), "name": (_R.FULL_NAME,), "email": (_R.EMAIL, _R.USER_ID),
        "phone": (_R.PHONE,), "country": (_R.COUNTRY,), "date of birth": (_R.BIRTHDAY,),
        "dob": (_R.BIRTHDAY,), "firstname": (_R.FIRST_NAME,), "lastname": (_R.LAST_NAME,),
        "billing firstname": (_R.FIRST_NAME,), "billing lastname": (_R.LAST_NAME,),
        "web site": (_R.IGNORE,), "website": (_R.IGNORE,), "store": (_R.IGNORE,),
        "group": (_R.IGNORE,), "group id": (_R.IGNORE,), "website id": (_R.IGNORE,),
        "store id": (_R.IGNORE,), "gender": (_R.IGNORE,), "account lock": (_R.IGNORE,),
        "password hash": (_R.SECRET,), "rp token": (_R.SECRET,),
        "rp token created at": (_R.SECRET,), "password": (_R.SECRET,),
        "confirmation": (_R.SECRET,),
    },
    "mailchimp": {
        "email address": (_R.EMAIL, _R.USER_ID), "first name": (_R.FIRST_NAME,),
        "last name": (_R.LAST_NAME,), "phone number": (_R.PHONE,), "birthday": (_R.BIRTHDAY,),
        "cc": (_R.COUNTRY,), "tags": (_R.TAGS,), "notes": (_R.NOTES,),
        "member rating": (_R.IGNORE,), "optin time": (_R.CONSENT,), "optin ip": (_R.IGNORE,),
        "confirm time": (_R.CONSENT,), "confirm ip": (_R.IGNORE,), "latitude": (_R.IGNORE,),
        "longitude": (_R.IGNORE,), "gmtoff": (_R.IGNORE,), "dstoff": (_R.IGNORE,),
        "timezone": (_R.IGNORE,), "region": (_R.IGNORE,), "last changed": (_R.IGNORE,),
        "leid": (_R.IGNORE,), "euid": (_R.IGNORE,), "email type": (_R.IGNORE,),
        "unsub time": (_R.CONSENT,), "unsub campaign title": (_R.IGNORE,),
        "unsub campaign id": (_R.IGNORE,), "unsub reason": (_R.IGNORE,),
        "unsub reason other": (_R.IGNORE,), "clean time": (_R.CONSENT,),
        "clean campaign title": (_R.IGNORE,), "clean campaign id": (_R.IGNORE,),
    },
    "klaviyo_profiles": {
        "email": (_R.EMAIL, _R.USER_ID), "klaviyo id": (_R.IGNORE,),
        "first name": (_R.FIRST_NAME,), "last name": (_R.LAST_NAME,),
        "phone number": (_R.PHONE,), "country": (_R.COUNTRY,),
        "email marketing consent": (_R.CONSENT,),
        "email marketing consent timestamp": (_R.CONSENT,),
        "sms marketing consent": (_R.CONSENT,), "sms marketing consent timestamp": (_R.CONSENT,),
        "email suppressions": (_R.CONSENT,),
        "total customer lifetime value": (_R.TOTAL_SPENT,),
        "historic customer lifetime value": (_R.IGNORE,), "last active": (_R.LAST_SEEN,),
        "predicted customer lifetime value": (_R.IGNORE,),
        "historic number of orders": (_R.ORDERS_COUNT,),
        "latitude": (_R.IGNORE,), "longitude": (_R.IGNORE,), "ip address": (_R.IGNORE,),
        "zip code": (_R.IGNORE,), "average order value": (_R.IGNORE,),
        "average days between orders": (_R.IGNORE,),
    },
    "hubspot_contacts": {
        "record id": (_R.USER_ID,), "id de registro": (_R.USER_ID,),
        "hs object id": (_R.USER_ID,),
        "first name": (_R.FIRST_NAME,), "nombre": (_R.FIRST_NAME,),
        "firstname": (_R.FIRST_NAME,),
        "last name": (_R.LAST_NAME,), "apellidos": (_R.LAST_NAME,),
        "lastname": (_R.LAST_NAME,),
        "email": (_R.EMAIL,), "correo": (_R.EMAIL,), "correo electronico": (_R.EMAIL,),
        "mobile phone number": (_R.PHONE,), "numero de telefono movil": (_R.PHONE,),
        "mobilephone": (_R.PHONE,),
        "phone number": (_R.SECOND_PHONE,), "numero de telefono": (_R.SECOND_PHONE,),
        "phone": (_R.SECOND_PHONE,),
        "country region": (_R.COUNTRY,), "pais region": (_R.COUNTRY,), "country": (_R.COUNTRY,),
        "unsubscribed from all email": (_R.CONSENT,),
        "legal basis for processing contact s data": (_R.CONSENT,),
        "marketing email confirmation status": (_R.CONSENT,),
        "marketing contact status": (_R.IGNORE,), "contact owner": (_R.IGNORE,),
        "propietario del contacto": (_R.IGNORE,),
        "primary associated company id": (_R.IGNORE,), "associated company": (_R.IGNORE,),
        "lead status": (_R.IGNORE,), "lifecycle stage": (_R.IGNORE,),
        "whatsapp phone number": (_R.IGNORE,), "date of birth": (_R.BIRTHDAY,),
        # The "internal names" export option.
        "hubspot owner id": (_R.IGNORE,), "associatedcompanyid": (_R.IGNORE,),
        "notes last updated": (_R.IGNORE,), "hs lead status": (_R.IGNORE,),
        "hs marketable status": (_R.IGNORE,), "createdate": (_R.IGNORE,),
        "lifecyclestage": (_R.IGNORE,), "hs email optout": (_R.CONSENT,),
    },
    "brevo_contacts": {
        "email": (_R.EMAIL, _R.USER_ID), "ext id": (_R.USER_ID,),
        "firstname": (_R.FIRST_NAME,), "prenom": (_R.FIRST_NAME,),
        "nombre": (_R.FIRST_NAME,), "lastname": (_R.LAST_NAME,), "nom": (_R.LAST_NAME,),
        "apellidos": (_R.LAST_NAME,), "sms": (_R.PHONE,),
        "landline number": (_R.SECOND_PHONE,), "whatsapp": (_R.IGNORE,),
        "email blacklisted": (_R.CONSENT,), "sms blacklisted": (_R.CONSENT,),
        "double opt in": (_R.CONSENT,), "opt in": (_R.CONSENT,),
        "added time": (_R.IGNORE,), "modified time": (_R.IGNORE,), "list ids": (_R.IGNORE,),
    },
    "salesforce_report": {
        "contact id": (_R.USER_ID,), "lead id": (_R.USER_ID,),
        "id del contacto": (_R.USER_ID,), "id de contacto": (_R.USER_ID,),
        "first name": (_R.FIRST_NAME,), "last name": (_R.LAST_NAME,), "email": (_R.EMAIL,),
        "mobile": (_R.PHONE,), "mobile phone": (_R.PHONE,), "phone": (_R.SECOND_PHONE,),
        "mailing country": (_R.COUNTRY,), "country": (_R.COUNTRY,),
        "email opt out": (_R.CONSENT,), "do not call": (_R.CONSENT,),
        "account id": (_R.IGNORE,), "account name": (_R.IGNORE,), "contact owner": (_R.IGNORE,),
        "lead owner": (_R.IGNORE,), "lead source": (_R.IGNORE,), "title": (_R.IGNORE,),
        "birthdate": (_R.BIRTHDAY,),
    },
    "salesforce_dataloader": {
        "id": (_R.USER_ID,), "first name": (_R.FIRST_NAME,), "firstname": (_R.FIRST_NAME,),
        "last name": (_R.LAST_NAME,), "lastname": (_R.LAST_NAME,), "email": (_R.EMAIL,),
        "mobile phone": (_R.PHONE,), "mobilephone": (_R.PHONE,), "phone": (_R.SECOND_PHONE,),
        "mailing country": (_R.COUNTRY,), "mailingcountry": (_R.COUNTRY,),
        "birthdate": (_R.BIRTHDAY,),
        "has opted out of email": (_R.CONSENT,), "hasoptedoutofemail": (_R.CONSENT,),
        "do not call": (_R.CONSENT,), "donotcall": (_R.CONSENT,),
        "has opted out of fax": (_R.CONSENT,), "hasoptedoutoffax": (_R.CONSENT,),
        "account id": (_R.IGNORE,), "accountid": (_R.IGNORE,), "owner id": (_R.IGNORE,),
        "ownerid": (_R.IGNORE,), "created by id": (_R.IGNORE,), "createdbyid": (_R.IGNORE,),
        "last modified by id": (_R.IGNORE,), "lastmodifiedbyid": (_R.IGNORE,),
        "master record id": (_R.IGNORE,), "masterrecordid": (_R.IGNORE,),
        "is deleted": (_R.IGNORE,), "isdeleted": (_R.IGNORE,), "system modstamp": (_R.IGNORE,),
        "systemmodstamp": (_R.IGNORE,), "lead source": (_R.IGNORE,),
        "leadsource": (_R.IGNORE,), "description": (_R.NOTES,),
    },
    "ingest_gui_error_log": {"row": (_R.IGNORE,), "errors": (_R.IGNORE,)},
}

#: Columns that never leave the machine, whatever the source (Magento's technical export,
#: user tables dumped from a shop's database).
_SECRET_HEADERS = frozenset({
    "password", "password hash", "passwd", "pwd", "hash", "rp token", "rp token created at",
    "reset token", "reset password token", "api key", "api token", "access token", "secret",
    "salt", "password salt", "session id", "auth token", "remember token", "contrasena",
})

#: Consent columns, whatever the source: offered to consent targets only, never applied.
_CONSENT_HEADERS = frozenset({
    "accepts marketing", "accepts email marketing", "accepts sms marketing",
    "accepts whatsapp marketing", "newsletter", "partner offers", "opt in", "optin",
    "unsubscribed", "unsubscribed from all email", "email opt out", "has opted out of email",
    "email marketing consent", "sms marketing consent", "marketing consent", "consent",
    "email blacklisted", "sms blacklisted", "double opt in", "acepta marketing",
    "acepta comunicaciones", "suscrito", "suscrito newsletter", "suscrito al boletin",
    "baja", "do not call", "email optout", "optout", "opt out",
})


#: "Opted out of email: Newsletter", "Accepts WhatsApp Marketing", "Acepta SMS", ...
_CONSENT_PREFIXES = ("opted out of ", "opt out ", "accepts ", "acepta ", "consent ",
                     "consentimiento ", "suscrito ", "subscribed to ", "unsubscribed from ")


def _profile_key(source: str) -> str:
    return "mailchimp" if source.startswith("mailchimp_") else source


def column_roles(source: str | None, header: str) -> tuple[Role, ...]:
    """What ``header`` holds in an export of ``source`` (``()`` when the profile does not say).

    Secret and consent columns are known whatever the source.
    """
    normal = normalize_header(header)
    if normal in _SECRET_HEADERS:
        return (Role.SECRET,)
    if source is not None:
        roles = _PROFILES.get(_profile_key(source), {}).get(normal)
        if roles is None and source == "woocommerce_orders" and normal.endswith(" billing"):
            roles = (Role.IGNORE,) if normal != "company billing" else None
        if roles is not None:
            return roles
    if normal in _CONSENT_HEADERS or normal.startswith(_CONSENT_PREFIXES):
        return (Role.CONSENT,)
    return ()


# --------------------------------------------------------------------------- workbook sheets

_SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "events": ("orders", "order", "pedidos", "pedido", "ventas", "sales", "purchases", "compras",
               "transactions", "transacciones", "events", "eventos", "bookings", "reservas"),
    "contacts": ("customers", "customer", "clientes", "cliente", "contacts", "contactos",
                 "subscribers", "suscriptores", "members", "miembros", "users", "usuarios",
                 "leads", "audience", "audiencia"),
}


@dataclass(frozen=True, slots=True)
class SheetProposal:
    """The sheet of a workbook that best fits an import kind, and why."""

    sheet: str
    #: The platform its header row was recognised as, if any.
    source: SourceMatch | None
    #: 0..1.
    score: float


def propose_sheet(sheets: Mapping[str, Sequence[str]], kind: str) -> SheetProposal | None:
    """The sheet (name -> its header row; an empty row when unknown) that best fits ``kind``
    ("contacts", "events" or "delete"), or ``None`` when no sheet stands out over the first.

    Evidence, strongest first: the header row is a known export of that kind (Shopify orders
    for events), the sheet's name ("Pedidos", "Customers"), the headers' words (an order id and
    an amount for events; an e-mail or phone for contacts).
    """
    wanted = "contacts" if kind == "delete" else kind
    best: SheetProposal | None = None
    for position, (name, headers) in enumerate(sheets.items()):
        match = recognise_source(headers) if headers else None
        score = 0.0
        if match is not None and match.source != "ingest_gui_error_log":
            score += 0.6 if match.kind == wanted else -0.4
        name_words = set(normalize_header(name).split())
        for sheet_kind, names in _SHEET_NAMES.items():
            if name_words & set(names):
                score += 0.3 if sheet_kind == wanted else -0.2
        normal = {normalize_header(header) for header in headers}
        words = {word for header in normal for word in header.split()}
        if wanted == "events":
            if words & {"order", "pedido", "orders", "pedidos", "transaction", "event"}:
                score += 0.1
            if words & {"total", "amount", "importe", "price", "precio", "sku", "lineitem"}:
                score += 0.1
        elif words & {"email", "correo", "phone", "telefono", "movil", "mobile"}:
            score += 0.1
            if not words & {"lineitem", "sku", "importe", "amount"}:
                score += 0.05
        score -= position * 0.001  # ties go to the earlier sheet
        if best is None or score > best.score:
            best = SheetProposal(name, match, round(score, 3))
    if best is None or best.score <= 0:
        return None
    return best
