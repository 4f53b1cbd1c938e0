"""Every write that matters: keyword-only functions in a transaction; the audit row is written in the same
transaction (django-auditlog on the models, an explicit entry for bulk runs); notifications through the outbox."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.permissions import require
from portal.audit import trail as audit
from portal.notifications.services import citizen_language, notify
from portal.thai import be_year, ce_year, format_be_date, is_valid_tax_id

from . import rules, selectors
from .models import (
    Bill,
    Building,
    Counter,
    Owner,
    Parcel,
    ParcelUsePart,
    Payment,
    PaymentChange,
    Signboard,
    StatementImport,
    TaxSettings,
    TaxType,
    TaxYear,
)

SERIES = {TaxType.LAND_BUILDING: "LB", TaxType.SIGNBOARD: "SB"}
RECEIPT_SERIES = "RC"


def _content_type_id(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --- settings and tax years ---------------------------------------------------------------------------------

def ensure_tax_settings(organization) -> TaxSettings:
    row, _created = TaxSettings.objects.get_or_create(organization=organization)
    organization._tax_settings_cache = row
    return row


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
def ensure_tax_year(*, organization, year: int, user=None) -> TaxYear:
    existing = TaxYear.objects.filter(organization=organization, year=year).first()
    if existing:
        return existing
    tax_year = TaxYear(organization=organization, year=year, **default_tax_year_values(year))
    require(user, "add", tax_year)
    tax_year.full_clean()
    tax_year.save()
    return tax_year


# --- register ----------------------------------------------------------------------------------------------

@transaction.atomic
def register_owner(*, organization, name: str, id_number: str, kind: str = rules.OwnerKind.INDIVIDUAL,
                   address: str = "", contact_email: str = "", contact_phone: str = "",
                   contact_language: str = "", user=None) -> Owner:
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
    require(user, "add", probe)
    probe.full_clean()
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


# --- assessment --------------------------------------------------------------------------------------------

PARCEL_FIELDS = ("pk", "owner_id", "code", "deed_type", "deed_number", "location", "area_rai", "area_ngan", "area_wa",
                 "value_per_wa", "use", "vacant_idle_years")
BUILDING_FIELDS = ("parcel_id", "building_type", "area_sqm", "price_per_sqm", "age_years", "depreciation_percent")


def holdings(parcels) -> dict[int, list[dict]]:
    """Parcels (a queryset) as plain rows with their buildings, grouped by owner: the assessment reads tens of
    thousands of them, so no model instances."""
    rows = defaultdict(list)
    by_pk = {}
    for values in parcels.order_by("owner_id", "code").values_list(*PARCEL_FIELDS):
        row = dict(zip(PARCEL_FIELDS, values, strict=True))
        row["buildings"] = []
        by_pk[row["pk"]] = row
        rows[row["owner_id"]].append(row)
        row["parts"] = []
    buildings = Building.objects.filter(parcel__in=parcels.values("pk")).order_by("parcel_id", "pk")
    for values in buildings.values_list(*BUILDING_FIELDS):
        row = dict(zip(BUILDING_FIELDS, values, strict=True))
        by_pk[row["parcel_id"]]["buildings"].append(row)
    parts = ParcelUsePart.objects.filter(parcel__in=parcels.values("pk")).order_by("parcel_id", "use")
    for parcel_id, use, share in parts.values_list("parcel_id", "use", "share_percent"):
        by_pk[parcel_id]["parts"].append((use, share))
    return rows


def split_by_use(value: Decimal, main_use: str, parts) -> list[tuple[str, Decimal, Decimal]]:
    """A property's value split by use: each part its share of the value (to the satang), the main use what is
    left, so the parts always add up to the value. Returns (use, share %, value) rows, the main use first."""
    hundred = Decimal(100)
    rows = [(use, Decimal(share), rules.to_satang(value * Decimal(share) / hundred)) for use, share in parts]
    rest = hundred - sum((share for _use, share, _value in rows), Decimal(0))
    if rest < 0:
        raise rules.RuleError("สัดส่วนการใช้ประโยชน์รวมเกินร้อยละ 100")
    main = (main_use, rest, value - sum((v for _use, _share, v in rows), Decimal(0)))
    return [main, *rows] if rest > 0 else rows


def land_building_computation(tax_year: TaxYear, owner: Owner, parcels: list[dict]) -> tuple[Decimal, dict]:
    """One owner's land-and-building tax for the year: values summed per use category (the slices and the
    exemption apply to an owner's whole holding of a category), each category computed by the year's table.
    `parcels` are rows from `holdings()`."""
    properties, by_use = [], defaultdict(Decimal)
    idle = defaultdict(int)
    hundred = Decimal(100)
    for parcel in parcels:
        buildings, building_total = [], Decimal("0")
        for b in parcel["buildings"]:
            value = rules.to_satang(b["area_sqm"] * b["price_per_sqm"] * (hundred - b["depreciation_percent"]) / hundred)
            building_total += value
            buildings.append({"type": b["building_type"], "area_sqm": str(b["area_sqm"]),
                              "price_per_sqm": str(b["price_per_sqm"]), "age_years": b["age_years"],
                              "depreciation_percent": str(b["depreciation_percent"]), "value": str(value)})
        area = Decimal(parcel["area_rai"]) * 400 + Decimal(parcel["area_ngan"]) * 100 + parcel["area_wa"]
        land_value = rules.to_satang(area * parcel["value_per_wa"])
        value = land_value + building_total
        item = {
            "parcel": parcel["code"], "deed_type": parcel["deed_type"], "deed_number": parcel["deed_number"],
            "location": parcel["location"], "area": [parcel["area_rai"], parcel["area_ngan"], str(parcel["area_wa"])],
            "area_sq_wa": str(area), "value_per_wa": str(parcel["value_per_wa"]), "land_value": str(land_value),
            "buildings": buildings, "use": parcel["use"], "value": str(value)}
        # Use by part: each part's share of the value goes to its own category (taxed there under that
        # category's slices with the owner's other property of the category).
        split = split_by_use(value, parcel["use"], parcel.get("parts", ()))
        if len(split) > 1 or split[0][0] != parcel["use"]:
            item["parts"] = [{"use": use, "share_percent": str(share), "value": str(part)} for use, share, part in split]
        properties.append(item)
        for use, _share, part in split:
            by_use[use] += part
            idle[use] = max(idle[use], parcel["vacant_idle_years"])
    categories, total = [], Decimal("0.00")
    for use in rules.Use.ALL:
        if use not in by_use:
            continue
        result = rules.land_building_tax(by_use[use], use=use, owner=owner.kind, schedule=tax_year.schedule(use),
                                         relief_percent=tax_year.relief_percent, vacant_idle_years=idle[use])
        categories.append({"use": use, "value": str(by_use[use]), **result.as_data()})
        total += result.tax
    return total, {"tax_type": TaxType.LAND_BUILDING, "owner_kind": owner.kind, "year": tax_year.year,
                   "relief_percent": str(tax_year.relief_percent), "properties": properties,
                   "categories": categories, "tax": str(total)}


def signboard_computation(tax_year: TaxYear, signs) -> tuple[Decimal, dict]:
    """One owner's signboard tax for the year; a sign installed after the year is not taxed in it. The
    late-filing surcharges are kept apart so late payment is charged on the tax alone."""
    items, total, late_filing = [], Decimal("0.00"), Decimal("0.00")
    rates = tax_year.sign_rate_table()
    year_ce = ce_year(tax_year.year)
    for sign in signs:
        if sign.installed_on is not None and sign.installed_on.year > year_ce:
            continue
        result = rules.signboard_tax(kind=sign.kind, changing=sign.changing, width_cm=sign.width_cm,
                                     height_cm=sign.height_cm, rates=rates, year_ce=year_ce,
                                     installed_on=sign.installed_on, filed_on=sign.filed_on)
        items.append({"sign": sign.code, "kind": sign.kind, "changing": sign.changing, "text": sign.text,
                      "location": sign.location, "units": result.units, **result.as_data()})
        total += result.tax
        late_filing += result.late_filing
    return total, {"tax_type": TaxType.SIGNBOARD, "year": tax_year.year, "signs": items, "tax": str(total),
                   "late_filing": str(late_filing)}


def _instalments(tax_year: TaxYear, tax_type: str, amount: Decimal, *, new_sign=None,
                 notice_on: dt.date | None = None) -> tuple[list[dict], dt.date]:
    """`new_sign`: the sign of a bill for one sign put up during the year, due on its own date counted from
    the bill's notice (`notice_on`, the day it is issued)."""
    if tax_type == TaxType.SIGNBOARD:
        due = tax_year.signboard_due_date
        if new_sign is not None:
            due = rules.signboard_payment_due(year_ce=ce_year(tax_year.year), installed_on=new_sign.installed_on,
                                              notice_on=notice_on or today(), year_due=due,
                                              filed_on=new_sign.filed_on)
        return [{"n": 1, "due": due.isoformat(), "amount": str(amount)}], due
    dates = tax_year.instalment_dates()
    parts = rules.instalment_amounts(amount, count=len(dates), threshold=tax_year.instalment_threshold)
    items = [{"n": n, "due": due.isoformat(), "amount": str(part)}
             for n, (due, part) in enumerate(zip(dates, parts, strict=False), start=1)]
    return items, dt.date.fromisoformat(items[-1]["due"])


