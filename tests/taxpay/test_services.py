import datetime as dt
import re
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification, Role
from taxpay import selectors, services
from taxpay.models import Bill, Payment, TaxYear
from tests.portal.factories import staff
from tests.taxpay.factories import (
    BuildingFactory,
    OwnerFactory,
    ParcelFactory,
    SignboardFactory,
    make_bill,
    tax_org,
)
from tests.taxpay.qrcheck import decode_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return tax_org()


def test_tax_year_2568_seeded_from_the_act(org):
    year = services.ensure_tax_year(organization=org, year=2568)
    assert year.relief_percent == 0
    assert year.due_date == dt.date(2025, 4, 30)
    assert year.schedule("main_home").exemption_individual == D("50000000")
    assert year.schedule("commercial").slices[0].rate_percent == D("0.3")


def test_tax_year_rates_above_the_ceiling_refused(org):
    from django.core.exceptions import ValidationError

    year = services.ensure_tax_year(organization=org, year=2568)
    year.schedules["agriculture"]["slices"][0][1] = "0.2"   # ceiling 0.15 %
    with pytest.raises(ValidationError):
        year.full_clean()


def test_assessment_stores_the_computation_and_numbers_per_org_and_year(org):
    owner = OwnerFactory(organization=org)
    parcel = ParcelFactory(organization=org, owner=owner, value_per_wa=D("150000"))  # 400 wa -> 60 M
    BuildingFactory(parcel=parcel, area_sqm=D("0"))
    other = OwnerFactory(organization=org)
    ParcelFactory(organization=org, owner=other, use="main_home", value_per_wa=D("150000"))
    SignboardFactory(organization=org, owner=other)
    result = services.run_assessment(organization=org, year=2568)
    assert result == {"assessed": 3, "issued": 3, "no_tax": 0}
    bills = {(b.owner_id, b.tax_type): b for b in Bill.objects.filter(organization=org)}
    commercial = bills[(owner.pk, "land_building")]
    assert commercial.number == "LB2568000001"
    assert commercial.amount == D("190000.00")
    assert commercial.computation["categories"][0]["lines"][1]["rate_percent"] == "0.4"
    assert [i["amount"] for i in commercial.instalments] == ["63333.33", "63333.33", "63333.34"]
    assert bills[(other.pk, "land_building")].amount == D("3000.00")
    assert bills[(other.pk, "land_building")].number == "LB2568000002"
    assert bills[(other.pk, "signboard")].number == "SB2568000001"
    assert bills[(other.pk, "signboard")].amount == D("1300.00")
    # a second run issues nothing new
    assert services.run_assessment(organization=org, year=2568)["issued"] == 0


def test_numbering_is_per_organization(org):
    other_org = tax_org()
    assert make_bill(org).number == "LB2568000001"
    assert make_bill(other_org).number == "LB2568000001"
    assert make_bill(org).number == "LB2568000002"


def test_progress_reported(org):
    for _ in range(3):
        ParcelFactory(organization=org)
    calls = []
    services.run_assessment(organization=org, year=2568, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_correction_is_a_new_version_and_the_old_is_kept(org):
    bill = make_bill(org)
    parcel = bill.owner.parcels.get()
    parcel.value_per_wa = D("2500")
    parcel.save()
    services.record_payment(bill=bill, amount=D("500"), paid_on=dt.date(2025, 3, 1), method="counter")
    new = services.correct_bill(bill=bill, reason="ราคาประเมินผิด")
    bill.refresh_from_db()
    assert bill.status == "superseded" and bill.amount == D("6000.00")
    assert (new.number, new.version, new.previous_id, new.amount) == (bill.number, 2, bill.pk, D("3000.00"))
    assert list(new.payments.values_list("amount", flat=True)) == [D("500.00")]
    with pytest.raises(ValidationError):
        services.correct_bill(bill=bill, reason="อีกครั้ง")


def test_amount_due_now_follows_instalments_and_late_charges(org):
    bill = make_bill(org)   # 2,000,000 x 0.3 % = 6,000 -> 3 x 2,000
    state = selectors.bill_state(bill, on=dt.date(2025, 3, 1))
    assert (state.amount_due_now, state.ref2, state.label) == (D("2000.00"), "256801", "unpaid")
    # first instalment (30 April) missed, paid in June: 2 months late, 10 % surcharge, 1 % a month
    late = selectors.bill_state(bill, on=dt.date(2025, 6, 15))
    assert late.overdue
    assert late.amount_due_now == D("2000.00") + D("200.00") + D("40.00") + D("2000.00") + D("200.00") + D("20.00")
    services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 4, 1), method="counter")
    state = selectors.bill_state(bill, on=dt.date(2025, 4, 2))
    assert (state.amount_due_now, state.ref2, state.label) == (D("2000.00"), "256802", "part_paid")


