"""A finance clerk on a 1366×768 laptop reads a bill and records a counter payment from it (issue 19.2), counting
the clicks from the admin's home page. axe-clean on every page visited; screenshots in test-artifacts/screenshots/
(taxpay-clerk-*.png)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import _offline, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def laptop_page(browser):
    context = _offline(browser.new_context(viewport=LAPTOP, locale="th-TH", accept_downloads=True))
    page = context.new_page()
    yield page
    context.close()


def test_finance_clerk_reads_a_bill_and_records_a_counter_payment_from_it(live_server, laptop_page, shot,
                                                                          monkeypatch):
    from portal.models import Role
    from taxpay import services
    from taxpay.models import Payment
    from tests.portal.factories import staff
    from tests.taxpay.factories import make_bill, tax_org

    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 3, 1))
    org = tax_org(slug="e2e-clerk", name_th="เทศบาลตำบลคลังดี")
    owner = services.register_owner(organization=org, name="นางสาวใจดี มีที่ดิน", id_number="1101700203450")
    bill = make_bill(org, owner=owner)
    for _n in range(3):  # other bills in the list, one of them paid
        make_bill(org)
    paid = make_bill(org)
    services.record_payment(bill=paid, amount=paid.amount, paid_on=dt.date(2025, 3, 1), method="counter")
    staff(org, Role.FINANCE, username="e2e-clerk")

    page = laptop_page
    login(page, live_server, "e2e-clerk")
    page.wait_for_url("**/admin/")
    clicks = []

    def click(selector):
        clicks.append(selector)
        page.click(selector)
        page.wait_for_load_state()

    click("a[href$='/admin/taxpay/bill/']")                          # 1: the bills, from the admin home
    assert "ยังไม่ได้ชำระ (4)" in page.inner_text("#changelist-filter")
    assert "ชำระครบแล้ว (1)" in page.inner_text("#changelist-filter")
    assert_axe_clean(page)
    shot(page, "taxpay-clerk-1-bill-list-1366")
    click(f"#result_list a:text-is('{bill.number}')")                # 2: the bill
    text = page.inner_text("#content")
    assert "นางสาวใจดี มีที่ดิน" in text and "ยังไม่ได้ชำระ" in text and "{" not in text
    assert page.inner_text("#amount-due").startswith("2,000.00")
    assert page.locator("#instalments tbody tr").count() == 3
    assert_axe_clean(page)
    shot(page, "taxpay-clerk-2-bill-1366")
    click("#record-payment")                                        # 3: "รับชำระ"
    assert page.locator("#id_bill option:checked").inner_text().startswith(f"{bill.number} · นางสาวใจดี")
    assert page.input_value("#id_amount") == "2000.00" and page.input_value("#id_paid_on") == "01/03/2568"
    assert_axe_clean(page)
    shot(page, "taxpay-clerk-3-payment-form-1366")
    click("input[name=_save]")                                      # 4: save
    payment = Payment.objects.get(bill=bill)
    assert payment.amount == D("2000.00") and payment.method == "counter"
    assert payment.receipt_number in page.inner_text("#content")
    assert len(clicks) == 4, clicks

    page.goto(f"{live_server.url}/admin/taxpay/bill/{bill.pk}/change/")
    assert "ชำระแล้วบางส่วน" in page.inner_text("#bill-status")
    assert payment.receipt_number in page.inner_text("#payments")
    assert_axe_clean(page)
    shot(page, "taxpay-clerk-4-bill-after-payment-1366")
