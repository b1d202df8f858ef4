"""Realistic spreadsheets for the benchmarks: contacts and purchase events, as CSV and XLSX.

The data looks like what a marketer exports from a Spanish or English CRM: names with accents,
mixed-case e-mails, phones written in several national formats (and, in workbooks, typed as
numbers), countries as codes or as English/Spanish names, dates ``dd/mm/yyyy``, money with a
decimal comma, yes/no columns in two languages and comma-separated interest lists.

Everything is deterministic for a given (rows, seed): the files are generated once and cached under
:func:`cache_dir`, keyed by their parameters and :data:`GENERATOR_VERSION`, so a second benchmark
run does not pay the (slow, especially for openpyxl) generation again.

    python tests/benchmarks/generate.py contacts-csv 1000000
    python tests/benchmarks/generate.py contacts-xlsx 100000
    python tests/benchmarks/generate.py events-csv 200000
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

#: Bump when the content changes so stale cached files are not reused.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20240601
CSV_DELIMITER = ";"  # what Spanish Excel writes, because the decimal separator is the comma

CONTACT_HEADERS: tuple[str, ...] = (
    "ID Cliente",
    "Nombre",
    "Apellidos",
    "Correo electrónico",
    "Móvil",
    "País",
    "Fecha de nacimiento",
    "Plan",
    "Lifetime value",
    "Pedidos",
    "VIP",
    "Intereses",
    "Work email",
    "Notas",
    "Último acceso",
)

#: Header -> target of the demo datasource (``ingest_gui/sandbox/demo.py``).
CONTACT_MAPPING: dict[str, str] = {
    "ID Cliente": "_user_id",
    "Nombre": "_first_name",
    "Apellidos": "_last_name",
    "Correo electrónico": "_email",
    "Móvil": "_phone_mobile",
    "País": "_country_code",
    "Fecha de nacimiento": "birthday",
    "Plan": "plan",
    "Lifetime value": "lifetime_value",
    "Pedidos": "orders_count",
    "VIP": "vip",
    "Intereses": "interests",
    "Work email": "work_email",
    "Notas": "notes",
    "Último acceso": "last_login",
}
PHONE_HEADER = "Móvil"

EVENT_HEADERS: tuple[str, ...] = (
    "Customer ID", "Order", "Amount", "Currency", "Products", "Purchase date",
)
EVENT_MAPPING: dict[str, str] = {
    "Customer ID": "_user_id",
    "Order": "_event_parameters.order_id",
    "Amount": "_event_parameters.amount",
    "Currency": "_event_parameters.currency",
    "Products": "_event_parameters.products",
    "Purchase date": "_event_date",
}

FIRST_NAMES = (
    "María", "José", "Lucía", "Álvaro", "Sofía", "Martín", "Paula", "Hugo", "Inés", "Íñigo",
    "Begoña", "Jesús", "Núria", "Joan", "Ángela", "Raúl", "Sergio", "Elena", "Andrés", "Noemí",
    "Olivia", "James", "Emma", "Oliver", "Amelia", "Jack", "Isla", "Harry", "Chloé", "Zoë",
    "Renée", "François", "Ana", "Carlos", "Marta", "Javier", "Carmen", "David", "Laura", "Pablo",
)
LAST_NAMES = (
    "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
    "Smith", "Johnson", "Williams", "Brown", "O'Connor", "Taylor", "Davies", "Evans", "Müller",
    "Dubois", "Peña", "Castaño", "Ibáñez", "Zubiría", "Yáñez",
)
EMAIL_DOMAINS = (
    "gmail.com", "hotmail.com", "yahoo.es", "outlook.com", "Gmail.com", "telefonica.net",
    "icloud.com", "empresa.es", "hotmail.es", "protonmail.com",
)
PLANS = ("Free", "Pro", "Business", "Premium", "free", "PRO")
VIP_WORDS = ("sí", "no", "yes", "no", "Sí", "No", "x", "", "no", "true", "0", "1")
INTERESTS = (
    "running", "cocina", "viajes", "fútbol", "música", "cine", "moda", "tecnología", "yoga",
    "lectura",
)
NOTES = (
    "", "", "", "Cliente desde 2019", 'Prefiere "WhatsApp"',
    "Llamar por la tarde, no antes de las 17h",
    "Met at the Madrid fair; wants a demo", "Devolución pendiente", "Ñ test — ünïcödé", "VIP ⭐",
)

# Country of each contact, how its country cell is written, and its phone formats.
COUNTRIES = ("ES", "US", "GB", "FR", "MX", "DE")
COUNTRY_WEIGHTS = (0.70, 0.10, 0.07, 0.05, 0.05, 0.03)
COUNTRY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ES": ("ES", "España", "Spain", "es", " ES ", "ESPAÑA", "España"),
    "US": ("US", "United States", "Estados Unidos", "USA"),
    "GB": ("GB", "UK", "United Kingdom", "Reino Unido"),
    "FR": ("FR", "France", "Francia"),
    "MX": ("MX", "México", "Mexico"),
    "DE": ("DE", "Germany", "Alemania"),
}


def cache_dir() -> Path:
    """Where generated files live: ``$INGEST_BENCH_CACHE``, else
    ``<tmp>/ingest-gui-bench/cache`` (outside the checkout: the CSV alone is ~150 MB)."""
    configured = os.environ.get("INGEST_BENCH_CACHE")
    default = Path(tempfile.gettempdir()) / "ingest-gui-bench" / "cache"
    path = Path(configured) if configured else default
    path.mkdir(parents=True, exist_ok=True)
    return path


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.replace("'", "").replace(" ", "")


def _pick(rng: np.random.Generator, pool: Sequence[Any], count: int,
          weights: Sequence[float] | None = None) -> np.ndarray:
    """``count`` indexes into ``pool``."""
    if weights is None:
        return rng.integers(0, len(pool), size=count)
    return rng.choice(len(pool), size=count, p=np.asarray(weights) / sum(weights))


def _digits(rng: np.random.Generator, count: int, width: int) -> list[str]:
    values = rng.integers(0, 10**width, size=count)
    return [f"{value:0{width}d}" for value in values.tolist()]


def _phone(country: str, form: int, national: str) -> str:
    """One phone number as a person would type it; ``national`` holds the subscriber digits."""
    n = national
    if country == "ES":  # 9 digits starting with 6 or 7
        return (f"{n[0:3]} {n[3:6]} {n[6:9]}", f"+34 {n}", f"0034{n}", n,
                f"+34 {n[0:3]} {n[3:5]} {n[5:7]} {n[7:9]}", f"34{n}")[form % 6]
    if country == "US":  # 10 digits: area code + exchange + line
        return (f"({n[0:3]}) {n[3:6]}-{n[6:10]}", f"{n[0:3]}-{n[3:6]}-{n[6:10]}",
                f"+1 {n[0:3]} {n[3:6]} {n[6:10]}", f"{n[0:3]}.{n[3:6]}.{n[6:10]}")[form % 4]
    if country == "GB":  # mobile 7xxx xxxxxx
        return (f"0{n[0:4]} {n[4:10]}", f"+44 {n[0:4]} {n[4:10]}", f"0044{n}")[form % 3]
    if country == "FR":  # 6 or 7 + 8 digits
        pairs = " ".join(n[i:i + 2] for i in range(1, 9, 2))
        return (f"0{n[0]} {pairs}", f"+33 {n[0]} {pairs}", f"+33{n}")[form % 3]
    if country == "MX":  # 10 digits
        return (f"+52 {n[0:2]} {n[2:6]} {n[6:10]}", f"{n[0:2]} {n[2:6]} {n[6:10]}")[form % 2]
    # DE mobile 15x/16x/17x
    return (f"+49 {n[0:3]} {n[3:]}", f"0{n[0:3]} {n[3:]}")[form % 2]


def _national_digits(rng: np.random.Generator, countries: np.ndarray) -> list[str]:
    count = len(countries)
    tail8 = _digits(rng, count, 8)
    tail7 = _digits(rng, count, 7)
    us_areas = ("212", "415", "646", "310", "305", "312", "617", "206")
    area = _pick(rng, us_areas, count).tolist()
    exchange = rng.integers(200, 1000, size=count).tolist()
    lead = rng.integers(0, 2, size=count).tolist()
    out: list[str] = []
    for i, country in enumerate(countries.tolist()):
        if country == "ES":  # mobiles are 6xx and 71x-74x
            out.append("6" + tail8[i] if lead[i] or exchange[i] % 4 else
                       f"7{exchange[i] % 4 + 1}" + tail7[i])
        elif country == "US":
            out.append(us_areas[area[i]] + str(exchange[i]) + tail8[i][:4])
        elif country == "GB":
            out.append("7" + str(exchange[i] % 900 + 100) + tail8[i][:6])
        elif country == "FR":
            out.append(("6", "7")[lead[i]] + tail8[i])
        elif country == "MX":
            out.append("55" + tail8[i])
        else:
            out.append(("151", "160", "176")[exchange[i] % 3] + tail7[i] + tail8[i][:1])
    return out


class _Moments:
    """Random moments as (day offset, minute of day); text through lookup tables (fast)."""

    def __init__(self, rng: np.random.Generator, count: int, start: datetime, days: int) -> None:
        self.start = start
        self.days = rng.integers(0, days, size=count).tolist()
        self.minutes = rng.integers(0, 1440, size=count).tolist()
        self._day_text = [(start + timedelta(days=d)).strftime("%d/%m/%Y") for d in range(days)]

    def dates_text(self) -> list[str]:
        table = self._day_text
        return [table[d] for d in self.days]

    def datetimes_text(self) -> list[str]:
        table = self._day_text
        clock = [f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)]
        return [f"{table[d]} {clock[m]}" for d, m in zip(self.days, self.minutes, strict=True)]

    def dates(self) -> list[datetime]:
        return [self.start + timedelta(days=d) for d in self.days]

    def datetimes(self) -> list[datetime]:
        return [self.start + timedelta(days=d, minutes=m)
                for d, m in zip(self.days, self.minutes, strict=True)]


def _spanish_money(value: float) -> str:
    text = f"{value:,.2f}"  # 1,234.56
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def contact_columns(rows: int, seed: int = DEFAULT_SEED, *, typed: bool = False,
                    ) -> dict[str, list[Any]]:
    """Column header -> cell values for ``rows`` contacts.

    ``typed=False``: every cell is text, as in a CSV. ``typed=True``: what a workbook holds —
    numbers and dates as real cells (a fifth of the phones typed as numbers, as people do).
    """
    rng = np.random.default_rng(seed)
    first = _pick(rng, FIRST_NAMES, rows)
    last1 = _pick(rng, LAST_NAMES, rows)
    last2 = _pick(rng, LAST_NAMES, rows)
    two_surnames = rng.random(rows) < 0.6
    first_names = [FIRST_NAMES[i] for i in first.tolist()]
    last_names = [
        f"{LAST_NAMES[a]} {LAST_NAMES[b]}" if both else LAST_NAMES[a]
        for a, b, both in zip(last1.tolist(), last2.tolist(), two_surnames.tolist(), strict=True)
    ]
    ascii_first = [_ascii(name) for name in FIRST_NAMES]
    ascii_last = [_ascii(name) for name in LAST_NAMES]
    domains = _pick(rng, EMAIL_DOMAINS, rows).tolist()
    capitalised = (rng.random(rows) < 0.15).tolist()
    emails = []
    for i, (f, a, d, cap) in enumerate(zip(first.tolist(), last1.tolist(), domains, capitalised,
                                           strict=True)):
        local = f"{ascii_first[f]}.{ascii_last[a]}{i}"
        emails.append(f"{local if cap else local.lower()}@{EMAIL_DOMAINS[d]}")

    country_index = _pick(rng, COUNTRIES, rows, COUNTRY_WEIGHTS)
    countries = np.asarray(COUNTRIES)[country_index]
    spelling = rng.integers(0, 1000, size=rows).tolist()
    country_cells = [
        COUNTRY_SPELLINGS[c][s % len(COUNTRY_SPELLINGS[c])]
        for c, s in zip(countries.tolist(), spelling, strict=True)
    ]
    national = _national_digits(rng, countries)
    forms = rng.integers(0, 12, size=rows).tolist()
    phone_empty = (rng.random(rows) < 0.03).tolist()
    as_number = (rng.random(rows) < 0.2).tolist()
    phones: list[Any] = []
    for country, form, digits, empty, number in zip(
        countries.tolist(), forms, national, phone_empty, as_number, strict=True
    ):
        if empty:
            phones.append("" if not typed else None)
        elif typed and number and country in {"ES", "US"}:
            # Typed as a number: no spaces, no "+", an int cell in a workbook.
            phones.append(int(digits) if country == "ES" else int("1" + digits))
        else:
            phones.append(_phone(country, form, digits))

    births = _Moments(rng, rows, datetime(1950, 1, 1), 55 * 365)
    birth_empty = (rng.random(rows) < 0.1).tolist()
    logins = _Moments(rng, rows, datetime(2023, 1, 1), 700)
    plans = [PLANS[i] for i in _pick(rng, PLANS, rows).tolist()]
    values = np.round(rng.lognormal(4.5, 1.3, size=rows), 2).tolist()
    orders = rng.integers(0, 120, size=rows).tolist()
    vip = [VIP_WORDS[i] for i in _pick(rng, VIP_WORDS, rows).tolist()]
    interest_counts = rng.integers(0, 5, size=rows).tolist()
    interest_picks = rng.integers(0, len(INTERESTS), size=(rows, 4)).tolist()
    interests = [
        ", ".join(dict.fromkeys(INTERESTS[j] for j in picks[:k]))
        for k, picks in zip(interest_counts, interest_picks, strict=True)
    ]
    work = (rng.random(rows) < 0.3).tolist()
    work_emails = [
        f"{ascii_first[f].lower()}.{ascii_last[a].lower()}{i}@empresa{i % 97}.com" if w else ""
        for i, (f, a, w) in enumerate(zip(first.tolist(), last1.tolist(), work, strict=True))
    ]
    notes = [NOTES[i] for i in _pick(rng, NOTES, rows).tolist()]
    ids = [f"C{i:07d}" for i in range(1, rows + 1)]

    if typed:
        birth_cells: list[Any] = [
            None if empty else b for b, empty in zip(births.dates(), birth_empty, strict=True)
        ]
        login_cells: list[Any] = logins.datetimes()
        value_cells: list[Any] = values
        order_cells: list[Any] = orders
    else:
        birth_cells = [
            "" if empty else b for b, empty in zip(births.dates_text(), birth_empty, strict=True)
        ]
        login_cells = logins.datetimes_text()
        value_cells = [_spanish_money(value) for value in values]
        order_cells = [str(value) for value in orders]
    columns: dict[str, list[Any]] = {
        "ID Cliente": ids,
        "Nombre": first_names,
        "Apellidos": last_names,
        "Correo electrónico": emails,
        "Móvil": phones,
        "País": country_cells,
        "Fecha de nacimiento": birth_cells,
        "Plan": plans,
        "Lifetime value": value_cells,
        "Pedidos": order_cells,
        "VIP": vip,
        "Intereses": interests,
        "Work email": work_emails,
        "Notas": notes,
        "Último acceso": login_cells,
    }
    assert tuple(columns) == CONTACT_HEADERS
    return columns


def contact_items(rows: int, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Wire-ready contacts (what the payload builder sends) for the upload benchmarks."""
    rng = np.random.default_rng(seed + 1)
    first = _pick(rng, FIRST_NAMES, rows).tolist()
    last = _pick(rng, LAST_NAMES, rows).tolist()
    plans = _pick(rng, PLANS[:4], rows).tolist()
    values = np.round(rng.lognormal(4.5, 1.3, size=rows), 2).tolist()
    orders = rng.integers(0, 120, size=rows).tolist()
    mobiles = rng.integers(600_000_000, 700_000_000, size=rows).tolist()
    items = []
    for i in range(rows):
        f, a = FIRST_NAMES[first[i]], LAST_NAMES[last[i]]
        items.append({
            "_user_id": f"C{i + 1:07d}",
            "_first_name": f,
            "_last_name": a,
            "_email": f"{_ascii(f).lower()}.{_ascii(a).lower()}{i}@example.com",
            "_phone_mobile": f"+34{mobiles[i]}",
            "_country_code": "ES",
            "plan": PLANS[plans[i]],
            "lifetime_value": values[i],
            "orders_count": orders[i],
            "vip": "1" if orders[i] > 60 else "0",
            "interests": ["running", "viajes"] if i % 3 == 0 else ["cocina"],
        })
    return items


