"""The public complaints dashboard shows its numbers in the organization's one digit style (issue 9.8)."""

import re

import pytest
from django.test import Client

from complaints.demo import ensure_categories

from .factories import make_complaint

pytestmark = pytest.mark.django_db


def _main_text(client, url, language="th"):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S).group(1)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)  # visible text only: attributes and URLs keep their digits


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
    text = _main_text(Client(), dashboard_url)
    assert "๑๒" in text and "หมู่ ๓" in text
    assert not re.search("[0-9]", text), re.findall(r".{0,20}[0-9].{0,20}", text)[:5]


def test_dashboard_numbers_in_arabic_digits_by_default(org, dashboard_url):
    text = _main_text(Client(), dashboard_url)
    assert "12" in text and not re.search("[๐-๙]", text)
