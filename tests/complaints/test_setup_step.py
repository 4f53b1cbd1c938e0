"""The complaints step of the clerk's set-up wizard (complaints/setup.py through ServiceAppConfig.setup_steps):
standard categories switched on and off, each with its department; skipped and resumed; the organization's
administrators only; the audit rows name the clerk."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from complaints.models import Category
from portal import registry
from portal.models import Department, OrganizationSetup, Role
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db
STEP = "complaints-categories"


@pytest.fixture
def new_org(new_org):
    """The shared organization in set-up (tests/conftest.py), with the departments the step routes to."""
    for code, name in (("works", "กองช่าง"), ("health", "กองสาธารณสุขและสิ่งแวดล้อม"), ("clerk", "สำนักปลัด")):
        Department.objects.create(organization=new_org, code=code, name_th=name)
    return new_org


def _url(organization):
    return f"/{organization.slug}/setup/{STEP}/"


def test_saving_switches_the_picked_categories_on_with_their_departments(clerk, clerk_user, new_org):
    page = clerk.get(_url(new_org)).content.decode()
    assert page.count('name="categories"') == 10 and page.count("checked") == 10, "all ticked on a first visit"
    response = clerk.post(_url(new_org), {"categories": ["street_light", "garbage", "corruption"]})
    assert response.status_code == 302 and response["Location"] == f"/{new_org.slug}/setup/taxpay-settings/"
    categories = {c.code: c for c in Category.objects.filter(organization=new_org)}
    assert sorted(categories) == ["corruption", "garbage", "street_light"]
    assert categories["street_light"].department.code == "works" and categories["street_light"].sla_days == 3
    assert categories["garbage"].department.code == "health"
    assert categories["corruption"].is_protected and not categories["corruption"].is_public
    assert STEP in OrganizationSetup.objects.get(organization=new_org).steps_done
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Category))
    assert rows.count() == 3 and {row.actor_id for row in rows} == {clerk_user.pk}


def test_coming_back_shows_what_was_saved_and_switching_off_keeps_the_rows(clerk, new_org):
    clerk.post(_url(new_org), {"categories": ["street_light", "garbage"]})
    page = clerk.get(_url(new_org)).content.decode()
    assert page.count("checked") == 2
    clerk.post(_url(new_org), {"categories": ["street_light"]})
    assert dict(Category.objects.filter(organization=new_org).values_list("code", "is_active")) == {
        "street_light": True, "garbage": False}
    clerk.post(_url(new_org), {"categories": ["street_light", "garbage"]})
    assert Category.objects.filter(organization=new_org, is_active=True).count() == 2


def test_skipping_adds_nothing_and_the_step_can_be_done_later(clerk, new_org):
    assert clerk.post(_url(new_org), {"skip": "1"}).status_code == 302
    setup = OrganizationSetup.objects.get(organization=new_org)
    assert STEP in setup.steps_skipped and not Category.objects.filter(organization=new_org).exists()
    clerk.post(_url(new_org), {"categories": ["road"]})
    setup.refresh_from_db()
    assert STEP not in setup.steps_skipped and STEP in setup.steps_done


def test_a_choice_not_offered_is_a_400_that_keeps_the_ticks(clerk, new_org):
    response = clerk.post(_url(new_org), {"categories": ["road", "no-such-category"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "no-such-category" in page and page.count("checked") == 1, "what was ticked is kept"
    assert not Category.objects.filter(organization=new_org).exists()


def test_another_organizations_clerk_and_an_officer_are_refused(new_org):
    other = OrganizationFactory()
    for user in (staff(other, Role.ADMINISTRATOR), staff(new_org, Role.OFFICER)):
        client = Client()
        client.force_login(user)
        assert client.get(_url(new_org)).status_code == 403
        assert client.post(_url(new_org), {"categories": ["road"]}).status_code == 403
    assert not Category.objects.filter(organization=new_org).exists()


def test_the_step_is_not_offered_when_complaints_are_switched_off(clerk, new_org):
    OrganizationSetup.objects.filter(organization=new_org).update(services_off=["complaints"])
    assert clerk.get(_url(new_org)).status_code == 404


def test_outside_a_request_the_rows_still_name_the_clerk(clerk_user, new_org):
    """No request middleware to name who acts (a command, a script): the step's save names its actor itself."""
    from complaints.setup import CategoriesForm
    from portal.onboarding import services

    step = next(s for s in registry.setup_steps() if s.key == STEP)
    form = CategoriesForm({"categories": ["road", "drain"]}, organization=new_org)
    assert form.is_valid()
    services.save_app_step(organization=new_org, step=step, form=form, actor=clerk_user)
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Category))
    assert rows.count() == 2 and {row.actor_id for row in rows} == {clerk_user.pk}


def test_once_open_citizens_file_complaints_in_the_categories_the_clerk_picked(clerk, new_org):
    clerk.post(_url(new_org), {"categories": ["street_light", "garbage"]})
    clerk.post(f"/{new_org.slug}/setup/finish/")
    citizen = Client()
    assert f"/{new_org.slug}/complaints/new/" in citizen.get(f"/{new_org.slug}/").content.decode()
    form = citizen.get(f"/{new_org.slug}/complaints/new/").content.decode()
    assert "ไฟฟ้าสาธารณะดับ/ชำรุด" in form and "ขยะ/สิ่งปฏิกูล" in form and "ถนน/ทางเท้าชำรุด" not in form
