"""Reads: a bill's state for a given day (instalments, what is paid, late charges, the amount due now), lookups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from portal.machinery.cache import Memo
from portal.models import Organization
from portal.thai import normalize_id, number_text, personal_id_hash

from . import qr, rules
from .models import Bill, Owner, Payment, TaxSettings, TaxType

ZERO = Decimal("0.00")


@dataclass
class InstalmentState:
    n: int
    due: dt.date
    amount: Decimal
    paid: Decimal
    remaining: Decimal
    charges: rules.LateCharges

    @property
    def overdue(self) -> bool:
        return self.remaining > 0 and self.charges.months > 0


@dataclass
class BillState:
    bill: Bill
    on: dt.date
    instalments: list[InstalmentState] = field(default_factory=list)
    principal_paid: Decimal = ZERO
    charges_paid: Decimal = ZERO
    outstanding: Decimal = ZERO          # tax not yet paid
    charges_due: Decimal = ZERO          # surcharge + interest on overdue instalments, as of `on`
    amount_due_now: Decimal = ZERO       # what the QR asks for
    due_now_instalment: int | None = None

    @property
    def paid(self) -> bool:
        return self.outstanding <= 0

    @property
    def overdue(self) -> bool:
        return any(i.overdue for i in self.instalments)

    @property
    def label(self) -> str:
        if self.paid:
            return "paid"
        if self.overdue:
            return "overdue"
        return "part_paid" if self.principal_paid > 0 else "unpaid"

    @property
    def total_payable(self) -> Decimal:
        return self.outstanding + self.charges_due

    @property
    def ref2(self) -> str:
        return f"{self.bill.year}{self.due_now_instalment or 0:02d}"


def bill_state(bill: Bill, *, on: dt.date, payments=None) -> BillState:
    """Allocate the tax paid to the instalments in order; late charges on each overdue remainder.

    The amount due now is every overdue remainder with its charges, or else the next instalment's remainder."""
    if payments is None:
        payments = list(bill.payments.all())
    payments = [p for p in payments if p.status == Payment.Status.VALID]  # a voided payment paid nothing
    state = BillState(bill=bill, on=on)
    state.principal_paid = sum((p.principal for p in payments), ZERO)
    state.charges_paid = sum((p.charges for p in payments), ZERO)
    left = state.principal_paid
    # A signboard bill's late-filing surcharge is paid last and bears no late-payment charge (section 25).
    surcharge_left = Decimal((bill.computation or {}).get("late_filing") or "0")
    for n, due, amount in bill.instalment_list():
        paid = min(left, amount)
        left -= paid
        remaining = amount - paid
        if bill.tax_type == TaxType.SIGNBOARD:
            charges = rules.signboard_late_charges(max(remaining - surcharge_left, ZERO), due=due, on=on)
        else:
            charges = rules.land_building_late_charges(remaining, due=due, on=on,
                                                       warning_sent_on=bill.warning_sent_on,
                                                       warning_deadline=bill.warning_deadline)
        state.instalments.append(InstalmentState(n, due, amount, paid, remaining, charges))
    state.outstanding = sum((i.remaining for i in state.instalments), ZERO)
    state.charges_due = sum((i.charges.total for i in state.instalments if i.remaining > 0), ZERO)
    overdue = [i for i in state.instalments if i.overdue]
    if overdue:
        state.amount_due_now = sum((i.remaining + i.charges.total for i in overdue), ZERO)
        state.due_now_instalment = overdue[0].n
    else:
        upcoming = next((i for i in state.instalments if i.remaining > 0), None)
        if upcoming is not None:
            state.amount_due_now = upcoming.remaining
            state.due_now_instalment = upcoming.n
    return state


def payment_status_labels() -> dict:
    """Payment status words, as the citizen's bill page says them (never the code)."""
    from django.utils.translation import gettext as _

    return {"unpaid": _("ยังไม่ได้ชำระ"), "part_paid": _("ชำระแล้วบางส่วน"), "paid": _("ชำระครบแล้ว"),
            "overdue": _("เกินกำหนดชำระ")}


