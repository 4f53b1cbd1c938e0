"""An organization that switched open data off in its set-up wizard leaves the national catalogue as a deactivated
one does: package_list, package_search, package_show, resource_show, organization_list and the DCAT catalogue stop
offering its datasets (its rows are kept), and switching it on again brings them back. Another organization's
datasets stay."""

import pytest

from portal.onboarding.services import set_services
from tests.opendata.factories import make_csv_resource, make_dataset
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db
API = "/api/3/action/"


def _result(client, path):
    response = client.get(API + path)
    assert response.status_code in (200, 404), path
    return response.json().get("result") if response.status_code == 200 else None


def _offered(client, dataset, resource) -> dict:
    return {
        "package_list": dataset.name in _result(client, "package_list"),
        "package_search": dataset.name in {d["name"] for d in _result(client, "package_search?rows=100")["results"]},
        "package_search by word": _result(client, "package_search?q=น้ำประปาหมู่บ้าน")["count"] == 1,
        "package_show": _result(client, f"package_show?id={dataset.name}") is not None,
        "resource_show": _result(client, f"resource_show?id={resource.pk}") is not None,
        "organization_list": dataset.organization.slug in _result(client, "organization_list"),
        "dcat": dataset.name.encode() in client.get("/opendata/catalog.ttl").content,
    }


def test_switching_open_data_off_takes_its_datasets_out_of_every_harvest_and_on_brings_them_back(client):
    off, other = OrganizationFactory(slug="khamyai"), OrganizationFactory(slug="nangrong")
    dataset = make_dataset(off, name="khamyai-water", title="น้ำประปาหมู่บ้าน")
    resource = make_csv_resource(dataset)
    kept = make_dataset(other, name="nangrong-roads", title="ถนนในตำบล")
    clerk = staff(off)
    everywhere = dict.fromkeys(_offered(client, dataset, resource), True)
    assert _offered(client, dataset, resource) == everywhere

    set_services(organization=off, off=["opendata"], actor=clerk)
    assert _offered(client, dataset, resource) == dict.fromkeys(everywhere, False)
    assert kept.name in _result(client, "package_list")
    dataset.refresh_from_db()
    assert dataset.state == dataset.State.PUBLISHED, "its rows are kept as they were"

    set_services(organization=off, off=[], actor=clerk)
    assert _offered(client, dataset, resource) == everywhere


def test_switching_another_service_off_leaves_open_data_in_the_catalogue(client):
    organization = OrganizationFactory(slug="khamyai")
    dataset = make_dataset(organization, name="khamyai-water", title="น้ำประปาหมู่บ้าน")
    resource = make_csv_resource(dataset)
    set_services(organization=organization, off=["complaints", "taxpay"], actor=staff(organization))
    assert all(_offered(client, dataset, resource).values())
