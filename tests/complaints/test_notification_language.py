"""Complaint notifications follow the language of the page the complaint was filed on."""

import pytest
from django.utils import translation

from complaints import services
from portal.models import Notification

from .factories import make_complaint

pytestmark = pytest.mark.django_db


def test_filed_in_english_told_in_english_even_by_thai_staff(org):
    with translation.override("en"):
        complaint = make_complaint(org, contact_phone="0812345678", notify_channel="sms", pdpa_consent=True)
    assert complaint.language == "en"
    with translation.override("th"):
        services.change_status(complaint=complaint, to_status="accepted")
    received, status = Notification.objects.filter(related_id=str(complaint.pk)).order_by("pk")
    assert received.language == status.language == "en"
    assert "received" in received.subject
    assert 'changed to "accepted"' in status.body, status.body


def test_filed_in_thai_told_in_thai_even_by_english_staff(org):
    complaint = make_complaint(org, contact_phone="0812345678", notify_channel="sms", pdpa_consent=True)
    assert complaint.language == "th"
    with translation.override("en"):
        services.change_status(complaint=complaint, to_status="accepted")
    status = Notification.objects.filter(event="complaint_status").get()
    assert status.language == "th" and "“รับเรื่องไว้พิจารณา”" in status.body, status.body


def test_staff_filing_for_a_citizen_default_to_thai(org):
    from tests.portal.factories import staff

    with translation.override("en"):
        complaint = make_complaint(org, filed_by=staff(org, "complaint_officer"))
        asked = make_complaint(org, filed_by=staff(org, "complaint_officer"), language="en")
    assert complaint.language == "th" and asked.language == "en"