def _owners_with_holdings(organization):
    parcels = holdings(Parcel.objects.filter(organization=organization))
    signs = defaultdict(list)
    for sign in Signboard.objects.filter(organization=organization).order_by("owner_id", "code"):
        signs[sign.owner_id].append(sign)
    return parcels, signs


def _sign_groups(year: int, signs_by_owner) -> list[tuple[int, str | None, list]]:
    """Signboard work for the year: (owner id, key, signs). An owner's signs standing since before the year go
    on one bill (key None, due on the year's date); each sign put up during the year is filed within 15 days
    of installation and assessed on its own, so it gets a bill of its own (key: its code) with its own dates.
    Signs put up after the year are not taxed in it."""
    year_ce = ce_year(year)
    groups = []
    for owner_id, signs in signs_by_owner.items():
        standing = [s for s in signs if s.installed_on is None or s.installed_on.year < year_ce]
        if standing:
            groups.append((owner_id, None, standing))
        groups += [(owner_id, s.code, [s]) for s in signs if rules.is_new_sign(s.installed_on, year_ce=year_ce)]
    return groups


def _signs_billed(organization, year: int) -> set[tuple[int, str | None]]:
    """The signboard work of `year` already billed: (owner id, None) for an owner's year bill, (owner id, code)
    for every sign on any bill (a bill issued before new signs had their own covers them too)."""
    done = set()
    for owner_id, computation in Bill.objects.filter(organization=organization, year=year,
                                                     tax_type=TaxType.SIGNBOARD).values_list("owner_id", "computation"):
        if not (computation or {}).get("new_sign"):
            done.add((owner_id, None))
        done.update((owner_id, item.get("sign")) for item in (computation or {}).get("signs", []))
    return done


