"""Source recognition from real exports' header rows (shapes from research/export-formats.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_gui.core.loading import sheet_headers
from ingest_gui.core.sources import (
    SOURCE_LABELS,
    Role,
    column_roles,
    propose_sheet,
    recognise_source,
    source_label,
)

SHOPIFY_CUSTOMERS_GEN1 = (
    "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,"
    "Country Code,Zip,Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt")
SHOPIFY_CUSTOMERS_GEN2 = (
    "First Name,Last Name,Email,Accepts Email Marketing,Company,Address1,Address2,City,Province,"
    "Province Code,Country,Country Code,Zip,Phone,Accepts SMS Marketing,Total Spent,Total Orders,"
    "Tags,Note,Tax Exempt")
SHOPIFY_CUSTOMERS_GEN3 = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,"
    "Tags,Accepts WhatsApp Marketing,Empresa (customer.metafields.custom.empresa)")
SHOPIFY_ORDERS = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,"
    "Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Id,Tags,Risk Level,Source,Lineitem discount,Phone")
WOO_CUSTOMERS = ("Name,Username,Role,Last active,Date registered,Email,Orders,Total spend,AOV,"
                 "Country / Region,City,Region,Postal code")
WOO_ORDERS = "Date,Order #,Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net sales"
WOO_ADVANCED_ORDER_EXPORT = (
    "Order Number,Order Status,Order Date,Customer Note,First Name (Billing),"
    "Last Name (Billing),Company (Billing),Address 1&2 (Billing),City (Billing),"
    "State Code (Billing),Postcode (Billing),Country Code (Billing),Email (Billing),"
    "Phone (Billing),Item #,Item Name,Quantity (- Refund),Item Cost")
PRESTASHOP = ("ID;Social title;First name;Last name;Email address;Group;Company;Sales;Enabled;"
              "Newsletter;Partner offers;Registration;Last visit")
PRESTASHOP_ES = ("ID;Tratamiento;Nombre;Apellidos;Dirección de correo electrónico;Grupo;"
                 "Empresa;Ventas;Activado;Boletín de noticias;Ofertas de socios;Registro;"
                 "Última visita")
MAGENTO_GRID = ('"ID","Name","Email","Group","Phone","ZIP","Country","State/Province",'
                '"Customer Since","Web Site"')
MAGENTO_MAIN = ("email,_website,_store,confirmation,created_at,created_in,"
                "disable_auto_group_change,dob,firstname,gender,group_id,lastname,middlename,"
                "password_hash,prefix,rp_token,rp_token_created_at,store_id,suffix,taxvat,"
                "updated_at,website_id,password")
MAILCHIMP_SUBSCRIBED = (
    "Email Address,First Name,Last Name,Address,Phone Number,Birthday,MEMBER_RATING,OPTIN_TIME,"
    "OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
    "LAST_CHANGED,LEID,EUID,NOTES,TAGS")
MAILCHIMP_UNSUBSCRIBED = (
    "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
    "CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,UNSUB_TIME,"
    "UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER,LEID,EUID,NOTES,TAGS")
MAILCHIMP_CLEANED = (
    "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
    "CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,CLEAN_TIME,"
    "CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID,LEID,EUID,NOTES")
KLAVIYO = (
    "Email,Klaviyo ID,First Name,Last Name,Organization,Title,Phone Number,Address,Address 2,City,"
    "State / Region,Country,Zip Code,Latitude,Longitude,Source,IP Address,Email Marketing Consent,"
    "Email Marketing Consent Timestamp,Historic Customer Lifetime Value,"
    "Historic Number Of Orders,First Active,Last Active,Profile Created On,Email Suppressions")
HUBSPOT = ('"Record ID","First Name","Last Name","Email","Phone Number","Contact owner",'
           '"Primary Associated Company ID","Last Activity Date","Lead Status",'
           '"Marketing contact status","Create Date","Associated Company"')
HUBSPOT_ES = ("ID de registro,Nombre,Apellidos,Correo,Número de teléfono,Propietario del contacto,"
              "Fecha de creación,Etapa del ciclo de vida")
BREVO = "EMAIL;LASTNAME;FIRSTNAME;SMS;EMAIL_BLACKLISTED;SMS_BLACKLISTED;ADDED_TIME;MODIFIED_TIME"
BREVO_ES = "EMAIL;NOMBRE;APELLIDOS;SMS"
SALESFORCE_REPORT = ('"First Name","Last Name","Title","Account Name","Email","Phone","Mobile",'
                     '"Mailing City","Mailing Country","Contact ID","Contact Owner",'
                     '"Email Opt Out"')
SALESFORCE_DATALOADER = ("Id,FirstName,LastName,Email,Phone,MobilePhone,HasOptedOutOfEmail,"
                         "AccountId,OwnerId,CreatedDate")
SALESFORCE_DATALOADER_UPPER = ('"ID","FIRSTNAME","LASTNAME","EMAIL","MOBILEPHONE",'
                               '"HASOPTEDOUTOFEMAIL","ACCOUNTID"')
ERROR_LOG = "Email,First name,Phone,Row,Errors"
PRESTASHOP_16 = ("ID;Title;Last name;First Name;Email address;Age;Enabled;News.;Opt.;"
                 "Registration;Last visit")
HUBSPOT_INTERNAL = ("hs_object_id,firstname,lastname,email,phone,mobilephone,hubspot_owner_id,"
                    "associatedcompanyid,notes_last_updated,hs_lead_status,createdate,country,"
                    "lifecyclestage,hs_email_optout,date_of_birth")


def headers(line: str) -> list[str]:
    separator = ";" if line.count(";") > line.count(",") else ","
    return [cell.strip('"') for cell in line.split(separator)]


@pytest.mark.parametrize(("line", "source"), [
    (SHOPIFY_CUSTOMERS_GEN1, "shopify_customers"),
    (SHOPIFY_CUSTOMERS_GEN2, "shopify_customers"),
    (SHOPIFY_CUSTOMERS_GEN3, "shopify_customers"),
    (SHOPIFY_ORDERS, "shopify_orders"),
    (WOO_CUSTOMERS, "woocommerce_customers"),
    (WOO_ORDERS, "woocommerce_orders"),
    (WOO_ADVANCED_ORDER_EXPORT, "woocommerce_orders"),
    (PRESTASHOP, "prestashop_customers"),
    (PRESTASHOP_ES, "prestashop_customers"),
    (MAGENTO_GRID, "magento_customers"),
    (MAGENTO_MAIN, "magento_customers"),
    (MAILCHIMP_SUBSCRIBED, "mailchimp_subscribed"),
    (MAILCHIMP_UNSUBSCRIBED, "mailchimp_unsubscribed"),
    (MAILCHIMP_CLEANED, "mailchimp_cleaned"),
    (KLAVIYO, "klaviyo_profiles"),
    (HUBSPOT, "hubspot_contacts"),
    (HUBSPOT_ES, "hubspot_contacts"),
    (BREVO, "brevo_contacts"),
    (BREVO_ES, "brevo_contacts"),
    (SALESFORCE_REPORT, "salesforce_report"),
    (SALESFORCE_DATALOADER, "salesforce_dataloader"),
    (SALESFORCE_DATALOADER_UPPER, "salesforce_dataloader"),
    (ERROR_LOG, "ingest_gui_error_log"),
    (PRESTASHOP_16, "prestashop_customers"),
    (HUBSPOT_INTERNAL, "hubspot_contacts"),
])
def test_real_export_headers_are_recognised(line: str, source: str) -> None:
    match = recognise_source(headers(line))
    assert match is not None
    assert match.source == source
    assert 0 < match.confidence <= 1
    assert match.label == source_label(source)


def test_case_spacing_and_a_bom_do_not_matter() -> None:
    messy = ["\ufeffcustomer id", " FIRST NAME ", "email", "accepts_email_marketing",
             "total_spent", "TOTAL ORDERS", "Tax exempt"]
    match = recognise_source(messy)
    assert match is not None
    assert match.source == "shopify_customers"


def test_missing_and_extra_columns_still_recognised() -> None:
    trimmed = [h for h in headers(SHOPIFY_ORDERS) if h not in {"Billing Zip", "Paid at"}]
    match = recognise_source([*trimmed, "Custom thing", "Otra columna"])
    assert match is not None
    assert match.source == "shopify_orders"


@pytest.mark.parametrize(("file_name", "source"), [
    ("subscribed_email_audience_export_9c62c33314.csv", "mailchimp_subscribed"),
    ("nonsubscribed_email_audience_export_9c62c33314.csv", "mailchimp_nonsubscribed"),
    ("unsubscribed_members_export_1a2b.csv", "mailchimp_unsubscribed"),
    ("cleaned_members_export_1a2b.csv", "mailchimp_cleaned"),
    ("Nonsubscribed Email Audience Export 9c62c33314.csv", "mailchimp_nonsubscribed"),
    ("audience.csv", "mailchimp_subscribed"),
])
def test_mailchimp_status_comes_from_the_file_name(file_name: str, source: str) -> None:
    match = recognise_source(headers(MAILCHIMP_SUBSCRIBED), file_name=file_name)
    assert match is not None
    assert match.source == source


def test_the_unsubscribe_columns_win_over_the_file_name() -> None:
    match = recognise_source(headers(MAILCHIMP_UNSUBSCRIBED), file_name="subscribed_x.csv")
    assert match is not None
    assert match.source == "mailchimp_unsubscribed"


@pytest.mark.parametrize("line", [
    "Email,First name,Last name,Phone",
    "Nombre,Apellidos,Correo electrónico,Móvil,País",
    "user_id,event_type,date,amount",
    "ID,Name,Email",
    "Id,FirstName,LastName,Email",  # too plain to be Salesforce
    "Record ID,Name",  # a lone id column is not HubSpot
])
def test_plain_files_are_not_claimed(line: str) -> None:
    assert recognise_source(headers(line)) is None


def test_every_source_has_a_label() -> None:
    assert len(SOURCE_LABELS) == 16
    assert source_label("shopify_customers") == "Shopify customers export"
    assert all(source_label(source) for source in SOURCE_LABELS)


def test_secret_columns_are_known_whatever_the_source() -> None:
    for source in (None, "magento_customers", "shopify_customers"):
        assert column_roles(source, "password_hash") == (Role.SECRET,)
        assert column_roles(source, "rp_token") == (Role.SECRET,)


def test_consent_columns_are_known_whatever_the_source() -> None:
    assert column_roles(None, "Accepts SMS Marketing") == (Role.CONSENT,)
    assert column_roles(None, "Opted out of email: Newsletter") == (Role.CONSENT,)
    assert column_roles("prestashop_customers", "Partner offers") == (Role.CONSENT,)
    assert column_roles(None, "Acepta SMS") == (Role.CONSENT,)
    assert column_roles(None, "Consentimiento RGPD") == (Role.CONSENT,)
    assert column_roles(None, "First name") == ()


def test_profiles_give_conventional_columns_two_roles() -> None:
    assert column_roles("shopify_orders", "Name") == (Role.EVENT_ID, Role.ORDER_ID)
    assert Role.USER_ID in column_roles("mailchimp_cleaned", "Email Address")
    assert column_roles("mailchimp_subscribed", "EUID") == (Role.IGNORE,)


def test_the_sheet_with_orders_is_proposed_for_events_and_customers_for_contacts() -> None:
    sheets = {
        "Resumen": ["Mes", "Ventas"],
        "Customers": headers(SHOPIFY_CUSTOMERS_GEN3),
        "Orders": headers(SHOPIFY_ORDERS),
    }
    events = propose_sheet(sheets, "events")
    assert events is not None
    assert events.sheet == "Orders"
    assert events.source is not None
    assert events.source.source == "shopify_orders"
    contacts = propose_sheet(sheets, "contacts")
    assert contacts is not None
    assert contacts.sheet == "Customers"


def test_sheet_names_alone_and_plain_headers_decide_when_no_source_is_known() -> None:
    sheets = {"Hoja1": [], "Pedidos": [], "Clientes": []}
    assert propose_sheet(sheets, "events").sheet == "Pedidos"  # type: ignore[union-attr]
    assert propose_sheet(sheets, "contacts").sheet == "Clientes"  # type: ignore[union-attr]
    plain = {"Notas": ["Texto"], "Datos": ["Nombre", "Email", "Móvil"]}
    assert propose_sheet(plain, "contacts").sheet == "Datos"  # type: ignore[union-attr]


def test_no_sheet_is_proposed_when_nothing_stands_out() -> None:
    assert propose_sheet({"Sheet1": ["a", "b"], "Sheet2": ["c"]}, "contacts") is None
    assert propose_sheet({}, "events") is None


CORPUS_FILES = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus" / "files"


def test_a_workbooks_sheets_are_read_by_their_header_rows_and_the_fitting_one_proposed() -> None:
    sheets = sheet_headers(CORPUS_FILES / "ventas_2025.xlsx")
    assert list(sheets) == ["Resumen", "Clientes", "Pedidos"]
    assert sheets["Pedidos"][:3] == ("Nº pedido", "Fecha", "Email cliente")
    assert propose_sheet(sheets, "events").sheet == "Pedidos"  # type: ignore[union-attr]
    assert propose_sheet(sheets, "contacts").sheet == "Clientes"  # type: ignore[union-attr]
    assert sheet_headers(CORPUS_FILES / "customers_export.csv") == {}
