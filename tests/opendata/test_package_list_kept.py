"""package_list's names are kept (39,000 of them at 7,850 organizations, read and sorted from the whole dataset
table on every call) and forgotten as soon as what decides them changes: publishing or withdrawing a dataset, an
organization's harvest consent, its deactivation."""

import pytest

from opendata import services
from opendata.models import HarvestConsent
from tests.opendata.factories import make_dataset
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _names(client, path="/api/3/action/package_list"):
    return client.get(path).json()["result"]


def test_the_kept_name_list_follows_every_change_that_decides_it(client, django_assert_num_queries):
    org, other = OrganizationFactory(slug="khamyai"), OrganizationFactory(slug="nangrong")
    first = make_dataset(org, name="a-budget")
    make_dataset(other, name="b-roads")
    assert _names(client) == ["a-budget", "b-roads"]
    with django_assert_num_queries(0):
        assert _names(client) == ["a-budget", "b-roads"]
    own = f"/{org.slug}/api/3/action/package_list"
    assert _names(client, own) == ["a-budget"]

    second = make_dataset(org, name="c-water")
    assert _names(client) == ["a-budget", "b-roads", "c-water"] and _names(client, own) == ["a-budget", "c-water"]
    services.unpublish(dataset=first)
    assert _names(client) == ["b-roads", "c-water"] and _names(client, own) == ["c-water"]
    HarvestConsent.objects.create(organization=org, allow_harvest=False)
    assert _names(client) == ["b-roads"] and _names(client, own) == []
    HarvestConsent.objects.filter(organization=org).delete()
    assert _names(client) == ["b-roads", "c-water"]
    other.is_active = False
    other.save()
    assert _names(client) == ["c-water"]
    second.allow_harvest = False
    second.save()
    assert _names(client) == [] and _names(client, "/api/3/action/package_list?limit=5&offset=1") == []


def test_the_whole_list_is_encoded_once_per_list_and_answers_the_same_bytes(client):
    """The installation's whole list (1.7 MB at 7,850 organizations) is put into the answer as the text encoded
    when the list was read, byte for byte what encoding the answer whole gives."""
    import json
    from unittest import mock

    from opendata import ckan

    org = OrganizationFactory(slug="khamyai")
    make_dataset(org, name="a-budget", title="งบประมาณ")
    first = client.get("/api/3/action/package_list")
    with mock.patch.object(ckan, "_dumps", wraps=ckan._dumps) as encoded:
        again = client.get("/api/3/action/package_list")
    assert again.content == first.content and again["Content-Type"] == "application/json"
    assert encoded.call_count == 1, "the envelope only: the names were encoded once, for the first answer"
    body = json.loads(first.content)
    assert body["success"] is True and body["result"] == ["a-budget"]
    assert first.content == json.dumps(body, ensure_ascii=False, separators=(", ", ": ")).encode()

    make_dataset(org, name="b-roads")
    assert json.loads(client.get("/api/3/action/package_list").content)["result"] == ["a-budget", "b-roads"]