BATCH = 2000


def run_assessment(*, organization, year: int, user=None, progress=None) -> dict:
    """Assess every owner of the register for `year` and issue the bills not issued yet (a second run issues
    only what is new). Bills are numbered per organization, year and tax type in register order."""
    tax_year = ensure_tax_year(organization=organization, year=year, user=user)
    require(user, "add", Bill(organization=organization))
    ensure_tax_settings(organization)
    parcels, signs = _owners_with_holdings(organization)
    owners = {o.pk: o for o in Owner.objects.filter(organization=organization).only("pk", "kind", "organization_id")}
    already = set(Bill.objects.filter(organization=organization, year=year, tax_type=TaxType.LAND_BUILDING)
                  .values_list("owner_id", flat=True))
    work = [(TaxType.LAND_BUILDING, owner_id, items) for owner_id, items in parcels.items() if owner_id not in already]
    signs_billed = _signs_billed(organization, year)
    work += [(TaxType.SIGNBOARD, owner_id, items) for owner_id, key, items in _sign_groups(year, signs)
             if (owner_id, key) not in signs_billed]
    notice_on = today()
    total, issued, zero = len(work), 0, 0
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        chunk = work[start:start + BATCH]
        with transaction.atomic():
            bills = []
            for tax_type, owner_id, items in chunk:
                owner = owners[owner_id]
                if tax_type == TaxType.LAND_BUILDING:
                    amount, computation = land_building_computation(tax_year, owner, items)
                else:
                    amount, computation = signboard_computation(tax_year, items)
                if amount <= 0:
                    zero += 1
                    continue
                new_sign = _new_sign(tax_year, tax_type, items)
                _mark_new_sign(computation, tax_year, new_sign)
                instalments, due = _instalments(tax_year, tax_type, amount, new_sign=new_sign, notice_on=notice_on)
                bills.append(Bill(organization=organization, year=year, tax_type=tax_type, owner=owner,
                                  amount=amount, computation=computation, instalments=instalments, due_date=due,
                                  created_by=user if user is not None and user.is_authenticated else None))
            for tax_type in (TaxType.LAND_BUILDING, TaxType.SIGNBOARD):
                of_type = [b for b in bills if b.tax_type == tax_type]
                if not of_type:
                    continue
                first = reserve_numbers(organization=organization, series=SERIES[tax_type], year=year,
                                        count=len(of_type))
                for offset, bill in enumerate(of_type):
                    bill.number = format_number(SERIES[tax_type], year, first + offset)
            Bill.objects.bulk_create(bills)
            issued += len(bills)
            audit.record(tax_year, actor=user, event="taxpay.taxyear.assessed",
                         changes={"assessment": [f"{start}", f"{issued} bills issued"]})
        if progress:
            progress(min(start + BATCH, total), total)
    return {"assessed": total, "issued": issued, "no_tax": zero}


def _new_sign(tax_year: TaxYear, tax_type: str, items):
    """The sign of a one-sign bill for a sign put up during the year, else None."""
    if tax_type != TaxType.SIGNBOARD or len(items) != 1:
        return None
    sign = items[0]
    return sign if rules.is_new_sign(sign.installed_on, year_ce=ce_year(tax_year.year)) else None


