"""Anonymous input that used to answer 500 answers 400 with a message; C0 control characters never reach a row."""

import pytest
from django.urls import reverse

from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.inputs.text import strip_controls
from portal.open311.services import create_api_key

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 250 + "@example.com"  # 262 characters: valid syntax, longer than the column


@pytest.fixture
def open311(org):
    cats = ensure_categories(org)
    _key, raw = create_api_key(organization=org, name="test", actor=None)
    base = {"jurisdiction_id": org.slug, "api_key": raw, "service_code": cats["street_light"].code,
            "lat": "16.4321", "long": "102.8231", "description": "ไฟดับ"}
    return org, cats, base


def _web_form(category, **extra):
    data = {"category": category.pk, "description": "ไฟถนนดับทั้งซอย", "latitude": "16.4321",
            "longitude": "102.8231", "village": "หมู่ 2", "notify_channel": ""}
    data.update(extra)
    return data


def test_open311_nan_and_infinite_coordinates_are_400(client, open311):
    _org, _cats, base = open311
    for value in ("NaN", "nan", "Infinity", "-inf", "sNaN", "1e999999"):
        response = client.post("/open311/v2/requests.json", {**base, "lat": value})
        assert response.status_code == 400, (value, response.status_code)
        assert response.json()[0]["description"]
    assert Complaint.objects.count() == 0


def test_overlong_email_is_400_everywhere(client, open311):
    org, cats, base = open311
    response = client.post("/open311/v2/requests.json", {**base, "email": LONG_EMAIL})
    assert response.status_code == 400 and response.json()[0]["description"]
    url = reverse("complaints:new", args=[org.slug])
    response = client.post(url, _web_form(cats["street_light"], contact_email=LONG_EMAIL, notify_channel="email",
                                          pdpa_consent="on"))
    assert response.status_code == 400
    assert "ไฟถนนดับทั้งซอย" in response.content.decode()  # what was typed is still in the form
    assert Complaint.objects.count() == 0


def test_overlong_email_on_the_staff_form_is_400(client, org):
    from portal.models import Role
    from tests.portal.factories import staff

    cats = ensure_categories(org)
    client.force_login(staff(org, Role.OFFICER))
    response = client.post(reverse("admin:complaints_complaint_file"), {
        "category": cats["street_light"].pk, "description": "โทรมาแจ้ง", "channel": "phone", "address": "หมู่ 1",
        "contact_email": LONG_EMAIL, "notify_channel": "email", "pdpa_consent": "on"})
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("params", [
    {"start_date": "2024-02-30T00:00:00"},
    {"start_date": "2024-01-01T25:00:00"},
    {"start_date": "2024-01-01T00:00:00+25:00"},
    {"end_date": "0001-01-01T00:00:00"},
    {"start_date": "9999-12-31T23:59:59"},
    {"start_date": "9999-12-31T23:59:59", "end_date": "9999-12-31T23:59:59"},
])
def test_open311_impossible_dates_are_400(client, org, params):
    response = client.get("/open311/v2/requests.json", {"jurisdiction_id": org.slug, **params})
    assert response.status_code == 400, response.content[:300]
    assert response.json()[0]["description"]


def test_nul_in_query_strings_and_post_fields_is_400_with_a_message(client, org):
    ensure_categories(org)
    for url in ("/?q=%00", f"/{org.slug}/complaints/new/?asset=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "อักขระ" in response.content.decode()
    response = client.post(reverse("complaints:new", args=[org.slug]), {"asset": "\x00"})
    assert response.status_code == 400


def test_control_characters_are_stripped_from_form_input(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    response = client.post(url, _web_form(cats["street_light"], description="a\x01\x02\x0b\x1bไฟดับ\tมาก\nจริง"))
    assert response.status_code == 302
    assert Complaint.objects.get().description == "aไฟดับ\tมาก\nจริง"


def test_control_characters_never_break_requests_xml(client, open311):
    org, _cats, base = open311
    response = client.post("/open311/v2/requests.json", {**base, "description": "a\x01\x02\x0b\x1bb"})
    assert response.status_code in (200, 201)
    assert Complaint.objects.get().description == "ab"
    # a row written before the fix, straight into the table
    Complaint.objects.update(description="old\x01\x1brow")
    from xml.etree import ElementTree

    xml = client.get("/open311/v2/requests.xml", {"jurisdiction_id": org.slug}).content
    ElementTree.fromstring(xml)  # well-formed


def test_control_characters_are_stripped_from_api_json(client, org):
    from portal.models import Role
    from tests.complaints.factories import make_complaint
    from tests.portal.factories import staff

    complaint = make_complaint(org)
    client.force_login(staff(org, Role.OFFICER))
    response = client.post(f"/api/complaints/{complaint.tracking_code}/reply/",
                           {"message": "ok\x07\x1b done", "public": False}, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert complaint.updates.get().message == "ok done"
    response = client.post(f"/api/complaints/{complaint.tracking_code}/reply/",
                           {"message": "nul\x00", "public": False}, content_type="application/json")
    assert response.status_code == 400


def test_strip_controls_keeps_tab_newline_and_thai():
    assert strip_controls("ก\tข\r\nค\x00\x01\x7f\x1fง") == "ก\tข\r\nค\x00ง"