def quick_payment_status(instalments: list, paid: Decimal, *, on: dt.date) -> str:
    """The status of a bill from its instalments and the tax paid (no surcharges needed): the list's filter
    classifies thousands of bills with it in one pass; bill_state() agrees with it."""
    left, remaining_total, overdue = paid, ZERO, False
    for item in instalments:
        amount = Decimal(item["amount"])
        part = min(left, amount)
        left -= part
        if amount - part > 0:
            remaining_total += amount - part
            overdue = overdue or dt.date.fromisoformat(item["due"]) < on
    if remaining_total <= 0:
        return "paid"
    if overdue:
        return "overdue"
    return "part_paid" if paid > 0 else "unpaid"


def with_tax_paid(queryset):
    """Bills annotated with `tax_paid`: the tax part of their valid payments."""
    from django.db.models import DecimalField, Value
    from django.db.models.functions import Coalesce

    return queryset.annotate(tax_paid=Coalesce(
        Sum("payments__principal", filter=Q(payments__status=Payment.Status.VALID)),
        Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2)))


def bills_by_payment_status(queryset, *, on: dt.date) -> dict[str, list[int]]:
    """Primary keys of the bills in `queryset` per payment status (one query)."""
    out = {key: [] for key in ("unpaid", "part_paid", "paid", "overdue")}
    for pk, instalments, paid in with_tax_paid(queryset.order_by()).values_list("pk", "instalments", "tax_paid"):
        out[quick_payment_status(instalments or [], paid or ZERO, on=on)].append(pk)
    return out


def tax_settings(organization) -> TaxSettings:
    settings_row = getattr(organization, "_tax_settings_cache", None)
    if settings_row is None:
        # The services create the row (with its secret) before the first bill; until then the defaults apply.
        try:
            settings_row = organization.tax_settings  # loaded with the bill where the query asked for it
        except TaxSettings.DoesNotExist:
            settings_row = TaxSettings(organization=organization, callback_secret="")
        organization._tax_settings_cache = settings_row
    return settings_row


def qr_payload(state: BillState) -> str | None:
    """The dynamic Thai QR for exactly the amount due now (None when nothing is due)."""
    if state.amount_due_now <= 0:
        return None
    settings_row = tax_settings(state.bill.organization)
    return qr.bill_payment_payload(biller_id=settings_row.biller_id, ref1=state.bill.number, ref2=state.ref2,
                                   amount=state.amount_due_now)


def estimate_rates(organization, year: int | None = None) -> dict:
    """The rates an estimate uses: the organization's own tax year (the one asked for, or the latest up to this
    year) as its administrator edited it; with no organization, or none edited, the national rates of the Act
    and no relief. Never another organization's table."""
    national = {"schedule": lambda use: rules.SCHEDULES_2568[use], "relief_percent": ZERO,
                "sign_rates": rules.SIGN_RATES_2564, "year": None}
    if organization is None:
        return national
    from django.utils import timezone

    from portal.thai import be_year

    from .models import TaxYear

    years = TaxYear.objects.filter(organization=organization)
    tax_year = (years.filter(year=year) if year else
                years.filter(year__lte=be_year(timezone.localdate().year)).order_by("-year")).first()
    if tax_year is None:
        return national
    return {"schedule": tax_year.schedule, "relief_percent": tax_year.relief_percent,
            "sign_rates": tax_year.sign_rate_table(), "year": tax_year.year}


def current_bills(organization):
    return Bill.objects.filter(organization=organization, status=Bill.Status.ISSUED)


def finance_work(organizations, imports, *, today: dt.date) -> dict[int, dict[str, int]]:
    """The finance clerk's admin home, per organization id: current bills overdue and falling due within 30 days,
    and bank statement lines no bill was matched to (`imports`: the statement imports the clerk may see). Three
    queries for any number of organizations: a loop per organization cost three each, sixty for the first twenty
    of a large installation."""
    ids = [o.pk for o in organizations]
    work = {i: {"overdue": 0, "due": 0, "unmatched": 0} for i in ids}
    soon = today + dt.timedelta(days=30)
    for bill in Bill.objects.filter(organization_id__in=ids, status=Bill.Status.ISSUED).prefetch_related("payments"):
        state = bill_state(bill, on=today, payments=list(bill.payments.all()))
        if state.paid:
            continue
        if state.overdue:
            work[bill.organization_id]["overdue"] += 1
        elif any(i.remaining > 0 and i.due <= soon for i in state.instalments):
            work[bill.organization_id]["due"] += 1
    for organization_id, lines in (imports.filter(organization_id__in=ids).exclude(unmatched=[]).order_by()
                                   .values_list("organization_id", "unmatched")):
        work[organization_id]["unmatched"] += len(lines)
    return work