def _mark_new_sign(computation: dict, tax_year: TaxYear, sign) -> None:
    """A new sign's bill names its sign and its own filing deadline (15 days from installation)."""
    if sign is None:
        return
    computation["new_sign"] = sign.code
    computation["filing_deadline"] = rules.signboard_filing_deadline(
        year_ce=ce_year(tax_year.year), installed_on=sign.installed_on).isoformat()


def start_assessment(*, organization, year: int, user=None):
    """Queue the year's assessment run as a background job (its page shows the progress)."""
    from portal.machinery import jobs

    require(user, "add", Bill(organization=organization))
    return jobs.enqueue(kind="taxpay.assessment", organization=organization, params={"year": int(year)}, user=user)


@transaction.atomic
def correct_bill(*, bill: Bill, reason: str, user=None, warning_sent_on=None, warning_deadline=None) -> Bill:
    """Issue a new version of a bill recomputed from the register as it is now; the old version is kept,
    marked superseded, and the payments already made move to the new version's account."""
    require(user, "add", bill)
    if not reason.strip():
        raise ValidationError({"reason": _("กรุณาระบุเหตุผลการแก้ไข")})
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status != Bill.Status.ISSUED:
        raise ValidationError(_("ใบแจ้งฉบับนี้ถูกแก้ไขไปแล้ว"))
    tax_year = ensure_tax_year(organization=bill.organization, year=bill.year)
    if bill.tax_type == TaxType.LAND_BUILDING:
        parcels = holdings(Parcel.objects.filter(organization=bill.organization, owner=bill.owner))
        amount, computation = land_building_computation(tax_year, bill.owner, parcels.get(bill.owner_id, []))
    else:
        # the signs this bill was for (a new sign's bill stays that sign's; others have their own bills)
        codes = [item["sign"] for item in bill.computation.get("signs", [])]
        signs = list(Signboard.objects.filter(organization=bill.organization, owner=bill.owner, code__in=codes)
                     .order_by("code"))
        amount, computation = signboard_computation(tax_year, signs)
    new_sign = _new_sign(tax_year, bill.tax_type, signs) if bill.computation.get("new_sign") else None
    _mark_new_sign(computation, tax_year, new_sign)
    instalments, due = _instalments(tax_year, bill.tax_type, amount)
    if new_sign is not None:
        # a new sign's bill keeps the due date its first notice set (15 days from that notice)
        instalments, due = [{"n": 1, "due": bill.due_date.isoformat(), "amount": str(amount)}], bill.due_date
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.SUPERSEDED)
    audit.record(bill, actor=user, event="taxpay.bill.superseded",
                 changes={"status": [Bill.Status.ISSUED, Bill.Status.SUPERSEDED]})
    new = Bill.objects.create(
        organization=bill.organization, number=bill.number, version=bill.version + 1, previous=bill,
        year=bill.year, tax_type=bill.tax_type, owner=bill.owner, amount=amount, computation=computation,
        instalments=instalments, due_date=due, reason=reason.strip(),
        warning_sent_on=warning_sent_on or bill.warning_sent_on, warning_deadline=warning_deadline or bill.warning_deadline,
        created_by=user if user is not None and user.is_authenticated else None)
    Payment.objects.filter(bill=bill).update(bill=new)
    return new


# --- payments ----------------------------------------------------------------------------------------------

class PaymentRefused(ValidationError):
    pass


def record_payment(*, bill: Bill, amount, paid_on: dt.date, method: str, bank_reference: str = "",
                   ref2: str = "", user=None, corrects: Payment | None = None) -> tuple[Payment, bool]:
    """Record money received for a bill. Returns (payment, created): a bank reference seen before returns the
    payment recorded then and records nothing (the database's unique constraint decides, so two concurrent
    deliveries of one transfer cannot both record). The amount may be part of what is owed, never more."""
    amount = Decimal(amount)
    if amount <= 0:
        raise PaymentRefused(_("จำนวนเงินต้องมากกว่า 0"))
    bank_reference = (bank_reference or "").strip()[:64]
    if bank_reference:
        existing = Payment.objects.filter(organization_id=bill.organization_id, bank_reference=bank_reference).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            payment = _record_payment_locked(bill=bill, amount=amount, paid_on=paid_on, method=method,
                                             bank_reference=bank_reference, ref2=ref2, user=user, corrects=corrects)
    except IntegrityError:
        existing = Payment.objects.filter(organization_id=bill.organization_id,
                                          bank_reference=bank_reference).first() if bank_reference else None
        if existing is None:
            raise
        return existing, False
    return payment, True


