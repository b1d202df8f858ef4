"""The export corpus: files shaped like the real exports of shops, CRMs and e-mail tools.

Every file reproduces a real platform's export *shape* — header names and order, delimiter,
encoding and BOM, quoting, date/number/boolean spellings, text markers such as Shopify's leading
apostrophe, line-item rows, report footers — as documented in ``SOURCES.md`` (which names the
public sample or documentation each file is modelled on). The people are synthetic.

Each file comes with its expected mapping onto the sandbox's demo datasource
(``ingest_gui/sandbox/demo.py``), written to ``expected/<file>.json``:

    {"file": ..., "source": ..., "kind": "contacts" | "events", "event_type": null | "...",
     "sheet": null | "...",                 # the sheet to import, for workbooks
     "targets": {"<column>": ["<target key>", ...]},   # every column; [] = no clear target
     "acceptable": {"<column>": [...]},     # also not wrong if proposed, but not required
     "consent": ["<column>", ...],          # consent columns: never to be auto-applied
                                            # (offering its channel's consent attribute,
                                            # listed in "acceptable", is right)
     "sensitive": ["<column>", ...]}        # secrets (password hashes...): never to be offered

The output is deterministic for a given seed (the committed files are seed
:data:`DEFAULT_SEED`), so the committed corpus can be regenerated and compared byte for byte:

    python -m tests.benchmarks.corpus.generate [OUTPUT_DIR] [--seed N]

Without ``OUTPUT_DIR`` the corpus is written to a new temporary folder (printed). With it, files
go to ``OUTPUT_DIR/files`` and expectations to ``OUTPUT_DIR/expected``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

DEFAULT_SEED = 20261207
#: Where the committed corpus lives.
CORPUS_DIR = Path(__file__).resolve().parent
FILES_DIR = CORPUS_DIR / "files"
EXPECTED_DIR = CORPUS_DIR / "expected"
#: Fixed timestamp for workbook metadata and zip members, so workbooks are byte-stable.
_FIXED_TIME = datetime(2026, 1, 15, 9, 30, 0)

# --------------------------------------------------------------------------- synthetic people

_FIRST_NAMES = (
    "Lucía", "Martín", "Sofía", "Hugo", "Paula", "Álvaro", "Inés", "Íñigo", "Begoña", "Jesús",
    "Núria", "Joan", "Ángela", "Raúl", "Elena", "Andrés", "Noemí", "María José", "Emiliano",
    "Ximena", "Valentina", "Mateo", "Camila", "Santiago", "Olivia", "James", "Emma", "Oliver",
    "Chloé", "François", "João", "Inês", "Carmen", "Javier", "Marta", "Pablo", "Laura", "Diego",
    "Aitana", "Gonzalo",
)
_LAST_NAMES = (
    "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez Ruiz", "Jiménez", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero",
    "Navarro", "Torres", "Domínguez", "Vázquez", "Morales", "Castaño", "Ibáñez", "Peña",
    "O'Connor", "Smith", "Taylor", "Dubois", "Silva", "Costa", "de la Fuente", "Zubiría",
)
_DOMAINS = (
    "gmail.com", "hotmail.com", "yahoo.es", "outlook.es", "icloud.com", "telefonica.net",
    "gmail.com", "hotmail.es", "protonmail.com", "example.com",
)
_STREETS = (
    "Calle Mayor {n}", "Avenida Diagonal {n}, 3º 2ª", "Carrer de Mallorca {n}, 2º",
    "Calle de Alcalá {n}", "Paseo de la Castellana {n}, 5º B", "Rúa do Franco {n}",
    "Gran Vía {n}, 1º izq.", "Calle Larios {n}", "Avenida de la Constitución {n}",
    "Plaza del Pilar {n}, bajo",
)
_COMPANIES = ("", "", "", "", "Ferretería López SL", "Estudio Nube", "Café Olé SL",
              "Talleres Ruiz", "Acme Iberia SA")


@dataclass(frozen=True, slots=True)
class _Place:
    country: str
    country_en: str
    country_es: str
    city: str
    province_code: str
    province: str
    zip_pattern: str  # "#" = a digit
    mobile: tuple[str, str]  # (country prefix, national pattern)
    landline: tuple[str, str]


_PLACES = (
    _Place("ES", "Spain", "España", "Madrid", "M", "Madrid", "280##", ("34", "6########"),
           ("34", "91#######")),
    _Place("ES", "Spain", "España", "Barcelona", "B", "Barcelona", "080##", ("34", "6########"),
           ("34", "93#######")),
    _Place("ES", "Spain", "España", "Valencia", "V", "Valencia", "460##", ("34", "6########"),
           ("34", "96#######")),
    _Place("ES", "Spain", "España", "Sevilla", "SE", "Sevilla", "410##", ("34", "6########"),
           ("34", "95#######")),
    _Place("ES", "Spain", "España", "Bilbao", "BI", "Bizkaia", "480##", ("34", "7########"),
           ("34", "94#######")),
    _Place("ES", "Spain", "España", "A Coruña", "C", "A Coruña", "150##", ("34", "6########"),
           ("34", "981######")),
    _Place("ES", "Spain", "España", "Girona", "GI", "Girona", "170##", ("34", "6########"),
           ("34", "972######")),
    _Place("ES", "Spain", "España", "Málaga", "MA", "Málaga", "290##", ("34", "6########"),
           ("34", "952######")),
    _Place("MX", "Mexico", "México", "Ciudad de México", "CMX", "Ciudad de México", "06###",
           ("52", "55########"), ("52", "55########")),
    _Place("MX", "Mexico", "México", "Guadalajara", "JAL", "Jalisco", "44###",
           ("52", "33########"), ("52", "33########")),
    _Place("US", "United States", "Estados Unidos", "Boston", "MA", "Massachusetts", "021##",
           ("1", "617#######"), ("1", "617#######")),
    _Place("GB", "United Kingdom", "Reino Unido", "London", "ENG", "England", "E1 6AN",
           ("44", "7#########"), ("44", "20########")),
    _Place("FR", "France", "Francia", "Paris", "75", "Paris", "750##", ("33", "6########"),
           ("33", "1########")),
    _Place("PT", "Portugal", "Portugal", "Lisboa", "11", "Lisboa", "1###-###",
           ("351", "9########"), ("351", "21#######")),
)
#: Most customers of the shops this app serves are Spanish.
_PLACE_WEIGHTS = (14, 12, 8, 6, 5, 4, 3, 5, 4, 2, 3, 2, 2, 2)


def _digits(rng: random.Random, pattern: str) -> str:
    first = True
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(rng.randint(1 if first else 0, 9)))
        else:
            out.append(ch)
        first = False
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Phone:
    prefix: str
    national: str

    @property
    def e164(self) -> str:
        return f"+{self.prefix}{self.national}"

    @property
    def spaced(self) -> str:
        """``+34 612 34 56 78``-style, as people type it."""
        n = self.national
        if self.prefix == "34":
            return f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"
        return f"+{self.prefix} {n[:3]} {n[3:6]} {n[6:]}"

    @property
    def local(self) -> str:
        """National format without the country code (``612 34 56 78``)."""
        n = self.national
        if self.prefix == "34":
            return f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"
        if self.prefix == "44":
            return f"0{n[:4]} {n[4:]}"
        if self.prefix == "1":
            return f"({n[:3]}) {n[3:6]}-{n[6:]}"
        return f"{n[:3]} {n[3:6]} {n[6:]}"


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    first: str
    last: str
    email: str
    mobile: Phone
    landline: Phone
    place: _Place
    zip: str
    street: str
    company: str
    birthday: date
    spent: float
    orders: int
    accepts_email: bool
    accepts_sms: bool
    created: datetime
    last_active: datetime
    tags: tuple[str, ...]
    note: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == " ").replace(" ", "")


_TAGS = ("newsletter", "vip", "Bronze VIP", "wholesale", "loyal-app_new", "shopify-forms-758259",
         "regalo", "outlet")
_NOTES = ("", "", "", "", "", "Cliente desde 2019", "Llamar por la tarde",
          "Prefiere envío a la oficina", 'Pidió factura "con IVA"', "VIP\nllamar antes de enviar")


def people(seed: int, count: int = 240) -> list[Person]:
    """``count`` synthetic customers, the same for the same seed."""
    rng = random.Random(f"people:{seed}")
    result = []
    used_emails: set[str] = set()
    for index in range(count):
        first = rng.choice(_FIRST_NAMES)
        last = rng.choice(_LAST_NAMES)
        place = rng.choices(_PLACES, weights=_PLACE_WEIGHTS)[0]
        local = f"{_ascii(first)}.{_ascii(last)}"
        domain = rng.choice(_DOMAINS)
        email = f"{local}@{domain}"
        if email in used_emails:
            email = f"{local}{index}@{domain}"
        used_emails.add(email)
        if rng.random() < 0.08:  # people type their address with capitals
            email = email.title()
        mobile = Phone(place.mobile[0], _digits(rng, place.mobile[1]))
        landline = Phone(place.landline[0], _digits(rng, place.landline[1]))
        created = datetime(2019, 1, 1) + timedelta(minutes=rng.randint(0, 60 * 24 * 2400))
        orders = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 8, 12, 18))
        spent = round(orders * rng.uniform(15, 220), 2)
        tags = tuple(sorted(set(rng.sample(_TAGS, rng.choice((0, 0, 1, 1, 2, 3))))))
        result.append(Person(
            index=index, first=first, last=last, email=email, mobile=mobile, landline=landline,
            place=place, zip=_digits(rng, place.zip_pattern).replace("#", "0"),
            street=rng.choice(_STREETS).format(n=rng.randint(1, 240)),
            company=rng.choice(_COMPANIES),
            birthday=date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55)),
            spent=spent, orders=orders,
            accepts_email=rng.random() < 0.55, accepts_sms=rng.random() < 0.3,
            created=created,
            last_active=created + timedelta(minutes=rng.randint(0, 60 * 24 * 300)),
            tags=tags, note=rng.choice(_NOTES),
        ))
    return result


# --------------------------------------------------------------------------- file model


@dataclass(slots=True)
class Sheet:
    name: str
    headers: list[str]
    #: Cells as written: ``str`` for text, ``int``/``float``/``datetime``/``date`` for typed cells.
    rows: list[list[object]]


@dataclass(slots=True)
class CorpusFile:
    """One export file and what it should map to."""

    name: str
    #: The source the app should recognise; ``None`` for a hand-made spreadsheet.
    source: str | None
    kind: str
    event_type: str | None
    headers: list[str]
    rows: list[list[object]]
    targets: dict[str, list[str]]
    acceptable: dict[str, list[str]] = field(default_factory=dict)
    consent: list[str] = field(default_factory=list)
    sensitive: list[str] = field(default_factory=list)
    # How the file is written.
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False
    quote_all: bool = False
    #: Quote every field holding a space too (Mailchimp: ``"Email Address"``, ``"2016-04-18 …"``).
    quote_spaces: bool = False
    #: End every line with the delimiter too (PrestaShop 1.6), an empty last column.
    trailing_delimiter: bool = False
    line_end: str = "\n"
    #: Raw lines written after the data (report footers), already quoted as the source does.
    footer: list[str] = field(default_factory=list)
    #: For workbooks: every sheet, in order; ``sheet`` names the one the mapping is for.
    sheets: list[Sheet] = field(default_factory=list)
    sheet: str | None = None
    #: When set, the file is written by this function instead (the app's own error log).
    writer: Callable[[Path, CorpusFile], None] | None = None
    #: Data rows the file holds when it differs from ``rows`` (the error log writes some).
    row_count: int | None = None
    #: For events: the column that names the event (order), to count events per file.
    event_column: str | None = None
    #: The app's messages per original row (the error log's ``Errors``).
    messages: dict[int, list[str]] = field(default_factory=dict)

    def expected(self) -> dict[str, object]:
        missing = [h for h in self.headers if h not in self.targets]
        extra = [c for c in [*self.targets, *self.acceptable, *self.consent, *self.sensitive]
                 if c not in self.headers]
        if missing or extra or len(set(self.headers)) != len(self.headers):
            raise ValueError(f"{self.name}: expected targets do not list exactly its columns "
                             f"(missing {missing}, extra {extra})")
        return {
            "file": self.name,
            "source": self.source,
            "kind": self.kind,
            "event_type": self.event_type,
            "sheet": self.sheet,
            "targets": {header: self.targets[header] for header in self.headers},
            "acceptable": {h: v for h, v in self.acceptable.items() if v},
            "consent": self.consent,
            "sensitive": self.sensitive,
            # Data rows in the file (report footers and blank lines not counted), and for
            # events the number of distinct events (orders) those rows describe.
            "rows": len(self.rows) if self.row_count is None else self.row_count,
            "events": self.event_count(),
        }


    def event_count(self) -> int | None:
        if self.event_column is None:
            return None
        position = self.headers.index(self.event_column)
        return len({row[position] for row in self.rows})


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _quote_spaced(cell: str, delimiter: str) -> str:
    if any(ch in cell for ch in (" ", delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_csv(path: Path, spec: CorpusFile) -> None:
    buffer = io.StringIO()
    if spec.quote_spaces:
        lines: list[Sequence[object]] = [spec.headers, *spec.rows]
        for line in lines:
            buffer.write(spec.delimiter.join(
                _quote_spaced(_text(cell), spec.delimiter) for cell in line) + spec.line_end)
    else:
        writer = csv.writer(
            buffer, delimiter=spec.delimiter, lineterminator=spec.line_end,
            quoting=csv.QUOTE_ALL if spec.quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(spec.headers)
        for row in spec.rows:
            writer.writerow([_text(cell) for cell in row])
    if spec.trailing_delimiter:
        buffer = io.StringIO(buffer.getvalue().replace(
            spec.line_end, spec.delimiter + spec.line_end))
        buffer.seek(0, io.SEEK_END)
    for line in spec.footer:
        buffer.write(line + spec.line_end)
    data = buffer.getvalue().encode(spec.encoding)
    if spec.bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def write_xlsx(path: Path, spec: CorpusFile) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    for sheet in spec.sheets:
        worksheet = book.create_sheet(sheet.name)
        worksheet.append(sheet.headers)
        for row in sheet.rows:
            worksheet.append([None if cell == "" else cell for cell in row])
        for cells in worksheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "dd/mm/yyyy"
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "Microsoft Excel"
    raw = io.BytesIO()
    book.save(raw)
    _restamp_zip(raw.getvalue(), path)


def _restamp_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed member times: the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time as "modified"; pin it.
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>"
                                 + _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), content)
            target.writestr(member, content)
    path.write_bytes(out.getvalue())


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _money(value: float) -> str:
    return f"{value:.2f}"


def _es_money(value: float, *, symbol: bool = True) -> str:
    """``1.234,56 €`` as Spanish Excel shows it."""
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{cents} €" if symbol else f"{grouped},{cents}"


def _consent_offers(**columns: str) -> dict[str, list[str]]:
    """A consent column may be *offered* (never applied) to the demo datasource's consent
    attribute of its own channel: ``_consent_offers(sms="Accepts SMS Marketing")``."""
    return {column: [f"_accepts_marketing_{channel}"] for channel, column in columns.items()}


def _rng(seed: int, name: str) -> random.Random:
    return random.Random(f"{name}:{seed}")


# --------------------------------------------------------------------------- Shopify


def _shopify_id(rng: random.Random) -> str:
    return str(rng.randint(7_000_000_000_000, 8_999_999_999_999))


def _shopify_zip(zip_code: str, *, all_digits_prefixed: bool) -> str:
    """Shopify prefixes ``'`` to all-digit zips (Gen 2 and orders: every one; Gen 3: those with
    a leading zero only, in the files seen)."""
    if not zip_code.isdigit():
        return zip_code
    if all_digits_prefixed or zip_code.startswith("0"):
        return "'" + zip_code
    return zip_code


def shopify_customers_gen3(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    rng = _rng(seed, "shopify3")
    headers = [
        "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
        "Default Address Company", "Default Address Address1", "Default Address Address2",
        "Default Address City", "Default Address Province Code", "Default Address Country Code",
        "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
        "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags", "Accepts WhatsApp Marketing",
        "Fecha de nacimiento (customer.metafields.facts.birth_date)",
    ]
    rows: list[list[object]] = []
    for person in crowd[:120]:
        phone_only = rng.random() < 0.06  # SMS-only subscribers: no name, no e-mail
        typed = rng.choice((person.mobile.local, person.mobile.spaced, person.landline.local,
                            person.mobile.national))
        rows.append([
            "'" + _shopify_id(rng),
            "" if phone_only else person.first,
            "" if phone_only else person.last,
            "" if phone_only else person.email,
            _yes(person.accepts_email and not phone_only),
            "" if phone_only else person.company,
            "" if phone_only else person.street,
            "",
            "" if phone_only else person.place.city,
            "" if phone_only else person.place.province_code,
            person.place.country,
            "" if phone_only else _shopify_zip(person.zip, all_digits_prefixed=False),
            "" if phone_only or rng.random() < 0.2 else "'" + typed,
            "'" + person.mobile.e164 if rng.random() < 0.8 or phone_only else "",
            _yes(person.accepts_sms or phone_only),
            _money(person.spent), str(person.orders),
            person.note, "no", ", ".join(person.tags), _yes(rng.random() < 0.1),
            person.birthday.isoformat() if rng.random() < 0.5 else "",
        ])
    return CorpusFile(
        name="customers_export.csv", source="shopify_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "Customer ID": ["_user_id"], "First Name": ["_first_name"],
            "Last Name": ["_last_name"], "Email": ["_email"], "Accepts Email Marketing": [],
            "Default Address Company": [], "Default Address Address1": [],
            "Default Address Address2": [], "Default Address City": [],
            "Default Address Province Code": [], "Default Address Country Code": ["_country_code"],
            "Default Address Zip": [], "Default Address Phone": ["landline"],
            "Phone": ["_phone_mobile"], "Accepts SMS Marketing": [],
            "Total Spent": ["lifetime_value"], "Total Orders": ["orders_count"],
            "Note": ["notes"], "Tax Exempt": [], "Tags": [], "Accepts WhatsApp Marketing": [],
            "Fecha de nacimiento (customer.metafields.facts.birth_date)": ["birthday"],
        },
        acceptable={"Tags": ["interests"], **_consent_offers(email="Accepts Email Marketing",
                                                            sms="Accepts SMS Marketing",
                                                            whatsapp="Accepts WhatsApp Marketing")},
        consent=["Accepts Email Marketing", "Accepts SMS Marketing", "Accepts WhatsApp Marketing"],
    )


def shopify_customers_gen2(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    rng = _rng(seed, "shopify2")
    headers = [
        "First Name", "Last Name", "Email", "Accepts Email Marketing", "Company", "Address1",
        "Address2", "City", "Province", "Province Code", "Country", "Country Code", "Zip", "Phone",
        "Accepts SMS Marketing", "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt",
    ]
    rows: list[list[object]] = []
    for person in crowd[:80]:
        phone = rng.choice((person.mobile.e164, person.mobile.local,
                            "'" + person.mobile.spaced, ""))
        rows.append([
            person.first, person.last, person.email, _yes(person.accepts_email), person.company,
            person.street, "", person.place.city, person.place.province,
            person.place.province_code, person.place.country_en, person.place.country,
            _shopify_zip(person.zip, all_digits_prefixed=True), phone, _yes(person.accepts_sms),
            _money(person.spent), str(person.orders), ", ".join(person.tags), person.note,
            _yes(rng.random() < 0.05),
        ])
    return CorpusFile(
        name="customers_export_1.csv", source="shopify_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "First Name": ["_first_name"], "Last Name": ["_last_name"],
            # No id column: the e-mail identifies the customer.
            "Email": ["_user_id", "_email"], "Accepts Email Marketing": [], "Company": [],
            "Address1": [], "Address2": [], "City": [], "Province": [], "Province Code": [],
            "Country": [], "Country Code": ["_country_code"], "Zip": [],
            "Phone": ["_phone_mobile"], "Accepts SMS Marketing": [],
            "Total Spent": ["lifetime_value"], "Total Orders": ["orders_count"], "Tags": [],
            "Note": ["notes"], "Tax Exempt": [],
        },
        acceptable={"Country": ["_country_code"], "Tags": ["interests"],
                    **_consent_offers(email="Accepts Email Marketing",
                                      sms="Accepts SMS Marketing")},
        consent=["Accepts Email Marketing", "Accepts SMS Marketing"],
    )


def shopify_customers_gen1(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    rng = _rng(seed, "shopify1")
    headers = [
        "First Name", "Last Name", "Email", "Company", "Address1", "Address2", "City", "Province",
        "Province Code", "Country", "Country Code", "Zip", "Phone", "Accepts Marketing",
        "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt",
    ]
    rows: list[list[object]] = []
    for person in crowd[100:160]:
        rows.append([
            person.first, person.last, person.email, person.company, person.street, "",
            person.place.city, person.place.province, person.place.province_code,
            person.place.country_en, person.place.country,
            _shopify_zip(person.zip, all_digits_prefixed=True),
            rng.choice((person.mobile.e164, person.mobile.local, "")),
            _yes(person.accepts_email), _money(person.spent), str(person.orders),
            ", ".join(person.tags), person.note, "no",
        ])
    return CorpusFile(
        name="customers_export_gen1.csv", source="shopify_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "First Name": ["_first_name"], "Last Name": ["_last_name"],
            "Email": ["_user_id", "_email"], "Company": [], "Address1": [], "Address2": [],
            "City": [], "Province": [], "Province Code": [], "Country": [],
            "Country Code": ["_country_code"], "Zip": [], "Phone": ["_phone_mobile"],
            "Accepts Marketing": [], "Total Spent": ["lifetime_value"],
            "Total Orders": ["orders_count"], "Tags": [], "Note": ["notes"], "Tax Exempt": [],
        },
        acceptable={"Country": ["_country_code"], "Tags": ["interests"]},
        consent=["Accepts Marketing"],
    )


def _excel_scientific_es(digits: str) -> str:
    """What Spanish Excel shows (and saves) for a 13-digit id: ``7,10045E+12``."""
    mantissa = f"{int(digits) / 10 ** (len(digits) - 1):.5f}".rstrip("0").replace(".", ",")
    return f"{mantissa}E+{len(digits) - 1}"


def shopify_customers_excel_es(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """A Shopify customers export opened and saved again by Excel on a Spanish PC: ``;``,
    Windows-1252, CRLF, ids in scientific notation, phones without ``+``, decimal commas."""
    rng = _rng(seed, "shopify-excel")
    headers = [
        "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Company",
        "Address1", "Address2", "City", "Province", "Province Code", "Country", "Country Code",
        "Zip", "Phone", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Tags", "Note",
        "Tax Exempt",
    ]
    rows: list[list[object]] = []
    for person in crowd[40:100]:
        spent = f"{person.spent:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        rows.append([
            _excel_scientific_es(_shopify_id(rng)), person.first, person.last, person.email,
            _yes(person.accepts_email), person.company, person.street, "", person.place.city,
            person.place.province, person.place.province_code, person.place.country_en,
            person.place.country,
            # Excel keeps the apostrophe it does not understand in a CSV, but drops zeros.
            "'" + person.zip if person.zip.isdigit() and rng.random() < 0.5
            else person.zip.lstrip("0"),
            person.mobile.e164.lstrip("+") if rng.random() < 0.85 else "",
            _yes(person.accepts_sms), spent, str(person.orders), ", ".join(person.tags),
            person.note.replace("\n", " "), "no",
        ])
    return CorpusFile(
        name="customers_export_excel_es.csv", source="shopify_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "Customer ID": ["_user_id"], "First Name": ["_first_name"],
            "Last Name": ["_last_name"], "Email": ["_email"], "Accepts Email Marketing": [],
            "Company": [], "Address1": [], "Address2": [], "City": [], "Province": [],
            "Province Code": [], "Country": [], "Country Code": ["_country_code"], "Zip": [],
            "Phone": ["_phone_mobile"], "Accepts SMS Marketing": [],
            "Total Spent": ["lifetime_value"], "Total Orders": ["orders_count"], "Tags": [],
            "Note": ["notes"], "Tax Exempt": [],
        },
        acceptable={"Country": ["_country_code"], "Tags": ["interests"],
                    **_consent_offers(email="Accepts Email Marketing",
                                      sms="Accepts SMS Marketing")},
        consent=["Accepts Email Marketing", "Accepts SMS Marketing"],
        delimiter=";", encoding="cp1252", line_end="\r\n",
    )


SHOPIFY_ORDER_HEADERS = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City",
    "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone", "Notes",
    "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount",
    "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags",
    "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name",
    "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name",
    "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At",
    "Payment References",
]
_PRODUCTS = (
    ("Camiseta básica - M / Azul", "CAM-BAS-M-AZ", 19.90), ("Taza cerámica", "TAZA-01", 12.50),
    ("Sudadera capucha - L", "SUD-CAP-L", 44.95), ("Gorra bordada", "GOR-01", 17.00),
    ("Bolsa de tela", "BOL-TELA", 8.90), ("Pack 3 calcetines", "CALC-3", 14.99),
    ("Tarjeta regalo 50 €", "", 50.00), ("Vela aromática \"Higo\"", "VELA-HIGO", 21.00),
)
_CONTINUATION_FIELDS = frozenset({
    "Name", "Email", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
    "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
    "Lineitem fulfillment status", "Vendor", "Lineitem discount", "Phone",
})


def _shop_time(moment: datetime) -> str:
    """Shopify's ``2025-10-08 12:08:36 +0200`` in a Spanish shop (offset follows DST)."""
    summer = 3 < moment.month < 11
    return moment.strftime("%Y-%m-%d %H:%M:%S ") + ("+0200" if summer else "+0100")