def test_qr_payload_for_the_amount_due_now(org):
    from taxpay.services import ensure_tax_settings

    settings_row = ensure_tax_settings(org)
    settings_row.biller_suffix = "07"
    settings_row.save()
    bill = make_bill(org)
    fields = decode_payload(selectors.qr_payload(selectors.bill_state(bill, on=dt.date(2025, 3, 1))))
    assert fields["01"] == "12"
    assert fields["30"] == {"00": "A000000677010112", "01": "099400016550107", "02": bill.number, "03": "256801"}
    assert (fields["53"], fields["54"], fields["58"]) == ("764", "2000.00", "TH")


def test_payment_more_than_owed_refused(org):
    bill = make_bill(org)
    with pytest.raises(services.PaymentRefused):
        services.record_payment(bill=bill, amount=D("6000.01"), paid_on=dt.date(2025, 3, 1), method="counter")


def test_payment_with_the_same_bank_reference_recorded_once(org):
    bill = make_bill(org)
    first, created = services.record_payment(bill=bill, amount=D("100"), paid_on=dt.date(2025, 3, 1),
                                              method="callback", bank_reference="TX1")
    again, created_again = services.record_payment(bill=bill, amount=D("100"), paid_on=dt.date(2025, 3, 1),
                                                   method="callback", bank_reference="TX1")
    assert created and not created_again and first.pk == again.pk
    assert Payment.objects.count() == 1
    assert first.receipt_number.startswith("RC2568")


def test_payment_notifies_owner_with_contact(org):
    owner = OwnerFactory(organization=org, contact_email="owner@example.com")
    bill = make_bill(org, owner=owner)
    services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1), method="counter")
    note = Notification.objects.get(event="taxpay_payment_received")
    assert note.recipient == "owner@example.com" and bill.number in note.subject


def test_due_soon_once_per_instalment(org):
    owner = OwnerFactory(organization=org, contact_phone="0812345678")
    make_bill(org, owner=owner)
    assert services.send_due_soon(organization=org, on=dt.date(2025, 4, 25)) == 1
    assert services.send_due_soon(organization=org, on=dt.date(2025, 4, 26)) == 0
    assert services.send_due_soon(organization=org, on=dt.date(2025, 3, 1)) == 0