def _record_payment_locked(*, bill, amount, paid_on, method, bank_reference, ref2, user, corrects=None) -> Payment:
    bill = Bill.objects.select_for_update().select_related("organization", "owner").get(pk=bill.pk)
    probe = Payment(organization=bill.organization, bill=bill)
    require(user, "add", probe)
    if bill.status != Bill.Status.ISSUED:
        raise PaymentRefused(_("ใบแจ้งฉบับนี้ถูกแก้ไขแล้ว กรุณาชำระตามฉบับปัจจุบัน"))
    state = selectors.bill_state(bill, on=paid_on)
    if amount > state.total_payable:
        raise PaymentRefused(_("จำนวนเงิน %(amount)s บาท มากกว่ายอดค้างชำระ %(due)s บาท")
                             % {"amount": amount, "due": state.total_payable})
    charges = min(amount, state.charges_due)
    year = be_year(paid_on.year)
    first = reserve_numbers(organization=bill.organization, series=RECEIPT_SERIES, year=year)
    payment = Payment.objects.create(
        organization=bill.organization, bill=bill, amount=amount, principal=amount - charges, charges=charges,
        paid_on=paid_on, method=method, bank_reference=bank_reference, ref2=ref2[:20],
        receipt_number=format_number(RECEIPT_SERIES, year, first), corrects=corrects,
        recorded_by=user if user is not None and user.is_authenticated else None)
    owner = bill.owner
    context = {"organization": bill.organization, "bill": bill, "payment": payment,
               "balance": state.outstanding - payment.principal}
    for channel, recipient in (("email", owner.contact_email), ("sms", owner.contact_phone)):
        if recipient:
            notify(organization=bill.organization, event="taxpay_payment_received", channel=channel,
                   recipient=recipient, context=context, language=owner.contact_language, related=payment)
    return payment


# --- corrections and voids of payments -------------------------------------------------------------------------

def request_payment_change(*, payment: Payment, kind: str, reason: str, user, bill: Bill | None = None,
                           amount=None, paid_on: dt.date | None = None) -> PaymentChange:
    """Ask to void a payment or to correct it (the right bill, amount or date). Only finance staff may; the reason
    is required. Applied at once, unless the organization wants a second person's approval (then it waits for
    `approve_payment_change` by another finance officer). Each step is in the audit log with who and why."""
    require(user, "change", payment)
    reason = (reason or "").strip()
    if not reason:
        raise PaymentRefused({"reason": _("กรุณาระบุเหตุผล")})
    if kind not in PaymentChange.Kind.values:
        raise PaymentRefused(_("ประเภทคำขอไม่ถูกต้อง"))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != Payment.Status.VALID:
            raise PaymentRefused(_("รายการนี้ถูกยกเลิกไปแล้ว"))
        if PaymentChange.objects.filter(payment=payment, status=PaymentChange.Status.PENDING).exists():
            raise PaymentRefused(_("รายการนี้มีคำขอที่รออนุมัติอยู่แล้ว"))
        change = PaymentChange(organization_id=payment.organization_id, payment=payment, kind=kind,
                               reason=reason[:300], requested_by=audit.person(user))
        if kind == PaymentChange.Kind.CORRECT:
            if bill is None or amount is None or paid_on is None:
                raise PaymentRefused(_("การแก้ไขต้องระบุใบแจ้ง จำนวนเงิน และวันที่ชำระที่ถูกต้อง"))
            if bill.organization_id != payment.organization_id or bill.status != Bill.Status.ISSUED:
                raise PaymentRefused(_("ใบแจ้งต้องเป็นฉบับปัจจุบันขององค์กรเดียวกัน"))
            change.new_bill, change.new_amount, change.new_paid_on = bill, Decimal(amount), paid_on
            if change.new_amount <= 0:
                raise PaymentRefused(_("จำนวนเงินต้องมากกว่า 0"))
        change.save()
        audit.record(payment, actor=user, event=f"taxpay.payment.{kind}_requested",
                     data={"reason": change.reason, "change": change.pk})
        if not selectors.tax_settings(payment.organization).changes_need_approval:
            _apply_change(change, user)
    return change


def approve_payment_change(*, change: PaymentChange, user) -> PaymentChange:
    """A second finance officer approves a pending correction or void: never the one who asked."""
    with transaction.atomic():
        change = PaymentChange.objects.select_for_update().select_related("payment").get(pk=change.pk)
        require(user, "change", change.payment)
        if change.status != PaymentChange.Status.PENDING:
            raise PaymentRefused(_("คำขอนี้ได้รับการพิจารณาไปแล้ว"))
        if change.requested_by_id is not None and change.requested_by_id == getattr(user, "pk", None):
            raise PaymentRefused(_("ผู้อนุมัติต้องเป็นเจ้าหน้าที่การเงินคนอื่น ไม่ใช่ผู้ขอ"))
        audit.record(change.payment, actor=user, event=f"taxpay.payment.{change.kind}_approved",
                     data={"reason": change.reason, "change": change.pk})
        _apply_change(change, user)
    return change


