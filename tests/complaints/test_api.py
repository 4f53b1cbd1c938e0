import pytest

from complaints import services
from complaints.demo import ensure_categories
from portal.models import Role
from tests.portal.factories import staff

from .factories import make_complaint

pytestmark = pytest.mark.django_db


def test_staff_api_scoped_and_transitions(client, org, other_org):
    cats = ensure_categories(org)
    mine = make_complaint(org, cats["garbage"])
    theirs = make_complaint(other_org)
    secret, _ = services.submit_corruption_report(organization=org, category=cats["corruption"], description="ลับ")
    client.force_login(staff(org, Role.OFFICER))
    listing = client.get("/api/complaints/").json()
    codes = [c["tracking_code"] for c in listing["results"]]
    assert codes == [mine.tracking_code]
    assert client.get(f"/api/complaints/{theirs.tracking_code}/").status_code == 404
    assert client.get(f"/api/complaints/{secret.tracking_code}/").status_code == 404
    ok = client.post(f"/api/complaints/{mine.tracking_code}/transition/", {"to_status": "accepted"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    bad = client.post(f"/api/complaints/{mine.tracking_code}/transition/", {"to_status": "submitted"},
                      content_type="application/json")
    assert bad.status_code == 400 and "ไม่สามารถ" in bad.json()["detail"]


def test_auditor_cannot_change_and_anonymous_cannot_list(client, org):
    complaint = make_complaint(org)
    assert client.get("/api/complaints/").status_code in (401, 403)
    client.force_login(staff(org, Role.AUDITOR))
    response = client.post(f"/api/complaints/{complaint.tracking_code}/transition/", {"to_status": "accepted"},
                           content_type="application/json")
    assert response.status_code == 403


def test_public_categories_and_openapi(client, org):
    ensure_categories(org)
    codes = [c["code"] for c in client.get("/api/complaint-categories/").json()["results"]]
    assert "garbage" in codes and "corruption" not in codes
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/complaints/{tracking_code}/transition/" in schema.content