def find_bill(organization, number: str, id_last4: str) -> Bill | None:
    """The current version of a bill whose owner's ID ends with `id_last4`; None for any mismatch."""
    number = (number or "").strip().upper()
    digits = normalize_id(id_last4 or "")
    if not number or len(digits) != 4 or len(number) > 20:
        return None
    bill = (current_bills(organization).filter(number=number).select_related("owner", "organization").first())
    if bill is None or bill.owner.id_last4_hash != personal_id_hash("last4:" + digits):
        return None
    return bill


def owner_contact_for_id(organization, owner_id: str) -> tuple[str, str]:
    """(keyed hash of the ID, the phone on the register for it or ""): where a one-time code for a lost notice
    goes. The hash, never the ID, is what the session keeps."""
    id_hash = personal_id_hash(owner_id)
    phone = (Owner.objects.filter(organization=organization, id_hash=id_hash).exclude(contact_phone="")
             .values_list("contact_phone", flat=True).first())
    return id_hash, phone or ""


def bills_of_owner(organization, id_hash: str):
    """The current bills of every register row under this ID (one person may be listed twice), newest first."""
    return (current_bills(organization).filter(owner__id_hash=id_hash).select_related("organization")
            .order_by("-year", "number"))


_SIGNATURE_SQL = (
    f"SELECT b.id, COUNT(p.id), MAX(p.id), COUNT(p.voided_at) FROM {Bill._meta.db_table} b"
    f" JOIN {Organization._meta.db_table} o ON o.id = b.organization_id"
    f" LEFT JOIN {Payment._meta.db_table} p ON p.bill_id = b.id"
    " WHERE o.slug = %s AND o.is_active AND b.number = %s AND b.status = %s GROUP BY b.id")


def _load_signature(key: str) -> str | None:
    org_slug, _sep, number = key.partition(":")
    # Plain SQL: building the same query through the ORM cost more CPU than the rest of a cached page together
    # (measured); the ORM equivalent is in the test that guards it.
    with connection.cursor() as cursor:
        cursor.execute(_SIGNATURE_SQL, [org_slug, number, Bill.Status.ISSUED])
        row = cursor.fetchone()
    return None if row is None else ".".join(map(str, row))


# Forgotten when a payment or a bill version is saved (signals, here and in the shared cache, again after
# commit). A write no signal sees, or another process without a shared cache (no Redis), is caught up within
# `seconds`; a process's own memo lives `local_seconds`.
BILL_PAGE_SIGNATURE = Memo(
    "taxpay-bill-page", _load_signature, seconds=5, local_seconds=2, invalidate_on=[
        (Payment, lambda payment: f"{payment.organization.slug}:{payment.bill.number}"),
        (Bill, lambda bill: f"{bill.organization.slug}:{bill.number}"),
    ])


def bill_page_signature(org_slug: str, number: str) -> str | None:
    """What a bill page's rendering depends on besides the day and language: the current version's id (a
    correction is a new row; an issued row never changes) and its payments (count, latest id and how many are
    void; payments are never deleted, and a void is the only change they see). None when there is no such bill. Read from the database, remembered for a few
    seconds at most and forgotten as soon as a payment or a correction is saved."""
    return BILL_PAGE_SIGNATURE.get(f"{org_slug}:{number}")


def bill_for_page(org_slug: str, number: str) -> Bill | None:
    """One query for the bill, its owner, organization and payment settings; one for its payments."""
    return (Bill.objects.filter(organization__slug=org_slug, organization__is_active=True, number=number,
                                status=Bill.Status.ISSUED)
            .select_related("owner", "organization", "organization__tax_settings")
            .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))
            .order_by("-version").first())