def reject_payment_change(*, change: PaymentChange, user, note: str) -> PaymentChange:
    note = (note or "").strip()
    if not note:
        raise PaymentRefused({"note": _("กรุณาระบุเหตุผลที่ไม่อนุมัติ")})
    with transaction.atomic():
        change = PaymentChange.objects.select_for_update().select_related("payment").get(pk=change.pk)
        require(user, "change", change.payment)
        if change.status != PaymentChange.Status.PENDING:
            raise PaymentRefused(_("คำขอนี้ได้รับการพิจารณาไปแล้ว"))
        change.status, change.decided_by, change.decided_at = PaymentChange.Status.REJECTED, audit.person(user), \
            timezone.now()
        change.decision_note = note[:300]
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(change.payment, actor=user, event=f"taxpay.payment.{change.kind}_rejected",
                     data={"reason": change.reason, "note": change.decision_note, "change": change.pk})
    return change


def _apply_change(change: PaymentChange, user) -> None:
    """Void the payment; for a correction, record the corrected payment (new receipt) pointing back to it."""
    payment = Payment.objects.select_for_update().get(pk=change.payment_id)
    if payment.status != Payment.Status.VALID:
        raise PaymentRefused(_("รายการนี้ถูกยกเลิกไปแล้ว"))
    payment.status, payment.voided_at, payment.void_reason = Payment.Status.VOID, timezone.now(), change.reason
    with audit.acting(user):
        payment.save(update_fields=["status", "voided_at", "void_reason"])
    audit.record(payment, actor=user, event="taxpay.payment.voided",
                 changes={"status": [Payment.Status.VALID, Payment.Status.VOID]},
                 data={"reason": change.reason, "change": change.pk, "receipt": payment.receipt_number})
    if change.kind == PaymentChange.Kind.CORRECT:
        # Same method; a bank's reference stays on the voided payment (a replayed transfer is still a duplicate).
        new, _created = record_payment(bill=change.new_bill, amount=change.new_amount, paid_on=change.new_paid_on,
                                       method=payment.method, ref2=payment.ref2, user=user, corrects=payment)
        change.result = new
        audit.record(new, actor=user, event="taxpay.payment.corrected",
                     data={"reason": change.reason, "change": change.pk, "replaces": payment.receipt_number})
    change.status, change.decided_by, change.decided_at = PaymentChange.Status.APPLIED, audit.person(user), \
        timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "result"])


def send_due_soon(*, organization, on: dt.date, days: int = 7, actor=None) -> int:
    """Remind owners who gave a contact that an instalment falls due within `days`; once per instalment
    (the outbox row's related id names bill and instalment). `actor` is the beat task that runs it."""
    from portal.models import Notification

    sent = 0
    for bill, state, instalment in selectors.bills_due_soon(organization, on=on, days=days):
        key = f"{bill.pk}:{instalment.n}"
        if Notification.objects.filter(organization=organization, event="taxpay_due_soon",
                                       related_type="taxpay.bill", related_id=key).exists():
            continue
        with transaction.atomic():
            for channel, recipient in (("email", bill.owner.contact_email), ("sms", bill.owner.contact_phone)):
                if recipient:
                    row = notify(organization=organization, event="taxpay_due_soon", channel=channel,
                                 recipient=recipient, language=bill.owner.contact_language,
                                 context={"organization": organization, "bill": bill,
                                          "instalment": instalment, "state": state})
                    row.related_type, row.related_id = "taxpay.bill", key
                    row.save(update_fields=["related_type", "related_id"])
                    sent += 1
            audit.record(bill, actor=actor, event="taxpay.bill.reminded", data={"instalment": instalment.n})
    return sent


def today() -> dt.date:
    return timezone.localdate()


def latest_payment_date(skew: dt.timedelta) -> dt.date:
    """The latest payment date a bank may report now: today, or tomorrow when the clock is within `skew` of it."""
    now = timezone.localtime()
    return today() + (timezone.localtime(now + skew).date() - now.date())


# --- imports -----------------------------------------------------------------------------------------------

class ImportRejected(ValidationError):
    """The whole file is refused; `messages` lists every row's error. `limit` is set when the file as a whole
    could not be read (past a limit of portal.inputs.tables, not a table at all)."""

    def __init__(self, message, *, limit=False):
        super().__init__(message)
        self.limit = limit


MAX_IMPORT_BYTES = 20 * 1024 * 1024


