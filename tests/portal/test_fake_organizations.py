"""`make_fake_organizations`: the benchmark data set of many organizations, each a working copy of the demo's slice."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from complaints.models import Category, Complaint
from eservice.models import FormVersion, OpeningHours, Queue, ServiceType
from innovation_plans.models import Activity, Plan
from opendata.models import Dataset, DatasetTerm
from portal.models import Department, Membership, Organization, Role
from taxpay.models import TaxSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo's organizations with khamyai set up as the demo sets it up (the parts the copy takes: departments,
    categories, queues, e-services, tax settings, its plan, live datasets), then five more copied from it; built once
    for the module (the whole load_demo takes a minute on SQLite)."""
    with django_db_blocker.unblock():
        _template()
        call_command("make_fake_organizations", total=8, with_complaints=2, complaints_each=3, batch=2,
                     auditor="auditor-two", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


def _template():
    from complaints import services as complaints
    from complaints.demo import ensure_categories
    from eservice.demo import _queues
    from eservice.requests import services as eservice
    from innovation_plans.demo import load_demo as load_plan
    from opendata import live
    from portal.demo import load_core
    from taxpay import services as taxpay

    organization = load_core()[0]["khamyai"]
    categories = ensure_categories(organization)
    complaints.submit_complaint(organization=organization, category=categories["road"], description="ถนนเป็นหลุม",
                                village="หมู่ 1")
    queues = _queues(organization)
    for key in ("general-request", "water-truck"):
        eservice.create_from_template(organization=organization, template_key=key,
                                      queue=queues[2] if key == "general-request" else None)
    taxpay.ensure_tax_settings(organization)
    taxpay.ensure_tax_year(organization=organization, year=2568)
    load_plan(organization)
    live.refresh_organization(organization)


def _new():
    return list(Organization.objects.exclude(slug__in=["khamyai", "nangrong", "phannanakhon"]).order_by("pk"))


def test_each_new_organization_gets_the_templates_slice_wired_to_itself(built):
    template = Organization.objects.get(slug="khamyai")
    organizations = _new()
    assert len(organizations) == 5 and Organization.objects.count() == 8
    assert len({o.code_prefix for o in Organization.objects.all()}) == 8
    counts = {model: model.objects.filter(**{model.organization_path: template}).count()
              for model in (Department, Category, Queue, OpeningHours, ServiceType, FormVersion, Plan, Activity)}
    live = Dataset.objects.filter(organization=template).exclude(feed_name="").count()
    assert all(counts.values()) and live
    for organization in organizations:
        for model, count in counts.items():
            assert model.objects.filter(**{model.organization_path: organization}).count() == count, model
        assert TaxSettings.objects.filter(organization=organization).exists()
        # every copied reference points into the organization itself, never back to the template
        for service in ServiceType.objects.filter(organization=organization).select_related("current_version"):
            assert service.current_version.service_type_id == service.pk
            assert service.queue_id is None or service.queue.organization_id == organization.pk
        legal = Department.objects.get(organization=organization, code="legal")
        assert legal.parent.organization_id == organization.pk
        assert {a.department.organization_id for a in Activity.objects.filter(plan__organization=organization)
                if a.department_id} <= {organization.pk}
        datasets = Dataset.objects.filter(organization=organization)
        assert datasets.count() == live and all(d.name.startswith(organization.slug) for d in datasets)
        assert not any(template.name_th in d.maintainer or template.slug in d.name for d in datasets)
        assert Membership.objects.filter(organization=organization, role=Role.ADMINISTRATOR,
                                         user__username=f"{organization.slug}-admin").exists()


def test_the_new_organizations_work_as_their_citizens_and_the_catalogue_see_them(built, client):
    organization = _new()[-1]
    home = client.get(f"/{organization.slug}/")
    assert home.status_code == 200 and organization.name_th in home.content.decode()
    catalogue = client.get(f"/{organization.slug}/eservice/")
    assert catalogue.status_code == 200
    assert client.get(f"/{organization.slug}/complaints/new/").status_code == 200
    # its live datasets are found by its own name, through the search words computed for the copy
    found = client.get("/api/3/action/package_search", {"q": organization.subdistrict, "rows": 100}).json()
    names = {d["name"] for d in found["result"]["results"]}
    assert {d.name for d in Dataset.objects.filter(organization=organization)} <= names
    assert DatasetTerm.objects.filter(organization_id=organization.pk).exists()


def test_complaints_and_one_auditor_for_the_first_organizations_and_one_audit_row(built):
    first, second, *rest = _new()
    assert Complaint.objects.filter(organization=first).count() == 3
    assert Complaint.objects.filter(organization=second).count() == 3
    assert not Complaint.objects.filter(organization__in=rest).exists()
    audited = set(Membership.objects.filter(user__username="auditor-two", role=Role.AUDITOR)
                  .values_list("organization_id", flat=True))
    assert audited == {first.pk, second.pk}
    row = LogEntry.objects.get(additional_data__event="portal.fake_organizations.generated")
    assert row.additional_data["actor"] == "system:command:make_fake_organizations"
    assert row.additional_data["count"] == 5


def test_a_second_run_adds_nothing_when_the_total_is_reached(built):
    out = io.StringIO()
    call_command("make_fake_organizations", total=8, stdout=out)
    assert Organization.objects.count() == 8 and "already" in out.getvalue()