def test_staff_of_another_organization_cannot_pay_or_assess(org):
    bill = make_bill(org)
    outsider = staff(tax_org(), Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        services.record_payment(bill=bill, amount=D("1"), paid_on=dt.date(2025, 3, 1), method="counter",
                                actor=outsider)
    with pytest.raises(PermissionDenied):
        services.run_assessment(organization=org, year=2568, actor=outsider)
    assert TaxYear.objects.filter(organization=org).count() == 1


def test_owner_id_never_stored_in_clear(org):
    owner = services.register_owner(organization=org, name="นางสาวทดสอบ", id_number="1101700203450")
    assert owner.id_masked == "x-xxxx-xxxxx-45-0"
    from taxpay.models import Owner

    assert not Owner.objects.filter(id_hash__contains="1101700203450").exists()
    assert services.register_owner(organization=org, name="ซ้ำ", id_number="1-1017-00203-45-0").pk == owner.pk


def test_find_bill_needs_the_last_four_digits(org):
    owner = services.register_owner(organization=org, name="นางสาวทดสอบ", id_number="1101700203450")
    bill = make_bill(org, owner=owner)
    assert selectors.find_bill(org, bill.number.lower(), "3450") == bill
    assert selectors.find_bill(org, bill.number, "๓๔๕๐") == bill
    assert selectors.find_bill(org, bill.number, "3451") is None
    assert selectors.find_bill(tax_org(), bill.number, "3450") is None


def test_load_demo_gives_a_register_bills_in_mixed_states_and_a_finance_officer(org):
    import io

    from django.contrib.auth import get_user_model

    from portal.demo import DEMO_PASSWORD
    from taxpay.demo import load_demo_for
    from taxpay.models import Building, Parcel, Signboard

    out = io.StringIO()
    logins = load_demo_for(org, stdout=out)
    assert logins[0][0] == f"{org.slug}-finance"
    assert get_user_model().objects.get(username=f"{org.slug}-finance").check_password(DEMO_PASSWORD)
    assert Parcel.objects.filter(organization=org).count() >= 20
    assert Building.objects.filter(organization=org).count() >= 10
    assert Signboard.objects.filter(organization=org).count() == 5
    on = dt.date(2025, 9, 1)
    labels = [selectors.bill_state(b, on=on).label for b in Bill.objects.filter(organization=org)]
    assert {"paid", "overdue"} <= set(labels)
    assert any(selectors.bill_state(b, on=on).principal_paid > 0 and not selectors.bill_state(b, on=on).paid
               for b in Bill.objects.filter(organization=org))
    # the printed sample logs in on the public page
    number, last4 = re.search(r"bill (\w+), ID last four (\d{4})", out.getvalue()).groups()
    assert selectors.find_bill(org, number, last4) is not None
    # idempotent
    load_demo_for(org)
    assert Parcel.objects.filter(organization=org).count() == 20


def test_due_soon_task_runs_for_every_organization_with_bills(org, monkeypatch):
    from taxpay.tasks import send_due_soon

    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 4, 25))
    make_bill(org, owner=OwnerFactory(organization=org, contact_email="a@example.com"))
    other = tax_org()
    make_bill(other, owner=OwnerFactory(organization=other, contact_phone="0812345678"))
    assert send_due_soon() == 2  # two organizations' tasks, run in-process here
    assert Notification.objects.filter(event="taxpay_due_soon").count() == 2
    # the task names itself on each bill's audit row, with the instalment it reminded of
    rows = LogEntry.objects.filter(additional_data__event="taxpay.bill.reminded")
    assert sorted(rows.values_list("additional_data__actor", "additional_data__instalment")) == \
        [("system:task:taxpay.send_due_soon", 1)] * 2
    send_due_soon()
    assert rows.count() == 2 and Notification.objects.filter(event="taxpay_due_soon").count() == 2


def test_due_soon_fans_out_one_task_per_organization_with_bills_due(org, monkeypatch):
    """Only organizations with a bill still to fall due and an owner to tell get a task; each gets one."""
    from taxpay import tasks

    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 4, 25))
    make_bill(org, owner=OwnerFactory(organization=org, contact_email="a@example.com"))
    make_bill(org, owner=OwnerFactory(organization=org, contact_email="b@example.com"))
    no_contact = tax_org()
    make_bill(no_contact, owner=OwnerFactory(organization=no_contact))
    closed = tax_org(is_active=False)
    make_bill(closed, owner=OwnerFactory(organization=closed, contact_email="c@example.com"))
    tax_org()  # no bills at all
    queued = []
    monkeypatch.setattr(tasks.send_due_soon_for, "delay", lambda *args: queued.append(args))
    assert tasks.send_due_soon(days=7) == 1
    assert queued == [(org.pk, "2025-04-25", 7)]
    # past every bill's last due date: nothing to queue
    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 7, 1))
    queued.clear()
    assert tasks.send_due_soon() == 0 and queued == []


