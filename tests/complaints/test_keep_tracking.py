"""After filing, the tracking page says what to keep and sends the code to a contact the reporter gave (never to
another), at most three times an hour per report."""

import pytest
from django.urls import reverse

from portal.models import Notification
from portal.notifications.sms import LocmemSMSBackend

from .factories import make_complaint

pytestmark = pytest.mark.django_db


def test_new_complaint_page_offers_to_send_the_code(client, org, django_capture_on_commit_callbacks):
    complaint = make_complaint(org, contact_phone="0812345678", notify_channel="", pdpa_consent=True)
    page = client.get(complaint.get_absolute_url() + "?new=1").content.decode()
    assert 'id="keep"' in page and "08x-xxx-5678" in page and "line.me/R/share" in page
    assert "0812345678" not in page
    url = reverse("complaints:send-details", args=[org.slug, complaint.tracking_code])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"via": "sms"}).status_code == 302
    sms = LocmemSMSBackend.outbox[-1]
    assert sms["to"] == "0812345678" and complaint.tracking_code in sms["text"]
    assert client.post(url, {"via": "email"}).status_code == 400  # no e-mail was given
    # every asking counts, the refused e-mail too: three an hour per report, then 429
    assert client.post(url, {"via": "sms"}).status_code == 302
    assert client.post(url, {"via": "sms"}).status_code == 429
    assert Notification.objects.filter(event="complaint_keep").count() == 2
