"""Money needs the finance role: recording, correcting and voiding payments and importing statements are
refused to officers of other departments; corrections and voids carry a reason, are audited with who and why,
and need a second finance officer's approval when the organization asks for it. Driven through the admin."""

import datetime as dt
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import Department, Role
from taxpay import selectors, services
from taxpay.models import Payment, PaymentChange, TaxSettings
from tests.portal.factories import staff
from tests.taxpay.conftest import TODAY
from tests.taxpay.factories import make_bill, tax_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return tax_org()


def login(client, user):
    client.force_login(user)
    return client


def works_officer(org):
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    return staff(org, Role.OFFICER, department=works)


def counter_payment(client, bill, amount="2000"):
    return client.post(reverse("admin:taxpay_payment_add"),
                       {"bill": bill.pk, "amount": amount, "paid_on": "01/03/2568"})


def test_an_officer_of_public_works_cannot_record_money(client, org):
    bill = make_bill(org)
    login(client, works_officer(org))
    assert client.get(reverse("admin:taxpay_payment_add")).status_code == 403
    assert counter_payment(client, bill).status_code == 403
    statement = f"date,amount,ref1,ref2,bank_reference\n01/03/2568,2000,{bill.number},256801,B1\n".encode()
    response = client.post(reverse("admin:taxpay_statementimport_add"),
                           {"organization": org.pk, "file": SimpleUploadedFile("s.csv", statement)})
    assert response.status_code == 403
    assert not Payment.objects.exists()
    # nor correct or void one a finance officer recorded
    payment, _created = services.record_payment(bill=bill, amount=D("2000"), paid_on=TODAY, method="counter")
    response = client.post(reverse("admin:taxpay_payment_change_request", args=[payment.pk]),
                           {"kind": "void", "reason": "ลองดู"})
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == "valid"


def test_administrators_read_money_but_do_not_record_it(client, org):
    bill = make_bill(org)
    login(client, staff(org, Role.ADMINISTRATOR))
    assert counter_payment(client, bill).status_code == 403
    assert client.get(reverse("admin:taxpay_payment_changelist")).status_code == 200


def test_a_finance_officer_voids_a_payment_with_a_reason_and_it_is_audited(client, org):
    bill = make_bill(org)
    clerk = staff(org, Role.FINANCE)
    login(client, clerk)
    assert counter_payment(client, bill).status_code == 302
    payment = Payment.objects.get()
    assert selectors.bill_state(bill, on=TODAY).principal_paid == D("2000")
    url = reverse("admin:taxpay_payment_change_request", args=[payment.pk])
    page = client.get(reverse("admin:taxpay_payment_change", args=[payment.pk])).content.decode()
    assert url in page
    refused = client.post(url, {"kind": "void", "reason": "  "})
    assert refused.status_code == 400 and "errorlist" in refused.content.decode()
    assert client.post(url, {"kind": "void", "reason": "บันทึกซ้ำกับใบเสร็จเล่มกระดาษ"}).status_code == 302
    payment.refresh_from_db()
    assert payment.status == "void" and payment.void_reason == "บันทึกซ้ำกับใบเสร็จเล่มกระดาษ"
    bill.refresh_from_db()
    assert selectors.bill_state(bill, on=TODAY).principal_paid == 0
    entry = LogEntry.objects.filter(additional_data__event="taxpay.payment.voided").get()
    assert entry.actor == clerk and entry.additional_data["reason"] == "บันทึกซ้ำกับใบเสร็จเล่มกระดาษ"


def test_with_approval_on_a_correction_waits_for_a_second_finance_officer(client, org):
    bill = make_bill(org)
    services.ensure_tax_settings(org)
    TaxSettings.objects.filter(organization=org).update(changes_need_approval=True)
    first, second = staff(org, Role.FINANCE), staff(org, Role.FINANCE)
    payment, _created = services.record_payment(bill=bill, amount=D("2000"), paid_on=TODAY, method="counter",
                                                actor=first)
    login(client, first)
    response = client.post(reverse("admin:taxpay_payment_change_request", args=[payment.pk]),
                           {"kind": "correct", "reason": "พิมพ์จำนวนเงินผิด รับจริง 1,500 บาท",
                            "amount": "๑,๕๐๐", "paid_on": "01/03/2568"})
    assert response.status_code == 302
    change = PaymentChange.objects.get()
    assert change.status == "pending"
    payment.refresh_from_db()
    assert payment.status == "valid"  # nothing happens before the approval
    change_url = reverse("admin:taxpay_paymentchange_change", args=[change.pk])
    # the one who asked cannot approve
    page = client.post(change_url, {"_decide": "approve", "note": ""}, follow=True).content.decode()
    assert "ผู้อนุมัติต้องเป็นเจ้าหน้าที่การเงินคนอื่น" in page
    change.refresh_from_db()
    assert change.status == "pending"
    # nor an officer of another department
    login(client, works_officer(org))
    assert client.post(change_url, {"_decide": "approve", "note": ""}).status_code == 403
    login(client, second)
    assert client.post(change_url, {"_decide": "approve", "note": ""}).status_code == 302
    change.refresh_from_db()
    payment.refresh_from_db()
    assert change.status == "applied" and change.decided_by == second
    assert payment.status == "void"
    new = change.result
    assert new.corrects == payment and new.amount == D("1500") and new.receipt_number != payment.receipt_number
    assert selectors.bill_state(bill, on=TODAY).principal_paid == D("1500")
    events = dict(LogEntry.objects.filter(additional_data__event__startswith="taxpay.payment.")
                  .values_list("additional_data__event", "actor"))
    assert events["taxpay.payment.correct_requested"] == first.pk
    assert events["taxpay.payment.correct_approved"] == second.pk
    assert events["taxpay.payment.voided"] == second.pk


def test_a_rejection_needs_its_reason_and_changes_nothing(client, org):
    bill = make_bill(org)
    services.ensure_tax_settings(org)
    TaxSettings.objects.filter(organization=org).update(changes_need_approval=True)
    first, second = staff(org, Role.FINANCE), staff(org, Role.FINANCE)
    payment, _created = services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1),
                                                method="counter")
    change = services.request_payment_change(payment=payment, kind="void", reason="ลูกค้าขอคืนเงิน", actor=first)
    url = reverse("admin:taxpay_paymentchange_change", args=[change.pk])
    login(client, second)
    page = client.post(url, {"_decide": "reject", "note": ""}, follow=True).content.decode()
    assert "กรุณาระบุเหตุผลที่ไม่อนุมัติ" in page
    client.post(url, {"_decide": "reject", "note": "ไม่มีหลักฐานการคืนเงิน"})
    change.refresh_from_db()
    payment.refresh_from_db()
    assert change.status == "rejected" and payment.status == "valid"
