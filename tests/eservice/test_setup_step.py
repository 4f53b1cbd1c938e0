"""The e-service steps of the clerk's set-up wizard (eservice/setup.py through ServiceAppConfig.setup_steps):
e-services started from the shipped templates, and the standard queues with their office hours; each skipped and
resumed, refused to anyone but the organization's administrators, bad times a 400 that keeps what was typed."""

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from eservice.models import OpeningHours, Queue, ServiceType
from portal.models import Department, OrganizationSetup, Role
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db
TEMPLATES, QUEUES = "eservice-templates", "eservice-queues"
HOURS = {"days": ["0", "1", "2", "3", "4"], "morning_opens": "08:30", "morning_closes": "12:00",
         "afternoon_opens": "13:00", "afternoon_closes": "16:30"}


@pytest.fixture
def new_org(new_org):
    """The shared organization in set-up (tests/conftest.py), with the departments the step routes to."""
    for code, name in (("works", "กองช่าง"), ("finance", "กองคลัง"), ("clerk", "สำนักปลัด")):
        Department.objects.create(organization=new_org, code=code, name_th=name)
    return new_org


def _checked(page: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="\w+" value="([^"]+)"[^>]*\bchecked', page))


def _url(organization, step):
    return f"/{organization.slug}/setup/{step}/"


# --- e-services from templates ---------------------------------------------------------------------------------------

def test_picked_templates_become_published_eservices_named_for_the_clerk(clerk, clerk_user, new_org):
    page = clerk.get(_url(new_org, TEMPLATES)).content.decode()
    assert 'value="general-request"' in page and 'value="building-permit"' in page
    response = clerk.post(_url(new_org, TEMPLATES), {"templates": ["general-request", "tap-water-connection"]})
    assert response["Location"] == _url(new_org, QUEUES)
    types = {t.code: t for t in ServiceType.objects.filter(organization=new_org)}
    assert sorted(types) == ["general-request", "tap-water-connection"]
    assert all(t.current_version_id for t in types.values()), "published: citizens can use them"
    assert types["tap-water-connection"].department.code == "works"
    row = LogEntry.objects.get(additional_data__event="eservice.service_type.created_from_template",
                               object_pk=str(types["general-request"].pk))
    assert row.actor_id == clerk_user.pk
    assert TEMPLATES in OrganizationSetup.objects.get(organization=new_org).steps_done


def test_coming_back_ticks_the_eservices_there_and_saving_again_adds_only_new_ones(clerk, new_org):
    clerk.post(_url(new_org, TEMPLATES), {"templates": ["garbage-bin"]})
    page = clerk.get(_url(new_org, TEMPLATES)).content.decode()
    assert _checked(page) == {"garbage-bin"}
    clerk.post(_url(new_org, TEMPLATES), {"templates": ["garbage-bin", "water-truck"]})
    assert ServiceType.objects.filter(organization=new_org).count() == 2


def test_skipping_templates_adds_nothing(clerk, new_org):
    assert clerk.post(_url(new_org, TEMPLATES), {"skip": "1"})["Location"] == _url(new_org, QUEUES)
    assert not ServiceType.objects.filter(organization=new_org).exists()
    assert TEMPLATES in OrganizationSetup.objects.get(organization=new_org).steps_skipped


def test_an_unknown_template_is_a_400(clerk, new_org):
    response = clerk.post(_url(new_org, TEMPLATES), {"templates": ["general-request", "ghost"]})
    assert response.status_code == 400 and "ghost" in response.content.decode()
    assert _checked(response.content.decode()) == {"general-request"}, "what was ticked is kept"
    assert not ServiceType.objects.filter(organization=new_org).exists()


# --- queues and office hours -----------------------------------------------------------------------------------------

def test_picked_queues_open_with_the_office_hours_given(clerk, clerk_user, new_org):
    response = clerk.post(_url(new_org, QUEUES), {"queues": ["finance", "registration"], **HOURS})
    assert response.status_code == 302 and response["Location"] == _url(new_org, "complaints-categories")
    queues = {q.code: q for q in Queue.objects.filter(organization=new_org)}
    assert sorted(queues) == ["finance", "registration"] and queues["finance"].department.code == "finance"
    hours = OpeningHours.objects.filter(queue=queues["finance"])
    assert hours.count() == 10 and {h.weekday for h in hours} == {0, 1, 2, 3, 4}
    assert {(h.opens, h.closes) for h in hours} == {(dt.time(8, 30), dt.time(12)), (dt.time(13), dt.time(16, 30))}
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Queue))
    assert rows.count() == 2 and {r.actor_id for r in rows} == {clerk_user.pk}
    # the organization's set-up checklist counts the step as done
    from django.apps import apps
    checks = apps.get_app_config("eservice").setup_checks(new_org)
    assert [c["done"] for c in checks] == [False, True]


