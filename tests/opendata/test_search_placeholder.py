"""The search box of an organization's catalogue suggests words that find something there (its most used tags),
not a fixed example that may find nothing."""

import re

import pytest
from django.urls import reverse

from .factories import make_dataset

pytestmark = pytest.mark.django_db


def _placeholder(client, url):
    return re.search(r'id="od-q"[^>]*placeholder="([^"]*)"', client.get(url).content.decode()).group(1)


def test_placeholder_suggests_this_organizations_words(client, org, other_org):
    make_dataset(org, name="water-a", title="คุณภาพน้ำประปา", tags=["น้ำประปา", "สาธารณูปโภค"])
    make_dataset(org, name="water-b", title="ปริมาณน้ำประปา", tags=["น้ำประปา"])
    make_dataset(other_org, name="roads", title="ถนนในเขต", tags=["ถนน"])
    url = reverse("opendata:index", args=[org.slug])
    placeholder = _placeholder(client, url)
    assert "น้ำประปา" in placeholder and "ถนน" not in placeholder
    word = placeholder.split()[1]
    found = client.get(url, {"q": word}).content.decode()
    assert "คุณภาพน้ำประปา" in found  # the suggested word finds something
