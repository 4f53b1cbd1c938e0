import base64
import datetime as dt
import re
import subprocess
from decimal import Decimal as D

import pytest
from django.db.models import Count, Max
from django.urls import reverse

from taxpay import services
from tests.taxpay.factories import make_bill, tax_org
from tests.taxpay.qrcheck import decode_payload, read_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill():
    org = tax_org()
    owner = services.register_owner(organization=org, name="นางสาวใจดี มีที่ดิน", id_number="1101700203450")
    return make_bill(org, owner=owner)


def lookup(client, bill, last4="3450", number=None):
    return client.post(reverse("taxpay:index", args=[bill.organization.slug]),
                       {"number": number or bill.number, "id_last4": last4})


def test_lookup_then_bill_page_with_computation_and_qr(client, bill):
    response = lookup(client, bill, number=bill.number.lower())
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "ร้อยละ 0.3" in text and "2,000,000.00" in text        # the slice and the value
    assert 'id="ref1">' + bill.number in text and 'id="ref2">256801' in text
    src = re.search(r'id="bill-qr" src="data:image/png;base64,([^"]+)"', text).group(1)
    payload = read_png(base64.b64decode(src))
    fields = decode_payload(payload)
    assert fields["54"] == "2000.00" and fields["30"]["02"] == bill.number and fields["30"]["03"] == "256801"
    png = client.get(reverse("taxpay:bill-qr", args=[bill.organization.slug, bill.number]) + "?download=1")
    assert png["Content-Type"] == "image/png" and "attachment" in png["Content-Disposition"]
    assert read_png(png.content) == payload


def test_wrong_digits_or_number_is_400_with_a_thai_message(client, bill):
    response = lookup(client, bill, last4="3451")
    assert response.status_code == 400 and "ไม่พบใบแจ้ง" in response.content.decode()
    assert lookup(client, bill, last4="ab").status_code == 400
    assert lookup(client, bill, number="<script>").status_code == 400


def test_bill_pages_need_the_lookup(client, bill):
    slug = bill.organization.slug
    for name in ("taxpay:bill", "taxpay:bill-qr", "taxpay:notice"):
        assert client.get(reverse(name, args=[slug, bill.number])).status_code == 404
    other = tax_org()
    lookup(client, bill)
    assert client.get(reverse("taxpay:bill", args=[other.slug, bill.number])).status_code == 404
    # a forged grant cookie is ignored
    fresh = type(client)()
    fresh.cookies["taxpay_bills"] = f"{slug}:{bill.number}"
    assert fresh.get(reverse("taxpay:bill", args=[slug, bill.number])).status_code == 404


def test_lookup_rate_limited(client, bill, settings):
    settings.RATELIMIT_ENABLE = True
    settings.TAXPAY_LOOKUP_BILL_RATE = "100/h"  # the per-address limit alone (the per-bill one: next test)
    codes = [lookup(client, bill, last4=f"{n:04d}").status_code for n in range(21)]
    assert codes[:20] == [400] * 20
    assert codes[20] == 429
    # even the right digits are refused once the allowance is used up
    assert lookup(client, bill).status_code == 429


def pdf_page_png(pdf: bytes, tmp_path) -> bytes:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    return next(tmp_path.glob("page*.png")).read_bytes()


