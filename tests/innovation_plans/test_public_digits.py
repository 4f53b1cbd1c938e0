"""One digit style per page: the organization chooses Thai or Arabic digits for its public pages, and every number on
a plan page (counts, money, years, percentages, numbers inside titles) follows it."""

import re

import pytest
from django.test import Client

from portal import thai
from tests.pages import main_text

from .factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_urls(org):
    org.name_th = "เทศบาลตำบลคำใหญ่"  # the factory's names end in a sequence number
    org.save()
    plan = make_plan(org, components=2, activities=3)
    component = plan.components.first()
    component.title = "ยุทธศาสตร์ที่ ๑ ปี 2567"  # the document mixes styles itself
    component.save()
    type(plan).objects.filter(pk=plan.pk).update(objectives="1. ให้บริการออนไลน์ ๒. ลดเวลารอ")
    return [f"/{org.slug}/plans/", f"/{org.slug}/plans/{plan.pk}/"]


def test_english_pages_keep_arabic_digits_whatever_the_organization_chose(org, plan_urls):
    """(Thai or Arabic digits on every app's Thai pages: tests/portal/test_page_digits.py.)"""
    org.public_digits = "thai"
    org.save()
    client = Client()
    for url in plan_urls:
        text = main_text(client, url, "en")
        assert re.search("[0-9]", text) and not re.search("[๐-๙]", text), url


def test_digit_style_does_not_leak_to_the_next_request(org, plan_urls):
    org.public_digits = "thai"
    org.save()
    client = Client()
    main_text(client, plan_urls[1])
    assert thai.page_digits.get() == "arabic"
    assert not re.search("[๐-๙]", main_text(client, "/"))
