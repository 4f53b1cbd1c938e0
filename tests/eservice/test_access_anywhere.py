"""A request followed from any device: after applying the page says what to keep and can send it; another browser
sees the status only until it proves to be the requester's (a one-time code to the phone or e-mail given, or the
last four digits of the ID filed with). Codes come from a patched generator: nothing depends on chance."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eservice.models import ServiceRequest
from eservice.requests import services
from eservice.workflow import Status
from portal.access import otp
from portal.models import Role
from portal.notifications.sms import LocmemSMSBackend
from tests.audit import rows_for
from tests.portal.factories import staff

from .factories import VALID_ID, make_request, png_bytes, service_with_template
from .test_views import permit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_codes(monkeypatch):
    issued = iter(["246810", "135791", "112233", "445566"])
    monkeypatch.setattr(otp, "new_code", lambda: next(issued))


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Run the outbox's after-commit delivery inside the test's transaction."""
    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)
    return post


def _urls(org, request_obj):
    code = request_obj.tracking_code
    return (reverse("eservice:track", args=[org.slug, code]), reverse("eservice:track-access", args=[org.slug, code]))


def _decided(org, **kwargs):
    officer = staff(org, Role.OFFICER)
    request_obj = make_request(org, **kwargs)
    services.change_status(request_obj=request_obj, to_status=Status.CHECKING, actor=officer)
    services.change_status(request_obj=request_obj, to_status=Status.REJECTED,
                           note="ที่ดินแปลงนี้อยู่ในเขตห้ามก่อสร้าง", actor=officer)
    return request_obj


def test_after_applying_the_page_says_what_to_keep_and_the_receipt_downloads(client, org):
    service_with_template(org, "building-permit")
    response = client.post(reverse("eservice:form", args=[org.slug, "building-permit"]), permit_data())
    assert response.status_code == 302 and response["Location"].endswith("?new=1")
    request_obj = ServiceRequest.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'id="keep"' in page and request_obj.tracking_code in page
    assert f"?k={request_obj.access_key}" in page  # the private link, to keep
    assert 'id="receipt-download"' in page and "download=1" in page
    assert "08x-xxx-5678" in page and "line.me/R/share" in page  # send by SMS (to the phone given) or LINE
    receipt = client.get(reverse("eservice:receipt", args=[org.slug, request_obj.tracking_code]), {"download": "1"})
    assert receipt.status_code == 200 and receipt["Content-Disposition"].startswith("attachment;")


def test_send_details_goes_only_to_a_contact_given(client, org, delivered):
    request_obj = make_request(org)
    track_url, _ = _urls(org, request_obj)
    client.get(track_url, {"k": request_obj.access_key})
    send_url = reverse("eservice:send-details", args=[org.slug, request_obj.tracking_code])
    assert delivered(client, send_url, {"via": "sms"}).status_code == 302
    sms = LocmemSMSBackend.outbox[-1]
    assert sms["to"] == "0812345678" and request_obj.tracking_code in sms["text"]
    assert request_obj.access_key in sms["text"]
    assert delivered(client, send_url, {"via": "line"}).status_code == 400
    assert Client().post(send_url, {"via": "sms"}).status_code == 403  # a stranger cannot make it send


def test_without_access_the_page_shows_the_status_only(org):
    request_obj = _decided(org)
    track_url, _ = _urls(org, request_obj)
    page = Client().get(track_url).content.decode()
    assert "ไม่อนุมัติ" in page  # the status
    for private in ("ที่ดินแปลงนี้อยู่ในเขตห้ามก่อสร้าง", "สมชาย", "0812345678", "a@example.com",
                    request_obj.access_key):
        assert private not in page
    assert 'id="access"' in page and "08x-xxx-5678" in page and "a***@example.com" in page


