"""M&E evidence and generated reports are private files: outside MEDIA_ROOT, random names, served only through
permission-checked views (issue 7.11)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innovation_plans import services
from portal.models import Role
from tests.portal.factories import OrganizationFactory, staff

from .factories import make_plan

pytestmark = pytest.mark.django_db


def _evidence(org):
    plan = make_plan(org, components=1, activities=1)
    record = services.record_monitoring(activity=plan.activities.first(), fiscal_year=2566, status="completed",
                                        progress_percent=100, actual_spend=5000, methods=["documents"])
    return services.add_evidence(record=record, upload=SimpleUploadedFile("รายงานผล-คำใหญ่.pdf", b"%PDF-1.4\n%x\n"),
                                 title="หลักฐาน")


def test_evidence_is_stored_privately_under_a_random_name(org, settings, client):
    evidence = _evidence(org)
    assert evidence.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "คำใหญ่" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert evidence.content_type == "application/pdf"
    assert client.get("/media/" + evidence.file.name).status_code == 404


def test_evidence_download_checks_the_role_in_the_plans_organization(org):
    evidence = _evidence(org)
    url = reverse("innovation-plans-evidence", args=[evidence.pk])
    assert Client().get(url).status_code == 302  # to the login page
    stranger = Client()
    stranger.force_login(staff(OrganizationFactory(), Role.ADMINISTRATOR))
    assert stranger.get(url).status_code == 404
    auditor = Client()
    auditor.force_login(staff(org, Role.AUDITOR))
    response = auditor.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_admin_inline_links_to_the_download_view_and_saves_through_the_service(org):
    evidence = _evidence(org)
    admin = Client()
    admin.force_login(staff(org, Role.ADMINISTRATOR))
    page = admin.get(reverse("admin:innovation_plans_monitoringrecord_change", args=[evidence.record_id]))
    assert page.status_code == 200
    assert reverse("innovation-plans-evidence", args=[evidence.pk]) in page.content.decode()
