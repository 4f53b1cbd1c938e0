"""The organization home page's own part is rendered once per organization, language and kind of host, and
forgotten as soon as what it shows changes (portal.web.front_door)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _page(client, org, language="th"):
    client.cookies["django_language"] = language
    response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_home_page_runs_no_query_and_building_it_at_most_six(client, org, django_assert_max_num_queries,
                                                                   django_assert_num_queries):
    from complaints.demo import ensure_categories

    ensure_categories(org)
    # The digit style (its own memo), the organization, the services its set-up wizard switched off, and one query
    # for each of the three service apps that decide their links by the organization's rows; a seventh is a regression.
    with django_assert_max_num_queries(6):
        first = _page(client, org)
    with django_assert_num_queries(0):
        again = _page(client, org)
    assert _without_csrf(again) == _without_csrf(first) and f"/{org.slug}/complaints/new/" in again


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_each_language_is_kept_on_its_own(client, org):
    org.district, org.district_en = "ห้วยเม็ก", "Huai Mek"
    org.save()
    assert "ห้วยเม็ก" in _page(client, org, "th")
    english = _page(client, org, "en")
    assert "Huai Mek" in english and "ห้วยเม็ก" not in english
    assert "ห้วยเม็ก" in _page(client, org, "th")


def test_saving_the_organization_forgets_its_page(client, org):
    _page(client, org)
    org.office_hours = "จันทร์–ศุกร์ 08:30–16:30 น."
    org.save()
    assert "08:30–16:30" in _page(client, org)


def test_a_deactivated_organization_is_gone_at_once(client, org):
    _page(client, org)
    org.is_active = False
    org.save()
    assert client.get(org.get_absolute_url()).status_code == 404


def test_a_new_slug_forgets_the_former_one(client, org):
    former = org.get_absolute_url()
    _page(client, org)
    org.slug = "khamyai-new"
    org.save()
    assert client.get(former).status_code == 404
    assert client.get(org.get_absolute_url()).status_code == 200


def test_complaint_categories_switch_the_complaint_links_on_and_off(client, org):
    from complaints.models import Category

    new = f"/{org.slug}/complaints/new/"
    assert new not in _page(client, org)
    category = Category.objects.create(organization=org, name_th="ถนนชำรุด", code="road")
    assert new in _page(client, org)
    category.is_active = False
    category.save()
    assert new not in _page(client, org)


def test_switching_a_service_off_in_the_set_up_wizard_hides_its_links(client, org):
    from complaints.models import Category
    from portal.models import OrganizationSetup

    Category.objects.create(organization=org, name_th="ถนนชำรุด", code="road")
    new = f"/{org.slug}/complaints/new/"
    assert new in _page(client, org)
    setup = OrganizationSetup.objects.create(organization=org, services_off=["complaints"])
    assert new not in _page(client, org)
    setup.services_off = []
    setup.save()
    assert new in _page(client, org)


def test_publishing_a_plan_adds_its_link(client, org):
    from innovation_plans.models import Plan

    plans = f"/{org.slug}/plans/"
    plan = Plan.objects.create(organization=org, title="แผนนวัตกรรม", fiscal_year_start=2568,
                               fiscal_year_end=2570)
    assert plans not in _page(client, org)
    plan.status = Plan.Status.PUBLISHED
    plan.save()
    assert plans in _page(client, org)
    plan.delete()
    assert plans not in _page(client, org)


def test_the_tax_links_follow_the_organization_s_bills(client, org):
    """A bill saved or deleted on its own forgets the page at once (the bulk assessment: the test below)."""
    from tests.taxpay.factories import make_bill

    org.tax_id = "0994000165501"
    org.save()
    bill = make_bill(org)
    taxpay = f"/{org.slug}/tax/"
    assert taxpay in _page(client, org)
    bill.delete()
    assert taxpay not in _page(client, org)


def test_the_tax_links_show_at_once_after_a_bulk_assessment(client, org, django_capture_on_commit_callbacks):
    """The assessment issues its bills with bulk_create (no signal): it announces them, and the kept page of the
    organization is forgotten when it commits, not SECONDS later."""
    from taxpay import services
    from tests.taxpay.factories import OwnerFactory, ParcelFactory

    org.tax_id = "0994000165501"
    org.save()
    ParcelFactory(organization=org, owner=OwnerFactory(organization=org))
    taxpay = f"/{org.slug}/tax/"
    assert taxpay not in _page(client, org)  # kept without the links: no bills yet
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_assessment(organization=org, year=2568)["issued"] == 1
    assert taxpay in _page(client, org)


def test_a_kept_whole_page_carries_each_visitor_s_own_working_csrf_token(org):
    """Without a session the whole page is kept: the language switch must still work, with the visitor's token."""
    from django.test import Client

    from portal.web import front_door

    tokens = []
    for _ in range(2):  # the second is the kept page
        visitor = Client(enforce_csrf_checks=True)
        html = _page(visitor, org)
        assert front_door.CSRF_PLACEHOLDER not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        assert f'name="next" value="{org.get_absolute_url()}"' in html
        response = visitor.post("/i18n/setlang/", {"language": "en", "next": org.get_absolute_url(),
                                                   "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_visitor_with_messages_waiting_sees_them_on_the_kept_page(client, org):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    assert "ยินดีต้อนรับ" not in _page(client, org)  # the whole page is kept for visitors without a session
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "ยินดีต้อนรับ")])
    assert "ยินดีต้อนรับ" in _page(client, org)  # the shell, rendered around the kept part for this request
    assert "ยินดีต้อนรับ" not in _page(client, org)  # shown once


def test_variants_kept_per_organization_are_bounded():
    from django.core.cache import cache

    from portal.web.front_door import VariantMemo

    memo = VariantMemo("test-variants", loader=None, seconds=60, local_seconds=5)
    built = []
    for n in range(VariantMemo.max_variants + 8):
        assert memo.get_variant("khamyai", f"host-{n}", lambda n=n: built.append(n) or f"page {n}") == f"page {n}"
    assert len(cache.get(memo.cache_key("khamyai"))) == VariantMemo.max_variants
    assert memo.get_variant("khamyai", "host-0", lambda: "again") == "page 0"  # kept ones still served
    assert memo.get_variant("khamyai", "host-40", lambda: "not kept") == "not kept"