def test_regain_access_with_a_one_time_code_by_sms(org, fixed_codes, delivered):
    officer = staff(org, Role.OFFICER)
    request_obj = make_request(org)
    services.ask_for_documents(request_obj=request_obj, message="กรุณาแนบสำเนาทะเบียนบ้าน",
                               items=["สำเนาทะเบียนบ้าน"], actor=officer)
    track_url, access_url = _urls(org, request_obj)
    phone = Client()
    assert 'name="doc_0"' not in phone.get(track_url).content.decode()
    assert delivered(phone, access_url, {"action": "send", "via": "sms"}).status_code == 302
    assert LocmemSMSBackend.outbox[-1]["to"] == "0812345678" and "246810" in LocmemSMSBackend.outbox[-1]["text"]
    page = phone.get(track_url).content.decode()
    assert 'id="otp-code"' in page
    assert phone.post(access_url, {"action": "code", "code": "000000"}).status_code == 400
    assert phone.post(access_url, {"action": "code", "code": "๒๔๖๘๑๐"}).status_code == 302
    page = phone.get(track_url).content.decode()
    assert 'name="doc_0"' in page and 'id="keep"' in page
    doc_request = request_obj.document_requests.get()
    upload = reverse("eservice:upload", args=[org.slug, request_obj.tracking_code, doc_request.pk])
    assert phone.post(upload, {"doc_0": SimpleUploadedFile("h.png", png_bytes())}).status_code == 302
    row = rows_for(request_obj, "eservice.request.access").get()
    assert row.additional_data["via"] == "one-time code"


def test_regain_access_by_email(org, fixed_codes, delivered):
    request_obj = make_request(org)
    track_url, access_url = _urls(org, request_obj)
    laptop = Client()
    delivered(laptop, access_url, {"action": "send", "via": "email"})
    assert mail.outbox[-1].to == ["a@example.com"] and "246810" in mail.outbox[-1].body
    assert laptop.post(access_url, {"action": "code", "code": "246810"}).status_code == 302
    assert laptop.get(reverse("eservice:receipt", args=[org.slug, request_obj.tracking_code])).status_code == 200


def test_a_code_asked_in_one_browser_does_not_open_another(org, fixed_codes, delivered):
    request_obj = make_request(org)
    _track_url, access_url = _urls(org, request_obj)
    delivered(Client(), access_url, {"action": "send", "via": "sms"})
    assert Client().post(access_url, {"action": "code", "code": "246810"}).status_code == 400


def test_codes_to_one_phone_are_limited(org, fixed_codes, delivered):
    request_obj = make_request(org)
    _track_url, access_url = _urls(org, request_obj)
    limit = int(otp.PER_CONTACT_RATES[0].split("/")[0])
    for i in range(limit):
        assert delivered(Client(REMOTE_ADDR=f"10.1.0.{i}"), access_url,
                         {"action": "send", "via": "sms"}).status_code == 302
    refused = delivered(Client(REMOTE_ADDR="10.1.1.1"), access_url, {"action": "send", "via": "sms"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert len(LocmemSMSBackend.outbox) == limit


def test_regain_access_with_the_ids_last_four_digits(client, org):
    service_with_template(org, "building-permit")
    client.post(reverse("eservice:form", args=[org.slug, "building-permit"]), permit_data())
    request_obj = ServiceRequest.objects.get()
    track_url, access_url = _urls(org, request_obj)
    other = Client()
    assert 'id="id-digits"' in other.get(track_url).content.decode()
    assert other.post(access_url, {"action": "id", "digits": "1234"}).status_code == 400
    assert other.post(access_url, {"action": "id", "digits": VALID_ID[-4:]}).status_code == 302
    assert 'id="keep"' in other.get(track_url).content.decode()


def test_id_digit_guesses_are_limited_per_request_from_any_address(org):
    request_obj = make_request(org, citizen_id=VALID_ID)
    _track_url, access_url = _urls(org, request_obj)
    statuses = [Client(REMOTE_ADDR=f"10.2.0.{i}").post(access_url, {"action": "id", "digits": f"{i:04d}"}).status_code
                for i in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    # now even the right digits wait for the window to pass
    assert Client(REMOTE_ADDR="10.3.0.1").post(access_url, {"action": "id", "digits": VALID_ID[-4:]}).status_code == 429


def test_no_id_filed_means_no_digit_check(org):
    request_obj = make_request(org)
    track_url, access_url = _urls(org, request_obj)
    assert 'id="id-digits"' not in Client().get(track_url).content.decode()
    assert Client().post(access_url, {"action": "id", "digits": "0000"}).status_code == 400


@pytest.mark.parametrize("typed", ["lower", "nodash"])
def test_a_code_in_any_form_reaches_the_page(client, org, typed):
    request_obj = make_request(org)
    code = request_obj.tracking_code
    shown = code.lower() if typed == "lower" else code.replace("-", "")
    response = client.get(reverse("eservice:track-lookup", args=[org.slug]), {"code": shown})
    assert response.status_code == 302
    response = client.get(response["Location"])
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200 and code in response.content.decode()
