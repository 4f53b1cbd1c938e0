"""Phone: look up a bill, see the computation and the Thai QR, download the notice PDF; the finance officer takes
cash at the counter; the taxpayer downloads the receipt."""

import datetime as dt
import subprocess

import pytest

from tests.e2e.conftest import SHOTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pdf_to_png(pdf_path, name) -> bytes:
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(SHOTS / name)], check=True)
    return (SHOTS / f"{name}.png").read_bytes()


def test_lookup_pay_receipt(live_server, phone_page, desktop_page, shot, monkeypatch):
    from portal.models import Role
    from taxpay import services
    from taxpay.models import Payment
    from tests.portal.factories import staff
    from tests.taxpay.factories import make_bill, tax_org
    from tests.taxpay.qrcheck import decode_payload, read_png

    monkeypatch.setattr("taxpay.services.clock.today", lambda: dt.date(2025, 3, 1))
    org = tax_org(slug="e2e-tax", name_th="เทศบาลตำบลภาษีดี")
    owner = services.register_owner(organization=org, name="นางสาวใจดี มีที่ดิน", id_number="1101700203450")
    bill = make_bill(org, owner=owner)
    staff(org, Role.FINANCE, username="e2e-finance")

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/tax/")
    shot(page, "taxpay-01-lookup")
    page.fill("#id_number", bill.number.lower())
    page.fill("#id_id_last4", "๓๔๕๐")
    page.click("#lookup-submit")
    page.wait_for_selector("#bill-qr")
    assert page.inner_text("#amount-due").startswith("2,000.00")
    assert "ร้อยละ 0.3" in page.inner_text("main")
    assert page.inner_text("#ref1") == bill.number and page.inner_text("#ref2") == "256801"
    shot(page, "taxpay-02-bill")
    qr_png = page.locator("#bill-qr").screenshot()
    payload = read_png(qr_png)
    assert decode_payload(payload)["54"] == "2000.00"

    with page.expect_download() as download:
        page.click("#notice-pdf")
    notice = download.value.path()
    notice_png = pdf_to_png(notice, "taxpay-03-notice-pdf")
    assert read_png(notice_png) == payload

    admin = desktop_page
    login(admin, live_server, "e2e-finance")
    admin.goto(f"{live_server.url}/admin/taxpay/bill/{bill.pk}/change/")
    admin.click("#record-payment")  # the form opens with this bill chosen
    admin.fill("#id_amount", "2000")
    admin.fill("#id_paid_on", "01/03/2568")
    shot(admin, "taxpay-04-counter-payment")
    admin.click("input[name=_save]")
    admin.wait_for_load_state()
    payment = Payment.objects.get(bill=bill)

    page.reload()
    page.wait_for_selector(".receipt-link")
    assert page.inner_text("#ref2") == "256802"
    shot(page, "taxpay-05-bill-after-payment")
    with page.expect_download() as download:
        page.click(".receipt-link")
    receipt_png = pdf_to_png(download.value.path(), "taxpay-06-receipt-pdf")
    assert read_png(receipt_png).endswith(f"/tax/verify/{payment.verify_code}/")
