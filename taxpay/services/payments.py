"""Payments: money received for a bill (counter, bank callback, statement), and the corrections and voids of a
payment, each with a reason, audited, and approved by a second finance officer when the organization asks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.permissions import require
from portal.audit import trail as audit
from portal.notifications.services import notify
from portal.thai import be_year
from taxpay import selectors, workflow
from taxpay.models import Bill, Payment, PaymentChange

from .register import RECEIPT_SERIES, format_number, reserve_numbers

# --- payments ----------------------------------------------------------------------------------------------

class PaymentRefused(ValidationError):
    pass


def record_payment(*, bill: Bill, amount, paid_on: dt.date, method: str, bank_reference: str = "",
                   ref2: str = "", actor=None, corrects: Payment | None = None) -> tuple[Payment, bool]:
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
        # acting: django-auditlog's row of the payment names who recorded it, in a background job (a statement
        # import) as much as in a request
        with transaction.atomic(), audit.acting(actor):
            payment = _record_payment_locked(bill=bill, amount=amount, paid_on=paid_on, method=method,
                                             bank_reference=bank_reference, ref2=ref2, actor=actor, corrects=corrects)
    except IntegrityError:
        existing = Payment.objects.filter(organization_id=bill.organization_id,
                                          bank_reference=bank_reference).first() if bank_reference else None
        if existing is None:
            raise
        return existing, False
    return payment, True


def _record_payment_locked(*, bill, amount, paid_on, method, bank_reference, ref2, actor, corrects=None) -> Payment:
    bill = Bill.objects.select_for_update().select_related("organization", "owner").get(pk=bill.pk)
    probe = Payment(organization=bill.organization, bill=bill)
    require(actor, "add", probe)
    if not workflow.accepts_payments(bill):
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
        recorded_by=audit.person(actor))
    owner = bill.owner
    context = {"organization": bill.organization, "bill": bill, "payment": payment,
               "balance": state.outstanding - payment.principal}
    for channel, recipient in (("email", owner.contact_email), ("sms", owner.contact_phone)):
        if recipient:
            notify(organization=bill.organization, event="taxpay_payment_received", channel=channel,
                   recipient=recipient, context=context, language=owner.contact_language, related=payment)
    return payment


# --- corrections and voids of payments -------------------------------------------------------------------------

def request_payment_change(*, payment: Payment, kind: str, reason: str, actor, bill: Bill | None = None,
                           amount=None, paid_on: dt.date | None = None) -> PaymentChange:
    """Ask to void a payment or to correct it (the right bill, amount or date). Only finance staff may; the reason
    is required. Applied at once, unless the organization wants a second person's approval (then it waits for
    `approve_payment_change` by another finance officer). Each step is in the audit log with who and why."""
    require(actor, "change", payment)
    reason = (reason or "").strip()
    if not reason:
        raise PaymentRefused({"reason": _("กรุณาระบุเหตุผล")})
    if kind not in PaymentChange.Kind.values:
        raise PaymentRefused(_("ประเภทคำขอไม่ถูกต้อง"))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        workflow.require_move(workflow.PAYMENT, payment.status, Payment.Status.VOID,
                              _("รายการนี้ถูกยกเลิกไปแล้ว"), error=PaymentRefused)
        if PaymentChange.objects.filter(payment=payment, status=PaymentChange.Status.PENDING).exists():
            raise PaymentRefused(_("รายการนี้มีคำขอที่รออนุมัติอยู่แล้ว"))
        change = PaymentChange(organization_id=payment.organization_id, payment=payment, kind=kind,
                               reason=reason[:300], requested_by=audit.person(actor))
        if kind == PaymentChange.Kind.CORRECT:
            if bill is None or amount is None or paid_on is None:
                raise PaymentRefused(_("การแก้ไขต้องระบุใบแจ้ง จำนวนเงิน และวันที่ชำระที่ถูกต้อง"))
            if bill.organization_id != payment.organization_id or not workflow.accepts_payments(bill):
                raise PaymentRefused(_("ใบแจ้งต้องเป็นฉบับปัจจุบันขององค์กรเดียวกัน"))
            change.new_bill, change.new_amount, change.new_paid_on = bill, Decimal(amount), paid_on
            if change.new_amount <= 0:
                raise PaymentRefused(_("จำนวนเงินต้องมากกว่า 0"))
        change.save()
        audit.record(payment, actor=actor, event=f"taxpay.payment.{kind}_requested",
                     data={"reason": change.reason, "change": change.pk})
        if not selectors.tax_settings(payment.organization).changes_need_approval:
            _apply_change(change, actor)
    return change


def approve_payment_change(*, change: PaymentChange, actor) -> PaymentChange:
    """A second finance officer approves a pending correction or void: never the one who asked."""
    with transaction.atomic():
        change = PaymentChange.objects.select_for_update().select_related("payment").get(pk=change.pk)
        require(actor, "change", change.payment)
        workflow.require_move(workflow.PAYMENT_CHANGE, change.status, PaymentChange.Status.APPLIED,
                              _("คำขอนี้ได้รับการพิจารณาไปแล้ว"), error=PaymentRefused)
        if change.requested_by_id is not None and change.requested_by_id == getattr(actor, "pk", None):
            raise PaymentRefused(_("ผู้อนุมัติต้องเป็นเจ้าหน้าที่การเงินคนอื่น ไม่ใช่ผู้ขอ"))
        audit.record(change.payment, actor=actor, event=f"taxpay.payment.{change.kind}_approved",
                     data={"reason": change.reason, "change": change.pk})
        _apply_change(change, actor)
    return change


def reject_payment_change(*, change: PaymentChange, actor, note: str) -> PaymentChange:
    note = (note or "").strip()
    if not note:
        raise PaymentRefused({"note": _("กรุณาระบุเหตุผลที่ไม่อนุมัติ")})
    with transaction.atomic():
        change = PaymentChange.objects.select_for_update().select_related("payment").get(pk=change.pk)
        require(actor, "change", change.payment)
        workflow.require_move(workflow.PAYMENT_CHANGE, change.status, PaymentChange.Status.REJECTED,
                              _("คำขอนี้ได้รับการพิจารณาไปแล้ว"), error=PaymentRefused)
        change.status, change.decided_by, change.decided_at = PaymentChange.Status.REJECTED, audit.person(actor), \
            timezone.now()
        change.decision_note = note[:300]
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(change.payment, actor=actor, event=f"taxpay.payment.{change.kind}_rejected",
                     data={"reason": change.reason, "note": change.decision_note, "change": change.pk})
    return change


def _apply_change(change: PaymentChange, actor) -> None:
    """Void the payment; for a correction, record the corrected payment (new receipt) pointing back to it."""
    payment = Payment.objects.select_for_update().get(pk=change.payment_id)
    workflow.require_move(workflow.PAYMENT, payment.status, Payment.Status.VOID, _("รายการนี้ถูกยกเลิกไปแล้ว"),
                          error=PaymentRefused)
    payment.status, payment.voided_at, payment.void_reason = Payment.Status.VOID, timezone.now(), change.reason
    with audit.acting(actor):
        payment.save(update_fields=["status", "voided_at", "void_reason"])
    audit.record(payment, actor=actor, event="taxpay.payment.voided",
                 changes={"status": [Payment.Status.VALID, Payment.Status.VOID]},
                 data={"reason": change.reason, "change": change.pk, "receipt": payment.receipt_number})
    if change.kind == PaymentChange.Kind.CORRECT:
        # Same method; a bank's reference stays on the voided payment (a replayed transfer is still a duplicate).
        new, _created = record_payment(bill=change.new_bill, amount=change.new_amount, paid_on=change.new_paid_on,
                                       method=payment.method, ref2=payment.ref2, actor=actor, corrects=payment)
        change.result = new
        audit.record(new, actor=actor, event="taxpay.payment.corrected",
                     data={"reason": change.reason, "change": change.pk, "replaces": payment.receipt_number})
    change.status, change.decided_by, change.decided_at = PaymentChange.Status.APPLIED, audit.person(actor), \
        timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "result"])
