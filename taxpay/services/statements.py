"""Bank statements: what a file would record (checked first, nothing written) and recording it, each line
matched to a current bill by reference 1, a bank reference seen before counted as a duplicate."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

import taxpay.services.clock as clock  # a module, so a test fixing `clock.today` fixes it here too
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.inputs.uploads import max_upload_bytes, too_large_message
from portal.thai import ce_year, format_be_date
from taxpay import selectors
from taxpay.models import Bill, Payment, StatementImport

from .imports import ImportRejected
from .payments import PaymentRefused, record_payment


def _match(organization, line, bills_by_number) -> tuple[Bill | None, str]:
    """The bill a statement line pays, or None with the reason. A statement reports money already received, so a
    line dated after today is a typo or a forged file; one dated before the bill's tax year began cannot pay it
    (and a back-dated payment would dodge the late charges): both are refused, never matched."""
    if line.paid_on > clock.today():
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


def _statement_lines(data: bytes, filename: str):
    from taxpay import importers

    if len(data) > max_upload_bytes():
        raise ImportRejected(too_large_message(), limit=True)
    try:
        items = importers.read_table(data, filename, aliases=importers.STATEMENT_HEADER_ALIASES)
    except importers.FileError as exc:
        raise ImportRejected(str(exc), limit=True) from exc
    missing = [c for c in importers.STATEMENT_COLUMNS if c != "ref2" and items and c not in items[0]]
    if missing:
        raise ImportRejected(_("ไม่พบคอลัมน์ %(cols)s (ดูไฟล์ตัวอย่าง)") % {"cols": ", ".join(missing)}, limit=True)
    lines, unmatched = importers.parse_statement(items)
    return items, lines, unmatched


def check_statement(*, organization, data: bytes, filename: str, actor=None) -> list[dict]:
    """What importing a statement would do, line by line, recording nothing: each line with the bill it matches
    (number and owner) and its outcome: "record", "duplicate" (its bank reference is recorded already) or
    "unmatched" with the reason."""
    require(actor, "add", Payment(organization=organization))
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


def import_statement(*, organization, data: bytes, filename: str, actor=None) -> StatementImport:
    """A bank statement (CSV or XLSX: date, amount, ref1, ref2, bank_reference, or a Thai bank's own headers).
    Lines are matched to current bills by reference 1 and checked against the amount owed; a bank reference
    already recorded counts as a duplicate, so importing the same file twice records each payment once.
    Unmatched lines are kept with their reason."""
    require(actor, "add", Payment(organization=organization))
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
                                               ref2=line.ref2, actor=actor)
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
        created_by=audit.person(actor))
    # The bank's file itself is kept (private storage) so the reconciliation can be checked later.
    record.file.save("statement.xlsx" if data[:4] == b"PK\x03\x04" else "statement.csv", ContentFile(data),
                     save=False)
    with audit.acting(actor):
        record.save()
    return record