def revenue_by_month(organization, *, year: int | None = None) -> list[dict]:
    """Billed (by issue month) and collected (by payment month) per tax type: aggregates only, no personal data."""
    bills = current_bills(organization)
    if year:
        bills = bills.filter(year=year)
    billed = (bills.annotate(month=TruncMonth("issued_at")).values("month", "tax_type")
              .annotate(amount=Sum("amount"), count=Count("pk")))
    payments = Payment.objects.filter(organization=organization, status=Payment.Status.VALID)
    if year:
        payments = payments.filter(bill__year=year)
    collected = (payments.annotate(month=TruncMonth("paid_on")).values("month", "bill__tax_type")
                 .annotate(amount=Sum("amount"), principal=Sum("principal"), count=Count("pk")))
    rows: dict[tuple, dict] = {}

    def row(month, tax_type):
        key = (month.strftime("%Y-%m") if month else "", tax_type)
        return rows.setdefault(key, {"month": key[0], "tax_type": tax_type, "bills": 0, "billed": ZERO,
                                     "payments": 0, "collected": ZERO})

    for item in billed:
        r = row(item["month"], item["tax_type"])
        r["bills"] += item["count"]
        r["billed"] += item["amount"] or ZERO
    for item in collected:
        r = row(item["month"], item["bill__tax_type"])
        r["payments"] += item["count"]
        r["collected"] += item["amount"] or ZERO
    return [rows[k] for k in sorted(rows)]


def outstanding_summary(organization, *, on: dt.date, year: int | None = None) -> dict:
    """Billed, collected, outstanding and overdue per tax type (one pass over the current bills)."""
    bills = current_bills(organization).prefetch_related("payments")
    if year:
        bills = bills.filter(year=year)
    summary = {}
    for bill in bills:
        state = bill_state(bill, on=on, payments=list(bill.payments.all()))
        item = summary.setdefault(bill.tax_type, {"billed": ZERO, "collected": ZERO, "outstanding": ZERO,
                                                  "overdue": ZERO, "overdue_bills": 0, "bills": 0})
        item["bills"] += 1
        item["billed"] += bill.amount
        item["collected"] += state.principal_paid + state.charges_paid
        item["outstanding"] += state.outstanding
        if state.overdue:
            item["overdue"] += sum((i.remaining for i in state.instalments if i.overdue), ZERO)
            item["overdue_bills"] += 1
    return summary


def organizations_with_bills_due(*, on: dt.date) -> list[int]:
    """Active organizations with a current bill not yet past its last due date whose owner gave a contact: the
    only ones the daily reminder has anything to look at."""
    bills = Bill.objects.filter(status=Bill.Status.ISSUED, due_date__gte=on).filter(
        Q(owner__contact_email__gt="") | Q(owner__contact_phone__gt=""))
    return list(Organization.objects.filter(is_active=True, pk__in=bills.values("organization_id"))
                .order_by("pk").values_list("pk", flat=True))


def bills_due_soon(organization, *, on: dt.date, days: int = 7):
    """Current bills with an unpaid instalment falling due within `days` and an owner contact."""
    horizon = on + dt.timedelta(days=days)
    bills = (current_bills(organization).filter(Q(owner__contact_email__gt="") | Q(owner__contact_phone__gt=""))
             .select_related("owner").prefetch_related("payments"))
    for bill in bills:
        state = bill_state(bill, on=on)
        upcoming = next((i for i in state.instalments if i.remaining > 0), None)
        if upcoming is not None and on <= upcoming.due <= horizon:
            yield bill, state, upcoming


def be_date_text(iso: str) -> str:
    from portal.thai import format_be_date

    return format_be_date(dt.date.fromisoformat(iso))


def _baht(value) -> str:
    return f"{Decimal(value):,.2f}"


