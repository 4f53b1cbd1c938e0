"""The auditor's cross-organization summary for an auditor of many organizations: a page of plans at a time."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovation_plans.views import AUDIT_PAGE_SIZE
from portal.models import Membership, Role
from tests.portal.factories import OrganizationFactory, staff

from .factories import make_plan

pytestmark = pytest.mark.django_db


def _titles(html):
    return re.findall(r'/report/[^"]*">([^<]+)</a>', html)


def _auditor_of(count):
    organizations = [OrganizationFactory() for _ in range(count)]
    for organization in organizations:
        make_plan(organization, components=1, activities=1)
    auditor = staff(organizations[0], Role.AUDITOR)
    Membership.objects.bulk_create([Membership(user=auditor, organization=o, role=Role.AUDITOR)
                                    for o in organizations[1:]])
    return auditor


def _queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/plans/audit/", params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_summary_shows_a_page_of_plans_and_its_cost_does_not_grow_with_organizations(client):
    few = _auditor_of(2)
    client.force_login(few)
    few_queries, _html = _queries(client)
    many = _auditor_of(AUDIT_PAGE_SIZE + 7)
    client.force_login(many)
    many_queries, html = _queries(client)
    assert many_queries == few_queries  # a page's queries, whatever the number of plans behind it
    assert len(_titles(html)) == AUDIT_PAGE_SIZE and f"{AUDIT_PAGE_SIZE + 7} องค์กรที่ท่านตรวจสอบ" in html
    assert "หน้า 1 จาก 2" in html and "รวมหน้านี้" in html and 'href="?page=2" rel="next"' in html
    _count, second = _queries(client, page=2)
    assert len(_titles(second)) == 7 and not set(_titles(second)) & set(_titles(html))


def test_a_single_page_keeps_the_plain_total_and_no_pager(client):
    client.force_login(_auditor_of(3))
    _count, html = _queries(client, year=2567)
    assert len(_titles(html)) == 3 and 'class="pager"' not in html and "รวมหน้านี้" not in html