def test_notice_pdf_carries_the_same_qr(client, bill, tmp_path):
    lookup(client, bill)
    response = client.get(reverse("taxpay:notice", args=[bill.organization.slug, bill.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    payload = read_png(pdf_page_png(response.content, tmp_path))
    assert decode_payload(payload)["30"]["02"] == bill.number
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "แจ้งการประเมินภาษี" in text and bill.number in text


def test_receipt_after_payment_and_its_verification_qr(client, bill, tmp_path):
    payment, _ = services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1),
                                         method="counter")
    lookup(client, bill)
    page = client.get(reverse("taxpay:bill", args=[bill.organization.slug, bill.number])).content.decode()
    assert payment.receipt_number in page and 'id="ref2">256802' in page
    response = client.get(reverse("taxpay:receipt", args=[bill.organization.slug, payment.receipt_number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    url = read_png(pdf_page_png(response.content, tmp_path))
    assert url.endswith(f"/tax/verify/{payment.verify_code}/")
    verify = client.get(url)
    assert verify.status_code == 200 and payment.receipt_number in verify.content.decode()
    assert client.get(reverse("taxpay:receipt-verify", args=[bill.organization.slug, "x" * 22])).status_code == 404


def test_a_voided_receipt_is_shown_as_voided_not_as_valid(client, bill):
    """The receipt's QR stays on the paper after a void: checking it must say the receipt no longer counts."""
    from portal.models import Role
    from tests.portal.factories import staff

    payment, _ = services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1),
                                         method="counter")
    url = reverse("taxpay:receipt-verify", args=[bill.organization.slug, payment.verify_code])
    assert 'id="receipt-valid"' in client.get(url).content.decode()
    services.request_payment_change(payment=payment, kind="void", reason="รับเงินซ้ำ",
                                    actor=staff(bill.organization, Role.FINANCE))
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="receipt-voided"' in text and "ใบเสร็จนี้ถูกยกเลิกแล้ว" in text
    assert 'id="receipt-valid"' not in text and payment.receipt_number in text


def test_a_corrected_receipt_names_the_receipt_issued_in_its_place(client, bill):
    from portal.models import Role
    from tests.portal.factories import staff

    payment, _ = services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1),
                                         method="counter")
    change = services.request_payment_change(payment=payment, kind="correct", reason="จำนวนเงินผิด",
                                             actor=staff(bill.organization, Role.FINANCE), bill=bill,
                                             amount=D("1500"), paid_on=dt.date(2025, 3, 1))
    text = client.get(reverse("taxpay:receipt-verify", args=[bill.organization.slug, payment.verify_code])
                      ).content.decode()
    assert 'id="receipt-voided"' in text and change.result.receipt_number in text


def test_receipt_of_a_bill_not_looked_up_is_404(client, bill):
    payment, _ = services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1),
                                         method="counter")
    assert client.get(reverse("taxpay:receipt", args=[bill.organization.slug, payment.receipt_number])
                      ).status_code == 404


def test_estimate_page(client):
    org = tax_org()
    url = reverse("taxpay:estimate", args=[org.slug])
    assert client.get(url).status_code == 200
    page = client.get(url, {"tax": "land_building", "use": "main_home", "owner": "individual", "value": "๖๐,๐๐๐,๐๐๐"})
    assert page.status_code == 200 and 'id="estimate-tax">3,000<' in page.content.decode()
    sign = client.get(url, {"tax": "signboard", "kind": "thai_mixed", "changing": "0", "width_cm": "100",
                            "height_cm": "250"})
    assert 'id="estimate-tax">1,300<' in sign.content.decode()
    bad = client.get(url, {"tax": "land_building", "use": "main_home", "owner": "juristic", "value": "1"})
    assert bad.status_code == 400 and "บุคคลธรรมดา" in bad.content.decode()
    assert client.get(url, {"tax": "signboard", "width_cm": "abc"}).status_code == 400


def test_estimate_page_signboard_quarter(client):
    org = tax_org()
    url = reverse("taxpay:estimate", args=[org.slug])
    sign = {"tax": "signboard", "kind": "thai_mixed", "changing": "0", "width_cm": "100", "height_cm": "250"}
    page = client.get(url, {**sign, "quarter": "3"}).content.decode()
    assert 'id="estimate-tax">650<' in page and "ไตรมาสที่ 3: เสียร้อยละ 50" in page
    assert 'id="estimate-tax">325<' in client.get(url, {**sign, "quarter": "๔"}).content.decode()
    full = client.get(url, {**sign, "quarter": ""}).content.decode()
    assert 'id="estimate-tax">1,300<' in full and "เสียร้อยละ" not in full
    bad = client.get(url, {**sign, "quarter": "5"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'id="id_quarter_error"' in page and 'id="estimate-result"' not in page
    assert 'name="height_cm" value="250"' in page  # what was typed stays


def test_bill_page_queries_do_not_grow_with_payments(client, bill, django_assert_num_queries):
    from taxpay import selectors

    lookup(client, bill)
    url = reverse("taxpay:bill", args=[bill.organization.slug, bill.number])
    with django_assert_num_queries(3):  # signature; bill with owner + organization + settings; its payments
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):  # rendered already today, signature remembered
        assert client.get(url).status_code == 200
    selectors.BILL_PAGE_SIGNATURE.forget_local()
    from django.core.cache import cache

    cache.delete(selectors.BILL_PAGE_SIGNATURE.cache_key(f"{bill.organization.slug}:{bill.number}"))
    with django_assert_num_queries(1):  # signature read again: same state, same rendered content
        assert client.get(url).status_code == 200
    for day in (1, 2, 3):
        services.record_payment(bill=bill, amount=D("100"), paid_on=dt.date(2025, 3, day), method="counter")
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_cached_bill_page_never_outlives_a_payment_or_a_correction(client, bill):
    from taxpay import selectors
    from taxpay.models import Bill

    lookup(client, bill)
    url = reverse("taxpay:bill", args=[bill.organization.slug, bill.number])
    before = client.get(url).content.decode()
    assert 'id="ref2">256801' in before and "receipt-link" not in before
    # a payment (through the service, wherever it runs) makes the page's signature change at once
    payment, _ = services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1), method="counter")
    after = client.get(url).content.decode()
    assert payment.receipt_number in after and 'id="ref2">256802' in after
    new = services.correct_bill(bill=bill, reason="แก้ไขราคาประเมิน")
    corrected = client.get(url).content.decode()
    assert "ฉบับแก้ไขที่" in corrected and new.version == 2
    # the signature is what the ORM says about the current version and its payments
    row = (Bill.objects.filter(pk=new.pk).annotate(n=Count("payments"), last=Max("payments__pk"),
                                                   void=Count("payments__voided_at"))
           .values_list("pk", "n", "last", "void").get())
    assert selectors.bill_page_signature(bill.organization.slug, bill.number) == ".".join(map(str, row))
    assert selectors.bill_page_signature(bill.organization.slug, "LB0") is None


