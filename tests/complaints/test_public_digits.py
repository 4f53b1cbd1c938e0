"""The public complaints dashboard shows its numbers in the organization's one digit style (issue 9.8)."""

import re

import pytest
from django.test import Client

from complaints.demo import ensure_categories
from tests.pages import main_text

from .factories import make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard_url(org):
    org.name_th = "เทศบาลตำบลคำใหญ่"  # the factory's names end in a sequence number
    org.save()
    cats = ensure_categories(org)
    for _ in range(12):
        make_complaint(org, cats["road"], village="หมู่ 3")
    return f"/{org.slug}/complaints/dashboard/"


def test_dashboard_numbers_in_thai_digits_when_chosen(org, dashboard_url):
    org.public_digits = "thai"
    org.save()
    text = main_text(Client(), dashboard_url)
    assert "๑๒" in text and "หมู่ ๓" in text
    assert not re.search("[0-9]", text), re.findall(r".{0,20}[0-9].{0,20}", text)[:5]


def test_dashboard_numbers_in_arabic_digits_by_default(org, dashboard_url):
    text = main_text(Client(), dashboard_url)
    assert "12" in text and not re.search("[๐-๙]", text)
