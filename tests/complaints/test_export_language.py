"""Staff exports speak the requester's language: Thai headings by default, English alone when chosen (issue 9.2)."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from complaints.demo import ensure_categories
from eservice.admin import EXPORT_HEADER
from portal.models import Role
from tests.portal.factories import staff

from .factories import make_complaint

pytestmark = pytest.mark.django_db
THAI = re.compile("[\u0e00-\u0e7f]")


def _exports(client, complaint):
    url = reverse("admin:complaints_complaint_changelist")
    csv_body = client.post(url, {"action": "export_csv", "_selected_action": [complaint.pk]}).content
    header = csv_body.decode("utf-8-sig").splitlines()[0].split(",")
    book = load_workbook(io.BytesIO(
        client.post(url, {"action": "export_xlsx", "_selected_action": [complaint.pk]}).content))
    sheet = book.active
    return header, [c.value for c in sheet[1]], sheet.title


@pytest.mark.parametrize("language", ["th", "en"])
def test_complaint_export_headings_follow_the_language(org, language):
    complaint = make_complaint(org, ensure_categories(org)["road"])
    client = Client()
    client.force_login(staff(org, Role.OFFICER))
    if language == "en":
        client.cookies["django_language"] = "en"
    csv_header, xlsx_header, title = _exports(client, complaint)
    assert csv_header == xlsx_header and len(csv_header) == 15
    for heading in [*csv_header, title]:
        assert bool(THAI.search(heading)) == (language == "th"), heading
    if language == "en":
        assert csv_header[0] == "Tracking code" and "Assignee" in csv_header
    else:
        assert csv_header[0] == "รหัสติดตาม"


def test_eservice_export_headings_have_english():
    with translation.override("en"):
        headings = [str(h) for h in EXPORT_HEADER]
    assert not [h for h in headings if THAI.search(h)], headings