def shopify_orders(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    rng = _rng(seed, "shopify-orders")
    rows: list[list[object]] = []
    number = 1001
    moment = datetime(2025, 9, 1, 10, 0)
    for _ in range(60):
        person = rng.choice(crowd)
        moment += timedelta(minutes=rng.randint(30, 60 * 30))
        items = rng.sample(_PRODUCTS, rng.choice((1, 1, 1, 2, 2, 3, 4)))
        quantities = [rng.choice((1, 1, 1, 2, 3)) for _ in items]
        subtotal = sum(price * q for (_, _, price), q in zip(items, quantities, strict=True))
        shipping = 0.0 if subtotal > 50 else 4.95
        total = round(subtotal + shipping, 2)
        taxes = round(total - total / 1.21, 2)
        status = rng.choice(("paid", "paid", "paid", "pending", "refunded", "partially_refunded"))
        guest_phone_only = rng.random() < 0.08
        email = "" if guest_phone_only else person.email
        zip_code = _shopify_zip(person.zip, all_digits_prefixed=True)
        for position, ((name, sku, price), quantity) in enumerate(
                zip(items, quantities, strict=True)):
            full: dict[str, str] = {
                "Name": f"#{number}", "Email": email, "Financial Status": status,
                "Paid at": "" if status == "pending" else _shop_time(moment + timedelta(
                    seconds=1)),
                "Fulfillment Status": rng.choice(("fulfilled", "unfulfilled")),
                "Accepts Marketing": _yes(person.accepts_email), "Currency": "EUR",
                "Subtotal": _money(subtotal), "Shipping": _money(shipping),
                "Taxes": _money(taxes), "Total": _money(total),
                "Discount Code": "", "Discount Amount": "0.00",
                "Shipping Method": "Envío estándar" if shipping else "Envío gratuito",
                "Created at": _shop_time(moment),
                "Lineitem quantity": str(quantity), "Lineitem name": name,
                "Lineitem price": _money(price), "Lineitem compare at price": "",
                "Lineitem sku": sku, "Lineitem requires shipping": "false" if not sku else "true",
                "Lineitem taxable": "true", "Lineitem fulfillment status": "pending",
                "Billing Name": person.full, "Billing Street": person.street,
                "Billing Address1": person.street, "Billing City": person.place.city,
                "Billing Zip": zip_code, "Billing Province": person.place.province_code,
                "Billing Country": person.place.country,
                "Billing Phone": rng.choice((person.mobile.local, person.mobile.e164)),
                "Shipping Name": person.full, "Shipping Street": person.street,
                "Shipping Address1": person.street, "Shipping City": person.place.city,
                "Shipping Zip": zip_code, "Shipping Province": person.place.province_code,
                "Shipping Country": person.place.country,
                "Shipping Phone": person.mobile.local,
                "Note Attributes": "utm_source: instagram\nutm_medium: social"
                if rng.random() < 0.2 else "",
                "Payment Method": rng.choice(("Shopify Payments", "PayPal Express Checkout",
                                              "Bizum")),
                "Payment Reference": f"c{rng.randint(10**9, 10**10)}.1",
                "Refunded Amount": _money(total) if status == "refunded" else "0.00",
                "Vendor": "Tienda Demo", "Outstanding Balance": "0.00",
                "Id": str(rng.randint(5_000_000_000_000, 6_999_999_999_999)),
                "Tags": "", "Risk Level": "Low", "Source": rng.choice(("web", "web", "pos")),
                "Lineitem discount": "0.00", "Tax 1 Name": "IVA 21%", "Tax 1 Value": _money(taxes),
                "Phone": person.mobile.e164, "Billing Province Name": person.place.province,
                "Shipping Province Name": person.place.province,
                "Payment ID": f"#{number}.1", "Payment References": f"#{number}.1",
            }
            if position:
                full = {k: v for k, v in full.items() if k in _CONTINUATION_FIELDS}
            rows.append([full.get(header, "") for header in SHOPIFY_ORDER_HEADERS])
        number += 1
    targets: dict[str, list[str]] = {header: [] for header in SHOPIFY_ORDER_HEADERS}
    targets.update({
        # The order number is what groups the line-item rows and names the order.
        "Name": ["_event_id", "_event_parameters.order_id"],
        "Email": ["_user_id"], "Created at": ["_event_date"],
        "Currency": ["_event_parameters.currency"], "Total": ["_event_parameters.amount"],
        "Lineitem name": ["_event_parameters.products"],
    })
    return CorpusFile(
        name="orders_export_1.csv", source="shopify_orders", kind="events",
        event_type="purchase", headers=list(SHOPIFY_ORDER_HEADERS), rows=rows, targets=targets,
        event_column="Name",
        acceptable={"Id": ["_event_id"], "Paid at": ["_event_date"],
                    "Lineitem sku": ["_event_parameters.products"]},
        consent=["Accepts Marketing"],
    )


# --------------------------------------------------------------------------- WooCommerce


def _woo_escape(value: str) -> str:
    """WooCommerce's formula-injection guard: ``'`` before ``= + - @`` TAB CR."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def woocommerce_customers(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """Analytics › Customers, the e-mailed (server-side) download: UTF-8 with BOM."""
    rng = _rng(seed, "woo-customers")
    headers = ["Name", "Username", "Last active", "Date registered", "Email", "Orders",
               "Total spend", "AOV", "Country / Region", "City", "Region", "Postal code"]
    rows: list[list[object]] = []
    for person in crowd[60:150]:
        guest = rng.random() < 0.15
        orders = max(person.orders, 1)
        rows.append([
            "" if guest else person.full,
            "" if guest else _ascii(person.first) + str(rng.randint(1, 99)),
            f"{person.last_active:%Y-%m-%d %H:%M:%S}",
            "" if guest else f"{person.created:%Y-%m-%d %H:%M:%S}",
            person.email, str(orders), f"{person.spent:.2f}".rstrip("0").rstrip("."),
            f"{person.spent / orders:.2f}", person.place.country, person.place.city,
            person.place.province_code, person.zip,
        ])
    return CorpusFile(
        name="customers_2025-11-03_orderby-date_last_active.csv",
        source="woocommerce_customers", kind="contacts", event_type=None,
        headers=headers, rows=rows,
        targets={
            "Name": ["_full_name"], "Username": [], "Last active": [],
            "Date registered": [], "Email": ["_user_id", "_email"], "Orders": ["orders_count"],
            "Total spend": ["lifetime_value"], "AOV": [], "Country / Region": ["_country_code"],
            "City": [], "Region": [], "Postal code": [],
        },
        acceptable={"Username": ["_user_id"], "Last active": ["last_login"]},
        bom=True,
    )


def woocommerce_orders(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """"Advanced Order Export For WooCommerce" defaults: one row per product with the order
    columns repeated; phones start with ``+`` so the exporter wrote them as ``'+34…``."""
    rng = _rng(seed, "woo-orders")
    headers = [
        "Order Number", "Order Status", "Order Date", "Customer Note", "First Name (Billing)",
        "Last Name (Billing)", "Company (Billing)", "Address 1&2 (Billing)", "City (Billing)",
        "State Code (Billing)", "Postcode (Billing)", "Country Code (Billing)", "Email (Billing)",
        "Phone (Billing)", "First Name (Shipping)", "Last Name (Shipping)",
        "Address 1&2 (Shipping)", "City (Shipping)", "State Code (Shipping)",
        "Postcode (Shipping)", "Country Code (Shipping)", "Order Currency", "Order Total Amount",
        "Item #", "Item Name", "Quantity (- Refund)", "Item Cost",
    ]
    rows: list[list[object]] = []
    moment = datetime(2025, 10, 1, 9, 0)
    for number in range(4120, 4170):
        person = rng.choice(crowd)
        moment += timedelta(minutes=rng.randint(20, 60 * 20))
        items = rng.sample(_PRODUCTS, rng.choice((1, 1, 2, 3)))
        total = round(sum(price for _, _, price in items) + 4.95, 2)
        phone = _woo_escape(rng.choice((person.mobile.e164, person.mobile.spaced,
                                        person.mobile.local)))
        for position, (name, _sku, price) in enumerate(items, start=1):
            rows.append([
                str(number), rng.choice(("Completed", "Processing", "Completed", "Refunded")),
                f"{moment:%Y-%m-%d %H:%M}", "", person.first, person.last, person.company,
                person.street, person.place.city, person.place.province_code, person.zip,
                person.place.country, person.email, phone, person.first, person.last,
                person.street, person.place.city, person.place.province_code, person.zip,
                person.place.country, "EUR", f"{total:.2f}", str(position), name, "1",
                f"{price:.2f}",
            ])
    targets: dict[str, list[str]] = {header: [] for header in headers}
    targets.update({
        "Order Number": ["_event_id", "_event_parameters.order_id"],
        "Order Date": ["_event_date"], "Email (Billing)": ["_user_id"],
        "Order Currency": ["_event_parameters.currency"],
        "Order Total Amount": ["_event_parameters.amount"],
        "Item Name": ["_event_parameters.products"],
    })
    return CorpusFile(
        name="orders-2025-11-03-09-12-41.csv", source="woocommerce_orders", kind="events",
        event_type="purchase", headers=headers, rows=rows, targets=targets,
        line_end="\r\n", event_column="Order Number",
    )


def woocommerce_analytics_orders(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """Analytics › Orders, browser download: one row per order, no e-mail column at all."""
    rng = _rng(seed, "woo-analytics-orders")
    headers = ["Date", "Order #", "Status", "Customer", "Customer type", "Product(s)",
               "Items sold", "Coupon(s)", "Net sales", "Origin"]
    rows: list[list[object]] = []
    moment = datetime(2025, 10, 1, 9, 0)
    for number in range(5301, 5341):
        person = rng.choice(crowd)
        moment += timedelta(minutes=rng.randint(20, 60 * 20))
        items = rng.sample(_PRODUCTS, rng.choice((1, 1, 2, 3)))
        rows.append([
            f"{moment:%Y-%m-%d %H:%M:%S}", str(number),
            rng.choice(("Completed", "Processing", "On hold")), person.full,
            rng.choice(("new", "returning")), ", ".join(name for name, _, _ in items),
            str(len(items)), rng.choice(("", "", "", "black-friday")),
            f"{sum(price for _, _, price in items):.2f}",
            rng.choice(("Source: Instagram", "Direct", "Organic: Google", "Unknown")),
        ])
    return CorpusFile(
        name="orders_2025-11-03_orderby-date_order-desc.csv", source="woocommerce_orders",
        kind="events", event_type="purchase", headers=headers, rows=rows,
        targets={
            "Date": ["_event_date"], "Order #": ["_event_id", "_event_parameters.order_id"],
            "Status": [], "Customer": [], "Customer type": [],
            "Product(s)": ["_event_parameters.products"], "Items sold": [], "Coupon(s)": [],
            "Net sales": ["_event_parameters.amount"], "Origin": [],
        },
        event_column="Order #",
    )


# --------------------------------------------------------------------------- PrestaShop


def prestashop_customers(seed: int, crowd: Sequence[Person], *,
                         spanish: bool = False) -> CorpusFile:
    """Customers › Export: ``;``, UTF-8 without BOM, ``1``/``0`` flags, DB datetimes."""
    rng = _rng(seed, f"presta-{spanish}")
    if spanish:
        headers = ["ID", "Título", "Nombre", "Apellidos", "Dirección de correo electrónico",
                   "Grupo", "Empresa", "Ventas", "Activada", "Boletín de noticias",
                   "Ofertas de socios", "Registro", "Última visita"]
        titles = ("Sr.", "Sra.", "")
        groups = ("Cliente", "Invitado", "Cliente")
    else:
        headers = ["ID", "Social title", "First name", "Last name", "Email address", "Group",
                   "Company", "Sales", "Enabled", "Newsletter", "Partner offers", "Registration",
                   "Last visit"]
        titles = ("Mr.", "Mrs.", "")
        groups = ("Customer", "Guest", "Customer")
    rows: list[list[object]] = []
    selection = crowd[10:80] if spanish else crowd[150:200]
    for number, person in enumerate(selection, start=1 if spanish else 300):
        sales = "" if not person.orders else (
            _es_money(person.spent) if spanish else f"€{person.spent:,.2f}")
        rows.append([
            str(number), rng.choice(titles), person.first, person.last, person.email,
            rng.choice(groups), person.company, sales, "1", str(int(person.accepts_email)),
            str(int(rng.random() < 0.2)), f"{person.created:%Y-%m-%d %H:%M:%S}",
            "" if rng.random() < 0.1 else f"{person.last_active:%Y-%m-%d %H:%M:%S}",
        ])
    first, last, email, sales, visit = headers[2], headers[3], headers[4], headers[7], headers[12]
    targets: dict[str, list[str]] = {header: [] for header in headers}
    targets.update({
        "ID": ["_user_id"], first: ["_first_name"], last: ["_last_name"], email: ["_email"],
        sales: ["lifetime_value"],
    })
    return CorpusFile(
        name="customer_2025-11-03_101512_es.csv" if spanish else "customer_2025-11-03_094210.csv",
        source="prestashop_customers", kind="contacts", event_type=None, headers=headers,
        rows=rows, targets=targets, acceptable={visit: ["last_login"]},
        consent=[headers[9], headers[10]], delimiter=";",
    )


def prestashop_16_customers(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """PrestaShop 1.5/1.6's export: abbreviated flags (``News.``, ``Opt.``), the gender as its
    id, ``-`` for an unknown age, and a ``;`` closing every line."""
    rng = _rng(seed, "presta16")
    headers = ["ID", "Title", "Last name", "First Name", "Email address", "Age", "Enabled",
               "News.", "Opt.", "Registration", "Last visit"]
    rows: list[list[object]] = []
    for number, person in enumerate(crowd[180:240], start=2):
        age = 2020 - person.birthday.year
        rows.append([
            str(number), str(rng.choice((1, 2, 0))), person.last.upper(), person.first,
            person.email, str(age) if rng.random() < 0.6 else "-", "1",
            str(int(person.accepts_email)), str(int(rng.random() < 0.2)),
            # An old shop: everything happened before the export (September 2020).
            f"{person.created - timedelta(days=2200):%Y-%m-%d %H:%M:%S}",
            f"{person.last_active - timedelta(days=2200):%Y-%m-%d %H:%M:%S}",
        ])
    return CorpusFile(
        name="customer_2020-09-14_182201.csv", source="prestashop_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "ID": ["_user_id"], "Title": [], "Last name": ["_last_name"],
            "First Name": ["_first_name"], "Email address": ["_email"], "Age": [],
            "Enabled": [], "News.": [], "Opt.": [], "Registration": [], "Last visit": [],
        },
        acceptable={"Last visit": ["last_login"]}, consent=["News.", "Opt."],
        delimiter=";", trailing_delimiter=True,
    )


# --------------------------------------------------------------------------- Magento 2


def _magento_date(moment: datetime) -> str:
    """``May 21, 2018 6:00:00 PM`` (MetadataProvider's ``M j, Y h:i:s A``)."""
    hour = moment.hour % 12 or 12
    return (f"{moment:%b} {moment.day}, {moment.year} {hour}:{moment:%M:%S} "
            f"{'PM' if moment.hour >= 12 else 'AM'}")


def magento_grid(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """Customers › All Customers › Export CSV: every field quoted, the grid's visible columns."""
    rng = _rng(seed, "magento-grid")
    headers = ["ID", "Name", "Email", "Group", "Phone", "ZIP", "Country", "State/Province",
               "Customer Since", "Web Site", "Date of Birth", "Tax VAT Number", "Gender",
               "City", "Billing Firstname", "Billing Lastname", "Account Lock"]
    rows: list[list[object]] = []
    for number, person in enumerate(crowd[20:90], start=1):
        rows.append([
            str(number), person.full, person.email,
            rng.choice(("General", "General", "Wholesale", "Retailer")),
            rng.choice((person.mobile.e164, person.mobile.local, "")), person.zip,
            person.place.country_en, person.place.province, _magento_date(person.created),
            "Main Website",
            _magento_date(datetime.combine(person.birthday, datetime.min.time()))
            if rng.random() < 0.6 else "",
            "", rng.choice(("Male", "Female", "Not Specified", "")), person.place.city,
            person.first, person.last, "Unlocked",
        ])
    return CorpusFile(
        name="customer_grid_export.csv", source="magento_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "ID": ["_user_id"], "Name": ["_full_name"], "Email": ["_email"], "Group": [],
            "Phone": ["_phone_mobile"], "ZIP": [], "Country": ["_country_code"],
            "State/Province": [], "Customer Since": [], "Web Site": [],
            "Date of Birth": ["birthday"], "Tax VAT Number": [], "Gender": [], "City": [],
            "Billing Firstname": ["_first_name"], "Billing Lastname": ["_last_name"],
            "Account Lock": [],
        },
        quote_all=True,
    )


def magento_customer_main(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """System › Data Transfer › Export, "Customers Main File": technical headers, secrets."""
    rng = _rng(seed, "magento-main")
    headers = ["email", "_website", "_store", "confirmation", "created_at", "created_in",
               "disable_auto_group_change", "dob", "firstname", "gender", "group_id", "lastname",
               "middlename", "password_hash", "prefix", "rp_token", "rp_token_created_at",
               "store_id", "suffix", "taxvat", "updated_at", "website_id", "password"]
    rows: list[list[object]] = []
    for person in crowd[90:150]:
        token_time = person.last_active
        rows.append([
            person.email, "base", "default", "", f"{person.created:%Y-%m-%d %H:%M:%S}",
            "Default Store View", "0",
            person.birthday.isoformat() if rng.random() < 0.6 else "", person.first,
            str(rng.choice((0, 1, 2))), "1", person.last, "",
            f"{rng.getrandbits(256):064x}:{rng.getrandbits(128):032x}:3_32_2_67108864",
            "", f"{rng.getrandbits(128):032x}", f"{token_time:%Y-%m-%d %H:%M:%S}", "1", "", "",
            f"{person.last_active:%Y-%m-%d %H:%M:%S}", "1", "",
        ])
    targets: dict[str, list[str]] = {header: [] for header in headers}
    targets.update({
        "email": ["_user_id", "_email"], "dob": ["birthday"], "firstname": ["_first_name"],
        "lastname": ["_last_name"],
    })
    return CorpusFile(
        name="customer_main_20251103_091500.csv", source="magento_customers", kind="contacts",
        event_type=None, headers=headers, rows=rows, targets=targets,
        sensitive=["password_hash", "rp_token", "password"],
    )


# --------------------------------------------------------------------------- Mailchimp


_MAILCHIMP_MERGE = ["Email Address", "First Name", "Last Name", "Address", "Phone Number",
                    "Birthday", "Intereses"]
_MAILCHIMP_MERGE_ES = ["Dirección de correo electrónico", "Nombre", "Apellidos", "Dirección",
                       "Teléfono", "Cumpleaños", "Intereses"]
_MAILCHIMP_TAIL = {
    "subscribed": ["LAST_CHANGED"],
    "nonsubscribed": ["LAST_CHANGED"],
    "unsubscribed": ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON",
                     "UNSUB_REASON_OTHER"],
    "cleaned": ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"],
}
#: The three naming schemes seen: current, unzipped by a system that prettifies names, older.
_MAILCHIMP_NAMES = {
    "subscribed": "subscribed_email_audience_export_5b1c0e2f9a.csv",
    "nonsubscribed": "nonsubscribed_email_audience_export_5b1c0e2f9a.csv",
    "unsubscribed": "Unsubscribed Email Audience Export 5b1c0e2f9a.csv",
    "cleaned": "cleaned_members_export_5b1c0e2f9a.csv",
}
_INTERESTS = ("Novedades", "Ofertas", "Recetas", "Eventos en tienda")


def mailchimp(seed: int, crowd: Sequence[Person], status: str) -> CorpusFile:
    """One file of the audience export zip; the status is only in the file name."""
    rng = _rng(seed, f"mailchimp-{status}")
    # The cleaned file comes from an older export: "members_export" naming, no TAGS column.
    older = status == "cleaned"
    # Merge-field labels are the audience's own: this shop's non-subscribed audience (its store
    # customers) was set up in Spanish.
    merge = _MAILCHIMP_MERGE_ES if status == "nonsubscribed" else _MAILCHIMP_MERGE
    headers = [*merge, "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME",
               "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC",
               "REGION", *_MAILCHIMP_TAIL[status], "LEID", "EUID", "NOTES",
               *([] if older else ["TAGS"])]
    span = {"subscribed": (0, 110), "nonsubscribed": (110, 150), "unsubscribed": (150, 190),
            "cleaned": (190, 230)}[status]
    coordinates = {"ES": ("40.4165000", "-3.7025600", "1", "2", "Europe/Madrid"),
                   "MX": ("19.4326000", "-99.1332000", "-6", "-6", "America/Mexico_City"),
                   "US": ("42.3601000", "-71.0589000", "-5", "-4", "America/New_York"),
                   "GB": ("51.5072000", "-0.1276000", "0", "1", "Europe/London"),
                   "FR": ("48.8566000", "2.3522000", "1", "2", "Europe/Paris"),
                   "PT": ("38.7223000", "-9.1393000", "0", "1", "Europe/Lisbon")}
    rows: list[list[object]] = []
    for person in crowd[span[0]:span[1]]:
        optin = person.created
        confirmed = status != "nonsubscribed" and rng.random() < 0.7
        located = rng.random() < 0.6
        lat, lon, gmt, dst, zone = coordinates[person.place.country]
        tail: list[str]
        changed = person.last_active
        if status in {"subscribed", "nonsubscribed"}:
            tail = [f"{changed:%Y-%m-%d %H:%M:%S}"]
        elif status == "unsubscribed":
            tail = [f"{changed:%Y-%m-%d %H:%M:%S}", "Rebajas de otoño",
                    f"{rng.getrandbits(40):010x}",
                    rng.choice(("Unspecified", "I no longer want to receive these emails",
                                "The emails are spam", "Other")), ""]
        else:
            tail = [f"{changed:%Y-%m-%d %H:%M:%S}", "Newsletter noviembre",
                    f"{rng.getrandbits(40):010x}"]
        tags = rng.sample(("Cliente", "Web", "VIP", "Feria 2024"), rng.choice((0, 1, 2)))
        rows.append([
            person.email, person.first, person.last,
            f"{person.street}  {person.place.city}  {person.place.province}  {person.zip}  "
            f"{person.place.country}" if rng.random() < 0.4 else "",
            rng.choice((person.mobile.spaced, person.mobile.local, "")),
            f"{person.birthday:%m/%d}" if rng.random() < 0.5 else "",
            ", ".join(rng.sample(_INTERESTS, rng.choice((0, 1, 2)))),
            str(rng.choice((1, 2, 2, 2, 3, 4, 5))),
            "" if status == "nonsubscribed" else f"{optin:%Y-%m-%d %H:%M:%S}",
            "",
            f"{optin + timedelta(minutes=3):%Y-%m-%d %H:%M:%S}" if confirmed else "",
            f"83.{rng.randint(32, 63)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            if confirmed else "",
            lat if located else "", lon if located else "", gmt if located else "",
            dst if located else "", zone if located else "",
            person.place.country if located else "",
            person.place.province_code if located else "",
            *tail,
            str(rng.randint(10_000_000, 99_999_999)), f"{rng.getrandbits(40):010x}",
            "", *([] if older else [",".join(f'"{tag}"' for tag in tags)]),
        ])
    targets: dict[str, list[str]] = {header: [] for header in headers}
    email, first, last, _address, phone, birthday, interests = merge
    targets.update({
        # Mailchimp has no customer id: the e-mail is the user id.
        email: ["_user_id", "_email"], first: ["_first_name"], last: ["_last_name"],
        phone: ["_phone_mobile"], birthday: ["birthday"], interests: ["interests"],
        "CC": ["_country_code"], "NOTES": ["notes"],
    })
    return CorpusFile(
        name=_MAILCHIMP_NAMES[status], source=f"mailchimp_{status}",
        kind="contacts", event_type=None, headers=headers, rows=rows, targets=targets,
        acceptable={} if older else {"TAGS": ["interests"]}, quote_spaces=True,
    )


# --------------------------------------------------------------------------- Klaviyo


def klaviyo(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    rng = _rng(seed, "klaviyo")
    headers = ["Email", "Klaviyo ID", "First Name", "Last Name", "Organization", "Title",
               "Phone Number", "Address", "Address 2", "City", "State / Region", "Country",
               "Zip Code", "Latitude", "Longitude", "Source", "IP Address",
               "Email Marketing Consent", "Email Marketing Consent Timestamp",
               "Historic Customer Lifetime Value", "Total Customer Lifetime Value",
               "Predicted Customer Lifetime Value", "Average Order Value",
               "Historic Number Of Orders", "First Active", "Last Active", "Profile Created On",
               "Date Added", "Last Open", "Last Click", "Average Days Between Orders",
               "Email Suppressions"]
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    rows: list[list[object]] = []
    for person in crowd[30:130]:
        consent = rng.choice(("SUBSCRIBED", "SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"))
        historic = person.spent
        rows.append([
            person.email, "01" + "".join(rng.choice(alphabet) for _ in range(24)),
            person.first, person.last, person.company, "", rng.choice((person.mobile.e164, "")),
            person.street, "", person.place.city, person.place.province,
            person.place.country_en, person.zip,
            f"{40 + rng.random():.4f}", f"{-3 - rng.random():.4f}",
            rng.choice(("Shopify", "Klaviyo Form", "Import", "")),
            f"88.{rng.randint(0, 30)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            consent, f"{person.created:%Y-%m-%d %H:%M:%S}" if consent != "NEVER_SUBSCRIBED"
            else "",
            f"{historic:.2f}", f"{historic:.2f}", f"{historic * rng.uniform(0.1, 0.6):.2f}",
            f"{historic / person.orders:.2f}" if person.orders else "0.00", str(person.orders),
            f"{person.created:%Y-%m-%d %H:%M:%S}", f"{person.last_active:%Y-%m-%d %H:%M:%S}",
            f"{person.created:%Y-%m-%d %H:%M:%S}", f"{person.created:%Y-%m-%d %H:%M:%S}",
            f"{person.last_active:%Y-%m-%d %H:%M:%S}" if rng.random() < 0.6 else "",
            f"{person.last_active:%Y-%m-%d %H:%M:%S}" if rng.random() < 0.3 else "",
            f"{rng.uniform(20, 200):.1f}" if person.orders > 1 else "",
            "" if consent != "UNSUBSCRIBED" else rng.choice(("UNSUBSCRIBED", "HARD_BOUNCE")),
        ])
    targets: dict[str, list[str]] = {header: [] for header in headers}
    targets.update({
        "Email": ["_user_id", "_email"], "First Name": ["_first_name"],
        "Last Name": ["_last_name"], "Phone Number": ["_phone_mobile"],
        "Country": ["_country_code"], "Total Customer Lifetime Value": ["lifetime_value"],
        "Historic Number Of Orders": ["orders_count"],
    })
    return CorpusFile(
        name="Klaviyo-Everyone-export-2025-11-03.csv", source="klaviyo_profiles",
        kind="contacts", event_type=None, headers=headers, rows=rows, targets=targets,
        acceptable={"Klaviyo ID": ["_user_id"], "Last Active": ["last_login"],
                    "Historic Customer Lifetime Value": ["lifetime_value"]},
        consent=["Email Marketing Consent", "Email Marketing Consent Timestamp",
                 "Email Suppressions"],
    )


# --------------------------------------------------------------------------- HubSpot


def hubspot(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    rng = _rng(seed, "hubspot")
    headers = ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
               "Mobile Phone Number", "Contact owner", "Primary Associated Company ID",
               "Last Activity Date", "Lead Status", "Marketing contact status", "Create Date",
               "Associated Company", "Country/Region", "City", "Lifecycle Stage",
               "Unsubscribed from all email", "Date of birth"]
    rows: list[list[object]] = []
    for person in crowd[0:100]:
        has_company = bool(person.company)
        rows.append([
            str(rng.randint(10_000_000_000, 99_999_999_999)), person.first, person.last,
            person.email, rng.choice((person.landline.spaced, "")),
            rng.choice((person.mobile.e164, person.mobile.spaced, "")),
            rng.choice(("Marta Ruiz", "Jorge Pons", "")),
            str(rng.randint(10_000_000_000, 29_999_999_999)) if has_company else "",
            f"{person.last_active:%Y-%m-%d %H:%M}" if rng.random() < 0.7 else "",
            rng.choice(("New", "Open", "In progress", "Connected", "")),
            rng.choice(("Marketing contact", "Non-marketing contact")),
            f"{person.created:%Y-%m-%d %H:%M}", person.company,
            person.place.country_en, person.place.city,
            rng.choice(("Subscriber", "Lead", "Marketing Qualified Lead", "Customer")),
            rng.choice(("false", "false", "false", "true", "")),
            person.birthday.isoformat() if rng.random() < 0.3 else "",
        ])
    return CorpusFile(
        name="hubspot-crm-exports-all-contacts-2025-11-03.csv", source="hubspot_contacts",
        kind="contacts", event_type=None, headers=headers, rows=rows,
        targets={
            "Record ID": ["_user_id"], "First Name": ["_first_name"],
            "Last Name": ["_last_name"], "Email": ["_email"], "Phone Number": ["landline"],
            "Mobile Phone Number": ["_phone_mobile"], "Contact owner": [],
            "Primary Associated Company ID": [], "Last Activity Date": [], "Lead Status": [],
            "Marketing contact status": [], "Create Date": [], "Associated Company": [],
            "Country/Region": ["_country_code"], "City": [], "Lifecycle Stage": [],
            "Unsubscribed from all email": [], "Date of birth": ["birthday"],
        },
        acceptable={"Last Activity Date": ["last_login"]},
        consent=["Unsubscribed from all email"],
        quote_all=True,
    )


def hubspot_internal_names(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """An export with "internal names and values" chosen: property names and enum values as the
    API spells them."""
    rng = _rng(seed, "hubspot-internal")
    headers = ["hs_object_id", "firstname", "lastname", "email", "phone", "mobilephone",
               "hubspot_owner_id", "associatedcompanyid", "notes_last_updated",
               "hs_lead_status", "hs_marketable_status", "createdate", "country", "city",
               "lifecyclestage", "hs_email_optout", "date_of_birth"]
    rows: list[list[object]] = []
    for person in crowd[60:140]:
        rows.append([
            str(rng.randint(10_000_000_000, 99_999_999_999)), person.first, person.last,
            person.email, person.landline.e164 if rng.random() < 0.4 else "",
            person.mobile.e164 if rng.random() < 0.85 else "",
            str(rng.choice((51234567, 51234568, ""))),
            str(rng.randint(10_000_000_000, 29_999_999_999)) if person.company else "",
            f"{person.last_active:%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z" if rng.random() < 0.6
            else "",
            rng.choice(("NEW", "OPEN", "IN_PROGRESS", "")), rng.choice(("true", "false")),
            f"{person.created:%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z", person.place.country,
            person.place.city,
            rng.choice(("subscriber", "lead", "marketingqualifiedlead", "customer")),
            rng.choice(("false", "false", "true", "")),
            person.birthday.isoformat() if rng.random() < 0.3 else "",
        ])
    return CorpusFile(
        name="hubspot-crm-exports-internal-names-2025-11-03.csv", source="hubspot_contacts",
        kind="contacts", event_type=None, headers=headers, rows=rows,
        targets={
            "hs_object_id": ["_user_id"], "firstname": ["_first_name"],
            "lastname": ["_last_name"], "email": ["_email"], "phone": ["landline"],
            "mobilephone": ["_phone_mobile"], "hubspot_owner_id": [],
            "associatedcompanyid": [], "notes_last_updated": [], "hs_lead_status": [],
            "hs_marketable_status": [], "createdate": [], "country": ["_country_code"],
            "city": [], "lifecyclestage": [], "hs_email_optout": [],
            "date_of_birth": ["birthday"],
        },
        consent=["hs_email_optout"], quote_all=True,
    )


def hubspot_spanish_xlsx(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """The same kind of export, requested as XLSX in Spanish: HubSpot translates the labels
    (the Spanish wording here is **unconfirmed**, see SOURCES.md)."""
    rng = _rng(seed, "hubspot-es")
    headers = ["ID de registro", "Nombre", "Apellidos", "Correo", "Número de teléfono",
               "Número de teléfono móvil", "Propietario del contacto", "Fecha de creación",
               "País/región", "Ciudad", "Etapa del ciclo de vida", "Estado del lead",
               "Cancelada la suscripción a todos los correos electrónicos",
               "Fecha de nacimiento"]
    rows: list[list[object]] = []
    for person in crowd[100:180]:
        rows.append([
            str(rng.randint(10_000_000_000, 99_999_999_999)), person.first, person.last,
            person.email, person.landline.spaced if rng.random() < 0.3 else "",
            rng.choice((person.mobile.e164, person.mobile.spaced, "")),
            rng.choice(("Marta Ruiz", "Jorge Pons", "")), f"{person.created:%Y-%m-%d %H:%M}",
            person.place.country_es, person.place.city,
            rng.choice(("Suscriptor", "Lead", "Cliente", "Lead cualificado para marketing")),
            rng.choice(("Nuevo", "Abierto", "En curso", "")),
            rng.choice(("false", "false", "true", "")),
            person.birthday.isoformat() if rng.random() < 0.4 else "",
        ])
    return CorpusFile(
        name="hubspot-crm-exports-todos-los-contactos-2025-11-03.xlsx",
        source="hubspot_contacts", kind="contacts", event_type=None, headers=headers,
        rows=rows,
        targets={
            "ID de registro": ["_user_id"], "Nombre": ["_first_name"],
            "Apellidos": ["_last_name"], "Correo": ["_email"],
            "Número de teléfono": ["landline"], "Número de teléfono móvil": ["_phone_mobile"],
            "Propietario del contacto": [], "Fecha de creación": [],
            "País/región": ["_country_code"], "Ciudad": [], "Etapa del ciclo de vida": [],
            "Estado del lead": [],
            "Cancelada la suscripción a todos los correos electrónicos": [],
            "Fecha de nacimiento": ["birthday"],
        },
        consent=["Cancelada la suscripción a todos los correos electrónicos"],
        sheets=[Sheet("hubspot-crm-exports-todos-los-c", headers, rows)],
        sheet="hubspot-crm-exports-todos-los-c",
    )


# --------------------------------------------------------------------------- Brevo


def brevo(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """A Spanish-language Brevo account's contact export: ``;``, upper-case attribute names."""
    rng = _rng(seed, "brevo")
    headers = ["EMAIL", "APELLIDOS", "NOMBRE", "SMS", "LANDLINE_NUMBER", "EXT_ID",
               "EMAIL_BLACKLISTED", "SMS_BLACKLISTED", "ADDED_TIME", "MODIFIED_TIME"]
    rows: list[list[object]] = []
    for person in crowd[120:200]:
        rows.append([
            person.email, person.last, person.first,
            person.mobile.e164.lstrip("+") if rng.random() < 0.7 else "",
            person.landline.e164 if rng.random() < 0.2 else "",
            # Only the contacts synced from the shop carry its customer id.
            f"C{10000 + person.index}" if rng.random() < 0.4 else "",
            "Yes" if rng.random() < 0.1 else "No", "Yes" if rng.random() < 0.05 else "No",
            f"{person.created:%d-%m-%Y %H:%M}", f"{person.last_active:%d-%m-%Y %H:%M}",
        ])
    return CorpusFile(
        name="contacts_export_brevo.csv", source="brevo_contacts", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            # EMAIL identifies a Brevo contact; EXT_ID is empty for most (forms, imports).
            "EMAIL": ["_user_id", "_email"], "APELLIDOS": ["_last_name"], "NOMBRE": ["_first_name"],
            "SMS": ["_phone_mobile"], "LANDLINE_NUMBER": ["landline"], "EXT_ID": [],
            "EMAIL_BLACKLISTED": [], "SMS_BLACKLISTED": [], "ADDED_TIME": [],
            "MODIFIED_TIME": [],
        },
        consent=["EMAIL_BLACKLISTED", "SMS_BLACKLISTED"], delimiter=";",
    )


# --------------------------------------------------------------------------- Salesforce

_SF_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _salesforce_id15(rng: random.Random, prefix: str = "003") -> str:
    return prefix + "7Q0000" + "".join(rng.choice(_SF_ALPHABET) for _ in range(6))


def _salesforce_id18(id15: str) -> str:
    """The documented case-checksum suffix that makes a 15-char id case-insensitive."""
    suffix = ""
    for block in range(3):
        bits = 0
        for position, ch in enumerate(id15[block * 5:block * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << position
        suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    return id15 + suffix


def salesforce_report(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """Report › Export › Details Only (CSV, ISO-8859-1): all quoted, footer lines after a blank."""
    rng = _rng(seed, "sf-report")
    headers = ["Contact ID", "First Name", "Last Name", "Title", "Account Name", "Email", "Phone",
               "Mobile", "Mailing Country", "Email Opt Out", "Created Date", "Contact Owner"]
    rows: list[list[object]] = []
    chosen = [p for p in crowd if p.place.country in {"ES", "FR", "PT", "GB"}][:70]
    for person in chosen:
        rows.append([
            _salesforce_id15(rng), person.first, person.last,
            rng.choice(("Director de compras", "Gerente", "Responsable de marketing", "")),
            person.company or f"{person.last} Consulting", person.email,
            person.landline.spaced if rng.random() < 0.6 else "",
            person.mobile.spaced if rng.random() < 0.8 else "",
            person.place.country_en, rng.choice(("0", "0", "0", "1")),
            f"{person.created:%d/%m/%Y}", rng.choice(("Marta Ruiz", "Jorge Pons")),
        ])
    footer = ["", f'"Grand Totals ({len(rows)} records)"', "",
              '"Confidential Information - Do Not Distribute"',
              '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."']
    return CorpusFile(
        name="report1762163512345.csv", source="salesforce_report", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "Contact ID": ["_user_id"], "First Name": ["_first_name"],
            "Last Name": ["_last_name"], "Title": [], "Account Name": [], "Email": ["_email"],
            "Phone": ["landline"], "Mobile": ["_phone_mobile"],
            "Mailing Country": ["_country_code"], "Email Opt Out": [], "Created Date": [],
            "Contact Owner": [],
        },
        consent=["Email Opt Out"], quote_all=True, encoding="cp1252", footer=footer,
    )


def salesforce_dataloader(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """Data Loader extract of Contact: API names, 18-char ids, UTC ISO datetimes."""
    rng = _rng(seed, "sf-dataloader")
    headers = ["Id", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "MailingCity",
               "MailingCountry", "Birthdate", "HasOptedOutOfEmail", "DoNotCall", "AccountId",
               "OwnerId", "CreatedDate", "LastModifiedDate", "Description"]
    rows: list[list[object]] = []
    for person in crowd[70:170]:
        rows.append([
            _salesforce_id18(_salesforce_id15(rng)), person.first, person.last, person.email,
            person.landline.e164 if rng.random() < 0.5 else "",
            person.mobile.e164 if rng.random() < 0.8 else "", person.place.city,
            person.place.country_en,
            person.birthday.isoformat() if rng.random() < 0.4 else "",
            rng.choice(("false", "false", "true")), rng.choice(("false", "false", "true")),
            _salesforce_id18(_salesforce_id15(rng, "001")),
            _salesforce_id18(_salesforce_id15(rng, "005")),
            f"{person.created:%Y-%m-%dT%H:%M:%S}.000Z",
            f"{person.last_active:%Y-%m-%dT%H:%M:%S}.000Z", person.note,
        ])
    return CorpusFile(
        name="extract_Contact.csv", source="salesforce_dataloader", kind="contacts",
        event_type=None, headers=headers, rows=rows,
        targets={
            "Id": ["_user_id"], "FirstName": ["_first_name"], "LastName": ["_last_name"],
            "Email": ["_email"], "Phone": ["landline"], "MobilePhone": ["_phone_mobile"],
            "MailingCity": [], "MailingCountry": ["_country_code"], "Birthdate": ["birthday"],
            "HasOptedOutOfEmail": [], "DoNotCall": [], "AccountId": [], "OwnerId": [],
            "CreatedDate": [], "LastModifiedDate": [], "Description": ["notes"],
        },
        consent=["HasOptedOutOfEmail", "DoNotCall"], quote_all=True,
    )


# --------------------------------------------------------------------------- Excel workbooks


def spanish_sheet(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """A hand-kept Spanish customer list in Excel: money as typed text (``1.234,56 €``),
    ``Sí``/``No``, real date cells, phone numbers typed as numbers by some people."""
    rng = _rng(seed, "excel-es")
    headers = ["Nº Cliente", "Nombre", "Apellidos", "Email", "Móvil", "Teléfono fijo", "País",
               "Fecha nacimiento", "Acepta SMS", "Acepta email", "Total compras (€)",
               "Nº pedidos", "Cliente VIP", "Nivel fidelidad", "Intereses", "Última compra",
               "Observaciones"]
    rows: list[list[object]] = []
    for number, person in enumerate(crowd[0:90], start=1):
        mobile: object = rng.choice((person.mobile.local, person.mobile.spaced,
                                     int(person.mobile.national)))
        rows.append([
            f"CL-{number:05d}", person.first, person.last, person.email, mobile,
            person.landline.local if rng.random() < 0.3 else "", person.place.country_es,
            person.birthday if rng.random() < 0.7 else "",
            "Sí" if person.accepts_sms else "No", "Sí" if person.accepts_email else "No",
            _es_money(person.spent) if person.spent else "0,00 €", person.orders,
            "Sí" if person.spent > 800 else "No",
            rng.choice(("Bronce", "Plata", "Oro", "")),
            ", ".join(rng.sample(("moda", "hogar", "deporte", "regalos"), rng.choice((0, 1, 2)))),
            person.last_active if person.orders else "", person.note.replace("\n", " "),
        ])
    sheet = Sheet("Clientes", headers, rows)
    return CorpusFile(
        name="clientes_tienda.xlsx", source=None, kind="contacts", event_type=None,
        headers=headers, rows=rows,
        targets={
            "Nº Cliente": ["_user_id"], "Nombre": ["_first_name"], "Apellidos": ["_last_name"],
            "Email": ["_email"], "Móvil": ["_phone_mobile"], "Teléfono fijo": ["landline"],
            "País": ["_country_code"], "Fecha nacimiento": ["birthday"], "Acepta SMS": [],
            "Acepta email": [], "Total compras (€)": ["lifetime_value"],
            "Nº pedidos": ["orders_count"], "Cliente VIP": ["vip"],
            "Nivel fidelidad": ["loyalty_tier"], "Intereses": ["interests"],
            "Última compra": [], "Observaciones": ["notes"],
        },
        acceptable=_consent_offers(sms="Acepta SMS", email="Acepta email"),
        consent=["Acepta SMS", "Acepta email"], sheets=[sheet], sheet="Clientes",
    )


_PLANS = ("Free", "Pro", "Business", "Premium")
_HOBBIES = ("running", "cooking", "travel", "music", "yoga", "reading")


def crm_contacts_excel_us(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """A CRM list saved by Excel for Windows (en-US) as "CSV UTF-8": BOM, CRLF, ``$1,234.56``,
    ``TRUE``/``FALSE``, month-first dates and ``M/D/YYYY h:mm AM`` times."""
    rng = _rng(seed, "crm-us")
    headers = ["Contact ID", "Full Name", "E-mail", "Work Email", "Mobile", "Country",
               "Date of Birth", "Lifetime Value", "Orders", "Plan", "VIP", "Last Login",
               "Interests", "Account Manager"]
    rows: list[list[object]] = []
    for number, person in enumerate(crowd[140:220], start=1):
        login = person.last_active
        hour = login.hour % 12 or 12
        rows.append([
            f"CRM-{number:04d}", person.full, person.email,
            f"{_ascii(person.first)}@{_ascii(person.company) or 'company'}.com"
            if person.company else "",
            rng.choice((person.mobile.local, person.mobile.e164, person.mobile.spaced)),
            person.place.country_en,
            f"{person.birthday.month}/{person.birthday.day}/{person.birthday.year}",
            f"${person.spent:,.2f}", str(person.orders), rng.choice(_PLANS),
            "TRUE" if person.spent > 800 else "FALSE",
            f"{login.month}/{login.day}/{login.year} {hour}:{login:%M} "
            f"{'PM' if login.hour >= 12 else 'AM'}",
            "; ".join(rng.sample(_HOBBIES, rng.choice((0, 1, 2, 3)))),
            rng.choice(("Marta Ruiz", "Jorge Pons", "")),
        ])
    return CorpusFile(
        name="crm_contacts_export.csv", source=None, kind="contacts", event_type=None,
        headers=headers, rows=rows,
        targets={
            "Contact ID": ["_user_id"], "Full Name": ["_full_name"], "E-mail": ["_email"],
            "Work Email": ["work_email"], "Mobile": ["_phone_mobile"],
            "Country": ["_country_code"], "Date of Birth": ["birthday"],
            "Lifetime Value": ["lifetime_value"], "Orders": ["orders_count"], "Plan": ["plan"],
            "VIP": ["vip"], "Last Login": ["last_login"], "Interests": ["interests"],
            "Account Manager": [],
        },
        bom=True, line_end="\r\n",
    )


def clientes_excel_es(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """A customer list saved by Excel for Windows (es-ES) as "CSV (delimitado por comas)":
    ``;``, Windows-1252, CRLF, day-first dates, decimal commas, ``VERDADERO``/``FALSO``."""
    rng = _rng(seed, "clientes-es")
    headers = ["Código cliente", "Nombre completo", "Correo electrónico", "Teléfono móvil",
               "Teléfono", "País", "Fecha de nacimiento", "Valor de vida", "Pedidos", "Plan",
               "VIP", "Último acceso", "Comentarios"]
    rows: list[list[object]] = []
    for number, person in enumerate(crowd[50:130], start=1):
        rows.append([
            f"{number:06d}", person.full, person.email,
            rng.choice((person.mobile.local, person.mobile.national, person.mobile.spaced)),
            person.landline.local if rng.random() < 0.3 else "", person.place.country_es,
            f"{person.birthday:%d/%m/%Y}", _es_money(person.spent, symbol=False),
            str(person.orders), rng.choice(_PLANS),
            "VERDADERO" if person.spent > 800 else "FALSO",
            f"{person.last_active:%d/%m/%Y %H:%M}", person.note.replace("\n", " "),
        ])
    return CorpusFile(
        name="clientes_excel.csv", source=None, kind="contacts", event_type=None,
        headers=headers, rows=rows,
        targets={
            "Código cliente": ["_user_id"], "Nombre completo": ["_full_name"],
            "Correo electrónico": ["_email"], "Teléfono móvil": ["_phone_mobile"],
            "Teléfono": ["landline"], "País": ["_country_code"],
            "Fecha de nacimiento": ["birthday"], "Valor de vida": ["lifetime_value"],
            "Pedidos": ["orders_count"], "Plan": ["plan"], "VIP": ["vip"],
            "Último acceso": ["last_login"], "Comentarios": ["notes"],
        },
        delimiter=";", encoding="cp1252", line_end="\r\n",
    )


def orders_workbook(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """A workbook whose first sheet is a summary; the orders are on the third sheet, one row
    per product with the order columns repeated."""
    rng = _rng(seed, "excel-orders")
    headers = ["Nº pedido", "Fecha", "Email cliente", "Cliente", "Producto", "Unidades",
               "Importe", "Moneda", "Estado"]
    rows: list[list[object]] = []
    moment = datetime(2025, 6, 2, 10, 0)
    for number in range(1, 46):
        person = rng.choice(crowd)
        moment += timedelta(hours=rng.randint(2, 40))
        items = rng.sample(_PRODUCTS, rng.choice((1, 1, 2, 3)))
        total = round(sum(price for _, _, price in items), 2)
        for name, _sku, _price in items:
            rows.append([f"2025-{number:04d}", moment, person.email, person.full, name, 1,
                         total, "EUR", rng.choice(("Pagado", "Enviado", "Entregado"))])
    summary = Sheet("Resumen", ["Mes", "Pedidos", "Facturación"],
                    [["Junio", 18, 1520.4], ["Julio", 15, 1210.0], ["Agosto", 12, 980.35]])
    contacts = Sheet("Clientes", ["Email", "Nombre", "Móvil"],
                     [[p.email, p.full, p.mobile.local] for p in crowd[:30]])
    orders = Sheet("Pedidos", headers, rows)
    targets: dict[str, list[str]] = {header: [] for header in headers}
    targets.update({
        "Nº pedido": ["_event_id", "_event_parameters.order_id"], "Fecha": ["_event_date"],
        "Email cliente": ["_user_id"], "Producto": ["_event_parameters.products"],
        "Importe": ["_event_parameters.amount"], "Moneda": ["_event_parameters.currency"],
    })
    return CorpusFile(
        name="ventas_2025.xlsx", source=None, kind="events", event_type="purchase",
        headers=headers, rows=rows, targets=targets,
        sheets=[summary, contacts, orders], sheet="Pedidos", event_column="Nº pedido",
    )


# --------------------------------------------------------------------------- the app's error log


def error_log(seed: int, crowd: Sequence[Person]) -> CorpusFile:
    """What this app writes for the rows a previous import rejected (its own writer)."""
    rng = _rng(seed, "errorlog")
    original = ["ID Cliente", "Nombre", "Apellidos", "Correo electrónico", "Móvil", "País",
                "Fecha de nacimiento"]
    rows: list[list[object]] = []
    for number, person in enumerate(crowd[0:90], start=1):
        rows.append([
            f"{1000 + number}", person.first, person.last,
            person.email.replace("@", " at ") if number % 3 == 0 else person.email,
            "+34 6" if number % 4 == 0 else person.mobile.local,
            person.place.country_es,
            f"{rng.randint(32, 40)}/{rng.randint(1, 12)}/1990" if number % 5 == 0
            else f"{person.birthday:%d/%m/%Y}",
        ])
    messages: dict[int, list[str]] = {}
    for position, row in enumerate(rows):
        found = []
        if " at " in str(row[3]):
            found.append(f'"{row[3]}" is not an e-mail address.')
        if row[4] == "+34 6":
            found.append(f'"{row[4]}" is not a phone number.')
        if int(str(row[6]).split("/")[0]) > 31:
            found.append(f'"{row[6]}" is not a date.')
        if found:
            messages[position + 2] = found  # spreadsheet row: the header is row 1
    headers = [*original, "Row", "Errors"]
    targets: dict[str, list[str]] = {
        "ID Cliente": ["_user_id"], "Nombre": ["_first_name"], "Apellidos": ["_last_name"],
        "Correo electrónico": ["_email"], "Móvil": ["_phone_mobile"], "País": ["_country_code"],
        "Fecha de nacimiento": ["birthday"], "Row": [], "Errors": [],
    }
    return CorpusFile(
        name="clientes_errores.csv", source="ingest_gui_error_log", kind="contacts",
        event_type=None, headers=headers, rows=rows, targets=targets, writer=_write_error_log,
        row_count=len(messages), messages=messages,
    )


def _write_error_log(path: Path, spec: CorpusFile) -> None:
    import numpy as np
    import pandas as pd

    from ingest_gui.core.errorlog import write_error_log
    from ingest_gui.core.loading import LoadedTable

    original = spec.headers[:-2]
    frame = pd.DataFrame({header: pd.Series([str(row[i]) for row in spec.rows], dtype="str")
                          for i, header in enumerate(original)})
    table = LoadedTable(
        path=Path("clientes.csv"), frame=frame,
        row_numbers=np.arange(2, 2 + len(frame), dtype=np.int64), header_row=1,
        original_headers=tuple(original), format="csv", fingerprint="0" * 64)
    write_error_log(path, table, spec.messages)


# --------------------------------------------------------------------------- the corpus


def corpus(seed: int = DEFAULT_SEED) -> list[CorpusFile]:
    crowd = people(seed)
    return [
        shopify_customers_gen3(seed, crowd),
        shopify_customers_gen2(seed, crowd),
        shopify_customers_gen1(seed, crowd),
        shopify_customers_excel_es(seed, crowd),
        shopify_orders(seed, crowd),
        woocommerce_customers(seed, crowd),
        woocommerce_orders(seed, crowd),
        woocommerce_analytics_orders(seed, crowd),
        prestashop_customers(seed, crowd),
        prestashop_customers(seed, crowd, spanish=True),
        prestashop_16_customers(seed, crowd),
        magento_grid(seed, crowd),
        magento_customer_main(seed, crowd),
        mailchimp(seed, crowd, "subscribed"),
        mailchimp(seed, crowd, "unsubscribed"),
        mailchimp(seed, crowd, "cleaned"),
        mailchimp(seed, crowd, "nonsubscribed"),
        klaviyo(seed, crowd),
        hubspot(seed, crowd),
        hubspot_internal_names(seed, crowd),
        hubspot_spanish_xlsx(seed, crowd),
        brevo(seed, crowd),
        salesforce_report(seed, crowd),
        salesforce_dataloader(seed, crowd),
        spanish_sheet(seed, crowd),
        crm_contacts_excel_us(seed, crowd),
        clientes_excel_es(seed, crowd),
        orders_workbook(seed, crowd),
        error_log(seed, crowd),
    ]


def write_corpus(output: Path, seed: int = DEFAULT_SEED) -> list[CorpusFile]:
    """Write every file to ``output/files`` and its expectation to ``output/expected``."""
    files_dir = output / "files"
    expected_dir = output / "expected"
    files_dir.mkdir(parents=True, exist_ok=True)
    expected_dir.mkdir(parents=True, exist_ok=True)
    specs = corpus(seed)
    for spec in specs:
        path = files_dir / spec.name
        if spec.writer is not None:
            spec.writer(path, spec)
        elif spec.sheets:
            write_xlsx(path, spec)
        else:
            write_csv(path, spec)
        text = json.dumps(spec.expected(), ensure_ascii=False, indent=2)
        (expected_dir / f"{spec.name}.json").write_text(text + "\n", encoding="utf-8")
    return specs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", nargs="?", type=Path,
                        help="folder to write files/ and expected/ into (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    arguments = parser.parse_args(argv)
    output = arguments.output or Path(tempfile.mkdtemp(prefix="ingest-corpus-"))
    specs = write_corpus(output, arguments.seed)
    print(f"{len(specs)} files written to {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