def describe_line(line: dict) -> tuple[str, str]:
    """(label, amount) of one stored computation line, in the current language."""
    from django.utils.translation import gettext as _

    kind = line["kind"]
    if kind == "exemption":
        return (_("ยกเว้นมูลค่า %(base)s บาทแรก (ยกเว้นได้ไม่เกิน %(limit)s บาท)")
                % {"base": _baht(line["base"]), "limit": _baht(line["limit"])}, "0.00")
    if kind == "slice":
        upper = _("ขึ้นไป") if line["to"] is None else _("ถึง %(to)s") % {"to": _baht(line["to"])}
        return (_("มูลค่าส่วนที่เกินการยกเว้น %(from)s %(upper)s บาท: %(base)s × ร้อยละ %(rate)s")
                % {"from": _baht(line["from"]), "upper": upper, "base": _baht(line["base"]),
                   "rate": line["rate_percent"]}, _baht(line["amount"]))
    if kind == "relief":
        return _("ลดหย่อนร้อยละ %(rate)s") % {"rate": line["rate_percent"]}, _baht(line["amount"])
    if kind == "sign_area":
        return (_("พื้นที่ป้าย %(w)s × %(h)s = %(area)s ตร.ซม. = %(units)s หน่วย (หน่วยละ 500 ตร.ซม.)")
                % {"w": number_text(line["width_cm"]), "h": number_text(line["height_cm"]),
                   "area": number_text(line["area_cm2"]), "units": number_text(line["units"])}, "")
    if kind == "sign_rate":
        return _("%(units)s หน่วย × %(rate)s บาท") % {"units": line["units"], "rate": line["rate"]}, \
            _baht(line["amount"])
    if kind == "sign_minimum":
        return _("ต่ำกว่าขั้นต่ำ เสียภาษีป้ายละ 200 บาท"), _baht(line["amount"])
    if kind == "sign_first_year":
        return (_("ติดตั้งเมื่อ %(date)s (ไตรมาสที่ %(q)s): เสียร้อยละ %(percent)s ของภาษีทั้งปี")
                % {"date": be_date_text(line["installed_on"]), "q": line["quarter"], "percent": line["percent"]},
                _baht(line["amount"]))
    if kind == "sign_quarter":
        return (_("ติดตั้งในไตรมาสที่ %(q)s: เสียร้อยละ %(percent)s ของภาษีทั้งปี")
                % {"q": line["quarter"], "percent": line["percent"]}, _baht(line["amount"]))
    if kind == "sign_late_filing":
        return (_("ยื่นแบบเมื่อ %(filed)s หลังกำหนด %(deadline)s: เงินเพิ่มร้อยละ %(percent)s")
                % {"filed": be_date_text(line["filed_on"]), "deadline": be_date_text(line["deadline"]),
                   "percent": line["percent"]}, _baht(line["amount"]))
    return kind, line.get("amount", "")


def computation_sections(bill: Bill) -> list[dict]:
    """The stored computation as titled sections of (label, amount) rows for the page and the notice."""
    from django.utils.translation import gettext as _

    from .models import Use

    data = bill.computation or {}
    sections = []
    for category in data.get("categories", []):
        rows = [(_("มูลค่าทรัพย์สินรวม"), _baht(category["value"]))]
        rows += [describe_line(line) for line in category["lines"]]
        rows.append((_("ภาษีของประเภทนี้"), _baht(category["tax"])))
        sections.append({"title": Use(category["use"]).label, "rows": rows})
    for sign in data.get("signs", []):
        rows = [describe_line(line) for line in sign["lines"]]
        rows.append((_("ภาษีป้ายนี้"), _baht(sign["tax"])))
        if data.get("new_sign") == sign["sign"] and data.get("filing_deadline"):
            # a sign put up during the year: its own dates, not the year's
            rows.append((_("ป้ายติดตั้งใหม่: ยื่นแบบ ภ.ป.1 ภายใน %(deadline)s (15 วันนับแต่วันติดตั้ง)")
                         % {"deadline": be_date_text(data["filing_deadline"])}, ""))
            rows.append((_("ชำระภายใน %(due)s (15 วันนับแต่วันแจ้งการประเมิน)")
                         % {"due": be_date_text(bill.due_date.isoformat())}, ""))
        sections.append({"title": _("ป้าย %(code)s %(text)s") % {"code": sign["sign"], "text": sign.get("text", "")},
                         "rows": rows})
    return sections


def revenue_feed_rows(organization):
    """Open-data rows: tax billed and collected per tax type and month (counts and sums only, no personal data)."""
    for row in revenue_by_month(organization):
        yield {"month": row["month"], "tax_type": row["tax_type"], "bills": row["bills"],
               "billed": row["billed"], "payments": row["payments"], "collected": row["collected"]}