def import_register(*, organization, data: bytes, filename: str, user=None) -> dict:
    """A register file, all or nothing: every row is checked first and one bad row refuses the whole file with
    each row's error; otherwise owners, parcels, buildings and signboards are created or updated by code."""
    from . import importers
    from .models import Building

    require(user, "add", Parcel(organization=organization))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(_("ไฟล์ใหญ่เกิน 20 MB"), limit=True)
    try:
        items = importers.read_table(data, filename)
    except importers.FileError as exc:
        raise ImportRejected(str(exc), limit=True) from exc
    rows, errors = importers.parse_register(items)
    existing_codes = set(Parcel.objects.filter(organization=organization).values_list("code", flat=True))
    for row in rows:
        if row.record == "building" and not row.data["in_file"] and row.data["parcel_code"] not in existing_codes:
            errors.append(_("แถว %(row)s: ไม่พบแปลง %(code)s") % {"row": row.row, "code": row.data["parcel_code"]})
    if errors:
        raise ImportRejected(errors)
    counts = defaultdict(int)
    with transaction.atomic():
        owners: dict[str, Owner] = {}

        def owner_for(info):
            key = info["id_number"]
            if key not in owners:
                owners[key] = register_owner(organization=organization, user=user, **info)
            return owners[key]

        parcels = {}
        replaced_buildings = set()
        for row in rows:
            data = dict(row.data)
            if row.record == "parcel":
                owner = owner_for(data.pop("owner"))
                parts = data.pop("use_parts", None)
                parcel, created = Parcel.objects.update_or_create(
                    organization=organization, code=data.pop("code"), defaults={"owner": owner, **data})
                if parts is not None:
                    # the file states the parcel's use by part in full: what it lists replaces what was there
                    parcel.use_parts.all().delete()
                    for use, share in parts:  # one by one: each gets its audit row
                        ParcelUsePart.objects.create(organization=organization, parcel=parcel, use=use,
                                                     share_percent=share)
                parcels[parcel.code] = parcel
                counts["parcels"] += 1
            elif row.record == "building":
                code = data.pop("parcel_code")
                data.pop("in_file")
                parcel = parcels.get(code) or Parcel.objects.get(organization=organization, code=code)
                if parcel.pk not in replaced_buildings:
                    # The file lists a parcel's buildings in full: what it lists replaces what was there.
                    parcel.buildings.all().delete()
                    replaced_buildings.add(parcel.pk)
                Building.objects.create(organization=organization, parcel=parcel, **data)
                counts["buildings"] += 1
            else:
                owner = owner_for(data.pop("owner"))
                Signboard.objects.update_or_create(organization=organization, code=data.pop("code"),
                                                   defaults={"owner": owner, **data})
                counts["signboards"] += 1
        counts["owners"] = len(owners)
    return dict(counts)


def _match(organization, line, bills_by_number) -> tuple[Bill | None, str]:
    """The bill a statement line pays, or None with the reason. A statement reports money already received, so a
    line dated after today is a typo or a forged file; one dated before the bill's tax year began cannot pay it
    (and a back-dated payment would dodge the late charges): both are refused, never matched."""
    if line.paid_on > today():
        return None, _("วันที่ชำระ %(date)s เป็นวันในอนาคต รายการเดินบัญชีต้องเป็นเงินที่ได้รับแล้ว") % {
            "date": format_be_date(line.paid_on)}
    bill = bills_by_number.get(line.ref1)
    if bill is None:
        return None, _("ไม่พบใบแจ้งเลขที่ %(ref)s") % {"ref": line.ref1 or "-"}
    if line.paid_on < dt.date(ce_year(bill.year), 1, 1):
        return None, _("วันที่ชำระ %(date)s อยู่ก่อนปีภาษี %(year)s ของใบแจ้ง") % {
            "date": format_be_date(line.paid_on), "year": bill.year}
    if line.ref2 and not line.ref2.startswith(str(bill.year)):
        return None, _("เลขอ้างอิง 2 ไม่ตรงกับปีภาษีของใบแจ้ง")
    state = selectors.bill_state(bill, on=line.paid_on)
    if line.amount > state.total_payable:
        return None, _("จำนวนเงินมากกว่ายอดค้างชำระ (%(due)s บาท)") % {"due": state.total_payable}
    return bill, ""


IMPORT_KINDS = {"register": ("taxpay.register_import", Parcel), "statement": ("taxpay.statement_check", Payment),
                "statement_record": ("taxpay.statement_record", Payment)}


def start_import(*, organization, kind: str, data: bytes, filename: str, user=None, stored: str = ""):
    """Queue an import as a background job, never read in the request: the file goes to private storage and the
    job's page (the admin's import-job page) shows its progress, what it found, or why the file was refused.
    `stored`: a file an earlier job of this import already stored (the statement, checked, now recorded)."""
    from portal.machinery import jobs
    from portal.outputs.files import private_storage

    job_kind, model = IMPORT_KINDS[kind]
    require(user, "add", model(organization=organization))
    if not stored:
        if len(data) > MAX_IMPORT_BYTES:
            raise ImportRejected(_("ไฟล์ใหญ่เกิน 20 MB"), limit=True)
        suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
        stored = private_storage.save(f"taxpay/imports/{secrets.token_hex(16)}{suffix}", ContentFile(data))
    from django.utils.translation import get_language

    job = jobs.enqueue(kind=job_kind, organization=organization, user=user,
                       params={"path": stored, "filename": filename[:200], "language": get_language()})
    audit.record(job, actor=user, event=f"{job_kind}.queued", data={"filename": filename[:200]})
    return job


