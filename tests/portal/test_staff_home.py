"""Each role's admin home shows its own work: officers the requests due, administrators the set-up checklist of
their organization, auditors their reports; nobody sees another organization's rows."""

import datetime as dt

import pytest
from django.utils import timezone

from eservice.models import ServiceRequest
from portal.models import Membership, Role
from tests.eservice.factories import make_request
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_officer_home_lists_requests_due_and_overdue_of_their_organization_only(client, org, other_org):
    late = make_request(org, applicant_name="ผู้ยื่นเกินกำหนด")
    ServiceRequest.objects.filter(pk=late.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    later = make_request(org, applicant_name="ผู้ยื่นอีกนาน")
    ServiceRequest.objects.filter(pk=later.pk).update(deadline=timezone.now() + dt.timedelta(days=20))
    elsewhere = make_request(other_org, applicant_name="ผู้ยื่นองค์กรอื่น")
    ServiceRequest.objects.filter(pk=elsewhere.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    page = _home(client, staff(org, Role.OFFICER))
    assert "คำร้องที่ใกล้ครบกำหนด" in page
    assert late.tracking_code in page and "ผู้ยื่นเกินกำหนด" in page
    assert f"/admin/eservice/servicerequest/{late.pk}/change/" in page
    assert later.tracking_code not in page and elsewhere.tracking_code not in page
    # An auditor reads but does not act: no work queue.
    assert "คำร้องที่ใกล้ครบกำหนด" not in _home(client, staff(org, Role.AUDITOR))


def test_administrator_home_shows_the_set_up_checklist_until_done(client, org):
    admin_user = staff(org, Role.ADMINISTRATOR)
    page = _home(client, admin_user)
    assert f"ตั้งค่าองค์กรให้พร้อมใช้งาน: {org.name_th}" in page
    assert "บริการออนไลน์อย่างน้อยหนึ่งบริการ" in page and "/admin/eservice/servicetype/from-template/" in page
    # An officer of the organization has no checklist (it is the administrators' job).
    assert "ตั้งค่าองค์กรให้พร้อมใช้งาน" not in _home(client, staff(org, Role.OFFICER))


def test_an_administrator_of_many_organizations_gets_a_few_checklists_and_a_link_to_the_rest(
        client, org, django_assert_max_num_queries):
    from portal.models import Membership
    from portal.registry import SETUP_CHECKLIST_ORGANIZATIONS
    from tests.portal.factories import OrganizationFactory

    admin_user = staff(org, Role.ADMINISTRATOR)
    for _ in range(SETUP_CHECKLIST_ORGANIZATIONS + 3):
        Membership.objects.create(user=admin_user, organization=OrganizationFactory(), role=Role.ADMINISTRATOR)
    client.force_login(admin_user)
    client.get("/admin/")  # the once-a-minute notices counted
    with django_assert_max_num_queries(120):
        page = client.get("/admin/").content.decode()
    assert page.count("ตั้งค่าองค์กรให้พร้อมใช้งาน:") == SETUP_CHECKLIST_ORGANIZATIONS
    assert "อีก 4 องค์กรที่คุณดูแล" in page and "/admin/portal/organization/" in page


def test_auditor_home_lists_reports_of_audited_plans_only(client, org, other_org):
    from innovation_plans.models import Plan

    mine = Plan.objects.create(organization=org, title="แผนที่ตรวจ", fiscal_year_start=2566, fiscal_year_end=2570)
    theirs = Plan.objects.create(organization=other_org, title="แผนองค์กรอื่น", fiscal_year_start=2566,
                                 fiscal_year_end=2570)
    page = _home(client, staff(org, Role.AUDITOR))
    assert "รายงานสำหรับผู้ตรวจสอบ" in page and "แผนที่ตรวจ" in page and "แผนองค์กรอื่น" not in page
    assert f"/{org.slug}/plans/{mine.pk}/report.xlsx" in page and f"plans/{theirs.pk}/" not in page


def test_an_auditor_of_many_plans_gets_the_first_ones_and_the_summary_for_the_rest(client, org):
    from innovation_plans.apps import AUDITOR_HOME_PLANS
    from innovation_plans.models import Plan
    from tests.portal.factories import OrganizationFactory

    auditor = staff(org, Role.AUDITOR)
    for i in range(AUDITOR_HOME_PLANS + 3):
        other = org if i == 0 else OrganizationFactory()
        Plan.objects.create(organization=other, title=f"แผนที่ {i}", fiscal_year_start=2566, fiscal_year_end=2570)
        if i:
            Membership.objects.create(user=auditor, organization=other, role=Role.AUDITOR)
    page = _home(client, auditor)
    assert page.count('class="report-buttons"') == AUDITOR_HOME_PLANS
    assert "และอีก 3 แผน" in page and 'id="audit-summary"' in page


def test_finance_home_lists_overdue_bills_of_their_organization_only(client):
    from tests.taxpay.factories import finance_officer, make_bill, tax_org

    mine, other = tax_org(), tax_org(tax_id="0994000165510", slug="other-tax")
    make_bill(mine)  # tax year 2568: its instalments fell due in 2025, long before any day this test runs
    page = _home(client, finance_officer(mine))
    assert "งานการเงิน" in page and f"{mine.name_th}: ใบแจ้งเกินกำหนดชำระ 1 ฉบับ" in page
    assert "งานการเงิน" not in _home(client, finance_officer(other))


def test_the_finance_panel_costs_the_same_queries_for_two_organizations_as_for_six(client):
    """Counted for every organization shown in one go: a loop per organization cost three queries each (sixty for
    the first twenty organizations of a large installation)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.taxpay.factories import finance_officer, make_bill, tax_org

    organizations = [tax_org(tax_id=f"09940001655{n:02d}", slug=f"tax-{n}", name_th=f"เทศบาลตำบลภาษี{n}")
                     for n in range(6)]
    for organization in organizations:
        make_bill(organization)
    user = finance_officer(organizations[0])
    Membership.objects.create(user=user, organization=organizations[1], role=Role.FINANCE)

    def home():
        cache.clear()  # the notices are kept a minute per person
        with CaptureQueriesContext(connection) as queries:
            page = _home(client, user)
        return len(queries), page

    home()  # signed in once: what the first visit adds (the session, the sign-in's records) is not counted
    two, page = home()
    assert page.count("ใบแจ้งเกินกำหนดชำระ 1 ฉบับ") == 2
    for organization in organizations[2:]:
        Membership.objects.create(user=user, organization=organization, role=Role.FINANCE)
    six, page = home()
    assert all(f"{o.name_th}: ใบแจ้งเกินกำหนดชำระ 1 ฉบับ" in page for o in organizations)
    assert six == two


def _due(organization, name):
    request = make_request(organization, applicant_name=name)
    ServiceRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    return request


def test_the_panels_of_someone_working_across_the_installation_are_kept_a_minute(client, org):
    """A superuser's (or a province team's) queues and counts span every organization: kept a minute per person, as
    the notices are. A clerk of one organization sees their queue as it is after each thing they do."""
    from django.contrib.auth import get_user_model

    first = _due(org, "ผู้ยื่นรายแรก")
    superuser = get_user_model().objects.create_superuser("root-home", "root@example.org", "x")
    officer = staff(org, Role.OFFICER)
    assert first.tracking_code in _home(client, superuser) and first.tracking_code in _home(client, officer)

    second = _due(org, "ผู้ยื่นรายที่สอง")
    assert second.tracking_code in _home(client, officer), "a clerk's queue is read afresh"
    kept = _home(client, superuser)
    assert first.tracking_code in kept and second.tracking_code not in kept, "kept for the minute"
    from django.core.cache import cache

    cache.delete(f"portal:staff-home:{superuser.pk}:th")  # the minute is over
    assert second.tracking_code in _home(client, superuser)
