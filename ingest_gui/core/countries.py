"""ISO 3166-1 alpha-2 country codes with English and Spanish names, and common aliases.

Used to turn whatever a spreadsheet's country column holds ("Spain", "España", " es ", "UK") into
the two-letter code the datasource stores. The table is compact text (code|English|Spanish),
parsed once on first use; lookups fold case, accents and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# code|English name|Spanish name — all 249 officially assigned ISO 3166-1 alpha-2 codes.
_TABLE = """\
AD|Andorra|Andorra
AE|United Arab Emirates|Emiratos Árabes Unidos
AF|Afghanistan|Afganistán
AG|Antigua and Barbuda|Antigua y Barbuda
AI|Anguilla|Anguila
AL|Albania|Albania
AM|Armenia|Armenia
AO|Angola|Angola
AQ|Antarctica|Antártida
AR|Argentina|Argentina
AS|American Samoa|Samoa Americana
AT|Austria|Austria
AU|Australia|Australia
AW|Aruba|Aruba
AX|Åland Islands|Islas Aland
AZ|Azerbaijan|Azerbaiyán
BA|Bosnia and Herzegovina|Bosnia y Hercegovina
BB|Barbados|Barbados
BD|Bangladesh|Bangladesh
BE|Belgium|Bélgica
BF|Burkina Faso|Burkina Faso
BG|Bulgaria|Bulgaria
BH|Bahrain|Bahráin
BI|Burundi|Burundi
BJ|Benin|Benín
BL|Saint Barthélemy|San Bartolomé
BM|Bermuda|Bermudas
BN|Brunei|Brunéi
BO|Bolivia|Bolivia
BQ|Bonaire, Sint Eustatius and Saba|Bonaire, San Eustaquio y Saba
BR|Brazil|Brasil
BS|Bahamas|Bahamas
BT|Bhutan|Bután
BV|Bouvet Island|Isla Bouvet
BW|Botswana|Botsuana
BY|Belarus|Bielorrusia
BZ|Belize|Belice
CA|Canada|Canadá
CC|Cocos Islands|Islas Cocos
CD|The Democratic Republic Of Congo|República Democrática del Congo
CF|Central African Republic|República Centroafricana
CG|Congo|Congo
CH|Switzerland|Suiza
CI|Côte d'Ivoire|Costa de Marfil
CK|Cook Islands|Islas Cook
CL|Chile|Chile
CM|Cameroon|Camerún
CN|China|China
CO|Colombia|Colombia
CR|Costa Rica|Costa Rica
CU|Cuba|Cuba
CV|Cape Verde|Cabo Verde
CW|Curaçao|Curaçao
CX|Christmas Island|Isla Christmas
CY|Cyprus|Chipre
CZ|Czech Republic|Chequia
DE|Germany|Alemania
DJ|Djibouti|Yibuti
DK|Denmark|Dinamarca
DM|Dominica|Dominica
DO|Dominican Republic|República Dominicana
DZ|Algeria|Argelia
EC|Ecuador|Ecuador
EE|Estonia|Estonia
EG|Egypt|Egipto
EH|Western Sahara|Sahara Occidental
ER|Eritrea|Eritrea
ES|Spain|España
ET|Ethiopia|Etiopía
FI|Finland|Finlandia
FJ|Fiji|Fiyi
FK|Falkland Islands|Islas Malvinas
FM|Micronesia|Micronesia
FO|Faroe Islands|Islas Feroe
FR|France|Francia
GA|Gabon|Gabón
GB|United Kingdom|Reino Unido
GD|Grenada|Granada
GE|Georgia|Georgia
GF|French Guiana|Guayana Francesa
GG|Guernsey|Guernsey
GH|Ghana|Ghana
GI|Gibraltar|Gibraltar
GL|Greenland|Groenlandia
GM|Gambia|Gambia
GN|Guinea|Guinea
GP|Guadeloupe|Guadalupe
GQ|Equatorial Guinea|Guinea Ecuatorial
GR|Greece|Grecia
GS|South Georgia And The South Sandwich Islands|Islas Georgia del Sur y Sandwich del Sur
GT|Guatemala|Guatemala
GU|Guam|Guam
GW|Guinea-Bissau|Guinea-Bissau
GY|Guyana|Guyana
HK|Hong Kong|Hong Kong
HM|Heard Island And McDonald Islands|Islas Heard y McDonald
HN|Honduras|Honduras
HR|Croatia|Croacia
HT|Haiti|Haití
HU|Hungary|Hungría
ID|Indonesia|Indonesia
IE|Ireland|Irlanda
IL|Israel|Israel
IM|Isle Of Man|Isla de Man
IN|India|India
IO|British Indian Ocean Territory|Territorio Británico del Océano Índico
IQ|Iraq|Iraq
IR|Iran|Irán
IS|Iceland|Islandia
IT|Italy|Italia
JE|Jersey|Jersey
JM|Jamaica|Jamaica
JO|Jordan|Jordania
JP|Japan|Japón
KE|Kenya|Kenia
KG|Kyrgyzstan|Kirguizistán
KH|Cambodia|Camboya
KI|Kiribati|Kiribati
KM|Comoros|Comores
KN|Saint Kitts And Nevis|San Cristóbal y Nieves
KP|North Korea|Corea del Norte
KR|South Korea|Corea del Sur
KW|Kuwait|Kuwait
KY|Cayman Islands|Islas Caimán
KZ|Kazakhstan|Kazajstán
LA|Laos|Laos
LB|Lebanon|Líbano
LC|Saint Lucia|Santa Lucia
LI|Liechtenstein|Liechtenstein
LK|Sri Lanka|Sri Lanka
LR|Liberia|Liberia
LS|Lesotho|Lesoto
LT|Lithuania|Lituania
LU|Luxembourg|Luxemburgo
LV|Latvia|Letonia
LY|Libya|Libia
MA|Morocco|Marruecos
MC|Monaco|Mónaco
MD|Moldova|Moldavia
ME|Montenegro|Montenegro
MF|Saint Martin|San Martín
MG|Madagascar|Madagascar
MH|Marshall Islands|Islas Marshall
MK|Macedonia|Macedonia
ML|Mali|Malí
MM|Myanmar|Myanmar
MN|Mongolia|Mongolia
MO|Macao|Macao
MP|Northern Mariana Islands|Islas Marianas del Norte
MQ|Martinique|Martinica
MR|Mauritania|Mauritania
MS|Montserrat|Montserrat
MT|Malta|Malta
MU|Mauritius|Mauricio
MV|Maldives|Maldivas
MW|Malawi|Malaui
MX|Mexico|México
MY|Malaysia|Malasia
MZ|Mozambique|Mozambique
NA|Namibia|Namibia
NC|New Caledonia|Nueva Caledonia
NE|Niger|Níger
NF|Norfolk Island|Isla Norfolk
NG|Nigeria|Nigeria
NI|Nicaragua|Nicaragua
NL|Netherlands|Holanda
NO|Norway|Noruega
NP|Nepal|Nepal
NR|Nauru|Nauru
NU|Niue|Niue
NZ|New Zealand|Nueva Zelanda
OM|Oman|Omán
PA|Panama|Panamá
PE|Peru|Perú
PF|French Polynesia|Polinesia Francesa
PG|Papua New Guinea|Papúa New Guinea
PH|Philippines|Filipinas
PK|Pakistan|Paquistán
PL|Poland|Polonia
PM|Saint Pierre And Miquelon|San Pedro y Miquelón
PN|Pitcairn|Islas Pitcairn
PR|Puerto Rico|Puerto Rico
PS|Palestine|Palestina
PT|Portugal|Portugal
PW|Palau|Palaos
PY|Paraguay|Paraguay
QA|Qatar|Qatar
RE|Reunion|Reunión
RO|Romania|Rumania
RS|Serbia|Serbia
RU|Russia|Rusia
RW|Rwanda|Ruanda
SA|Saudi Arabia|Arabia Saudita
SB|Solomon Islands|Islas Salomón
SC|Seychelles|Seychelles
SD|Sudan|Sudán
SE|Sweden|Suecia
SG|Singapore|Singapur
SH|Saint Helena|Santa Helena
SI|Slovenia|Eslovenia
SJ|Svalbard And Jan Mayen|Svalbard y Jan Mayen
SK|Slovakia|Eslovaquia
SL|Sierra Leone|Sierra Leona
SM|San Marino|San Marino
SN|Senegal|Senegal
SO|Somalia|Somalia
SR|Suriname|Surinam
SS|South Sudan|Sudán del Sur
ST|Sao Tome And Principe|Santo Tomé y Príncipe
SV|El Salvador|El Salvador
SX|Sint Maarten (Dutch part)|San Martín (región holandesa)
SY|Syria|Siria
SZ|Swaziland|Suazilandia
TC|Turks And Caicos Islands|Islas Turcas y Caicos
TD|Chad|Chad
TF|French Southern Territories|Territorios Franceses del Sur
TG|Togo|Togo
TH|Thailand|Tailandia
TJ|Tajikistan|Tayikistán
TK|Tokelau|Tokelau
TL|Timor-Leste|Timor Oriental
TM|Turkmenistan|Turkmenistán
TN|Tunisia|Túnez
TO|Tonga|Tonga
TR|Turkey|Turquía
TT|Trinidad and Tobago|Trinidad y Tobago
TV|Tuvalu|Tuvalu
TW|Taiwan|Taiwán
TZ|Tanzania|Tanzania
UA|Ukraine|Ucrania
UG|Uganda|Uganda
UM|United States Minor Outlying Islands|Islas menores alejadas de los Estados Unidos
US|United States|Estados Unidos
UY|Uruguay|Uruguay
UZ|Uzbekistan|Uzbekistán
VA|Vatican|Ciudad del Vaticano
VC|Saint Vincent And The Grenadines|San Vicente y las Granadinas
VE|Venezuela|Venezuela
VG|British Virgin Islands|Islas Vírgenes Británicas
VI|U.S. Virgin Islands|Islas Vírgenes Americanas
VN|Vietnam|Vietnam
VU|Vanuatu|Vanuatu
WF|Wallis And Futuna|Wallis y Futuna
WS|Samoa|Samoa
YE|Yemen|Yemen
YT|Mayotte|Mayotte
ZA|South Africa|Sudáfrica
ZM|Zambia|Zambia
ZW|Zimbabwe|Zimbabue
"""

#: Names people write that are not the table's names (folded the same way before lookup).
_ALIASES: dict[str, str] = {
    # United Kingdom
    "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB",
    "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB", "Gran Bretaña": "GB",
    "Inglaterra": "GB", "Escocia": "GB", "Gales": "GB", "United Kingdom of Great Britain": "GB",
    # United States
    "USA": "US", "U.S.A.": "US", "U.S.": "US", "United States of America": "US",
    "EEUU": "US", "EE.UU.": "US", "EE. UU.": "US", "Estados Unidos de América": "US",
    "Norteamérica": "US",
    # Europe
    "Holland": "NL", "The Netherlands": "NL", "Países Bajos": "NL", "Nederland": "NL",
    "Deutschland": "DE", "Czechia": "CZ", "República Checa": "CZ", "Chequia": "CZ",
    "Russian Federation": "RU", "Moldavia": "MD", "Republic of Moldova": "MD",
    "North Macedonia": "MK", "Macedonia del Norte": "MK",
    "Vatican City": "VA", "Holy See": "VA", "Santa Sede": "VA", "Italia": "IT",
    "España": "ES", "Espana": "ES", "Spanien": "ES", "Espagne": "ES", "Spagna": "ES",
    "France": "FR", "Portugal": "PT", "Belgique": "BE", "Bélgica": "BE", "Schweiz": "CH",
    "Suisse": "CH", "Suiza": "CH", "Österreich": "AT", "Éire": "IE", "Eire": "IE",
    "Türkiye": "TR", "Turquia": "TR",
    # Americas
    "Méjico": "MX", "Mejico": "MX", "Brasil": "BR", "Perú": "PE",
    "Bolivia (Plurinational State of)": "BO",
    "Venezuela (Bolivarian Republic of)": "VE", "República Dominicana": "DO",
    "Rep. Dominicana": "DO",
    "Dominican Rep.": "DO", "Puerto Rico": "PR", "Trinidad & Tobago": "TT",
    "Antigua & Barbuda": "AG", "Saint Kitts & Nevis": "KN", "St Kitts and Nevis": "KN",
    "St Lucia": "LC", "St. Lucia": "LC", "St Vincent and the Grenadines": "VC",
    "Curacao": "CW", "Sint Maarten": "SX", "Saint Martin": "MF",
    # Elsewhere
    "South Korea": "KR", "Korea": "KR", "Republic of Korea": "KR", "Korea, Republic of": "KR",
    "Corea": "KR", "North Korea": "KP", "Ivory Coast": "CI", "Costa de Marfil": "CI",
    "Cote d'Ivoire": "CI", "DR Congo": "CD", "DRC": "CD", "Congo-Kinshasa": "CD",
    "Congo-Brazzaville": "CG", "Republic of the Congo": "CG", "Viet Nam": "VN",
    "Iran, Islamic Republic of": "IR", "Syrian Arab Republic": "SY", "Lao PDR": "LA",
    "Tanzania, United Republic of": "TZ", "Eswatini": "SZ", "Burma": "MM", "Timor-Leste": "TL",
    "East Timor": "TL", "Cabo Verde": "CV", "UAE": "AE", "U.A.E.": "AE", "Emiratos Árabes": "AE",
    "Emiratos Árabes Unidos": "AE", "Hong Kong SAR": "HK", "Macao": "MO", "Macau": "MO",
    "Taiwan, Province of China": "TW", "Palestine, State of": "PS", "The Bahamas": "BS",
    "The Gambia": "GM", "Micronesia, Federated States of": "FM", "Arabia Saudí": "SA",
    "Arabia Saudita": "SA", "Japón": "JP", "Nueva Zelanda": "NZ", "Sudáfrica": "ZA",
    "Marruecos": "MA", "Argelia": "DZ", "Egipto": "EG", "China": "CN", "India": "IN",
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation: "  Españ-a " -> "espana"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", ascii_only.lower())


@cache
def country_names() -> dict[str, tuple[str, str]]:
    """ISO code -> (English name, Spanish name)."""
    names: dict[str, tuple[str, str]] = {}
    for line in _TABLE.splitlines():
        code, english, spanish = line.split("|")
        names[code] = (english, spanish)
    return names


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, (english, spanish) in country_names().items():
        table[fold(code)] = code
        table.setdefault(fold(english), code)
        table.setdefault(fold(spanish), code)
    for alias, code in _ALIASES.items():
        table[fold(alias)] = code
    # Alpha-3 codes people type most often.
    for alpha3, code in _ALPHA3.items():
        table.setdefault(fold(alpha3), code)
    return table


_ALPHA3 = {
    "ESP": "ES", "GBR": "GB", "USA": "US", "FRA": "FR", "DEU": "DE", "ITA": "IT", "PRT": "PT",
    "MEX": "MX", "ARG": "AR", "COL": "CO", "CHL": "CL", "PER": "PE", "BRA": "BR", "NLD": "NL",
    "BEL": "BE", "CHE": "CH", "AUT": "AT", "IRL": "IE", "CAN": "CA", "ECU": "EC", "VEN": "VE",
    "URY": "UY", "PRY": "PY", "BOL": "BO", "CRI": "CR", "PAN": "PA", "DOM": "DO", "GTM": "GT",
    "HND": "HN", "SLV": "SV", "NIC": "NI", "CUB": "CU", "AND": "AD", "MAR": "MA", "POL": "PL",
    "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "GRC": "GR", "ROU": "RO", "AUS": "AU",
    "CHN": "CN", "JPN": "JP", "IND": "IN",
}


def to_country_code(value: str) -> str | None:
    """The ISO alpha-2 code of a code, alpha-3 code, English or Spanish name; else ``None``."""
    return _lookup().get(fold(value))


def is_country_code(code: str) -> bool:
    return code in country_names()
