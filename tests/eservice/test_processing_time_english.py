""""ระยะเวลาดำเนินการ" of a service is its processing time in English, on the citizen's manual and in the staff's
list of what publishing would change (the plans' "Timeline of activities" is another meaning of the same Thai)."""

import pytest
from django.urls import reverse
from django.utils import translation

from eservice.requests import selectors

from .factories import service_with_template

pytestmark = pytest.mark.django_db


def test_processing_time_in_english(client, org):
    service_type = service_with_template(org, "building-permit")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("eservice:manual", args=[org.slug, "building-permit"])).content.decode()
    assert "Processing time" in page and "Timeline of activities" not in page
    assert service_type.current_version_id
    service_type.processing_days += 5
    service_type.save()
    with translation.override("en"):
        changes = selectors.draft_changes(service_type)
    assert changes and any("Processing time" in line for line in changes), changes
    assert not any("Timeline" in line for line in changes), changes


def test_manual_counts_in_english_through_plural_forms(client, org):
    """The manual's counts read as English counts: "1 copy", "2 copies", "45 working days"."""
    from eservice.models import RequiredDocument

    service_type = service_with_template(org, "building-permit")
    docs = list(RequiredDocument.objects.filter(service_type=service_type).order_by("pk")[:2])
    RequiredDocument.objects.filter(pk=docs[0].pk).update(copies=1)
    RequiredDocument.objects.filter(pk=docs[1].pk).update(copies=2)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("eservice:manual", args=[org.slug, "building-permit"])).content.decode()
    assert "(1 copy)" in page and "(2 copies)" in page and "1 copies" not in page
    assert f"{service_type.processing_days} working days" in page