def test_cached_bill_page_follows_the_language_and_the_day(client, bill, monkeypatch):
    lookup(client, bill)
    url = reverse("taxpay:bill", args=[bill.organization.slug, bill.number])
    assert "การคำนวณภาษี" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "การคำนวณภาษี" not in english
    del client.cookies["django_language"]
    monkeypatch.setattr(services.clock, "today", lambda: dt.date(2025, 8, 15))  # past every instalment: charges
    late = client.get(url).content.decode()
    assert "เกินกำหนดชำระ" in late


def test_odd_urls_are_404_not_500(client, bill):
    slug = bill.organization.slug
    assert client.get(f"/{slug}/tax/receipt/RC%00X.pdf").status_code == 404
    assert client.get(f"/{slug}/tax/verify/a%00b/").status_code == 404
    assert client.get(f"/{slug}/tax/bill/LB%002568/").status_code == 404
    assert lookup(client, bill, number="LB\x002568").status_code == 400


def test_lookup_limited_per_bill_number_across_addresses(client, bill, settings):
    """Ten wrong tries of one bill number from ten addresses (IPv6 makes them cheap) close that number's
    lookups for the hour, even with the right digits from a new address; other bills stay open."""
    settings.RATELIMIT_ENABLE = True
    url = reverse("taxpay:index", args=[bill.organization.slug])
    for n in range(10):
        response = client.post(url, {"number": bill.number, "id_last4": f"{n:04d}"},
                               REMOTE_ADDR=f"2001:db8:{n}::1")
        assert response.status_code == 400
    refused = client.post(url, {"number": bill.number, "id_last4": "3450"}, REMOTE_ADDR="2001:db8:99::1")
    assert refused.status_code == 429 and "ลองใหม่" in refused.content.decode()
    other = make_bill(bill.organization)
    digits = "0000"  # the other owner's ID is unknown here: a wrong try of another number is a 400, not a 429
    assert client.post(url, {"number": other.number, "id_last4": digits},
                       REMOTE_ADDR="2001:db8:99::1").status_code == 400


def test_ipv6_addresses_of_one_subscriber_share_the_per_address_limit(client, bill, settings):
    settings.RATELIMIT_ENABLE = True
    settings.TAXPAY_LOOKUP_BILL_RATE = "100/h"
    url = reverse("taxpay:index", args=[bill.organization.slug])
    codes = [client.post(url, {"number": bill.number, "id_last4": f"{n:04d}"},
                         REMOTE_ADDR=f"2001:db8:7:1::{n + 1:x}").status_code for n in range(21)]
    assert codes[:20] == [400] * 20 and codes[20] == 429


def test_instalment_table_says_what_scrolls_into_view(client, bill):
    """The instalment table's scroll cue names its hidden columns (paid, surcharge, interest), not "other years"."""
    page = client.get(lookup(client, bill)["Location"]).content.decode()
    cue = re.search(r'data-scroll-cue="([^"]*)"><table class="lines" id="instalments"', page).group(1)
    assert "ยอดที่ชำระแล้ว" in cue and "ปีอื่น" not in cue, cue
