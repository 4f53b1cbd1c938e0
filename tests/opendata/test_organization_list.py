"""organization_list at the scale of the whole country: a page of organizations, counted for that page only."""

import pytest

from tests.opendata.factories import make_dataset
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organization_list_pages_and_counts_only_the_page(client, django_assert_max_num_queries):
    orgs = sorted([OrganizationFactory(slug=f"org-{n:02d}") for n in range(12)], key=lambda o: o.slug)
    make_dataset(orgs[1], name="one-a")
    make_dataset(orgs[1], name="one-b")
    make_dataset(orgs[1], name="one-draft", publish=False)
    make_dataset(orgs[2], name="two-a")
    url = "/api/3/action/organization_list"
    with django_assert_max_num_queries(3) as queries:  # the page and its counts, whatever the number of organizations
        page = client.get(url, {"all_fields": "true", "limit": 3, "offset": 1}).json()["result"]
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    # datasets are counted for the organizations of the page only, never grouped over every organization
    assert len(counting) == 1 and '"organization_id" IN (' in counting[0] and "GROUP BY" in counting[0]
    assert [(o["name"], o["package_count"]) for o in page] == [("org-01", 2), ("org-02", 1), ("org-03", 0)]
    with django_assert_max_num_queries(1):
        names = client.get(url, {"limit": 5, "offset": 10}).json()["result"]
    assert names == ["org-10", "org-11"]
    assert len(client.get(url).json()["result"]) == 12


def test_the_names_are_kept_and_an_organization_added_renamed_or_deactivated_shows_at_once(
        client, django_assert_num_queries):
    first = OrganizationFactory(slug="org-a")
    OrganizationFactory(slug="org-b")
    url = "/api/3/action/organization_list"
    assert client.get(url).json()["result"] == ["org-a", "org-b"]
    with django_assert_num_queries(0):  # kept: a thousand of 7,850 names were a query on every call
        assert client.get(url).json()["result"] == ["org-a", "org-b"]
    OrganizationFactory(slug="org-c")
    assert client.get(url).json()["result"] == ["org-a", "org-b", "org-c"]
    first.slug = "org-d"
    first.save()
    assert client.get(url).json()["result"] == ["org-b", "org-c", "org-d"]
    first.is_active = False
    first.save()
    assert client.get(url).json()["result"] == ["org-b", "org-c"]
    assert client.get(url, {"offset": 1}).json()["result"] == ["org-c"]  # each page its own copy


def test_the_full_organization_dicts_are_kept_and_follow_a_published_dataset_at_once(
        client, django_assert_num_queries):
    from opendata import services

    organization = OrganizationFactory(slug="org-a", name_th="อบต.ก")
    url = "/api/3/action/organization_list?all_fields=true"

    def counts():
        return [(o["name"], o["title"], o["package_count"]) for o in client.get(url).json()["result"]]

    assert counts() == [("org-a", "อบต.ก", 0)]
    with django_assert_num_queries(0):  # kept: a hundred organizations were read, counted and built on every call
        assert counts() == [("org-a", "อบต.ก", 0)]
    dataset = make_dataset(organization, name="a-budget")
    assert counts() == [("org-a", "อบต.ก", 1)]
    services.unpublish(dataset=dataset)
    assert counts() == [("org-a", "อบต.ก", 0)]
    organization.name_th = "องค์การบริหารส่วนตำบลก"
    organization.save()
    assert counts() == [("org-a", "องค์การบริหารส่วนตำบลก", 0)]
