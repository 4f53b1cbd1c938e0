"""The complaint list of someone who sees many organizations (a superuser of an installation of 7,850): filters
offer each kind of category and department once, not one entry per organization's row, and the list stays small."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.admin import filters
from complaints.demo import ensure_categories
from portal.demo import DEPARTMENTS
from portal.models import Department, Role
from tests.portal.factories import OrganizationFactory, staff

from .factories import make_complaint

pytestmark = pytest.mark.django_db

URL = "/admin/complaints/complaint/"


@pytest.fixture
def three(monkeypatch):
    monkeypatch.setattr(filters, "WIDE", 2)  # three organizations are "many" here
    organizations = [OrganizationFactory() for _ in range(3)]
    road = []
    for organization in organizations:
        for code, name_th, _en, _parent in DEPARTMENTS:
            Department.objects.create(organization=organization, code=code, name_th=name_th)
        categories = ensure_categories(organization)
        road.append(make_complaint(organization, categories["road"]))
        make_complaint(organization, categories["garbage"])
    return organizations, road


def _superuser(client):
    user = get_user_model().objects.create_user("root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_a_superuser_filters_every_organization_by_kind_of_category_and_department(client, three):
    organizations, road = three
    _superuser(client)
    html = client.get(URL).content.decode()
    sidebar = html.split('id="changelist-filter"', 1)[1]
    assert sidebar.count("?category=code%3Aroad") == 1 and sidebar.count("ถนน/ทางเท้าชำรุด") == 1
    assert sidebar.count("?queue=code%3Aworks") == 1
    assert "route_to_" not in html  # routing is to one organization's department: not from the list of all
    roads = client.get(URL, {"category": "code:road"}).content.decode()
    assert all(c.tracking_code in roads for c in road) and roads.count('class="field-tracking_code"') == 3
    works = client.get(URL, {"queue": "code:health"}).content.decode()  # garbage goes to public health
    assert works.count('class="field-tracking_code"') == 3 and not any(c.tracking_code in works for c in road)


def test_staff_of_one_organization_still_pick_its_own_rows(client, three):
    organizations, road = three
    client.force_login(staff(organizations[0], Role.OFFICER))
    html = client.get(URL).content.decode()
    mine = organizations[0].complaint_categories.get(code="road")
    assert f"?category={mine.pk}" in html and "code%3A" not in html
    assert road[0].tracking_code in client.get(URL, {"category": mine.pk}).content.decode()


def test_the_capped_count_does_not_sort_what_it_counts(client, three):
    _superuser(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "complaints_complaint" in q["sql"]]
    assert counts and not any("ORDER BY" in sql for sql in counts)