def test_signboard_bill_first_year_and_late_filing_line_by_line(org):
    from tests.taxpay.factories import OwnerFactory, SignboardFactory

    owner = OwnerFactory(organization=org)
    # 1,300 a year; installed 10 May 2025 (2nd quarter): 75 % = 975; filed on the 16th day: +97.50
    SignboardFactory(organization=org, owner=owner, installed_on=dt.date(2025, 5, 10), filed_on=dt.date(2025, 5, 26))
    SignboardFactory(organization=org, owner=owner, installed_on=dt.date(2026, 2, 1))  # next year: not taxed
    services.run_assessment(organization=org, year=2568)
    bill = Bill.objects.get(owner=owner, tax_type="signboard")
    assert bill.amount == D("1072.50")
    assert len(bill.computation["signs"]) == 1 and bill.computation["late_filing"] == "97.50"
    rows = [label for section in selectors.computation_sections(bill) for label, _amount in section["rows"]]
    assert any("ไตรมาสที่ 2" in row and "75" in row for row in rows), rows
    assert any("ยื่นแบบเมื่อ" in row and "26 พ.ค. 2568" in row for row in rows), rows
    # a new sign's own dates: due 15 days after its notice, which is not before its form (26 May) -> 10 June,
    # not the year's 31 March (before the sign existed)
    assert bill.computation["new_sign"] == bill.computation["signs"][0]["sign"]
    assert bill.computation["filing_deadline"] == "2025-05-25"
    assert bill.due_date == dt.date(2025, 6, 10) and bill.instalments[0]["due"] == "2025-06-10"
    rows = [label for section in selectors.computation_sections(bill) for label, _amount in section["rows"]]
    assert any("ภ.ป.1 ภายใน 25 พ.ค. 2568" in row for row in rows), rows
    assert any("ชำระภายใน 10 มิ.ย. 2568" in row for row in rows), rows
    assert selectors.bill_state(bill, on=dt.date(2025, 6, 10)).charges_due == 0
    # paid 15 August: 3 months late (part of a month counts) at 2 % on the 975 tax, not on the filing surcharge
    state = selectors.bill_state(bill, on=dt.date(2025, 8, 15))
    assert state.instalments[0].charges.interest == D("58.50")


def test_new_sign_gets_its_own_bill_beside_the_years_bill(org, monkeypatch):
    owner = OwnerFactory(organization=org)
    SignboardFactory(organization=org, owner=owner)                     # standing since before the year
    services.run_assessment(organization=org, year=2568)                # the year's run, 1 March 2568
    year_bill = Bill.objects.get(owner=owner, tax_type="signboard")
    assert year_bill.due_date == dt.date(2025, 3, 31) and "new_sign" not in year_bill.computation
    # a sign put up in July is registered and assessed in August: a bill of its own, due 15 days after it
    new = SignboardFactory(organization=org, owner=owner, installed_on=dt.date(2025, 7, 3),
                           filed_on=dt.date(2025, 7, 10))
    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 8, 1))
    assert services.run_assessment(organization=org, year=2568)["issued"] == 1
    new_bill = Bill.objects.get(owner=owner, tax_type="signboard", computation__new_sign=new.code)
    assert new_bill.amount == D("650.00") and new_bill.due_date == dt.date(2025, 8, 16)
    assert new_bill.number != year_bill.number
    assert services.run_assessment(organization=org, year=2568)["issued"] == 0
    # a correction recomputes that sign only and keeps the due date of its first notice
    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 9, 1))
    corrected = services.correct_bill(bill=new_bill, reason="แก้ขนาด")
    assert corrected.amount == D("650.00") and corrected.due_date == dt.date(2025, 8, 16)
    assert corrected.computation["new_sign"] == new.code


def test_payment_notice_in_the_owners_language(org):
    from django.utils import translation

    english = OwnerFactory(organization=org, contact_email="en@example.com", contact_language="en")
    thai = OwnerFactory(organization=org, contact_email="th@example.com")
    with translation.override("en"):
        for owner in (english, thai):
            services.record_payment(bill=make_bill(org, owner=owner), amount=D("2000"), paid_on=dt.date(2025, 3, 1),
                                    method="counter")
    notes = {n.recipient: n for n in Notification.objects.filter(event="taxpay_payment_received")}
    assert notes["en@example.com"].language == "en" and "payment received" in notes["en@example.com"].subject
    assert notes["th@example.com"].language == "th" and "payment received" not in notes["th@example.com"].subject
