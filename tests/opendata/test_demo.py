import pytest
from django.core.management import call_command

from opendata.models import Dataset

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_a_csv_and_a_geojson_per_organization_and_is_idempotent(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for slug in ("khamyai", "nangrong", "phannanakhon"):
        uploaded = Dataset.objects.published().filter(organization__slug=slug, feed_name="")
        formats = sorted(r.format for d in uploaded for r in d.resources.all())
        assert formats == ["CSV", "GeoJSON"], slug
        for dataset in uploaded:
            assert dataset.data_type and dataset.geo_coverage and dataset.license_id == "Open Data Common"
            assert dataset.resources.get().versions.count() == 1
    page = client.get("/opendata/", {"q": "ครัวเรือน"})
    assert page.context["found"]["count"] == 3
