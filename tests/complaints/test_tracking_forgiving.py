"""Tracking that forgives what citizens type, rating from the tracking page, absolute notification links."""

import pytest
from django.test import override_settings
from django.urls import reverse

from complaints import selectors, services
from complaints.demo import ensure_categories
from complaints.models import Complaint, Rating
from portal.models import Notification

from .factories import make_complaint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", [
    "KY-2568-7F3K9Q", "ky-2568-7f3k9q", " KY 2568 7F3K9Q ", "KY25687F3K9Q", "ky-๒๕๖๘-7f3k9q", "KY–2568—7F3K9Q",
    "ky 2568-7f3k9q", "KY_2568.7F3K9Q",
])
def test_clean_tracking_code_forgives(typed):
    assert selectors.clean_tracking_code(typed) == "KY-2568-7F3K9Q"


@pytest.mark.parametrize("typed", ["", "\x00", "<script>", "ก-2568-ABCDEF", "x" * 40])
def test_clean_tracking_code_refuses_what_is_not_a_code(typed):
    assert selectors.clean_tracking_code(typed) == ""


def test_typed_variants_find_the_complaint(client, org):
    complaint = make_complaint(org)
    prefix, year, body = complaint.tracking_code.split("-")
    thai_year = year.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    for typed in (f"{prefix}{year}{body}".lower(), f"{prefix} {thai_year} {body}", f" {complaint.tracking_code.lower()} "):
        response = client.get(reverse("complaints:index", args=[org.slug]), {"code": typed}, follow=True)
        assert response.status_code == 200, typed
        assert complaint.tracking_code in response.content.decode()


def test_passphrase_accepts_spaces_case_and_no_separator(org):
    cats = ensure_categories(org)
    complaint, passphrase = services.submit_corruption_report(
        organization=org, category=cats["corruption"], description="เรียกรับเงินใต้โต๊ะ", pdpa_consent=True)
    assert len(passphrase) == 19
    assert services.check_passphrase(complaint, passphrase.replace("-", " ").upper())
    assert services.check_passphrase(complaint, passphrase.replace("-", ""))
    assert services.check_passphrase(complaint, f"  {passphrase}  ")
    assert not services.check_passphrase(complaint, passphrase[:-1] + ("2" if passphrase[-1] != "2" else "3"))


def test_integrity_status_takes_a_loosely_typed_code(client, org):
    cats = ensure_categories(org)
    complaint, passphrase = services.submit_corruption_report(
        organization=org, category=cats["corruption"], description="เรียกรับเงินใต้โต๊ะ", pdpa_consent=True)
    response = client.post(reverse("complaints:integrity-status", args=[org.slug]), {
        "code": complaint.tracking_code.replace("-", " ").lower(), "passphrase": passphrase.replace("-", " ")})
    assert response.status_code == 200
    assert 'id="status"' in response.content.decode()


def test_anonymous_complainant_rates_and_asks_to_reopen_from_tracking_page(client, org):
    complaint = make_complaint(org)  # no phone, no e-mail: no rating link was ever sent
    page = client.get(complaint.get_absolute_url())
    assert 'id="submit-rating"' not in page.content.decode()  # not before the work is done
    services.change_status(complaint=complaint, to_status="accepted")
    services.change_status(complaint=complaint, to_status="resolved", note="ซ่อมแล้ว")
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert 'id="submit-rating"' in page
    rate_url = reverse("complaints:rate", args=[org.slug, Complaint.objects.get().rating_token])
    assert rate_url in page
    response = client.post(rate_url, {"score": "1", "comment": "ยังดับอยู่"})
    assert response.status_code == 200
    rating = Rating.objects.get(complaint=complaint)
    assert rating.reopen_requested
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert 'id="submit-rating"' not in page and "1/5" in page


def test_copy_button_on_tracking_page(client, org):
    complaint = make_complaint(org)
    page = client.get(complaint.get_absolute_url() + "?new=1").content.decode()
    assert f'data-copy="{complaint.tracking_code}"' in page


@override_settings(PORTAL_BASE_URL="", ALLOWED_HOSTS=["portal.example.go.th", "testserver"])
def test_notification_links_absolute_from_request_host(client, org):
    cats = ensure_categories(org)
    response = client.post(reverse("complaints:new", args=[org.slug]), {
        "category": cats["street_light"].pk, "description": "ไฟถนนดับทั้งซอย", "latitude": "16.4321",
        "longitude": "102.8231", "contact_email": "c@example.com", "notify_channel": "email", "pdpa_consent": "on"},
        HTTP_HOST="portal.example.go.th", secure=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    note = Notification.objects.get(recipient="c@example.com")
    assert f"https://portal.example.go.th{complaint.get_absolute_url()}" in note.body


@override_settings(PORTAL_BASE_URL="https://city.example.go.th/")
def test_notification_links_use_the_setting_when_set(org):
    complaint = make_complaint(org, contact_email="c@example.com", notify_channel="email", pdpa_consent=True)
    note = Notification.objects.get(recipient="c@example.com")
    assert f"https://city.example.go.th{complaint.get_absolute_url()}" in note.body
