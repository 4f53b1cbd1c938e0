"""The tax estimate shows its amounts in the organization's one digit style (issue 9.8)."""

import re

import pytest
from django.urls import reverse

from tests.taxpay.factories import tax_org

pytestmark = pytest.mark.django_db
QUERY = {"tax": "land_building", "use": "main_home", "owner": "individual", "value": "60,000,000"}


def _result_text(client, org):
    page = client.get(reverse("taxpay:estimate", args=[org.slug]), QUERY).content.decode()
    section = re.search(r'<section class="card" id="estimate-result"[^>]*>(.*?)</section>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", section)


def test_estimate_in_thai_digits_when_the_organization_chooses_them(client):
    org = tax_org()
    org.public_digits = "thai"
    org.save()
    text = _result_text(client, org)
    assert "๓,๐๐๐.๐๐" in text
    assert not re.search("[0-9]", text), re.findall(r".{0,20}[0-9].{0,20}", text)[:5]


def test_estimate_in_arabic_digits_by_default(client):
    text = _result_text(client, tax_org())
    assert "3,000.00" in text and not re.search("[๐-๙]", text)
