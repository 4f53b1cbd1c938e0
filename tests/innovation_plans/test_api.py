import pytest

from innovation_plans import services
from innovation_plans.models import Plan
from portal.models import Role
from tests.innovation_plans.factories import make_plan, make_tenant_objects
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def test_plans_public_published_only_and_filters(client, org, other_org):
    published = make_plan(org)
    draft = make_plan(org, status=Plan.Status.DRAFT, start=2568, end=2572)
    other = make_plan(other_org, start=2568, end=2572)
    ids = {p["id"] for p in client.get("/api/innovation-plans/plans/").json()["results"]}
    assert ids == {published.pk, other.pk}
    ids = {p["id"] for p in client.get(f"/api/innovation-plans/plans/?organization={org.slug}").json()["results"]}
    assert ids == {published.pk}
    ids = {p["id"] for p in client.get("/api/innovation-plans/plans/?fiscal_year=2571").json()["results"]}
    assert ids == {other.pk}
    assert client.get(f"/api/innovation-plans/plans/{draft.pk}/").status_code == 404
    # Staff of the organization see its drafts too.
    client.force_login(staff(org, Role.OFFICER))
    ids = {p["id"] for p in client.get("/api/innovation-plans/plans/?status=draft").json()["results"]}
    assert ids == {draft.pk}


def test_plan_detail_nested(client, org):
    plan = make_plan(org, components=2, activities=2)
    data = client.get(f"/api/innovation-plans/plans/{plan.pk}/").json()
    assert data["organization"] == org.slug and data["budget_total"] == 200000
    assert data["budget_by_year"]["2566"] == 40000
    assert data["components"][0]["activities"][0]["budget_by_year"] == {str(y): 10000 for y in range(2566, 2571)}
    assert data["indicators"][1]["targets"]["2566"] == "ไม่น้อยกว่า ๓ ชิ้น"


def test_activities_filter_by_year_and_status(client, org):
    plan = make_plan(org, components=1, activities=3)
    first = plan.activities.order_by("order").first()
    services.record_monitoring(activity=first, fiscal_year=2567, status="completed", progress_percent=100)
    results = client.get(f"/api/innovation-plans/activities/?organization={org.slug}&fiscal_year=2567"
                         "&status=completed").json()["results"]
    assert [a["id"] for a in results] == [first.pk]
    assert client.get("/api/innovation-plans/activities/?fiscal_year=2590").json()["count"] == 0


def test_monitoring_is_staff_only_and_scoped(client, org, other_org):
    make_tenant_objects(org)
    plan_b = make_tenant_objects(other_org)
    assert client.get("/api/innovation-plans/monitoring/").status_code in (401, 403)
    client.force_login(staff(org, Role.AUDITOR))
    results = client.get("/api/innovation-plans/monitoring/?fiscal_year=2566").json()["results"]
    assert len(results) == 1 and results[0]["organization"] == org.slug
    record_b = plan_b.activities.first().monitoring_records.first()
    assert client.get(f"/api/innovation-plans/monitoring/{record_b.pk}/").status_code == 404


def test_schema_documents_the_endpoints(client):
    body = client.get("/api/schema/").content.decode()
    assert "/api/innovation-plans/plans/" in body and "fiscal_year" in body