def test_coming_back_shows_the_hours_saved_and_saving_again_replaces_them(clerk, new_org):
    clerk.post(_url(new_org, QUEUES), {"queues": ["finance", "welfare"], "days": ["0", "2"],
                                      "morning_opens": "09:00", "morning_closes": "15:00"})
    page = clerk.get(_url(new_org, QUEUES)).content.decode()
    assert 'value="09:00"' in page and 'value="15:00"' in page
    assert _checked(page) == {"finance", "welfare", "0", "2"}
    clerk.post(_url(new_org, QUEUES), {"queues": ["finance"], **HOURS})
    finance, welfare = Queue.objects.get(code="finance"), Queue.objects.get(code="welfare")
    assert finance.hours.count() == 10 and finance.is_active
    assert not welfare.is_active and welfare.hours.count() == 2, "switched off, kept as it was"


def test_closing_before_opening_is_a_400_that_keeps_what_was_typed(clerk, new_org):
    response = clerk.post(_url(new_org, QUEUES), {**HOURS, "queues": ["finance"], "morning_opens": "12:00",
                                                  "morning_closes": "08:00"})
    page = response.content.decode()
    assert response.status_code == 400 and "เวลาปิดต้องหลังเวลาเปิด" in page
    assert 'value="12:00"' in page and 'value="08:00"' in page
    half = clerk.post(_url(new_org, QUEUES), {**HOURS, "queues": ["finance"], "afternoon_closes": ""})
    assert half.status_code == 400 and "ช่วงบ่าย" in half.content.decode()
    assert clerk.post(_url(new_org, QUEUES), {**HOURS, "queues": ["finance"], "days": []}).status_code == 400
    assert not Queue.objects.filter(organization=new_org).exists()


def test_skipping_queues_adds_nothing(clerk, new_org):
    assert clerk.post(_url(new_org, QUEUES), {"skip": "1"}).status_code == 302
    assert not Queue.objects.filter(organization=new_org).exists()


def test_another_organizations_clerk_is_refused_both_steps(new_org):
    client = Client()
    client.force_login(staff(OrganizationFactory(), Role.ADMINISTRATOR))
    assert client.post(_url(new_org, TEMPLATES), {"templates": ["general-request"]}).status_code == 403
    assert client.post(_url(new_org, QUEUES), {"queues": ["finance"], **HOURS}).status_code == 403
    assert not ServiceType.objects.filter(organization=new_org).exists()
    assert not Queue.objects.filter(organization=new_org).exists()


def test_outside_a_request_the_rows_still_name_the_clerk(clerk_user, new_org):
    """No request middleware to name who acts (a command, a script): the steps' saves name their actor themselves."""
    from portal import registry
    from portal.onboarding import services

    steps = {s.key: s for s in registry.setup_steps()}
    for key, data in ((QUEUES, {"queues": ["finance"], **HOURS}), (TEMPLATES, {"templates": ["water-truck"]})):
        form = steps[key].form_class(data, organization=new_org)
        assert form.is_valid()
        services.save_app_step(organization=new_org, step=steps[key], form=form, actor=clerk_user)
    for model in (Queue, OpeningHours, ServiceType):
        rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert rows.exists() and {row.actor_id for row in rows} == {clerk_user.pk}, model


def test_once_open_citizens_can_pick_a_time_in_the_queue_the_clerk_set_up(clerk, new_org):
    from django.utils import timezone

    from eservice.queues import selectors

    clerk.post(_url(new_org, QUEUES), {"queues": ["registration"], **HOURS})
    clerk.post(f"/{new_org.slug}/setup/finish/")
    citizen = Client()
    assert "งานทะเบียนและคำร้องทั่วไป" in citizen.get(f"/{new_org.slug}/queue/").content.decode()
    queue = Queue.objects.get(organization=new_org, code="registration")
    today = timezone.localdate()
    day = next(d for d, is_open in selectors.bookable_days(queue, today) if is_open and d > today)
    page = citizen.get(f"/{new_org.slug}/queue/registration/{day.isoformat()}/")
    assert page.status_code == 200 and "08:30" in page.content.decode() and "16:00" in page.content.decode()
