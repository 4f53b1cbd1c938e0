import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovation_plans import services
from innovation_plans.models import Plan
from portal.models import Role
from tests.innovation_plans.factories import make_plan
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def test_org_home_links_to_plans_once_one_is_published(client, org):
    assert f"/{org.slug}/plans/" not in client.get(f"/{org.slug}/").content.decode()
    make_plan(org)
    assert f"/{org.slug}/plans/" in client.get(f"/{org.slug}/").content.decode()


def test_plan_list_shows_published_only(client, org):
    published = make_plan(org)
    draft = make_plan(org, status=Plan.Status.DRAFT, start=2568, end=2572)
    body = client.get(f"/{org.slug}/plans/").content.decode()
    assert published.title in body
    assert client.get(f"/{org.slug}/plans/{draft.pk}/").status_code == 404
    assert client.get(f"/{org.slug}/plans/{published.pk}/").status_code == 200


def test_plan_page_of_other_org_is_404(client, org, other_org):
    plan = make_plan(other_org)
    assert client.get(f"/{org.slug}/plans/{plan.pk}/").status_code == 404


def test_plan_page_shows_components_budgets_timeline_indicators_progress(client, org):
    plan = make_plan(org, components=2, activities=2)
    activity = plan.activities.first()
    services.record_monitoring(activity=activity, fiscal_year=2567, status="in_progress", progress_percent=45)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "องค์ประกอบ 1" in body and "กิจกรรม 2.2" in body
    assert "200,000" in body  # plan total
    assert 'class="tl on"' in body  # timeline cells
    assert "ร้อยละ 80" in body and "ไม่น้อยกว่า 3 ชิ้น" in body  # written "๓": one digit style per page
    assert 'value="45"' in body


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_plan_page_query_count_does_not_grow_with_activities(client, org, other_org, django_assert_num_queries):
    small = make_plan(org, components=1, activities=1)
    large = make_plan(other_org, components=6, activities=8)
    for plan in (small, large):
        for activity in plan.activities.all()[:3]:
            record = services.record_monitoring(activity=activity, fiscal_year=2566, status="in_progress",
                                                progress_percent=10, indicator_actuals={plan.indicators.first(): "80"})
            assert record.pk
    small_count = _count_queries(client, small.get_absolute_url())
    with django_assert_num_queries(small_count):
        client.get(large.get_absolute_url())


def test_rate_limit_on_public_plan_page(client, org, settings, monkeypatch):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    plan = make_plan(org)
    # The limit counts 120 per one-minute window. The clock stands still for the loop, so on a slow machine the
    # requests cannot spread over several windows: the 121st is the first refused. The counters go to a local-memory
    # cache, whose expiry follows that clock (a Redis key would still expire 65 real seconds later).
    settings.CACHES = {**settings.CACHES, "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                         "LOCATION": "plan-page-ratelimit"}}
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    statuses = [client.get(plan.get_absolute_url()).status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
    cache.clear()


def test_report_requires_role_in_that_org(client, org, other_org):
    plan = make_plan(org)
    url = f"/{org.slug}/plans/{plan.pk}/report/"
    assert client.get(url).status_code == 302  # login
    client.force_login(staff(other_org, Role.AUDITOR))
    assert client.get(url).status_code == 403
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get(url).status_code == 200
    # Another organization's plan id under this organization's slug is a 404.
    other_plan = make_plan(other_org)
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get(f"/{org.slug}/plans/{other_plan.pk}/report/").status_code == 404


def test_report_bad_year_is_400(client, org):
    plan = make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get(f"/{org.slug}/plans/{plan.pk}/report/?year=abc").status_code == 400
    assert client.get(f"/{org.slug}/plans/{plan.pk}/report/?year=2590").status_code == 400
    assert client.get(f"/{org.slug}/plans/{plan.pk}/report/?year=๒๕๖๗").status_code == 200
    assert client.get(f"/{org.slug}/plans/{plan.pk}/report.doc").status_code == 404


def test_plan_page_in_english(client, org):
    plan = make_plan(org)
    client.cookies["django_language"] = "en"
    body = client.get(plan.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Budget by fiscal year" in body and "Timeline of activities" in body