def event_columns(rows: int, seed: int = DEFAULT_SEED, contacts: int = 100_000,
                  ) -> dict[str, list[Any]]:
    """Purchase events of ``contacts`` customers, all text (a CSV's cells)."""
    rng = np.random.default_rng(seed + 2)
    customers = rng.integers(1, contacts + 1, size=rows).tolist()
    amounts = np.round(rng.lognormal(3.5, 0.9, size=rows), 2).tolist()
    currencies = ("EUR", "EUR", "EUR", "USD", "GBP")
    currency = _pick(rng, currencies, rows).tolist()
    product_counts = rng.integers(1, 5, size=rows).tolist()
    skus = rng.integers(1000, 9999, size=(rows, 4)).tolist()
    moments = _Moments(rng, rows, datetime(2024, 1, 1), 365)
    return {
        "Customer ID": [f"C{c:07d}" for c in customers],
        "Order": [f"PO-{2024_000000 + i}" for i in range(rows)],
        "Amount": [_spanish_money(a) for a in amounts],
        "Currency": [currencies[c] for c in currency],
        "Products": [",".join(f"SKU{s}" for s in sku[:k])
                     for k, sku in zip(product_counts, skus, strict=True)],
        "Purchase date": moments.datetimes_text(),
    }


# --------------------------------------------------------------------------- writers


