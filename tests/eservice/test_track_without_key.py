"""The tracking page read with the code alone (anyone who has seen or guessed it) shows the status and dates, never
the decision reason, staff messages or what the applicant filed; the applicant's private link shows them all."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from eservice.requests import services

from .factories import make_request

pytestmark = pytest.mark.django_db

REASON = "ที่ดินแปลงนี้เป็นของนางสมหญิง รักษ์ดี ไม่ใช่ของผู้ยื่น"


def _decided(org):
    request_obj = make_request(org, applicant_name="สมชาย ใจดี", answers={"subject": "ขอหนังสือรับรองที่ดิน",
                                                                           "detail": "บ้านเลขที่ 99/1 หมู่ 3"})
    services.change_status(request_obj=request_obj, to_status="checking", note="ตรวจเอกสารของนายสมชาย")
    services.change_status(request_obj=request_obj, to_status="rejected", note=REASON)
    request_obj.refresh_from_db()
    return request_obj


def test_without_the_private_key_no_reason_and_no_personal_data(org):
    request_obj = _decided(org)
    url = reverse("eservice:track", args=[org.slug, request_obj.tracking_code])
    page = Client().get(url).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "ไม่อนุมัติ" in text  # the status is public
    for private in (REASON, "สมหญิง", "สมชาย", "ตรวจเอกสารของนาย", "99/1", "ขอหนังสือรับรองที่ดิน"):
        assert private not in page, private


def test_with_the_private_link_the_applicant_sees_the_reason(org):
    request_obj = _decided(org)
    client = Client()
    url = reverse("eservice:track", args=[org.slug, request_obj.tracking_code])
    response = client.get(url + f"?k={request_obj.access_key}")
    assert response.status_code == 302  # the key leaves the address bar
    page = client.get(response["Location"]).content.decode()
    assert REASON in page and "ตรวจเอกสารของนายสมชาย" in page and "99/1" in page
