"""Bills a finance clerk can read (issue 19.2), through the admin as the clerk uses it."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from portal.models import Role
from taxpay import services
from tests.portal.factories import staff
from tests.taxpay.factories import make_bill, tax_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return tax_org()


@pytest.fixture
def clerk(client, org):
    client.force_login(staff(org, Role.FINANCE))
    return client


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="content"', 1)[-1]))


def test_the_bill_page_reads_like_the_notice(clerk, org):
    owner = services.register_owner(organization=org, name="นางสาวใจดี มีที่ดิน", id_number="1101700203450")
    bill = make_bill(org, owner=owner)
    services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1), method="counter")
    page = clerk.get(reverse("admin:taxpay_bill_change", args=[bill.pk]))
    html = page.content.decode()
    text = visible(html)
    assert page.status_code == 200
    assert '{"' not in html and "[{" not in text  # no raw JSON
    assert "(paid)" not in text and "ออกแล้ว" not in text
    assert "นางสาวใจดี มีที่ดิน" in text and "ชำระแล้วบางส่วน" in text
    assert 'id="instalments"' in html and "30 เม.ย. 2568" in text  # due dates in the Buddhist era
    assert "การคำนวณภาษี" in text and "แปลง" in text and "ร้อยละ" in text
    assert 'id="payments"' in html and "ใบเสร็จ (PDF)" in text
    assert "ยอดที่ต้องชำระวันนี้" in text and 'id="record-payment"' in html


def test_overdue_surcharges_are_explained_and_digits_follow_the_organization(client, org, monkeypatch):
    bill = make_bill(org)
    org.public_digits = "thai"
    org.save()
    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 5, 15))  # the first instalment is late
    client.force_login(staff(org, Role.FINANCE))
    text = visible(client.get(reverse("admin:taxpay_bill_change", args=[bill.pk])).content.decode())
    assert "เกินกำหนดชำระ" in text and "เบี้ยปรับร้อยละ ๑๐" in text
    amounts = re.search(r'ยอดที่ต้องชำระวันนี้.*?บาท', text).group(0)
    assert not re.search("[0-9]", amounts), amounts


def test_the_list_filters_by_payment_status_with_counts_and_finds_by_owner_digits_and_parcel(clerk, org):
    paid, part, unpaid = make_bill(org), make_bill(org), make_bill(org)
    services.record_payment(bill=paid, amount=paid.amount, paid_on=dt.date(2025, 3, 1), method="counter")
    services.record_payment(bill=part, amount=D("100"), paid_on=dt.date(2025, 3, 1), method="counter")
    url = reverse("admin:taxpay_bill_changelist")
    text = visible(clerk.get(url).content.decode())
    assert "ชำระครบแล้ว (1)" in text and "ชำระแล้วบางส่วน (1)" in text and "ยังไม่ได้ชำระ (1)" in text
    assert unpaid.owner.name in text and "ออกแล้ว" not in text
    only_paid = clerk.get(url, {"payment": "paid"}).content.decode()
    assert paid.number in only_paid and unpaid.number not in only_paid
    last4 = services.register_owner(organization=org, name="นายหาเจอ ด้วยเลข", id_number="1101700203450")
    found = make_bill(org, owner=last4)
    by_digits = clerk.get(url, {"q": "3450"}).content.decode()
    assert found.number in by_digits and paid.number not in by_digits
    parcel = found.owner.parcels.first().code
    assert found.number in clerk.get(url, {"q": parcel}).content.decode()
    assert found.number in clerk.get(url, {"q": "หาเจอ"}).content.decode()


def test_record_payment_starts_from_the_bill_prefilled_with_the_amount_due(clerk, org):
    bill = make_bill(org)
    page = clerk.get(reverse("admin:taxpay_bill_change", args=[bill.pk])).content.decode()
    pay_url = re.search(r'id="record-payment" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    form = clerk.get(pay_url).content.decode()
    assert re.search(rf'<option value="{bill.pk}" selected>{bill.number} · {bill.owner.name} · ค้างชำระ ', form)
    assert 'value="2000.00"' in form and "01/03/2568" in form  # the first instalment, today in the BE


def test_the_payment_form_finds_a_bill_by_number_or_owner_with_what_is_owed(clerk, org):
    owing = make_bill(org, owner=services.register_owner(organization=org, name="นายค้นหา เจอแน่",
                                                         id_number="1101700203450"))
    paid = make_bill(org)
    services.record_payment(bill=paid, amount=paid.amount, paid_on=dt.date(2025, 3, 1), method="counter")
    url = reverse("admin:taxpay_bill_autocomplete")
    query = {"app_label": "taxpay", "model_name": "payment", "field_name": "bill"}
    by_owner = clerk.get(url, {**query, "term": "ค้นหา"}).json()["results"]
    assert by_owner == [{"id": str(owing.pk), "text": f"{owing.number} · นายค้นหา เจอแน่ · ค้างชำระ 6,000.00 บาท"}]
    assert [r["id"] for r in clerk.get(url, {**query, "term": owing.number}).json()["results"]] == [str(owing.pk)]
    assert clerk.get(url, {**query, "term": paid.number}).json()["results"] == []  # nothing left to pay