def _write_csv(path: Path, columns: dict[str, list[Any]]) -> None:
    import pandas as pd

    frame = pd.DataFrame(columns, dtype=object)
    frame.to_csv(path, sep=CSV_DELIMITER, index=False, encoding="utf-8", lineterminator="\r\n")


_EXCEL_EPOCH = datetime(1899, 12, 30)
#: Cell styles of :func:`_write_xlsx`: 0 general, 1 date, 2 date and time, 3 money.
_XLSX_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>\
<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_XLSX_PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
</Types>""",
    "_rels/.rels": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>""",
    "xl/workbook.xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="Contactos" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
<Relationship Id="rId3" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
Target="sharedStrings.xml"/></Relationships>""",
    "xl/styles.xml": _XLSX_STYLES,
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _write_xlsx(path: Path, columns: dict[str, list[Any]]) -> None:
    """An .xlsx laid out as Excel writes one: a shared-string table, numbers and dates as numeric
    cells with a date format.

    openpyxl's write-only mode would take minutes for 1.5 M cells and writes inline strings,
    which Excel never does (and which some readers parse much more slowly, which would skew the
    comparison with pandas).
    """
    import zipfile
    from xml.sax.saxutils import escape

    names = list(columns)
    lists = [list(columns[name]) for name in names]
    count = len(lists[0])
    letters = [_column_letter(i) for i in range(len(names))]
    shared: dict[str, int] = {}

    def string_cell(ref: str, text: str) -> str:
        index = shared.setdefault(text, len(shared))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    def cell(ref: str, value: Any, header: str) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return string_cell(ref, value)
        if isinstance(value, datetime):
            moment = value - _EXCEL_EPOCH
            serial = moment.days + moment.seconds / 86_400  # as Excel stores it
            date_style = 2 if header == "Último acceso" else 1
            return f'<c r="{ref}" s="{date_style}"><v>{serial!r}</v></c>'
        money_style = ' s="3"' if isinstance(value, float) else ""
        return f'<c r="{ref}"{money_style}><v>{value!r}</v></c>'

    rows_xml = ["<row r=\"1\">" + "".join(
        string_cell(f"{letters[i]}1", name) for i, name in enumerate(names)) + "</row>"]
    for r in range(count):
        number = r + 2
        rows_xml.append(f'<row r="{number}">' + "".join(
            cell(f"{letters[i]}{number}", lists[i][r], names[i]) for i in range(len(names))
        ) + "</row>")
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1]}{count + 1}"/><sheetData>'
        + "".join(rows_xml) + "</sheetData></worksheet>"
    )
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in shared)
        + "</sst>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, content in _XLSX_PARTS.items():
            book.writestr(name, content)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", strings)


def _cached(name: str, write: Callable[[Path], None], *, quiet: bool = False) -> Path:
    path = cache_dir() / name
    if path.exists():
        return path
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    started = time.perf_counter()
    if not quiet:
        print(f"generating {path} ...", flush=True)
    write(partial)
    os.replace(partial, path)
    if not quiet:
        print(f"  done in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)", flush=True)
    return path


def contacts_csv(rows: int, seed: int = DEFAULT_SEED, *, quiet: bool = False) -> Path:
    return _cached(f"contacts-{rows}x15-seed{seed}-v{GENERATOR_VERSION}.csv",
                   lambda path: _write_csv(path, contact_columns(rows, seed)), quiet=quiet)


def contacts_xlsx(rows: int, seed: int = DEFAULT_SEED, *, quiet: bool = False) -> Path:
    return _cached(f"contacts-{rows}x15-seed{seed}-v{GENERATOR_VERSION}.xlsx",
                   lambda path: _write_xlsx(path, contact_columns(rows, seed, typed=True)),
                   quiet=quiet)


def events_csv(rows: int, seed: int = DEFAULT_SEED, *, quiet: bool = False) -> Path:
    return _cached(f"events-{rows}x6-seed{seed}-v{GENERATOR_VERSION}.csv",
                   lambda path: _write_csv(path, event_columns(rows, seed)), quiet=quiet)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["contacts-csv", "contacts-xlsx", "events-csv"])
    parser.add_argument("rows", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    options = parser.parse_args(argv)
    make = {"contacts-csv": contacts_csv, "contacts-xlsx": contacts_xlsx,
            "events-csv": events_csv}[options.what]
    print(make(options.rows, options.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
