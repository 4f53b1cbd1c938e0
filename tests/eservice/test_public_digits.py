"""The service catalogue and the queue's slot page show numbers in the organization's one digit style (issue 9.8)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import main_text

from .factories import QueueFactory, future_slot, service_with_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(org):
    org.name_th = "เทศบาลตำบลคำใหญ่"  # the factory's names end in a sequence number
    org.save()
    service_with_template(org, "tap-water-connection")
    queue = QueueFactory(organization=org, name_th="งานทะเบียน")
    slot = future_slot(queue)
    return [reverse("eservice:catalogue", args=[org.slug]) + "?q=ประปา",
            reverse("eservice:queue-days", args=[org.slug, queue.code]),
            reverse("eservice:queue-slots", args=[org.slug, queue.code, slot.date.isoformat()])]


def test_thai_digits_when_the_organization_chooses_them(org, urls):
    org.public_digits = "thai"
    org.save()
    for url in urls:
        text = main_text(Client(), url)
        assert re.search("[๐-๙]", text), url
        assert not re.search("[0-9]", text), (url, re.findall(r".{0,20}[0-9].{0,20}", text)[:5])


def test_arabic_digits_by_default(org, urls):
    for url in urls:
        text = main_text(Client(), url)
        assert re.search("[0-9]", text) and not re.search("[๐-๙]", text), url
