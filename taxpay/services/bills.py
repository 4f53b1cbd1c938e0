"""Bills: the year's assessment run (every owner of the register assessed, the bills not issued yet issued), a
bill's correction (a new version), and the "due soon" reminders. The arithmetic is `taxpay.rules`'."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import taxpay.services.clock as clock  # a module, so a test fixing `clock.today` fixes it here too
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.machinery import changes
from portal.notifications.services import notify
from portal.thai import ce_year
from taxpay import rules, selectors, workflow
from taxpay.models import Bill, Building, Owner, Parcel, ParcelUsePart, Payment, Signboard, TaxType, TaxYear

from .register import SERIES, ensure_tax_settings, ensure_tax_year, format_number, reserve_numbers

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


def run_assessment(*, organization, year: int, actor=None, progress=None) -> dict:
    """Assess every owner of the register for `year` and issue the bills not issued yet (a second run issues
    only what is new). Bills are numbered per organization, year and tax type in register order."""
    tax_year = ensure_tax_year(organization=organization, year=year, actor=actor)
    require(actor, "add", Bill(organization=organization))
    ensure_tax_settings(organization)
    parcels, signs = _owners_with_holdings(organization)
    owners = {o.pk: o for o in Owner.objects.filter(organization=organization).only("pk", "kind", "organization_id")}
    already = set(Bill.objects.filter(organization=organization, year=year, tax_type=TaxType.LAND_BUILDING)
                  .values_list("owner_id", flat=True))
    work = [(TaxType.LAND_BUILDING, owner_id, items) for owner_id, items in parcels.items() if owner_id not in already]
    signs_billed = _signs_billed(organization, year)
    work += [(TaxType.SIGNBOARD, owner_id, items) for owner_id, key, items in _sign_groups(year, signs)
             if (owner_id, key) not in signs_billed]
    notice_on = clock.today()
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
                    amount, computation = rules.land_building_computation(tax_year, owner.kind, items)
                else:
                    amount, computation = rules.signboard_computation(tax_year, items, year_ce=ce_year(year))
                if amount <= 0:
                    zero += 1
                    continue
                new_sign = _new_sign(tax_year, tax_type, items)
                _mark_new_sign(computation, tax_year, new_sign)
                instalments, due = rules.instalment_schedule(tax_year, tax_type, amount, year_ce=ce_year(year),
                                                              notice_on=notice_on, new_sign=new_sign)
                bills.append(Bill(organization=organization, year=year, tax_type=tax_type, owner=owner,
                                  amount=amount, computation=computation, instalments=instalments, due_date=due,
                                  created_by=audit.person(actor)))
            for tax_type in (TaxType.LAND_BUILDING, TaxType.SIGNBOARD):
                of_type = [b for b in bills if b.tax_type == tax_type]
                if not of_type:
                    continue
                first = reserve_numbers(organization=organization, series=SERIES[tax_type], year=year,
                                        count=len(of_type))
                for offset, bill in enumerate(of_type):
                    bill.number = format_number(SERIES[tax_type], year, first + offset)
            Bill.objects.bulk_create(bills)
            changes.announce(Bill, [organization.pk])  # bulk_create sends no signal: the home's links, open data
            issued += len(bills)
            audit.record(tax_year, actor=actor, event="taxpay.taxyear.assessed",
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


def start_assessment(*, organization, year: int, actor=None):
    """Queue the year's assessment run as a background job (its page shows the progress)."""
    from portal.machinery import jobs

    require(actor, "add", Bill(organization=organization))
    return jobs.enqueue(kind="taxpay.assessment", organization=organization, params={"year": int(year)}, actor=actor)


def correct_bill(*, bill: Bill, reason: str, actor=None, warning_sent_on=None, warning_deadline=None) -> Bill:
    """Issue a new version of a bill recomputed from the register as it is now; the old version is kept,
    marked superseded, and the payments already made move to the new version's account."""
    with transaction.atomic(), audit.acting(actor):
        return _correct_bill(bill=bill, reason=reason, actor=actor, warning_sent_on=warning_sent_on,
                             warning_deadline=warning_deadline)


def _correct_bill(*, bill: Bill, reason: str, actor, warning_sent_on, warning_deadline) -> Bill:
    require(actor, "add", bill)
    if not reason.strip():
        raise ValidationError({"reason": _("กรุณาระบุเหตุผลการแก้ไข")})
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    workflow.require_move(workflow.BILL, bill.status, Bill.Status.SUPERSEDED, _("ใบแจ้งฉบับนี้ถูกแก้ไขไปแล้ว"))
    tax_year = ensure_tax_year(organization=bill.organization, year=bill.year)
    if bill.tax_type == TaxType.LAND_BUILDING:
        parcels = holdings(Parcel.objects.filter(organization=bill.organization, owner=bill.owner))
        amount, computation = rules.land_building_computation(tax_year, bill.owner.kind,
                                                             parcels.get(bill.owner_id, []))
    else:
        # the signs this bill was for (a new sign's bill stays that sign's; others have their own bills)
        codes = [item["sign"] for item in bill.computation.get("signs", [])]
        signs = list(Signboard.objects.filter(organization=bill.organization, owner=bill.owner, code__in=codes)
                     .order_by("code"))
        amount, computation = rules.signboard_computation(tax_year, signs, year_ce=ce_year(bill.year))
    new_sign = _new_sign(tax_year, bill.tax_type, signs) if bill.computation.get("new_sign") else None
    _mark_new_sign(computation, tax_year, new_sign)
    instalments, due = rules.instalment_schedule(tax_year, bill.tax_type, amount, year_ce=ce_year(bill.year),
                                                  notice_on=clock.today())
    if new_sign is not None:
        # a new sign's bill keeps the due date its first notice set (15 days from that notice)
        instalments, due = [{"n": 1, "due": bill.due_date.isoformat(), "amount": str(amount)}], bill.due_date
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.SUPERSEDED)
    audit.record(bill, actor=actor, event="taxpay.bill.superseded",
                 changes={"status": [Bill.Status.ISSUED, Bill.Status.SUPERSEDED]})
    new = Bill.objects.create(
        organization=bill.organization, number=bill.number, version=bill.version + 1, previous=bill,
        year=bill.year, tax_type=bill.tax_type, owner=bill.owner, amount=amount, computation=computation,
        instalments=instalments, due_date=due, reason=reason.strip(),
        warning_sent_on=warning_sent_on or bill.warning_sent_on, warning_deadline=warning_deadline or bill.warning_deadline,
        created_by=audit.person(actor))
    Payment.objects.filter(bill=bill).update(bill=new)
    changes.announce(Bill, [bill.organization_id])  # the superseded version's update() sent no signal
    changes.announce(Payment, [bill.organization_id])
    return new


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