def _statement_lines(data: bytes, filename: str):
    from . import importers

    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(_("ไฟล์ใหญ่เกิน 20 MB"), limit=True)
    try:
        items = importers.read_table(data, filename, aliases=importers.STATEMENT_HEADER_ALIASES)
    except importers.FileError as exc:
        raise ImportRejected(str(exc), limit=True) from exc
    missing = [c for c in importers.STATEMENT_COLUMNS if c != "ref2" and items and c not in items[0]]
    if missing:
        raise ImportRejected(_("ไม่พบคอลัมน์ %(cols)s (ดูไฟล์ตัวอย่าง)") % {"cols": ", ".join(missing)}, limit=True)
    lines, unmatched = importers.parse_statement(items)
    return items, lines, unmatched


def check_statement(*, organization, data: bytes, filename: str, user=None) -> list[dict]:
    """What importing a statement would do, line by line, recording nothing: each line with the bill it matches
    (number and owner) and its outcome: "record", "duplicate" (its bank reference is recorded already) or
    "unmatched" with the reason."""
    require(user, "add", Payment(organization=organization))
    _items, lines, bad = _statement_lines(data, filename)
    bills = {b.number: b for b in selectors.current_bills(organization).filter(number__in={ln.ref1 for ln in lines})
             .select_related("organization", "owner").prefetch_related("payments")}
    seen = set(Payment.objects.filter(organization=organization,
                                      bank_reference__in=[ln.bank_reference for ln in lines])
               .values_list("bank_reference", flat=True))
    out = [{"row": b["row"], "outcome": "unmatched", "reason": b["reason"], "date": "", "amount": b.get("amount", ""),
            "ref1": b.get("ref1", ""), "bill": "", "owner": "", "bank_reference": b.get("bank_reference", "")}
           for b in bad]
    for line in lines:
        row = {"row": line.row, "date": line.paid_on.isoformat(), "amount": str(line.amount), "ref1": line.ref1,
               "bank_reference": line.bank_reference, "bill": "", "owner": "", "reason": ""}
        if line.bank_reference in seen:
            row["outcome"] = "duplicate"
        else:
            seen.add(line.bank_reference)
            bill, reason = _match(organization, line, bills)
            row["outcome"], row["reason"] = ("record", "") if bill is not None else ("unmatched", reason)
            if bill is not None:
                row["bill"], row["owner"] = bill.number, bill.owner.name
        out.append(row)
    return sorted(out, key=lambda r: r["row"])


def import_statement(*, organization, data: bytes, filename: str, user=None) -> StatementImport:
    """A bank statement (CSV or XLSX: date, amount, ref1, ref2, bank_reference, or a Thai bank's own headers).
    Lines are matched to current bills by reference 1 and checked against the amount owed; a bank reference
    already recorded counts as a duplicate, so importing the same file twice records each payment once.
    Unmatched lines are kept with their reason."""
    require(user, "add", Payment(organization=organization))
    items, lines, unmatched = _statement_lines(data, filename)
    numbers = {line.ref1 for line in lines}
    bills = {b.number: b for b in selectors.current_bills(organization).filter(number__in=numbers)
             .select_related("organization", "owner")}
    recorded = duplicates = 0
    for line in lines:
        if Payment.objects.filter(organization=organization, bank_reference=line.bank_reference).exists():
            duplicates += 1
            continue
        bill, reason = _match(organization, line, bills)
        if bill is None:
            unmatched.append({"row": line.row, "reason": reason, "date": line.paid_on.isoformat(),
                              "amount": str(line.amount), "ref1": line.ref1, "ref2": line.ref2,
                              "bank_reference": line.bank_reference})
            continue
        try:
            _payment, created = record_payment(bill=bill, amount=line.amount, paid_on=line.paid_on,
                                               method=Payment.Method.STATEMENT, bank_reference=line.bank_reference,
                                               ref2=line.ref2, user=user)
        except PaymentRefused as exc:
            unmatched.append({"row": line.row, "reason": " ".join(exc.messages), "date": line.paid_on.isoformat(),
                              "amount": str(line.amount), "ref1": line.ref1, "ref2": line.ref2,
                              "bank_reference": line.bank_reference})
            continue
        recorded += created
        duplicates += not created
    unmatched.sort(key=lambda u: u["row"])
    record = StatementImport(
        organization=organization, filename=filename[:200], lines=len(items), recorded=recorded,
        duplicates=duplicates, unmatched=unmatched,
        created_by=user if user is not None and user.is_authenticated else None)
    # The bank's file itself is kept (private storage) so the reconciliation can be checked later.
    record.file.save("statement.xlsx" if data[:4] == b"PK\x03\x04" else "statement.csv", ContentFile(data),
                     save=False)
    record.save()
    return record
