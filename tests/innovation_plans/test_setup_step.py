"""The innovation-plan step of the clerk's set-up wizard (innovation_plans/setup.py through
ServiceAppConfig.setup_steps): the plan document read by the app's importer and saved as a draft through
services.import_plan naming the clerk; a file that is not a plan, or the same plan twice, is a 400 with the
importer's message; skipped and resumed; the organization's administrators only."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from innovation_plans.models import Activity, Plan
from portal.models import OrganizationSetup, Role
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db
STEP = "innovation_plans-plan"
FIXTURES = Path(__file__).parent / "fixtures"


def _url(organization):
    return f"/{organization.slug}/setup/{STEP}/"


def _file(name):
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/markdown")


def test_the_plan_document_is_imported_as_a_draft_named_for_the_clerk(clerk, clerk_user, new_org):
    response = clerk.post(_url(new_org), {"document": _file("component_plan.md")})
    assert response.status_code == 302 and response["Location"] == f"/{new_org.slug}/setup/eservice-templates/"
    plan = Plan.objects.get(organization=new_org)
    assert plan.status == Plan.Status.DRAFT and (plan.fiscal_year_start, plan.fiscal_year_end) == (2567, 2569)
    assert Activity.objects.filter(plan=plan).count() == 4 and plan.source_document
    assert plan.imported_by == clerk_user
    row = LogEntry.objects.get(additional_data__event="innovation_plans.plan.imported")
    assert row.actor_id == clerk_user.pk
    assert STEP in OrganizationSetup.objects.get(organization=new_org).steps_done
    # coming back names the plan imported
    assert plan.title in clerk.get(_url(new_org)).content.decode()


def test_the_same_plan_twice_is_a_400_and_nothing_changes(clerk, new_org):
    clerk.post(_url(new_org), {"document": _file("component_plan.md")})
    again = clerk.post(_url(new_org), {"document": _file("component_plan.md")})
    assert again.status_code == 400 and "นำเข้าแล้ว" in again.content.decode()
    assert Plan.objects.filter(organization=new_org).count() == 1


def test_a_file_that_is_not_a_plan_is_a_400_with_the_importers_message(clerk, new_org):
    response = clerk.post(_url(new_org), {"document": _file("bad_not_a_plan.txt")})
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    empty = clerk.post(_url(new_org), {"document": SimpleUploadedFile("plan.txt", b"   ")})
    assert empty.status_code == 400
    assert not Plan.objects.filter(organization=new_org).exists()
    assert STEP not in OrganizationSetup.objects.get(organization=new_org).steps_done


def test_skipping_imports_nothing(clerk, new_org):
    assert clerk.post(_url(new_org), {"skip": "1"}).status_code == 302
    assert not Plan.objects.filter(organization=new_org).exists()
    assert STEP in OrganizationSetup.objects.get(organization=new_org).steps_skipped


def test_another_organizations_clerk_is_refused(new_org):
    client = Client()
    client.force_login(staff(OrganizationFactory(), Role.ADMINISTRATOR))
    assert client.post(_url(new_org), {"document": _file("component_plan.md")}).status_code == 403
    assert not Plan.objects.filter(organization=new_org).exists()


def test_outside_a_request_the_rows_still_name_the_clerk(clerk_user, new_org):
    """No request middleware to name who acts (a command, a script): the step's save names its actor itself."""
    from django.contrib.contenttypes.models import ContentType

    from portal import registry
    from portal.onboarding import services

    step = next(s for s in registry.setup_steps() if s.key == STEP)
    form = step.form_class({}, {"document": _file("component_plan.md")}, organization=new_org)
    assert form.is_valid()
    services.save_app_step(organization=new_org, step=step, form=form, actor=clerk_user)
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Plan))
    assert rows.exists() and {row.actor_id for row in rows} == {clerk_user.pk}
