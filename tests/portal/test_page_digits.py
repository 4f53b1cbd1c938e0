"""The page's one digit style (the organization's choice) is applied by the shared filters (dates, money, numbers),
and every app's public pages follow it."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal import thai

TEMPLATE = Template("{% load thai %}{{ d|be_date }} · {{ n|baht }} · {{ t|digits }}")
CONTEXT = {"d": dt.date(2025, 10, 25), "n": 10000, "t": "ปี ๒๕๖๘ ข้อ 3"}


def _render(style, language="th"):
    token = thai.page_digits.set(style)
    try:
        with translation.override(language):
            return TEMPLATE.render(Context(CONTEXT))
    finally:
        thai.page_digits.reset(token)


def test_thai_style_on_a_thai_page():
    assert _render("thai") == "๒๕ ต.ค. ๒๕๖๘ · ๑๐,๐๐๐ · ปี ๒๕๖๘ ข้อ ๓"


def test_arabic_style_and_english_pages():
    assert _render("arabic") == "25 ต.ค. 2568 · 10,000 · ปี 2568 ข้อ 3"
    # English pages: Arabic digits and the English month with the BE year (one date rule on English pages)
    assert _render("thai", "en") == "25 Oct 2568 · 10,000 · ปี 2568 ข้อ 3"
    assert thai.page_digits.get() == "arabic"  # outside a request: Arabic


# --- every app's public pages follow the organization's choice ----------------------------------------------------

def _complaints_pages(org):
    from complaints.demo import ensure_categories
    from tests.complaints.factories import make_complaint

    cats = ensure_categories(org)
    for _ in range(12):
        make_complaint(org, cats["road"], village="หมู่ 3")
    return [f"/{org.slug}/complaints/dashboard/"], {"thai": ["๑๒", "หมู่ ๓"], "arabic": ["12"]}


def _eservice_pages(org):
    from tests.eservice.factories import QueueFactory, future_slot, service_with_template

    service_with_template(org, "tap-water-connection")
    queue = QueueFactory(organization=org, name_th="งานทะเบียน")
    slot = future_slot(queue)
    return [reverse("eservice:catalogue", args=[org.slug]) + "?q=ประปา",
            reverse("eservice:queue-days", args=[org.slug, queue.code]),
            reverse("eservice:queue-slots", args=[org.slug, queue.code, slot.date.isoformat()])], {}


def _plan_pages(org):
    from tests.innovation_plans.factories import make_plan

    plan = make_plan(org, components=2, activities=3)
    component = plan.components.first()
    component.title = "ยุทธศาสตร์ที่ ๑ ปี 2567"  # the document mixes styles itself
    component.save()
    type(plan).objects.filter(pk=plan.pk).update(objectives="1. ให้บริการออนไลน์ ๒. ลดเวลารอ")
    return [f"/{org.slug}/plans/", f"/{org.slug}/plans/{plan.pk}/"], {}


def _tax_estimate(org):
    from tests.taxpay.factories import tax_org

    taxed = tax_org()
    taxed.public_digits = org.public_digits
    taxed.save()
    query = "?tax=land_building&use=main_home&owner=individual&value=60,000,000"
    # the result only: the rest of the page is the estimate form, which quotes the Act's own figures
    return [reverse("taxpay:estimate", args=[taxed.slug]) + query], {
        "thai": ["๓,๐๐๐.๐๐"], "arabic": ["3,000.00"], "read": _estimate_result}


def _estimate_result(client, url):
    page = client.get(url).content.decode()
    section = re.search(r'<section class="card" id="estimate-result"[^>]*>(.*?)</section>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", section)


@pytest.mark.django_db
@pytest.mark.parametrize("style", ["thai", "arabic"])
@pytest.mark.parametrize("pages", [pytest.param(_complaints_pages, id="complaints"),
                                   pytest.param(_eservice_pages, id="eservice"),
                                   pytest.param(_plan_pages, id="innovation_plans"),
                                   pytest.param(_tax_estimate, id="taxpay")])
def test_public_pages_show_numbers_in_the_organizations_one_digit_style(org, pages, style):
    from tests.pages import main_text

    org.name_th = "เทศบาลตำบลคำใหญ่"  # the factory's names end in a sequence number
    org.public_digits = style
    org.save()
    urls, samples = pages(org)
    ours, other = ("[๐-๙]", "[0-9]") if style == "thai" else ("[0-9]", "[๐-๙]")
    client = Client()
    for url in urls:
        text = samples.get("read", main_text)(client, url)
        assert re.search(ours, text), url
        assert not re.search(other, text), (url, re.findall(f".{{0,20}}{other}.{{0,20}}", text)[:5])
        assert all(sample in text for sample in samples.get(style, [])), (url, samples)
