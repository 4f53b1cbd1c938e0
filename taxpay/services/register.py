"""The register's own rows: the organization's tax settings, tax years, owners, and the numbering of bills and
receipts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import taxpay.services.clock as clock  # a module, so a test fixing `clock.today` fixes it here too
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.notifications.services import citizen_language
from portal.thai import be_year, ce_year, is_valid_tax_id
from taxpay import rules
from taxpay.models import Counter, Owner, TaxSettings, TaxType, TaxYear
from taxpay.models.years import new_secret

SERIES = {TaxType.LAND_BUILDING: "LB", TaxType.SIGNBOARD: "SB"}
RECEIPT_SERIES = "RC"


# --- settings and tax years ---------------------------------------------------------------------------------

def ensure_tax_settings(organization) -> TaxSettings:
    row, _created = TaxSettings.objects.get_or_create(organization=organization)
    organization._tax_settings_cache = row
    return row


@transaction.atomic
def set_biller(*, organization, biller_id: str, payee_name: str, new_callback_secret: bool, actor) -> str | None:
    """The organization's biller ID (its 13-digit tax ID and the bank's 2-digit suffix) and payee name, this year's
    tax year, and a new callback secret on the first save or when asked: the secret is returned to be shown once
    (it is stored sealed), else None."""
    fresh = not TaxSettings.objects.filter(organization=organization).exists()
    require(actor, "change", TaxSettings(organization=organization))
    tax_id, suffix = biller_id[:13], biller_id[13:]
    secret = new_secret() if fresh or new_callback_secret else None
    with audit.acting(actor):
        row = ensure_tax_settings(organization)
        if organization.tax_id != tax_id:
            organization.tax_id = tax_id
            organization.save(update_fields=["tax_id"])
        row.biller_suffix, row.payee_name = suffix, payee_name
        fields = ["biller_suffix", "payee_name"]
        if secret:
            row.callback_secret = secret
            fields.append("callback_secret")
        row.full_clean(exclude=["organization"])
        row.save(update_fields=fields)
    ensure_tax_year(organization=organization, year=be_year(clock.today().year), actor=actor)
    return secret


def default_tax_year_values(year: int) -> dict:
    """A year seeded from the Act's tables (rates since 2563, no relief); notice in February, tax by the end of
    April, instalments at the end of April, May and June, signboard tax by the end of March."""
    ce = ce_year(year)
    return {
        "schedules": {use: schedule.as_data() for use, schedule in rules.SCHEDULES_2568.items()},
        "sign_rates": {kind: [str(a), str(b)] for kind, (a, b) in rules.SIGN_RATES_2564.items()},
        "relief_percent": Decimal("0"),
        "notice_date": dt.date(ce, 2, 1),
        "due_date": dt.date(ce, 4, 30),
        "instalment_2_due": dt.date(ce, 5, 31),
        "instalment_3_due": dt.date(ce, 6, 30),
        "signboard_due_date": dt.date(ce, 3, 31),
    }


@transaction.atomic
def ensure_tax_year(*, organization, year: int, actor=None) -> TaxYear:
    existing = TaxYear.objects.filter(organization=organization, year=year).first()
    if existing:
        return existing
    tax_year = TaxYear(organization=organization, year=year, **default_tax_year_values(year))
    require(actor, "add", tax_year)
    tax_year.full_clean()
    with audit.acting(actor):
        tax_year.save()
    return tax_year


# --- register ----------------------------------------------------------------------------------------------

@transaction.atomic
def register_owner(*, organization, name: str, id_number: str, kind: str = rules.OwnerKind.INDIVIDUAL,
                   address: str = "", contact_email: str = "", contact_phone: str = "",
                   contact_language: str = "", actor=None) -> Owner:
    """An owner found by the keyed hash of the ID, created when new; the ID itself is never stored."""
    if not is_valid_tax_id(id_number):
        raise ValidationError({"id_number": _("เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง (13 หลัก)")})
    probe = Owner(organization=organization, kind=kind, name=name.strip(), address=address,
                  contact_email=contact_email, contact_phone=contact_phone,
                  contact_language=citizen_language(contact_language or settings.LANGUAGE_CODE))
    probe.set_id(id_number)
    existing = Owner.objects.filter(organization=organization, id_hash=probe.id_hash).first()
    if existing:
        return existing
    require(actor, "add", probe)
    probe.full_clean()
    with audit.acting(actor):
        probe.save()
    return probe


# --- numbering ---------------------------------------------------------------------------------------------

def reserve_numbers(*, organization, series: str, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive numbers; returns the first. A row lock makes concurrent callers queue."""
    Counter.objects.get_or_create(organization=organization, series=series, year=year)
    counter = Counter.objects.select_for_update().get(organization=organization, series=series, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def format_number(series: str, year: int, n: int) -> str:
    return f"{series}{year}{n:06d}"
